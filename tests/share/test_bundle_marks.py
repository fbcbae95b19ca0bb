"""Span and field marks travel in partner bundles: re-created at the receiver, checked like every record.

The sender is the marked home of ``tests/span_support.py`` (the witness's name
marked ``restricted`` in a public wire report, the Khan Shaykhun incident's
place ``restricted``, the Douma incident's perpetrators ``partner``), built
once per module and copied for each test; the receiver is an empty instance
of ``tests/share/conftest.py``.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bayyina.share.bundle import BundleRefused, export_bundle, import_bundle
from bayyina.store.models import CustodyEntry, Document
from bayyina.store.models_sensitivity import SensitiveField, SensitiveSpan
from bayyina.store.models_share import ReceivedBundle
from bayyina.vault import custody
from bayyina.vault.canonical import now_utc
from bayyina.vault.home import Home
from bayyina.vault.marks import apply_received_field_marks, field_marks, span_marks, unmark
from bayyina.vault.redact import hidden_marks, redact_text
from bayyina.vault.verify import verify
from tests.share.bundle_helpers import receiver_url, resign
from tests.share.bundle_helpers import rezip as _rezip
from tests.share.bundle_helpers import trust_partner as _trust
from tests.span_support import WITNESS, build, open_home


@pytest.fixture(scope="module")
def _marked_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("marked-sender") / "home"
    build(root, f"sqlite:///{root / 'bayyina.sqlite3'}")
    return root


@pytest.fixture
def pair(_marked_template: Path, make_instance: Callable[..., Home], tmp_path: Path) -> Iterator[tuple[Home, Home]]:
    """A copy of the marked sender and an empty receiver, each trusting the other."""
    root = tmp_path / "sender"
    shutil.copytree(_marked_template, root)
    sender = open_home(root, f"sqlite:///{root / 'bayyina.sqlite3'}")
    recv = make_instance(tmp_path / "receiver", user="bob")
    _trust(sender, "ngo-b", recv, tmp_path)
    _trust(recv, "ngo-a", sender, tmp_path)
    yield sender, recv
    sender.close()


def _counts(h: Home) -> tuple[int, ...]:
    with h.session() as s:
        return tuple(int(s.scalar(select(func.count()).select_from(m)) or 0)
                     for m in (Document, CustodyEntry, ReceivedBundle, SensitiveSpan, SensitiveField))


def _local_doc(h: Home, filename: str) -> int:
    with h.session() as s:
        return int(s.scalars(select(Document.id).where(Document.original_filename == filename)).one())


def _marks_json(bundle: Path) -> list[dict[str, object]]:
    with zipfile.ZipFile(bundle) as zf:
        return json.loads(zf.read("data/records/marks.json"))  # type: ignore[no-any-return]


def test_marks_round_trip(pair: tuple[Home, Home], tmp_path: Path) -> None:
    from bayyina.resolve.incidents import resolve
    from bayyina.store.models_resolve import Incident

    sender, recv = pair
    out = tmp_path / "b.zip"
    rep = export_bundle(sender, out, partner="ngo-b", max_sensitivity="restricted")
    assert rep.documents == 3 and rep.incidents == 2 and not rep.withheld
    marks = _marks_json(out)
    assert sorted(str(m["kind"]) for m in marks) == ["sensitive_field"] * 2 + ["sensitive_span"] * 2
    with zipfile.ZipFile(out) as zf:
        assert WITNESS not in zf.read("data/records/marks.json").decode()  # never the marked text
        assert json.loads(zf.read("data/manifest.json"))["counts"]["marks"] == 4

    irep = import_bundle(recv, out, who="bob")
    assert irep.span_marks == 2
    # the receiver has no incidents yet: the field marks wait for its resolve
    assert irep.field_marks == 0 and irep.field_marks_pending == 2
    wire = _local_doc(recv, "wire.txt")
    with recv.session() as s:
        got = span_marks(s, wire)
        assert [m.text for m in got] == [WITNESS, WITNESS]
        assert all(m.level == "restricted" and m.created_by == "bob"
                   and m.reason == f"from bundle {irep.bundle_id}: witness identity" for m in got)
        # a partner-cleared reader of the receiver does not see the name
        doc = s.get(Document, wire)
        assert doc is not None and WITNESS in doc.norm_text
        hidden = hidden_marks(s, "partner")
        shown = redact_text(doc.norm_text, hidden.spans[wire]).text
        assert WITNESS not in shown and "[restricted]" in shown
        assert not hidden_marks(s, "restricted").spans

        # the receiver's own register: its resolve makes the received field marks on it
        resolve(s, "bob")
        s.commit()
        by_place = {((i.chosen.get("place") or {}).get("chosen") or {}).get("name"): i.id
                    for i in s.scalars(select(Incident).where(Incident.active.is_(True)))}
        assert [(m.field, m.level) for m in field_marks(s, by_place["Khan Shaykhun"])] == [("place", "restricted")]
        assert [(m.field, m.level) for m in field_marks(s, by_place["Douma"])] == [("perpetrators", "partner")]
        assert hidden_marks(s, "partner").fields_of(by_place["Khan Shaykhun"]) == {"place": "restricted"}
        assert apply_received_field_marks(s, "bob") == []  # a second run adds nothing
        # an analyst of the receiver removes one: a later run (after another resolve) respects that
        douma_mark = field_marks(s, by_place["Douma"])[0]
        unmark(s, f"field:{douma_mark.id}", "reviewed here", "bob")
        assert apply_received_field_marks(s, "bob") == []
        s.commit()
    assert verify(recv).ok, verify(recv).problems

    # the same bundle again is refused; a new bundle of the same material adds no marks
    before = _counts(recv)
    with pytest.raises(BundleRefused, match="already imported"):
        import_bundle(recv, out)
    assert _counts(recv) == before
    with recv.session() as s:  # the receiver removes one of the two span marks
        unmark(s, f"span:{span_marks(s, wire)[0].id}", "reviewed here", "bob")
        s.commit()
    before = _counts(recv)
    again = tmp_path / "again.zip"
    export_bundle(sender, again, partner="ngo-b", max_sensitivity="restricted")
    rep2 = import_bundle(recv, again, who="bob", extract=False)
    assert rep2.span_marks == 0 and rep2.field_marks == 0 and rep2.documents_known == 3
    assert _counts(recv)[3:] == before[3:]


def _edit_level(bag: Path) -> None:
    p = bag / "data" / "records" / "marks.json"
    recs = json.loads(p.read_text(encoding="utf-8"))
    span = next(r for r in recs if r["kind"] == "sensitive_span")
    span["row"]["level"] = "public"
    p.write_text(json.dumps(recs), encoding="utf-8")
    import bagit

    sig = bag / "signature.json"
    kept = sig.read_bytes()
    sig.unlink()
    bagit.Bag(str(bag)).save(manifests=True)
    sig.write_bytes(kept)


def _resign(sender: Home) -> Callable[[Path], None]:
    """Edit the level, regenerate the bag and re-sign it with the sender's own key (a forger holding it)."""

    def forge(bag: Path) -> None:
        _edit_level(bag)
        resign(bag, sender)

    return forge


