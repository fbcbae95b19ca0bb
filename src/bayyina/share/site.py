"""The static public site of a names-list release: Arabic (RTL), English and French pages.

``build_site(session, out, keys_dir, version=None)`` renders one release
(the latest by default) into ``out``:

```
out/index.html                    language choice, links to the three indexes
out/{ar,en,fr}/index.html         intro, every name (Arabic + Latin forms, aliases), incidents, downloads
out/{ar,en,fr}/entity/N.html      one page per listed person / entity (N = actor id)
out/{ar,en,fr}/incident/N.html    one page per incident behind a listing
out/releases/vN/                  the signed release files (names.*, manifest.json, manifest.sig, public_key.pem)
out/static/site.css, out/static/fonts/Amiri-*.ttf (+ OFL licence)
out/sitemap.xml, out/robots.txt
```

Plain HTML and CSS: no JavaScript anywhere. Arabic pages are
``<html lang="ar" dir="rtl">`` and use the shipped Amiri font. Every page
links its versions in the other languages (``hreflang``). The site shows only
what the release holds, and a release holds only public material.

Labels are data (``share/data/locales/{ar,en,fr}.json``); the codes of the
extraction contract fall back to ``web/locales/codes.json`` for Arabic and
English (through the web's :class:`~bayyina.web.i18n.LangLabels`, which gives the writing
direction and joined code lists too). :class:`Labels` is shared with the dossiers.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup
from markupsafe import escape as escape_html
from sqlalchemy.orm import Session

from bayyina.share.publish import (
    PublishError,
    get_release,
    list_releases,
    manifest_of,
    names_of,
    verify_release,
    write_release,
)
from bayyina.web.i18n import LangLabels

HERE = Path(__file__).parent
LOCALES = HERE / "data" / "locales"
TEMPLATES = HERE / "templates"
FONTS = HERE.parent / "web" / "static" / "fonts"
FONT_FILES = ("Amiri-Regular.ttf", "Amiri-Bold.ttf", "LICENSE-Amiri.txt")
LANGS = ("ar", "en", "fr")


@cache
def _locale(lang: str) -> dict[str, Any]:
    if lang not in LANGS:
        raise PublishError(f"no labels for language {lang!r} (one of {', '.join(LANGS)})")
    path = LOCALES / f"{lang}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise PublishError(f"{path}: cannot load the labels ({exc})") from exc
    if not isinstance(data, dict) or not isinstance(data.get("labels"), dict):
        raise PublishError(f"{path}: expected an object with 'labels' and 'codes'")
    return data


@dataclass(frozen=True)
class Labels(LangLabels):
    """The labels of one language, callable: ``t("incidents")``; ``t.code("agents", "sarin")``."""

    def __call__(self, key: str) -> str:
        return str(_locale(self.lang)["labels"].get(key, key))

    def code(self, group: str, value: object) -> str:
        """The label of a code (this language's own first, then the web's); an unknown code shows itself."""
        if value is None:
            return "—"
        own = (_locale(self.lang).get("codes") or {}).get(group, {})
        if str(value) in own:
            return str(own[str(value)])
        return super().code(group, value)

    def fmt(self, key: str, **values: object) -> Markup:
        """A label with ``{placeholders}`` filled, as safe HTML: values are escaped unless they are
        :class:`Markup` (e.g. a date kept left to right); the label alone when it does not fit."""
        try:
            return Markup(escape_html(self(key))).format(**values)
        except (KeyError, IndexError, ValueError):
            return Markup(escape_html(self(key)))


def environment() -> Environment:
    """The Jinja2 environment of the site and dossier templates (autoescaped)."""
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html", "xml"]),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["short"] = lambda s, n=16: (str(s)[:n] + "…") if s and len(str(s)) > n else (s or "")
    env.filters["ltr"] = ltr
    return env


def display_name(entity: dict[str, Any], lang: str) -> str:
    """The entity's name in the page's script first."""
    first, second = (entity.get("name_ar"), entity.get("name_en")) if lang == "ar" else (
        entity.get("name_en"), entity.get("name_ar"))
    return str(first or second or entity["id"])


def ltr(text: object) -> Markup:
    """Text kept left to right inside right-to-left lines (dates: ``2018-04-07`` must not become ``07-04-2018``)."""
    return Markup('<span dir="ltr">{}</span>').format(text)


def incident_title(inc: dict[str, Any], lang: str, html: bool = False) -> str:
    """``Douma, 2018-04-07`` in the page's script (with ``html``: the date wrapped by :func:`ltr`)."""
    place = inc.get("place") or {}
    name = (place.get("name_ar") if lang == "ar" else None) or place.get("name") or place.get("name_ar") or "?"
    d = inc.get("date") or {}
    when = d.get("start") or ""
    if d.get("end") and d.get("end") != d.get("start"):
        when = f"{when} – {d['end']}"
    sep = "، " if lang == "ar" else ", "
    if html:
        return Markup("{}{}{}").format(name, sep, ltr(when))
    return f"{name}{sep}{when}"


