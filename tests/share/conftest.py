"""Fixtures of the share tests (bundles, exports, publishing): homes holding a few ingested reports.

The reports are short texts written for these tests (English and Arabic),
ingested, extracted and resolved into incidents, one per attack. One is
marked ``partner`` and one ``restricted`` (a witness statement), so
clearance filters have something to hold back.

Fixtures:
    report_files   the sample reports written into ``tmp_path/reports`` (name -> path).
    share_home     an opened, initialised home (SQLite in the ``home`` fixture's directory)
                   with the reports ingested and resolved; levels set as in :data:`LEVELS`.
    share_home_db  the same on each database of ``database_url`` (SQLite, PostgreSQL).
    make_instance  ``make_instance(root, database_url=None, user="alice")``: another initialised,
                   empty home (a second instance, e.g. the partner receiving a bundle).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from bayyina.settings import Settings
from bayyina.store.models import Document
from bayyina.vault import custody
from bayyina.vault.home import Home, init_home
from bayyina.vault.ingest import ingest
from bayyina.vault.keys import ensure_keys

REPORTS: dict[str, str] = {
    "khan-shaykhun-report.txt": (
        "On 4 April 2017 a sarin attack from the air hit the town of Khan Shaykhun in Idlib province.\n"
        "Doctors at the nearby field hospital said at least 80 people were killed and more than 200\n"
        "injured, according to the local health directorate.\n"
    ),
    "saraqib-ar.txt": (
        "أفاد الدفاع المدني بأن مروحية ألقت برميلا يحتوي على غاز الكلور على مدينة سراقب في ريف إدلب "
        "يوم 4 شباط 2018، وأصيب أحد عشر مدنيا بحالات اختناق نقلوا إلى المستشفى الميداني.\n"
    ),
    "douma-witness.txt": (
        "Witness statement taken on 10 April 2018. A nurse said that the chlorine attack on Douma on\n"
        "7 April 2018 hit a residential building, and that 43 people were killed by suffocation in its\n"
        "basement.\n"
    ),
}
LEVELS: dict[str, str] = {"khan-shaykhun-report.txt": "public", "saraqib-ar.txt": "partner",
                          "douma-witness.txt": "restricted"}


def write_reports(folder: Path) -> dict[str, Path]:
    """Write :data:`REPORTS` into ``folder``; name -> path."""
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for name, body in REPORTS.items():
        p = folder / name
        p.write_text(body, encoding="utf-8")
        out[name] = p
    return out


def open_instance(root: Path, database_url: str | None = None, user: str = "alice") -> Home:
    """Initialise (idempotent) and open a home at ``root``."""
    settings = Settings.load(home=root, database_url=database_url or f"sqlite:///{root / 'bayyina.sqlite3'}",
                             user=user)
    init_home(settings)
    return Home.open(settings)


def set_level(home: Home, filename: str, level: str) -> None:
    """Reclassify a document by its original file name (a logged change, as the app does)."""
    with home.session() as s:
        doc = s.scalars(select(Document).where(Document.original_filename == filename)).one()
        before = doc.sensitivity
        doc.sensitivity = level
        s.flush()
        custody.append(s, actor="test", action="reclassified", subject=f"document:{doc.id}",
                       payload={"from": before, "to": level}, rows=[doc])
        s.commit()


def populate(home: Home, reports: dict[str, Path]) -> None:
    """Ingest the reports, resolve incidents and set the levels of :data:`LEVELS`."""
    from bayyina.resolve.incidents import resolve

    rep = ingest(home, [str(p) for p in reports.values()])
    assert rep.ok, [o.reason for o in rep.failed]
    for name, level in LEVELS.items():
        if level != "public":
            set_level(home, name, level)
    with home.session() as s:
        resolve(s, "test")
        s.commit()
    add_sanction(home)


def add_sanction(home: Home) -> None:
    """One actor (an air force unit, Arabic and English names) designated for the Khan Shaykhun attack."""
    from bayyina.resolve.actors import add_actor
    from bayyina.sanctions.designations import add_designation
    from bayyina.store.models_resolve import Incident

    with home.session() as s:
        ks = next(i for i in s.scalars(select(Incident).order_by(Incident.id))
                  if ((i.chosen.get("place") or {}).get("chosen") or {}).get("name") == "Khan Shaykhun")
        doc = s.scalars(select(Document).where(Document.original_filename == "khan-shaykhun-report.txt")).one()
        actor = add_actor(s, who="test", kind="unit", name_en="Test Air Brigade 99", name_ar="اللواء الجوي 99",
                          why="test fixture").actor
        add_designation(s, who="test", authority="EU", programme="Chemical weapons (test)", actor=actor,
                        measure_names=["asset_freeze"], start="2018-10-15", reasons_en="Test reason.",
                        reasons_ar="سبب للاختبار.", incident_ids=[ks.id], evidence=[doc.id], why="test fixture")
        s.commit()


@pytest.fixture
def report_files(tmp_path: Path) -> dict[str, Path]:
    """The sample reports as files."""
    return write_reports(tmp_path / "reports")


@pytest.fixture(scope="session")
def _share_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A populated SQLite home built once per session; ``share_home`` copies it."""
    root = tmp_path_factory.mktemp("share-template") / "home"
    h = open_instance(root)
    try:
        populate(h, write_reports(root.parent / "reports"))
    finally:
        h.close()
    return root


@pytest.fixture(scope="session")
def _empty_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An initialised, empty SQLite home (its keys are replaced in each copy)."""
    root = tmp_path_factory.mktemp("empty-template") / "home"
    open_instance(root).close()
    return root


def _copy_home(template: Path, dest: Path, *, new_keys: bool = False) -> Path:
    shutil.copytree(template, dest, dirs_exist_ok=True)
    if new_keys:
        shutil.rmtree(dest / "keys")
        ensure_keys(dest / "keys")
    return dest


@pytest.fixture
def share_home(home: Path, _share_template: Path) -> Iterator[Home]:
    """An initialised SQLite home with the sample reports ingested and resolved (a copy of one built once)."""
    _copy_home(_share_template, home)
    h = open_instance(home)
    yield h
    h.close()


@pytest.fixture
def share_home_db(database_url: str, home: Path, report_files: dict[str, Path]) -> Iterator[Home]:
    """The same as ``share_home`` on each database of ``database_url`` (built in the test)."""
    h = open_instance(home, database_url)
    populate(h, report_files)
    yield h
    h.close()


@pytest.fixture
def make_instance(_empty_template: Path) -> Iterator[Callable[..., Home]]:
    """A factory of further homes (second instances, each with its own key); closes them at the end."""
    opened: list[Home] = []

    def make(root: Path, database_url: str | None = None, user: str = "alice") -> Home:
        if database_url is None:
            _copy_home(_empty_template, root, new_keys=True)
        h = open_instance(root, database_url, user)
        opened.append(h)
        return h

    yield make
    for h in opened:
        h.close()
