"""Span and field marks in the store: migration 0010, marking and unmarking logged in the custody
log (without the marked text), ``verify`` catching a mark changed or removed behind bayyina's back,
matching a name in Arabic and English text, and the redaction of texts and incidents. SQLite and
PostgreSQL for what touches the database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import inspect, select, text

from bayyina.settings import Settings
from bayyina.store.db import MIGRATIONS_DIR, make_engine, migrate
from bayyina.store.models import CustodyEntry
from bayyina.store.models_sensitivity import SensitiveField, SensitiveSpan
from bayyina.vault.marks import MarkError, find_text, mark_field, mark_span, span_marks, unmark
from bayyina.vault.redact import HiddenMarks, hidden_marks, redact_chosen, redact_text
from bayyina.vault.verify import verify
from tests.span_support import WITNESS, build, open_home


def test_0010_down_and_up(database_url: str) -> None:
    engine = make_engine(Settings.load().database_url)
    try:
        migrate(engine)
        assert {"sensitive_spans", "sensitive_fields"} <= set(inspect(engine).get_table_names())
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0009_publish")
        assert not {"sensitive_spans", "sensitive_fields"} & set(inspect(engine).get_table_names())
        migrate(engine)
        assert {"sensitive_spans", "sensitive_fields"} <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_marks_are_logged_and_verified(database_url: str, home: Path) -> None:
    m = build(home, database_url)
    h = open_home(home, database_url)
    try:
        assert verify(h).ok
        with h.session() as s:
            entries = list(s.scalars(select(CustodyEntry).where(
                CustodyEntry.action.in_(["span-marked", "field-marked"])).order_by(CustodyEntry.seq)))
            assert [e.action for e in entries] == ["span-marked", "span-marked", "field-marked", "field-marked"]
            assert entries[0].subject == f"document:{m.docs['wire.txt']}"
            assert entries[2].subject == f"incident:{m.khan}"
            assert all("Khalil" not in e.payload for e in entries)  # offsets, never the text
            first = json.loads(entries[0].payload)
            assert first["level"] == "restricted" and first["why"] == "witness identity"
            marks = span_marks(s, m.docs["wire.txt"])
            assert [x.text for x in marks] == [WITNESS, WITNESS]
            hidden = hidden_marks(s, "partner")
            assert len(hidden.spans[m.docs["wire.txt"]]) == 2 and hidden.fields == {m.khan: {"place": "restricted"}}
            assert not hidden_marks(s, "restricted")
            # unmark one occurrence: logged, still verifiable
            unmark(s, str(m.span_ids[1]), "second mention is public knowledge", "tester")
            s.commit()
            assert len(hidden_marks(s, "partner").spans[m.docs["wire.txt"]]) == 1
        assert verify(h).ok
        # a mark lowered in the database, outside bayyina
        with h.session() as s:
            s.execute(text("UPDATE sensitive_spans SET level = 'public' WHERE id = :i"), {"i": m.span_ids[0]})
            s.commit()
        rep = verify(h)
        assert not rep.ok and any(f"sensitive span {m.span_ids[0]}" in str(p) for p in rep.problems), rep.problems
        # a field mark deleted outside bayyina
        with h.session() as s:
            s.execute(text("UPDATE sensitive_spans SET level = 'restricted' WHERE id = :i"), {"i": m.span_ids[0]})
            s.execute(text("DELETE FROM sensitive_fields WHERE incident_id = :i"), {"i": m.khan})
            s.commit()
        rep = verify(h)
        assert any("sensitive field" in str(p) and "missing" in str(p) for p in rep.problems), rep.problems
        assert not any(f"sensitive span {m.span_ids[0]}" in str(p) for p in rep.problems)
    finally:
        h.close()


def test_refusals(database_url: str, home: Path) -> None:
    m = build(home, database_url, marks=False)
    h = open_home(home, database_url)
    try:
        with h.session() as s:
            wire = m.docs["wire.txt"]
            for args, msg in [((wire, 5, 3), "outside its text"), ((wire, 0, 10_000), "outside its text"),
                              ((999, 0, 1), "no document 999")]:
                with pytest.raises(MarkError, match=msg):
                    mark_span(s, *args, "restricted", "x", "tester")
            with pytest.raises(MarkError, match="unknown sensitivity"):
                mark_span(s, wire, 0, 5, "secret", "x", "tester")
            with pytest.raises(MarkError, match="reason"):
                mark_span(s, wire, 0, 5, "partner", "  ", "tester")
            with pytest.raises(MarkError, match="unknown field 'colour'"):
                mark_field(s, m.khan, "colour", "partner", "x", "tester")
            with pytest.raises(MarkError, match="no incident 999"):
                mark_field(s, 999, "place", "partner", "x", "tester")
            with pytest.raises(MarkError, match="no span mark 42"):
                unmark(s, "42", "x", "tester")
            with pytest.raises(MarkError, match="bad mark id"):
                unmark(s, "thing:1", "x", "tester")
            row = mark_field(s, m.khan, "killed", "partner", "x", "tester")
            unmark(s, f"field:{row.id}", "done", "tester")
            with pytest.raises(MarkError, match="already removed"):
                unmark(s, f"field:{row.id}", "again", "tester")
            s.commit()
            assert s.scalar(select(SensitiveField.active).where(SensitiveField.id == row.id)) is False
            assert s.scalars(select(SensitiveSpan)).first() is None
    finally:
        h.close()


# --------------------------------------------------------------------------- no database


def test_find_text_arabic_and_english() -> None:
    ar = "قال الشاهد أحمد خليل إن الهجوم وقع، ثم تحدث لأحمد خليل طبيب. وأحمد خليلي شخص آخر."
    found = find_text(ar, "احمد خليل")  # no hamza in the query: the folded match finds أحمد
    assert [ar[a:b] for a, b in found] == ["أحمد خليل", "أحمد خليل"]  # after the proclitic ل too, not خليلي
    en = "Witness AHMAD Khalil spoke; Ahmadi Khalil did not; ahmad khalil again."
    assert [en[a:b] for a, b in find_text(en, "Ahmad Khalil")] == ["AHMAD Khalil", "ahmad khalil"]
    assert find_text(en, "  ") == []


def test_redact_text_moves_offsets() -> None:
    t = "abc NAME def NAME ghi"
    red = redact_text(t, [(4, 8, "restricted"), (13, 17, "partner")])
    assert red.text == "abc █████ [restricted] def █████ [partner] ghi"
    a, b = red.span(9, 12)  # "def"
    assert red.text[a:b] == "def"
    a, b = red.span(0, 6)  # into the first span: runs to the marker's end
    assert red.text[a:b] == "abc █████ [restricted]"
    assert red.span(18, 21) == (len(red.text) - 3, len(red.text))


def test_redact_chosen_fields_and_spans() -> None:
    rep_a = {"document_id": 1, "report_id": 1, "evidence": [{"start": 0, "end": 20, "text": "x"}]}
    rep_b = {"document_id": 2, "report_id": 2, "evidence": [{"start": 0, "end": 20, "text": "y"}]}
    chosen = {
        "place": {"values": [{"value": {"name": "Douma"}, "text": "Douma", "reports": [rep_a, rep_b]}],
                  "chosen": {"name": "Douma"}, "chosen_text": "Douma", "why": "2 sources"},
        "killed": {"values": [{"value": {"low": 9}, "text": "9", "reports": [rep_a]}],
                   "chosen": {"low": 9}, "chosen_text": "9", "why": "the only value"},
        "perpetrators": {"values": [], "chosen": ["x"], "chosen_text": "x", "why": "official finding Z"},
        "attributions": [{"by": "x", "document_id": 2}],
        "members": [{"report_id": 1, "document_id": 1}, {"report_id": 2, "document_id": 2}],
    }
    marks = HiddenMarks("public", spans={1: [(5, 9, "restricted")]}, fields={7: {"perpetrators": "partner"}})
    out = redact_chosen(chosen, {1, 2}, spans=marks.spans, fields=marks.fields_of(7))
    assert out["place"]["chosen"] == {"name": "Douma"} and len(out["place"]["values"][0]["reports"]) == 1
    assert out["killed"]["chosen"] is None and out["killed"]["values"] == []  # rested only on the marked span
    assert out["perpetrators"]["chosen"] is None and out["perpetrators"]["why"].startswith("withheld")
    assert out["attributions"] == []  # marking perpetrators withholds attributions too
    assert chosen["killed"]["chosen"] == {"low": 9}  # the input is not changed
