"""Four concurrent writers on one store: nothing lost, the custody chain stays valid.

Four threads, each with its own engine (its own connections), write for
``BAYYINA_CONCURRENCY_SECONDS`` (default 60 s on PostgreSQL; SQLite runs a
twelfth of that, at least 5 s):

* a serial ingester (``Ingestor.ingest_target``, extraction included: one
  transaction for the rows, one for the run);
* a batch ingester (the parallel path's writer: five files per transaction);
* an incident reviewer (``resolve.incidents.review``, moving incidents along
  draft → in_review → approved → in_review → draft …);
* a sanctions editor (``sanctions.designations.amend`` of one designation,
  and ``resolve.actors.amend_actor``).

Each writer records what it committed; afterwards every write must be in the
store (rows and custody entries) and ``bayyina verify`` must pass.
"""

from __future__ import annotations

import os
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bayyina.settings import Settings
from bayyina.store.models import CustodyEntry, Document, ExtractionRun
from bayyina.vault import custody
from bayyina.vault.home import Home, init_home
from bayyina.vault.ingest import Ingestor, ingest
from bayyina.vault.parallel import _Writer, prepare
from bayyina.vault.verify import verify
from tests.vault.samples import write
from tests.vault.test_parallel import report

SECONDS = float(os.environ.get("BAYYINA_CONCURRENCY_SECONDS", "60"))
CYCLE = ["in_review", "approved", "in_review", "draft"]


def _seconds(database_url: str) -> float:
    return SECONDS if database_url.startswith("postgresql") else max(5.0, SECONDS / 12)


class _Run:
    """Shared state of the writers: the stop time and the errors met."""

    def __init__(self, seconds: float) -> None:
        self.until = time.monotonic() + seconds
        self.errors: list[str] = []

    def going(self) -> bool:
        return time.monotonic() < self.until and not self.errors

    def thread(self, name: str, settings: Settings, body: Callable[[Home], None]) -> threading.Thread:
        def run() -> None:
            h = Home.open(settings)  # one engine per writer
            try:
                body(h)
            except BaseException as exc:  # noqa: BLE001 - reported by the test
                self.errors.append(f"{name}: {exc.__class__.__name__}: {exc}")
            finally:
                h.close()

        return threading.Thread(target=run, name=name)


def _setup(settings: Settings, tmp: Path) -> tuple[list[int], int, int]:
    """Six reports ingested and resolved into incidents; one actor and one designation."""
    from bayyina.resolve.actors import add_actor
    from bayyina.resolve.incidents import resolve
    from bayyina.sanctions.designations import add_designation
    from bayyina.store.models_resolve import Incident

    init_home(settings)
    h = Home.open(settings)
    try:
        rep = ingest(h, [str(write(tmp / "seed" / f"s{i}.txt", report(1000 + i))) for i in range(6)])
        assert rep.ok
        with h.session() as s:
            resolve(s, "setup")
            s.commit()
            incidents = list(s.scalars(select(Incident.id).where(Incident.status == "draft").order_by(Incident.id)))
            actor = add_actor(s, who="setup", kind="unit", name_en="Test Rocket Battalion 7",
                              name_ar="كتيبة الصواريخ 7", why="concurrency test").actor
            d = add_designation(s, who="setup", authority="EU", programme="CW regime", actor=actor,
                                measure_names=["asset_freeze"], start="2019-01-21")
            s.commit()
            return incidents, d.id, actor.id
    finally:
        h.close()


@pytest.mark.slow
@pytest.mark.parametrize("database_url", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
                         indirect=True)
