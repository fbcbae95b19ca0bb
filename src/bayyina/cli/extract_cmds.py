"""``bayyina extract``: incidents from files (contract JSON or a table), or a
new extraction run over the stored documents (``--stored``)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False)


def _documents(path: Path) -> list[tuple[str, str]]:
    """(source name, normalised text) for each document a file holds (a WARC holds several)."""
    from bayyina.text.normalize import normalize
    from bayyina.text.readers import ReadError, reader_for, reader_for_media

    reader = reader_for(path.name)
    res = reader.read(path)
    docs: list[tuple[str, str]] = []
    if res.children:
        for i, child in enumerate(res.children):
            try:
                sub = reader_for_media(child.media_type).read_bytes(child.data)
            except ReadError as exc:
                err.print(f"{path}#{i}: {exc}")
                continue
            docs.append((f"{path.name}#{i}", normalize(sub.raw_text).text))
        return docs
    if res.needs_ocr:
        err.print(f"{path}: no text layer (needs OCR); no incidents extracted")
    return [(path.name, normalize(res.raw_text).text)]


def _tables(results: list[dict[str, Any]]) -> list[Table]:
    """One small field/value table per incident: readable in a narrow terminal, Arabic included."""
    tables: list[Table] = []
    for doc in results:
        if not doc["incidents"]:
            t = Table(title=f"{doc['source']} ({doc['language']}): no incident", show_header=False)
            tables.append(t)
        for i, inc in enumerate(doc["incidents"], 1):
            t = Table(title=f"{doc['source']} ({doc['language']}) — incident {i}", show_header=False)
            t.add_column("field", style="bold")
            t.add_column("value")
            place = inc["place"]
            date = inc["date"]
            t.add_row("place", f"{place['name']} / {place['name_ar']} ({place['country']})" if place else "—")
            when = "—"
            if date:
                when = date["start"] if date["start"] == date["end"] else f"{date['start']} .. {date['end']}"
                when += f" ({date['precision']})"
            t.add_row("date", when)
            t.add_row("agents", ", ".join(inc["agents"]))
            t.add_row("means", ", ".join(inc["means"]))
            t.add_row("killed", _num(inc["killed"]))
            t.add_row("injured", _num(inc["injured"]))
            t.add_row("perpetrators", ", ".join(inc["perpetrators"]) or "—")
            t.add_row(
                "attributions",
                "\n".join(f"{a['by']} — {a['stance']} — {a['against']}" for a in inc["attributions"]) or "—",
            )
            t.add_row("evidence", "\n".join(f"[{e['start']}:{e['end']}] {e['text'][:160]}" for e in inc["evidence"][:3]))
            tables.append(t)
    return tables


def _num(v: dict[str, Any] | None) -> str:
    if not v:
        return "—"
    if v["high"] is None:
        return f"≥{v['low']}"
    return str(v["low"]) if v["low"] == v["high"] else f"{v['low']}–{v['high']}"


def extract(
    files: Annotated[list[Path] | None, typer.Argument(help="Files to read (.txt .md .html .pdf .warc.gz).")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="jsonl (the contract) or table.")] = "jsonl",
    stored: Annotated[bool, typer.Option("--stored", help="Re-run extraction over the stored documents.")] = False,
    home: Annotated[Path | None, typer.Option("--home", help="Data directory (for --stored).")] = None,
) -> None:
    """Find the chemical attacks each document reports."""
    if fmt not in ("jsonl", "table"):
        err.print(f"error: unknown --format {fmt!r} (jsonl or table)")
        raise typer.Exit(2)
    if stored:
        _stored(home)
        return
    if not files:
        err.print("error: give files to read, or --stored")
        raise typer.Exit(2)
    from bayyina.extract.api import extract_document
    from bayyina.text.readers import ReadError

    failed = 0
    results: list[dict[str, Any]] = []
    for path in files:
        try:
            docs = _documents(path)
        except (ReadError, OSError) as exc:
            err.print(f"{path}: {exc}")
            failed += 1
            continue
        for source, text in docs:
            result = extract_document(text, source=source)
            if fmt == "jsonl":
                sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
                sys.stdout.flush()
            else:
                results.append(result)
    if fmt == "table":
        for table in _tables(results):
            out.print(table)
    if failed:
        raise typer.Exit(1)


def _stored(home: Path | None) -> None:
    from bayyina.cli.vault_cmds import _open
    from bayyina.vault.extraction import reextract_stored

    h = _open(home)
    try:
        with h.session() as session:
            report = reextract_stored(session, actor=h.settings.user)
    finally:
        h.close()
    out.print(
        f"extraction runs recorded: {len(report.runs)}; incidents: {report.incidents}; skipped: {len(report.skipped)}"
    )


def register(app: typer.Typer) -> None:
    app.command("extract")(extract)
