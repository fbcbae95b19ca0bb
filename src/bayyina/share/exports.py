"""Exports of the register for people outside bayyina: CSV, GeoJSON, FollowTheMoney.

* ``csv`` — one table (``incidents``, ``actors`` or ``designations``), UTF-8
  with a header row; list cells joined with ``;``; an optional BOM so Excel
  reads Arabic correctly; cells that a spreadsheet would run as a formula
  (starting with ``= + - @``, tab or CR) are prefixed with ``'``.
* ``geojson`` — an RFC 7946 FeatureCollection, one Feature per incident with
  a Point geometry in ``[longitude, latitude]`` order (WGS 84; ``null`` when
  the place has no coordinates), the flat incident record as properties.
* ``ftm`` — FollowTheMoney entities as JSON lines: an ``Event`` per incident
  (with an ``Address`` for its coordinates), the designated actors
  (``Person`` / ``Organization``) and their ``Sanction`` entities.

Only what the clearance allows leaves (:mod:`bayyina.share.records`): the
default clearance is ``public``. Fields marked above it, and values drawn
only from spans marked above it, are left out (empty cells; the ``withheld``
column / property names them). Files are written to a temporary name and
renamed, so a failed export leaves no half file.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from bayyina.share.records import (
    Selection,
    ShareError,
    actor_record,
    allowed_document_ids,
    designation_record,
    incident_record,
    select_rows,
    selection_entities,
)
from bayyina.vault.redact import hidden_marks, incident_as_seen, withheld_fields_of

FORMATS = ("csv", "geojson", "ftm")
TABLES = ("incidents", "actors", "designations")

INCIDENT_COLUMNS: tuple[str, ...] = (
    "id", "status", "place", "place_ar", "country", "lat", "lon", "geonames_id", "date_start", "date_end",
    "date_precision", "agents", "means", "killed_low", "killed_high", "killed_text", "injured_low", "injured_high",
    "injured_text", "perpetrators", "confidence", "sensitivity", "documents", "withheld",
)
ACTOR_COLUMNS: tuple[str, ...] = ("id", "kind", "name_en", "name_ar", "aliases", "rank", "nationality", "status", "ftm_id")
DESIGNATION_COLUMNS: tuple[str, ...] = (
    "id", "authority", "programme", "legal_basis", "actor_id", "measures", "start_date", "expiry_date", "status",
    "delisted_on", "reasons_en", "reasons_ar", "incident_ids", "evidence", "review_status", "ftm_id",
)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class ExportResult:
    """What was written."""

    path: Path
    fmt: str
    rows: int
    withheld: int


def select_for_export(
    session: Session, clearance: str = "public", *, place: str | None = None, date_from: str | None = None,
    date_to: str | None = None, agent: str | None = None,
) -> Selection:
    """The incidents (and the designations and actors) a reader cleared for ``clearance`` may export.

    Incidents come without their fields marked above ``clearance`` and without
    contributions whose evidence overlaps a span marked above it
    (:func:`bayyina.vault.redact.incident_as_seen`; transient copies).
    """
    sel = select_rows(session, clearance, place=place, date_from=date_from, date_to=date_to, agent=agent)
    marks = hidden_marks(session, sel.clearance)
    if marks:
        sel.incidents = [incident_as_seen(session, i, marks, set(sel.incident_documents.get(i.id, []))) for i in sel.incidents]
        secret = {i for i in marks.fields if "attributions" in marks.fields_of(i)}  # who-did-it withheld
        sel.attributions = [a for a in sel.attributions if getattr(a, "incident_id", None) not in secret]
    return sel


def incident_records(sel: Selection) -> list[dict[str, Any]]:
    """The flat records of the selected incidents (``withheld``: the fields left out for clearance)."""
    return [{**incident_record(i, sel.incident_levels[i.id], sel.incident_documents[i.id]),
             "withheld": withheld_fields_of(i.chosen or {})} for i in sel.incidents]


def designation_records(session: Session, sel: Selection) -> list[dict[str, Any]]:
    """The selected designations, evidence and incident links reduced to what is shared."""
    shared = {i.id for i in sel.incidents}
    return [designation_record(d, evidence=allowed_document_ids(session, d.evidence or [], sel.clearance),
                               incidents=[i for i in d.incident_ids or [] if i in shared])
            for d in sel.designations]


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, list):
        v = ";".join(_cell(x) if not isinstance(x, dict) else json.dumps(x, ensure_ascii=False) for x in v)
    s = str(v)
    return "'" + s if s.startswith(FORMULA_START) else s


def csv_text(rows: Iterable[dict[str, Any]], columns: tuple[str, ...]) -> str:
    """CSV with a header row (RFC 4180 quoting, CRLF line ends)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(columns)
    for r in rows:
        w.writerow([_cell(len(r[c]) if c == "documents" else r.get(c)) for c in columns])
    return buf.getvalue()


