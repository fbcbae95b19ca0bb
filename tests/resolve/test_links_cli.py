"""Incidents tied to actors, attribution rows, actor merges and unsure judgements, end to end
through the CLI on SQLite and PostgreSQL, with texts written here: codes seed actors once, a
re-resolve and a re-extraction never duplicate a row, a merge moves relations, names and links
(and an unmerge moves them back), bad input is refused, every change is in the custody log."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select, text

from bayyina.store.db import normalize_url
from bayyina.store.models_resolve import ActorCode, Attribution, IncidentActor

TEXTS: dict[str, dict[str, str]] = {
    "https://outlet-a.example/": {
        "ks_a.txt": (
            "On April 4, 2017, an air strike with sarin on Khan Shaykhun in Idlib province killed at least 86 "
            "people. Human Rights Watch accused the Syrian government of the attack."),
        "marea.txt": (
            "Activists said Islamic State fighters fired shells filled with mustard gas on Marea north of Aleppo "
            "on August 21, 2015, injuring 23 people."),
        "douma.txt": "On April 7, 2018, a chlorine attack on Douma in Eastern Ghouta killed 43 people, medics said.",
    },
    "https://outlet-b.example/": {
        "ks_b.txt": (
            "Doctors in Khan Shaykhun said sarin dropped by government aircraft on 4 April 2017 killed 80 people. "
            "The Syrian government denied using chemical weapons in Khan Shaykhun."),
        "douma_undated.txt": "Activists said a chlorine attack on Douma in Eastern Ghouta killed 9 people.",
    },
}


def ok(res: Any) -> str:
    assert res.exit_code == 0, res.output
    return " ".join(str(res.output).split())


def refused(res: Any, message: str) -> None:
    assert res.exit_code == 1, res.output
    assert message in " ".join(str(res.output).split()), res.output


def rows(cli: Any) -> list[dict[str, Any]]:
    out = cli("incidents", "list", "--format", "jsonl")
    assert out.exit_code == 0, out.output
    return [json.loads(line) for line in out.stdout.splitlines() if line.strip()]


def incident(cli: Any, place: str, start: str | None) -> int:
    hits = [r["id"] for r in rows(cli) if r["place"] == place and r["date_start"] == start]
    assert len(hits) == 1, (place, start, rows(cli))
    return int(hits[0])


def count(engine: Any, model: Any, *where: Any) -> int:
    with engine.connect() as c:
        return int(c.execute(select(func.count()).select_from(model).where(*where)).scalar_one())


def test_links_attributions_merge(cli: Any, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                  ) -> None:
    from bayyina.cli.vault_cmds import out

    monkeypatch.setattr(out, "_width", 400)
    monkeypatch.setenv("BAYYINA_USER", "analyst")
    ok(cli("init"))
    for url, files in TEXTS.items():
        d = tmp_path / url.split("//")[1].strip("/")
        d.mkdir()
        for name, body in files.items():
            (d / name).write_text(body, encoding="utf-8")
        ok(cli("ingest", "--source-url", url, str(d)))
    engine = create_engine(normalize_url(database_url))
    try:
        o = ok(cli("incidents", "resolve"))
        assert "code syrian-government → actor #" in o and "code isis → actor #" in o
        assert "attributions:" in o and "added" in o
        with engine.connect() as c:
            codes = dict(c.execute(select(ActorCode.code, ActorCode.actor_id)).all())
        gov, isis = codes["syrian-government"], codes["isis"]
        ks, marea = incident(cli, "Khan Shaykhun", "2017-04-04"), incident(cli, "Marea", "2015-08-21")

        # incidents show: linked actors and every attribution (reports and linked findings)
        o = ok(cli("incidents", "show", str(ks)))
        assert "linked actors" in o and f"#{gov} Government of the Syrian Arab Republic" in o
        for needle in ("perpetrator", "accused", "hrw", "allegation", "denial", "opcw-un-jim", "S/2017/904",
                       "2017-10-26", "Syrian Arab Republic", "Human Rights Watch accused"):
            assert needle in o, needle
        o = ok(cli("incidents", "show", str(marea)))
        assert f"#{isis} Islamic State in Iraq and the Levant" in o and "S/2016/738" in o

        # a second resolve and a re-extraction change nothing / update in place: never a duplicate
        n_att = count(engine, Attribution, Attribution.active.is_(True))
        n_links = count(engine, IncidentActor, IncidentActor.active.is_(True))
        assert n_att >= 5 and n_links >= 4
        assert "no change" in ok(cli("incidents", "resolve"))
        ok(cli("extract", "--stored"))
        o = ok(cli("incidents", "resolve"))
        assert "updated" in o and "seeded" not in o and "mapped" not in o
        assert count(engine, Attribution, Attribution.active.is_(True)) == n_att
        assert count(engine, Attribution) == n_att, "rows were updated, not closed and added"
        assert count(engine, IncidentActor, IncidentActor.active.is_(True)) == n_links
        assert count(engine, ActorCode) == 2

        # attributions list with filters; actors show lists incidents and claims
        o = ok(cli("attributions", "list", "--stance", "finding"))
        assert "S/2017/904" in o and "S/2016/738" in o and "allegation" not in o
        o = ok(cli("attributions", "list", "--incident", str(ks), "--stance", "denial"))
        assert "attributions (1)" in o and "syrian-government" in o
        o = ok(cli("attributions", "list", "--actor", str(isis)))
        assert f"{marea}" in o and "Khan" not in o
        o = ok(cli("actors", "show", str(gov)))
        assert f"incident {ks} Khan Shaykhun" in o and "perpetrator" in o and "finding" in o
        assert "attributions naming this actor:" in o and "hrw — allegation against syrian-government" in o
        for args, message in [
            (["attributions", "list", "--incident", "999"], "no incident 999"),
            (["attributions", "list", "--incident", "99999999999"], "no incident 99999999999"),
            (["actors", "show", "99999999999999"], "unknown actor #99999999999999"),
            (["attributions", "list", "--actor", "999"], "unknown actor #999"),
            (["attributions", "list", "--stance", "rumour"], "unknown stance 'rumour'"),
        ]:
            refused(cli(*args), message)

        # actor merge: the analyst's own record of the Syrian government absorbs the seeded one
        ok(cli("actors", "add", "organization", "--name-en", "Syrian Arab Government", "--name-ar", "الحكومة السورية"))
        ok(cli("actors", "add", "unit", "--name-en", "Syrian Arab Air Force"))
        ok(cli("actors", "add", "person", "--name-en", "Jamil Hassan"))
        with engine.connect() as c:
            ids = {n: i for i, n in c.execute(text("SELECT id, name_en FROM actors"))}
        mine, saaf, person = ids["Syrian Arab Government"], ids["Syrian Arab Air Force"], ids["Jamil Hassan"]
        ok(cli("actors", "relate", str(saaf), "subordinate_to", str(gov), "--from", "2011-01-01"))
        ok(cli("sanctions", "add", "EU", str(gov), "--programme", "test programme", "-m", "asset_freeze",
               "--start", "2018-10-15"))
        assert "designations:" not in ok(cli("actors", "show", str(mine)))
        assert f"#{gov} Government of the Syrian Arab Republic" in ok(cli("actors", "duplicates"))
        for args, message in [
            (["actors", "merge", str(mine), str(mine), "--why", "x"], f"cannot merge actor #{mine}"),
            (["actors", "merge", str(mine), "999", "--why", "x"], "unknown actor #999"),
            (["actors", "merge", str(mine), str(person), "--why", "x"], "only actors of one kind can be merged"),
            (["actors", "merge", str(mine), str(gov), "--why", " "], "a merge needs --why"),
            (["actors", "merge", str(saaf), str(gov), "--why", "x"], "only actors of one kind"),
            (["actors", "unmerge", str(gov), "--why", "x"], "is not merged into another actor"),
            (["actors", "relate", str(saaf), "subordinate_to", str(mine), "--from", "2019-02-30"], "impossible date"),
        ]:
            refused(cli(*args), message)
        o = ok(cli("actors", "merge", str(mine), str(gov), "--why", "same government, seeded twice"))
        assert f"merged actor #{gov} Government of the Syrian Arab Republic into #{mine}" in o
        assert "1 relation(s), 1 designation(s)" in o and f"linked actor #{mine} to incident {ks}" in o
        assert "designations:" in ok(cli("actors", "show", str(mine)))
        o = ok(cli("incidents", "show", str(ks)))
        assert f"#{mine} Syrian Arab Government" in o and f"#{gov} Government" not in o
        o = ok(cli("actors", "show", str(gov)))
        assert f"actor #{gov} was merged into #{mine}" in o and f"subordinate_to #{mine} Syrian Arab Government" in o
        assert "Syrian regime" in o and f"merged into this actor: #{gov}" in o and f"incident {ks}" in o
        assert f"#{gov} " not in ok(cli("actors", "list")) and "merged into" in ok(cli("actors", "list", "--all"))
        refused(cli("actors", "merge", str(mine), str(gov), "--why", "again"), "was already merged into")
        assert "no change" in ok(cli("incidents", "resolve")), "the code now stands for the kept actor"
        o = ok(cli("actors", "unmerge", str(gov), "--why", "keep the seeded record apart"))
        assert "undone" in o and f"linked actor #{gov} to incident {ks}" in o
        o = ok(cli("actors", "show", str(gov)))
        assert "was merged" not in o and f"subordinate_to #{gov}" in o and f"incident {ks}" in o
        o = ok(cli("actors", "show", str(mine)))
        assert "Syrian regime" not in o and "designations:" not in o

        # unsure: stored and shown, not applied; reject and merge supersede it
        douma, undated = incident(cli, "Douma", "2018-04-07"), incident(cli, "Douma", None)
        before = len(rows(cli))
        o = ok(cli("incidents", "unsure", str(douma), str(undated), "--reason", "cannot tell from the text"))
        assert "unsure whether incidents" in o and len(rows(cli)) == before
        o = ok(cli("incidents", "suggest"))
        assert f"{douma} + {undated}" in o and "unsure: judgement #" in o and "cannot tell from the text" in o
        assert "judgement (unsure" in ok(cli("incidents", "show", str(undated)))
        refused(cli("incidents", "unsure", str(douma), str(douma), "--reason", "x"), "cannot mark unsure incident")
        refused(cli("incidents", "reject", str(douma), "999", "--reason", "x"), "no incident 999")
        refused(cli("incidents", "reject", str(douma), str(undated), "--reason", " "), "a reject needs a reason")
        ok(cli("incidents", "reject", str(douma), str(undated), "--reason", "different attacks"))
        assert f"{douma} + {undated}" not in ok(cli("incidents", "suggest")) and len(rows(cli)) == before
        o = ok(cli("incidents", "merge", str(douma), str(undated), "--reason", "same attack after all"))
        assert f"retired incident {undated}" in o and len(rows(cli)) == before - 1

        # custody: every change logged; verify passes, and catches an attribution edited behind bayyina's back
        with engine.connect() as c:
            actions = {a for (a,) in c.execute(text("SELECT action FROM custody_log"))}
        assert {"register-actor-code", "register-incident-actors", "actor-merged", "actor-merged-into",
                "actor-unmerged", "register-judgement"} <= actions
        assert "verify OK" in ok(cli("verify"))
        with engine.begin() as c:
            c.execute(text("UPDATE attributions SET stance = 'finding' WHERE stance = 'denial'"))
        res = cli("verify")
        assert res.exit_code == 1 and "attribution" in res.output and "database row differs" in res.output
    finally:
        engine.dispose()
