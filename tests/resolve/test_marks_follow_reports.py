"""Field marks follow an incident's reports through a resolve: a split-off incident and the
incident a marked one is merged into keep the field withheld (issue 6), and `verify` still
passes (each carried mark is logged on its new incident)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from bayyina.resolve.incidents import member_reports, merge, split
from bayyina.store.models_resolve import Incident
from bayyina.vault.marks import field_marks
from bayyina.vault.verify import verify
from tests.span_support import build, open_home


def _marks(s, inc_id: int) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {m.field: m.level for m in field_marks(s, inc_id)}


def test_split_and_merge_keep_field_marks(database_url: str, tmp_path: Path) -> None:
    m = build(tmp_path / "home", database_url)
    h = open_home(m.root, database_url)
    try:
        with h.session() as s:
            assert _marks(s, m.douma) == {"perpetrators": "partner"}
            reps = member_reports(s, m.douma)
            assert len(reps) == 2, "the fixture's two Douma reports make one incident"
            rep = split(s, m.douma, [reps[0].report_id], "tester", "split to check marks")
            s.commit()
            new = [i for i in rep.created]
            assert len(new) == 1
            # the split-off incident holds a report of the marked incident: the mark went with it
            assert _marks(s, new[0]) == {"perpetrators": "partner"}
            assert _marks(s, m.douma) == {"perpetrators": "partner"}
            rep2 = merge(s, m.douma, new[0], "tester", "one attack after all")
            s.commit()
            active = {i.id for i in s.scalars(select(Incident).where(Incident.active.is_(True)))}
            survivor = m.douma if m.douma in active else new[0]
            assert _marks(s, survivor) == {"perpetrators": "partner"}
            assert rep2.retired, "the merge retires one of the two"
            # Khan Shaykhun was untouched: its own mark only, nothing carried to it
            assert _marks(s, m.khan) == {"place": "restricted"}
        result = verify(h)
        assert result.ok, result
    finally:
        h.close()
