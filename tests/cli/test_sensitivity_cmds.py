"""``bayyina documents mark / marks / unmark`` and ``bayyina incidents mark-field / marks / unmark``:
marks made and listed, clear one-line refusals (exit 1), the custody log and ``verify`` after them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.span_support import WITNESS, build


def _ok(r: Any) -> str:
    assert r.exit_code == 0, r.output
    return str(r.output)


def _refused(r: Any, *words: str) -> None:
    assert r.exit_code == 1, r.output
    assert "error:" in r.output and all(w in r.output for w in words), r.output


def test_mark_list_unmark(cli: Any, home: Path, monkeypatch: Any) -> None:
    url = f"sqlite:///{home / 'bayyina.sqlite3'}"
    monkeypatch.setenv("BAYYINA_DATABASE_URL", url)
    m = build(home, url, marks=False)
    wire, khan = m.docs["wire.txt"], m.khan
    out = _ok(cli("documents", "mark", str(wire), "--text", "ahmad KHALIL", "--level", "restricted",
                  "--reason", "witness identity"))
    assert out.count("is restricted") == 2
    out = _ok(cli("documents", "mark", str(wire), "--start", "0", "--end", "6", "--level", "partner",
                  "--reason", "dateline"))
    assert "[0, 6) is partner" in out
    listed = _ok(cli("documents", "marks", str(wire)))
    assert "Khalil" in listed and "DOUMA" in listed and "witness" in listed
    out = _ok(cli("incidents", "mark-field", str(khan), "perpetrators", "--level", "partner", "--reason", "review"))
    assert "perpetrators is partner" in out
    assert "perpetrators" in _ok(cli("incidents", "marks", str(khan)))
    _ok(cli("documents", "unmark", "3", "--reason", "dateline is public"))
    assert "DOUMA" not in _ok(cli("documents", "marks", str(wire)))
    assert "DOUMA" in _ok(cli("documents", "marks", str(wire), "--all"))
    _ok(cli("incidents", "unmark", "field:1", "--reason", "review done"))
    assert "no field marks" in _ok(cli("incidents", "marks", str(khan)))
    log = _ok(cli("log", "--document", str(wire), env={"COLUMNS": "400"}))
    assert "span-marked" in log and "span-unmarked" in log and WITNESS not in log
    assert "verify OK" in _ok(cli("verify"))


def test_refusals(cli: Any, home: Path, monkeypatch: Any) -> None:
    url = f"sqlite:///{home / 'bayyina.sqlite3'}"
    monkeypatch.setenv("BAYYINA_DATABASE_URL", url)
    m = build(home, url, marks=False)
    wire = str(m.docs["wire.txt"])
    _refused(cli("documents", "mark", "999", "--text", "x", "--level", "partner", "--reason", "r"), "no document 999")
    _refused(cli("documents", "mark", wire, "--start", "10", "--end", "99999", "--level", "partner", "--reason", "r"),
             "outside its text")
    _refused(cli("documents", "mark", wire, "--text", "Nobody Here", "--level", "partner", "--reason", "r"),
             "does not occur")
    _refused(cli("documents", "mark", wire, "--text", "Douma", "--level", "secret", "--reason", "r"),
             "unknown sensitivity 'secret'")
    _refused(cli("incidents", "mark-field", str(m.khan), "colour", "--level", "partner", "--reason", "r"),
             "unknown field 'colour'")
    _refused(cli("incidents", "mark-field", "999", "place", "--level", "partner", "--reason", "r"), "no incident 999")
    _refused(cli("documents", "unmark", "77", "--reason", "r"), "no span mark 77")
    _refused(cli("documents", "marks", "999"), "no document 999")
    r = cli("documents", "mark", wire, "--level", "partner", "--reason", "r")
    assert r.exit_code == 2 and "--text" in r.output  # neither --text nor offsets: a usage error
