"""Parallel ingest on Dask: same store as a serial ingest, per-file errors, resume after SIGKILL.

A real ``dask scheduler`` and two ``dask worker`` processes (started here on
free ports of 127.0.0.1, working directory elsewhere) serve the ``--scheduler``
tests; ``--workers 2`` starts its own LocalCluster. Every run is compared with
a serial ingest of the same files into another home (rows, extraction
results and custody entries, timestamps aside).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from bayyina.settings import Settings
from bayyina.store.db import make_engine, session_factory
from bayyina.store.models import CustodyEntry, Document, ExtractionRun, IncidentReport
from bayyina.vault import custody
from bayyina.vault.blobs import Vault
from bayyina.vault.home import Home, init_home
from bayyina.vault.ingest import ingest, iter_targets
from bayyina.vault.parallel import ParallelError, check_workers, dask_client, ingest_parallel
from bayyina.vault.verify import verify
from tests.vault.samples import AR_TEXT, EN_TEXT, HTML_PAGE, make_pdf, make_warc, page, write

CMD = [sys.executable, "-c", "from bayyina.cli.main import app; app()"]
BIN = Path(sys.executable).parent
PLACES = [("Saraqib", "سراقب"), ("Douma", "دوما"), ("Kafr Zita", "كفرزيتا"), ("Talmenes", "التمانعة"),
          ("Sarmin", "سرمين"), ("Al-Lataminah", "اللطامنة")]
AGENTS = [("chlorine", "الكلور"), ("sarin", "السارين"), ("mustard gas", "غاز الخردل")]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def report(i: int) -> str:
    """A short report written for these tests; place, agent, date and count vary with ``i``."""
    en, ar = PLACES[i % len(PLACES)]
    agent_en, agent_ar = AGENTS[i % len(AGENTS)]
    day, month, n = 1 + i % 27, 1 + i % 12, 3 + i % 40
    if i % 2:
        return (f"Report {i}. On {day}/{month}/2016 helicopters dropped barrels filled with {agent_en} on "
                f"{en}; local doctors said {n} people were treated for suffocation.\n{EN_TEXT}")
    return (f"تقرير {i}: ألقت مروحيات براميل محملة بـ{agent_ar} على بلدة {ar} يوم {day}/{month}/2016، "
            f"وأصيب {n} مدنياً بحالات اختناق.\n{AR_TEXT}")


def make_corpus(folder: Path, n: int, *, odd: bool = True) -> Path:
    """``n`` reports, plus (``odd``) an HTML page, a WARC, a PDF, a duplicate and three refused files."""
    for i in range(n):
        write(folder / f"r{i // 10}" / f"{i:04d}.txt", report(i))
    if odd:
        write(folder / "page.html", HTML_PAGE)
        write(folder / "site.warc.gz", make_warc([("https://example.org/a", page("Chlorine in Sarmin", EN_TEXT)),
                                                  ("https://example.org/b", page("سراقب", AR_TEXT))]))
        write(folder / "scan.pdf", make_pdf(None))
        write(folder / "zz_copy_of_0000.txt", report(0))  # same bytes: a duplicate
        write(folder / "empty.txt", "")
        write(folder / "notes.xyz", "unsupported")
        write(folder / "junk.pdf", b"not a pdf at all")
    return folder


def dump(url: str) -> dict[str, Any]:
    """What a store holds, without timestamps (they differ between runs) and row digests (they cover them)."""
    engine = make_engine(url)
    try:
        with session_factory(engine)() as s:
            docs = [(d.id, d.dedupe_key, d.sha256, d.size, d.media_type, d.original_filename, d.source_url,
                     d.labels, d.language, d.encoding, d.needs_ocr, d.parent_id, d.raw_text, d.norm_text, d.status)
                    for d in s.scalars(select(Document).order_by(Document.id))]
            runs = [(r.id, r.document_id, r.extractor_version, r.result)
                    for r in s.scalars(select(ExtractionRun).order_by(ExtractionRun.id))]
            reps = [(r.id, r.run_id, r.document_id, r.idx, r.data)
                    for r in s.scalars(select(IncidentReport).order_by(IncidentReport.id))]
            log = []
            for e in s.scalars(select(CustodyEntry).order_by(CustodyEntry.seq)):
                p = custody.payload_of(e)
                rows = sorted(p.pop("rows", {}))
                log.append((e.seq, e.actor, e.action, e.subject, p, rows))
    finally:
        engine.dispose()
    return {"documents": docs, "runs": runs, "incidents": reps, "log": log}


def serial_reference(tmp: Path, src: Path) -> dict[str, Any]:
    """A serial ingest of ``src`` into a fresh SQLite home."""
    settings = Settings.load(home=tmp / "ref-home", database_url=f"sqlite:///{tmp / 'ref.db'}")
    init_home(settings)
    h = Home.open(settings)
    try:
        ingest(h, list(iter_targets([str(src)])))
    finally:
        h.close()
    return dump(settings.database_url)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """30 reports and the odd files, and what a serial ingest of them stores (made once per module)."""
    tmp = tmp_path_factory.mktemp("corpus")
    src = make_corpus(tmp / "in", 30)
    return src, serial_reference(tmp, src)


@pytest.fixture(scope="module")
def scheduler(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``dask scheduler`` and two ``dask worker`` processes on 127.0.0.1 (another working directory)."""
    from distributed import Client

    cwd = tmp_path_factory.mktemp("dask-cwd")
    addr = f"tcp://127.0.0.1:{_free_port()}"
    env = {**os.environ, "DASK_DISTRIBUTED__WORKER__DAEMON": "False"}
    procs = [subprocess.Popen([str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", addr.rsplit(":", 1)[1],
                               "--no-dashboard"], cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)]
    try:
        for k in range(2):
            procs.append(subprocess.Popen([str(BIN / "dask"), "worker", addr, "--nthreads", "1", "--no-nanny",
                                           "--no-dashboard", "--name", f"w{k}"], cwd=cwd, env=env,
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        deadline = time.monotonic() + 60
        while True:
            try:
                with Client(addr, timeout=5) as c:
                    c.wait_for_workers(2, timeout=max(1.0, deadline - time.monotonic()))
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        yield addr
    finally:
        for p in reversed(procs):  # thrown away: no graceful shutdown needed
            p.kill()
        for p in procs:
            p.wait(10)


@pytest.mark.slow
def test_local_cluster_cli_equals_serial(cli: Any, home: Path, corpus: tuple[Path, dict[str, Any]]) -> None:
    src, reference = corpus
    assert cli("init").exit_code == 0
    res = cli("ingest", src, "--workers", "2")
    out = res.output
    for bad, why in [("empty.txt", "empty"), ("notes.xyz", "unsupported file type"), ("junk.pdf", "")]:
        assert any(bad in line and why in line for line in out.splitlines()), (bad, out[-3000:])
    assert res.exit_code == 1, out[-2000:]  # refused files: exit 1 at the end, the rest stored
    assert "33 ingested, 1 already present, 3 refused (2 workers" in out, out[-2000:]
    assert dump(Settings.load().database_url) == reference
    assert cli("verify").exit_code == 0


@pytest.mark.slow
def test_scheduler_two_worker_processes_equal_serial(scheduler: str, corpus: tuple[Path, dict[str, Any]],
                                                     database_url: str, home: Path, tmp_path: Path) -> None:
    src, reference = corpus
    init_home(Settings.load())
    done = subprocess.run([*CMD, "ingest", str(src), "--scheduler", scheduler], cwd=tmp_path, check=False,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 1, done.stdout[-2000:] + done.stderr[-2000:]
    assert "33 ingested, 1 already present, 3 refused (2 workers" in done.stdout, done.stdout[-2000:]
    assert dump(database_url) == reference
    h = Home.open(Settings.load())
    try:
        rep = verify(h)
        assert rep.ok, [str(p) for p in rep.problems]
    finally:
        h.close()


def _stored(url: str) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as c:
            return int(c.execute(select(func.count()).select_from(Document)).scalar() or 0)
    finally:
        engine.dispose()


@pytest.mark.slow
@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)  # SQLite: tests/vault/test_crash.py
def test_sigkill_mid_batch_then_rerun_on_the_cluster(scheduler: str, database_url: str, home: Path,
                                                     tmp_path: Path) -> None:
    n = 160
    src = make_corpus(tmp_path / "in", n, odd=False)
    settings = Settings.load()
    init_home(settings)
    proc = subprocess.Popen([*CMD, "ingest", str(src), "--scheduler", scheduler, "--label", "run"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline and _stored(database_url) < 40:
        time.sleep(0.05)
    assert proc.poll() is None, "the batch ended before it could be killed: " + proc.stderr.read().decode()[-800:]  # type: ignore[union-attr]
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    stored = _stored(database_url)
    assert 0 < stored < n
    h = Home.open(settings)
    try:
        with h.session() as s:  # whole files only: every stored document has its two entries and its run
            ids = list(s.scalars(select(Document.id)))
            runs = set(s.scalars(select(ExtractionRun.document_id)))
            subjects = [e.subject for e in custody.entries(s) if e.action in ("ingested", "text-extracted")]
        assert set(ids) == runs and sorted(subjects) == sorted(f"document:{i}" for i in ids for _ in range(2))
        rep = verify(h)
        assert rep.ok, [str(p) for p in rep.problems]
    finally:
        h.close()

    done = subprocess.run([*CMD, "ingest", str(src), "--scheduler", scheduler, "--label", "run"], check=False,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert f"{n - stored} ingested, {stored} already present, 0 refused" in done.stdout, done.stdout[-1500:]
    h = Home.open(settings)
    try:
        with h.session() as s:
            shas = list(s.scalars(select(Document.sha256)))
            runs_n = int(s.scalar(select(func.count()).select_from(ExtractionRun)) or 0)
        assert len(shas) == n == len(set(shas)) == runs_n
        rep = verify(h)
        assert rep.ok, [str(p) for p in rep.problems]
    finally:
        h.close()


def test_cluster_problems_are_clear_errors(scheduler: str, tmp_path: Path) -> None:
    with (pytest.raises(ParallelError, match="cannot reach the Dask scheduler"),
          dask_client(scheduler=f"tcp://127.0.0.1:{_free_port()}", timeout=2)):
        pass
    with pytest.raises(ParallelError, match="bad Dask scheduler address 'foo'"), dask_client(scheduler="foo"):
        pass
    with dask_client(scheduler=scheduler) as client, pytest.raises(ParallelError, match="not visible on this worker"):
        check_workers(client, Vault(tmp_path / "no-such-vault"))


def test_in_process_api_counts_and_callbacks(scheduler: str, home: Path, tmp_path: Path) -> None:
    src = make_corpus(tmp_path / "in", 12)
    settings = Settings.load()
    init_home(settings)
    h = Home.open(settings)
    seen: list[str] = []
    try:
        with dask_client(scheduler=scheduler) as client:
            rep = ingest_parallel(h, iter_targets([str(src)]), client, labels=["x"], on_outcome=lambda o: seen.append(o.target),
                                  keep_outcomes=False, window=3, batch=4, sensitivity="partner")
        with h.session() as s:  # every stored document (WARC pages too) carries the batch's level
            levels = set(s.scalars(select(Document.sensitivity)))
    finally:
        h.close()
    assert levels == {"partner"}
    targets = list(iter_targets([str(src)]))
    assert seen == targets  # in input order, even with 3 in flight and batches of 4
    assert (rep.ingested, rep.duplicates, len(rep.failed), rep.outcomes) == (15, 1, 3, [])
    assert rep.batches >= 4 and rep.checkpoint_seq


def test_trim_spans_drops_the_per_submit_metadata(scheduler: str) -> None:
    """Dask keeps one metadata dict per submit on the running span (the client's growth); trimming keeps one."""
    import time as _time

    from bayyina.vault.parallel import trim_spans

    # a lambda travels by value (the scheduler cannot import this test module)
    longest = lambda dask_scheduler: max(
        (len((s._metadata or {}).get("collections", [])) for s in dask_scheduler.extensions["spans"].spans.values()),
        default=0)
    with dask_client(scheduler=scheduler) as client:
        futures = [client.submit(_time.sleep, 0.05, pure=False) for _ in range(30)]  # all in flight: one span
        client.gather(futures)
        before = client.run_on_scheduler(longest)
        dropped = trim_spans(client)
        after = client.run_on_scheduler(longest)
    assert after <= 1
    assert dropped >= before - 1 >= 0
    if before < 30:  # pragma: no cover - a Dask that no longer keeps them
        pytest.skip(f"this Dask keeps {before} metadata entries for 30 submits")
