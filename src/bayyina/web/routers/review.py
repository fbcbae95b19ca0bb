"""The review queue (reviewer role): merge suggestions and incidents waiting for a decision.

``GET /review`` lists, from the register:

* merge suggestions (:func:`bayyina.resolve.incidents.suggest`), each with both
  incidents, the score and its reasons, and a **merge** action;
* incidents in review, with **approve** (→ approved) and **reject** (→ back to draft);
* drafts, with **send to review**; approved incidents, with **publish** and
  **back to review**.

The actions post to ``/review/merge`` and ``/review/state`` and call the same
service functions as ``bayyina incidents merge`` and ``bayyina incidents
review`` (:func:`~bayyina.resolve.incidents.merge`,
:func:`~bayyina.resolve.incidents.review`), in one transaction, with the
reviewer's name as who did it and the reason they typed (required). A refused
step (out of order, no reason, retired incident) is a 400 page saying why.
``GET /api/review`` gives the queue as JSON.
"""

from __future__ import annotations

import importlib
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from bayyina.resolve.incidents import ResolveError, merge, review, suggest
from bayyina.resolve.queries import incident_row
from bayyina.store.models_resolve import Incident
from bayyina.vault.home import Home
from bayyina.web.deps import MAX_ID, HomeDep, LangDep, SessionDep
from bayyina.web.routers.maps import visible_incident
from bayyina.web.routers.pages import render
from bayyina.web.routers.upload import role_dependency
from bayyina.web.schemas import IncidentSummary

router = APIRouter(tags=["review"])

ReviewerDep = Annotated[Any, role_dependency("reviewer")]
# the actions a page offers per state: (target state, label key)
ACTIONS = {
    "draft": (("in_review", "review_send"),),
    "in_review": (("approved", "review_approve"), ("draft", "review_reject")),
    "approved": (("published", "review_publish"), ("in_review", "review_back")),
}
MAX_REASON = 2000


class SuggestionOut(BaseModel):
    """Two incidents that may be one attack."""

    left: IncidentSummary
    right: IncidentSummary
    score: float
    reasons: str
    left_report: int
    right_report: int


class ReviewQueue(BaseModel):
    """What waits for a reviewer."""

    suggestions: list[SuggestionOut]
    in_review: list[IncidentSummary]
    drafts: list[IncidentSummary]
    approved: list[IncidentSummary] = Field(description="approved, not yet published")


def review_queue(session: Session) -> dict[str, Any]:
    """Suggestions and the active incidents by review state (rows as ``incident_row`` gives them), as far
    as the reader's clearance shows them: a suggestion involving a hidden incident is left out."""
    rows: dict[str, list[dict[str, Any]]] = {"draft": [], "in_review": [], "approved": []}
    by_id: dict[int, dict[str, Any]] = {}
    for found in session.scalars(select(Incident).where(Incident.active.is_(True)).order_by(Incident.id)):
        inc = visible_incident(session, found)  # a reviewer sees what their clearance allows
        if inc is None:
            continue
        row = incident_row(inc)
        by_id[inc.id] = row
        if inc.status in rows:
            rows[inc.status].append(row)
    sugs = [{"left": by_id[s.left], "right": by_id[s.right], "score": s.score, "reasons": s.reasons,
             "left_report": s.left_report, "right_report": s.right_report}
            for s in suggest(session) if s.left in by_id and s.right in by_id]
    return {"suggestions": sugs, "in_review": rows["in_review"], "drafts": rows["draft"], "approved": rows["approved"]}


@router.get("/api/review", response_model=ReviewQueue, summary="The review queue (reviewer)")
def review_api(session: SessionDep, user: ReviewerDep) -> ReviewQueue:
    """Merge suggestions, incidents in review, drafts and approved incidents."""
    return ReviewQueue(**review_queue(session))


@router.get("/review", response_class=HTMLResponse, include_in_schema=False)
def review_page(request: Request, t: LangDep, session: SessionDep, user: ReviewerDep) -> HTMLResponse:
    """The queue with its actions."""
    done = request.query_params.get("done", "")
    try:
        subject = int(request.query_params.get("incident", "0"))
    except ValueError:
        subject = 0
    return render(request, t, "review.html", {**review_queue(session), "actions": ACTIONS,
                                              "done": done if done in ("merged", *ACTIONS_DONE) else "",
                                              "subject": subject})


ACTIONS_DONE = ("in_review", "approved", "draft", "published")


def _reason(value: str) -> str:
    text = value.strip()
    if not text:
        raise HTTPException(400, "a reason is needed: it is recorded with your name in the register's log")
    if len(text) > MAX_REASON:
        raise HTTPException(400, f"the reason is {len(text)} characters long; at most {MAX_REASON}")
    return text


def _back(lang: str | None, done: str, incident: int) -> RedirectResponse:
    q = {"done": done, "incident": str(incident)}
    if lang in ("ar", "en"):
        q["lang"] = lang
    return RedirectResponse(f"/review?{urlencode(q)}", status_code=303)


def _commit(home: Home, user: Any, incident_ids: list[int], fn: Any) -> Any:
    """Run ``fn(session)`` in one transaction, after checking the reviewer may see every incident it names
    (an incident hidden by their clearance is a 404, as on its page)."""
    with home.session() as s:
        try:
            _set_clearance(s, str(getattr(user, "clearance", "restricted")))
            for i in incident_ids:
                inc = s.get(Incident, i)
                if inc is not None and visible_incident(s, inc) is None:
                    raise HTTPException(404, f"no incident {i}")
            out = fn(s)
            s.commit()
            return out
        except ResolveError as exc:
            s.rollback()
            raise HTTPException(400, str(exc)) from exc
        except BaseException:
            s.rollback()
            raise


def _set_clearance(session: Session, level: str) -> None:
    try:
        clearance = importlib.import_module("bayyina.web.clearance")
    except ModuleNotFoundError:
        return
    clearance.set_clearance(session, level)


IdField = Annotated[int, Form(ge=1, le=MAX_ID)]


@router.post("/review/merge", include_in_schema=False)
def review_merge(home: HomeDep, user: ReviewerDep, a: IdField, b: IdField,
                 reason: Annotated[str, Form(max_length=MAX_REASON * 2)] = "",
                 lang: Annotated[str | None, Form(max_length=5)] = None) -> RedirectResponse:
    """Accept a suggestion: incident B joins incident A (``bayyina incidents merge A B --reason``)."""
    why = _reason(reason)
    _commit(home, user, [a, b], lambda s: merge(s, a, b, str(user.name), why))
    return _back(lang, "merged", a)


@router.post("/review/state", include_in_schema=False)
def review_state(home: HomeDep, user: ReviewerDep, incident_id: IdField,
                 state: Annotated[str, Form(max_length=30)],
                 reason: Annotated[str, Form(max_length=MAX_REASON * 2)] = "",
                 lang: Annotated[str | None, Form(max_length=5)] = None) -> RedirectResponse:
    """Move an incident to ``state`` (``bayyina incidents review ID --state S --reason R``)."""
    why = _reason(reason)
    _commit(home, user, [incident_id], lambda s: review(s, incident_id, state, str(user.name), why))
    return _back(lang, state if state in ACTIONS_DONE else "", incident_id)
