"""The incident register end to end through the CLI, on SQLite and PostgreSQL:
real ingest of texts written here, resolve, suggestions, judgements that survive
re-extraction, split history, confidence grades, findings, review, custody log and verify."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, select, text

from bayyina.store.db import normalize_url
from bayyina.store.models import IncidentReport
from bayyina.store.models_resolve import IncidentMember, Judgement

TEXTS: dict[str, dict[str, str]] = {
    # group -> file -> text; each group is ingested with its own --source-url (its outlet)
    "https://outlet-a.example/": {
        "douma_reuters.txt": (
            "DOUMA, Syria, April 8, 2018 (Reuters) - A chlorine attack on the town of Douma in Eastern Ghouta killed "
            "at least 42 people on Saturday, April 7, 2018, rescue workers said. The White Helmets accused Syrian "
            "government helicopters of dropping barrel bombs carrying chlorine."),
        "douma_later.txt": (
            "On April 20, 2018, residents of Douma reported a new chlorine attack on Douma that injured 5 people."),
        "kafr_zita_1.txt": (
            "Local activists said a helicopter dropped a barrel bomb filled with chlorine on Kafr Zita in Hama "
            "province on April 18, 2014, injuring dozens of people."),
        "sheikh_maqsoud_afp_1.txt": (
            "Aleppo (AFP) - A chlorine attack on the Sheikh Maqsoud district of Aleppo killed 3 people on Monday "
            "March 7, 2016, a monitor said."),
        "jobar.txt": (
            "Opposition activists accused government forces of using chlorine gas in Jobar on August 24, 2014, "
            "wounding 7 fighters. The Syrian army denied using chemical weapons in Jobar."),
    },
    "https://www.outlet-b.example/news": {
        "douma_medical.txt": (
            "Medical groups said on April 8, 2018 that a helicopter dropped a chlorine cylinder on Douma on "
            "April 7, 2018, killing 43 people. The Syrian government denied using chemical weapons in Douma."),
        "khan_shaykhun.txt": (
            "On April 4, 2017, an air strike with sarin on Khan Shaykhun in Idlib province killed at least 86 "
            "people, according to the WHO. Human Rights Watch accused the Syrian government."),
        "kafr_zita_2.txt": (
            "Doctors in Kafr Zita told our correspondent that chlorine gas dropped by helicopters on 18 April 2014 "
            "caused breathing problems for 100 people."),
        "sheikh_maqsoud_afp_2.txt": (
            "Aleppo (AFP) - A chlorine attack on the Sheikh Maqsoud district of Aleppo killed 3 people on Monday "
            "March 7, 2016, a monitor said. Posted on our website."),
        "douma_undated.txt": "Activists said a chlorine attack on Douma in Eastern Ghouta killed 9 people.",
    },
    "https://arabic-outlet.example/": {
        "douma_ar.txt": (
            "قال الدفاع المدني السوري إن مروحيات النظام ألقت براميل محملة بغاز الكلور على مدينة دوما في الغوطة "
            "الشرقية يوم السابع من نيسان 2018، ما أدى إلى مقتل 45 مدنياً."),
    },
}


def ok(res: Any) -> Any:
    assert res.exit_code == 0, res.output
    return res


def incidents(cli: Any, *args: str) -> list[dict[str, Any]]:
    out = ok(cli("incidents", "list", "--format", "jsonl", *args)).stdout
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def find(rows: list[dict[str, Any]], place: str, start: str | None) -> dict[str, Any]:
    hits = [r for r in rows if r["place"] == place and r["date_start"] == start]
    assert len(hits) == 1, (place, start, rows)
    return hits[0]


def members(engine: Any, incident_id: int, active: bool = True) -> set[int]:
    with engine.connect() as c:
        q = select(IncidentMember.incident_report_id).where(IncidentMember.incident_id == incident_id)
        if active:
            q = q.where(IncidentMember.active.is_(True))
        return set(c.execute(q).scalars())


def test_register_end_to_end(cli: Any, database_url: str, tmp_path: Path) -> None:
    ok(cli("init"))
    for url, files in TEXTS.items():
        d = tmp_path / url.split("//")[1].split("/")[0]
        d.mkdir()
        for name, body in files.items():
            (d / name).write_text(body, encoding="utf-8")
        ok(cli("ingest", "--source-url", url, str(d)))
    engine = create_engine(normalize_url(database_url))
    try:
        res = ok(cli("incidents", "resolve"))
        assert "created   incident" in res.stdout and "linked    finding iit-3-douma" in res.stdout
        rows = incidents(cli)

        # the same attack across documents is one incident; same place, another date is another
        douma = find(rows, "Douma", "2018-04-07")
        assert douma["reports"] == 3 and douma["documents"] == 3 and douma["sources"] == 3  # English and Arabic
        later = find(rows, "Douma", "2018-04-20")
        assert later["id"] != douma["id"] and later["reports"] == 1
        undated = find(rows, "Douma", None)

        # confidence: a finding confirms; independent outlets corroborate; one wire is one source; denials dispute
        assert douma["confidence"] == "confirmed"
        assert find(rows, "Khan Shaykhun", "2017-04-04")["confidence"] == "confirmed"
        assert find(rows, "Kafr Zita", "2014-04-18")["confidence"] == "corroborated"
        # a district is named by its city, as the extraction contract's annotators do
        sm = find(rows, "Aleppo", "2016-03-07")
        assert sm["documents"] == 2 and sm["sources"] == 1 and sm["confidence"] == "single-source"
        assert find(rows, "Jobar", "2014-08-24")["confidence"] == "disputed"
        assert later["confidence"] == "single-source"
        assert [r["id"] for r in incidents(cli, "--confidence", "corroborated")] == [find(rows, "Kafr Zita", "2014-04-18")["id"]]
        assert {r["id"] for r in incidents(cli, "--place", "دوما")} == {douma["id"], later["id"], undated["id"]}
        assert [r["id"] for r in incidents(cli, "--from", "2018-04-01", "--to", "2018-04-10")] == [douma["id"]]
        assert {r["id"] for r in incidents(cli, "--agent", "sarin")} == {find(rows, "Khan Shaykhun", "2017-04-04")["id"]}
        assert douma["id"] in {r["id"] for r in incidents(cli, "--perpetrator", "syrian-government")}
        bad = cli("incidents", "list", "--from", "April")
        assert bad.exit_code == 1 and "--from: 'April' is not a date" in bad.output
        csv_out = ok(cli("incidents", "list", "--format", "csv")).stdout
        assert csv_out.splitlines()[0].startswith("id,status,place") and len(csv_out.splitlines()) == len(rows) + 1

        # show: values side by side with documents and spans, the choice and why, findings, members
        shown = ok(cli("incidents", "show", str(douma["id"]))).stdout
        assert douma["killed"] == "45"
        for needle in ("≥42", "43", "45", "highest reported figure", "مقتل 45", "S/2125/2023", "denial", "official finding",
                       "agency:reuters", "host:outlet-b.example", "Medical groups said"):
            assert needle in shown, needle

        # suggestions below the threshold, with score and reasons
        sug = ok(cli("incidents", "suggest")).stdout
        assert f"{douma['id']} + {undated['id']}" in sug and "same place: Douma" in sug

        # refused requests
        res = cli("incidents", "merge", str(douma["id"]), str(douma["id"]), "--reason", "x")
        assert res.exit_code == 1 and f"cannot merge incident {douma['id']} with itself" in res.output
        res = cli("incidents", "merge", str(douma["id"]), "999", "--reason", "x")
        assert res.exit_code == 1 and "no incident 999" in res.output
        res = cli("incidents", "split", "999", "--reports", "1", "--reason", "x")
        assert res.exit_code == 1 and "no incident 999" in res.output

        # an analyst merges; the judgement survives re-extraction
        res = ok(cli("incidents", "merge", str(douma["id"]), str(undated["id"]), "--reason", "same attack, undated copy",
                     env={"BAYYINA_USER": "analyst-1"}))
        assert f"retired   incident {undated['id']} (now part of incident {douma['id']})" in res.stdout
        before = members(engine, douma["id"])
        assert len(before) == 4
        res = cli("incidents", "merge", str(douma["id"]), str(undated["id"]), "--reason", "again")
        assert res.exit_code == 1 and f"incident {undated['id']} is retired: it was merged into incident {douma['id']}" in res.output
        ok(cli("extract", "--stored"))
        res = ok(cli("incidents", "resolve"))
        assert "created" not in res.stdout
        after = members(engine, douma["id"])
        assert len(after) == 4 and not (after & before), "members moved to the new run's reports"
        assert len(incidents(cli)) == len(rows) - 1

        # split keeps history; the negative judgement is replayed by the next resolve
        with engine.connect() as c:
            reps = c.execute(select(IncidentReport.id, IncidentReport.data).where(IncidentReport.id.in_(after))).all()
        und_report = next(rid for rid, data in reps if data["date"] is None)
        res = cli("incidents", "split", str(douma["id"]), "--reports", "999999", "--reason", "x")
        assert res.exit_code == 1 and f"report(s) 999999 are not members of incident {douma['id']}" in res.output
        res = cli("incidents", "split", str(douma["id"]), "--reports", ",".join(map(str, after)), "--reason", "x")
        assert res.exit_code == 1 and "leaves nothing" in res.output
        res = ok(cli("incidents", "split", str(douma["id"]), "--reports", str(und_report), "--reason", "no date: not provable"))
        assert "created   incident" in res.stdout
        assert members(engine, douma["id"]) == after - {und_report}
        # every membership is kept: 3 first reports, 1 merged, 4 after re-extraction (1 of them now closed)
        assert len(members(engine, douma["id"], active=False)) == 8
        assert "no change" in ok(cli("incidents", "resolve")).stdout
        with engine.connect() as c:
            decisions = {d for (d,) in c.execute(select(Judgement.decision))}
        assert decisions == {"positive", "negative"}
        shown = ok(cli("incidents", "show", str(douma["id"]))).stdout
        assert "incident-members" in shown and "no date: not provable" in shown and "analyst-1" in shown

        # review states
        res = cli("incidents", "review", str(douma["id"]), "--state", "published", "--reason", "x")
        assert res.exit_code == 1 and "it can go to in_review, not published" in res.output
        ok(cli("incidents", "review", str(douma["id"]), "--state", "in_review", "--reason", "check figures"))
        ok(cli("incidents", "review", str(douma["id"]), "--state", "approved", "--reason", "figures checked"))

        # findings register
        fl = ok(cli("findings", "list")).stdout
        assert "iit-3-douma" in fl and "S/2017/904" in fl
        fs = ok(cli("findings", "show", "jim-7-khan-shaykhun")).stdout
        assert "Syrian Arab Republic" in fs and "Khan Shaykhun 2017-04-04" in fs
        assert cli("findings", "show", "nope").exit_code == 1
        kz = find(rows, "Kafr Zita", "2014-04-18")["id"]
        ok(cli("findings", "link", "jim-3-talmenes", str(kz), "--reason", "test: manual link"))
        assert find(incidents(cli), "Kafr Zita", "2014-04-18")["confidence"] == "confirmed"
        ok(cli("findings", "link", "jim-3-talmenes", str(kz), "--reason", "wrong place", "--unlink"))
        assert find(incidents(cli), "Kafr Zita", "2014-04-18")["confidence"] == "corroborated"
        ok(cli("findings", "link"))

        # every change is in the custody log; verify passes, and fails on a row edited behind our back
        with engine.connect() as c:
            actions = {a for (a,) in c.execute(text("SELECT action FROM custody_log"))}
        assert {"register-incident-created", "register-incident-members", "register-incident-retired",
                "register-judgement", "register-incident-review", "register-finding-loaded",
                "register-finding-linked", "register-finding-unlinked"} <= actions
        ok(cli("verify"))
        with engine.begin() as c:
            c.execute(text("UPDATE incidents SET confidence = 'confirmed' WHERE id = :i"), {"i": later["id"]})
        res = cli("verify")
        assert res.exit_code == 1 and f"incident {later['id']}: database row differs" in res.output
    finally:
        engine.dispose()
