"""Partner bundles between two real instances: round trip, clearance, and every refusal."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from bayyina.share.bundle import BundleRefused, export_bundle, import_bundle
from bayyina.share.trust import identity
from bayyina.store.models import CustodyEntry, Document
from bayyina.store.models_share import ReceivedBundle, ReceivedEntry
from bayyina.vault.home import Home
from bayyina.vault.verify import verify
from tests.share.bundle_helpers import receiver_url, resign
from tests.share.bundle_helpers import rezip as _rezip
from tests.share.bundle_helpers import trust_partner as _trust


@pytest.fixture
def pair(share_home: Home, make_instance: Callable[..., Home], tmp_path: Path) -> tuple[Home, Home]:
    """The sender (``share_home``) and a receiver, each trusting the other."""
    recv = make_instance(tmp_path / "partner-home", user="bob")
    _trust(share_home, "ngo-b", recv, tmp_path)
    _trust(recv, "ngo-a", share_home, tmp_path)
    return share_home, recv


def _counts(h: Home) -> tuple[int, int, int]:
    with h.session() as s:
        return (int(s.scalar(select(func.count()).select_from(Document)) or 0),
                int(s.scalar(select(func.count()).select_from(CustodyEntry)) or 0),
                int(s.scalar(select(func.count()).select_from(ReceivedBundle)) or 0))


def test_round_trip(pair: tuple[Home, Home], tmp_path: Path) -> None:
    sender, recv = pair
    out = tmp_path / "b.zip"
    rep = export_bundle(sender, out, partner="ngo-b", max_sensitivity="partner")
    assert rep.documents == 2 and rep.incidents == 2
    assert [w["kind"] for w in rep.withheld] == ["incident", "document"]
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        manifest = json.loads(zf.read("data/manifest.json"))
    assert "signature.json" in names and "tagmanifest-sha256.txt" in names
    assert not any("douma" in n for n in names)
    withheld = {w["kind"]: w for w in manifest["withheld"]}
    with sender.session() as s:
        douma = s.scalars(select(Document).where(Document.original_filename == "douma-witness.txt")).one()
    assert withheld["document"]["sha256"] == douma.sha256
    assert "restricted" in withheld["document"]["reason"]

    irep = import_bundle(recv, out, extract=True)
    assert irep.partner == "ngo-a" and irep.documents_new == 2 and irep.withheld == 2
    assert irep.actors_added == 1 and irep.designations_added == 1
    with recv.session() as s, sender.session() as s2:
        got = {d.sha256: d for d in s.scalars(select(Document))}
        for d in s2.scalars(select(Document).where(Document.sensitivity != "restricted")):
            assert d.sha256 in got and got[d.sha256].sensitivity == d.sensitivity
            assert got[d.sha256].norm_text == d.norm_text
            assert recv.vault.path_for(d.sha256).read_bytes() == sender.vault.path_for(d.sha256).read_bytes()
            assert "received:ngo-a" in got[d.sha256].labels
        received = [e for e in s.scalars(select(CustodyEntry).where(CustodyEntry.action == "received"))]
        assert len(received) == 2
        assert all("received from ngo-a on" in json.loads(e.payload)["note"] for e in received)
        kept = list(s.scalars(select(ReceivedEntry)))
        assert {e.action for e in kept} >= {"ingested", "text-extracted"}
    assert verify(recv).ok, verify(recv).problems
    # the same bundle twice is refused, and nothing changes
    before = _counts(recv)
    with pytest.raises(BundleRefused, match="already imported"):
        import_bundle(recv, out)
    assert _counts(recv) == before


def _first_text(bag: Path) -> Path:
    return min((bag / "data" / "text").glob("*.norm.txt"))


def _rebag(bag: Path) -> None:
    """Regenerate the BagIt manifests after an edit (what a careful forger would do)."""
    import bagit

    sig = bag / "signature.json"
    kept = sig.read_bytes()
    sig.unlink()
    bagit.Bag(str(bag)).save(manifests=True)
    sig.write_bytes(kept)


def _edit_record(bag: Path) -> None:
    p = bag / "data" / "records" / "incidents.json"
    recs = json.loads(p.read_text(encoding="utf-8"))
    recs[0]["row"]["confidence"] = "confirmed-by-forger"
    p.write_text(json.dumps(recs), encoding="utf-8")
    _rebag(bag)


TAMPERS: dict[str, tuple[Callable[[Path], None], str]] = {
    "edit-file": (lambda b: _first_text(b).write_text("changed", encoding="utf-8"), "BagIt"),
    "drop-file": (lambda b: _first_text(b).unlink(), "BagIt"),
    "change-record": (_edit_record, "signature does not verify"),
    "unsigned": (lambda b: (b / "signature.json").unlink(), "unsigned bundle"),
    "add-tag-file": (lambda b: (b / "extra.txt").write_text("x"), "not in the signed tag manifest"),
}


@pytest.mark.parametrize("name", list(TAMPERS))
def test_tampered_bundles_are_refused(pair: tuple[Home, Home], tmp_path: Path, name: str) -> None:
    sender, recv = pair
    good = tmp_path / "good.zip"
    export_bundle(sender, good, partner="ngo-b")
    edit, reason = TAMPERS[name]
    bad = _rezip(good, tmp_path / f"{name}.zip", edit, tmp_path)
    before = _counts(recv)
    with pytest.raises(BundleRefused, match=reason):
        import_bundle(recv, bad)
    assert _counts(recv) == before
    assert not any(recv.vault.iter_blobs())


def test_swapped_signature_and_untrusted_key(pair: tuple[Home, Home], make_instance: Callable[..., Home],
                                             tmp_path: Path) -> None:
    sender, recv = pair
    a, b = tmp_path / "a.zip", tmp_path / "b.zip"
    export_bundle(sender, a, partner="ngo-b", max_sensitivity="public")
    export_bundle(sender, b, partner="ngo-b", max_sensitivity="partner")
    with zipfile.ZipFile(a) as zf:
        sig_a = zf.read("signature.json")
    swapped = _rezip(b, tmp_path / "swapped.zip", lambda bag: (bag / "signature.json").write_bytes(sig_a), tmp_path)
    with pytest.raises(BundleRefused, match="signature does not verify"):
        import_bundle(recv, swapped)
    # a stranger re-signs the bundle with its own key: not trusted
    stranger = make_instance(tmp_path / "stranger", user="eve")
    _trust(stranger, "ngo-b", recv, tmp_path)
    c = tmp_path / "c.zip"
    export_bundle(stranger, c, partner="ngo-b")
    with zipfile.ZipFile(c) as zf:
        sig_c = zf.read("signature.json")
    resigned = _rezip(b, tmp_path / "resigned.zip", lambda bag: (bag / "signature.json").write_bytes(sig_c), tmp_path)
    with pytest.raises(BundleRefused, match="untrusted key"):
        import_bundle(recv, resigned)
    assert _counts(recv)[2] == 0


def test_record_that_differs_from_the_senders_log(pair: tuple[Home, Home], tmp_path: Path) -> None:
    """A record re-signed by the sender's own key but not matching its custody log is refused."""
    import bagit


    sender, recv = pair
    good = tmp_path / "good.zip"
    export_bundle(sender, good, partner="ngo-b")

    def forge(bag: Path) -> None:
        _edit_record(bag)
        resign(bag, sender)
        assert bagit.Bag(str(bag)).is_valid()

    bad = _rezip(good, tmp_path / "forged.zip", forge, tmp_path)
    with pytest.raises(BundleRefused, match="does not match the sender's custody log"):
        import_bundle(recv, bad)


