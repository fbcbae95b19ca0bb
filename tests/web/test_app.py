"""The web app factory: placeholder home page and the health endpoint."""

from __future__ import annotations

import socket
import subprocess
import sys
import time

import httpx
import pytest
from fastapi.testclient import TestClient

from bayyina.web.app import create_app, package_version


def test_health() -> None:
    client = TestClient(create_app())
    response = client.get("/api/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "version": package_version()}


def test_home_page_is_arabic_first_and_links() -> None:
    client = TestClient(create_app())
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    body = response.text
    assert '<html lang="ar" dir="rtl">' in body
    assert "بيّنة" in body
    assert "chemical-weapons" in body
    assert 'href="/docs"' in body
    assert 'href="/api/health"' in body


def test_openapi_docs_served() -> None:
    client = TestClient(create_app())
    assert client.get("/docs").status_code == 200
    schema = client.get("/openapi.json").json()
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
