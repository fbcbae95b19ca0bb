"""SIGKILL in the middle of a batch: vault, log and database stay consistent; a rerun completes the batch."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bayyina.settings import Settings
from bayyina.store.models import Document
from bayyina.vault.home import Home, init_home
from bayyina.vault.verify import verify
from tests.vault.samples import AR_TEXT, EN_TEXT, write

N_FILES = 400
CMD = [sys.executable, "-c", "from bayyina.cli.main import app; app()"]


def _blobs(home: Path) -> int:
    return sum(len(files) for _r, _d, files in os.walk(home / "vault" / "sha256"))


@pytest.mark.slow
def test_sigkill_mid_batch_then_rerun(database_url: str, home: Path, tmp_path: Path) -> None:
    settings = Settings.load()
    init_home(settings)
    src = tmp_path / "batch"
    for i in range(N_FILES):
        write(src / f"d{i:04d}.txt", f"Document {i}\n{EN_TEXT if i % 2 else AR_TEXT}")
    env = dict(os.environ)
    proc = subprocess.Popen([*CMD, "ingest", "--no-extract", "--label", "crash", str(src)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while _blobs(home) < 40 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.005)
    assert proc.poll() is None, "the batch finished before it could be killed: " + proc.stderr.read().decode()[-500:]  # type: ignore[union-attr]
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    assert proc.returncode == -signal.SIGKILL

    h = Home.open(settings)
    try:
        with h.session() as s:
            stored = int(s.scalar(select(func.count()).select_from(Document)) or 0)
        assert 0 < stored < N_FILES, stored
        rep = verify(h)
        assert rep.ok, [str(p) for p in rep.problems]
    finally:
        h.close()

    done = subprocess.run([*CMD, "ingest", "--no-extract", "--label", "crash", str(src)], env=env, check=False,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert f"{N_FILES - stored} ingested, {stored} already present, 0 refused" in done.stdout

    h = Home.open(settings)
    try:
        with h.session() as s:
            shas = list(s.scalars(select(Document.sha256)))
        assert len(shas) == N_FILES == len(set(shas))
        rep = verify(h)
        assert rep.ok, [str(p) for p in rep.problems]
    finally:
        h.close()
    check = subprocess.run([*CMD, "verify"], env=env, check=False, capture_output=True, text=True, timeout=300)
    assert check.returncode == 0 and "verify OK" in check.stdout
