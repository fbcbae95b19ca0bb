"""Homes for the publishing, site and dossier tests (texts written for these tests).

One attack on Douma reported three times: an Arabic report (public), an
English wire report (partner) and a witness statement (restricted); they
resolve into one incident. Two actors: a person designated by the EU for that
incident (review state ``published``, reasons in Arabic, English and French)
and a unit designated by France (left in ``draft``: it must stay out of any
release until it is published).

``build(root, database_url=None)`` makes such a home; ``template`` /
``copy_home`` let a test module build it once and copy it per test.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from bayyina.settings import Settings
from bayyina.store.models import Document
from bayyina.vault import custody
from bayyina.vault.home import Home, init_home
from bayyina.vault.ingest import ingest

USER = "analyst"
REPORTS: dict[str, tuple[str, str, str]] = {
    # file -> (source url, sensitivity, text)
    "douma-ar.txt": (
        "https://arabic-outlet.example/douma", "public",
        ("قال الدفاع المدني السوري إن مروحيات النظام ألقت براميل محملة بغاز الكلور على مدينة دوما في الغوطة "
        "الشرقية يوم السابع من نيسان 2018، ما أدى إلى مقتل 45 مدنياً.\n")),
    "douma-en.txt": (
        "https://outlet-a.example/world/douma", "partner",
        ("DOUMA, Syria, April 8, 2018 (Reuters) - A chlorine attack on the town of Douma in Eastern Ghouta killed "
        "at least 42 people on Saturday, April 7, 2018, rescue workers said. The White Helmets accused Syrian "
        "government helicopters of dropping barrel bombs carrying chlorine.\n")),
    "douma-witness.txt": (
        "https://witness-project.example/statement-7", "restricted",
        ("Witness statement taken on 10 April 2018. A nurse said that the chlorine attack on Douma on "
        "7 April 2018 hit a residential building, and that 43 people were killed in its basement.\n")),
}
PERSON_EN = "Maj. Gen. Jamil Hassan"
PERSON_AR = "اللواء جميل حسن"
UNIT_EN = "Tiger Forces"
UNIT_AR = "قوات النمر"
REASONS = {
    "en": "Responsible for the chlorine attack on Douma on 7 April 2018.",
    "ar": "مسؤول عن الهجوم بغاز الكلور على دوما في 7 نيسان 2018.",
    "fr": "Responsable de l'attaque au chlore contre Douma le 7 avril 2018.",
}


def open_home(root: Path, database_url: str | None = None) -> Home:
    """Initialise (idempotent) and open a home at ``root``."""
    settings = Settings.load(home=root, database_url=database_url or f"sqlite:///{root / 'bayyina.sqlite3'}",
                             user=USER)
    init_home(settings)
    return Home.open(settings)


def build(root: Path, database_url: str | None = None) -> Home:
    """A home holding the reports, the Douma incident, two actors and two designations (see above)."""
    from bayyina.resolve.actors import add_actor, get_actor
    from bayyina.resolve.incidents import resolve
    from bayyina.sanctions.designations import add_designation, set_review
    from bayyina.share.publish import set_translation
    from bayyina.store.models_resolve import Incident

    h = open_home(root, database_url)
    folder = root.parent / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    for name, (url, _level, text) in REPORTS.items():
        p = folder / name
        p.write_text(text, encoding="utf-8")
        rep = ingest(h, [str(p)], source_url=url)
        assert rep.ok, [o.reason for o in rep.failed]
    with h.session() as s:
        for name, (_url, level, _text) in REPORTS.items():
            doc = s.scalars(select(Document).where(Document.original_filename == name)).one()
            if level != doc.sensitivity:
                before, doc.sensitivity = doc.sensitivity, level
                s.flush()
                custody.append(s, actor=USER, action="reclassified", subject=f"document:{doc.id}",
                               payload={"from": before, "to": level}, rows=[doc])
        resolve(s, USER)
        douma = [i for i in s.scalars(select(Incident).where(Incident.active.is_(True)))
                 if ((i.chosen.get("place") or {}).get("chosen") or {}).get("name") == "Douma"]
        assert len(douma) == 1, [i.chosen.get("place") for i in douma]
        ar_doc = s.scalars(select(Document).where(Document.original_filename == "douma-ar.txt")).one()
        person = add_actor(s, who=USER, kind="person", name_en=PERSON_EN, name_ar=PERSON_AR, nationality="SY",
                           aliases=["Jamil al-Hassan"], why="test").actor
        unit = add_actor(s, who=USER, kind="unit", name_en=UNIT_EN, name_ar=UNIT_AR,
                         aliases=["25th Special Mission Forces Division"], why="test").actor
        d1 = add_designation(s, who=USER, authority="EU", programme="CW (CFSP) 2018/1544", actor=person,
                             measure_names=["asset_freeze", "travel_ban"], start="2018-10-15",
                             reasons_en=REASONS["en"], reasons_ar=REASONS["ar"], incident_ids=[douma[0].id],
                             evidence=[ar_doc.id], why="test")
        add_designation(s, who=USER, authority="FR", programme="CMF L562-2", actor=unit,
                        measure_names=["asset_freeze"], start="2019-01-15", incident_ids=[douma[0].id], why="test")
        for state in ("in_review", "approved", "published"):
            set_review(s, d1, state, who=USER, why="reviewed")
        set_translation(s, d1, lang="fr", text=REASONS["fr"], who=USER, why="translated")
        assert get_actor(s, PERSON_EN).id == person.id
        s.commit()
    return h


def incident_id(h: Home) -> int:
    """The Douma incident's id."""
    from bayyina.store.models_resolve import Incident

    with h.session() as s:
        return next(i.id for i in s.scalars(select(Incident).where(Incident.active.is_(True)))
                    if ((i.chosen.get("place") or {}).get("chosen") or {}).get("name") == "Douma")


def sha_of(h: Home, name: str) -> str:
    """The SHA-256 of an ingested report, by file name."""
    with h.session() as s:
        return s.scalars(select(Document.sha256).where(Document.original_filename == name)).one()


def template(root: Path) -> Path:
    """Build the SQLite home once at ``root`` (closed afterwards)."""
    build(root).close()
    return root


_SHARED: list[Path] = []


def shared_template(factory: pytest.TempPathFactory) -> Path:
    """One template home for the whole test session (the three test modules copy it)."""
    if not _SHARED or not _SHARED[0].exists():
        _SHARED[:] = [template(factory.mktemp("publish-template") / "home")]
    return _SHARED[0]


def copy_home(src: Path, dst: Path) -> Home:
    """A copy of a template home, opened."""
    shutil.copytree(src, dst)
    return open_home(dst)
