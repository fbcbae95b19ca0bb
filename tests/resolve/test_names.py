"""Arabic / English name matching: variants, ranks, articles, order, missing parts, scripts, vocabularies."""

from __future__ import annotations

import pytest

from bayyina.resolve import names
from bayyina.resolve.names import compare, parse, skeleton

SAME = [
    # transliteration variants
    ("Mohammed Ibrahim", "Muhammad Ibrahim"),
    ("Mohamad Ibrahim", "Mohamed Ebrahim"),
    ("Hassan Ali", "Hasan Aly"),
    # article al- / el- / none
    ("Suhail al-Hassan", "Suheil el-Hasan"),
    ("Maher al-Assad", "Maher Assad"),
    # ranks and titles, both scripts
    ("Brig. Gen. Suhail al-Hassan", "Suhail al-Hassan"),
    ("Maj. Gen. Jamil Hassan", "Major General Jamil Hassan"),
    ("Col. Mohammed Ibrahim", "Dr. Muhammad Ibrahim"),
    ("العميد سهيل الحسن", "سهيل الحسن"),
    ("اللواء جميل حسن", "جميل حسن"),
    ("العقيد محمّد إبراهيم", "محمد ابراهيم"),
    # Arabic spelling variants folded (hamza, shadda)
    ("أحمد علي", "احمد علي"),
    # particles joined
    ("Abd al-Rahman Ali", "Abdulrahman Ali"),
    # Arabic against Latin through the skeleton
    ("Jamil Hassan", "جميل حسن"),
    ("Ali Mamlouk", "علي مملوك"),
    ("Brig. Gen. Suhail al-Hassan", "العميد سهيل الحسن"),
    ("Dr. Mohamad Ibrahim", "محمد إبراهيم"),
]

DIFFERENT = [
    ("Ali Mamlouk", "Jamil Hassan"),
    ("Bashar al-Assad", "Maher al-Assad"),
    ("Hussein Ali", "Hasan Ali"),
    ("حسين علي", "حسن علي"),
    ("Mohammed Ali", "Mohammed Hassan"),
    ("علي مملوك", "Jamil Hassan"),
]


@pytest.mark.parametrize(("a", "b"), SAME)
def test_same_person_scores_high(a: str, b: str) -> None:
    m = compare(a, b)
    assert m.score >= 0.9, m.explain()
    assert compare(b, a).score == pytest.approx(m.score, abs=0.01)


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_different_people_score_low(a: str, b: str) -> None:
    m = compare(a, b)
    assert m.score < 0.85, m.explain()


def test_word_order_costs_a_little() -> None:
    m = compare("Hassan Jamil", "Jamil Hassan")
    assert m.parts["order"] == 0.0 and m.parts["tokens"] == 1.0
    assert 0.85 <= m.score < compare("Jamil Hassan", "Jamil Hassan").score
    assert "word order differs" in m.notes


def test_missing_middle_name_costs_less_than_a_different_name() -> None:
    missing = compare("Mohammed Ali Hassan", "Muhammad Hassan")
    different = compare("Mohammed Ali Hassan", "Muhammad Ali Khalil")
    assert missing.score >= 0.9 > different.score
    assert missing.parts["coverage"] == pytest.approx(2 / 3, abs=0.01)
    assert any("without a partner" in n for n in missing.notes)


def test_explanation_names_parts_pairs_and_stripped_titles() -> None:
    m = compare("Maj. Gen. Jamil Hassan", "اللواء جميل حسن")
    text = m.explain()
    assert set(m.parts) == {"tokens", "coverage", "order"}
    assert m.score == pytest.approx(sum(names.WEIGHTS[k] * v for k, v in m.parts.items()), abs=1e-3)
    assert "major general" in text and "skeleton" in text
    assert ("jamil", "جميل", 0.95) in m.pairs


def test_parse_strips_rank_and_articles_and_canonicalises() -> None:
    p = parse("Brig. Gen. Suhail al-Hassan")
    assert p.tokens == ("suhayl", "hasan")
    assert p.rank == "brigadier general"
    q = parse("العميد الركن سهيل الحسن")
    assert q.tokens == ("سهيل", "حسن") and q.rank == "brigadier general" and q.arabic
    # a name that is only a title keeps its words
    assert parse("Colonel").tokens == ("colonel",)


def test_skeletons_meet_across_scripts() -> None:
    assert skeleton("muhammad") == skeleton("محمد") == "mhmd"
    assert skeleton("hasan") == skeleton("حسن") == "hsn"
    assert skeleton("khalid") == skeleton("خالد")
    assert skeleton("shawkat") == skeleton("شوكت")


def test_ordinals_and_units() -> None:
    assert compare("22nd Air Division", "22 Air Division").score == 1.0
    assert compare("22nd Air Division", "20th Air Division").score < 0.85


def test_empty_name_scores_zero() -> None:
    assert compare("", "Jamil Hassan").score == 0.0


def test_vocabularies_are_well_formed() -> None:
    v = names.vocab()
    assert v.variants["mohammed"] == "muhammad" and v.variants["hassan"] == "hasan"
    assert ("عميد",) in v.titles and ("brig", "gen") in v.titles and ("col",) in v.titles
    assert "al" in v.articles_free and "ash" in v.articles_hyphen
    assert "عبد" in v.compounds
    # every Arabic letter the folder keeps has a skeleton entry
    for ch in "ابتثجحخدذرزسشصضطظعغفقكلمنهوي":
        assert ch in v.skel_ar, ch


def test_a_malformed_vocabulary_is_reported(tmp_path: object, monkeypatch: pytest.MonkeyPatch) -> None:
    from pathlib import Path

    d = Path(str(tmp_path))
    for f in names.DATA.iterdir():
        if f.suffix == ".tsv":
            (d / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    (d / "titles.tsv").write_text("form\tkind\tcanonical\nعميد\tgrade\tbrigadier\n", encoding="utf-8")
    monkeypatch.setattr(names, "DATA", d)
    names.vocab.cache_clear()
    try:
        with pytest.raises(names.VocabularyError, match="titles.tsv.*rank or title"):
            names.vocab()
    finally:
        monkeypatch.undo()
        names.vocab.cache_clear()
        names.parse.cache_clear()
