"""Span and field marks in what leaves the store: CSV, GeoJSON and FtM exports, partner bundles and
dossiers (``tests/span_support.py``: the witness ``Ahmad Khalil`` marked restricted inside a public
report, Khan Shaykhun's place restricted, Douma's perpetrators partner)."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from bayyina.share.bundle import export_bundle, import_bundle
from bayyina.share.dossier import incident_dossier, write_dossier
from bayyina.share.exports import export
from bayyina.store.models import Document
from bayyina.vault.home import Home
from bayyina.vault.verify import verify
from tests.share.bundle_helpers import trust_partner as _trust
from tests.span_support import WITNESS, Marked, build, open_home


@pytest.fixture(scope="module")
def marked(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Marked, Home]]:
    base = tmp_path_factory.mktemp("span-share")
    m = build(base / "home", f"sqlite:///{base / 'bayyina.db'}")
    h = open_home(m.root, m.database_url)
    try:
        yield m, h
    finally:
        h.close()


def _export(h: Home, fmt: str, out: Path, clearance: str) -> str:
    with h.session() as s:
        export(s, fmt, out, clearance=clearance)
        s.rollback()
    return out.read_text(encoding="utf-8")


def test_csv_leaves_marked_fields_out(marked: tuple[Marked, Home], tmp_path: Path) -> None:
    m, h = marked
    rows = {int(r["id"]): r for r in csv.DictReader(io.StringIO(_export(h, "csv", tmp_path / "p.csv", "public")))}
    assert rows[m.khan]["place"] == "" and rows[m.khan]["lat"] == "" and rows[m.khan]["withheld"] == "place"
    assert rows[m.khan]["agents"] == "sarin"  # the other fields stay
    assert rows[m.douma]["perpetrators"] == "" and rows[m.douma]["withheld"] == "perpetrators"
    assert rows[m.douma]["place"] == "Douma"  # the Arabic outlet gives it without the marked sentence
    partner = {int(r["id"]): r for r in csv.DictReader(io.StringIO(
        _export(h, "csv", tmp_path / "q.csv", "partner")))}
    assert partner[m.douma]["perpetrators"] == "syrian-government" and partner[m.khan]["place"] == ""
    full = {int(r["id"]): r for r in csv.DictReader(io.StringIO(
        _export(h, "csv", tmp_path / "r.csv", "restricted")))}
    assert full[m.khan]["place"] == "Khan Shaykhun" and full[m.khan]["withheld"] == ""


def test_geojson_and_ftm(marked: tuple[Marked, Home], tmp_path: Path) -> None:
    m, h = marked
    fc = json.loads(_export(h, "geojson", tmp_path / "p.geojson", "public"))
    feats = {f["id"]: f for f in fc["features"]}
    assert feats[m.khan]["geometry"] is None and feats[m.khan]["properties"]["place"] is None
    assert feats[m.khan]["properties"]["withheld"] == ["place"]
    assert feats[m.douma]["geometry"] is not None and feats[m.douma]["properties"]["perpetrators"] == []
    full = json.loads(_export(h, "geojson", tmp_path / "r.geojson", "restricted"))
    assert {f["id"]: f for f in full["features"]}[m.khan]["geometry"]["coordinates"][0] == pytest.approx(36.6, abs=0.1)
    ftm = _export(h, "ftm", tmp_path / "p.ftm.json", "public")
    ents = [json.loads(line) for line in ftm.splitlines()]
    events = {e["id"]: e for e in ents if e["schema"] == "Event"}
    khan = events[f"bayyina-incident-{m.khan}"]
    assert "location" not in khan["properties"] and "addressEntity" not in khan["properties"]
    assert not any(k.startswith("perpetrator:") for k in events[f"bayyina-incident-{m.douma}"]["properties"]
                   .get("keywords", []))
    assert "Khan Shaykhun" not in ftm and WITNESS not in ftm


def test_bundle_withholds_marked_document_and_incidents(marked: tuple[Marked, Home], tmp_path: Path) -> None:
    m, h = marked
    recv = open_home(tmp_path / "recv", f"sqlite:///{tmp_path / 'recv.db'}", user="bob")
    try:
        _trust(h, "ngo-b", recv, tmp_path)
        _trust(recv, "ngo-a", h, tmp_path)
        out = tmp_path / "b.zip"
        rep = export_bundle(h, out, partner="ngo-b", max_sensitivity="partner")
        with h.session() as s:
            wire = s.get(Document, m.docs["wire.txt"])
            assert wire is not None
            wire_sha = wire.sha256
        with zipfile.ZipFile(out) as zf:
            names = zf.namelist()
            manifest = json.loads(zf.read("data/manifest.json"))
            payload = b"".join(zf.read(n) for n in names if not n.endswith("/"))
        assert WITNESS.encode() not in payload and f"data/originals/{wire_sha}" not in names
        docs = [w for w in manifest["withheld"] if w["kind"] == "document"]
        assert [(w["sha256"], w["reason"]) for w in docs] == [(wire_sha, "holds a span marked restricted, above partner")]
        reasons = sorted(w["reason"] for w in manifest["withheld"] if w["kind"] == "incident")
        assert reasons == ["draws on a document holding a span marked above partner",
                           "field place marked restricted, above partner"]
        assert rep.incidents == 0 and rep.documents == 2
        irep = import_bundle(recv, out, extract=False)
        assert irep.documents_new == 2 and irep.withheld == 3
        assert verify(recv).ok and verify(h).ok
        # cleared for restricted: everything goes
        out2 = tmp_path / "c.zip"
        _trust(h, "ngo-c", recv, tmp_path)
        rep2 = export_bundle(h, out2, partner="ngo-c", max_sensitivity="restricted")
        assert rep2.documents == 3 and rep2.incidents == 2 and rep2.withheld == []
    finally:
        recv.close()


def test_dossier(marked: tuple[Marked, Home], tmp_path: Path) -> None:
    m, h = marked
    with h.session() as s:
        data = incident_dossier(s, h.keys_dir, m.douma, "public")
        assert data["incident"]["perpetrators"] == [] and data["incident"]["attributions"] == []
        quotes = json.dumps(data["incident"]["sources"], ensure_ascii=False)
        assert WITNESS not in quotes and "Residents accused" in quotes
        ks = incident_dossier(s, h.keys_dir, m.khan, "partner")["incident"]
        assert ks["place"]["name"] is None and ks["place"]["lat"] is None
        full = incident_dossier(s, h.keys_dir, m.khan, "restricted")["incident"]
        assert full["place"]["name"] == "Khan Shaykhun"
        rep = write_dossier(s, tmp_path / "d.html", h.keys_dir, who="test", incident_id=m.douma, clearance="partner")
        s.commit()
        html = (tmp_path / "d.html").read_text(encoding="utf-8")
        assert rep.clearance == "partner" and WITNESS not in html and "Khalil" not in html
        wire = s.scalars(select(Document).where(Document.id == m.docs["wire.txt"])).one()
        assert wire.sha256 in html  # the source is still listed, by hash


def test_public_names_list(marked: tuple[Marked, Home]) -> None:
    """The public release's incident is the incident as a public reader sees it: the marked place is withheld."""
    from bayyina.resolve.actors import add_actor
    from bayyina.sanctions.designations import add_designation, set_review
    from bayyina.share.publish import snapshot

    m, h = marked
    with h.session() as s:
        actor = add_actor(s, who="test", kind="unit", name_en="Test Brigade 7", name_ar="اللواء 7", why="test").actor
        d = add_designation(s, who="test", authority="EU", programme="Chemical weapons (test)", actor=actor,
                            measure_names=["asset_freeze"], start="2018-10-15", reasons_en="Test.",
                            reasons_ar="اختبار.", incident_ids=[m.khan], evidence=[], why="test")
        for state in ("in_review", "approved", "published"):
            set_review(s, d, state, who="test", why="reviewed")
        data = snapshot(s, version=1, released_at="2026-11-26T00:00:00Z")
        s.rollback()
    (inc,) = [i for i in data["incidents"] if i["id"] == m.khan]
    assert inc["place"]["name"] is None and inc["place"]["lat"] is None and inc["agents"] == ["sarin"]
