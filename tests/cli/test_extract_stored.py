"""Ingest stores incident reports; ``bayyina extract --stored`` adds a run, keeps the old one,
and the custody log still verifies — on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, func, select

from bayyina.store.models import ExtractionRun, IncidentReport

REPORT = (
    "ألقت مروحيات النظام يوم 16 آذار 2015 براميل تحمل غاز الكلور على بلدة سرمين بريف إدلب، "
    "ما أدى إلى مقتل ستة أشخاص من عائلة واحدة، بحسب الدفاع المدني السوري."
)


def test_ingest_extracts_and_stored_rerun_keeps_history(cli: Any, database_url: str, tmp_path: Path) -> None:
    src = tmp_path / "sarmin.txt"
    src.write_text(REPORT, encoding="utf-8")
    assert cli("init").exit_code == 0
    res = cli("ingest", str(src))
    assert res.exit_code == 0, res.output

    engine = create_engine(database_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as c:
        runs = c.execute(select(ExtractionRun)).mappings().all()
        reports = c.execute(select(IncidentReport)).mappings().all()
    assert len(runs) == 1 and runs[0]["extractor_version"].startswith("bayyina-rules-")
    assert len(reports) == 1
    inc = reports[0]["data"]
    assert inc["place"]["name"] == "Sarmin" and inc["agents"] == ["chlorine"] and inc["killed"]["low"] == 6
    assert inc["evidence"] and all(ev["text"] for ev in inc["evidence"])

    res = cli("extract", "--stored")
    assert res.exit_code == 0, res.output
    with engine.connect() as c:
        assert c.execute(select(func.count()).select_from(ExtractionRun)).scalar_one() == 2
        assert c.execute(select(func.count()).select_from(IncidentReport)).scalar_one() == 2
    engine.dispose()
    assert cli("verify").exit_code == 0
