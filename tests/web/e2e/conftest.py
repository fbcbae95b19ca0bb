"""Browser tests: the real app under uvicorn (a subprocess on a free port, over a fresh home on SQLite)
and Debian's Chromium driven by Playwright. No browser is ever downloaded: Chromium is
``/usr/bin/chromium`` (``scripts/system-deps.sh test``). Without it (or without the ``playwright``
package) the tests skip with the reason, unless ``BAYYINA_REQUIRE_BROWSER=1`` (the Makefile sets it),
which makes them fail instead. Screenshots go to ``tests/web/e2e/artifacts/`` (git-ignored)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("BAYYINA_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
PASSWORD = "correct horse battery staple"


def _missing_browser() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -e '.[test]')"
    if not CHROMIUM.exists():
        return f"no Chromium at {CHROMIUM} (run scripts/system-deps.sh test)"
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless, launched by Playwright (never downloaded)."""
    why = _missing_browser()
    if why:
        if os.environ.get("BAYYINA_REQUIRE_BROWSER") == "1":
            pytest.fail(f"BAYYINA_REQUIRE_BROWSER=1 but {why}")
        pytest.skip(why)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def _free_port() -> int:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    """The app under uvicorn: its base URL, settings and the users made for the tests."""

    url: str
    settings: Any
    users: dict[str, str]  # role -> user name (empty before the login area exists)
    log: Path


def _make_users(settings: Any) -> dict[str, str]:
    import importlib.util

    if importlib.util.find_spec("bayyina.web.auth") is None:
        return {}
    from bayyina.vault.home import Home
    from bayyina.web import auth

    users = {"analyst": "amal", "reviewer": "rami"}
    h = Home.open(settings)
    try:
        with h.session() as s:
            for role, name in users.items():
                auth.add_user(s, name, role, PASSWORD)
            s.commit()
    finally:
        h.close()
    return users


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``bayyina init`` over a temp home, users, then uvicorn serving ``create_app`` on a free port."""
    from bayyina.settings import Settings
    from bayyina.vault.home import init_home

    base = tmp_path_factory.mktemp("e2e")
    settings = Settings.load(home=base / "home", database_url=f"sqlite:///{base / 'bayyina.db'}", user="e2e")
    init_home(settings)
    users = _make_users(settings)
    port = _free_port()
    env = {**os.environ, "BAYYINA_HOME": str(settings.home), "BAYYINA_DATABASE_URL": settings.database_url,
           "BAYYINA_USER": "e2e"}
    env.pop("BAYYINA_TILE_URL", None)  # offline: only the bundled outline
    log = base / "uvicorn.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "--factory", "bayyina.web.app:create_app",
                                 "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
                                 "--timeout-graceful-shutdown", "1"],
                                env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/health", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"uvicorn did not start: {log.read_text(errors='replace')[-2000:]}")
            time.sleep(0.1)
        yield Server(url, settings, users, log)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Where screenshots go (git-ignored)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
