"""A small home with span and field marks, shared by the span-sensitivity tests
(``tests/{store,web,share,cli}/test_span_sensitivity.py`` / ``test_sensitivity_cmds.py``).

Three public reports written here (two outlets on the Douma attack, one of
which names a witness; one on Khan Shaykhun), ingested and resolved. Then:

* the witness's name ``Ahmad Khalil`` is marked ``restricted`` in the wire
  report (``--text``, every occurrence);
* the Khan Shaykhun incident's ``place`` is marked ``restricted`` and the
  Douma incident's ``perpetrators`` ``partner``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from bayyina.settings import Settings
from bayyina.store.models import Document
from bayyina.store.models_resolve import Incident
from bayyina.vault.home import Home, init_home

WITNESS = "Ahmad Khalil"
REPORTS: dict[str, tuple[str, str]] = {
    # file name -> (outlet URL, text)
    "wire.txt": ("https://wire.example/", (
        "DOUMA, Syria, April 8, 2018 - A chlorine attack on the town of Douma in Eastern Ghouta killed at least "
        "42 people on Saturday, April 7, 2018, said witness Ahmad Khalil. Residents accused Syrian government "
        "helicopters of dropping barrel bombs carrying chlorine. Ahmad Khalil later left the town.\n")),
    "daily-ar.txt": ("https://arabic-daily.example/", (
        "قال مسعفون إن مروحيات النظام ألقت براميل محملة بغاز الكلور على مدينة دوما في الغوطة الشرقية "
        "يوم السابع من نيسان 2018، ما أدى إلى مقتل 45 مدنياً.\n")),
    "report3.txt": ("https://monitor.example/", (
        "On April 4, 2017, an air strike with sarin on Khan Shaykhun in Idlib province killed at least 86 "
        "people, according to doctors in the town.\n")),
}


@dataclass
class Marked:
    """The seeded home's ids."""

    root: Path
    database_url: str
    docs: dict[str, int] = field(default_factory=dict)
    douma: int = 0
    khan: int = 0
    span_ids: list[int] = field(default_factory=list)


def open_home(root: Path, database_url: str, user: str = "tester") -> Home:
    """Initialise (idempotent) and open a home."""
    settings = Settings.load(home=root, database_url=database_url, user=user)
    init_home(settings)
    return Home.open(settings)


def build(root: Path, database_url: str, *, marks: bool = True) -> Marked:
    """Ingest and resolve :data:`REPORTS` into a new home at ``root``; mark as the module docstring says."""
    from bayyina.resolve.incidents import resolve
    from bayyina.vault.ingest import ingest
    from bayyina.vault.marks import mark_field, mark_text

    inbox = root.parent / f"{root.name}-in"
    inbox.mkdir(parents=True, exist_ok=True)
    h = open_home(root, database_url)
    try:
        paths = []
        for name, (_url, text) in REPORTS.items():
            p = inbox / name
            p.write_text(text, encoding="utf-8")
            paths.append(p)
        for p in paths:
            rep = ingest(h, [str(p)], source_url=REPORTS[p.name][0])
            assert rep.ok, [o.reason for o in rep.failed]
        out = Marked(root, database_url)
        with h.session() as s:
            resolve(s, "tester")
            s.commit()
            for d in s.scalars(select(Document)):
                out.docs[Path(d.original_filename).name] = d.id
            for inc in s.scalars(select(Incident).where(Incident.active.is_(True))):
                name = ((inc.chosen.get("place") or {}).get("chosen") or {}).get("name")
                if name == "Douma":
                    out.douma = inc.id
                elif name == "Khan Shaykhun":
                    out.khan = inc.id
            assert out.douma and out.khan, "the fixture reports should give a Douma and a Khan Shaykhun incident"
            if marks:
                out.span_ids = [r.id for r in mark_text(s, out.docs["wire.txt"], WITNESS, "restricted",
                                                        "witness identity", "tester")]
                mark_field(s, out.khan, "place", "restricted", "protects the reporting clinic", "tester")
                mark_field(s, out.douma, "perpetrators", "partner", "under review", "tester")
            s.commit()
        return out
    finally:
        h.close()
