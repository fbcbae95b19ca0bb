"""FollowTheMoney import and export on SQLite and PostgreSQL; the export is validated by followthemoney itself."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from followthemoney import model
from sqlalchemy import select

from bayyina.resolve.actors import add_actor
from bayyina.sanctions.designations import add_designation, delist
from bayyina.sanctions.ftm import import_file, write_export
from bayyina.store.models_actors import Actor, Designation
from bayyina.vault.home import Home
from bayyina.vault.verify import verify
from tests.vault.samples import open_home

U = "importer"

# A small OpenSanctions-style file written for this test (facts only; ids are made up).
ENTITIES: list[dict[str, Any]] = [
    {"id": "t-person-1", "schema": "Person",
     "properties": {"name": ["Jamil Hassan", "جميل حسن"], "alias": ["Jameel al-Hasan"], "nationality": ["sy"],
                    "position": ["Major General"]}},
    {"id": "t-org-1", "schema": "Organization",
     "properties": {"name": ["Scientific Studies and Research Centre"], "alias": ["SSRC", "CERS"],
                    "country": ["sy"]}},
    {"id": "t-sanction-1", "schema": "Sanction",
     "properties": {"entity": ["t-org-1"], "authority": ["European Union"], "program": ["CW regime"],
                    "provisions": ["Asset freeze", "Prohibition to make funds available"],
                    "startDate": ["2018-10-15"], "endDate": ["2019-10-16"], "reason": ["Chemical weapons research"]}},
    {"id": "t-sanction-2", "schema": "Sanction",
     "properties": {"entity": ["t-person-1"], "authority": ["OFAC"], "program": ["SYRIA"],
                    "provisions": ["Blocking"], "listingDate": ["2011-04-29"],
                    "reason": ["لدوره في القمع"]}},
    {"id": "t-sanction-3", "schema": "Sanction",
     "properties": {"entity": ["t-person-1"], "authority": ["France"], "program": ["L562-2"],
                    "startDate": ["2018-01-15"]}},
    {"id": "t-address-1", "schema": "Address", "properties": {"full": ["Barzeh, Damascus"]}},
    {"id": "t-odd-1", "schema": "Organization", "properties": {"name": "Odd Shapes Unit", "alias": [None, {"x": 1}],
                                                               "country": 7}},
    # bad ones
    {"id": "t-sanction-bad-entity", "schema": "Sanction",
     "properties": {"entity": ["t-nobody"], "authority": ["EU"], "startDate": ["2018-01-01"]}},
    {"id": "t-sanction-bad-dates", "schema": "Sanction",
     "properties": {"entity": ["t-org-1"], "authority": ["UK"], "startDate": ["2019-01-21"],
                    "endDate": ["2018-01-01"]}},
    {"id": "t-sanction-partial", "schema": "Sanction",
     "properties": {"entity": ["t-org-1"], "authority": ["UK"], "startDate": ["2019"]}},
    {"id": "t-sanction-authority", "schema": "Sanction",
     "properties": {"entity": ["t-org-1"], "authority": ["Atlantis"], "startDate": ["2019-01-21"]}},
]


@pytest.fixture
def h(database_url: str) -> Iterator[Home]:
    home = open_home()
    yield home
    home.close()


def _write(path: Path) -> Path:
    lines = [json.dumps(e, ensure_ascii=False) for e in ENTITIES]
    lines.insert(3, "{not json")
    lines.insert(4, json.dumps({"schema": "Person"}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_import_small_ftm_file(h: Home, tmp_path: Path) -> None:
    src = _write(tmp_path / "entities.ftm.json")
    with h.session() as s:
        rep = import_file(s, src, who=U)
        s.commit()
    assert (rep.actors_added, rep.designations_added, rep.skipped) == (3, 3, 1), rep.problems
    problems = "\n".join(rep.problems)
    assert len(rep.problems) == 6, problems
    assert f"{src}:4: not JSON" in problems
    assert f"{src}:5: not an FtM entity" in problems
    assert "Sanction t-sanction-bad-entity: entity 't-nobody' is unknown" in problems
    assert "Sanction t-sanction-bad-dates: expiry 2018-01-01 is before (or on) start 2019-01-21" in problems
    assert "Sanction t-sanction-partial: startDate: '2019' is not a full date" in problems
    assert "Sanction t-sanction-authority: unknown authority 'Atlantis'" in problems

    with h.session() as s:
        p = s.scalar(select(Actor).where(Actor.ftm_id == "t-person-1"))
        assert p is not None
        assert (p.kind, p.name_en, p.name_ar, p.aliases, p.rank, p.nationality) == (
            "person", "Jamil Hassan", "جميل حسن", ["Jameel al-Hasan"], "Major General", "sy")
        ds = {d.ftm_id: d for d in s.scalars(select(Designation))}
        eu = ds["t-sanction-1"]
        assert (eu.authority, eu.measures, eu.start_date, eu.expiry_date) == (
            "EU", ["asset_freeze", "funds_prohibition"], "2018-10-15", "2019-10-16")
        odd = s.scalar(select(Actor).where(Actor.ftm_id == "t-odd-1"))
        assert odd is not None and (odd.name_en, odd.aliases, odd.nationality) == ("Odd Shapes Unit", [], "7")
        us = ds["t-sanction-2"]
        assert (us.authority, us.measures, us.start_date, us.expiry_date, us.reasons_ar) == (
            "US", ["asset_freeze"], "2011-04-29", None, "لدوره في القمع")
        fr = ds["t-sanction-3"]  # no end date: France's 6 months; no provisions: an asset freeze
        assert (fr.authority, fr.expiry_date, fr.measures) == ("FR", "2018-07-15", ["asset_freeze"])

    with h.session() as s:  # the same file again adds nothing
        again = import_file(s, src, who=U)
        s.commit()
    assert (again.actors_added, again.actors_known, again.designations_added, again.designations_known) == (0, 3, 0, 3)
    assert verify(h).ok


def _validate_with_followthemoney(path: Path) -> list[dict[str, Any]]:
    """Every line is an FtM entity that followthemoney accepts as it is."""
    ents = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    ids = {e["id"] for e in ents}
    for data in ents:
        schema = model.get(data["schema"])
        assert schema is not None, data
        assert schema.validate(data) is None
        for req in schema.required:
            assert data["properties"].get(req), (data["id"], req)
        # cleaning by the library leaves the exported values as they are
        assert model.get_proxy(data, cleaned=False).to_dict() == data
        assert model.get_proxy(data).to_dict() == data, data
        proxy = model.get_proxy(data)
        for prop, _value in proxy.itervalues():
            if prop.type.name == "entity":
                assert proxy.get(prop) and all(v in ids for v in proxy.get(prop))
    return ents


def test_export_is_valid_ftm(h: Home, tmp_path: Path) -> None:
    with h.session() as s:
        p = add_actor(s, who=U, kind="person", name_en="Brig. Gen. Suhail al-Hassan", name_ar="العميد سهيل الحسن",
                      aliases=["Suheil Hasan"], nationality="SY").actor
        u = add_actor(s, who=U, kind="unit", name_en="Tiger Forces", name_ar="قوات النمر").actor
        add_actor(s, who=U, kind="person", name_en="Never Sanctioned")
        add_designation(s, who=U, authority="FR", programme="L562-2", actor=p, measure_names=["asset_freeze"],
                        start="2018-01-15", reasons_en="Chemical attacks", reasons_ar="هجمات كيميائية")
        d = add_designation(s, who=U, authority="EU", programme="CW regime", actor=u,
                            measure_names=["asset_freeze", "travel_ban"], start="2019-01-21")
        delist(s, d, who=U, why="test", on="2019-06-01")
        s.commit()
        out = tmp_path / "export.ftm.json"
        assert write_export(s, out) == 4
    ents = _validate_with_followthemoney(out)
    by_id = {e["id"]: e for e in ents}
    person = by_id[f"bayyina-actor-{p.id}"]
    assert person["schema"] == "Person"
    assert person["properties"]["nationality"] == ["sy"]  # "SY" cleaned by followthemoney
    assert set(person["properties"]["name"]) == {"Brig. Gen. Suhail al-Hassan", "العميد سهيل الحسن"}
    assert by_id[f"bayyina-actor-{u.id}"]["schema"] == "Organization"
    sanctions = [e for e in ents if e["schema"] == "Sanction"]
    fr = next(e for e in sanctions if e["properties"]["country"] == ["fr"])["properties"]
    assert fr["startDate"] == ["2018-01-15"] and fr["endDate"] == ["2018-07-15"]
    assert fr["provisions"] == ["Asset freeze"] and set(fr["reason"]) == {"Chemical attacks", "هجمات كيميائية"}
    eu = next(e for e in sanctions if e["properties"]["country"] == ["eu"])["properties"]
    assert eu["status"] == ["delisted"] and eu["endDate"] == ["2019-06-01"]
    assert not any("Never" in json.dumps(e) for e in ents)


def test_round_trip_keeps_ids(h: Home, tmp_path: Path) -> None:
    src = _write(tmp_path / "in.json")
    with h.session() as s:
        import_file(s, src, who=U)
        s.commit()
        out = tmp_path / "out.json"
        write_export(s, out)
    ents = _validate_with_followthemoney(out)
    assert {e["id"] for e in ents} == {"t-person-1", "t-org-1", "t-sanction-1", "t-sanction-2", "t-sanction-3"}


def test_cli_import_and_export(database_url: str, cli: Any, tmp_path: Path) -> None:
    assert cli("init").exit_code == 0
    src = _write(tmp_path / "in.json")
    r = cli("sanctions", "import", str(src))
    assert r.exit_code == 1  # some lines refused, the rest imported
    assert "designations: 3 added" in r.output and "6 refused" in r.output and "Traceback" not in r.output
    r = cli("sanctions", "import", str(tmp_path / "missing.json"))
    assert r.exit_code == 1 and "missing.json: cannot read" in r.output
    r = cli("sanctions", "export", str(tmp_path / "out.json"))
    assert r.exit_code == 0 and "wrote 5 FtM entities" in r.output
    _validate_with_followthemoney(tmp_path / "out.json")
    r = cli("sanctions", "export", str(tmp_path / "no" / "such" / "dir.json"))
    assert r.exit_code == 1 and "cannot write" in r.output
    assert "verify OK" in cli("verify").output