@dataclass
class SiteReport:
    """What ``build_site`` wrote."""

    out: Path
    version: int
    pages: int
    entities: int
    incidents: int


def build_site(session: Session, out: Path, keys_dir: Path, *, version: int | str | None = None,
               base_url: str = "") -> SiteReport:
    """Render a release (the latest by default) as a static trilingual site in ``out``."""
    rel = get_release(session, version)
    check = verify_release(rel, keys_dir)  # never publish a release whose stored files no longer match
    if not check.ok:
        raise PublishError(f"release {rel.version} does not verify: {'; '.join(check.problems)}")
    data = names_of(rel)
    env = environment()
    base = base_url.rstrip("/") + "/" if base_url else "/"
    releases = []
    try:
        out.mkdir(parents=True, exist_ok=True)
        (out / "static" / "fonts").mkdir(parents=True, exist_ok=True)
        for name in FONT_FILES:
            shutil.copyfile(FONTS / name, out / "static" / "fonts" / name)
        (out / "static" / "site.css").write_text((TEMPLATES / "site" / "site.css").read_text(encoding="utf-8"),
                                                 encoding="utf-8")
        for r in list_releases(session):
            if r.version <= rel.version:
                older = verify_release(r, keys_dir) if r.version != rel.version else check
                if not older.ok:
                    raise PublishError(f"release {r.version} does not verify: {'; '.join(older.problems)}")
                write_release(r, out / "releases" / f"v{r.version}", keys_dir)
                m = manifest_of(r)
                releases.append({"version": r.version, "created_at": m["created_at"], "notes": m.get("notes", ""),
                                 "key_id": m["key_id"], "files": m["files"], "counts": m.get("counts", {})})
        releases.reverse()
        pages: list[str] = []

        def render(template: str, path: str, **ctx: Any) -> None:
            depth = path.count("/")
            html = env.get_template(template).render(
                root="../" * depth, path=path, langs=LANGS, data=data, releases=releases, release=releases[0],
                lang_names={lg: Labels(lg)("lang_name") for lg in LANGS},
                labels_of={lg: Labels(lg) for lg in LANGS}, **ctx)
            target = out / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(html, encoding="utf-8")
            pages.append(path)

        ents = {e["id"]: e for e in data["entities"]}
        desigs = {d["id"]: d for d in data["designations"]}
        incs = {i["id"]: i for i in data["incidents"]}
        render("site/root.html", "index.html", t=Labels("en"), labels={lg: Labels(lg) for lg in LANGS})
        for lang in LANGS:
            t = Labels(lang)
            helpers = {"t": t, "lang": lang, "name_of": lambda e, lg=lang: display_name(e, lg),
                       "incident_title": lambda i, lg=lang, html=True: incident_title(i, lg, html),
                       "ents": ents, "desigs": desigs, "incs": incs}
            render("site/index.html", f"{lang}/index.html", page="index.html", **helpers)
            for e in data["entities"]:
                render("site/entity.html", f"{lang}/entity/{e['actor_id']}.html", page=f"entity/{e['actor_id']}.html",
                       entity=e, **helpers)
            for i in data["incidents"]:
                listed = [d for d in data["designations"] if i["id"] in d["incident_ids"]]
                render("site/incident.html", f"{lang}/incident/{i['id']}.html", page=f"incident/{i['id']}.html",
                       incident=i, listed=listed, **helpers)
        (out / "sitemap.xml").write_text(sitemap(base, pages, releases[0]["created_at"][:10]), encoding="utf-8")
        (out / "robots.txt").write_text(f"User-agent: *\nAllow: /\nSitemap: {base}sitemap.xml\n", encoding="utf-8")
    except OSError as exc:
        raise PublishError(f"{out}: cannot write the site ({exc.__class__.__name__}: {exc})") from exc
    return SiteReport(out, rel.version, len(pages), len(data["entities"]), len(data["incidents"]))


def sitemap(base: str, pages: list[str], lastmod: str = "") -> str:
    """A sitemap.xml listing every page (``lastmod``: the release's day), with its language alternates."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">']
    for p in pages:
        lines.append(f"  <url><loc>{escape(base + p)}</loc>" + (f"<lastmod>{lastmod}</lastmod>" if lastmod else ""))
        parts = p.split("/", 1)
        if parts[0] in LANGS and len(parts) == 2:
            for lg in LANGS:
                lines.append(f'    <xhtml:link rel="alternate" hreflang="{lg}" href="{escape(base + lg + "/" + parts[1])}"/>')
        lines.append("  </url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"
