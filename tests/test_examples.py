"""Checks on the demo reports in ``examples/`` and their generator script.

Every file is present, small, of a format the vault reads, and listed in
examples/README.md; the WARC holds HTML responses; the PDFs have a text layer;
the Windows-1256 file is really not UTF-8; and scripts/make_examples.py
reproduces the generated files byte for byte (PDFs: same text layer).
"""

from __future__ import annotations

import importlib.util
import io
from pathlib import Path
from types import ModuleType

import pypdf
import pytest
from warcio.archiveiterator import ArchiveIterator

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
SCRIPT = REPO / "scripts" / "make_examples.py"

HAND_WRITTEN = [
    "en-wire-khan-shaykhun-2017.txt",
    "ar-news-douma-2018-levantine.txt",
    "ar-news-saraqib-2018-relative.txt",
    "ar-ngo-aleppo-chlorine-2016.txt",
    "ar-denial-khan-shaykhun-2017.txt",
    "ar-negative-opcw-vote-2018.txt",
    "en-negative-eu-sanctions-2018.txt",
]
GENERATED = [
    "ar-cp1256-sarmin-2015.txt",
    "en-news-ghouta-un-mission-2013.html",
    "ar-news-halabja-1988.html",
    "web-capture-2018.warc.gz",
]
GENERATED_PDF = [
    "en-iit-ltamenah-2017.pdf",
    "ar-jim-findings-2016.pdf",
]
ALL = HAND_WRITTEN + GENERATED + GENERATED_PDF
SUPPORTED_SUFFIXES = (".txt", ".md", ".html", ".htm", ".pdf", ".warc", ".warc.gz")
PDF_WORDS = {
    "en-iit-ltamenah-2017.pdf": ["Ltamenah", "sarin", "chlorine", "24 March 2017", "Syrian Arab Air Force"],
    "ar-jim-findings-2016.pdf": ["تلمنس", "سرمين", "مارع", "الخردل", "الكلور", "مروحية"],
}


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_examples", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def _fpdf_available() -> bool:
    return importlib.util.find_spec("fpdf") is not None and importlib.util.find_spec("uharfbuzz") is not None


@pytest.mark.parametrize("name", ALL)
def test_file_present_small_and_supported(name: str) -> None:
    path = EXAMPLES / name
    assert path.is_file(), f"{path} is missing"
    size = path.stat().st_size
    assert 0 < size < 50_000, f"{name}: {size} bytes"
    assert name.endswith(SUPPORTED_SUFFIXES), f"{name}: not a format the vault reads"


def test_no_unlisted_files_and_language_mix() -> None:
    present = {p.name for p in EXAMPLES.iterdir() if p.is_file() and p.name != "README.md"}
    assert present == set(ALL), f"unexpected or missing: {present ^ set(ALL)}"
    assert len(ALL) >= 10
    assert sum(1 for n in ALL if n.startswith("ar-")) >= 6
    assert sum(1 for n in ALL if n.endswith(".html")) >= 2
    assert sum(1 for n in ALL if n.endswith(".pdf")) >= 1


def test_readme_lists_every_file() -> None:
    readme = (EXAMPLES / "README.md").read_text(encoding="utf-8")
    for name in ALL:
        assert f"`{name}`" in readme, f"examples/README.md does not list {name}"


@pytest.mark.parametrize("name", [n for n in HAND_WRITTEN + GENERATED if n.endswith((".txt", ".html"))
                                  and "cp1256" not in n])
def test_utf8_files_decode(name: str) -> None:
    text = (EXAMPLES / name).read_bytes().decode("utf-8")
    if name.startswith("ar-"):
        assert sum("\u0600" <= ch <= "\u06ff" for ch in text) > 200, f"{name}: not much Arabic"


def test_cp1256_file_is_not_utf8_but_cp1256() -> None:
    data = (EXAMPLES / "ar-cp1256-sarmin-2015.txt").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    text = data.decode("cp1256")
    assert "سرمين" in text and "الكلور" in text


def test_levantine_and_relative_date_pieces() -> None:
    douma = (EXAMPLES / "ar-news-douma-2018-levantine.txt").read_text(encoding="utf-8")
    assert "٧ نيسان ٢٠١٨" in douma
    saraqib = (EXAMPLES / "ar-news-saraqib-2018-relative.txt").read_text(encoding="utf-8")
    assert "أمس" in saraqib and "5 فبراير 2018" in saraqib


def test_html_pages_have_chrome_and_rtl() -> None:
    en = (EXAMPLES / "en-news-ghouta-un-mission-2013.html").read_text(encoding="utf-8")
    ar = (EXAMPLES / "ar-news-halabja-1988.html").read_text(encoding="utf-8")
    for page in (en, ar):
        assert "<nav" in page and "<footer" in page and "<article" in page
    assert 'dir="rtl"' in ar


def test_warc_holds_two_html_responses() -> None:
    responses = []
    with (EXAMPLES / "web-capture-2018.warc.gz").open("rb") as fh:
        for record in ArchiveIterator(fh):
            if record.rec_type == "response":
                assert record.http_headers is not None
                ctype = record.http_headers.get_header("Content-Type") or ""
                body = record.content_stream().read()
                responses.append((record.rec_headers.get_header("WARC-Target-URI"), ctype, body))
    assert len(responses) == 2
    assert len({uri for uri, _, _ in responses}) == 2
    for _, ctype, body in responses:
        assert ctype.startswith("text/html")
        assert b"<article" in body
    bodies = b"".join(body for _, _, body in responses).decode("utf-8")
    assert "Salisbury" in bodies and "كفرزيتا" in bodies


@pytest.mark.parametrize("name", GENERATED_PDF)
def test_pdf_has_text_layer(name: str) -> None:
    text = _pdf_text((EXAMPLES / name).read_bytes())
    for word in PDF_WORDS[name]:
        assert word in text, f"{name}: text layer lacks {word!r}"


def test_generator_reproduces_files(tmp_path: Path) -> None:
    script = _load_script()
    assert script.main(["--out", str(tmp_path), "--skip-pdf"]) == 0
    for name in GENERATED:
        assert (tmp_path / name).read_bytes() == (EXAMPLES / name).read_bytes(), f"{name} differs"
    assert not any((tmp_path / n).exists() for n in GENERATED_PDF)


@pytest.mark.skipif(not _fpdf_available(), reason="fpdf2/uharfbuzz not installed (pip install -e '.[dev]')")
def test_generator_reproduces_pdf_text(tmp_path: Path) -> None:
    script = _load_script()
    if not script.FONT_REGULAR.is_file():
        pytest.skip(f"{script.FONT_REGULAR} not installed (fonts-dejavu-core)")
    script.write_pdfs(tmp_path)
    for name in GENERATED_PDF:
        assert _pdf_text((tmp_path / name).read_bytes()) == _pdf_text((EXAMPLES / name).read_bytes())