def feature_collection(records: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """An RFC 7946 FeatureCollection of incidents (Point ``[lon, lat]``, or null geometry)."""
    feats = []
    for r in records:
        geometry = None
        if r.get("lat") is not None and r.get("lon") is not None:
            lon, lat = float(r["lon"]), float(r["lat"])
            if not (-180 <= lon <= 180 and -90 <= lat <= 90):
                raise ShareError(f"incident {r['id']}: coordinates out of range (lat {lat}, lon {lon})")
            geometry = {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]}
        props = {k: v for k, v in r.items() if k not in ("lat", "lon")}
        props["documents"] = len(r.get("documents") or [])
        feats.append({"type": "Feature", "id": r["id"], "geometry": geometry, "properties": props})
    return {"type": "FeatureCollection", "features": feats}


def _write(out: Path, text: str, encoding: str = "utf-8") -> None:
    if out.is_dir():
        raise ShareError(f"{out}: is a directory")
    tmp = out.with_name(out.name + ".part")
    try:
        with open(tmp, "w", encoding=encoding, newline="") as fh:
            fh.write(text)
        os.replace(tmp, out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ShareError(f"{out}: cannot write ({exc.strerror or exc})") from exc


def export(
    session: Session, fmt: str, out: Path, *, clearance: str = "public", table: str = "incidents",
    bom: bool = False, place: str | None = None, date_from: str | None = None, date_to: str | None = None,
    agent: str | None = None,
) -> ExportResult:
    """Write one export (see the module docstring); returns what was written."""
    if fmt not in FORMATS:
        raise ShareError(f"unknown format {fmt!r}: expected one of {', '.join(FORMATS)}")
    if table not in TABLES:
        raise ShareError(f"--table: unknown table {table!r}: expected one of {', '.join(TABLES)}")
    if fmt == "geojson" and table != "incidents":
        raise ShareError("geojson exports incidents only (actors and designations have no place)")
    sel = select_for_export(session, clearance, place=place, date_from=date_from, date_to=date_to, agent=agent)
    withheld = sum(1 for w in sel.withheld if w.kind == "incident")
    if fmt == "ftm":
        ents = selection_entities(sel, session)
        _write(out, "".join(json.dumps(e.to_dict(), ensure_ascii=False, sort_keys=True) + "\n" for e in ents))
        return ExportResult(out, fmt, len(ents), withheld)
    if fmt == "geojson":
        fc = feature_collection(incident_records(sel))
        _write(out, json.dumps(fc, ensure_ascii=False, indent=1) + "\n")
        return ExportResult(out, fmt, len(fc["features"]), withheld)
    if table == "incidents":
        rows, cols = incident_records(sel), INCIDENT_COLUMNS
    elif table == "actors":
        rows, cols = [actor_record(a) for a in sel.actors], ACTOR_COLUMNS
    else:
        rows, cols = designation_records(session, sel), DESIGNATION_COLUMNS
    _write(out, ("\ufeff" if bom else "") + csv_text(rows, cols))
    return ExportResult(out, fmt, len(rows), withheld)
