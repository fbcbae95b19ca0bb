"""Case dossiers: what a prosecutor or a sanctions committee receives about one incident or one actor.

``write_dossier(session, OUT.pdf|OUT.html, keys_dir, incident_id=… | actor_ref=…)``
gathers, for the sources a reader cleared for ``clearance`` may see
(:mod:`bayyina.store.sensitivity`; default ``partner``):

* a summary in Arabic and English (place, date, agents, means, casualties,
  perpetrators, confidence and why), or the person / entity's names, aliases,
  rank and relations;
* every source: file, SHA-256 of the original, link, and the quoted spans
  the incident's values rest on;
* the attributions (claims), the official findings linked, the designations
  (with their reasons in Arabic, English and French when set);
* a chronology (the attack, sources received, findings, designation events,
  review steps);
* a map: a small SVG drawn here (the incident points over Syria's outline when
  ``web/static/geo/syria-region.geojson`` is present, else over a grid);
* a verification appendix: the originals' hashes and vault paths, the custody
  log entries about every included row, the signed checkpoint that covers
  them (with the exact signed message and the public key) and the commands
  that check them.

The HTML comes from the Jinja2 templates in ``share/templates/dossier/``;
the PDF is that HTML rendered by WeasyPrint with the shipped Amiri font
(``@font-face``), so Arabic is shaped and laid out right to left by Pango.
The HTML file embeds the font (base64) so it stands alone. Issuing a dossier
appends a ``dossier-issued`` custody entry with the file's SHA-256.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bayyina.share.publish import (
    PublishError,
    actor_entry,
    current_incident,
    designation_entry,
    incident_entry,
    translations,
)
from bayyina.share.site import FONTS, Labels, environment
from bayyina.store.models import Checkpoint, CustodyEntry, Document
from bayyina.store.models_actors import Actor, ActorRelation, Designation
from bayyina.store.models_resolve import Incident, RegisterChange
from bayyina.store.sensitivity import check_level
from bayyina.vault import custody
from bayyina.vault.canonical import iso_utc, now_utc
from bayyina.vault.keys import PUBLIC_NAME, checkpoint_message
from bayyina.vault.redact import incident_for_clearance

OUTLINE = Path(__file__).resolve().parent.parent / "web" / "static" / "geo" / "syria-region.geojson"
SYRIA_BBOX = (35.4, 32.1, 42.6, 37.5)  # lon_min, lat_min, lon_max, lat_max
LANG_CHOICES = {"ar": ("ar",), "en": ("en",), "both": ("ar", "en")}


@dataclass
class DossierReport:
    """What ``write_dossier`` wrote."""

    path: Path
    sha256: str
    sources: int
    withheld: int
    clearance: str


# --------------------------------------------------------------------------- gathering


def _designations_for_incident(session: Session, incident_id: int) -> list[Designation]:
    """Designations naming the incident, or an incident merged into it."""
    out = []
    for d in session.scalars(select(Designation).order_by(Designation.id)):
        named = {cur.id for i in d.incident_ids or [] if (cur := current_incident(session, i)) is not None}
        if incident_id in named or incident_id in (d.incident_ids or []):
            out.append(d)
    return out


def _designation_block(session: Session, d: Designation, trans: dict[tuple[int, str, str], str],
                       clearance: str) -> dict[str, Any]:
    a = session.get(Actor, d.actor_id)
    entry = designation_entry(session, d, trans, clearance)
    entry["review_status"] = d.review_status
    entry["actor"] = actor_entry(a) if a else None
    return entry


def _chronology(session: Session, incidents: list[dict[str, Any]], designations: list[dict[str, Any]],
                incident_ids: list[int]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for inc in incidents:
        d = inc["date"]
        if d.get("start"):
            rows.append({"date": d["start"], "kind": "attack", "text": f"incident {inc['id']}: "
                         f"{inc['place'].get('name') or '?'} — {', '.join(inc['agents']) or 'agent unknown'}"})
        for s in inc["sources"]:
            rows.append({"date": s["ingested_at"][:10], "kind": "source",
                         "text": f"source received: {s['file']} (sha256 {s['sha256'][:12]}…)"})
        for f in inc["findings"]:
            rows.append({"date": f["date"], "kind": "finding", "text": f"{f['symbol']} ({f['body']}): {f['outcome']}"})
    for dd in designations:
        who = (dd.get("actor") or {}).get("name_en") or (dd.get("actor") or {}).get("name_ar") or dd["entity_id"]
        for ev in dd["events"]:
            rows.append({"date": ev["date"], "kind": "designation",
                         "text": f"{dd['authority']['code']} {ev['kind']}: {who} ({dd['programme']})"})
    for iid in incident_ids:
        for ch in session.scalars(select(RegisterChange).where(RegisterChange.subject == f"incident:{iid}")
                                  .order_by(RegisterChange.id)):
            if ch.action in ("incident-reviewed", "reviewed") or "review" in ch.action:
                rows.append({"date": iso_utc(ch.at)[:10], "kind": "review",
                             "text": f"incident {iid}: {ch.action} by {ch.by} — {ch.why}"})
    seen = set()
    out = []
    for r in sorted(rows, key=lambda r: (r["date"], r["kind"], r["text"])):
        key = (r["date"], r["kind"], r["text"])
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out


def _appendix(session: Session, keys_dir: Path, doc_ids: list[int], subjects: list[str]) -> dict[str, Any]:
    docs = []
    for i in doc_ids:
        doc = session.get(Document, i)
        if doc is None:
            continue
        docs.append({"id": doc.id, "file": doc.original_filename, "sha256": doc.sha256, "size": doc.size,
                     "vault_path": f"vault/sha256/{doc.sha256[:2]}/{doc.sha256[2:4]}/{doc.sha256}"})
    wanted = set(subjects)
    entries: list[CustodyEntry] = []
    if wanted:
        q = select(CustodyEntry).where(CustodyEntry.subject.in_(sorted(wanted))).order_by(CustodyEntry.seq)
        entries = list(session.scalars(q))
    last_seq = max((e.seq for e in entries), default=0)
    cp = session.scalars(select(Checkpoint).where(Checkpoint.seq >= last_seq).order_by(Checkpoint.seq)
                         .limit(1)).first()
    if cp is None:
        cp = session.scalars(select(Checkpoint).order_by(Checkpoint.seq.desc()).limit(1)).first()
    checkpoint = None
    if cp is not None:
        checkpoint = {"seq": cp.seq, "head_hash": cp.head_hash, "ts": cp.ts, "key_id": cp.key_id,
                      "signature": cp.signature, "covers": cp.seq >= last_seq,
                      "message": checkpoint_message(cp.seq, cp.head_hash, cp.ts, cp.key_id).decode("utf-8")}
    try:
        pem = (keys_dir / PUBLIC_NAME).read_text(encoding="ascii")
    except OSError:
        pem = ""
    return {"documents": docs,
            "entries": [{"seq": e.seq, "ts": e.ts, "actor": e.actor, "action": e.action, "subject": e.subject,
                         "entry_hash": e.entry_hash, "prev_hash": e.prev_hash} for e in entries],
            "checkpoint": checkpoint, "public_key": pem}


def seen_entry(session: Session, inc: Incident, clearance: str) -> dict[str, Any]:
    """``incident_entry`` of the incident as a reader at ``clearance`` sees it (``docs/web-auth.md``:
    values of documents above it, fields marked above it and contributions overlapping spans marked
    above it left out; the grade from the visible sources), counting the sources withheld."""
    seen = incident_for_clearance(session, inc, clearance)
    entry = incident_entry(session, seen, clearance)
    if seen is not inc:
        entry["sources_withheld"] = incident_entry(session, inc, clearance)["sources_withheld"]
    return entry


def incident_dossier(session: Session, keys_dir: Path, incident_id: int, clearance: str) -> dict[str, Any]:
    """Everything an incident dossier shows."""
    inc = session.get(Incident, incident_id)
    if inc is None:
        raise PublishError(f"unknown incident {incident_id} (see `bayyina incidents list`)")
    if not inc.active:
        cur = current_incident(session, incident_id)
        into = f" into incident {cur.id}: use --incident {cur.id}" if cur is not None and cur.active else ""
        raise PublishError(f"incident {incident_id} was retired (merged{into})")
    trans = translations(session)
    entry = seen_entry(session, inc, clearance)
    desigs = [_designation_block(session, d, trans, clearance) for d in _designations_for_incident(session, inc.id)]
    doc_ids = sorted({s["document_id"] for s in entry["sources"]}
                     | {ev["document_id"] for d in desigs for ev in d["evidence"]})
    subjects = ([f"incident:{inc.id}"] + [f"document:{i}" for i in doc_ids]
                + [f"designation:{d['designation_id']}" for d in desigs])
    return {
        "kind": "incident", "title_id": inc.id, "incident": entry, "incidents": [entry], "actor": None,
        "relations": [], "designations": desigs, "withheld": entry["sources_withheld"],
        "chronology": _chronology(session, [entry], desigs, [inc.id]),
        "points": _points([entry]),
        "appendix": _appendix(session, keys_dir, doc_ids, subjects),
    }


def actor_dossier(session: Session, keys_dir: Path, actor_ref: str, clearance: str) -> dict[str, Any]:
    """Everything a person / entity dossier shows."""
    from bayyina.resolve.actors import get_actor, label

    a = get_actor(session, actor_ref)
    trans = translations(session)
    desigs = [_designation_block(session, d, trans, clearance)
              for d in session.scalars(select(Designation).where(Designation.actor_id == a.id).order_by(Designation.id))]
    incidents = []
    inc_ids: list[int] = []
    for iid in sorted({i for d in desigs for i in d["incident_ids"]}):
        inc = current_incident(session, iid)
        if inc is not None and inc.id not in inc_ids:
            inc_ids.append(inc.id)
            incidents.append(seen_entry(session, inc, clearance))
    relations = []
    for r in session.scalars(select(ActorRelation).where(
            or_(ActorRelation.subject_id == a.id, ActorRelation.object_id == a.id),
            ActorRelation.status == "active").order_by(ActorRelation.id)):
        subj, obj = session.get(Actor, r.subject_id), session.get(Actor, r.object_id)
        relations.append({"subject": label(subj) if subj else r.subject_id, "type": r.type,
                          "object": label(obj) if obj else r.object_id, "start": r.start_date, "end": r.end_date,
                          "source": r.source})
    doc_ids = sorted({s["document_id"] for i in incidents for s in i["sources"]}
                     | {ev["document_id"] for d in desigs for ev in d["evidence"]})
    subjects = ([f"actor:{a.id}"] + [f"incident:{i}" for i in inc_ids] + [f"document:{i}" for i in doc_ids]
                + [f"designation:{d['designation_id']}" for d in desigs])
    return {
        "kind": "actor", "title_id": a.id, "incident": None, "incidents": incidents,
        "actor": {**actor_entry(a), "status": a.status, "notes": a.notes}, "relations": relations,
        "designations": desigs, "withheld": sum(i["sources_withheld"] for i in incidents),
        "chronology": _chronology(session, incidents, desigs, inc_ids),
        "points": _points(incidents),
        "appendix": _appendix(session, keys_dir, doc_ids, subjects),
    }


def _points(incidents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for inc in incidents:
        p = inc["place"]
        if p.get("lat") is not None and p.get("lon") is not None:
            out.append({"lat": float(p["lat"]), "lon": float(p["lon"]), "label": p.get("name") or str(inc["id"]),
                        "id": inc["id"]})
    return out


# --------------------------------------------------------------------------- map


def _outline() -> list[dict[str, Any]]:
    try:
        data = json.loads(OUTLINE.read_text(encoding="utf-8"))
        return [f for f in data.get("features", []) if isinstance(f, dict) and f.get("geometry")]
    except (OSError, ValueError):
        return []


def map_svg(points: list[dict[str, Any]], width: int = 460, height: int = 300) -> str:
    """A static SVG: the points over Syria's outline (when shipped) or over a 1° grid."""
    features = _outline()
    if features or not points:
        lon0, lat0, lon1, lat1 = SYRIA_BBOX
    else:
        lon0 = min(p["lon"] for p in points) - 0.6
        lon1 = max(p["lon"] for p in points) + 0.6
        lat0 = min(p["lat"] for p in points) - 0.4
        lat1 = max(p["lat"] for p in points) + 0.4
    for p in points:  # keep every point inside the frame
        lon0, lon1 = min(lon0, p["lon"] - 0.2), max(lon1, p["lon"] + 0.2)
        lat0, lat1 = min(lat0, p["lat"] - 0.2), max(lat1, p["lat"] + 0.2)
    kx = math.cos(math.radians((lat0 + lat1) / 2))
    scale = min(width / ((lon1 - lon0) * kx), height / (lat1 - lat0))
    w, h = (lon1 - lon0) * kx * scale, (lat1 - lat0) * scale

    def xy(lon: float, lat: float) -> tuple[float, float]:
        return (lon - lon0) * kx * scale, (lat1 - lat) * scale

    parts = [(f'<svg xmlns="http://www.w3.org/2000/svg" width="{w:.0f}" height="{h:.0f}" '
              f'viewBox="0 0 {w:.1f} {h:.1f}" font-family="DejaVu Sans, sans-serif" font-size="9">'),
             f'<rect x="0" y="0" width="{w:.1f}" height="{h:.1f}" fill="#eef3f7" stroke="#777"/>']
    for f in features:
        geom = f["geometry"]
        polys = [geom["coordinates"]] if geom.get("type") == "Polygon" else geom.get("coordinates", [])
        focus = bool((f.get("properties") or {}).get("focus"))
        for poly in polys:
            for ring in poly[:1]:
                pts = " ".join("{:.1f},{:.1f}".format(*xy(float(c[0]), float(c[1]))) for c in ring)
                parts.append(f'<polygon points="{pts}" fill="{"#f5efe0" if focus else "#e4e4e4"}" '
                             f'stroke="{"#555" if focus else "#aaa"}" stroke-width="{0.9 if focus else 0.5}"/>')
    for g in range(math.ceil(lon0), math.floor(lon1) + 1):
        x, _ = xy(g, lat0)
        parts.append(f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{h:.1f}" stroke="#bbb" stroke-width="0.4" '
                     f'stroke-dasharray="2,2"/><text x="{x + 2:.1f}" y="{h - 3:.1f}" fill="#666">{g}°E</text>')
    for g in range(math.ceil(lat0), math.floor(lat1) + 1):
        _, y = xy(lon0, g)
        parts.append(f'<line x1="0" y1="{y:.1f}" x2="{w:.1f}" y2="{y:.1f}" stroke="#bbb" stroke-width="0.4" '
                     f'stroke-dasharray="2,2"/><text x="2" y="{y - 2:.1f}" fill="#666">{g}°N</text>')
    for p in points:
        x, y = xy(p["lon"], p["lat"])
        label = str(p["label"]).replace("&", "&amp;").replace("<", "&lt;")
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="#c0392b" stroke="#fff" stroke-width="1"/>'
                     f'<text x="{x + 6:.1f}" y="{y + 3:.1f}" fill="#000" font-weight="bold">{label} '
                     f'({p["lat"]:.3f}, {p["lon"]:.3f})</text>')
    parts.append("</svg>")
    return "".join(parts)


