"""The actor register on SQLite and PostgreSQL: add, match, duplicates, relations, command at a date, audit."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from sqlalchemy import select, text

from bayyina.resolve import actors as svc
from bayyina.resolve.actors import ActorError
from bayyina.store.models import CustodyEntry
from bayyina.store.models_actors import Actor, ActorRelation, Change
from bayyina.vault.home import Home
from bayyina.vault.verify import verify
from tests.resolve.actor_samples import make_incident
from tests.vault.samples import open_home

U = "analyst"


@pytest.fixture
def h(database_url: str) -> Iterator[Home]:
    home = open_home()
    yield home
    home.close()


def _setup(h: Home) -> dict[str, int]:
    """A small register: a general, a colonel, a unit and its superior unit."""
    with h.session() as s:
        ids = {}
        ids["hassan"] = svc.add_actor(s, who=U, kind="person", name_en="Maj. Gen. Jamil Hassan",
                                      name_ar="اللواء جميل حسن", nationality="sy", why="EU listing").actor.id
        ids["ibrahim"] = svc.add_actor(s, who=U, kind="person", name_en="Col. Mohammed Ibrahim").actor.id
        ids["unit"] = svc.add_actor(s, who=U, kind="unit", name_en="Brigade 63", name_ar="اللواء 63").actor.id
        ids["division"] = svc.add_actor(s, who=U, kind="unit", name_en="22nd Air Division").actor.id
        s.commit()
    return ids


def test_add_takes_rank_from_name_and_logs_every_change(h: Home) -> None:
    ids = _setup(h)
    with h.session() as s:
        a = s.get(Actor, ids["hassan"])
        assert a is not None and a.rank == "major general" and a.status == "draft"
        ch = s.scalars(select(Change).where(Change.kind == "actor", Change.row_id == a.id)).one()
        assert ch.who == U and ch.action == "added" and ch.why == "EU listing"
        assert ch.what["name_ar"] == "اللواء جميل حسن"
        entry = s.scalars(select(CustodyEntry).where(CustodyEntry.subject == f"actor:{a.id}")).one()
        assert entry.action == "actor-added" and entry.actor == U
        rows = json.loads(entry.payload)["rows"]
        assert f"actor:{a.id}" in rows and f"change:{ch.id}" in rows
    assert verify(h).ok


def test_match_across_scripts_and_variants(h: Home) -> None:
    ids = _setup(h)
    with h.session() as s:
        for q in ("Jamil Hasan", "جميل حسن", "Brigadier General Jameel al-Hassan", "hassan jamil"):
            found = svc.match(s, q)
            assert found and found[0].actor.id == ids["hassan"], (q, [m.match.explain() for m in found])
        assert svc.match(s, "Ali Mamlouk") == []
        assert svc.match(s, "Muhammad Ibrahim")[0].actor.id == ids["ibrahim"]
        with pytest.raises(ActorError, match="empty"):
            svc.match(s, "  ")


def test_add_suggests_duplicates_and_duplicates_lists_pairs(h: Home) -> None:
    ids = _setup(h)
    with h.session() as s:
        r = svc.add_actor(s, who=U, kind="person", name_ar="محمد إبراهيم")
        assert [m.actor.id for m in r.duplicates] == [ids["ibrahim"]]
        s.commit()
        pairs = svc.duplicates(s)
        assert [(p.a.id, p.b.id) for p in pairs] == [(ids["ibrahim"], r.actor.id)]
        # a unit never duplicates a person
        assert all(p.a.kind == p.b.kind for p in pairs)


def test_get_actor_by_id_name_and_clear_errors(h: Home) -> None:
    ids = _setup(h)
    with h.session() as s:
        assert svc.get_actor(s, str(ids["unit"])).id == ids["unit"]
        assert svc.get_actor(s, "#" + str(ids["unit"])).id == ids["unit"]
        assert svc.get_actor(s, "brigade 63").id == ids["unit"]
        assert svc.get_actor(s, "اللواء 63").id == ids["unit"]
        with pytest.raises(ActorError, match=r"unknown actor #999"):
            svc.get_actor(s, "999")
        with pytest.raises(ActorError, match=r"unknown actor 'Jamil Hasan'; did you mean #\d+ Maj. Gen. Jamil"):
            svc.get_actor(s, "Jamil Hasan")
        with pytest.raises(ActorError, match="unknown actor 'Nobody Known'; add it"):
            svc.get_actor(s, "Nobody Known")


def test_bad_actor_input(h: Home) -> None:
    with h.session() as s:
        with pytest.raises(ActorError, match="unknown actor kind 'militia'"):
            svc.add_actor(s, who=U, kind="militia", name_en="X")
        with pytest.raises(ActorError, match="needs a name"):
            svc.add_actor(s, who=U, kind="person", name_en="  ")


def test_command_at_a_date_walks_up_the_chain(h: Home) -> None:
    ids = _setup(h)
    with h.session() as s:
        g = {k: s.get(Actor, v) for k, v in ids.items()}
        assert all(g.values())
        hassan, ibrahim, unit, div = g["hassan"], g["ibrahim"], g["unit"], g["division"]
        assert hassan and ibrahim and unit and div
        svc.relate(s, who=U, subject=ibrahim, rel_type="commands", obj=unit, start="2015-01-01", end="2017-12-31",
                   source="report 12")
        svc.relate(s, who=U, subject=hassan, rel_type="commands", obj=unit, start="2018-01-01")
        svc.relate(s, who=U, subject=unit, rel_type="subordinate_to", obj=div, start="2010-01-01")
        svc.relate(s, who=U, subject=hassan, rel_type="commands", obj=div, start="2016-06-01", end="2019-01-01")
        s.commit()

        chain = svc.commanders(s, unit, "2017-04-04")
        assert [(c.level, c.unit.id, c.commander.id if c.commander else None) for c in chain] == [
            (0, unit.id, ibrahim.id), (1, div.id, hassan.id)]
        chain = svc.commanders(s, unit, "2018-02-25")
        assert [(c.level, c.commander.id if c.commander else None) for c in chain] == [
            (0, hassan.id), (1, hassan.id)]
        chain = svc.commanders(s, unit, "2014-05-01")  # nobody known; the division has no commander then
        assert [(c.level, c.commander) for c in chain] == [(0, None), (1, None)]
        chain = svc.commanders(s, unit, "2009-01-01")  # before the unit was under the division
        assert len(chain) == 1
        with pytest.raises(ActorError, match="is a person"):
            svc.commanders(s, hassan, "2017-01-01")
        with pytest.raises(ValueError, match="impossible date"):
            svc.commanders(s, unit, "2017-02-30")


def test_relation_validation(h: Home) -> None:
    ids = _setup(h)
    with h.session() as s:
        hassan, unit, div = (s.get(Actor, ids[k]) for k in ("hassan", "unit", "division"))
        assert hassan and unit and div
        with pytest.raises(ActorError, match="unknown relation 'leads'"):
            svc.relate(s, who=U, subject=hassan, rel_type="leads", obj=unit)
        with pytest.raises(ActorError, match="cannot be related to itself"):
            svc.relate(s, who=U, subject=unit, rel_type="subordinate_to", obj=unit)
        with pytest.raises(ActorError, match="a unit cannot be the subject of commands"):
            svc.relate(s, who=U, subject=unit, rel_type="commands", obj=div)
        with pytest.raises(ActorError, match="a person cannot be the object of member_of"):
            svc.relate(s, who=U, subject=unit, rel_type="member_of", obj=hassan)
        with pytest.raises(ValueError, match="end 2015-01-01 is before start 2016-01-01"):
            svc.relate(s, who=U, subject=hassan, rel_type="commands", obj=unit, start="2016-01-01", end="2015-01-01")
        with pytest.raises(ValueError, match="start: '2016-13-01' is an impossible date"):
            svc.relate(s, who=U, subject=hassan, rel_type="commands", obj=unit, start="2016-13-01")
        svc.relate(s, who=U, subject=hassan, rel_type="commands", obj=unit, start="2016-01-01", end="2017-01-01")
        with pytest.raises(ActorError, match="already records .* overlapping"):
            svc.relate(s, who=U, subject=hassan, rel_type="commands", obj=unit, start="2016-06-01")
        svc.relate(s, who=U, subject=hassan, rel_type="commands", obj=unit, start="2018-01-01")  # no overlap
        svc.relate(s, who=U, subject=unit, rel_type="subordinate_to", obj=div)
        with pytest.raises(ActorError, match="would make a cycle"):
            svc.relate(s, who=U, subject=div, rel_type="subordinate_to", obj=unit)
        s.commit()


def test_retract_keeps_the_row_and_review_moves(h: Home) -> None:
    ids = _setup(h)
    with h.session() as s:
        hassan, unit = s.get(Actor, ids["hassan"]), s.get(Actor, ids["unit"])
        assert hassan and unit
        rel = svc.relate(s, who=U, subject=hassan, rel_type="commands", obj=unit, start="2016-01-01")
        svc.retract_relation(s, rel.id, who="editor", why="wrong unit")
        with pytest.raises(ActorError, match="already retracted"):
            svc.retract_relation(s, rel.id, who="editor", why="again")
        assert svc.relations_of(s, hassan) == []
        assert [r.id for r in svc.relations_of(s, hassan, include_retracted=True)] == [rel.id]
        assert svc.commanders(s, unit, "2017-01-01")[0].commander is None

        with pytest.raises(ActorError, match="draft: it can move to in_review, not published"):
            svc.set_status(s, hassan, "published", who=U, why="")
        for st in ("in_review", "approved", "published"):
            svc.set_status(s, hassan, st, who="reviewer", why="checked")
        d = svc.amend_actor(s, hassan, who=U, why="alias from OJ", aliases=["Jamil al-Hassan"])
        assert d == {"aliases": [[], ["Jamil al-Hassan"]]}
        with pytest.raises(ActorError, match="cannot amend kind"):
            svc.amend_actor(s, hassan, who=U, why="", kind="unit")
        s.commit()
        n_rel = s.scalar(select(ActorRelation.status).where(ActorRelation.id == rel.id))
        assert n_rel == "retracted"
        actions = [c.action for c in s.scalars(select(Change).where(Change.kind == "actor",
                                                                      Change.row_id == hassan.id))]
        assert actions == ["added", "status", "status", "status", "amended"]
    assert verify(h).ok


def test_verify_catches_an_actor_or_relation_edited_behind_our_back(h: Home) -> None:
    ids = _setup(h)
    with h.session() as s:
        hassan, unit = s.get(Actor, ids["hassan"]), s.get(Actor, ids["unit"])
        assert hassan and unit
        rel = svc.relate(s, who=U, subject=hassan, rel_type="commands", obj=unit, start="2016-01-01")
        s.commit()
        rel_id = rel.id
    assert verify(h).ok
    with h.engine.begin() as c:
        c.execute(text("UPDATE actor_relations SET end_date = '2016-02-01' WHERE id = :i"), {"i": rel_id})
        c.execute(text("UPDATE actors SET name_en = 'Someone Else' WHERE id = :i"), {"i": ids["hassan"]})
    rep = verify(h)
    bad = {p.where for p in rep.problems}
    assert f"actor relation {rel_id}" in bad and f"actor {ids['hassan']}" in bad
    assert all("differs from what log entry" in p.reason for p in rep.problems)


def test_incident_dates(h: Home) -> None:
    one = make_incident(h, "2017-04-04")
    span = make_incident(h, "2018-04-07", "2018-04-08")
    undated = make_incident(h, None)
    merged = make_incident(h, "2017-04-04", merged_into=one)
    with h.session() as s:
        assert svc.incident_dates(s, one) == ("2017-04-04", "2017-04-04")
        assert svc.incident_dates(s, span) == ("2018-04-07", "2018-04-08")
        with pytest.raises(ActorError, match=f"incident {undated} has no date; give the day with --on"):
            svc.incident_dates(s, undated)
        with pytest.raises(ActorError, match=f"incident {merged} is retired: it was merged into incident {one}"):
            svc.incident_dates(s, merged)
        with pytest.raises(ActorError, match="unknown incident 999"):
            svc.incident_dates(s, 999)
