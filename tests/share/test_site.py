"""The static site of a release: Arabic RTL / English / French pages without JavaScript, one page per
listed entity and per incident, an index with every name form, working relative links, a sitemap,
the shipped Amiri font, the signed release files (that verify), and only public material."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from bayyina.share.publish import create_release, verify_dir
from bayyina.share.site import build_site
from tests.share.publish_helpers import (
    PERSON_AR,
    PERSON_EN,
    REASONS,
    UNIT_EN,
    copy_home,
    sha_of,
    shared_template,
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """One home, two releases (the second adds the French designation of the unit), the site of the latest."""
    from bayyina.sanctions.designations import get_designation, set_review

    base = tmp_path_factory.mktemp("site")
    h = copy_home(shared_template(tmp_path_factory), base / "home")
    try:
        with h.session() as s:
            create_release(s, h.keys_dir, who="analyst", notes="first")
            d2 = get_designation(s, 2)
            for state in ("in_review", "approved", "published"):
                set_review(s, d2, state, who="analyst", why="ok")
            create_release(s, h.keys_dir, who="analyst", notes="second")
            rep = build_site(s, base / "out", h.keys_dir, base_url="https://names.example.org/")
            s.commit()
        shas = {n: sha_of(h, n) for n in ("douma-ar.txt", "douma-en.txt", "douma-witness.txt")}
    finally:
        h.close()
    return rep, base / "out", shas


def pages(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


def test_layout_languages_and_no_javascript(site: Any) -> None:
    rep, out, _ = site
    assert rep.version == 2 and rep.entities == 2 and rep.incidents == 1
    for lang in ("ar", "en", "fr"):
        assert (out / lang / "index.html").is_file()
        assert len(list((out / lang / "entity").glob("*.html"))) == 2
        assert len(list((out / lang / "incident").glob("*.html"))) == 1
    assert rep.pages == len(pages(out)) == 1 + 3 * (1 + 2 + 1)
    for p in pages(out):
        html = p.read_text(encoding="utf-8")
        assert "<script" not in html.lower() and "javascript:" not in html.lower(), p
        assert " on" + "click=" not in html.lower()
        lang = p.relative_to(out).parts[0]
        if lang == "ar":
            assert '<html lang="ar" dir="rtl">' in html, p
        elif lang in ("en", "fr"):
            assert f'<html lang="{lang}" dir="ltr">' in html, p
    for name in ("Amiri-Regular.ttf", "Amiri-Bold.ttf", "LICENSE-Amiri.txt"):
        assert (out / "static" / "fonts" / name).stat().st_size > 1000
    css = (out / "static" / "site.css").read_text(encoding="utf-8")
    assert 'url("fonts/Amiri-Regular.ttf")' in css


def test_links_resolve(site: Any) -> None:
    _, out, _ = site
    for p in pages(out):
        for href in re.findall(r'href="([^"]+)"', p.read_text(encoding="utf-8")):
            if href.startswith(("http://", "https://", "#")):
                continue
            target = (p.parent / href.split("#")[0]).resolve()
            assert target.exists(), (p, href)


def test_index_names_and_entity_pages(site: Any) -> None:
    _, out, _ = site
    for lang in ("ar", "en", "fr"):
        index = (out / lang / "index.html").read_text(encoding="utf-8")
        for name in (PERSON_EN, PERSON_AR, "Jamil al-Hassan", UNIT_EN, "قوات النمر"):
            assert name in index, (lang, name)
    fr = "\n".join(p.read_text(encoding="utf-8") for p in (out / "fr" / "entity").glob("*.html"))
    assert "Exposé des motifs" in fr and REASONS["fr"].replace("'", "&#39;") in fr
    assert "Gel des avoirs" in fr and "Interdiction de voyager" in fr
    ar = "\n".join(p.read_text(encoding="utf-8") for p in (out / "ar" / "entity").glob("*.html"))
    assert REASONS["ar"] in ar and "تجميد الأصول" in ar and 'lang="en" dir="ltr"' in ar
    en_incident = next((out / "en" / "incident").glob("*.html")).read_text(encoding="utf-8")
    assert 'Attack with Chlorine on Douma on <span dir="ltr">2018-04-07</span>' in en_incident
    assert "S/2125/2023" in en_incident
    fr_incident = next((out / "fr" / "incident").glob("*.html")).read_text(encoding="utf-8")
    assert 'Attaque (Chlore) contre Douma le <span dir="ltr">2018-04-07</span>, par Hélicoptère' in fr_incident
    ar_incident = next((out / "ar" / "incident").glob("*.html")).read_text(encoding="utf-8")
    # dates stay left to right inside Arabic lines (WeasyPrint, at least, shows 07-04-2018 otherwise)
    assert 'هجوم بمادة الكلور على دوما بتاريخ <span dir="ltr">2018-04-07</span>' in ar_incident
    assert '<h1>الحادثة: دوما، <span dir="ltr">2018-04-07</span></h1>' in ar_incident


def test_only_public_material(site: Any) -> None:
    _, out, shas = site
    everything = "\n".join(p.read_text(encoding="utf-8") for p in out.rglob("*") if p.suffix in (".html", ".json",
                                                                                             ".csv", ".xml"))
    assert shas["douma-ar.txt"] in everything
    assert shas["douma-en.txt"] not in everything and shas["douma-witness.txt"] not in everything
    assert "nurse" not in everything and "Reuters" not in everything


def test_sitemap_and_release_files(site: Any) -> None:
    _, out, _ = site
    root = ET.parse(out / "sitemap.xml").getroot()
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [u.findtext("s:loc", namespaces=ns) for u in root.findall("s:url", ns)]
    assert len(locs) == len(pages(out))
    assert "https://names.example.org/ar/index.html" in locs
    assert all(str(loc).startswith("https://names.example.org/") for loc in locs)
    assert "Sitemap: https://names.example.org/sitemap.xml" in (out / "robots.txt").read_text(encoding="utf-8")
    for v in (1, 2):
        res = verify_dir(out / "releases" / f"v{v}")
        assert res.ok and res.version == v, res.problems
        assert sorted(res.files) == ["names.csv", "names.ftm.json", "names.json"]
    index = (out / "en" / "index.html").read_text(encoding="utf-8")
    assert "../releases/v1/names.json" in index and "../releases/v2/manifest.sig" in index
