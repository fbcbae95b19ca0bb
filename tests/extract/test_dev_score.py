"""The dev set (../shared: the seeds and corpus/dev, gold by the contract), scored by
the shared scorer exactly as the judges do. Skips when ../shared is absent (CI)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

from bayyina.extract.api import extract_document
from bayyina.text.normalize import normalize

FIELDS = ("date_exact", "agents_exact", "means_exact", "perpetrators", "killed_low", "injured_low", "attributions")


def _scorer(shared: Path) -> Any:
    spec = importlib.util.spec_from_file_location("shared_score", shared / "eval" / "score.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # its dataclasses look themselves up there
    spec.loader.exec_module(mod)
    return mod


def _predict(files: list[Path], out: Path) -> None:
    with out.open("w", encoding="utf-8") as fh:
        for f in files:
            doc = extract_document(normalize(f.read_text("utf-8")).text, source=f.name)
            fh.write(json.dumps(doc, ensure_ascii=False) + "\n")


def _score(shared: Path, files: list[Path], tmp_path: Path) -> dict[str, Any]:
    score = _scorer(shared)
    names = {f.name for f in files}
    gold_lines = [
        line for line in (shared / "eval" / "dev-gold.jsonl").read_text("utf-8").splitlines()
        if line.strip() and json.loads(line)["source"] in names
    ]
    gold_path = tmp_path / "gold.jsonl"
    gold_path.write_text("\n".join(gold_lines) + "\n", encoding="utf-8")
    pred_path = tmp_path / "pred.jsonl"
    _predict(files, pred_path)
    result: dict[str, Any] = score.score(score.load(str(gold_path), True), score.load(str(pred_path), False))
    return result


def test_seeds_incident_f1(shared_dir: Path, tmp_path: Path) -> None:
    files = sorted((shared_dir / "corpus" / "seeds").glob("*.txt"))
    m = _score(shared_dir, files, tmp_path)
    assert m["incidents"]["f1"] >= 0.95, m["incidents"]


def test_all_dev_texts(shared_dir: Path, tmp_path: Path) -> None:
    files = sorted((shared_dir / "corpus" / "seeds").glob("*.txt")) + sorted((shared_dir / "corpus" / "dev").glob("*.txt"))
    m = _score(shared_dir, files, tmp_path)
    assert m["incidents"]["f1"] >= 0.90, m["incidents"]
    for name in FIELDS:
        field = m["fields"][name]
        assert field["score"] is None or field["score"] >= 0.85, (name, field)
    assert m["language"]["score"] == 1.0
