"""What indexing at write time costs ingest: serial ``bayyina ingest`` of generated reports into a fresh
SQLite home, with the search hook (``bayyina.search.index.keep_fresh``) and without it (``stop_fresh``),
alternating runs so the shared machine's load hits both alike. Not a test.

    .venv/bin/python bench/bench_index_on_write.py [--docs 300] [--size 3000] [--repeat 3] [--extract]

Prints each run and the median seconds per mode, and the difference per document.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gen_reports import write_corpus

from bayyina.search.index import stop_fresh
from bayyina.settings import Settings
from bayyina.vault.home import Home, init_home
from bayyina.vault.ingest import expand_targets, ingest


def one_run(corpus: Path, hook: bool, extract: bool) -> tuple[float, int]:
    """Seconds to ingest ``corpus`` into a new home, and the rows the index then has."""
    with tempfile.TemporaryDirectory(prefix="bench-index-") as d:
        settings = Settings.load(home=d, database_url=f"sqlite:///{Path(d) / 'db.sqlite'}", user="bench")
        init_home(settings)
        h = Home.open(settings)
        try:
            if not hook:
                stop_fresh(h._sessions)
            targets = expand_targets([str(corpus)])
            t0 = time.perf_counter()
            ingest(h, targets, extract=extract)
            seconds = time.perf_counter() - t0
            with h.session() as s:
                rows = int(s.execute(text("SELECT count(*) FROM search_index")).scalar() or 0)
                s.rollback()
        finally:
            h.close()
    return seconds, rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=300)
    ap.add_argument("--size", type=int, default=3000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--extract", action="store_true", help="run incident extraction too (as `bayyina ingest`)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-index-corpus-") as c:
        corpus = Path(c)
        write_corpus(corpus, args.docs, size=args.size, seed=7)
        times: dict[bool, list[float]] = {False: [], True: []}
        for _ in range(args.repeat):
            for hook in (False, True):
                seconds, rows = one_run(corpus, hook, args.extract)
                times[hook].append(seconds)
                print(f"hook {'on ' if hook else 'off'}: {seconds:6.2f} s ({args.docs / seconds:6.1f} docs/s), "
                      f"index rows {rows}", flush=True)
    off, on = statistics.median(times[False]), statistics.median(times[True])
    print(f"median: without {off:.2f} s, with {on:.2f} s: +{on - off:.2f} s "
          f"(+{100 * (on - off) / off:.0f} %, {1000 * (on - off) / args.docs:.1f} ms per document)")


if __name__ == "__main__":
    main()
