"""Upload: originals into the vault from the browser, through the same ingest as ``bayyina ingest``.

``GET /upload`` is the form (analyst role or above); the page's script posts
the files to ``POST /api/upload`` with an upload progress bar and lists the
answer; without JavaScript the form posts to ``POST /upload`` and gets the
same listing as a page. Each file goes through :class:`bayyina.vault.ingest.Ingestor`
(stage while hashing, read, store, custody entries, extraction) and, unless
unticked, the incident register is resolved afterwards
(:func:`bayyina.resolve.incidents.resolve`), as ``bayyina incidents resolve`` does.

Refusals, decided before anything is stored:

* a request body over the limit (``Content-Length``) or a file over it:
  **413**, naming the file and the limit (``BAYYINA_UPLOAD_MAX_MB``, default 50);
* a file of a type no reader takes: **415**, naming the file and the supported types;
* no file at all, an unknown sensitivity level: **400**;
* a ``sensitivity`` above the uploader's clearance: **403** (levels: public,
  partner, restricted; new documents get the chosen one, default public).

A file that fails while being read (a corrupt PDF, undecodable text) is
listed as refused with its reason; the ingest drops its staged copy, so the
store stays as it was for that file, and the other files are stored.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel, Field
from starlette.datastructures import UploadFile

from bayyina.store.sensitivity import SensitivityError, allowed, check_level, visible_levels
from bayyina.text.readers import ReadError, reader_for, supported_suffixes
from bayyina.vault.home import Home
from bayyina.vault.ingest import Ingestor, Outcome
from bayyina.web import deps
from bayyina.web.deps import HomeDep, LangDep
from bayyina.web.routers.pages import render
from bayyina.web.schemas import Problem

router = APIRouter(tags=["upload"])

MAX_MB_ENV = "BAYYINA_UPLOAD_MAX_MB"
DEFAULT_MAX_MB = 50.0
MAX_FILES = 100
FORM_OVERHEAD = 64 * 1024  # multipart boundaries and the small fields around the files


class Acting:
    """Who acts when the app has no login yet: the settings' user, with every role."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.role = "admin"
        self.clearance = "restricted"
        self.csrf_token: str | None = None


def role_dependency(role: str) -> Any:
    """``Depends(require_role(role))`` of the login area; before it exists, the settings' user."""
    make = getattr(deps, "require_role", None)
    if make is not None:
        return Depends(make(role))

    def anyone(request: Request) -> Acting:
        return Acting(deps.app_state(request).settings.user)

    return Depends(anyone)


AnalystDep = Annotated[Any, role_dependency("analyst")]


def max_upload_bytes() -> int:
    """The upload limit in bytes, from ``BAYYINA_UPLOAD_MAX_MB`` (a bad value falls back to the default)."""
    try:
        mb = float(os.environ.get(MAX_MB_ENV) or DEFAULT_MAX_MB)
    except ValueError:
        mb = DEFAULT_MAX_MB
    return int(max(mb, 0.001) * 1024 * 1024)


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB" if n >= 1024 * 1024 else f"{n:,} bytes"


