"""Vault commands: init, ingest, documents, verify, log, checkpoint, keys.

Thin wrappers: they parse options, call the services in :mod:`bayyina.vault`
and render Rich tables / progress bars. Every command takes ``--home``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TaskProgressColumn, TextColumn, TimeRemainingColumn
from rich.table import Table
from sqlalchemy.orm import Session

from bayyina.settings import Settings

HomeOpt = typer.Option(None, "--home", help="Data directory (default: $BAYYINA_HOME or ./data).")

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def _settings(home: Path | None) -> Settings:
    return Settings.load(home=home)


def _open(home: Path | None):  # type: ignore[no-untyped-def]
    from bayyina.vault.home import Home, NotInitialized

    try:
        return Home.open(_settings(home))
    except NotInitialized as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(), TimeRemainingColumn(),
        console=err, transient=True,
    )


def init(home: Path | None = HomeOpt) -> None:
    """Create the data home, the custody key pair and the database schema."""
    from sqlalchemy.exc import SQLAlchemyError

    from bayyina.vault.home import init_home

    settings = _settings(home)
    try:
        rep = init_home(settings)
    except (SQLAlchemyError, OSError) as exc:
        err.print(f"[red]error:[/red] cannot initialise {settings.home}: {exc.__class__.__name__}: {exc}")
        raise typer.Exit(2) from exc
    out.print(f"home      {rep.home}")
    out.print(f"database  {rep.database_url}  (schema revision {rep.revision})")
    out.print(f"keys      {'created' if rep.new_keys else 'kept (already present)'}")


def ingest(
    targets: Annotated[list[str], typer.Argument(help="Files, directories (recursive) or http(s) URLs.")],
    label: Annotated[list[str] | None, typer.Option("--label", "-l", help="Label to attach (repeatable).")] = None,
    source_url: str | None = typer.Option(None, "--source-url", help="Where the originals came from."),
    no_extract: bool = typer.Option(False, "--no-extract", help="Store only; do not run incident extraction."),
    workers: int = typer.Option(1, "--workers", "-w", min=1,
                                help="Worker processes (a Dask LocalCluster); 1: serial, in this process."),
    scheduler: str | None = typer.Option(None, "--scheduler", metavar="tcp://HOST:PORT",
                                         help="Use a running Dask cluster (workers must see the inputs and "
                                              "the vault at the same paths)."),
    sensitivity: str = typer.Option("public", "--sensitivity",
                                    help="public, partner or restricted: who may see the new documents."),
    home: Path | None = HomeOpt,
) -> None:
    """Ingest originals into the vault; exits 1 if any input was refused."""
    from bayyina.store.sensitivity import SensitivityError, check_level

    try:
        sensitivity = check_level(sensitivity)
    except SensitivityError as exc:
        err.print(f"[red]error:[/red] --sensitivity: {exc}")
        raise typer.Exit(2) from exc
    if workers > 1 or scheduler:
        _ingest_parallel(targets, label or [], source_url, not no_extract, workers, scheduler, home, sensitivity)
        return
    from bayyina.vault.ingest import Outcome, expand_targets
    from bayyina.vault.ingest import ingest as run_ingest

    h = _open(home)
    try:
        items = expand_targets(targets, exclude=[h.settings.home])
        with _progress() as prog:
            task = prog.add_task("ingesting", total=len(items))

            def step(o: Outcome) -> None:
                if o.status == "failed":
                    prog.console.print(f"{o.target}: {o.reason}", markup=False, highlight=False, soft_wrap=True)
                prog.advance(task)

            report = run_ingest(h, items, labels=label or [], source_url=source_url, extract=not no_extract,
                                on_outcome=step, sensitivity=sensitivity)
    finally:
        h.close()
    table = Table(title="ingested")
    for col in ("id", "file", "language", "size", "sha256", "incidents", "note"):
        table.add_column(col, justify="right" if col in ("id", "size", "incidents") else "left",
                         overflow="fold")
    for o in report.outcomes:
        if o.status == "failed":
            continue
        notes = []
        if o.status == "duplicate":
            notes.append("duplicate")
        if o.needs_ocr:
            notes.append("needs OCR")
        if o.children:
            notes.append(f"{o.children} pages")
        table.add_row(
            str(o.document_id), o.target, o.language or "-", f"{o.size:,}", o.sha256[:12],
            "-" if o.incidents is None else str(o.incidents), ", ".join(notes),
        )
    out.print(table)
    for w in report.warnings:
        err.print(f"[yellow]warning:[/yellow] {w}", markup=True)
    n_ok = sum(1 for o in report.outcomes if o.status == "ingested")
    n_dup = sum(1 for o in report.outcomes if o.status == "duplicate")
    out.print(f"{n_ok} ingested, {n_dup} already present, {len(report.failed)} refused; "
              f"checkpoint at log entry #{report.checkpoint_seq}")
    if report.failed:
        raise typer.Exit(1)


def _ingest_parallel(targets: list[str], labels: list[str], source_url: str | None, extract: bool, workers: int,
                     scheduler: str | None, home: Path | None, sensitivity: str = "public") -> None:
    """``ingest --workers N`` / ``--scheduler``: Dask workers prepare, this process writes (docs/scale.md)."""
    from bayyina.vault.ingest import Outcome, iter_targets
    from bayyina.vault.parallel import ParallelError, dask_client, ingest_parallel

    h = _open(home)
    exclude = [h.settings.home]
    try:
        total = sum(1 for _ in iter_targets(targets, exclude))
        keep = total <= 1000  # the per-file table; bigger batches print counts only
        with dask_client(workers, scheduler) as client, _progress() as prog:
            task = prog.add_task(f"ingesting on {scheduler or f'{workers} local workers'}", total=total)

            def step(o: Outcome) -> None:
                if o.status == "failed":
                    prog.console.print(f"{o.target}: {o.reason}", markup=False, highlight=False, soft_wrap=True)
                prog.advance(task)

            report = ingest_parallel(h, iter_targets(targets, exclude), client, labels=labels,
                                     source_url=source_url, extract=extract, on_outcome=step, keep_outcomes=keep,
                                     sensitivity=sensitivity)
    except ParallelError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    finally:
        h.close()
    if keep:
        table = Table(title="ingested")
        for col in ("id", "file", "language", "size", "sha256", "incidents", "note"):
            table.add_column(col, justify="right" if col in ("id", "size", "incidents") else "left", overflow="fold")
        for o in report.outcomes:
            if o.status == "failed":
                continue
            notes = [n for n, on in (("duplicate", o.status == "duplicate"), ("needs OCR", o.needs_ocr),
                                     (f"{o.children} pages", bool(o.children))) if on]
            table.add_row(str(o.document_id), o.target, o.language or "-", f"{o.size:,}", o.sha256[:12],
                          "-" if o.incidents is None else str(o.incidents), ", ".join(notes))
        out.print(table)
    for w in report.warnings:
        err.print(f"[yellow]warning:[/yellow] {w}", markup=True)
    out.print(f"{report.ingested} ingested, {report.duplicates} already present, {len(report.failed)} refused "
              f"({report.workers} workers, {report.batches} write transactions); "
              f"checkpoint at log entry #{report.checkpoint_seq}")
    if report.failed:
        raise typer.Exit(1)


documents_app = typer.Typer(help="Browse stored documents.", no_args_is_help=True)


@documents_app.command("list")
def documents_list(
    label: str | None = typer.Option(None, "--label", help="Only documents with this label."),
    limit: int = typer.Option(100, "--limit"),
    offset: int = typer.Option(0, "--offset"),
    home: Path | None = HomeOpt,
) -> None:
    """List documents (WARC pages show their parent)."""
    from bayyina.vault.catalog import count_documents, incident_counts, list_documents

    h = _open(home)
    try:
        with h.session() as s:
            docs = list_documents(s, limit=limit, offset=offset, label=label)
            counts = incident_counts(s, [d.id for d in docs])
            total = count_documents(s)
    finally:
        h.close()
    table = Table(title=f"documents ({total} stored)")
    for col in ("id", "parent", "file", "type", "lang", "size", "sha256", "labels", "ingested", "incidents"):
        table.add_column(col, overflow="fold")
    for d in docs:
        table.add_row(
            str(d.id), str(d.parent_id or ""), d.original_filename, d.media_type + (" (needs OCR)" if d.needs_ocr else ""),
            d.language or "-", f"{d.size:,}", d.sha256[:12], ",".join(d.labels or []),
            d.ingested_at.strftime("%Y-%m-%d %H:%M"), str(counts.get(d.id, "-")),
        )
    out.print(table)


@documents_app.command("classify")
def documents_classify(
    doc_id: int = typer.Argument(..., help="Document id."),
    level: str = typer.Argument(..., help="public, partner or restricted."),
    reason: str = typer.Option(..., "--reason", help="Why (recorded in the custody log)."),
    home: Path | None = HomeOpt,
) -> None:
    """Set who may see a document (and its WARC records); logged in the custody log."""
    from bayyina.cli.common import run_transaction
    from bayyina.vault.classify import Classified, ClassifyError, classify

    def go(s: Session, who: str) -> Classified:
        return classify(s, doc_id, level, reason, who)

    done = run_transaction(home, go, (ClassifyError,))
    if done.entry is None:
        out.print(f"document {done.document_id} is already {done.after}: nothing changed")
        return
    kids = f" and its {len(done.children)} records" if done.children else ""
    out.print(f"document {done.document_id}{kids}: {done.before} -> {done.after} (custody entry #{done.entry.seq})")


@documents_app.command("show")
def documents_show(
    doc_id: int = typer.Argument(..., help="Document id."),
    text: bool = typer.Option(False, "--text", help="Print the whole normalised text."),
    home: Path | None = HomeOpt,
) -> None:
    """Show one document: metadata, custody entries, extraction runs, incidents."""
    from bayyina.vault.catalog import get_document

    h = _open(home)
    try:
        with h.session() as s:
            det = get_document(s, doc_id)
            path = h.vault.path_for(det.document.sha256) if det else None
    finally:
        h.close()
    if det is None:
        err.print(f"[red]error:[/red] no document {doc_id}")
        raise typer.Exit(1)
    d = det.document
    meta = Table(show_header=False, title=f"document {d.id}")
    meta.add_column("field")
    meta.add_column("value")
    for k, v in [
        ("file", d.original_filename), ("sha256", d.sha256), ("size", f"{d.size:,} bytes"), ("media type", d.media_type),
        ("source url", d.source_url or "-"), ("labels", ", ".join(d.labels or []) or "-"),
        ("ingested", f"{d.ingested_at.isoformat()} by {d.ingested_by}"), ("language", d.language or "-"),
        ("encoding", d.encoding or "-"), ("needs OCR", "yes" if d.needs_ocr else "no"),
        ("parent", str(d.parent_id or "-")), ("status", d.status), ("original", str(path)),
        ("children", ", ".join(str(c.id) for c in det.children) or "-"),
        ("extraction runs", ", ".join(f"{r.id} ({r.extractor_version})" for r in det.runs) or "-"),
    ]:
        meta.add_row(k, v)
    out.print(meta)
    if det.entries:
        log = Table(title="custody entries")
        for col in ("seq", "time", "actor", "action", "hash"):
            log.add_column(col)
        for e in det.entries:
            log.add_row(str(e.seq), e.ts, e.actor, e.action, e.entry_hash[:16])
        out.print(log)
    for inc in det.incidents:
        out.print(f"[bold]incident {inc.idx}[/bold]")
        out.print_json(json.dumps(inc.data, ensure_ascii=False))
    body = d.norm_text if text else d.norm_text[:800] + ("…" if len(d.norm_text) > 800 else "")
    if body:
        out.print("[bold]text[/bold]")
        out.print(body, markup=False)


def verify(home: Path | None = HomeOpt) -> None:
    """Recheck every original, the log chain, every checkpoint and every logged row; exit 1 on failure."""
    from bayyina.vault.verify import verify as run_verify

    h = _open(home)
    try:
        with _progress() as prog:
            tasks: dict[str, TaskID] = {}

            def on_progress(stage: str, done: int, total: int) -> None:
                if stage not in tasks:
                    tasks[stage] = prog.add_task(f"checking {stage}", total=max(total, 1))
                prog.update(tasks[stage], completed=done if total else 1)

            rep = run_verify(h, on_progress=on_progress)
    finally:
        h.close()
    for p in rep.problems:
        out.print(f"[red]FAIL[/red] {p.where}: {p.reason}")
    mb = rep.bytes_hashed / 1e6
    out.print(
        f"{rep.documents} documents, {rep.blobs} originals ({mb:,.1f} MB), {rep.entries} log entries, "
        f"{rep.checkpoints} checkpoints checked in {rep.seconds:.1f}s"
        + (f"; {rep.unsigned_entries} entries after the last checkpoint" if rep.unsigned_entries else "")
    )
    if not rep.ok:
        out.print(f"[red]verify FAILED: {len(rep.problems)} problem(s)[/red]")
        raise typer.Exit(1)
    out.print("[green]verify OK[/green]")


def log(
    document: int | None = typer.Option(None, "--document", "-d", help="Only entries about this document."),
    limit: int = typer.Option(0, "--limit", help="Only the last N entries (0: all)."),
    home: Path | None = HomeOpt,
) -> None:
    """Print the custody log."""
    from bayyina.vault import custody

    h = _open(home)
    try:
        with h.session() as s:
            rows = list(custody.entries(s, subject=f"document:{document}" if document is not None else None))
    finally:
        h.close()
    if limit:
        rows = rows[-limit:]
    table = Table(title="custody log")
    for col in ("seq", "time", "actor", "action", "subject", "hash", "details"):
        table.add_column(col)
    for e in rows:
        payload = custody.payload_of(e)
        payload.pop("rows", None)
        detail = ", ".join(f"{k}={v}" for k, v in payload.items() if v not in (None, "", []))
        table.add_row(str(e.seq), e.ts, e.actor, e.action, e.subject, e.entry_hash[:16], detail[:120])
    out.print(table)


def checkpoint(home: Path | None = HomeOpt) -> None:
    """Sign the current log head with the custody key."""
    from bayyina.vault.checkpointing import checkpoint_now
    from bayyina.vault.keys import KeysError

    h = _open(home)
    try:
        cp = checkpoint_now(h)
    except KeysError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    finally:
        h.close()
    if cp is None:
        out.print("the custody log is empty: nothing to sign")
        return
    out.print(f"checkpoint {cp.id}: log entry #{cp.seq} head {cp.head_hash[:16]}… signed by key {cp.key_id[:16]}…")


keys_app = typer.Typer(help="The custody key pair.", no_args_is_help=True)


@keys_app.command("export-public")
def keys_export_public(
    dest: Annotated[Path, typer.Argument(help="Where to write the public key (PEM).")],
    home: Path | None = HomeOpt,
) -> None:
    """Export the custody public key so others can check checkpoints."""
    from bayyina.vault.keys import KeysError, export_public

    try:
        kid = export_public(_settings(home).keys_dir, dest)
    except (KeysError, OSError) as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    out.print(f"public key {kid} written to {dest}")


def register(app: typer.Typer) -> None:
    """Add the vault commands to the ``bayyina`` command."""
    app.command("init")(init)
    app.command("ingest")(ingest)
    app.add_typer(documents_app, name="documents")
    app.command("verify")(verify)
    app.command("log")(log)
    app.command("checkpoint")(checkpoint)
    app.add_typer(keys_app, name="keys")
