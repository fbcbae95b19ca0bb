"""Confidence grades and value choices from report data alone (no database)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bayyina.resolve.confidence import grade
from bayyina.resolve.values import ReportView, incident_values
from bayyina.store.models_resolve import Finding

DOUMA = {"name": "Douma", "name_ar": "دوما", "lat": 33.57175, "lon": 36.4027, "geonames_id": 170592}


def report(killed: int, *, denial: bool = False, precision: str = "day") -> dict[str, Any]:
    start, end = ("2018-04-07", "2018-04-07") if precision == "day" else ("2018-04-01", "2018-04-30")
    atts = [{"by": "syrian-government", "against": "syrian-government", "stance": "denial"}] if denial else []
    return {"place": DOUMA, "date": {"start": start, "end": end, "precision": precision}, "agents": ["chlorine"],
            "means": ["helicopter"], "killed": {"low": killed, "high": killed}, "injured": None, "perpetrators": [],
            "attributions": atts, "evidence": [{"start": 0, "end": 20, "text": f"killing {killed} people"}]}


def finding(outcome: str) -> Finding:
    return Finding(code="f", body="opcw-iit", symbol="S/1/2020", title="t", date="2020-01-01", outcome=outcome,
                   conclusion="c", party="syrian-government", party_named="Syrian Arab Air Force", citation="u",
                   incidents=[{"place": "Douma", "start": "2018-04-07", "end": "2018-04-07", "agents": ["chlorine"]}],
                   loaded_at=datetime.now(UTC))


def test_grades_and_their_sentences() -> None:
    one, two = [report(9)], [report(9), report(12)]
    assert grade(one, {1: "host:a.example"}, []).grade == "single-source"
    g = grade(two, {1: "agency:reuters", 2: "agency:reuters"}, [])
    assert g.grade == "single-source" and "2 documents carry the same source" in g.reason
    g = grade(two, {1: "host:a.example", 2: "host:b.example"}, [])
    assert g.grade == "corroborated" and "2 independent sources" in g.reason
    g = grade([report(9, denial=True)], {1: "host:a.example"}, [])
    assert g.grade == "disputed" and "denial by syrian-government" in g.reason
    g = grade([report(9, denial=True)], {1: "host:a.example"}, [finding("use-attributed")])
    assert g.grade == "confirmed" and "S/1/2020" in g.reason and "denied by" in g.reason
    assert grade(one, {1: "host:a.example"}, [finding("use-not-established")]).grade == "disputed"


def test_values_side_by_side_and_the_choice() -> None:
    reps = [ReportView(1, 10, "host:a.example", report(9)), ReportView(2, 11, "host:b.example", report(12)),
            ReportView(3, 12, "host:c.example", report(12, precision="month"))]
    v = incident_values(reps, [])
    killed = v["killed"]
    assert {x["text"] for x in killed["values"]} == {"9", "12"}
    assert killed["chosen"] == {"low": 12, "high": 12} and "most independent sources" in killed["why"]
    nine = next(x for x in killed["values"] if x["text"] == "9")
    assert nine["reports"][0]["document_id"] == 10 and nine["reports"][0]["evidence"][0]["text"] == "killing 9 people"
    assert v["date"]["chosen"]["precision"] == "day" and "most independent sources" in v["date"]["why"]
    tie = incident_values([reps[2], reps[0]], [])
    assert tie["date"]["chosen"]["precision"] == "day" and "most specific" in tie["date"]["why"]
    with_finding = incident_values(reps, [finding("use-attributed")])
    assert with_finding["perpetrators"]["chosen"] == ["syrian-government"]
    assert "official finding S/1/2020" in with_finding["perpetrators"]["why"]