def safe_name(name: str) -> str:
    """The base name of an uploaded file, without path parts or control characters."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(ch for ch in base if ch.isprintable()).strip().lstrip(".")
    return base[:200] or "upload"


class FileResult(BaseModel):
    """What became of one uploaded file."""

    file: str
    status: str = Field(description="stored, duplicate or refused")
    reason: str = ""
    document_id: int | None = None
    language: str | None = None
    size: int = 0
    sha256: str = ""
    incidents: int | None = Field(None, description="incident reports the extraction found")


class UploadResult(BaseModel):
    """The answer to an upload: every file, then what the resolve run changed."""

    files: list[FileResult]
    stored: int
    refused: int
    resolved: bool
    incidents_created: list[int] = []
    incidents_changed: list[int] = []
    checkpoint_seq: int | None = None


def _result(name: str, o: Outcome) -> FileResult:
    status = {"ingested": "stored", "duplicate": "duplicate"}.get(o.status, "refused")
    return FileResult(file=name, status=status, reason=o.reason, document_id=o.document_id, language=o.language,
                      size=o.size, sha256=o.sha256, incidents=o.incidents)


async def _read_form(request: Request) -> tuple[list[UploadFile], dict[str, str]]:
    limit = max_upload_bytes()
    length = request.headers.get("content-length")
    if length and length.isdigit() and int(length) > limit + FORM_OVERHEAD:
        raise HTTPException(413, f"the upload is {_mb(int(length))}, over the limit of {_mb(limit)} "
                                 f"({MAX_MB_ENV}); send fewer or smaller files")
    ctype = request.headers.get("content-type", "")
    if not ctype.startswith("multipart/form-data"):
        raise HTTPException(400, "send the files as multipart/form-data in the field 'files'")
    try:
        form = await request.form(max_files=MAX_FILES)
    except HTTPException:
        raise
    except Exception as exc:  # a malformed multipart body is bad input, not a crash
        raise HTTPException(400, f"cannot read the upload form: {exc}") from exc
    files = [f for f in form.getlist("files") if isinstance(f, UploadFile)]
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    return files, fields


def check_files(files: list[UploadFile]) -> None:
    """Refuse the whole upload before storing anything: no file, a file too big, a type no reader takes."""
    named = [f for f in files if f.filename]
    if not named:
        raise HTTPException(400, "no file chosen: add one or more files in the field 'files'")
    limit = max_upload_bytes()
    big = [f"{safe_name(f.filename or '')} ({_mb(f.size)})" for f in named if f.size is not None and f.size > limit]
    if big:
        raise HTTPException(413, f"over the upload limit of {_mb(limit)} ({MAX_MB_ENV}): {', '.join(big)}")
    wrong = []
    for f in named:
        try:
            reader_for(safe_name(f.filename or ""))
        except ReadError:
            wrong.append(safe_name(f.filename or ""))
    if wrong:
        raise HTTPException(415, f"{', '.join(wrong)}: unsupported file type "
                                 f"(supported: {', '.join(supported_suffixes())}); nothing was stored")


def store_files(home: Home, files: list[UploadFile], user: str, *, labels: list[str], source_url: str | None,
                resolve_after: bool, sensitivity: str = "public") -> UploadResult:
    """Ingest the uploaded files one by one as ``user``; then resolve the register (when asked)."""
    from bayyina.resolve.incidents import resolve

    ing = Ingestor(home, labels=labels, source_url=source_url, extract=True, sensitivity=sensitivity)
    ing.actor = user
    results: list[FileResult] = []
    with tempfile.TemporaryDirectory(prefix="bayyina-upload-") as tmp:
        for i, f in enumerate(f for f in files if f.filename):
            name = safe_name(f.filename or "")
            folder = Path(tmp) / str(i)
            folder.mkdir()
            path = folder / name
            f.file.seek(0)
            with path.open("wb") as dst:
                shutil.copyfileobj(f.file, dst, 1024 * 1024)
            results.append(_result(name, ing.ingest_target(str(path))))
    seq = ing.checkpoint() if any(r.status == "stored" for r in results) else None
    created: list[int] = []
    changed: list[int] = []
    if resolve_after and any(r.status != "refused" for r in results):
        with home.session() as s:
            try:
                rep = resolve(s, user, why="resolve after upload")
                s.commit()
            except BaseException:
                s.rollback()
                raise
            created, changed = list(rep.created), list(rep.updated) + list(rep.recomputed)
    return UploadResult(files=results, stored=sum(r.status == "stored" for r in results),
                        refused=sum(r.status == "refused" for r in results), resolved=resolve_after,
                        incidents_created=created, incidents_changed=sorted(set(changed)), checkpoint_seq=seq)


async def _upload(request: Request, home: Home, user: Any) -> UploadResult:
    from fastapi.concurrency import run_in_threadpool

    files, fields = await _read_form(request)
    check_files(files)
    labels = [x.strip() for x in re.split(r"[,\s]+", fields.get("labels", "")) if x.strip()][:20]
    source = fields.get("source_url", "").strip() or None
    if source and not re.match(r"^https?://\S+$", source):
        raise HTTPException(400, f"source_url: {source[:100]!r} is not an http(s) URL")
    resolve_after = fields.get("resolve", "on").lower() not in ("", "0", "off", "false", "no")
    try:
        level = check_level(fields.get("sensitivity", "").strip() or "public")
    except SensitivityError as exc:
        raise HTTPException(400, f"sensitivity: {exc}") from exc
    clearance = str(getattr(user, "clearance", "public"))
    if not allowed(level, clearance):
        raise HTTPException(403, f"you are cleared for {clearance} material: you cannot store files as {level}")
    try:
        return await run_in_threadpool(store_files, home, files, str(user.name), labels=labels, source_url=source,
                                       resolve_after=resolve_after, sensitivity=level)
    finally:
        for f in files:
            await f.close()


UPLOAD_BODY: dict[str, Any] = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["files"],
    "properties": {
        "files": {"type": "array", "items": {"type": "string", "format": "binary"}},
        "labels": {"type": "string", "description": "labels, separated by commas or spaces"},
        "source_url": {"type": "string", "description": "where the originals came from (http/https)"},
        "resolve": {"type": "string", "description": "'off' to skip resolving the register afterwards"},
        "sensitivity": {"type": "string", "description": "public (default), partner or restricted; "
                                                         "at most the uploader's clearance"},
    }}}}}}


@router.post("/api/upload", response_model=UploadResult, openapi_extra=UPLOAD_BODY,
             summary="Upload originals (analyst)",
             responses={400: {"model": Problem}, 413: {"model": Problem}, 415: {"model": Problem}})
async def upload_api(request: Request, user: AnalystDep, home: HomeDep) -> JSONResponse:
    """Store the files in the vault through the ingest (extraction included), then resolve the register."""
    res = await _upload(request, home, user)
    return JSONResponse(res.model_dump(), status_code=200 if res.stored or not res.refused else 422)


@router.get("/upload", response_class=HTMLResponse, include_in_schema=False)
def upload_page(request: Request, t: LangDep, user: AnalystDep) -> HTMLResponse:
    """The upload form."""
    return render(request, t, "upload.html", {"result": None, "max_bytes": max_upload_bytes(),
                                              "levels": visible_levels(str(getattr(user, "clearance", "public"))),
                                              "max_label": _mb(max_upload_bytes()),
                                              "suffixes": supported_suffixes()})


@router.post("/upload", response_class=HTMLResponse, include_in_schema=False)
async def upload_form(request: Request, t: LangDep, user: AnalystDep, home: HomeDep) -> HTMLResponse:
    """The form posted without JavaScript: the same upload, the result as a page."""
    res = await _upload(request, home, user)
    return render(request, t, "upload.html", {"result": res, "max_bytes": max_upload_bytes(),
                                              "levels": visible_levels(str(getattr(user, "clearance", "public"))),
                                              "max_label": _mb(max_upload_bytes()),
                                              "suffixes": supported_suffixes()},
                  status_code=200 if res.stored or not res.refused else 422)

