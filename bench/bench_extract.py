"""Benchmark: extraction throughput on one core against a dateparser + substring baseline.

Generates ≥ 1,000 synthetic Arabic and English reports of about 5 KB
(``bench/gen_reports.py``), then, in the same run and on the same documents:

* **bayyina**: normalise each raw text and extract its incidents
  (``normalize`` + ``extract_document``, exactly what ``bayyina extract``
  does per document), single process pinned to one CPU;
* **baseline**: dates with ``dateparser.search.search_dates(text)`` (default
  settings: it detects the language itself, as bayyina does) and places by
  plain substring lookup of every gazetteer name (``str.find`` of each English
  and Arabic name and alias of the same gazetteer data);

and prints documents, total MB, docs/s of both, their ratio, and the
gazetteer's start-up time and peak RSS (VmHWM) in a fresh subprocess.
Targets (issue 4): ratio ≥ 30, ≥ 200 docs/s, start-up ≤ 2 s, ≤ 300 MB.
Run with ``make bench`` (installs the ``bench`` extra: dateparser) or:

    .venv/bin/python bench/bench_extract.py [--docs 1000] [--size 5000] [--rounds 2] [--baseline-docs N]

``--baseline-docs N`` times the baseline on the first N documents only (quick
runs; the default is all of them).
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import subprocess
import sys
import time
from importlib import resources
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gen_reports import generate
from machine import cpu_model

TARGET_RATIO = 30.0
TARGET_DOCS_S = 200.0
TARGET_START_S = 2.0
TARGET_RSS_MB = 300.0


def _pin_one_core() -> str:
    try:
        cpus = sorted(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpus[0]})
        return f"pinned to CPU {cpus[0]}"
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return "not pinned (no sched_setaffinity)"


def _machine() -> str:
    # the interpreter's own build matters (a PGO/LTO distribution build vs a default one: ~1.2x)
    base = getattr(sys, "_base_executable", sys.executable)
    return (f"{os.cpu_count()} CPUs (nproc), {cpu_model()}, Python {platform.python_version()}"
            f" ({os.path.realpath(base)}, {platform.python_compiler()})")


def _gazetteer_names() -> list[str]:
    """Every name and alias (English and Arabic) of the gazetteer's data files."""
    data = resources.files("bayyina.extract").joinpath("data")
    names: set[str] = set()
    for fname, cols in (
        ("geonames.tsv", ("name", "name_ar", "aliases_ar", "aliases_en")),
        ("places_supplement.tsv", ("name", "name_ar", "aliases_en", "aliases_ar")),
    ):
        with data.joinpath(fname).open(encoding="utf-8") as fh:
            for row in csv.DictReader((ln for ln in fh if not ln.startswith("#")), delimiter="\t"):
                for c in cols:
                    for n in (row.get(c) or "").split("|"):
                        if len(n.strip()) >= 3:
                            names.add(n.strip())
    return sorted(names)


def run_bayyina(docs: list[str], rounds: int) -> tuple[float, int]:
    from bayyina.extract.api import extract_document
    from bayyina.extract.pipeline import Extractor
    from bayyina.text.normalize import normalize

    Extractor.default()  # start-up is measured separately
    extract_document(normalize(docs[0]).text, source="warm-up")
    best = float("inf")
    incidents = 0
    for _ in range(rounds):
        n = 0
        t0 = time.perf_counter()
        for i, raw in enumerate(docs):
            out = extract_document(normalize(raw).text, source=f"doc{i}")
            n += len(out["incidents"])
        best = min(best, time.perf_counter() - t0)
        incidents = n
    return best, incidents


def run_baseline(docs: list[str], names: list[str]) -> tuple[float, int, int]:
    from dateparser.search import search_dates

    search_dates(docs[0])  # warm-up: dateparser loads its language data lazily
    n_dates = n_places = 0
    t0 = time.perf_counter()
    for raw in docs:
        found = search_dates(raw) or []
        n_dates += len(found)
        for name in names:
            k = raw.find(name)
            while k >= 0:
                n_places += 1
                k = raw.find(name, k + 1)
    return time.perf_counter() - t0, n_dates, n_places


