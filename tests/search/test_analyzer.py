"""The analyser: the same terms for every spelling of a word (no database)."""

from __future__ import annotations

import pytest

from bayyina.search.analyzer import analyse, forms, query_terms, strip_proclitics


def terms(s: str) -> set[str]:
    return set(analyse(s).split())


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("كيميائي", "كيماوي"), ("كيميائي", "كيمياوي"), ("كيميائي", "كيمائي"), ("الكيماوية", "كيميائي"),
        ("السارين", "سارين"), ("السَّارين", "سارين"), ("الكلور", "كلور"),
        ("بدوما", "دوما"), ("الدوما", "دوما"), ("وسراقب", "سراقب"), ("للغوطة", "غوطه"),
        ("أدلب", "ادلب"), ("إدلب", "ادلب"), ("آدلب", "ادلب"),
        ("مدينة", "مدينه"), ("مستشفى", "مستشفي"), ("ســراقب", "سراقب"),
        ("ﻻذقية", "لاذقيه"), ("٢٠١٨", "2018"), ("SARIN", "sarin"), ("Ghoûta", "ghouta"),
    ],
)
def test_spellings_share_a_term(a: str, b: str) -> None:
    assert terms(a) & terms(b), (a, analyse(a), b, analyse(b))


def test_proclitics_keep_short_words() -> None:
    assert strip_proclitics("بدوما") == ["دوما"]
    assert strip_proclitics("بلد") == []  # the remainder would be too short
    assert strip_proclitics("sarin") == []
    assert forms("دوما") == ("دوما",)


def test_query_terms_last_is_prefix_and_syntax_is_dropped() -> None:
    qt = query_terms('"سارين" NEAR(دوما* كيمي')
    assert [t.surface for t in qt] == ["سارين", "near", "دوما", "كيمي"]
    assert [t.prefix for t in qt] == [False, False, False, True]
    assert query_terms("*** ' \" ( )") == []
