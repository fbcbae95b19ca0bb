"""``bayyina actors ...`` end to end on SQLite and PostgreSQL: add, list, show, match, relate, commanders."""

from __future__ import annotations

from typing import Any

import pytest

from bayyina.settings import Settings
from bayyina.vault.home import Home
from tests.resolve.actor_samples import make_incident


def _ok(cli: Any, *args: str) -> str:
    r = cli(*args)
    assert r.exit_code == 0, r.output
    return " ".join(str(r.output).split())


def test_actors_cli(database_url: str, cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from bayyina.cli.vault_cmds import out

    monkeypatch.setattr(out, "_width", 250)  # tables on one line each, whatever the terminal
    monkeypatch.setenv("BAYYINA_USER", "analyst")
    _ok(cli, "init")
    assert "added actor #1 Maj. Gen. Jamil Hassan" in _ok(
        cli, "actors", "add", "person", "--name-en", "Maj. Gen. Jamil Hassan", "--name-ar", "اللواء جميل حسن",
        "--why", "EU Official Journal")
    o = _ok(cli, "actors", "add", "person", "--name-ar", "جميل الحسن")
    assert "possible duplicate: #1 Maj. Gen. Jamil Hassan" in o
    _ok(cli, "actors", "add", "unit", "--name-en", "Air Force Intelligence", "--name-ar", "المخابرات الجوية")
    _ok(cli, "actors", "add", "organization", "--name-en", "Syrian Arab Air Force")

    o = _ok(cli, "actors", "list", "--kind", "person")
    assert "actors (2)" in o and "major general" in o and "draft" in o
    o = _ok(cli, "actors", "match", "Jamil Hasan")
    assert "#1 Maj. Gen. Jamil Hassan" in o and "#2 جميل الحسن" in o and "skeleton" in o
    assert "no actor matches" in _ok(cli, "actors", "match", "Ali Mamlouk")

    o = _ok(cli, "actors", "relate", "1", "commands", "Air Force Intelligence", "--from", "2009-01-01",
            "--to", "2019-07-08", "--source", "EU OJ L 2012")
    assert "relation #1: #1 Maj. Gen. Jamil Hassan commands #3 Air Force Intelligence, 2009-01-01 to 2019-07-08" in o
    _ok(cli, "actors", "relate", "3", "subordinate_to", "4")
    o = _ok(cli, "actors", "commanders", "3", "--on", "2017-04-04")
    assert "#1 Maj. Gen. Jamil Hassan" in o and "#4 Syrian Arab Air Force" in o and "unknown" in o
    o = _ok(cli, "actors", "commanders", "3", "--on", "2020-01-01")
    assert "Jamil" not in o
    h = Home.open(Settings.load())
    try:
        one_day, two_days = make_incident(h, "2017-04-04"), make_incident(h, "2019-07-01", "2019-07-10")
    finally:
        h.close()
    o = _ok(cli, "actors", "commanders", "3", "--incident", str(one_day))
    assert f"on 2017-04-04 (incident {one_day})" in o and "#1 Maj. Gen. Jamil Hassan" in o
    o = _ok(cli, "actors", "commanders", "3", "--incident", str(two_days))  # command ended on 2019-07-08
    assert o.count("Jamil") == 1 and "on 2019-07-01" in o and "on 2019-07-10" in o

    o = _ok(cli, "actors", "show", "1")
    assert "names: Maj. Gen. Jamil Hassan | اللواء جميل حسن" in o and "rank: major general" in o
    assert "commands #3 Air Force Intelligence, 2009-01-01 to 2019-07-08 [source: EU OJ L 2012]" in o
    assert "analyst added — EU Official Journal" in o
    assert "possible duplicates (1)" in _ok(cli, "actors", "duplicates")
    assert "amended: aliases, rank" in _ok(cli, "actors", "amend", "1", "--alias", "Jamil al-Hassan",
                                           "--rank", "major general (ret.)", "--why", "retired 2019")
    assert "nothing changed" in _ok(cli, "actors", "amend", "1", "--rank", "major general (ret.)")
    o = _ok(cli, "actors", "show", "1")
    assert "Jamil al-Hassan" in o and "analyst amended — retired 2019" in o
    assert "now in_review" in _ok(cli, "actors", "review", "1", "in_review", "--why", "ready")
    assert "relation #1 retracted" in _ok(cli, "actors", "unrelate", "1", "--why", "wrong")

    for args, message in [
        (["actors", "add", "militia", "--name-en", "X"], "unknown actor kind 'militia'"),
        (["actors", "add", "person"], "an actor needs a name"),
        (["actors", "show", "Jamil Hasan"], "unknown actor 'Jamil Hasan'; did you mean #1"),
        (["actors", "show", "42"], "unknown actor #42"),
        (["actors", "relate", "1", "commands", "3", "--from", "2019-02-29"], "impossible date"),
        (["actors", "relate", "3", "commands", "1"], "a unit cannot be the subject of commands"),
        (["actors", "relate", "1", "commands", "3", "--from", "2019-01-01", "--to", "2018-01-01"],
         "end 2018-01-01 is before start 2019-01-01"),
        (["actors", "commanders", "3", "--on", "yesterday"], "'yesterday' is not a date"),
        (["actors", "review", "1", "published"], "in_review: it can move to draft, approved, not published"),
        (["actors", "commanders", "3"], "give either --on DAY or --incident ID"),
        (["actors", "commanders", "3", "--incident", "99"], "unknown incident 99"),
    ]:
        r = cli(*args)
        assert r.exit_code == 1, (args, r.output)
        assert message in " ".join(r.output.split()), (args, r.output)
    assert "verify OK" in _ok(cli, "verify")
