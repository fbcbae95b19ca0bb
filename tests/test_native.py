"""The compiled extraction (bayyina/native.py, scripts/build_native.py).

* the loader takes a build only while every source has the hash it was compiled
  from, for this interpreter, with every file present; otherwise it says why;
* a stale build is never loaded: a process then runs the sources;
* with the build ``make test`` made, compiled and uncompiled extraction give the
  same JSON on every case text, the shared corpus and the examples.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bayyina import native

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpus"


def _write_build(folder: Path, hashes: dict[str, str], *, suffix: str | None = None, files: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    manifest = {"sources": hashes, "ext_suffix": suffix or native.ext_suffix()}
    (folder / native.MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    if files:
        for name in (*native.NATIVE_MODULES, f"{native.GROUP}__mypyc"):
            f = folder.joinpath(*name.split(".")).with_name(name.rsplit(".", 1)[-1] + native.ext_suffix())
            f.parent.mkdir(parents=True, exist_ok=True)
            f.write_bytes(b"not a real library")
    return folder


def test_no_build(tmp_path: Path) -> None:
    files, why = native.usable(tmp_path / "nothing")
    assert files == {} and "no compiled build" in why


def test_a_matching_build_is_taken(tmp_path: Path) -> None:
    files, why = native.usable(_write_build(tmp_path / "b", native.source_hashes()))
    assert why == "" and sorted(files) == sorted([*native.NATIVE_MODULES, f"{native.GROUP}__mypyc"])
    assert all(f.is_file() for f in files.values())


def test_an_edited_source_turns_the_build_off(tmp_path: Path) -> None:
    hashes = native.source_hashes() | {"bayyina.extract.dates": "0" * 64}
    files, why = native.usable(_write_build(tmp_path / "b", hashes))
    assert files == {} and "sources changed" in why and "bayyina.extract.dates" in why


@pytest.mark.parametrize("problem", ["interpreter", "modules", "missing", "garbled"])
def test_other_unusable_builds(tmp_path: Path, problem: str) -> None:
    hashes = native.source_hashes()
    if problem == "interpreter":
        folder = _write_build(tmp_path / "b", hashes, suffix=".cpython-39-x86_64-linux-gnu.so")
    elif problem == "modules":
        folder = _write_build(tmp_path / "b", {k: v for k, v in hashes.items() if "pipeline" not in k})
    elif problem == "missing":
        folder = _write_build(tmp_path / "b", hashes, files=False)
    else:
        folder = tmp_path / "b"
        folder.mkdir()
        (folder / native.MANIFEST).write_text("{not json", encoding="utf-8")
    files, why = native.usable(folder)
    assert files == {} and why, problem


def _which(env: dict[str, str]) -> str:
    code = "import bayyina.extract.pipeline as p; from bayyina import native; print(p.__file__); print(native.status())"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120, check=True)
    return out.stdout


def test_a_stale_build_is_not_loaded(tmp_path: Path) -> None:
    """A build whose manifest names other hashes (an edited source): the process runs the sources."""
    folder = _write_build(tmp_path / "b", native.source_hashes() | {"bayyina.extract.vocab": "f" * 64})
    out = _which(os.environ | {native.ENV_DIR: str(folder)})
    assert out.splitlines()[0].endswith("pipeline.py"), out
    assert "pure Python (sources changed since the build: bayyina.extract.vocab" in out


def _texts() -> list[str]:
    import tomllib

    texts = []
    for f in sorted((ROOT / "tests" / "extract" / "cases").glob("*.toml")):
        data = tomllib.loads(f.read_text(encoding="utf-8"))
        texts += [c["text"] for c in data.get("case", data.get("cases", [])) if c.get("text")]
    for folder in (SHARED / "seeds", SHARED / "dev", ROOT / "examples"):
        if folder.is_dir():
            texts += [p.read_text(encoding="utf-8", errors="replace") for p in sorted(folder.glob("*.txt"))]
    return texts


DUMP = """
import json, sys
from bayyina import native
from bayyina.extract.api import extract_document
from bayyina.text.normalize import normalize
texts = json.load(open(sys.argv[1], encoding="utf-8"))
out = [extract_document(normalize(t).text, source="t") for t in texts]
json.dump({"status": native.status(), "out": out}, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)
"""


def test_compiled_and_uncompiled_give_the_same_json(tmp_path: Path) -> None:
    files, why = native.usable()
    if not files:
        pytest.skip(f"no usable compiled build ({why}): make native")
    texts = _texts()
    assert len(texts) > 250
    (tmp_path / "texts.json").write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
    results = {}
    for mode, env in (("compiled", os.environ | {native.ENV_OFF: "1"}), ("pure", os.environ | {native.ENV_OFF: "0"})):
        env.pop(native.ENV_DIR, None)
        out = tmp_path / f"{mode}.json"
        subprocess.run([sys.executable, "-c", DUMP, str(tmp_path / "texts.json"), str(out)], env=env,
                       check=True, timeout=600)
        results[mode] = json.loads(out.read_text(encoding="utf-8"))
    assert results["compiled"]["status"] == "compiled (mypyc)"
    assert results["pure"]["status"].startswith("pure Python")
    same = [a == b for a, b in zip(results["compiled"]["out"], results["pure"]["out"], strict=True)]
    assert all(same), [texts[i][:80] for i, ok in enumerate(same) if not ok][:5]
    assert sum(len(d["incidents"]) for d in results["pure"]["out"]) > 250


def test_the_build_script_checks(tmp_path: Path) -> None:
    """``--check`` says whether a build matches (exit 1 and the reason when not); nothing is built."""
    dest = tmp_path / "none"
    out = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_native.py"), "--check", "--dest", str(dest)],
                         capture_output=True, text=True, timeout=120, check=False)
    assert out.returncode == 1 and "no compiled build" in out.stdout
    assert not dest.exists()