def test_expired_and_misaddressed(pair: tuple[Home, Home], make_instance: Callable[..., Home], tmp_path: Path,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    sender, recv = pair
    out = tmp_path / "e.zip"
    export_bundle(sender, out, partner="ngo-b", expires="2099-01-01")
    from datetime import UTC, datetime

    from bayyina.share import bundle as bmod

    monkeypatch.setattr(bmod, "now_utc", lambda: datetime(2099, 1, 2, tzinfo=UTC))
    with pytest.raises(BundleRefused, match="expired on 2099-01-01"):
        import_bundle(recv, out)
    monkeypatch.undo()
    third = make_instance(tmp_path / "third", user="carol")
    _trust(third, "ngo-a", sender, tmp_path)
    with pytest.raises(BundleRefused, match="addressed to another instance"):
        import_bundle(third, out)
    assert identity(third.keys_dir).key_id != identity(recv.keys_dir).key_id


def _zip_with(path: Path, name: str, data: bytes = b"x", *, link: bool = False) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        info = zipfile.ZipInfo(name)
        if link:
            info.external_attr = (0o120777 << 16)
        zf.writestr(info, data)
    return path


@pytest.mark.parametrize("name,link,reason", [
    ("../evil.txt", False, "unsafe path"),
    ("/etc/evil", False, "unsafe path"),
    ("data/../../evil", False, "unsafe path"),
    ("data/link", True, "link in the zip"),
])
def test_zip_slip_and_links_refused(pair: tuple[Home, Home], tmp_path: Path, name: str, link: bool,
                                    reason: str) -> None:
    _sender, recv = pair
    bad = _zip_with(tmp_path / "slip.zip", name, link=link)
    with pytest.raises(BundleRefused, match=reason):
        import_bundle(recv, bad)
    assert not (tmp_path / "evil.txt").exists()


def test_oversized_and_not_a_zip(pair: tuple[Home, Home], tmp_path: Path) -> None:
    _sender, recv = pair
    big = _zip_with(tmp_path / "big.zip", "data/big.bin", b"\0" * 5000)
    with pytest.raises(BundleRefused, match="oversized entry"):
        import_bundle(recv, big, limits={"max_entry_bytes": 4096})
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"not a zip")
    with pytest.raises(BundleRefused, match="not a readable zip"):
        import_bundle(recv, junk)


