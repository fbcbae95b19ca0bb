"""The web app factory: the home page without a data home, the health endpoint, OpenAPI, ``bayyina serve``."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from bayyina.web.app import create_app, package_version
from tests.conftest import CliRun
from tests.web.conftest import Site


def test_health() -> None:
    client = TestClient(create_app())
    response = client.get("/api/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "version": package_version()}


def test_home_page_is_arabic_first_and_links(home: Path) -> None:
    """Without an initialised home the login page still answers, saying to run ``bayyina init``;
    the dashboard answers 503 with the reason."""
    client = TestClient(create_app())
    assert client.get("/").status_code == 503
    response = client.get("/login")
    assert response.status_code == 200
    assert "bayyina init" in response.text
    assert response.headers["content-type"].startswith("text/html")
    body = response.text
    assert '<html lang="ar" dir="rtl">' in body
    assert "بيّنة" in body
    assert "chemical-weapons" in body
    assert 'href="/docs"' in body
    assert 'href="/api/health"' in body


def test_openapi_docs_need_a_login(site: Site) -> None:
    anonymous = TestClient(site.client.app)
    assert anonymous.get("/openapi.json").status_code == 401
    r = anonymous.get("/docs", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?next=%2Fdocs"
    assert site.client.get("/docs").status_code == 200
    schema = site.client.get("/openapi.json").json()
    assert "/api/health" in schema["paths"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


SERVE_SCRIPT = """
import sys, typer
from bayyina.cli.serve_cmds import register
app = typer.Typer()
app.callback()(lambda: None)
register(app)
app(sys.argv[1:])
"""


@pytest.mark.slow
def test_serve_command_serves_health() -> None:
    """``bayyina serve`` runs a real uvicorn server that answers /api/health."""
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-c", SERVE_SCRIPT, "serve", "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        body = None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                body = httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2).json()
                break
            except httpx.TransportError:
                time.sleep(0.2)
        assert body == {"status": "ok", "version": package_version()}, proc.poll()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.mark.slow
def test_serve_home_option_serves_that_home(cli: CliRun, tmp_path: Path) -> None:
    """``bayyina serve --home DIR`` serves the documents of that home."""
    other = tmp_path / "other-home"
    assert cli("init", "--home", str(other)).exit_code == 0
    assert cli("users", "add", "reader", "--role", "viewer", "--password-stdin", "--home", str(other),
               input="reader-password\n", env={"BAYYINA_ARGON2": "fast"}).exit_code == 0
    made = cli("users", "token", "create", "reader", "--home", str(other))
    assert made.exit_code == 0, made.output
    token = made.stdout.strip().splitlines()[-1]
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-c", SERVE_SCRIPT, "serve", "--port", str(port), "--home", str(other)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        env={k: v for k, v in os.environ.items() if k not in ("BAYYINA_HOME", "BAYYINA_DATABASE_URL")},
    )
    try:
        deadline = time.monotonic() + 30
        answer = None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/api/documents", timeout=2,
                                   headers={"Authorization": f"Bearer {token}"})
                break
            except httpx.TransportError:
                time.sleep(0.2)
        assert answer is not None and answer.status_code == 200, proc.poll()
        assert answer.json() == []
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
