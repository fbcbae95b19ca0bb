#!/usr/bin/env bash
# Install the system packages bayyina's tests need, with apt-get, only when missing.
#
#   scripts/system-deps.sh           # everything the test suite needs (PostgreSQL, ...)
#   scripts/system-deps.sh python    # only what `python3 -m venv` needs
#
# Each requirement is "package + a check"; packages whose check passes are not
# touched. apt-get update runs at most once. Not root and no password-less sudo,
# or no apt-get: say what is missing and carry on (the tests then skip or fail
# with a clear reason). To add a requirement (e.g. Chromium), add a `need` line.
set -euo pipefail

MISSING=()

# need PACKAGE CHECK...  -- queue PACKAGE unless the CHECK command succeeds
need() {
  local pkg=$1; shift
  if "$@" >/dev/null 2>&1; then
    echo "system-deps: $pkg: present"
  else
    MISSING+=("$pkg")
  fi
}

pg_bindir_present() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    [[ -x $d/initdb && -x $d/pg_ctl && -x $d/postgres ]] && return 0
  done
  return 1
}

case "${1:-test}" in
  python)
    need python3-venv python3 -c 'import ensurepip, venv'
    # followthemoney -> rigour/normality -> PyICU, built from source against ICU
    need pkg-config command -v pkg-config
    need libicu-dev pkg-config --exists icu-uc
    ;;
  test)
    need python3-venv python3 -c 'import ensurepip, venv'
    need pkg-config command -v pkg-config
    need libicu-dev pkg-config --exists icu-uc
    need postgresql pg_bindir_present
    # browser tests (Playwright drives Debian's Chromium; no browser download)
    need chromium command -v chromium
    # dossier PDFs (WeasyPrint renders with Pango)
    need libpango-1.0-0 sh -c 'ldconfig -p | grep -q libpango-1.0.so'
    need libpangoft2-1.0-0 sh -c 'ldconfig -p | grep -q libpangoft2-1.0.so'
    # dossier tests render a PDF page to PNG (pdftoppm) and read word boxes (pdftotext)
    need poppler-utils command -v pdftoppm
    ;;
  *)
    echo "usage: $0 [test|python]" >&2; exit 2 ;;
esac

if [[ ${#MISSING[@]} -eq 0 ]]; then
  exit 0
fi

SUDO=()
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO=(sudo -n)
  else
    echo "system-deps: WARNING: not root (and no password-less sudo): not installing ${MISSING[*]}." >&2
    echo "system-deps: install them yourself: sudo apt-get install -y ${MISSING[*]}" >&2
    exit 0
  fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "system-deps: WARNING: no apt-get on this machine: install ${MISSING[*]} with your package manager." >&2
  exit 0
fi

# The Debian postgresql package would create and start a system cluster "main";
# the tests start their own throw-away cluster, so ask it not to.
if [[ " ${MISSING[*]} " == *" postgresql "* && ! -e /etc/postgresql-common/createcluster.conf ]]; then
  "${SUDO[@]}" mkdir -p /etc/postgresql-common
  echo "create_main_cluster = false" | "${SUDO[@]}" tee /etc/postgresql-common/createcluster.conf >/dev/null
fi

export DEBIAN_FRONTEND=noninteractive
echo "system-deps: installing ${MISSING[*]} with apt-get"
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${MISSING[@]}" </dev/null