# --------------------------------------------------------------------------- rendering


def font_faces(embed: bool) -> str:
    """``@font-face`` rules for Amiri: file URLs (PDF) or base64 data (standalone HTML)."""
    rules = []
    for name, weight in (("Amiri-Regular.ttf", "normal"), ("Amiri-Bold.ttf", "bold")):
        path = FONTS / name
        if embed:
            if weight == "bold":
                continue  # one face keeps the HTML small; bold is synthesised
            src = "data:font/ttf;base64," + base64.b64encode(path.read_bytes()).decode("ascii")
        else:
            src = path.resolve().as_uri()
        rules.append(f'@font-face {{ font-family: "Amiri"; src: url("{src}"); font-weight: {weight}; }}')
    return "\n".join(rules)


def render_html(data: dict[str, Any], *, lang: str = "both", clearance: str = "partner", embed_font: bool = True,
                generated: str | None = None, home_hint: str = "$BAYYINA_HOME") -> str:
    """The dossier as one HTML document."""
    langs = LANG_CHOICES.get(lang)
    if langs is None:
        raise PublishError(f"--lang: {lang!r} is not ar, en or both")
    env = environment()
    ts = {lg: Labels(lg) for lg in ("ar", "en", "fr")}
    main = langs[0]

    def both(key: str) -> Markup:
        return Markup(" · ").join(Markup('<bdi lang="{}">{}</bdi>').format(lg, ts[lg](key)) for lg in langs)

    return env.get_template("dossier/dossier.html").render(
        d=data, langs=langs, main=main, dir="rtl" if main == "ar" else "ltr", t=ts[main], ts=ts, both=both,
        fonts=font_faces(embed_font), map_svg=map_svg(data["points"]), clearance=clearance,
        generated=generated or iso_utc(now_utc()), home_hint=home_hint,
    )


