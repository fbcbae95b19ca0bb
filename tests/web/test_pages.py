"""The server-rendered pages over a real home: Arabic right-to-left by default, English
with ``?lang=en`` (kept in a cookie), evidence spans marked in the document text,
the download link, every label translated."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

from bayyina.resolve.queries import CONFIDENCES
from bayyina.store.models_resolve import REVIEW_STATES
from bayyina.web.i18n import Translator, code_labels, labels, pick_lang
from bayyina.web.queries import highlight
from tests.web.conftest import Site

WEB = Path(__file__).resolve().parents[2] / "src" / "bayyina" / "web"
PAGES = ("/", "/incidents", "/documents", "/actors", "/sanctions")


def marks(html: str) -> list[str]:
    return [unescape(m) for m in re.findall(r"<mark>(.*?)</mark>", html, flags=re.DOTALL)]


def douma_id(site: Site) -> int:
    return int(site.client.get("/api/incidents", params={"place": "Douma"}).json()[0]["id"])


def test_pages_are_arabic_rtl_by_default(site: Site) -> None:
    site.client.cookies.delete("bayyina_lang")
    for url in PAGES:
        r = site.client.get(url)
        assert r.status_code == 200, url
        assert '<html lang="ar" dir="rtl">' in r.text, url
        assert 'href="/static/style.css"' in r.text
        assert "English</a>" in r.text and "lang=en" in r.text, "a visible language toggle"
    home = site.client.get("/").text
    assert "أحدث الهجمات" in home and "قرارات إدراج تنتهي خلال 30 يوماً" in home
    assert "دوما" in home, "the latest incidents are named in Arabic"
    assert "قوات النمر" in home, "the designation expiring in 10 days is on the dashboard"


def test_english_with_lang_and_cookie(site: Site) -> None:
    c = site.client
    c.cookies.delete("bayyina_lang")
    r = c.get("/incidents", params={"lang": "en"})
    assert '<html lang="en" dir="ltr">' in r.text
    assert "Incidents" in r.text and "العربية</a>" in r.text
    assert r.cookies.get("bayyina_lang") == "en"
    again = c.get("/documents")  # no ?lang: the cookie remembers English
    assert '<html lang="en" dir="ltr">' in again.text and "Documents" in again.text
    back = c.get("/documents", params={"lang": "ar"})
    assert '<html lang="ar" dir="rtl">' in back.text
    assert '<html lang="ar" dir="rtl">' in c.get("/", params={"lang": "xx"}).text
    c.cookies.delete("bayyina_lang")


def test_toggle_link_keeps_the_filters(site: Site) -> None:
    site.client.cookies.delete("bayyina_lang")
    r = site.client.get("/incidents", params={"agent": "sarin"})
    assert 'href="/incidents?agent=sarin&amp;lang=en"' in r.text
    assert '<option value="sarin" selected>السارين</option>' in r.text
    assert "خان شيخون" in r.text or "Khan Shaykhun" in r.text
    assert "دوما" not in r.text.split("<main>")[1].split("</main>")[0]


def test_incident_page_marks_evidence_in_both_texts(site: Site) -> None:
    site.client.cookies.delete("bayyina_lang")
    r = site.client.get(f"/incidents/{douma_id(site)}")
    assert r.status_code == 200 and '<html lang="ar" dir="rtl">' in r.text
    found = marks(r.text)
    assert any("دوما" in m and "الكلور" in m for m in found), found
    assert any("chlorine attack on the town of Douma" in m for m in found), found
    # conflicting tolls side by side, the chosen one and why
    assert 'class="conflict"' in r.text and "≥42" in r.text and "45" in r.text
    assert "درجة الثقة" in r.text and "سبب درجة الثقة" in r.text
    assert 'href="/documents/' in r.text
    assert "الهجمة" in r.text and "مسودة" in r.text
    assert "الحكومة السورية" in r.text, "codes are shown with their Arabic labels"
    en = site.client.get(f"/incidents/{douma_id(site)}", params={"lang": "en"}).text
    assert "Values from each source" in en and "Why this confidence" in en
    assert "Syrian government" in en and "Chlorine" in en
    site.client.cookies.delete("bayyina_lang")


def test_mark_is_exactly_the_evidence_span(site: Site) -> None:
    one = site.client.get(f"/api/incidents/{douma_id(site)}").json()
    ar = next(m for m in one["members"] if m["filename"] == "douma_ar.txt")
    page = site.client.get(f"/incidents/{one['id']}").text
    article = page.split(f'id="report-{ar["report_id"]}"')[1].split("</article>")[0]
    assert marks(article) == [e["text"] for e in ar["evidence"]]


def test_document_page_and_download_link(site: Site) -> None:
    site.client.cookies.delete("bayyina_lang")
    doc_id = site.doc_ids["douma_ar.txt"]
    r = site.client.get(f"/documents/{doc_id}")
    assert r.status_code == 200
    doc = site.client.get(f"/api/documents/{doc_id}").json()
    assert doc["sha256"] in r.text
    assert "سجل الحيازة" in r.text
    for e in doc["custody"]:
        assert e["entry_hash"][:16] in r.text
    link = re.search(r'href="(/api/documents/\d+/original)" download', r.text)
    assert link is not None
    got = site.client.get(link.group(1))
    assert got.status_code == 200 and got.content == site.files["douma_ar.txt"].read_bytes()
    assert any("دوما" in m for m in marks(r.text))


def test_lists_and_errors(site: Site) -> None:
    site.client.cookies.delete("bayyina_lang")
    docs = site.client.get("/documents").text
    for name in site.doc_ids:
        assert name in docs
    actors = site.client.get("/actors").text
    assert "قوات النمر" in actors and "Suhail al-Hassan" in actors and "commands" in actors
    sanctions = site.client.get("/sanctions").text
    assert 'class="soon"' in sanctions and "EU" in sanctions
    missing = site.client.get("/incidents/9999")
    assert missing.status_code == 404 and '<html lang="ar" dir="rtl">' in missing.text and "غير موجود" in missing.text
    bad = site.client.get("/incidents", params={"from": "yesterday"})
    assert bad.status_code == 400 and "not a date" in bad.text and "<form" in bad.text
    assert site.client.get("/documents/abc").status_code == 422
    assert site.client.get("/documents/9999").status_code == 404


def test_static_css_is_served(site: Site) -> None:
    r = site.client.get("/static/style.css")
    assert r.status_code == 200 and "mark" in r.text and "margin-inline" in r.text


# --------------------------------------------------------------------------- i18n and highlighting (no home)


def test_locales_have_the_same_keys_and_cover_every_template_label() -> None:
    ar, en = labels("ar"), labels("en")
    assert set(ar) == set(en)
    used: set[str] = set()
    for tpl in (WEB / "templates").glob("*.html"):
        used |= set(re.findall(r't\("([a-z_]+)"\)', tpl.read_text(encoding="utf-8")))
    used |= {"grade_" + c for c in CONFIDENCES} | {"review_" + r for r in REVIEW_STATES}
    used |= {"place", "date", "agents", "means", "killed", "injured", "perpetrators"}
    assert used - set(ar) == set()
    for lang in ("ar", "en"):
        raw = json.loads((WEB / "locales" / f"{lang}.json").read_text(encoding="utf-8"))
        assert all(isinstance(v, str) and v.strip() for v in raw.values()), lang


def test_language_choice() -> None:
    assert pick_lang(None, None) == "ar"
    assert pick_lang("en", None) == "en"
    assert pick_lang(None, "en") == "en"
    assert pick_lang("ar", "en") == "ar"
    assert pick_lang("fr", "EN") == "en"
    t = Translator("ar")
    assert t.dir == "rtl" and t.other == "en" and Translator("en").dir == "ltr"
    assert t("no-such-label") == "no-such-label"


def test_highlight_merges_and_clamps() -> None:
    text = "abcdefghij"
    assert highlight(text, []) == [(text, False)]
    assert highlight(text, [(2, 4)]) == [("ab", False), ("cd", True), ("efghij", False)]
    assert highlight(text, [(5, 8), (2, 6)]) == [("ab", False), ("cdefgh", True), ("ij", False)]
    assert highlight(text, [(8, 50), (-3, 1), (4, 4)]) == [("a", True), ("bcdefgh", False), ("ij", True)]
    assert "".join(p for p, _ in highlight(text, [(1, 3), (6, 9)])) == text


def test_code_labels_in_both_languages() -> None:
    """Every code has an Arabic and an English label (a code without one shows itself, see below)."""
    codes = code_labels()
    assert {"agents", "means", "actors", "bodies", "stances"} <= set(codes)
    for group in codes.values():
        for code, names in group.items():
            assert names.get("ar", "").strip() and names.get("en", "").strip(), code
    assert Translator("ar").codes("agents", ["chlorine", "sarin"]) == "الكلور، السارين"
    assert Translator("en").codes("actors", []) == "—"
    assert Translator("en").code("agents", "unheard-of") == "unheard-of"