def test_round_trip_on_each_database(share_home_db: Home, database_url: str, make_instance: Callable[..., Home],
                                     request: pytest.FixtureRequest, tmp_path: Path) -> None:
    """Sender and receiver on their own databases (two SQLite files, or two PostgreSQL databases)."""
    other = receiver_url(database_url, request, tmp_path)
    recv = make_instance(tmp_path / "receiver", other, user="bob")
    _trust(share_home_db, "ngo-b", recv, tmp_path)
    _trust(recv, "ngo-a", share_home_db, tmp_path)
    out = tmp_path / "b.zip"
    rep = export_bundle(share_home_db, out, partner="ngo-b", max_sensitivity="public")
    assert rep.documents == 1 and len(rep.withheld) == 4
    irep = import_bundle(recv, out, extract=False)
    assert irep.documents_new == 1 and irep.designations_added == 1
    # a tampered copy is refused on this database too, leaving it as it was
    before = _counts(recv)
    bad = _rezip(out, tmp_path / "bad.zip", _edit_record, tmp_path)
    with pytest.raises(BundleRefused, match="signature does not verify"):
        import_bundle(recv, bad)
    assert _counts(recv) == before
    assert verify(recv).ok and verify(share_home_db).ok


def test_cli_keys_and_share(share_home: Home, make_instance: Callable[..., Home], cli: Any, tmp_path: Path) -> None:
    recv_root = tmp_path / "receiver"
    recv = make_instance(recv_root, user="bob")
    theirs, ours = tmp_path / "theirs.pem", tmp_path / "ours.pem"
    r = cli("keys", "export", str(ours))
    assert r.exit_code == 0 and ours.read_text().startswith("-----BEGIN PUBLIC KEY-----")
    r = cli("keys", "export", str(theirs), "--home", str(recv_root))
    assert r.exit_code == 0, r.output
    r = cli("keys", "show")
    assert identity(share_home.keys_dir).key_id in r.output
    r = cli("keys", "trust", "ngo-b", str(theirs))
    assert r.exit_code == 0 and "trusted ngo-b" in r.output, r.output
    r = cli("keys", "trust", "self", str(ours))
    assert r.exit_code == 1 and "own key" in r.output
    r = cli("keys", "trust", "junk", str(tmp_path / "none.pem"))
    assert r.exit_code == 1 and "cannot read" in r.output
    r = cli("keys", "trust", "ngo-a", str(ours), "--home", str(recv_root))
    assert r.exit_code == 0, r.output
    out = tmp_path / "b.zip"
    r = cli("share", "export", str(out), "--for", "ngo-b", "--incident", "1", "--expires", "2099-12-31")
    assert r.exit_code == 0 and "bundle" in r.output, r.output
    r = cli("share", "export", str(out), "--for", "nobody")
    assert r.exit_code == 1 and "not a trusted partner" in r.output
    r = cli("share", "import", str(out), "--home", str(recv_root), "--no-extract")
    assert r.exit_code == 0 and "received from ngo-a" in r.output, r.output
    r = cli("share", "list", "--home", str(recv_root))
    assert "ngo-a" in r.output
    r = cli("share", "check", "--home", str(recv_root))
    assert r.exit_code == 0 and "received bundles OK" in r.output, r.output
    with recv.session() as s:  # a kept sender entry edited in the database is caught
        e = s.scalars(select(ReceivedEntry).order_by(ReceivedEntry.id)).first()
        assert e is not None
        e.actor = "someone-else"
        s.commit()
    r = cli("share", "check", "--home", str(recv_root))
    assert r.exit_code == 1 and "does not match its hash" in r.output
    # revoked: the next bundle is refused with the reason
    r = cli("keys", "untrust", "ngo-a", "--home", str(recv_root))
    assert r.exit_code == 0 and "revoked" in r.output
    out2 = tmp_path / "b2.zip"
    assert cli("share", "export", str(out2), "--for", "ngo-b").exit_code == 0
    r = cli("share", "import", str(out2), "--home", str(recv_root))
    assert r.exit_code == 1 and "refused" in r.output and "revoked" in r.output
    with recv.session() as s:
        actions = [e.action for e in s.scalars(select(CustodyEntry).order_by(CustodyEntry.seq))]
    assert "partner-key-trusted" in actions and "partner-key-revoked" in actions


