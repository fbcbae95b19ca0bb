"""The FastAPI application factory: ``create_app()`` builds the bayyina web app.

One router per area under ``web/routers/``: documents, incidents, actors and
sanctions (the JSON API under ``/api``, OpenAPI at ``/docs``), pages (the
server-rendered bilingual UI, Arabic right-to-left by default), and search
when its router is installed. Settings come from ``bayyina.settings``
(``BAYYINA_HOME``, ``BAYYINA_DATABASE_URL``). No business logic lives in a
route: routes call the same service layers as the CLI.
"""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import metadata
from pathlib import Path

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from bayyina.settings import Settings
from bayyina.web.deps import AppState, NotAuthenticated, current_user, login_gate
from bayyina.web.schemas import Health

STATIC_DIR = Path(__file__).resolve().parent / "static"


def package_version() -> str:
    """The installed version of bayyina (``0+unknown`` when not installed)."""
    try:
        return metadata.version("bayyina")
    except metadata.PackageNotFoundError:
        return "0+unknown"


health_router = APIRouter(prefix="/api", tags=["health"])


@health_router.get("/health", response_model=Health, summary="Liveness check")
def health() -> Health:
    """Say the service is up and which version of bayyina it runs."""
    return Health(status="ok", version=package_version())


def _wants_json(request: Request) -> bool:
    path = request.url.path
    return path.startswith(("/api", "/static")) or path == "/openapi.json"


def _install_error_pages(app: FastAPI) -> None:
    """API errors stay ``{"detail": ...}`` JSON; page errors become a page in the reader's language."""
    from bayyina.web.routers.pages import error_page

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if _wants_json(request):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        return error_page(request, exc.status_code, str(exc.detail))

    @app.exception_handler(NotAuthenticated)
    async def not_authenticated(request: Request, exc: NotAuthenticated) -> Response:
        if _wants_json(request):
            return JSONResponse({"detail": f"{exc.reason}: log in at /login or send 'Authorization: Bearer <token>'"},
                                status_code=401, headers={"WWW-Authenticate": "Bearer"})
        from bayyina.web.routers.auth import login_url

        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(login_url(target), status_code=303)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        errors = [{"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
                  for e in exc.errors()]
        if _wants_json(request):
            return JSONResponse({"detail": errors}, status_code=422)
        text = "; ".join(f"{'.'.join(str(p) for p in e['loc'][1:]) or 'request'}: {e['msg']}" for e in errors)
        return error_page(request, 422, text)


def _install_docs(app: FastAPI) -> None:
    """The OpenAPI schema and its Swagger page, behind the login like every other route."""

    @app.get("/openapi.json", include_in_schema=False)
    def openapi_schema(request: Request) -> JSONResponse:
        current_user(request)
        return JSONResponse(app.openapi())

    @app.get("/docs", include_in_schema=False)
    def swagger(request: Request) -> HTMLResponse:
        current_user(request)
        return get_swagger_ui_html(openapi_url="/openapi.json", title="bayyina API")


# Routers of areas that may not be installed yet; each module exposes ``router``.
OPTIONAL_ROUTERS = (
    "bayyina.web.routers.search",
    "bayyina.web.routers.search_page",
    "bayyina.web.routers.auth",
    "bayyina.web.routers.maps",
    "bayyina.web.routers.upload",
    "bayyina.web.routers.review",
    "bayyina.web.routers.admin",
)


def _optional_routers() -> list[APIRouter]:
    """The routers of :data:`OPTIONAL_ROUTERS` that exist."""
    out: list[APIRouter] = []
    for name in OPTIONAL_ROUTERS:
        try:
            mod = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        router = getattr(mod, "router", None)
        if isinstance(router, APIRouter):
            out.append(router)
    return out


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build a fresh bayyina web application over ``settings`` (default: from the environment)."""
    from bayyina.web.routers import actors, documents, incidents, pages, sanctions

    state = AppState(settings or Settings.load())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        state.close()

    app = FastAPI(
        title="bayyina",
        description="Evidence and accountability platform for chemical-weapons attacks.",
        version=package_version(),
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        # every route needs a login (except /login, /api/health) and unsafe methods a CSRF token
        dependencies=[Depends(login_gate)],
    )
    _install_docs(app)
    app.state.bayyina = state
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(health_router)
    for area in (documents, incidents, actors, sanctions):
        app.include_router(area.router)
    for extra in _optional_routers():
        app.include_router(extra)
    app.include_router(pages.router)
    _install_error_pages(app)
    return app
