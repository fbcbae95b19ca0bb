"""Search end to end on SQLite and PostgreSQL: texts written here go through the real
ingest (and extraction, resolution, the actor register), then queries in other
spellings find them; snippets show the matched word; bad queries are refused cleanly."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from bayyina.search.analyzer import query_terms
from bayyina.search.index import incident_record, refresh, reindex
from bayyina.search.service import Hit, SearchError, search
from bayyina.settings import Settings
from bayyina.store.models_resolve import Incident
from bayyina.vault.home import Home

TEXTS = {
    # the plain spellings
    "ar_douma.txt": (
        "بيروت - أفادت مصادر طبية بأن قصفاً بغاز السارين استهدف مدينة دوما في الغوطة الشرقية يوم ٧ نيسان ٢٠١٨، "
        "وأن الهجوم الكيميائي أدى إلى مقتل عشرات المدنيين ونقل المصابين إلى مستشفى ميداني. "
        "وقال ناشطون إن مروحيات ألقت براميل تحوي الكلور على بلدة قرب إدلب، وإن سكان اللاذقية سمعوا الانفجارات."
    ),
    # the other spellings: كيماوي, clitics, diacritics, tatweel, presentation forms, ta marbuta as ha
    "ar_variants.txt": (
        "غازي عنتاب - وصل المسعفون إلى بدوما بعد هجوم كيماوي جديد بالسَّارين على قريه مجاورة، "
        "وتحدث شهود من ســراقب عن رائحة غريبة في ﺣﻠﺐ أيضاً."
    ),
    "en_report.txt": (
        "GENEVA - Inspectors said a Chlorine attack hit Saraqib on 4 February 2018, and that SARIN was used "
        "in Khan Shaykhun in April 2017. The Organisation for the Prohibition of Chemical Weapons will report."
    ),
}

# query -> files it must find (at least these)
VARIANT_QUERIES: dict[str, set[str]] = {
    "كيميائي": {"ar_douma.txt", "ar_variants.txt"},
    "كيماوي": {"ar_douma.txt", "ar_variants.txt"},
    "كيمياوي": {"ar_douma.txt", "ar_variants.txt"},
    "كيمائي": {"ar_douma.txt", "ar_variants.txt"},
    "الكيماوية": {"ar_douma.txt", "ar_variants.txt"},
    "السارين": {"ar_douma.txt", "ar_variants.txt"},
    "سارين": {"ar_douma.txt", "ar_variants.txt"},
    "السَّارين": {"ar_douma.txt", "ar_variants.txt"},
    "دوما": {"ar_douma.txt", "ar_variants.txt"},
    "بدوما": {"ar_douma.txt", "ar_variants.txt"},
    "الدوما": {"ar_douma.txt", "ar_variants.txt"},
    "كلور": {"ar_douma.txt"},
    "وسراقب": {"ar_variants.txt"},
    "سراقب": {"ar_variants.txt"},
    "للغوطة": {"ar_douma.txt"},
    "ادلب": {"ar_douma.txt"},
    "أدلب": {"ar_douma.txt"},
    "آدلب": {"ar_douma.txt"},
    "إدلب": {"ar_douma.txt"},
    "مدينه": {"ar_douma.txt"},
    "قرية": {"ar_variants.txt"},
    "مستشفي": {"ar_douma.txt"},
    "الكيـــميائي": {"ar_douma.txt", "ar_variants.txt"},
    "ﻻذقية": {"ar_douma.txt"},
    "حلب": {"ar_variants.txt"},
    "2018": {"ar_douma.txt", "en_report.txt"},
    "٢٠١٧": {"en_report.txt"},
    "كيمي": {"ar_douma.txt", "ar_variants.txt"},
    "sarin": {"en_report.txt"},
    "CHLORINE": {"en_report.txt"},
    "khan shay": {"en_report.txt"},
    "Prohibition chem": {"en_report.txt"},
    "هجوم دوما": {"ar_variants.txt"},
}


@pytest.fixture
def loaded(database_url: str, cli: Any, tmp_path: Path) -> Iterator[Home]:
    """A home with the texts ingested (with extraction) and the index refreshed."""
    assert cli("init").exit_code == 0
    d = tmp_path / "in"
    d.mkdir()
    for name, body in TEXTS.items():
        (d / name).write_text(body, encoding="utf-8")
    res = cli("ingest", str(d))
    assert res.exit_code == 0, res.output
    h = Home.open(Settings.load())
    with h.session() as s:
        refresh(s)
        s.commit()
    try:
        yield h
    finally:
        h.close()


def names(s: Session, hits: list[Hit]) -> set[str]:
    ids = [h.id for h in hits if h.kind == "document"]
    if not ids:
        return set()
    rows = s.execute(text("SELECT id, original_filename FROM documents")).all()
    return {Path(str(f)).name for i, f in rows if i in ids}


def test_variant_spellings_find_the_documents(loaded: Home) -> None:
    with loaded.session() as s:
        misses = {}
        for q, want in VARIANT_QUERIES.items():
            got = names(s, search(s, q, kinds=["document"], limit=50))
            if not want <= got:
                misses[q] = (sorted(want - got), sorted(got))
        assert not misses, misses
        assert search(s, "نووي") == []
        assert search(s, "xylophone", kinds=["document", "actor"]) == []


def test_snippets_mark_the_matched_word(loaded: Home) -> None:
    with loaded.session() as s:
        hits = search(s, "كيماوي", kinds=["document"])
        by = {h.snippet: h for h in hits}
        assert any("<mark>الكيميائي</mark>" in sn for sn in by), list(by)
        assert any("<mark>كيماوي</mark>" in sn for sn in by), list(by)
        [en] = search(s, "sarin")
        assert "<mark>SARIN</mark>" in en.snippet and en.title.endswith("en_report.txt")
        assert en.score > 0
        [ar] = search(s, "بدوما", kinds=["document"], limit=1, highlight="text") or [None]
        assert ar is not None and "**" in ar.snippet
        # snippets come from the normalised text: tatweel gone, diacritics kept inside the mark
        [v] = search(s, "سراقب")
        assert "<mark>سراقب</mark>" in v.snippet
        [d] = search(s, "سارين قريه", kinds=["document"])
        assert "<mark>بالسَّارين</mark>" in d.snippet and "<mark>قريه</mark>" in d.snippet


@pytest.mark.parametrize(
    "bad", ["", "   ", "!!! ؟؟ ...", '"', "*", "'", "NEAR(", '" OR *', "a' OR '1'='1", "سارين\" AND (", "x" * 10_000,
            "دوما " * 2000],
)
def test_bad_queries_never_crash(loaded: Home, bad: str) -> None:
    with loaded.session() as s:
        if not query_terms(bad) or len(bad) > 1000:
            with pytest.raises(SearchError):
                search(s, bad)
        else:
            assert isinstance(search(s, bad), list)


def test_bad_options(loaded: Home) -> None:
    with loaded.session() as s:
        with pytest.raises(SearchError, match="unknown kind"):
            search(s, "دوما", kinds=["witness"])
        with pytest.raises(SearchError, match="limit"):
            search(s, "دوما", limit=0)


def test_incidents_and_actors(loaded: Home, cli: Any) -> None:
    assert cli("incidents", "resolve").exit_code == 0
    res = cli("actors", "add", "person", "--name-en", "Suhail al-Hassan", "--name-ar", "سهيل الحسن",
              "--alias", "النمر")
    assert res.exit_code == 0, res.output
    with loaded.session() as s:
        st = refresh(s)
        s.commit()
        assert st.added == 0 and st.updated == 0  # resolve and `actors add` indexed them (keep_fresh)
        for q in ("سهيل", "الحسن", "حسن", "suhail", "HASSAN", "نمر"):
            hits = search(s, q, kinds=["actor"])
            assert [h.kind for h in hits] == ["actor"], q
            assert "Suhail" in hits[0].title
        incs = s.scalars(select(Incident).where(Incident.active.is_(True))).all()
        assert incs, "the extractor found no incident in the texts"
        rec = incident_record(incs[0])
        assert rec is not None
        word = next(w for w in rec[1].split() if len(w) > 3 and w.isalpha())
        assert any(h.id == incs[0].id for h in search(s, word, kinds=["incident"], limit=50)), (word, rec)


def test_reindex_and_incremental(loaded: Home, cli: Any, tmp_path: Path) -> None:
    with loaded.session() as s:
        n = s.execute(text("SELECT count(*) FROM search_index")).scalar()
        st = reindex(s)
        s.commit()
        assert st.added == n == 3
        assert refresh(s).added == 0
    extra = tmp_path / "late.txt"
    extra.write_text("تقرير لاحق عن الزارين في اللطامنة", encoding="utf-8")
    assert cli("ingest", "--no-extract", str(extra)).exit_code == 0
    with loaded.session() as s:
        assert refresh(s).added == 0  # indexed when it was ingested (keep_fresh)
        s.commit()
        assert len(search(s, "سارين", kinds=["document"])) == 3  # زارين is a spelling of sarin
        assert search(s, "لطامنه")


def test_cli(loaded: Home, cli: Any) -> None:
    res = cli("search", "كيماوي", "--kind", "document")
    assert res.exit_code == 0, res.output
    assert "**كيماوي**" in res.output and "ar_variants.txt" in res.output
    res = cli("search", "كيماوي", "--json", "--limit", "1")
    assert res.exit_code == 0 and res.output.count('"kind"') == 1
    res = cli("search", "reindex")
    assert res.exit_code == 0 and "3 records" in res.output, res.output
    res = cli("search", "نووي")
    assert res.exit_code == 0 and "no results" in res.output
    for bad in ("", "\"*'", "((("):
        res = cli("search", bad)
        assert res.exit_code == 1 and "error:" in res.output, (bad, res.output)
    res = cli("search", "NEAR(")  # FTS syntax is only a word here
    assert res.exit_code == 0 and "no results" in res.output
    res = cli("search", "دوما", "--kind", "witness")
    assert res.exit_code == 1 and "unknown kind" in res.output


def test_api(loaded: Home) -> None:
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    from bayyina.web.routers.search import router

    app = FastAPI()
    app.include_router(router)
    with TestClient(app) as c:
        r = c.get("/api/search", params={"q": "الكيماوي", "kind": "document"})
        assert r.status_code == 200, r.text
        body = r.json()
        assert len(body) == 2 and all("<mark>" in h["snippet"] for h in body)
        assert c.get("/api/search", params={"q": "نووي"}).json() == []
        for bad in ("", "***", "x" * 10_000):
            r = c.get("/api/search", params={"q": bad})
            assert r.status_code == 400 and r.json()["detail"], bad
        assert c.get("/api/search", params={"q": "دوما", "kind": "nope"}).status_code == 400
        assert c.get("/api/search", params={"q": "دوما", "limit": 0}).status_code == 422
    app.state.search_home.close()


def test_api_in_the_bayyina_app(loaded: Home) -> None:
    from fastapi.testclient import TestClient

    from bayyina.web import auth
    from bayyina.web.app import create_app

    with loaded.session() as s:  # every API route needs a login (docs/web-auth.md): an API token
        auth.add_user(s, "searcher", "viewer", "searcher-password")
        token = auth.create_token(s, "searcher")[1]
        s.commit()
    with TestClient(create_app(), headers={"Authorization": f"Bearer {token}"}) as c:
        r = c.get("/api/search", params={"q": "بدوما"})
        assert r.status_code == 200, r.text
        assert {h["title"] for h in r.json()} >= {"ar_douma.txt", "ar_variants.txt"}
        assert c.get("/api/search", params={"q": "\"*'"}).status_code == 400
