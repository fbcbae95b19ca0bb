"""Readers: each format from real files, and a clear reason for each kind of bad input."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bayyina.text.readers import ReadError, reader_for, supported_suffixes
from tests.vault.samples import AR_TEXT, EN_TEXT, HTML_PAGE, make_pdf, make_warc, page, write


def read(path: Path):  # type: ignore[no-untyped-def]
    return reader_for(path.name).read(path)


def test_registry_finds_reader_by_longest_suffix() -> None:
    assert type(reader_for("a.warc.gz")).__name__ == "WarcReader"
    assert type(reader_for("A.HTM")).__name__ == "HtmlReader"
    assert type(reader_for("notes.md")).__name__ == "MarkdownReader"
    assert {".txt", ".md", ".html", ".htm", ".pdf", ".warc", ".warc.gz"} <= set(supported_suffixes())
    with pytest.raises(ReadError, match="unsupported file type '.docx'"):
        reader_for("report.docx")
    with pytest.raises(ReadError, match="unsupported"):
        reader_for("archive.gz")


def test_utf8_text(tmp_path: Path) -> None:
    res = read(write(tmp_path / "a.txt", EN_TEXT))
    assert res.encoding == "utf-8"
    assert "Khan Shaykhun" in res.raw_text
    assert res.media_type == "text/plain"


def test_legacy_arabic_encoding_is_detected_and_recorded(tmp_path: Path) -> None:
    res = read(write(tmp_path / "ar.txt", AR_TEXT.encode("cp1256")))
    assert res.encoding == "cp1256"
    assert "سراقب" in res.raw_text


def test_utf8_bom_and_utf16(tmp_path: Path) -> None:
    assert read(write(tmp_path / "b.txt", b"\xef\xbb\xbf" + EN_TEXT.encode())).encoding == "utf-8-sig"
    res = read(write(tmp_path / "c.txt", EN_TEXT.encode("utf-16")))
    assert res.encoding == "utf-16" and "Idlib" in res.raw_text


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"   \n\t  \n", "no text"),
        (AR_TEXT.encode()[:40] + b"\xff\xfe\xfd" + AR_TEXT.encode()[40:], "invalid UTF-8 at byte 3[89]"),
        (os.urandom(4096) + b"\x00\x00", "binary data"),
        (b"\x00\x01\x02\x03PK\x03\x04" * 64, "binary data"),
    ],
    ids=["empty", "whitespace", "corrupt-utf8", "random-binary", "zip-like"],
)
def test_bad_text_is_refused_with_reason(tmp_path: Path, data: bytes, reason: str) -> None:
    with pytest.raises(ReadError, match=reason):
        read(write(tmp_path / "bad.txt", data))


def test_html_main_text_without_script(tmp_path: Path) -> None:
    res = read(write(tmp_path / "p.html", HTML_PAGE))
    assert "helicopters dropped barrels" in res.raw_text
    assert "SCRIPT-NOISE" not in res.raw_text
    assert res.encoding == "utf-8"


def test_html_declared_legacy_charset(tmp_path: Path) -> None:
    html = '<html><head><meta charset="windows-1256"></head><body><p>' + AR_TEXT + "</p></body></html>"
    res = read(write(tmp_path / "ar.htm", html.encode("cp1256")))
    assert res.encoding == "windows-1256"
    assert "الكلور" in res.raw_text


def test_pdf_with_text_layer(tmp_path: Path) -> None:
    res = read(write(tmp_path / "r.pdf", make_pdf(["Chlorine attack in Saraqib", "4 February 2018"])))
    assert "Saraqib" in res.raw_text and not res.needs_ocr


def test_pdf_without_text_layer_is_kept_and_flagged(tmp_path: Path) -> None:
    res = read(write(tmp_path / "scan.pdf", make_pdf(None)))
    assert res.needs_ocr and res.raw_text.strip() == ""


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"MZ\x90\x00" + os.urandom(2000), "not a PDF"),
        (make_pdf(["Some text here"])[:300], "truncated PDF"),
    ],
    ids=["empty", "junk", "truncated"],
)
def test_bad_pdf(tmp_path: Path, data: bytes, reason: str) -> None:
    with pytest.raises(ReadError, match=reason):
        read(write(tmp_path / "bad.pdf", data))


@pytest.mark.parametrize("gz", [True, False], ids=["warc.gz", "warc"])
def test_warc_html_records_become_children(tmp_path: Path, gz: bool) -> None:
    data = make_warc([("https://example.org/a", page("A", EN_TEXT)), ("https://example.org/b", page("B", AR_TEXT))], gz=gz)
    res = read(write(tmp_path / ("cap.warc.gz" if gz else "cap.warc"), data))
    assert [c.url for c in res.children] == ["https://example.org/a", "https://example.org/b"]
    assert b"Khan Shaykhun" in res.children[0].data
    assert len({c.offset for c in res.children}) == 2


@pytest.mark.parametrize("gz", [True, False], ids=["warc.gz", "warc"])
def test_truncated_warc_is_refused(tmp_path: Path, gz: bool) -> None:
    data = make_warc([("https://example.org/a", page("A", EN_TEXT * 5))], gz=gz)
    with pytest.raises(ReadError, match="truncated|corrupt"):
        read(write(tmp_path / ("t.warc.gz" if gz else "t.warc"), data[: len(data) - 200]))


def test_junk_warc_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="not a WARC"):
        read(write(tmp_path / "j.warc", b"hello this is not a warc"))
    with pytest.raises(ReadError, match="empty"):
        read(write(tmp_path / "e.warc.gz", b""))
