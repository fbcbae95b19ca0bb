"""The FastAPI application factory: ``create_app()`` builds the bayyina web app.

For now it serves a placeholder bilingual (Arabic first, right-to-left) home
page and ``GET /api/health``; the area routers (incidents, documents, actors,
sanctions, search, auth) are mounted here as they land. No business logic lives
in a route: routes call the same service layers as the CLI.
"""

from __future__ import annotations

from html import escape
from importlib import metadata

from fastapi import APIRouter, FastAPI
from fastapi.responses import HTMLResponse
from pydantic import BaseModel


def package_version() -> str:
    """The installed version of bayyina (``0+unknown`` when not installed)."""
    try:
        return metadata.version("bayyina")
    except metadata.PackageNotFoundError:
        return "0+unknown"


class Health(BaseModel):
    """Answer of ``GET /api/health``."""

    status: str
    version: str


health_router = APIRouter(prefix="/api", tags=["health"])


@health_router.get("/health", response_model=Health, summary="Liveness check")
def health() -> Health:
    """Say the service is up and which version of bayyina it runs."""
    return Health(status="ok", version=package_version())


home_router = APIRouter(tags=["pages"])

_HOME_PAGE = """<!doctype html>
<html lang="ar" dir="rtl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>بيّنة · bayyina</title>
<style>
  body {{ font-family: system-ui, "Noto Naskh Arabic", "Noto Sans", sans-serif;
         max-width: 42rem; margin: 3rem auto; padding: 0 1rem; line-height: 1.6; color: #1b1b1b; }}
  h1 {{ margin-bottom: 0; }}
  .en {{ direction: ltr; text-align: left; color: #444; }}
  nav a {{ margin-inline-end: 1.5rem; }}
  footer {{ margin-top: 3rem; font-size: 0.85rem; color: #666; }}
</style>
</head>
<body>
<header>
  <h1>بيّنة</h1>
  <p class="en" lang="en" dir="ltr"><strong>bayyina</strong></p>
</header>
<main>
  <p>منصّة لحفظ الأدلة والمساءلة عن هجمات الأسلحة الكيميائية: خزنة للوثائق الأصلية
     لا تُغيَّر، واستخراج الوقائع من التقارير العربية والإنجليزية، وربطها بالجهات
     والعقوبات، ومشاركتها مع المحققين.</p>
  <p class="en" lang="en" dir="ltr">An evidence and accountability platform for
     chemical-weapons attacks: a vault of unaltered originals, extraction of incidents
     from Arabic and English reports, resolution of actors, sanctions, and sharing
     with investigators.</p>
  <p>هذه صفحة مؤقتة؛ واجهة الويب قيد الإنشاء.
     <span lang="en" dir="ltr">This is a placeholder page; the web interface is being built.</span></p>
  <nav>
    <a href="/docs">توثيق الواجهة البرمجية · <span lang="en" dir="ltr">API docs</span></a>
    <a href="/api/health">حالة الخدمة · <span lang="en" dir="ltr">health</span></a>
  </nav>
</main>
<footer><span lang="en" dir="ltr">bayyina {version}</span></footer>
</body>
</html>
"""


@home_router.get("/", response_class=HTMLResponse, include_in_schema=False)
def home() -> HTMLResponse:
    """The placeholder home page, Arabic first and right-to-left."""
    return HTMLResponse(_HOME_PAGE.format(version=escape(package_version())))


def create_app() -> FastAPI:
    """Build a fresh bayyina web application."""
    app = FastAPI(
        title="bayyina",
        description="Evidence and accountability platform for chemical-weapons attacks.",
        version=package_version(),
    )
    app.include_router(home_router)
    app.include_router(health_router)
    return app
