"""The vault commands end to end (in-process Typer runner, real files, real SQLite)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization

from tests.vault.samples import AR_TEXT, EN_TEXT, make_pdf, make_warc, page, write


def test_commands_need_init(cli: Any) -> None:
    res = cli("documents", "list")
    assert res.exit_code == 2 and "run `bayyina init` first" in res.output


def test_init_ingest_list_show_log_verify(cli: Any, home: Path, tmp_path: Path) -> None:
    res = cli("init")
    assert res.exit_code == 0 and "keys      created" in res.output
    assert cli("init").exit_code == 0  # idempotent, keeps the keys
    d = tmp_path / "in"
    write(d / "en.txt", EN_TEXT)
    write(d / "ar.txt", AR_TEXT)
    write(d / "scan.pdf", make_pdf(None))
    write(d / "cap.warc.gz", make_warc([("https://example.org/p", page("P", EN_TEXT))]))
    res = cli("ingest", "--no-extract", "--label", "case-7", "--source-url", "https://ngo.example/drop", str(d))
    assert res.exit_code == 0, res.output
    assert "4 ingested, 0 already present, 0 refused; checkpoint at log entry #10" in res.output
    assert "needs OCR" in res.output and "1 pages" in res.output

    res = cli("documents", "list", "--label", "case-7")
    assert res.exit_code == 0 and "documents (5 stored)" in res.output
    res = cli("documents", "show", "1")
    assert res.exit_code == 0
    assert "text-extracted" in res.output and "https://ngo.example/drop" in res.output
    assert cli("documents", "show", "99").exit_code == 1

    res = cli("log", "--document", "2")
    assert res.exit_code == 0 and "document:2" in res.output and "document:1 " not in res.output

    res = cli("checkpoint")
    assert res.exit_code == 0 and "log entry #10" in res.output
    out = tmp_path / "pub.pem"
    res = cli("keys", "export-public", str(out))
    assert res.exit_code == 0
    serialization.load_pem_public_key(out.read_bytes())

    res = cli("verify")
    assert res.exit_code == 0 and "verify OK" in res.output

    blob = next(p for p in (home / "vault" / "sha256").glob("*/*/*") if p.read_bytes() == EN_TEXT.encode())
    os.chmod(blob, 0o644)
    blob.write_bytes(EN_TEXT.replace("70", "17").encode())
    res = cli("verify")
    assert res.exit_code == 1
    assert "(en.txt): original altered" in res.output
