"""The map and the timeline: incidents as points (``/map``, ``/api/incidents.geojson``) and
incidents per month by agent (``/timeline``, ``/api/timeline``).

Both take the filters of the incident register (``place``, ``from``, ``to``,
``agent``, ``perpetrator``, ``confidence``) through the same dependency as
``/api/incidents``. The map draws with Leaflet and the chart with Chart.js,
both vendored under ``static/vendor/`` (nothing from a CDN). The map works
offline on a bundled outline of Syria and its neighbours
(``static/geo/syria-region.geojson``); a tile layer is added only when the
setting ``BAYYINA_TILE_URL`` names one (e.g. a local tile server;
``BAYYINA_TILE_ATTRIBUTION`` is its credit line).
"""

from __future__ import annotations

import importlib
import os
from datetime import date
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from bayyina.resolve.queries import CONFIDENCES
from bayyina.store.models_resolve import Incident
from bayyina.web.deps import LangDep, SessionDep
from bayyina.web.i18n import code_labels
from bayyina.web.routers.incidents import FiltersDep, filtered_incidents
from bayyina.web.routers.pages import render
from bayyina.web.schemas import Problem

router = APIRouter(tags=["map and timeline"])

TILE_URL_ENV = "BAYYINA_TILE_URL"
TILE_ATTRIBUTION_ENV = "BAYYINA_TILE_ATTRIBUTION"
MAX_MONTHS = 1200  # a timeline longer than a century is a bad date, not a chart
UNSPECIFIED = "unspecified"
FILTER_PARAMS = {"place": "place", "date_from": "from", "date_to": "to", "agent": "agent",
                 "perpetrator": "perpetrator", "confidence": "confidence"}


def tile_settings() -> dict[str, str | None]:
    """The tile layer the map adds on top of the outline (none unless ``BAYYINA_TILE_URL`` is set)."""
    url = (os.environ.get(TILE_URL_ENV) or "").strip() or None
    return {"url": url, "attribution": (os.environ.get(TILE_ATTRIBUTION_ENV) or "").strip() or None}


def filter_query(filters: dict[str, str | None]) -> str:
    """The filters as a query string (the page passes them on to its JSON endpoint)."""
    return urlencode([(FILTER_PARAMS[k], v) for k, v in filters.items() if v])


def visible_incident(session: Session, inc: Incident) -> Incident | None:
    """The incident as the session's reader may see it (``web.clearance``: redacted, or None when hidden);
    the incident itself where the clearance module is not installed."""
    try:
        clearance = importlib.import_module("bayyina.web.clearance")
    except ModuleNotFoundError:
        return inc
    seen: Incident | None = clearance.sight(session).incident(inc)
    return seen


def _coordinates(inc: Incident) -> tuple[float, float] | None:
    place = (inc.chosen.get("place") or {}).get("chosen") or {}
    try:
        lat, lon = float(place["lat"]), float(place["lon"])
    except (KeyError, TypeError, ValueError):
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return lat, lon


def incident_features(session: Session, filters: dict[str, str | None]) -> dict[str, Any]:
    """The filtered incidents as a GeoJSON FeatureCollection; those without coordinates are counted apart."""
    features: list[dict[str, Any]] = []
    unplaced: list[int] = []
    for row in filtered_incidents(session, filters):
        inc = session.get(Incident, row["id"])
        seen = visible_incident(session, inc) if inc is not None else None
        where = _coordinates(seen) if seen is not None else None
        if where is None:
            unplaced.append(row["id"])
            continue
        lat, lon = where
        props = {k: row[k] for k in ("id", "status", "place", "place_ar", "date_start", "date_end", "agents",
                                     "means", "killed", "injured", "perpetrators", "confidence", "reports")}
        props["url"] = f"/incidents/{row['id']}"
        features.append({"type": "Feature", "id": row["id"], "properties": props,
                         "geometry": {"type": "Point", "coordinates": [lon, lat]}})
    return {"type": "FeatureCollection", "features": features, "unplaced": unplaced}


def _month(value: Any) -> tuple[int, int] | None:
    try:
        d = date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        try:
            y, m = str(value)[:7].split("-")
            return int(y), int(m)
        except ValueError:
            return None
    return (d.year, d.month) if d else None


