"""Each matching feature alone, the score, the agency detector and the register loader (no database)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bayyina.resolve import features as F
from bayyina.resolve.confidence import agency_of
from bayyina.resolve.findings import RegisterError, covers, load_register

DOUMA = {"name": "Douma", "name_ar": "دوما", "country": "SY", "lat": 33.57175, "lon": 36.4027, "geonames_id": 170592}
HARASTA = {"name": "Harasta", "name_ar": "حرستا", "country": "SY", "lat": 33.5586, "lon": 36.365, "geonames_id": None}
KS = {"name": "Khan Shaykhun", "name_ar": "خان شيخون", "lat": 35.44208, "lon": 36.65095, "geonames_id": 168325}


def inc(place: dict[str, Any] | None = DOUMA, start: str | None = "2018-04-07", end: str | None = None,
        agents: list[str] | None = None, means: list[str] | None = None, killed: int | None = None) -> dict[str, Any]:
    return {
        "place": place,
        "date": {"start": start, "end": end or start, "precision": "day"} if start else None,
        "agents": agents or ["chlorine"], "means": means or ["helicopter"],
        "killed": {"low": killed, "high": killed} if killed is not None else None,
    }


def test_same_place_by_id_and_by_normalised_name() -> None:
    assert F.same_place(inc(), inc()) is not None
    other = dict(DOUMA, geonames_id=None, name="al-Douma")
    f = F.same_place(inc(), inc(place=other))
    assert f is not None and "same place name" in f.reason
    assert F.same_place(inc(), inc(place=HARASTA)) is None
    assert F.norm_name("اللطامنة") == F.norm_name("لطامنة")


def test_near_place_within_15_km_and_far_apart() -> None:
    near = F.near_place(inc(), inc(place=HARASTA))
    assert near is not None and near.name == "near_place" and "km apart" in near.reason
    far = F.near_place(inc(), inc(place=KS))
    assert far is not None and far.weight < 0
    assert F.near_place(inc(), inc()) is None  # same place: the other feature speaks


def test_dates_overlap_near_and_far() -> None:
    assert F.date_match(inc(), inc(start="2018-04-06", end="2018-04-08")).name == "date_overlap"  # type: ignore[union-attr]
    assert F.date_match(inc(), inc(start="2018-04-09")).name == "date_near"  # type: ignore[union-attr]
    far = F.date_match(inc(), inc(start="2018-04-20"))
    assert far is not None and far.weight < 0 and "13 days" in far.reason
    assert F.date_match(inc(), inc(start=None)) is None


def test_agents_means_and_casualties() -> None:
    assert F.agents_match(inc(), inc(agents=["unspecified"])).weight > 0  # type: ignore[union-attr]
    assert F.agents_match(inc(), inc(agents=["sarin"])).weight < 0  # type: ignore[union-attr]
    assert F.shared_means(inc(), inc()) is not None
    assert F.shared_means(inc(), inc(means=["aircraft"])) is None
    assert F.casualties_close(inc(killed=42), inc(killed=43)) is not None
    assert F.casualties_close(inc(killed=9), inc(killed=43)) is None


def test_score_is_the_sum_and_is_explained() -> None:
    feats = F.compare(inc(killed=42), inc(killed=43))
    assert F.score(feats) == sum(f.weight for f in feats) >= F.config().merge_threshold
    assert "same place" in F.explain(feats) and "(+3)" in F.explain(feats)
    apart = F.compare(inc(), inc(start="2018-04-20"))
    assert F.score(apart) < F.config().merge_threshold


@pytest.mark.parametrize(("text", "agency"), [
    ("DOUMA, Syria, April 8 (Reuters) - A chlorine attack ...", "reuters"),
    ("BEIRUT (AFP) - ...", "afp"),
    ("دمشق (رويترز) - قال ...", "reuters"),
    ("إدلب - الأناضول: ...", "anadolu"),
    ("The map shows the area.", None),
])
def test_agency_of(text: str, agency: str | None) -> None:
    assert agency_of(text) == agency


def test_shipped_register_loads_and_covers_douma() -> None:
    entries = {e["id"]: e for e in load_register()}
    assert {"jim-3-talmenes", "jim-3-sarmin", "jim-4-qmenas", "jim-7-khan-shaykhun", "iit-1-ltamenah",
            "iit-3-douma", "unsg-ghouta-2013"} <= set(entries)
    douma = entries["iit-3-douma"]["incidents"][0]
    assert covers(douma, inc()) is not None
    assert covers(douma, inc(start="2018-04-20")) is None
    assert covers(douma, inc(place=HARASTA)) is not None  # 3.6 km away


def test_bad_register_names_the_file_and_entry(tmp_path: Path) -> None:
    bad = tmp_path / "reg.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(RegisterError, match="reg.json"):
        load_register(bad)
    entry = {"id": "x", "body": "nobody", "symbol": "S/1", "title": "t", "date": "2020-01-01", "outcome": "use-confirmed",
             "conclusion": "c", "party": None, "party_named": None, "citation": "u",
             "incidents": [{"place": "Douma", "start": "2018-04-07", "end": "2018-04-07"}]}
    bad.write_text(json.dumps({"findings": [entry]}), encoding="utf-8")
    with pytest.raises(RegisterError, match=r"finding #1 \(x\): unknown body 'nobody'"):
        load_register(bad)
