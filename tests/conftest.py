"""Shared test fixtures: data homes, SQLite/PostgreSQL database URLs, the CLI runner.

The PostgreSQL side is a throw-away cluster the suite starts itself: ``initdb``
in a temp dir, a random free port on 127.0.0.1, a unix socket inside the temp
dir, trust auth, fsync off; it is stopped and removed at session end. It starts
lazily, the first time a test asks for ``pg_cluster`` (or the ``postgres``
variant of ``database_url``).

When PostgreSQL's binaries are absent, tests marked ``postgres`` are skipped
with a clear reason - unless ``BAYYINA_REQUIRE_PG=1`` (``make test`` and CI
set it), then they fail loudly. See docs/testing.md.

Fixtures:
    home          tmp data home; sets BAYYINA_HOME, clears BAYYINA_DATABASE_URL.
    database_url  parametrized ``sqlite`` / ``postgres``: a fresh, empty database
                  per test; sets BAYYINA_DATABASE_URL.
    pg_cluster    (session) base URL of the cluster, ``postgresql+psycopg://postgres@127.0.0.1:PORT``
                  (append ``/dbname`` for another database).
    shared_dir    Path to ../shared beside the repo; skips when absent.
    cli           ``cli("init")`` runs the ``bayyina`` Typer app in-process with the home set.
"""

from __future__ import annotations

import atexit
import contextlib
import glob
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DIR = REPO_ROOT.parent / "shared"
PG_USER = "postgres"  # system user that runs the server when we are root; also the DB superuser


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


def pg_required() -> bool:
    """True when PostgreSQL tests must run (``BAYYINA_REQUIRE_PG=1``)."""
    return _truthy(os.environ.get("BAYYINA_REQUIRE_PG"))


def _version_key(path: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", path)) or (0,)


def find_pg_bindir() -> Path | None:
    """The directory holding ``initdb``, ``pg_ctl`` and ``postgres``, or None.

    ``$BAYYINA_PG_BINDIR`` when set (and nothing else: point it at a missing
    directory to simulate a machine without PostgreSQL); otherwise the newest
    Debian ``/usr/lib/postgresql/*/bin``, ``pg_config --bindir``, ``initdb`` on PATH.
    """
    candidates: list[Path] = []
    if os.environ.get("BAYYINA_PG_BINDIR"):
        forced = Path(os.environ["BAYYINA_PG_BINDIR"])
        return forced if _has_server_binaries(forced) else None
    for found in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version_key, reverse=True):
        candidates.append(Path(found))
    pg_config = shutil.which("pg_config")
    if pg_config:
        try:
            out = subprocess.run([pg_config, "--bindir"], check=False, capture_output=True, text=True, timeout=10)
            if out.returncode == 0 and out.stdout.strip():
                candidates.append(Path(out.stdout.strip()))
        except (OSError, subprocess.SubprocessError):
            pass
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(Path(initdb).resolve().parent)
    for d in candidates:
        if _has_server_binaries(d):
            return d
    return None


def _has_server_binaries(d: Path) -> bool:
    return all((d / exe).is_file() and os.access(d / exe, os.X_OK) for exe in ("initdb", "pg_ctl", "postgres"))


