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


def _table(results: list[dict[str, Any]]) -> Table:
    t = Table(title="Incidents found", show_lines=False)
    for col in ("source", "#", "place", "date", "agents", "means", "killed", "injured", "perpetrators", "attributions"):
        t.add_column(col)
    for doc in results:
        if not doc["incidents"]:
            t.add_row(doc["source"], "-", "(no incident)", "", "", "", "", "", "", "")
        for i, inc in enumerate(doc["incidents"], 1):
            place = inc["place"]
            date = inc["date"]
            t.add_row(
                doc["source"],
                str(i),
                f"{place['name']} / {place['name_ar']}" if place else "—",
                (date["start"] if date["start"] == date["end"] else f"{date['start']}..{date['end']}") if date else "—",
                ", ".join(inc["agents"]),
                ", ".join(inc["means"]),
                _num(inc["killed"]),
                _num(inc["injured"]),
                ", ".join(inc["perpetrators"]) or "—",
                "; ".join(f"{a['by']}:{a['stance']}→{a['against']}" for a in inc["attributions"]) or "—",
            )
    return t


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
        out.print(_table(results))
    if failed:
        raise typer.Exit(1)


def _stored(home: Path | None) -> None:
    from bayyina.settings import Settings
    from bayyina.vault.extraction import reextract_stored
    from bayyina.vault.home import Home, NotInitialized

    try:
        h = Home.open(Settings.load(home=home))
    except NotInitialized as exc:
        err.print(f"error: {exc}")
        raise typer.Exit(2) from exc
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