def monthly_counts(session: Session, filters: dict[str, str | None]) -> dict[str, Any]:
    """Incidents per month (of their first day) by agent, months without incidents filled with 0.

    An incident naming two agents counts once for each; one naming none counts
    under ``unspecified``. Undated incidents are only counted (``undated``).
    """
    per: dict[str, dict[tuple[int, int], int]] = {}
    undated = 0
    total = 0
    for row in filtered_incidents(session, filters):
        total += 1
        ym = _month(row["date_start"])
        if ym is None:
            undated += 1
            continue
        for agent in row["agents"] or [UNSPECIFIED]:
            per.setdefault(str(agent), {})
            per[str(agent)][ym] = per[str(agent)].get(ym, 0) + 1
    seen = sorted({ym for counts in per.values() for ym in counts})
    months: list[tuple[int, int]] = []
    if seen:
        y, m = seen[0]
        while (y, m) <= seen[-1] and len(months) < MAX_MONTHS:
            months.append((y, m))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    agents = sorted(per, key=lambda a: (-sum(per[a].values()), a))
    return {
        "months": [f"{y:04d}-{m:02d}" for y, m in months],
        "series": [{"agent": a, "counts": [per[a].get(ym, 0) for ym in months], "total": sum(per[a].values())}
                   for a in agents],
        "undated": undated,
        "incidents": total,
    }


class TimelineSeries(BaseModel):
    """One agent's incidents per month."""

    agent: str = Field(description="agent code (or 'unspecified')")
    counts: list[int]
    total: int


class Timeline(BaseModel):
    """Incidents per month by agent."""

    months: list[str] = Field(description="YYYY-MM, every month from the first to the last incident")
    series: list[TimelineSeries]
    undated: int = Field(description="matching incidents without a date (not in the series)")
    incidents: int = Field(description="matching incidents")


GEOJSON_SCHEMA: dict[str, Any] = {
    "content": {"application/geo+json": {"schema": {
        "type": "object", "required": ["type", "features"],
        "properties": {"type": {"type": "string"}, "features": {"type": "array", "items": {"type": "object"}},
                       "unplaced": {"type": "array", "items": {"type": "integer"}}}}}},
    "description": "A GeoJSON FeatureCollection of points (lon, lat); ids without coordinates in `unplaced`",
}


@router.get("/api/incidents.geojson", response_class=JSONResponse, summary="Incidents as GeoJSON points",
            responses={200: GEOJSON_SCHEMA, 400: {"model": Problem}})
def incidents_geojson(session: SessionDep, filters: FiltersDep) -> JSONResponse:
    """The incidents matching the register's filters as points at their chosen place."""
    return JSONResponse(incident_features(session, filters), media_type="application/geo+json")


@router.get("/api/timeline", response_model=Timeline, responses={400: {"model": Problem}},
            summary="Incidents per month by agent")
def timeline(session: SessionDep, filters: FiltersDep) -> Timeline:
    """Counts of the incidents matching the register's filters, per month and agent."""
    return Timeline(**monthly_counts(session, filters))


def _filter_context(filters: dict[str, str | None]) -> dict[str, Any]:
    codes = code_labels()
    return {"filters": filters, "confidences": CONFIDENCES, "agent_codes": list(codes["agents"]),
            "actor_codes": list(codes["actors"]), "query": filter_query(filters)}


@router.get("/map", response_class=HTMLResponse, include_in_schema=False)
def map_page(request: Request, t: LangDep, session: SessionDep, filters: FiltersDep) -> HTMLResponse:
    """Incidents on a map of Syria and its neighbours; a point opens its incident (the list below
    works without JavaScript)."""
    rows = filtered_incidents(session, filters)
    return render(request, t, "map.html", {**_filter_context(filters), "tiles": tile_settings(),
                                           "rows": rows, "action": "/map"})


@router.get("/timeline", response_class=HTMLResponse, include_in_schema=False)
def timeline_page(request: Request, t: LangDep, session: SessionDep, filters: FiltersDep) -> HTMLResponse:
    """Incidents per month by agent: a stacked bar chart, and the same counts as a table."""
    data = monthly_counts(session, filters)
    labels = {s["agent"]: t.code("agents", s["agent"]) if s["agent"] != UNSPECIFIED else t("agent_unspecified")
              for s in data["series"]}
    return render(request, t, "timeline.html", {**_filter_context(filters), "data": data, "agent_labels": labels,
                                                "action": "/timeline"})
