"""``bayyina extract``: contract JSONL in input order, a table, every reader, bad files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

AR = (
    "في يوم السبت ٧ نيسان ٢٠١٨ ألقت مروحيات النظام براميل تحمل غاز الكلور على مدينة دوما، "
    "ما أدى إلى مقتل ٤٣ مدنياً وإصابة أكثر من ٥٠٠ بحالات اختناق."
)
EN = (
    "The OPCW fact-finding mission concluded that chlorine was used as a weapon in the Syrian town of "
    "Saraqib on 4 February 2018, when cylinders were dropped from a helicopter."
)
NEG = "Member states of the OPCW voted on a new budget in The Hague on Wednesday."


def _jsonl(output: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


def test_jsonl_in_input_order(cli: Any, tmp_path: Path) -> None:
    a, b, c = tmp_path / "b-ar.txt", tmp_path / "a-en.txt", tmp_path / "c-neg.txt"
    a.write_text(AR, encoding="utf-8")
    b.write_text(EN, encoding="utf-8")
    c.write_text(NEG, encoding="utf-8")
    res = cli("extract", "--format", "jsonl", str(a), str(b), str(c))
    assert res.exit_code == 0, res.output
    docs = _jsonl(res.stdout)
    assert [d["source"] for d in docs] == ["b-ar.txt", "a-en.txt", "c-neg.txt"]
    assert docs[0]["language"] == "ar" and docs[1]["language"] == "en"
    assert docs[0]["incidents"][0]["place"]["name"] == "Douma"
    assert docs[0]["incidents"][0]["agents"] == ["chlorine"]
    assert docs[1]["incidents"][0]["place"]["name"] == "Saraqib"
    assert any(x["by"] == "opcw-ffm" and x["stance"] == "finding" for x in docs[1]["incidents"][0]["attributions"])
    assert docs[2]["incidents"] == []


def test_table_is_readable_arabic(cli: Any, tmp_path: Path) -> None:
    f = tmp_path / "r.txt"
    f.write_text(AR, encoding="utf-8")
    res = cli("extract", "--format", "table", str(f))
    assert res.exit_code == 0, res.output
    assert "دوما" in res.stdout and "Douma" in res.stdout and "2018-04-07" in res.stdout


def test_html_through_the_same_text_layer(cli: Any, tmp_path: Path) -> None:
    f = tmp_path / "page.html"
    f.write_text(
        "<html><head><title>x</title></head><body><nav>Home | World | Sport</nav>"
        f"<article><h1>Chlorine attack</h1><p>{EN}</p><p>More details followed from the mission's report "
        "which gave a full account of the samples and witness interviews.</p></article>"
        "<footer>© news</footer></body></html>",
        encoding="utf-8",
    )
    res = cli("extract", str(f))
    assert res.exit_code == 0, res.output
    [doc] = _jsonl(res.stdout)
    assert doc["source"] == "page.html"
    assert doc["incidents"] and doc["incidents"][0]["place"]["name"] == "Saraqib"


def test_bad_files_are_named_and_the_rest_extracted(cli: Any, tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(AR, encoding="utf-8")
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"\x00\x01not a pdf at all")
    missing = tmp_path / "missing.txt"
    res = cli("extract", str(junk), str(good), str(missing))
    assert res.exit_code == 1
    assert "junk.pdf" in res.output and "missing.txt" in res.output
    assert [d["source"] for d in _jsonl(res.stdout)] == ["good.txt"]


def test_unknown_format_option(cli: Any, tmp_path: Path) -> None:
    f = tmp_path / "r.txt"
    f.write_text(AR, encoding="utf-8")
    res = cli("extract", "--format", "xml", str(f))
    assert res.exit_code == 2


@pytest.mark.parametrize("name", ["000_823686221858d6df.txt"])
def test_shared_seed_through_cli(cli: Any, shared_dir: Path, name: str) -> None:
    res = cli("extract", str(shared_dir / "corpus" / "seeds" / name))
    assert res.exit_code == 0
    [doc] = _jsonl(res.stdout)
    assert doc["incidents"] and doc["incidents"][0]["date"]["start"] == "2017-04-04"


def test_pdf_and_warc_through_the_readers(cli: Any) -> None:
    root = Path(__file__).resolve().parents[2] / "examples"
    pdf, warc = root / "en-iit-ltamenah-2017.pdf", root / "web-capture-2018.warc.gz"
    res = cli("extract", str(pdf), str(warc))
    assert res.exit_code == 0, res.output
    docs = _jsonl(res.stdout)
    assert docs[0]["source"] == pdf.name
    assert any(i["place"] and i["place"]["name"] == "Ltamenah" for i in docs[0]["incidents"])
    # a WARC holds one document per HTML response
    assert [d["source"] for d in docs[1:]] == [f"{warc.name}#0", f"{warc.name}#1"]
    assert any(i["place"] and i["place"]["name"] == "Salisbury" for i in docs[1]["incidents"])