def _which(name: str) -> str | None:
    """``shutil.which`` that also looks in the sbin directories (root tools)."""
    return shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin:/usr/local/sbin")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class PgCluster:
    """A throw-away PostgreSQL cluster in a temp dir (see module docstring)."""

    bindir: Path
    base: Path = field(default_factory=Path)
    port: int = 0
    as_user: str | None = None  # run server commands as this user (when we are root)
    running: bool = False

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://{PG_USER}@127.0.0.1:{self.port}"

    @property
    def datadir(self) -> Path:
        return self.base / "data"

    @property
    def sockdir(self) -> Path:
        return self.base / "sock"

    @property
    def logfile(self) -> Path:
        return self.base / "server.log"

    def _cmd(self, exe: str, *args: str) -> list[str]:
        cmd = [str(self.bindir / exe), *args]
        if self.as_user:
            runuser = _which("runuser")
            if runuser:
                return [runuser, "-u", self.as_user, "--", *cmd]
            return [_which("setpriv") or "setpriv", f"--reuid={self.as_user}", f"--regid={self.as_user}", "--init-groups", *cmd]
        return cmd

    def _run(self, exe: str, *args: str, timeout: float = 120) -> None:
        proc = subprocess.run(
            self._cmd(exe, *args), check=False, capture_output=True, text=True, timeout=timeout,
            stdin=subprocess.DEVNULL, cwd=self.base,
        )
        if proc.returncode != 0:
            log = self.logfile.read_text(errors="replace")[-3000:] if self.logfile.exists() else ""
            raise RuntimeError(
                f"PostgreSQL {exe} failed (exit {proc.returncode}): {' '.join(self._cmd(exe, *args))}\n"
                f"--- stdout ---\n{proc.stdout[-3000:]}\n--- stderr ---\n{proc.stderr[-3000:]}\n"
                f"--- server log ---\n{log}"
            )

    def start(self) -> None:
        """initdb + pg_ctl start on a free port; retries a few ports if one is taken."""
        if os.geteuid() == 0:
            self.as_user = _ensure_pg_system_user()
        # Short path: unix socket paths are limited to ~107 bytes.
        self.base = Path(tempfile.mkdtemp(prefix="bayyina-pg-", dir="/tmp" if os.path.isdir("/tmp") else None))
        self.sockdir.mkdir()
        if self.as_user:
            pw = pwd.getpwnam(self.as_user)
            for p in (self.base, self.sockdir):
                os.chown(p, pw.pw_uid, pw.pw_gid)
        os.chmod(self.base, 0o700)
        atexit.register(self.stop)
        init_args = ["-D", str(self.datadir), "-U", PG_USER, "-A", "trust", "-E", "UTF8", "--no-sync"]
        try:
            self._run("initdb", *init_args, "--locale=C.UTF-8")
        except RuntimeError:
            shutil.rmtree(self.datadir, ignore_errors=True)
            self._run("initdb", *init_args, "--no-locale")
        opts = (
            "-c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
            "-c full_page_writes=off -c max_connections=200 "
            f"-k {self.sockdir}"
        )
        last: Exception | None = None
        for _ in range(5):
            self.port = _free_port()
            try:
                self._run(
                    "pg_ctl", "-D", str(self.datadir), "-l", str(self.logfile), "-w", "-t", "60",
                    "-o", f"{opts} -p {self.port}", "start",
                )
                self.running = True
                return
            except RuntimeError as exc:  # port race: try another
                last = exc
                time.sleep(0.2)
        assert last is not None
        raise last

    def stop(self) -> None:
        """Stop the server (immediate) and remove the temp dir. Safe to call twice."""
        if self.running:
            try:
                self._run("pg_ctl", "-D", str(self.datadir), "-m", "immediate", "-w", "stop", timeout=60)
            except (RuntimeError, OSError, subprocess.SubprocessError):
                pass
            self.running = False
        if self.base != Path() and self.base.exists():
            shutil.rmtree(self.base, ignore_errors=True)

    def create_database(self) -> str:
        """Create a fresh empty database; return its name."""
        import psycopg

        name = "t_" + uuid.uuid4().hex[:16]
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user={PG_USER} dbname=postgres",
                             autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return name

    def drop_database(self, name: str) -> None:
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.port} user={PG_USER} dbname=postgres",
                             autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _ensure_pg_system_user() -> str:
    """As root, PostgreSQL refuses to run: make sure the ``postgres`` user exists."""
    try:
        pwd.getpwnam(PG_USER)
    except KeyError:
        subprocess.run(
            [_which("useradd") or "useradd", "--system", "--no-create-home", "--home-dir", "/nonexistent",
             "--shell", "/usr/sbin/nologin", PG_USER],
            check=True, capture_output=True,
        )
    return PG_USER


def _no_pg_reason() -> str:
    return (
        "PostgreSQL server binaries (initdb, pg_ctl, postgres) not found under /usr/lib/postgresql/*/bin "
        "or on PATH; install them with `make system-deps` (apt-get install postgresql)"
    )


# --------------------------------------------------------------------------- pytest hooks


