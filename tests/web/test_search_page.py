"""The search page ``/search`` (SQLite and PostgreSQL): variant spellings find the document, snippets are
marked and escaped, counts per kind, paging, bad queries as pages (never a 500), the header box, and a
viewer cleared for ``public`` never sees a restricted document in the results or the counts. Also the
incident page's translated note for withheld sources.

The home: two public reports and a restricted witness statement, written here and ingested through the
CLI, ``incidents resolve`` (the Douma incident has public and restricted sources), an actor, an admin
and a public-cleared viewer.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bayyina.web.i18n import labels
from tests.web.conftest import login
from tests.web.ui_support import DATABASES, database_for, seed_through_cli

PUBLIC = {
    # a chemical attack in one spelling (كيماوياً) on Douma
    "kimawi_douma.txt": ("https://arabic-daily.example/",
                         ("قال مسعفون إن مروحيات النظام ألقت براميل تحمل غازاً كيماوياً على مدينة دوما في الغوطة "
                         "الشرقية يوم السابع من نيسان 2018، ما أدى إلى مقتل 41 مدنياً.\n")),
    # markup quoted in a document must be shown, never run
    "markup_note.txt": ("https://notes.example/",
                        ("Analyst note on Zamalka: the page quoted <script>alert('zx')</script> & <b>bold</b> "
                        "<mark>fake</mark> markup beside its report on Zamalka.\n")),
}
RESTRICTED = {
    "witness_kimawi.txt": ("https://witnesses.example/",
                           ("On April 7, 2018, a chemical attack on Douma killed 49 people, the witness Ruqayya "
                           "Himsani told investigators; the chlorine filled the basement.\n")),
}
SECRETS = ("Himsani", "witness_kimawi", "witnesses.example", "49 people")


@dataclass
class Home:
    admin: TestClient
    viewer: TestClient
    ids: dict[str, int]
    douma_incident: int
    actor_id: int


@pytest.fixture(scope="module", params=DATABASES)
def home(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Home]:
    from sqlalchemy import select

    from bayyina.resolve.actors import add_actor
    from bayyina.settings import Settings
    from bayyina.store.models import Document
    from bayyina.store.models_resolve import Incident
    from bayyina.vault.home import Home as VaultHome
    from bayyina.web import auth
    from bayyina.web.app import create_app

    base = tmp_path_factory.mktemp("searchpage")
    url = database_for(request, base)
    seed_through_cli(base, url, "tester", [(PUBLIC, []), (RESTRICTED, ["--sensitivity", "restricted"])])

    settings = Settings.load(home=base / "home", database_url=url, user="tester")
    h = VaultHome.open(settings)
    try:
        with h.session() as s:
            ids = {Path(d.original_filename).name: d.id for d in s.scalars(select(Document))}
            douma = 0
            for inc in s.scalars(select(Incident).where(Incident.active.is_(True))):
                members = {m["document_id"] for m in (inc.chosen or {}).get("members") or []}
                if {ids["kimawi_douma.txt"], ids["witness_kimawi.txt"]} <= members:
                    douma = inc.id
            actor = add_actor(s, who="tester", kind="unit", name_en="Tiger Forces", name_ar="قوات النمر",
                              why="test").actor
            auth.add_user(s, "root", "admin", "root-password")
            auth.add_user(s, "vera", "viewer", "vera-password")
            s.commit()
            actor_id = actor.id
    finally:
        h.close()
    assert douma, "the Douma incident should have a public and a restricted source"

    app = create_app(Settings.load(home=base / "home", database_url=url))
    with TestClient(app) as admin, TestClient(app) as viewer:
        for c, name in ((admin, "root"), (viewer, "vera")):
            assert login(c, name, f"{name}-password").status_code == 303
        yield Home(admin, viewer, ids, douma, actor_id)


def _main(page: str) -> str:
    return page.split("<main>")[1].split("</main>")[0]


def _results(page: str) -> str:
    """The results part of the page (after the form, which echoes the query)."""
    return _main(page).split('</form>', 1)[1]


def _counts(page: str) -> dict[str, int]:
    found = re.findall(r'data-kind="(\w+)"[^>]*>[^<]*<span class="count" data-count="(\d+)"', page)
    return {k: int(c) for k, c in found}


def _hits(page: str) -> list[tuple[str, int]]:
    return [(k, int(i)) for k, i in re.findall(r'<li class="hit hit-\w+" data-kind="(\w+)" data-id="(\d+)"', page)]


# --------------------------------------------------------------------------- finding, marking, escaping


def test_variant_spellings_find_the_document_with_marks(home: Home) -> None:
    doc = home.ids["kimawi_douma.txt"]
    for q in ("كيميائي بدوما", "الكيمياوي", "كيماوي دوما"):
        r = home.viewer.get("/search", params={"q": q, "kind": "document"})
        assert r.status_code == 200, (q, r.text[:300])
        assert '<html lang="ar" dir="rtl">' in r.text
        assert ("document", doc) in _hits(r.text), q
        assert f'href="/documents/{doc}"' in r.text
        hit = _results(r.text).split(f'data-id="{doc}"')[1].split("</li>")[0]
        assert re.search(r"<mark>(كيماويا|دوما)</mark>", hit), hit
    # every label is translated: Arabic by default, English with the toggle (which keeps the query)
    ar = home.viewer.get("/search", params={"q": "دوما"}).text
    assert labels("ar")["search_all"] in ar and labels("ar")["nav_documents"] in ar
    assert re.search(r'href="/search\?q=%D8%AF%D9%88%D9%85%D8%A7&amp;lang=en"', ar)
    en = home.viewer.get("/search", params={"q": "دوما", "lang": "en"}).text
    assert '<html lang="en" dir="ltr">' in en and "<h1>Search</h1>" in en and ">All" in en
    home.viewer.get("/search", params={"lang": "ar"})  # back to Arabic for the other tests


def test_document_markup_is_escaped(home: Home) -> None:
    r = home.admin.get("/search", params={"q": "Zamalka"})
    assert r.status_code == 200
    hit = _results(r.text).split(f'data-id="{home.ids["markup_note.txt"]}"')[1].split("</li>")[0]
    assert "&lt;script&gt;alert(&#39;zx&#39;)&lt;/script&gt;" in hit and "<script" not in r.text
    assert "&lt;b&gt;bold&lt;/b&gt;" in hit and "&amp;" in hit
    assert "&lt;mark&gt;fake&lt;/mark&gt;" in hit  # a <mark> written in the document is text, not a marker
    assert hit.count("<mark>") == 2 and "<mark>Zamalka</mark>" in hit


def test_marked_turns_only_the_markers_into_elements() -> None:
    from bayyina.web.routers.search_page import marked

    assert str(marked("a &lt;mark&gt;x&lt;/mark&gt; <mark>b&amp;c</mark> &lt;script&gt;")) == \
        "a &lt;mark&gt;x&lt;/mark&gt; <mark>b&amp;c</mark> &lt;script&gt;"
    assert str(marked("&amp;lt;i&amp;gt;")) == "&amp;lt;i&amp;gt;"  # a document's own "&lt;" stays as written
    assert str(marked("")) == ""


def test_kinds_counts_links_and_paging(home: Home, monkeypatch: pytest.MonkeyPatch) -> None:
    from bayyina.web.routers import search_page

    r = home.admin.get("/search", params={"q": "دوما"})
    counts = _counts(r.text)
    api = {k: len(home.admin.get("/api/search", params={"q": "دوما", "kind": k, "limit": 500}).json())
           for k in ("document", "incident", "actor")}
    assert {k: counts[k] for k in api} == api and counts["all"] == sum(api.values())
    assert api["document"] >= 1 and api["incident"] >= 1
    inc = home.admin.get("/search", params={"q": "دوما", "kind": "incident"}).text
    assert f'href="/incidents/{home.douma_incident}"' in inc
    assert {k for k, _ in _hits(inc)} == {"incident"}
    actors = home.admin.get("/search", params={"q": "النمر", "kind": "actor"}).text
    assert f'href="/actors#actor-{home.actor_id}"' in actors and "<mark>النمر</mark>" in actors

    monkeypatch.setattr(search_page, "PER_PAGE", 1)
    first = home.admin.get("/search", params={"q": "دوما"}).text  # a document and an incident: two pages
    second = home.admin.get("/search", params={"q": "دوما", "page": 2}).text
    assert len(_hits(first)) == 1 and len(_hits(second)) == 1 and _hits(first) != _hits(second)
    assert 'rel="next"' in first and 'rel="prev"' not in first and 'rel="prev"' in second
    assert 'start="2"' in second


def test_bad_queries_are_pages_with_the_reason(home: Home) -> None:
    c = home.viewer
    empty = c.get("/search")
    assert empty.status_code == 200 and 'name="q"' in empty.text and "search-results" not in empty.text
    ar = labels("ar")
    cases = [({"q": "!!! ؟؟"}, ar["search_no_words"]),
             ({"q": "دوما", "kind": "weapons"}, "weapons"),
             ({"q": "ب" * 1001}, "1001"),
             ({"q": " ".join(["كلمة"] * 40)}, "40")]
    for params, said in cases:
        r = c.get("/search", params=params)
        assert r.status_code == 400, params
        assert 'role="alert"' in r.text and said in _main(r.text), params
    for page in ("0", "999", "x"):
        r = c.get("/search", params={"q": "دوما", "page": page})
        assert r.status_code == 422 and "<html" in r.text, page
    nothing = c.get("/search", params={"q": "zzqqxx"})
    assert nothing.status_code == 200 and ar["search_nothing"] in nothing.text
    assert TestClient(c.app).get("/search?q=x", follow_redirects=False).status_code == 303  # login first


def test_header_box_on_every_page(home: Home) -> None:
    page = home.viewer.get("/documents").text
    box = page.split('<form class="search-box"')[1].split("</form>")[0]
    assert 'action="/search"' in box and 'name="q"' in box and labels("ar")["search"] in box
    again = home.viewer.get("/search", params={"q": "دوما <b>"}).text
    assert 'value="دوما &lt;b&gt;"' in again.split('<form class="search-box"')[1].split("</form>")[0]


# --------------------------------------------------------------------------- clearance


def test_viewer_never_sees_restricted_documents_or_counts(home: Home) -> None:
    secret_doc = home.ids["witness_kimawi.txt"]
    for q in ("Douma", "دوما", "Himsani", "chemical", "witness", "basement"):
        admin, viewer = home.admin.get("/search", params={"q": q}).text, home.viewer.get("/search", params={"q": q}).text
        shown = _results(viewer)
        for word in SECRETS:
            if word.lower() not in q.lower():
                assert word not in viewer, (q, word)
        assert ("document", secret_doc) not in _hits(viewer) and f"/documents/{secret_doc}" not in shown
        a, v = _counts(admin), _counts(viewer)
        if ("document", secret_doc) in _hits(admin):
            assert v["document"] == a["document"] - 1, (q, a, v)
        assert v["document"] == len(home.viewer.get("/api/search", params={"q": q, "kind": "document"}).json())
        assert v["incident"] == len(home.viewer.get("/api/search", params={"q": q, "kind": "incident"}).json())
    assert ("document", secret_doc) in _hits(home.admin.get("/search", params={"q": "Himsani"}).text)
    only_secret = home.viewer.get("/search", params={"q": "Himsani basement"}).text
    assert _counts(only_secret) == {"all": 0, "document": 0, "incident": 0, "actor": 0}


def test_incident_page_translates_the_withheld_note(home: Home) -> None:
    url = f"/incidents/{home.douma_incident}"
    ar = home.viewer.get(url, params={"lang": "ar"}).text
    assert labels("ar")["withheld_note"] in ar and labels("ar")["withheld_short"] in ar
    assert "withheld:" not in ar
    en = home.viewer.get(url, params={"lang": "en"}).text
    assert labels("en")["withheld_note"] in en and "withheld:" not in en
    home.viewer.get("/", params={"lang": "ar"})
    full = home.admin.get(url).text  # the admin sees every source: no note
    assert labels("ar")["withheld_note"] not in full
