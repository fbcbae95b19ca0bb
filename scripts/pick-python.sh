#!/usr/bin/env bash
# Print the Python interpreter `make` builds .venv with (the Makefile's PYTHON; set PYTHON=... to
# choose yourself).
#
# The distribution's own /usr/bin/python3 comes first when it is 3.11 or newer, can make a venv
# (ensurepip) and has its C headers (the mypyc build of the extraction needs them): Debian and
# Ubuntu build it with profile-guided optimisation and LTO and link libpython into the binary.
# A pyenv or python.org build made with the defaults (--enable-shared, no --enable-optimizations)
# ran the extraction about 1.15x slower on the same machine (docs/benchmarks.md). Otherwise the
# first `python3` on PATH, as before.
set -euo pipefail

usable() {
  "$1" - <<'EOF' >/dev/null 2>&1
import os, sys, sysconfig
import ensurepip, venv  # noqa: F401  (python3-venv installed)
assert sys.version_info >= (3, 11)
assert os.path.exists(os.path.join(sysconfig.get_path("include"), "Python.h"))
EOF
}

for candidate in /usr/bin/python3; do
  if [[ -x $candidate ]] && usable "$candidate"; then
    echo "$candidate"
    exit 0
  fi
done
echo python3