def test_four_writers_lose_nothing(database_url: str, home: Path, tmp_path: Path) -> None:
    from bayyina.resolve.actors import amend_actor
    from bayyina.resolve.incidents import review
    from bayyina.sanctions.designations import amend
    from bayyina.store.models_actors import Actor, Designation
    from bayyina.store.models_resolve import Incident

    settings = Settings.load()
    incidents, designation_id, actor_id = _setup(settings, tmp_path)
    assert incidents, "the seed reports gave no incident to review"
    run = _Run(_seconds(database_url))
    done: dict[str, Any] = {"serial": [], "batch": [], "review": [], "sanctions": 0, "actor": 0}

    def serial_ingest(h: Home) -> None:
        ing = Ingestor(h, labels=["serial"])
        i = 0
        while run.going():
            path = write(tmp_path / "serial" / f"{i:05d}.txt", f"serial writer, file {i}\n{report(i)}")
            o = ing.ingest_target(str(path))
            assert o.status == "ingested", (o.target, o.status, o.reason)
            done["serial"].append(o.sha256)
            i += 1

    def batch_ingest(h: Home) -> None:
        writer = _Writer(h, Ingestor(h, labels=["batch"]))
        vault_root = str(h.vault.root)
        i = 0
        while run.going():
            items = []
            for _ in range(5):
                path = write(tmp_path / "batch" / f"{i:05d}.txt", f"batch writer, file {i}\n{report(i + 7)}")
                items.append(prepare(i, str(path), str(path), vault_root))
                i += 1
            outcomes = writer.write(items)
            assert [o.status for o in outcomes] == ["ingested"] * 5, [(o.target, o.reason) for o in outcomes]
            done["batch"].extend(o.sha256 for o in outcomes)

    def reviewer(h: Home) -> None:
        k = 0
        while run.going():
            inc_id = incidents[k % len(incidents)]
            state = CYCLE[(k // len(incidents)) % len(CYCLE)]
            with h.session() as s:
                review(s, inc_id, state, "reviewer", f"step {k}")
                s.commit()
            done["review"].append((inc_id, state))
            k += 1

    def sanctions_editor(h: Home) -> None:
        k = 0
        while run.going():
            with h.session() as s:
                d = s.get(Designation, designation_id)
                assert d is not None
                amend(s, d, who="editor", why=f"edit {k}", reasons_en=f"Reasons, version {k}")
                s.commit()
            done["sanctions"] += 1
            with h.session() as s:
                a = s.get(Actor, actor_id)
                assert a is not None
                amend_actor(s, a, who="editor", why=f"note {k}", notes=f"note {k}")
                s.commit()
            done["actor"] += 1
            k += 1

    threads = [run.thread(n, settings, f) for n, f in [("serial", serial_ingest), ("batch", batch_ingest),
                                                          ("review", reviewer), ("sanctions", sanctions_editor)]]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=run.until - time.monotonic() + 240)
    assert not any(t.is_alive() for t in threads), "a writer is stuck"
    assert not run.errors, run.errors
    assert done["serial"] and done["batch"] and done["review"] and done["sanctions"], done  # all wrote

    h = Home.open(settings)
    try:
        with h.session() as s:
            docs = {d.sha256: d for d in s.scalars(select(Document))}
            for sha in done["serial"] + done["batch"]:
                assert sha in docs, f"document {sha[:12]} committed but missing"
            for sha in done["serial"]:
                assert docs[sha].labels == ["serial"]
            for sha in done["batch"]:
                assert docs[sha].labels == ["batch"]
            ids = [docs[sha].id for sha in done["serial"] + done["batch"]]
            assert len(ids) == len(set(ids)) == len(done["serial"]) + len(done["batch"])
            with_runs = set(s.scalars(select(ExtractionRun.document_id)))
            assert set(ids) <= with_runs
            actions = Counter(e.action for e in custody.entries(s))
            assert actions["ingested"] == len(docs)
            assert actions["register-incident-review"] == len(done["review"])
            assert actions["designation-amended"] == done["sanctions"]
            assert actions["actor-amended"] == done["actor"]
            last = {inc: st for inc, st in done["review"]}
            for inc_id, state in last.items():
                assert s.get(Incident, inc_id).status == state  # type: ignore[union-attr]
            d = s.get(Designation, designation_id)
            assert d is not None and d.reasons_en == f"Reasons, version {done['sanctions'] - 1}"
            seqs = list(s.scalars(select(CustodyEntry.seq).order_by(CustodyEntry.seq)))
            assert seqs == list(range(1, len(seqs) + 1))
        rep = verify(h)
        assert rep.ok, [str(p) for p in rep.problems]
    finally:
        h.close()
    print(f"\n{database_url.split(':')[0]}: {_seconds(database_url):.0f} s, serial {len(done['serial'])} docs, "
          f"batch {len(done['batch'])} docs, {len(done['review'])} reviews, {done['sanctions']} designation "
          f"and {done['actor']} actor edits, {len(seqs)} log entries")
