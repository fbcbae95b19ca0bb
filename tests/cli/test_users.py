"""``bayyina users ...``: adding users (password from stdin), roles, clearance, disabling, API tokens.

Passwords are hashed with cheap argon2 parameters (``BAYYINA_ARGON2=fast``, tests only).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bayyina.settings import Settings
from bayyina.vault.home import Home
from bayyina.web import auth
from tests.conftest import CliRun

os.environ["BAYYINA_ARGON2"] = "fast"


@pytest.fixture
def inited(cli: CliRun) -> CliRun:
    assert cli("init").exit_code == 0
    return cli


def _open(home: Path) -> Home:
    return Home.open(Settings.load(home=home))


def test_add_list_roles_clearance_disable(inited: CliRun, home: Path) -> None:
    cli = inited
    r = cli("users", "add", "amal", "--role", "admin", "--password-stdin", input="a-long-password\n")
    assert r.exit_code == 0, r.output
    assert "clearance restricted" in r.output  # admins default to restricted
    r = cli("users", "add", "basil", "--role", "viewer", "--password-stdin", input="another-password\n")
    assert "clearance public" in r.output
    r = cli("users", "add", "camila", "--role", "analyst", "--clearance", "partner", "--password-stdin",
            input="third-password\n")
    assert "clearance partner" in r.output

    listed = cli("users", "list").output
    for word in ("amal", "basil", "camila", "admin", "viewer", "analyst", "partner"):
        assert word in listed
    assert "a-long-password" not in listed

    assert cli("users", "set-role", "basil", "reviewer").exit_code == 0
    assert cli("users", "set-clearance", "basil", "partner").exit_code == 0
    assert cli("users", "disable", "camila").exit_code == 0
    h = _open(home)
    try:
        with h.session() as s:
            basil = auth.need_user(s, "basil")
            assert (basil.role, basil.clearance) == ("reviewer", "partner")
            assert basil.password_hash.startswith("$argon2id$") and "another-password" not in basil.password_hash
            assert auth.authenticate(s, "basil", "another-password", "cli-test") is not None
            assert auth.authenticate(s, "camila", "third-password", "cli-test") is None  # disabled
    finally:
        h.close()
    assert cli("users", "enable", "camila").exit_code == 0


def test_refusals_are_one_clear_line(inited: CliRun) -> None:
    cli = inited
    assert cli("users", "add", "dina", "--role", "viewer", "--password-stdin", input="dina-password\n").exit_code == 0
    cases = [
        (("users", "add", "dina", "--role", "viewer", "--password-stdin"), "already exists"),
        (("users", "add", "eve", "--role", "boss", "--password-stdin"), "unknown role"),
        (("users", "add", "bad name", "--role", "viewer", "--password-stdin"), "bad user name"),
        (("users", "add", "fadi", "--role", "viewer", "--clearance", "secret", "--password-stdin"), "clearance"),
        (("users", "add", "ghada", "--role", "viewer", "--password-stdin"), "too short"),
        (("users", "set-role", "nobody", "admin"), "no user"),
        (("users", "token", "revoke", "bay_nothing"), "no API token"),
    ]
    for args, words in cases:
        r = cli(*args, input="short\n")
        assert r.exit_code == 1, (args, r.output)
        assert "error:" in r.output and words in r.output, (args, r.output)
        assert "Traceback" not in r.output
    # --exist-ok: a re-run (make demo) is not an error and changes nothing
    r = cli("users", "add", "dina", "--role", "admin", "--exist-ok", "--password-stdin", input="other-password\n")
    assert r.exit_code == 0 and "left unchanged" in r.output


def test_tokens_printed_once_and_revoked(inited: CliRun, home: Path) -> None:
    cli = inited
    cli("users", "add", "hala", "--role", "analyst", "--password-stdin", input="hala-password\n")
    made = cli("users", "token", "create", "hala", "--label", "scripts")
    assert made.exit_code == 0, made.output
    token = made.stdout.strip().splitlines()[-1]
    assert token.startswith("bay_") and len(token) > 40
    listed = cli("users", "token", "list").output
    assert "scripts" in listed and token not in listed and token[:12] in listed
    h = _open(home)
    try:
        with h.session() as s:
            assert auth.user_for_token(s, token) is not None
            assert token not in str([t.token_hash for t, _ in auth.list_tokens(s)])
    finally:
        h.close()
    assert cli("users", "token", "revoke", token[:12]).exit_code == 0
    h = _open(home)
    try:
        with h.session() as s:
            assert auth.user_for_token(s, token) is None
    finally:
        h.close()


def test_ingest_sensitivity_and_classify_are_logged(inited: CliRun, home: Path, tmp_path: Path) -> None:
    """``ingest --sensitivity`` sets the level of new documents; ``documents classify`` is its own custody entry."""
    import json

    from sqlalchemy import select

    from bayyina.store.models import CustodyEntry, Document

    cli = inited
    path = tmp_path / "witness.txt"
    path.write_text("A witness statement written for this test about a chlorine attack.\n", encoding="utf-8")
    r = cli("ingest", "--no-extract", "--sensitivity", "restricted", str(path))
    assert r.exit_code == 0, r.output
    bad = cli("ingest", "--sensitivity", "secret", str(path))
    assert bad.exit_code == 2 and "unknown sensitivity" in bad.output
    r = cli("documents", "classify", "1", "partner", "--reason", "shared with the partner network")
    assert r.exit_code == 0 and "restricted -> partner" in r.output
    assert "nothing changed" in cli("documents", "classify", "1", "partner", "--reason", "again").output
    for args, words in ((("documents", "classify", "7", "public", "--reason", "x"), "no document 7"),
                        (("documents", "classify", "1", "open", "--reason", "x"), "unknown sensitivity"),
                        (("documents", "classify", "1", "public", "--reason", " "), "reason")):
        r = cli(*args)
        assert r.exit_code == 1 and words in r.output, r.output
    h = _open(home)
    try:
        with h.session() as s:
            assert s.scalars(select(Document.sensitivity)).one() == "partner"
            entries = list(s.scalars(select(CustodyEntry).order_by(CustodyEntry.seq)))
    finally:
        h.close()
    ingested = json.loads(next(e for e in entries if e.action == "ingested").payload)
    assert ingested["sensitivity"] == "restricted"
    classified = [json.loads(e.payload) for e in entries if e.action == "classified"]
    assert len(classified) == 1
    assert classified[0]["from"] == "restricted" and classified[0]["to"] == "partner"
    assert classified[0]["why"] == "shared with the partner network"
    assert cli("verify").exit_code == 0
