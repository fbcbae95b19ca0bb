"""Benchmark: ``bayyina verify`` throughput against ``sha256sum`` on the same originals.

Generates ≥ 500 MB of PDFs without a text layer (incompressible payload), ingests them into
a throw-away home on SQLite, then times ``sha256sum`` over the vault's blobs
and ``verify`` (log chain, checkpoints, rows and every original's hash) in the
same run, best of N each, and prints both throughputs and their ratio
(target: verify ≥ 0.5 × sha256sum). Run with ``make bench`` or directly:

    .venv/bin/python bench/bench_verify.py [--size-mb 512] [--files 64] [--rounds 2]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bayyina.settings import Settings
from bayyina.vault.home import Home, init_home
from bayyina.vault.ingest import ingest
from bayyina.vault.verify import verify


def _write_pdf(path: Path, payload_size: int, seed: int, block: bytes) -> None:
    """A valid one-page PDF (no text layer) carrying ``payload_size`` bytes of incompressible data."""
    with open(path, "wb") as fh:
        offsets: list[int] = []

        def obj(body: bytes) -> None:
            offsets.append(fh.tell())
            fh.write(f"{len(offsets)} 0 obj\n".encode() + body + b"\nendobj\n")

        fh.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        obj(b"<< /Type /Catalog /Pages 2 0 R >>")
        obj(b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
        obj(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>")
        content = b"0.5 g 72 400 300 200 re f"
        obj(b"<< /Length " + str(len(content)).encode() + b" >>\nstream\n" + content + b"\nendstream")
        offsets.append(fh.tell())
        fh.write(f"5 0 obj\n<< /Length {payload_size} >>\nstream\n".encode())
        left, j = payload_size, 0
        while left > 0:
            k = (seed * 7919 + j * 104729) % (len(block) - 1)
            chunk = block[k:] + block[:k]
            fh.write(chunk[: min(left, len(chunk))])
            left -= len(chunk)
            j += 1
        fh.write(b"\nendstream\nendobj\n")
        xref = fh.tell()
        fh.write(f"xref\n0 {len(offsets) + 1}\n0000000000 65535 f \n".encode())
        fh.writelines(f"{off:010d} 00000 n \n".encode() for off in offsets)
        fh.write(f"trailer\n<< /Size {len(offsets) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())


def make_files(d: Path, total_mb: int, n_files: int) -> list[Path]:
    """Scanned-PDF-like files (no text layer, incompressible payload) totalling ``total_mb`` MiB."""
    d.mkdir(parents=True, exist_ok=True)
    per = total_mb * (1 << 20) // n_files
    block = os.urandom(1 << 20)
    out = []
    for i in range(n_files):
        p = d / f"scan{i:04d}.pdf"
        _write_pdf(p, per, i, block)
        out.append(p)
    return out


def time_sha256sum(paths: list[Path]) -> float:
    """Seconds ``sha256sum`` takes over ``paths``."""
    t0 = time.perf_counter()
    subprocess.run(["sha256sum", *map(str, paths)], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size-mb", type=int, default=512)
    ap.add_argument("--files", type=int, default=64)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--dir", type=Path, default=None, help="Work directory (default: a temp dir, removed after).")
    args = ap.parse_args()
    if shutil.which("sha256sum") is None:
        print("bench_verify: sha256sum not found", file=sys.stderr)
        return 2
    work = args.dir or Path(tempfile.mkdtemp(prefix="bayyina-bench-"))
    try:
        src = work / "src"
        print(f"generating {args.size_mb} MiB in {args.files} files under {src} …", flush=True)
        make_files(src, args.size_mb, args.files)
        settings = Settings.load(home=work / "home", database_url=f"sqlite:///{work / 'home' / 'bench.sqlite3'}")
        init_home(settings)
        home = Home.open(settings)
        try:
            t0 = time.perf_counter()
            rep = ingest(home, [str(p) for p in sorted(src.iterdir())], extract=False)
            ingested = [o for o in rep.outcomes if o.status == "ingested"]
            if rep.failed:
                print(f"note: {len(rep.failed)} files refused by the text reader "
                      f"(first: {rep.failed[0].reason}); benchmarking the {len(ingested)} stored ones")
            print(f"ingest: {time.perf_counter() - t0:.1f}s")
            blobs = sorted(home.vault.iter_blobs())
            total = sum(p.stat().st_size for p in blobs)
            if total < 500 * 10**6:
                print(f"warning: only {total / 1e6:.0f} MB stored (< 500 MB)")
            sums, vers, vers1 = [], [], []
            for _ in range(args.rounds):
                sums.append(time_sha256sum(blobs))
                t0 = time.perf_counter()
                v = verify(home)
                vers.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                verify(home, workers=1)
                vers1.append(time.perf_counter() - t0)
                if not v.ok:
                    print("verify FAILED:", *v.problems, sep="\n  ")
                    return 1
        finally:
            home.close()
        s, v_ = min(sums), min(vers)
        mb = total / 1e6
        print(f"data:      {mb:,.0f} MB in {len(blobs)} originals")
        print(f"sha256sum: {s:.2f}s  {mb / s:,.0f} MB/s")
        print(f"verify:    {v_:.2f}s  {mb / v_:,.0f} MB/s  (chain, checkpoints, rows and originals; "
              f"{os.cpu_count()} cores)")
        v1 = min(vers1)
        print(f"verify -j1:{v1:.2f}s  {mb / v1:,.0f} MB/s  (one hashing thread)")
        ratio = (mb / v_) / (mb / s)
        print(f"ratio verify/sha256sum throughput: {ratio:.2f} (target >= 0.5) {'OK' if ratio >= 0.5 else 'BELOW TARGET'}")
        return 0 if ratio >= 0.5 else 1
    finally:
        if args.dir is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