def test_tampered_mark_is_refused(pair: tuple[Home, Home], tmp_path: Path) -> None:
    sender, recv = pair
    good = tmp_path / "good.zip"
    export_bundle(sender, good, partner="ngo-b", max_sensitivity="restricted")
    before = _counts(recv)
    rebagged = _rezip(good, tmp_path / "rebagged.zip", _edit_level, tmp_path)
    with pytest.raises(BundleRefused, match="signature does not verify"):
        import_bundle(recv, rebagged)
    resigned = _rezip(good, tmp_path / "resigned.zip", _resign(sender), tmp_path)
    with pytest.raises(BundleRefused, match=r"marks.json: sensitive_span:\d+ does not match the sender's custody"):
        import_bundle(recv, resigned)
    assert _counts(recv) == before
    assert not any(recv.vault.iter_blobs())


def test_mark_outside_the_text_is_refused(pair: tuple[Home, Home], tmp_path: Path) -> None:
    """A logged mark whose offsets run past its document's text: the import names the bundle and the mark."""
    sender, recv = pair
    wire = _local_doc(sender, "wire.txt")
    with sender.session() as s:
        doc = s.get(Document, wire)
        assert doc is not None
        n = len(doc.norm_text)
        row = SensitiveSpan(document_id=wire, start=n - 3, end=n + 5, level="partner", reason="bad offsets",
                            active=True, created_at=now_utc(), created_by="tester")
        s.add(row)
        s.flush()
        custody.append(s, actor="tester", action="span-marked", subject=f"document:{wire}",
                       payload={"mark": row.id}, rows=[row])
        s.commit()
        bad_id = row.id
    out = tmp_path / "b.zip"
    rep = export_bundle(sender, out, partner="ngo-b", max_sensitivity="restricted")
    before = _counts(recv)
    with pytest.raises(BundleRefused, match=rf"bundle {rep.bundle_id}: marks.json: sensitive_span:{bad_id}: "
                                            r"span \[\d+, \d+\) is outside document \d+"):
        import_bundle(recv, out)
    assert _counts(recv) == before
    assert not any(recv.vault.iter_blobs())


def test_marks_round_trip_on_each_database(database_url: str, make_instance: Callable[..., Home],
                                           request: pytest.FixtureRequest, tmp_path: Path) -> None:
    """Sender and receiver on their own databases; the span marks arrive and hide the name."""
    other = receiver_url(database_url, request, tmp_path)
    root = tmp_path / "sender"
    build(root, database_url)
    sender = open_home(root, database_url)
    try:
        recv = make_instance(tmp_path / "receiver", other, user="bob")
        _trust(sender, "ngo-b", recv, tmp_path)
        _trust(recv, "ngo-a", sender, tmp_path)
        out = tmp_path / "b.zip"
        export_bundle(sender, out, partner="ngo-b", max_sensitivity="restricted")
        irep = import_bundle(recv, out, who="bob", extract=False)
        assert irep.span_marks == 2
        wire = _local_doc(recv, "wire.txt")
        with recv.session() as s:
            doc = s.get(Document, wire)
            assert doc is not None
            assert WITNESS not in redact_text(doc.norm_text, hidden_marks(s, "partner").spans[wire]).text
        assert verify(recv).ok, verify(recv).problems
    finally:
        sender.close()
