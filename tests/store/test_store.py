"""The store on SQLite and PostgreSQL: migrations, round trips, the log, checkpoints, extraction rows."""

from __future__ import annotations

import itertools
from pathlib import Path

from sqlalchemy import inspect, select, text

from bayyina.store.db import current_revision, make_engine, migrate
from bayyina.store.models import Checkpoint, CustodyEntry, Document, ExtractionRun, IncidentReport
from bayyina.vault import custody
from bayyina.vault.extraction import reextract_stored, store_run
from bayyina.vault.home import Home
from bayyina.vault.ingest import ingest
from bayyina.vault.keys import make_checkpoint
from bayyina.vault.verify import verify
from tests.vault.samples import AR_TEXT, EN_TEXT, write

TABLES = {"documents", "custody_log", "checkpoints", "extraction_runs", "incident_reports", "alembic_version"}


def _script_head() -> str | None:
    """The newest revision shipped in the package (one head: migrations form a single line)."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from bayyina.store.db import MIGRATIONS_DIR

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return ScriptDirectory.from_config(cfg).get_current_head()


def test_init_migrates_to_head(dbhome: Home) -> None:
    assert TABLES <= set(inspect(dbhome.engine).get_table_names())
    head = _script_head()
    assert head is not None and current_revision(dbhome.engine) == head
    migrate(dbhome.engine)  # idempotent
    assert current_revision(dbhome.engine) == head


def test_sqlite_runs_in_wal(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


def test_document_round_trip_and_verify(dbhome: Home, tmp_path: Path) -> None:
    f1 = write(tmp_path / "in" / "en.txt", EN_TEXT)
    f2 = write(tmp_path / "in" / "ar.txt", AR_TEXT)
    rep = ingest(dbhome, [str(f1), str(f2)], labels=["douma", "batch-1"], source_url="https://example.org/x",
                 extract=False)
    assert rep.ok and [o.status for o in rep.outcomes] == ["ingested", "ingested"]
    with dbhome.session() as s:
        docs = list(s.scalars(select(Document).order_by(Document.id)))
        assert [d.language for d in docs] == ["en", "ar"]
        assert docs[0].labels == ["batch-1", "douma"]
        assert docs[0].source_url == "https://example.org/x"
        assert docs[1].norm_text.startswith("أفاد")
        assert docs[0].ingested_by
        assert custody.count(s) == 4  # ingested + text-extracted per document
        assert s.scalar(select(Checkpoint.seq)) == 4
    assert verify(dbhome).ok


def test_log_chain_and_checkpoint(dbhome: Home) -> None:
    with dbhome.session() as s:
        for i in range(5):
            custody.append(s, actor="tester", action="note", subject=f"test:{i}", payload={"i": i, "ar": "دوما"})
        s.commit()
        cp = make_checkpoint(s, dbhome.keys_dir)
        s.commit()
        assert cp is not None and cp.seq == 5
        entries = list(custody.entries(s))
        assert [e.seq for e in entries] == [1, 2, 3, 4, 5]
        assert entries[0].prev_hash == custody.GENESIS
        assert all(b.prev_hash == a.entry_hash for a, b in itertools.pairwise(entries))
        assert list(custody.check_chain(entries)) == []
        assert make_checkpoint(s, dbhome.keys_dir).id == cp.id  # type: ignore[union-attr]
    assert verify(dbhome).ok


def test_extraction_rows_are_covered(dbhome: Home, tmp_path: Path) -> None:
    ingest(dbhome, [str(write(tmp_path / "a.txt", EN_TEXT))], extract=False)
    result = {"source": "a.txt", "language": "en", "incidents": [
        {"place": {"name": "Khan Shaykhun"}, "evidence": [{"start": 0, "end": 10, "text": "On 4 April"}]},
        {"place": None, "evidence": []},
    ]}
    with dbhome.session() as s:
        doc = s.scalars(select(Document)).one()
        store_run(s, doc, result, "tester")
        s.commit()
        assert s.scalar(select(ExtractionRun.result)) == result
        reps = list(s.scalars(select(IncidentReport).order_by(IncidentReport.idx)))
        assert [r.idx for r in reps] == [0, 1] and reps[0].data["evidence"][0]["text"] == "On 4 April"
    assert verify(dbhome).ok
    with dbhome.engine.begin() as conn:
        conn.execute(text("UPDATE incident_reports SET data = :d WHERE idx = 0"), {"d": '{"place": null}'})
    problems = [str(p) for p in verify(dbhome).problems]
    assert len(problems) == 1 and problems[0].startswith("incident report ")


def test_reextract_keeps_old_runs(dbhome: Home, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from bayyina.extract import api

    calls: list[str] = []

    def fake(text: str, *, source: str, language: str | None = None) -> dict:  # type: ignore[type-arg]
        calls.append(source)
        return {"source": source, "language": language, "incidents": [{"agents": ["sarin"], "evidence": []}]}

    monkeypatch.setattr(api, "extract_document", fake)
    ingest(dbhome, [str(write(tmp_path / "a.txt", EN_TEXT))])
    with dbhome.session() as s:
        rep = reextract_stored(s, actor="tester")
        assert len(rep.runs) == 1 and rep.incidents == 1
        runs = list(s.scalars(select(ExtractionRun).order_by(ExtractionRun.id)))
        assert len(runs) == 2 and runs[0].id != runs[1].id
        assert s.scalar(select(CustodyEntry.action).order_by(CustodyEntry.seq.desc()).limit(1)) == "extracted"
    assert calls == ["a.txt", "a.txt"]
    assert verify(dbhome).ok
