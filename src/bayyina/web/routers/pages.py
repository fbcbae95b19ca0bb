"""The server-rendered pages (Arabic right-to-left by default, English with ``?lang=en``).

Every page works without JavaScript. The language comes from ``?lang=``
(remembered in the ``bayyina_lang`` cookie) and the labels from
``web/locales/``. The routes only fetch (through the same queries as the
API) and render.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from bayyina.resolve.actors import list_actors
from bayyina.resolve.queries import CONFIDENCES
from bayyina.vault.catalog import incident_counts
from bayyina.vault.home import NotInitialized
from bayyina.web.clearance import (
    latest_visible_documents,
    latest_visible_incidents,
    visible_counts,
    visible_document,
    visible_documents,
)
from bayyina.web.deps import LangDep, RowId, SessionDep, reader_session, translator
from bayyina.web.i18n import COOKIE, LANGUAGES, Translator, code_labels
from bayyina.web.queries import (
    actor_designations,
    actor_relations,
    counts,
    designations_by_expiry,
    highlight,
)
from bayyina.web.routers.documents import custody_out
from bayyina.web.routers.incidents import FiltersDep, filtered_incidents, get_incident_view

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).resolve().parents[1] / "templates"))

router = APIRouter(tags=["pages"], include_in_schema=False)


def toggle_url(request: Request, lang: str) -> str:
    """The current page in another language (other query parameters kept)."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    params.append(("lang", lang))
    return f"{request.url.path}?{urlencode(params)}"


def render(request: Request, t: Translator, name: str, context: dict[str, Any], status_code: int = 200
           ) -> HTMLResponse:
    """Render a page in the request's language; remember a ``?lang=`` choice in a cookie."""
    from bayyina.web.app import package_version

    user = getattr(request.state, "user", None)
    ctx = {"t": t, "lang": t.lang, "dir": t.dir, "toggle_url": toggle_url(request, t.other),
           "version": package_version(), "path": request.url.path, "user": user,
           "csrf_token": user.csrf_token if user is not None and user.csrf_token else "", **context}
    response = TEMPLATES.TemplateResponse(request, name, ctx, status_code=status_code)
    asked = request.query_params.get("lang")
    if asked and asked.lower() in LANGUAGES:
        response.set_cookie(COOKIE, asked.lower(), max_age=365 * 24 * 3600, httponly=True, samesite="lax")
    return response


@router.get("/", response_class=HTMLResponse)
def dashboard(request: Request, t: LangDep) -> HTMLResponse:
    """Counts, latest documents and incidents, designations expiring within 30 days."""
    try:
        session = reader_session(request)
    except NotInitialized as exc:
        return render(request, t, "dashboard.html", {"problem": str(exc)})
    try:
        ctx = {"problem": None, "counts": visible_counts(session, counts(session)),
               "documents": latest_visible_documents(session, 10), "incidents": latest_visible_incidents(session, 10),
               "expiring": designations_by_expiry(session, within=30)}
        return render(request, t, "dashboard.html", ctx)
    finally:
        session.rollback()
        session.close()


@router.get("/incidents", response_class=HTMLResponse)
def incidents_page(request: Request, t: LangDep, session: SessionDep,
                   filters: FiltersDep) -> HTMLResponse:
    """The incident register with its filters (a plain GET form)."""
    error, rows = None, []
    try:
        rows = filtered_incidents(session, filters)
    except HTTPException as exc:
        error = str(exc.detail)
    codes = code_labels()
    return render(request, t, "incidents.html", {"rows": rows, "filters": filters, "error": error,
                                                  "confidences": CONFIDENCES, "agent_codes": list(codes["agents"]),
                                                  "actor_codes": list(codes["actors"])},
                  status_code=400 if error else 200)


@router.get("/incidents/{incident_id}", response_class=HTMLResponse)
def incident_page(request: Request, incident_id: RowId, t: LangDep,
                  session: SessionDep) -> HTMLResponse:
    """One incident: every source with its evidence marked in the text, values side by side, findings."""
    return render(request, t, "incident.html", {"v": get_incident_view(session, incident_id)})


@router.get("/documents", response_class=HTMLResponse)
def documents_page(request: Request, t: LangDep,
                   session: SessionDep) -> HTMLResponse:
    """The stored documents."""
    docs = visible_documents(session, limit=1000)
    return render(request, t, "documents.html", {"docs": docs, "found": incident_counts(session, [d.id for d in docs])})


@router.get("/documents/{doc_id}", response_class=HTMLResponse)
def document_page(request: Request, doc_id: RowId, t: LangDep,
                  session: SessionDep) -> HTMLResponse:
    """One document: hash, custody history, download link, text with its evidence spans marked."""
    d = visible_document(session, doc_id)
    if d is None:
        raise HTTPException(404, f"no document {doc_id}")
    spans = [(int(e.get("start") or 0), int(e.get("end") or 0))
             for r in d.incidents for e in (r.data or {}).get("evidence") or [] if isinstance(e, dict)]
    return render(request, t, "document.html", {
        "d": d, "doc": d.document, "custody": [custody_out(e) for e in d.entries],
        "segments": highlight(d.document.norm_text or "", spans),
    })


@router.get("/actors", response_class=HTMLResponse)
def actors_page(request: Request, t: LangDep,
                session: SessionDep) -> HTMLResponse:
    """Actors with their relations and designations."""
    rows = [(a, actor_relations(session, a), actor_designations(session, a)) for a in list_actors(session)]
    return render(request, t, "actors.html", {"rows": rows})


@router.get("/sanctions", response_class=HTMLResponse)
def sanctions_page(request: Request, t: LangDep,
                   session: SessionDep) -> HTMLResponse:
    """Designations, expiring soon first."""
    return render(request, t, "sanctions.html", {"views": designations_by_expiry(session)})


def error_page(request: Request, status_code: int, detail: str) -> HTMLResponse:
    """An error as a page in the request's language."""
    t = translator(request)
    title = t("not_found") if status_code == 404 else t("bad_request") if status_code < 500 else t("not_initialized")
    return render(request, t, "error.html", {"status_code": status_code, "title": title, "detail": detail},
                  status_code=status_code)