def pytest_report_header(config: pytest.Config) -> list[str]:
    bindir = find_pg_bindir()
    where = str(bindir) if bindir else "NOT FOUND"
    return [f"bayyina: PostgreSQL binaries: {where}; BAYYINA_REQUIRE_PG={'1' if pg_required() else '0'}"]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip ``postgres`` tests when PostgreSQL is absent and not required."""
    if find_pg_bindir() is not None or pg_required():
        return
    skip = pytest.mark.skip(reason=_no_pg_reason())
    for item in items:
        if item.get_closest_marker("postgres") is not None:
            item.add_marker(skip)


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def _pg_cluster_obj() -> Iterator[PgCluster]:
    bindir = find_pg_bindir()
    if bindir is None:
        if pg_required():
            pytest.fail("BAYYINA_REQUIRE_PG=1 but " + _no_pg_reason(), pytrace=False)
        pytest.skip(_no_pg_reason())
    cluster = PgCluster(bindir=bindir)
    try:
        cluster.start()
    except Exception as exc:  # noqa: BLE001 - report any start failure verbatim
        cluster.stop()
        pytest.fail(f"could not start the throw-away PostgreSQL cluster: {exc}", pytrace=False)
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def pg_cluster(_pg_cluster_obj: PgCluster) -> str:
    """Base URL of the session's PostgreSQL cluster (``postgresql+psycopg://postgres@127.0.0.1:PORT``)."""
    return _pg_cluster_obj.url


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh data home: sets ``BAYYINA_HOME``, clears ``BAYYINA_DATABASE_URL``."""
    path = tmp_path / "home"
    path.mkdir()
    monkeypatch.setenv("BAYYINA_HOME", str(path))
    monkeypatch.delenv("BAYYINA_DATABASE_URL", raising=False)
    return path


@pytest.fixture(
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
    ]
)
def database_url(request: pytest.FixtureRequest, home: Path, tmp_path: Path,
                 monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh, empty database per test on SQLite and on PostgreSQL; sets ``BAYYINA_DATABASE_URL``.

    Depends on ``home`` so that it runs after it (``home`` clears the variable).
    """
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'bayyina.db'}"
        monkeypatch.setenv("BAYYINA_DATABASE_URL", url)
        yield url
        return
    cluster: PgCluster = request.getfixturevalue("_pg_cluster_obj")
    name = cluster.create_database()
    url = f"{cluster.url}/{name}"
    monkeypatch.setenv("BAYYINA_DATABASE_URL", url)
    try:
        yield url
    finally:
        with contextlib.suppress(Exception):  # a leftover database dies with the cluster anyway
            cluster.drop_database(name)


@pytest.fixture
def shared_dir() -> Path:
    """``../shared`` beside the repo (read-only corpus); skips the test when absent (e.g. in CI)."""
    if not SHARED_DIR.is_dir():
        pytest.skip(f"shared data directory {SHARED_DIR} is not available here")
    return SHARED_DIR


def _insert_home(command: Any, args: list[str], home: Path) -> list[str]:
    """Place ``--home`` where the app accepts it: on the root callback or on the leaf command."""
    import click

    def has_home(cmd: click.Command) -> bool:
        return any(isinstance(p, click.Option) and "--home" in p.opts for p in cmd.params)

    if "--home" in args:
        return args
    if has_home(command):
        return ["--home", str(home), *args]
    cmd, depth = command, 0
    while isinstance(cmd, click.Group) and depth < len(args):
        sub = cmd.commands.get(args[depth])
        if sub is None:
            break
        cmd, depth = sub, depth + 1
    if cmd is not command and has_home(cmd):
        return [*args[:depth], "--home", str(home), *args[depth:]]
    return args  # no --home option anywhere: BAYYINA_HOME (set by ``home``) applies


CliRun = Callable[..., Any]


@pytest.fixture
def cli(home: Path) -> CliRun:
    """Run the ``bayyina`` Typer app in-process with the test home set.

    ``result = cli("ingest", str(path), input=None)``; ``result.exit_code``,
    ``result.output`` (stdout+stderr), ``result.stdout``, ``result.stderr``.
    """
    import typer.main
    from typer.testing import CliRunner

    from bayyina.cli.main import app

    runner = CliRunner()
    command = typer.main.get_command(app)

    def run(*args: str | os.PathLike[str], input: str | None = None,
            env: dict[str, str] | None = None, catch_exceptions: bool = False) -> Any:
        argv: Sequence[str] = [os.fspath(a) for a in args]
        argv = _insert_home(command, list(argv), home)
        return runner.invoke(app, list(argv), input=input, env=env, catch_exceptions=catch_exceptions)

    return run