def test_migration_matches_models(share_home: Home) -> None:
    from sqlalchemy import inspect

    from bayyina.store.models_share import PartnerKey, ReceivedBundle, ReceivedEntry, ReceivedRecord

    insp = inspect(share_home.engine)
    for mdl in (PartnerKey, ReceivedBundle, ReceivedEntry, ReceivedRecord):
        table = mdl.__table__
        cols = {c["name"]: c for c in insp.get_columns(table.name)}
        assert set(cols) == {c.name for c in table.columns}, table.name
        for c in table.columns:
            assert cols[c.name]["nullable"] == c.nullable, (table.name, c.name)


def test_overlapping_bundles_keep_one_copy(pair: tuple[Home, Home], tmp_path: Path) -> None:
    sender, recv = pair
    a, b = tmp_path / "a.zip", tmp_path / "b.zip"
    export_bundle(sender, a, partner="ngo-b", max_sensitivity="public")
    export_bundle(sender, b, partner="ngo-b", max_sensitivity="partner")
    assert import_bundle(recv, a, extract=False).documents_new == 1
    rb = import_bundle(recv, b, extract=False)
    assert (rb.documents_new, rb.documents_known, rb.designations_added) == (1, 1, 0)
    with recv.session() as s:
        assert int(s.scalar(select(func.count()).select_from(Document)) or 0) == 2
        notes = [json.loads(e.payload)["note"] for e in s.scalars(select(CustodyEntry).where(
            CustodyEntry.action == "received"))]
    assert len(notes) == 3 and all(n.startswith("received from ngo-a on ") for n in notes)
    assert verify(recv).ok
