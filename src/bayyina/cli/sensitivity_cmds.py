"""Span and field sensitivity commands (issue 6), added to the ``documents`` and ``incidents`` groups.

``documents mark DOC (--text T | --start N --end M) --level L --reason R``,
``documents marks DOC [--all]``, ``documents unmark MARK --reason R``,
``incidents mark-field INCIDENT FIELD --level L --reason R``,
``incidents marks INCIDENT [--all]``. The services are in
:mod:`bayyina.vault.marks`; the rules in ``docs/web-auth.md``.
"""

from __future__ import annotations

from pathlib import Path

import typer
from sqlalchemy.orm import Session

from bayyina.cli.common import print_rows, run_transaction
from bayyina.cli.resolve_cmds import incidents_app
from bayyina.cli.vault_cmds import HomeOpt, documents_app, out

LevelOpt = typer.Option(..., "--level", help="public, partner or restricted.")
ReasonOpt = typer.Option(..., "--reason", help="Why (recorded in the custody log), e.g. 'witness identity'.")


def _refused() -> tuple[type[Exception], ...]:
    from bayyina.vault.marks import MarkError

    return (MarkError,)


def documents_mark(
    doc_id: int = typer.Argument(..., help="Document id."),
    text: str | None = typer.Option(None, "--text", help="Mark every occurrence of this text (folded match: "
                                    "Arabic letter forms, diacritics and case do not matter)."),
    start: int | None = typer.Option(None, "--start", help="Start offset in the normalised text."),
    end: int | None = typer.Option(None, "--end", help="End offset (exclusive) in the normalised text."),
    level: str = LevelOpt,
    reason: str = ReasonOpt,
    home: Path | None = HomeOpt,
) -> None:
    """Mark a span of a document (a witness's name, a phone number) at a sensitivity; logged."""
    from bayyina.vault.marks import MarkError, mark_span, mark_text

    if (text is None) == (start is None and end is None) or (text is None and (start is None or end is None)):
        raise typer.BadParameter("give either --text TEXT or both --start N and --end M")

    def go(s: Session, who: str) -> list[tuple[int, int, int]]:
        if text is not None:
            rows = mark_text(s, doc_id, text, level, reason, who)
        else:
            if start is None or end is None:  # checked above; for the type checker
                raise MarkError("give both --start and --end")
            rows = [mark_span(s, doc_id, start, end, level, reason, who)]
        return [(r.id, r.start, r.end) for r in rows]

    done = run_transaction(home, go, _refused())
    for mark_id, a, b in done:
        out.print(f"mark {mark_id}: document {doc_id} [{a}, {b}) is {level.strip().lower()}", markup=False)


def documents_marks(
    doc_id: int = typer.Argument(..., help="Document id."),
    all_: bool = typer.Option(False, "--all", help="Include removed marks."),
    home: Path | None = HomeOpt,
) -> None:
    """The span marks of a document, with the text they cover."""
    from bayyina.vault.marks import SpanMark, span_marks

    def go(s: Session, _who: str) -> list[SpanMark]:
        return span_marks(s, doc_id, include_removed=all_)

    marks = run_transaction(home, go, _refused())
    if not marks:
        out.print(f"document {doc_id}: no span marks")
        return
    print_rows(f"span marks of document {doc_id}", ("id", "start", "end", "level", "text", "reason", "by", "at", "active"),
               [(str(m.id), str(m.start), str(m.end), m.level, m.text, m.reason, m.created_by, m.created_at,
                 "yes" if m.active else "no") for m in marks])


def documents_unmark(
    mark_id: str = typer.Argument(..., help="Mark id: N or span:N (a span mark), field:N (a field mark)."),
    reason: str = ReasonOpt,
    home: Path | None = HomeOpt,
) -> None:
    """Remove a span or field mark (the mark stays in the history); logged."""
    from bayyina.vault.marks import unmark

    def go(s: Session, who: str) -> str:
        row = unmark(s, mark_id, reason, who)
        return f"document {row.document_id}" if hasattr(row, "document_id") else f"incident {row.incident_id}"

    where = run_transaction(home, go, _refused())
    out.print(f"mark {mark_id} removed from {where}", markup=False)


def incidents_mark_field(
    incident_id: int = typer.Argument(..., help="Incident id."),
    field: str = typer.Argument(..., help="place, date, agents, means, killed, injured, perpetrators or attributions."),
    level: str = LevelOpt,
    reason: str = ReasonOpt,
    home: Path | None = HomeOpt,
) -> None:
    """Mark one field of an incident at a sensitivity above its sources; logged."""
    from bayyina.vault.marks import mark_field

    def go(s: Session, who: str) -> tuple[int, str, str]:
        r = mark_field(s, incident_id, field, level, reason, who)
        return r.id, r.field, r.level

    mark_id, name, lvl = run_transaction(home, go, _refused())
    out.print(f"mark field:{mark_id}: incident {incident_id} {name} is {lvl}", markup=False)


def incidents_marks(
    incident_id: int = typer.Argument(..., help="Incident id."),
    all_: bool = typer.Option(False, "--all", help="Include removed marks."),
    home: Path | None = HomeOpt,
) -> None:
    """The field marks of an incident."""
    from bayyina.vault.marks import field_marks

    def go(s: Session, _who: str) -> list[tuple[str, ...]]:
        return [(f"field:{m.id}", m.field, m.level, m.reason, m.created_by,
                 m.created_at.isoformat(timespec="seconds"), "yes" if m.active else "no")
                for m in field_marks(s, incident_id, include_removed=all_)]

    rows = run_transaction(home, go, _refused())
    if not rows:
        out.print(f"incident {incident_id}: no field marks")
        return
    print_rows(f"field marks of incident {incident_id}", ("id", "field", "level", "reason", "by", "at", "active"), rows)


def register(app: typer.Typer) -> None:
    """Add the commands to the ``documents`` and ``incidents`` groups (``app`` already holds them)."""
    documents_app.command("mark")(documents_mark)
    documents_app.command("marks")(documents_marks)
    documents_app.command("unmark")(documents_unmark)
    incidents_app.command("mark-field")(incidents_mark_field)
    incidents_app.command("marks")(incidents_marks)
    incidents_app.command("unmark")(documents_unmark)
