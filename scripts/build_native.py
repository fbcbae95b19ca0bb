"""Compile the extraction's hot modules with mypyc, outside the source tree (bayyina/native.py).

    .venv/bin/python scripts/build_native.py          # build if the sources changed (make native)
    .venv/bin/python scripts/build_native.py --force  # build again
    .venv/bin/python scripts/build_native.py --check  # say whether the build matches, build nothing

The sources are copied to a temporary folder and compiled there (mypyc would
otherwise put the compiled files next to the sources, where they would shadow
later edits); the compiled files and a manifest of the sources' SHA-256 then
replace ``<virtualenv>/bayyina-native/`` in one rename. ``bayyina`` loads them
only while every source still has its recorded hash.

A failed build (no C compiler, a mypyc error) leaves the previous state as it
was and exits 1 with the reason; bayyina then runs its sources, only slower.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from bayyina import native  # the source tree, not an installed copy

SETUP = """
import sys
from setuptools import setup
from mypyc.build import mypycify

paths = sys.argv[1:]
sys.argv[1:] = ["build_ext", "--inplace", "--parallel", "{jobs}"]
setup(name="bayyina-native", ext_modules=mypycify(
    ["--ignore-missing-imports", *paths], multi_file=True, group_name="{group}", opt_level="3"))
"""


def build(dest: Path, *, quiet: bool) -> None:
    hashes = native.source_hashes()
    paths = [str(Path(*m.split(".")).with_suffix(".py")) for m in native.NATIVE_MODULES]
    dest.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bayyina-native-") as tmp:
        work = Path(tmp) / "src"
        shutil.copytree(ROOT / "src" / "bayyina", work / "bayyina",
                        ignore=shutil.ignore_patterns("__pycache__", "*.so", "data", "static", "templates"))
        if native.source_hashes() != hashes or any(
            (work / p).read_bytes() != (ROOT / "src" / p).read_bytes() for p in paths
        ):
            raise SystemExit("build_native: the sources changed while they were copied; run it again")
        (work / "setup_native.py").write_text(SETUP.format(jobs=min(4, os.cpu_count() or 1), group=native.GROUP))
        log = Path(tmp) / "build.log"
        with log.open("w") as out:
            rc = subprocess.call([sys.executable, "setup_native.py", *paths], cwd=work,
                                 stdout=out, stderr=subprocess.STDOUT)
        if rc != 0:
            tail = log.read_text(errors="replace").splitlines()[-25:]
            raise SystemExit("build_native: mypyc failed (the sources will run uncompiled):\n" + "\n".join(tail))
        staged = Path(tempfile.mkdtemp(prefix=".bayyina-native-", dir=dest.parent))
        try:
            for name in (*native.NATIVE_MODULES, f"{native.GROUP}__mypyc"):
                rel = Path(*name.split(".")).with_name(name.rsplit(".", 1)[-1] + native.ext_suffix())
                if not (work / rel).is_file():
                    raise SystemExit(f"build_native: mypyc did not produce {rel}")
                (staged / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(work / rel, staged / rel)
            import mypy.version

            manifest = {"sources": hashes, "ext_suffix": native.ext_suffix(), "python": sys.version.split()[0],
                        "mypy": mypy.version.__version__, "built": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
            (staged / native.MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
            old = dest.with_name(dest.name + ".old")
            shutil.rmtree(old, ignore_errors=True)
            if dest.exists():
                dest.rename(old)
            staged.rename(dest)
            shutil.rmtree(old, ignore_errors=True)
        finally:
            shutil.rmtree(staged, ignore_errors=True)
    if not quiet:
        print(f"build_native: compiled {len(native.NATIVE_MODULES)} modules into {dest}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--force", action="store_true", help="build even if the build matches the sources")
    ap.add_argument("--check", action="store_true", help="only say whether the build matches the sources")
    ap.add_argument("--dest", type=Path, default=None, help="where to put the build (default: %(default)s)")
    args = ap.parse_args()
    dest = args.dest or native.native_dir()
    files, why = native.usable(dest)
    if args.check:
        print(f"build_native: {'up to date' if files else why}")
        return 0 if files else 1
    if files and not args.force:
        print(f"build_native: up to date ({dest})")
        return 0
    t0 = time.monotonic()
    print(f"build_native: compiling the extraction with mypyc ({why or 'forced'}); about two minutes")
    build(dest, quiet=False)
    print(f"build_native: done in {time.monotonic() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
