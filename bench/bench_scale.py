"""Benchmark: ingest + extraction throughput, serial vs Dask; peak memory vs corpus size; search p95.

Steps (each ingest runs in a child process, on a fresh SQLite home):

1. ``gen_reports.write_corpus`` writes ``--docs`` synthetic Arabic and
   English reports (``--size`` bytes each, 1,000 per folder, a share as HTML
   pages), one document in memory at a time;
2. **serial**: ``bayyina.vault.ingest.ingest`` over the first
   ``--serial-docs`` files (what ``bayyina ingest DIR`` does, without the
   table): hashing, copy, reading, normalising, extraction, one transaction
   per file plus one per extraction run;
3. **dask**: ``bayyina.vault.parallel.ingest_parallel`` on a LocalCluster of
   ``--workers`` processes over all the files (what ``bayyina ingest DIR
   --workers N`` does for a batch over 1,000 files: counts, no table);
4. peak RSS of every process of each run (the client with the scheduler in
   it, each worker), sampled every 0.2 s with psutil, and the client's own
   ``ru_maxrss``;
5. **search**: the document index is built (``search.index.refresh``) on the
   Dask-ingested store, then the latency (p50 / p95) of
   ``search.service.search`` (limit 20, with snippets) over the query words of
   ``bench_search.py``, ``--rounds`` times each.

Prints one JSON line per step and a summary; ``--json OUT`` also writes them.

    .venv/bin/python bench/bench_scale.py [--docs 10000] [--serial-docs 2000] [--workers 2]
                                          [--size 3000] [--html-share 0.05] [--skip serial,search]
    make bench-scale N=100000
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

WORDS = ["السارين", "الكلور", "دوما", "كيميائية", "مروحيات", "براميل", "الخردل", "الشبكة", "sarin",
         "chlorine", "helicopters", "Douma", "investigation", "2017", "إدلب", "حماة", "مدنيين", "الأسد"]


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    from machine import cpu_model

    cpu = cpu_model()
    mem = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = int(line.split()[1]) // 1024
    except OSError:
        pass
    return {"cpus": os.cpu_count(), "cpu": cpu, "mem_mb": mem, "python": platform.python_version(),
            "load_avg_start": os.getloadavg()}


# --------------------------------------------------------------------------- the child runs


def child(mode: str, home: str, corpus: str, limit: int, workers: int) -> None:
    """Run one ingest in this process and print its figures as JSON (called via ``--child``)."""
    import itertools

    from bayyina.settings import Settings
    from bayyina.vault.home import Home, init_home
    from bayyina.vault.ingest import iter_targets

    settings = Settings.load(home=Path(home), database_url=f"sqlite:///{home}/bayyina.sqlite3")
    init_home(settings)
    h = Home.open(settings)
    targets = iter_targets([corpus])
    if limit:
        targets = itertools.islice(targets, limit)
    t0 = time.perf_counter()
    if mode == "serial":
        from bayyina.vault.ingest import ingest

        rep = ingest(h, list(targets))
        counts = {"ingested": sum(o.status == "ingested" for o in rep.outcomes),
                  "duplicates": sum(o.status == "duplicate" for o in rep.outcomes), "failed": len(rep.failed)}
        incidents = sum(o.incidents or 0 for o in rep.outcomes)
    else:
        from bayyina.vault.parallel import dask_client, ingest_parallel

        incidents = 0

        def count(o: Any) -> None:
            nonlocal incidents
            incidents += o.incidents or 0

        with dask_client(workers) as client:
            t1 = time.perf_counter()
            prep = ingest_parallel(h, targets, client, keep_outcomes=False, on_outcome=count)
            wall_cluster = time.perf_counter() - t1
            worker_rss = client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
            worker_cpu = client.run(lambda: sum(resource.getrusage(resource.RUSAGE_SELF)[:2]))
        counts = {"ingested": prep.ingested, "duplicates": prep.duplicates, "failed": len(prep.failed),
                  "batches": prep.batches, "cluster_start_s": round(time.perf_counter() - t0 - wall_cluster, 1),
                  "worker_ru_maxrss_mb": sorted(round(v / 1024) for v in worker_rss.values()),
                  "worker_cpu_s": sorted(round(v, 1) for v in worker_cpu.values())}
    wall = time.perf_counter() - t0
    h.close()
    own = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({"mode": mode, "wall_s": round(wall, 1), "incidents": incidents, **counts,
                      "client_cpu_s": round(own.ru_utime + own.ru_stime, 1),
                      "client_ru_maxrss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}))


def run_child(mode: str, home: Path, corpus: Path, limit: int, workers: int) -> dict[str, Any]:
    """Run :func:`child` in a new process; sample the RSS of its process tree."""
    import psutil

    cmd = [sys.executable, __file__, "--child", mode, str(home), str(corpus), str(limit), str(workers)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    load0 = os.getloadavg()[0]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    ps = psutil.Process(proc.pid)
    peak_tree = 0
    peak_each: dict[int, int] = {}
    while proc.poll() is None:
        try:
            procs = [ps, *ps.children(recursive=True)]
            total = 0
            for p in procs:
                try:
                    rss = p.memory_info().rss
                except psutil.Error:
                    continue
                total += rss
                peak_each[p.pid] = max(peak_each.get(p.pid, 0), rss)
            peak_tree = max(peak_tree, total)
        except psutil.Error:
            pass
        time.sleep(0.2)
    out, _ = proc.communicate()
    if proc.returncode != 0:
        raise SystemExit(f"{mode} run failed (exit {proc.returncode})")
    res: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    res["peak_rss_tree_mb"] = round(peak_tree / 2**20)
    res["peak_rss_per_process_mb"] = sorted((round(v / 2**20) for v in peak_each.values()), reverse=True)[:6]
    n = res["ingested"] + res["duplicates"] + res["failed"]
    res["docs"] = n
    res["docs_per_s"] = round(n / res["wall_s"], 1)
    # CPU of the run's whole process tree (the child, its nannies and workers: all waited for);
    # a figure the other sessions' load does not change much, unlike wall time.
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    res["cpu_s"] = round(cpu, 1)
    res["cpu_ms_per_doc"] = round(1000 * cpu / max(n, 1), 1)
    res["load_avg"] = [round(load0, 2), round(os.getloadavg()[0], 2)]
    return res


# --------------------------------------------------------------------------- search


def search_latency(home: Path, rounds: int) -> dict[str, Any]:
    """Build the document index, then time ``search`` over the query words."""
    from sqlalchemy import func, select

    from bayyina.search.index import refresh
    from bayyina.search.service import search
    from bayyina.store.db import make_engine, session_factory
    from bayyina.store.models import Document

    engine = make_engine(f"sqlite:///{home}/bayyina.sqlite3")
    s = session_factory(engine)()
    n = int(s.scalar(select(func.count()).select_from(Document)) or 0)
    s.commit()
    t0 = time.perf_counter()
    refresh(s, kinds=["document"])
    s.commit()
    build = time.perf_counter() - t0
    times: list[float] = []
    hits = 0
    for _ in range(rounds):
        for w in WORDS:
            t = time.perf_counter()
            hits += len(search(s, w, limit=20))
            times.append(time.perf_counter() - t)
            s.commit()
    s.close()
    engine.dispose()
    times.sort()

    def pct(p: float) -> float:
        return round(1000 * times[min(len(times) - 1, round(p / 100 * (len(times) - 1)))], 1)

    return {"mode": "search", "documents": n, "index_build_s": round(build, 1), "queries": len(times),
            "p50_ms": pct(50), "p95_ms": pct(95), "mean_ms": round(1000 * statistics.mean(times), 1),
            "hits": hits}


# --------------------------------------------------------------------------- main


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        mode, home, corpus, limit, workers = sys.argv[2:7]
        child(mode, home, corpus, int(limit), int(workers))
        return
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--serial-docs", type=int, default=2000, help="files the serial run ingests (0: all)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--size", type=int, default=3000, help="bytes per generated report")
    ap.add_argument("--html-share", type=float, default=0.05)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--skip", default="", help="comma-separated steps to skip: serial, dask, search")
    ap.add_argument("--work", type=Path, help="working folder (kept, its corpus reused when it matches; "
                                              "default: a temp folder, removed)")
    ap.add_argument("--json", type=Path, help="append the result lines to this file")
    a = ap.parse_args()
    skip = set(filter(None, a.skip.split(",")))
    from gen_reports import write_corpus

    with tempfile.TemporaryDirectory(prefix="bayyina-bench-scale-") as tmp:
        work = a.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        lines: list[dict[str, Any]] = [{"mode": "machine", **machine(), "docs": a.docs, "size": a.size}]
        print(json.dumps(lines[-1]), flush=True)
        corpus = work / "corpus"
        marker = corpus / ".generated"  # hidden: ingest skips it
        spec = json.dumps({"docs": a.docs, "size": a.size, "html_share": a.html_share})
        if marker.exists() and marker.read_text() == spec:
            lines.append({"mode": "generate", "docs": a.docs, "reused": str(corpus)})
        else:
            t0 = time.perf_counter()
            nbytes = write_corpus(corpus, a.docs, size=a.size, per_dir=1000, html_share=a.html_share)
            marker.write_text(spec)
            lines.append({"mode": "generate", "docs": a.docs, "mb": round(nbytes / 1e6, 1),
                          "wall_s": round(time.perf_counter() - t0, 1)})
        print(json.dumps(lines[-1]), flush=True)
        if "serial" not in skip:
            lines.append(run_child("serial", work / "home-serial", corpus, a.serial_docs, 1))
            print(json.dumps(lines[-1]), flush=True)
        if "dask" not in skip:
            lines.append(run_child("dask", work / "home-dask", corpus, 0, a.workers))
            print(json.dumps(lines[-1]), flush=True)
            if "search" not in skip:
                lines.append(search_latency(work / "home-dask", a.rounds))
                print(json.dumps(lines[-1]), flush=True)
        lines.append({"mode": "end", "load_avg_end": os.getloadavg()})
        print(json.dumps(lines[-1]), flush=True)
        if a.json:
            with open(a.json, "a", encoding="utf-8") as fh:
                fh.writelines(json.dumps(ln, ensure_ascii=False) + "\n" for ln in lines)


if __name__ == "__main__":
    main()
