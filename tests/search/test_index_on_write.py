"""The search index is kept fresh when records are written, not when they are searched.

Ingest (serial and the Dask writer), ``incidents resolve``, ``actors add`` /
``actors amend``, a web upload and a review merge, and savepoint or
transaction rollbacks (on SQLite and PostgreSQL where the test takes ``database_url``): what was written is found without any ``refresh`` call, and a
later ``refresh`` finds nothing left to do. A search (``/api/search``, the
``/search`` page, ``bayyina search``) only reads: it answers while another
connection holds SQLite's write lock. The reports are written for these tests.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, text

from bayyina.resolve.actors import add_actor
from bayyina.search.index import refresh
from bayyina.search.service import search
from bayyina.settings import Settings
from bayyina.vault.home import Home

REPORTS = {
    "khan.txt": "GENEVA - Inspectors said sarin was used in Khan Shaykhun on 4 April 2017, killing dozens of civilians.",
    "saraqib.txt": ("إدلب - قال مسعفون إن مروحية ألقت برميلاً يحوي غاز الكلور على بلدة سراقب يوم ٤ شباط ٢٠١٨ "
                    "ما أدى إلى إصابة ١١ شخصاً بحالات اختناق."),
}


def _write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(exist_ok=True)
    for name, body in files.items():
        (folder / name).write_text(body, encoding="utf-8")
    return folder


@pytest.fixture
def opened(database_url: str, cli: Any) -> Iterator[Home]:
    assert cli("init").exit_code == 0
    h = Home.open(Settings.load())
    try:
        yield h
    finally:
        h.close()


def _kinds(h: Home, query: str, kind: str) -> list[int]:
    with h.session() as s:
        ids = [hit.id for hit in search(s, query, kinds=[kind], limit=50)]
        s.rollback()
    return ids


def _nothing_left(h: Home) -> None:
    """A refresh after the writes finds nothing new, changed or gone: the writes indexed everything."""
    with h.session() as s:
        st = refresh(s)
        s.rollback()
    assert (st.added, st.updated, st.removed) == (0, 0, 0), st


def test_ingest_resolve_and_actor_edits_are_searchable_at_once(opened: Home, cli: Any, tmp_path: Path) -> None:
    res = cli("ingest", _write(tmp_path / "in", REPORTS))
    assert res.exit_code == 0, res.output
    assert len(_kinds(opened, "sarin", "document")) == 1
    assert len(_kinds(opened, "بسراقب", "document")) == 1  # a proclitic form
    assert _kinds(opened, "incident", "incident") == []
    assert cli("incidents", "resolve").exit_code == 0
    assert _kinds(opened, "سراقب", "incident") or _kinds(opened, "saraqib", "incident")
    res = cli("actors", "add", "person", "--name-en", "Test Commander", "--alias", "ابو ورد")
    assert res.exit_code == 0, res.output
    [actor] = _kinds(opened, "ورد", "actor")
    res = cli("actors", "amend", str(actor), "--alias", "ابو زهره", "--why", "test: alias corrected")
    assert res.exit_code == 0, res.output
    assert _kinds(opened, "ورد", "actor") == []
    assert _kinds(opened, "زهرة", "actor") == [actor]  # ة and ه fold together
    _nothing_left(opened)
    # a store written by an older version: rows missing until `bayyina search refresh`
    with opened.session() as s:
        s.execute(text("DELETE FROM search_index WHERE kind = 'document'"))
        s.commit()
    assert _kinds(opened, "sarin", "document") == []
    res = cli("search", "refresh")
    assert res.exit_code == 0 and "2 added, 0 updated, 0 removed" in res.output, res.output
    assert len(_kinds(opened, "sarin", "document")) == 1


def test_cli_search_on_a_home_never_initialised(home: Path, cli: Any) -> None:
    res = cli("search", "sarin")
    assert res.exit_code == 2 and "bayyina init" in res.output, res.output


def test_rolled_back_writes_leave_no_index_row(opened: Home) -> None:
    with opened.session() as s:
        add_actor(s, who="test", kind="person", name_en="Rolled Back")
        s.rollback()
        with s.begin_nested():
            add_actor(s, who="test", kind="person", name_en="Kept Person")
        nested = s.begin_nested()
        add_actor(s, who="test", kind="person", name_en="Savepoint Dropped")
        nested.rollback()
        s.commit()
    assert _kinds(opened, "rolled", "actor") == []
    assert _kinds(opened, "dropped", "actor") == []
    assert len(_kinds(opened, "kept", "actor")) == 1
    with opened.session() as s:
        assert s.execute(text("SELECT count(*) FROM search_index WHERE kind = 'actor'")).scalar() == 1


def test_parallel_ingest_indexes_each_batch(home: Path, cli: Any, tmp_path: Path) -> None:
    from distributed import Client, LocalCluster

    from bayyina.vault.ingest import iter_targets
    from bayyina.vault.parallel import ingest_parallel

    assert cli("init").exit_code == 0
    h = Home.open(Settings.load())
    folder = _write(tmp_path / "in", {**REPORTS, "third.txt": "Chlorine again in Kafr Zita, rescuers said."})
    try:
        with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as cluster, \
                Client(cluster) as client:
            rep = ingest_parallel(h, iter_targets([str(folder)]), client, extract=False, batch=2)
        assert rep.ok, rep
        assert len(_kinds(h, "sarin", "document")) == 1
        assert len(_kinds(h, "كفرزيتا", "document")) + len(_kinds(h, "zita", "document")) == 1
        _nothing_left(h)
    finally:
        h.close()


def test_web_upload_and_merge_are_searchable_at_once(home: Path, cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from fastapi.testclient import TestClient

    from bayyina.web import auth
    from bayyina.web.app import create_app

    monkeypatch.setenv("BAYYINA_ARGON2", "fast")
    assert cli("init").exit_code == 0
    settings = Settings.load()
    h = Home.open(settings)
    with h.session() as s:
        auth.add_user(s, "rev", "reviewer", "reviewer-password")
        _tok, token = auth.create_token(s, "rev")
        s.commit()
    headers = {"Authorization": f"Bearer {token}"}
    with TestClient(create_app(settings)) as c:
        files = [("files", (name, body.encode("utf-8"), "text/plain")) for name, body in REPORTS.items()]
        r = c.post("/api/upload", files=files, headers=headers)
        assert r.status_code == 200, r.text
        assert [f["status"] for f in r.json()["files"]] == ["stored", "stored"], r.text
        assert [x["kind"] for x in c.get("/api/search", params={"q": "بسراقب", "kind": "document"},
                                         headers=headers).json()] == ["document"], r.text
        with h.session() as s:
            active = [int(i) for i in s.execute(text("SELECT id FROM incidents WHERE active")).scalars()]
            indexed = {int(i) for i in s.execute(text("SELECT ref_id FROM search_index WHERE kind = 'incident'")).scalars()}
            s.rollback()
        assert len(active) == 2 and indexed == set(active), (active, indexed)  # the upload resolved them
        a, b = active  # two attacks; a reviewer merges B into A anyway: B leaves the index in the same commit
        r = c.post("/review/merge", data={"a": a, "b": b, "reason": "test merge"}, headers=headers,
                   follow_redirects=False)
        assert r.status_code == 303, r.text
        with h.session() as s:
            indexed = {int(i) for i in s.execute(text("SELECT ref_id FROM search_index WHERE kind = 'incident'")).scalars()}
            s.rollback()
        assert indexed == {a}
    _nothing_left(h)
    h.close()


def _within(seconds: float, fn: Callable[[], Any]) -> Any:
    """``fn()`` run in a thread; fails when it has not returned within ``seconds`` (it would wait for the lock)."""
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - re-raised below in the test's thread
            box["error"] = exc

    th = threading.Thread(target=run, daemon=True)
    th.start()
    th.join(seconds)
    assert not th.is_alive(), f"still waiting after {seconds} s: the search asked for the write lock"
    if "error" in box:
        raise box["error"]
    return box["value"]


def test_a_search_takes_no_write_lock(home: Path, cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from fastapi.testclient import TestClient

    from bayyina.web import auth
    from bayyina.web.app import create_app

    monkeypatch.setenv("BAYYINA_ARGON2", "fast")
    assert cli("init").exit_code == 0
    assert cli("ingest", "--no-extract", _write(tmp_path / "in", REPORTS)).exit_code == 0
    settings = Settings.load()
    h = Home.open(settings)
    with h.session() as s:
        auth.add_user(s, "reader", "viewer", "reader-password")
        _tok, token = auth.create_token(s, "reader")
        s.commit()
    h.close()

    app = create_app(settings)
    with TestClient(app) as c:
        headers = {"Authorization": f"Bearer {token}"}
        # the app opens its home once (a schema check on the writers' engine), before the lock is taken
        assert c.get("/api/search", params={"q": "warm"}, headers=headers).status_code == 200
        begins: list[int] = []
        engine = app.state.bayyina.home().engine  # the writers' engine (BEGIN IMMEDIATE)
        event.listen(engine, "begin", lambda _conn: begins.append(1))
        db = settings.database_url.removeprefix("sqlite:///")
        holder = sqlite3.connect(db, isolation_level=None, timeout=1)
        holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock
        try:
            r = _within(20, lambda: c.get("/api/search", params={"q": "sarin"}, headers=headers))
            assert r.status_code == 200 and [h["kind"] for h in r.json()] == ["document"], r.text
            page = _within(20, lambda: c.get("/search", params={"q": "سراقب"}, headers=headers))
            assert page.status_code == 200 and "<mark>" in page.text
            res = _within(20, lambda: cli("search", "sarin", "--json"))
            assert res.exit_code == 0 and '"document"' in res.output, res.output
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert begins == [], "a search opened a transaction on the writers' engine"