def write_dossier(session: Session, target: Path, keys_dir: Path, *, who: str, incident_id: int | None = None,
                  actor_ref: str | None = None, clearance: str = "partner", lang: str = "both") -> DossierReport:
    """Write the dossier of one incident or one actor to ``target`` (``.pdf`` or ``.html``) and log it."""
    clearance = check_level(clearance)
    if (incident_id is None) == (actor_ref is None):
        raise PublishError("give exactly one of --incident ID or --actor ID")
    suffix = target.suffix.lower()
    if suffix not in (".pdf", ".html", ".htm"):
        raise PublishError(f"{target}: the output must end in .pdf or .html")
    data = (incident_dossier(session, keys_dir, incident_id, clearance) if incident_id is not None
            else actor_dossier(session, keys_dir, str(actor_ref), clearance))
    html = render_html(data, lang=lang, clearance=clearance, embed_font=suffix != ".pdf",
                       home_hint=str(keys_dir.parent))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        if suffix == ".pdf":
            from weasyprint import HTML

            HTML(string=html, base_url=str(FONTS)).write_pdf(target)
        else:
            target.write_text(html, encoding="utf-8")
    except OSError as exc:
        raise PublishError(f"{target}: cannot write the dossier ({exc.__class__.__name__}: {exc})") from exc
    digest = hashlib.sha256(target.read_bytes()).hexdigest()
    sources = sum(len(i["sources"]) for i in data["incidents"])
    custody.append(session, actor=who, action="dossier-issued", subject=f"dossier:{data['kind']}:{data['title_id']}",
                   payload={"file": target.name, "sha256": digest, "clearance": clearance, "lang": lang,
                            "sources": sources, "withheld": data["withheld"]})
    return DossierReport(target, digest, sources, data["withheld"], clearance)

