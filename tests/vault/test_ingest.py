"""Ingest: formats, bad input (one line per file, non-zero exit), dedupe, URLs, extraction storage."""

from __future__ import annotations

import http.server
import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from bayyina.store.models import Document, ExtractionRun, IncidentReport
from bayyina.vault.home import Home
from bayyina.vault.ingest import BATCH, expand_targets, ingest
from bayyina.vault.verify import verify
from tests.vault.samples import AR_TEXT, EN_TEXT, HTML_PAGE, make_pdf, make_warc, page, write


def n_docs(h: Home) -> int:
    with h.session() as s:
        return int(s.scalar(select(func.count()).select_from(Document)) or 0)


def n_blobs(h: Home) -> int:
    return sum(1 for _ in h.vault.iter_blobs())


def bad_inputs(d: Path) -> dict[str, str]:
    """name -> expected reason fragment."""
    full_pdf = make_pdf(["A report with text"])
    warc = make_warc([("https://example.org/a", page("A", EN_TEXT * 4))], gz=True)
    specs: dict[str, tuple[bytes, str]] = {
        "empty.txt": (b"", "empty file"),
        "broken-utf8.txt": (AR_TEXT.encode()[:41] + b"\xff\xfe" + AR_TEXT.encode()[41:], "invalid UTF-8"),
        "junk.pdf": (os.urandom(3000), "not a PDF"),
        "truncated.pdf": (full_pdf[: len(full_pdf) // 2], "truncated PDF"),
        "truncated.warc.gz": (warc[: len(warc) - 100], "truncated"),
        "binary.txt": (b"\x7fELF\x02\x01\x01\x00" + os.urandom(2000), "binary"),
        "sheet.xlsx": (b"PK\x03\x04rest", "unsupported file type"),
    }
    for name, (data, _why) in specs.items():
        write(d / name, data)
    return {name: why for name, (_d, why) in specs.items()}


def test_all_formats_and_warc_children(vhome: Home, tmp_path: Path) -> None:
    d = tmp_path / "in"
    write(d / "en.txt", EN_TEXT)
    write(d / "ar-cp1256.txt", AR_TEXT.encode("cp1256"))
    write(d / "notes.md", "# Notes\n\n" + EN_TEXT)
    write(d / "page.html", HTML_PAGE)
    write(d / "report.pdf", make_pdf(["Chlorine attack in Saraqib on 4 February 2018"]))
    write(d / "scan.pdf", make_pdf(None))
    write(d / "cap.warc.gz", make_warc([("https://example.org/a", page("A", EN_TEXT)),
                                        ("https://example.org/b", page("B", AR_TEXT))]))
    rep = ingest(vhome, expand_targets([str(d)]), labels=["t"], extract=False)
    assert rep.ok, [(o.target, o.reason) for o in rep.failed]
    by = {Path(o.target).name: o for o in rep.outcomes}
    assert by["scan.pdf"].needs_ocr and by["cap.warc.gz"].children == 2
    with vhome.session() as s:
        docs = {d.original_filename: d for d in s.scalars(select(Document))}
    assert docs["ar-cp1256.txt"].encoding == "cp1256" and docs["ar-cp1256.txt"].language == "ar"
    assert docs["notes.md"].media_type == "text/markdown"
    assert "helicopters dropped" in docs["page.html"].norm_text
    assert docs["scan.pdf"].needs_ocr and docs["scan.pdf"].norm_text == ""
    kid_a, kid_b = docs["https://example.org/a"], docs["https://example.org/b"]
    assert kid_a.parent_id == kid_b.parent_id == docs["cap.warc.gz"].id
    assert kid_b.language == "ar" and kid_a.labels == ["t"]
    assert vhome.vault.path_for(kid_a.sha256).read_bytes().startswith(b"<html>")
    assert len(docs) == 9
    assert verify(vhome).ok


def test_rerun_is_deduplicated(vhome: Home, tmp_path: Path) -> None:
    f = write(tmp_path / "a.txt", EN_TEXT)
    copy = write(tmp_path / "sub" / "same-content.txt", EN_TEXT)
    first = ingest(vhome, [str(f)], extract=False)
    again = ingest(vhome, [str(f), str(copy)], extract=False)
    assert [o.status for o in again.outcomes] == ["duplicate", "duplicate"]
    assert again.outcomes[1].document_id == first.outcomes[0].document_id
    assert n_docs(vhome) == 1 and n_blobs(vhome) == 1
    assert not list(vhome.vault.tmp.iterdir())
    ingest(vhome, [str(f)], labels=["case-9"], extract=False)  # a new label is a logged change
    with vhome.session() as s:
        assert s.scalars(select(Document.labels)).one() == ["case-9"]
    assert verify(vhome).ok


def test_each_bad_file_gets_one_line_and_exit_1(cli: Any, home: Path, tmp_path: Path) -> None:
    d = tmp_path / "in"
    expected = bad_inputs(d)
    write(d / "good.txt", EN_TEXT)
    assert cli("init").exit_code == 0
    res = cli("ingest", "--no-extract", str(d), str(tmp_path / "does-not-exist.txt"))
    assert res.exit_code == 1
    lines = res.output.splitlines()
    for name, why in expected.items():
        hits = [ln for ln in lines if ln.startswith(str(d / name) + ": ")]
        assert len(hits) == 1 and why in hits[0], (name, hits)
    assert any(ln.startswith(str(tmp_path / "does-not-exist.txt") + ": no such file") for ln in lines)
    assert "1 ingested, 0 already present, 8 refused" in res.output
    h = Home.open(__import__("bayyina.settings", fromlist=["Settings"]).Settings.load())
    try:
        assert n_docs(h) == 1 and n_blobs(h) == 1
        assert not list(h.vault.tmp.iterdir())  # refused copies were dropped
        assert verify(h).ok
    finally:
        h.close()


def test_path_vanishing_mid_run(vhome: Home, tmp_path: Path) -> None:
    n = BATCH + 10  # outcomes are reported once their batch committed: the file vanishes in the next batch
    files = [write(tmp_path / "in" / f"f{i:02d}.txt", f"{EN_TEXT}\nitem {i}\n") for i in range(n)]
    targets = expand_targets([str(tmp_path)], exclude=[vhome.settings.home])
    assert len(targets) == n
    gone = files[BATCH + 5]

    def on_outcome(o: Any) -> None:
        if o.target.endswith("f02.txt"):
            gone.unlink()

    rep = ingest(vhome, targets, extract=False, on_outcome=on_outcome)
    assert [Path(o.target).name for o in rep.failed] == [gone.name]
    assert rep.failed[0].reason == "no such file (missing or vanished)"
    assert n_docs(vhome) == n - 1


def test_thousand_files_some_bad(vhome: Home, tmp_path: Path) -> None:
    d = tmp_path / "many"
    bad = set()
    for i in range(1000):
        sub = d / f"batch{i // 100}"
        if i % 97 == 0:
            write(sub / f"doc{i:04d}.txt", b"")
            bad.add(i)
        elif i % 101 == 0:
            write(sub / f"doc{i:04d}.pdf", b"not a pdf at all " * 10)
            bad.add(i)
        else:
            write(sub / f"doc{i:04d}.txt", f"Report {i}: {EN_TEXT if i % 2 else AR_TEXT}")
    t0 = time.perf_counter()
    rep = ingest(vhome, expand_targets([str(d)]), extract=False)
    took = time.perf_counter() - t0
    assert len(rep.outcomes) == 1000
    assert len(rep.failed) == len(bad)
    assert {int(Path(o.target).stem[3:]) for o in rep.failed} == bad
    assert n_docs(vhome) == 1000 - len(bad)
    assert took < 180  # ~6 s on an idle 2-core VM (fsync per file)
    assert verify(vhome).ok


# --- URLs -----------------------------------------------------------------------------------------


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/missing":
            self.send_error(404)
            return
        body = HTML_PAGE.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


def test_url_is_stored_as_warc_with_headers(vhome: Home, server: str) -> None:
    rep = ingest(vhome, [server + "/report"], labels=["web"], extract=False)
    assert rep.ok, rep.failed
    (o,) = rep.outcomes
    assert o.children == 1 and o.media_type == "application/warc"
    with vhome.session() as s:
        parent = s.get(Document, o.document_id)
        kid = s.scalars(select(Document).where(Document.parent_id == o.document_id)).one()
    assert parent is not None and parent.source_url == server + "/report"
    warc = vhome.vault.path_for(parent.sha256).read_bytes()
    import gzip

    raw = gzip.decompress(warc)
    assert b"WARC-Type: request" in raw and b"WARC-Type: response" in raw
    assert b"Content-Type: text/html; charset=utf-8" in raw
    assert "helicopters dropped barrels" in kid.norm_text
    assert verify(vhome).ok


def test_offline_or_failing_url_stores_nothing(vhome: Home, server: str) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{sock.getsockname()[1]}/x"
    rep = ingest(vhome, [closed, server + "/missing"], extract=False)
    reasons = [o.reason for o in rep.failed]
    assert reasons[0].startswith("cannot fetch (ConnectionError")
    assert reasons[1] == "server answered HTTP 404 Not Found"
    assert n_docs(vhome) == 0 and n_blobs(vhome) == 0


# --- extraction -----------------------------------------------------------------------------------


def test_extraction_results_are_stored(vhome: Home, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bayyina.extract import api

    def fake(text: str, *, source: str, language: str | None = None) -> dict[str, Any]:
        start = text.index("Khan Shaykhun")
        ev = {"start": start, "end": start + 13, "text": text[start : start + 13]}
        return {"source": source, "language": language, "incidents": [{"agents": ["sarin"], "evidence": [ev]}]}

    monkeypatch.setattr(api, "extract_document", fake)
    rep = ingest(vhome, [str(write(tmp_path / "ks.txt", EN_TEXT))])
    assert rep.outcomes[0].incidents == 1
    with vhome.session() as s:
        run = s.scalars(select(ExtractionRun)).one()
        inc = s.scalars(select(IncidentReport)).one()
        doc = s.get(Document, run.document_id)
    assert run.result["source"] == "ks.txt" and run.result["language"] == "en"
    assert doc is not None and doc.norm_text[inc.data["evidence"][0]["start"]:].startswith("Khan Shaykhun")
    assert verify(vhome).ok


def test_failing_extractor_does_not_stop_ingest(vhome: Home, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bayyina.extract import api

    def broken(text: str, *, source: str, language: str | None = None) -> dict[str, Any]:
        raise RuntimeError("boom")

    monkeypatch.setattr(api, "extract_document", broken)
    rep = ingest(vhome, [str(write(tmp_path / "a.txt", EN_TEXT))])
    assert rep.ok and rep.outcomes[0].incidents is None
    assert any("boom" in w for w in rep.warnings)
    with vhome.session() as s:
        assert s.scalar(select(func.count()).select_from(ExtractionRun)) == 0
    assert verify(vhome).ok