def startup() -> tuple[float, float, float, float]:
    """Best-of-2 (gazetteer seconds, its VmHWM MB, whole extractor seconds, its VmHWM MB), fresh processes."""
    gaz = (
        "import time; t = time.perf_counter();"
        "from bayyina.extract.gazetteer import Gazetteer; g = Gazetteer.default();"
        "dt = time.perf_counter() - t;"
        "hwm = [l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')][0];"
        "print(dt, hwm)"
    )
    full = (
        "import time; t = time.perf_counter();"
        "from bayyina.extract.pipeline import Extractor; e = Extractor.default();"
        "dt = time.perf_counter() - t;"
        "hwm = [l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')][0];"
        "print(dt, hwm)"
    )
    res = []
    for code in (gaz, full):
        best_t, best_m = float("inf"), float("inf")
        for _ in range(2):  # the first run may pay for a cold disk cache
            out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
            dt, kb = out.stdout.split()
            best_t, best_m = min(best_t, float(dt)), min(best_m, int(kb) / 1024)
        res += [best_t, best_m]
    return res[0], res[1], res[2], res[3]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--size", type=int, default=5000, help="bytes of UTF-8 per document (about)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rounds", type=int, default=3, help="bayyina rounds (best counts: the VM swings by up to 1.5x)")
    ap.add_argument("--baseline-docs", type=int, default=0, help="time the baseline on the first N documents (0: all)")
    ap.add_argument("--no-uncompiled", action="store_true",
                    help="do not also time the uncompiled sources (BAYYINA_NATIVE=0) when the compiled build is used")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)  # time bayyina only, print seconds
    a = ap.parse_args()
    if a.child:
        t, _ = run_bayyina([t for _, t in generate(a.docs, size=a.size, seed=a.seed)], a.rounds)
        print(t)
        return 0

    print(f"machine: {_machine()}")
    gaz_s, gaz_mb, ext_s, ext_mb = startup()
    print(f"start-up: gazetteer {gaz_s:.2f} s, VmHWM {gaz_mb:.0f} MB; whole extractor {ext_s:.2f} s, VmHWM {ext_mb:.0f} MB")

    print(_pin_one_core())
    gen = generate(a.docs, size=a.size, seed=a.seed)
    docs = [t for _, t in gen]
    n_ar = sum(1 for lang, _ in gen if lang == "ar")
    size = sum(len(t.encode("utf-8")) for t in docs)
    chars = sum(len(t) for t in docs)
    print(f"docs: {len(docs)} ({n_ar} Arabic, {len(docs) - n_ar} English), {size / 1e6:.2f} MB UTF-8, "
          f"{chars / 1e6:.2f} M characters, {size / len(docs) / 1000:.1f} KB per document")

    from bayyina import native

    t_b, incidents = run_bayyina(docs, a.rounds)
    rate_b = len(docs) / t_b
    mode = native.status()
    print(f"bayyina:  {rate_b:8.1f} docs/s  ({t_b:.2f} s, {size / 1e6 / t_b:.2f} MB/s, {incidents} incidents; {mode})")
    if mode.startswith("compiled") and not a.no_uncompiled:
        # the same documents through the sources, in a child on the same core, right after
        cmd = [sys.executable, __file__, "--child", "--docs", str(a.docs), "--size", str(a.size),
               "--seed", str(a.seed), "--rounds", str(a.rounds)]
        child = subprocess.run(cmd, env=os.environ | {native.ENV_OFF: "0"}, capture_output=True, text=True, check=True)
        t_u = float(child.stdout.split()[-1])
        print(f"  uncompiled (BAYYINA_NATIVE=0): {len(docs) / t_u:8.1f} docs/s; compiled is {t_u / t_b:.2f}x as fast")

    base_docs = docs[: a.baseline_docs] if a.baseline_docs > 0 else docs
    names = _gazetteer_names()
    t_d, n_dates, n_places = run_baseline(base_docs, names)
    rate_d = len(base_docs) / t_d
    print(f"baseline: {rate_d:8.1f} docs/s  ({t_d:.2f} s on {len(base_docs)} docs; {n_dates} dates, "
          f"{n_places} place hits from {len(names)} names)")
    ratio = rate_b / rate_d
    print(f"ratio:    {ratio:8.1f} x")

    ok = ratio >= TARGET_RATIO and rate_b >= TARGET_DOCS_S and gaz_s <= TARGET_START_S and gaz_mb <= TARGET_RSS_MB
    print(f"targets (ratio >= {TARGET_RATIO:.0f}, >= {TARGET_DOCS_S:.0f} docs/s, start-up <= {TARGET_START_S:.0f} s, "
          f"<= {TARGET_RSS_MB:.0f} MB): {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
