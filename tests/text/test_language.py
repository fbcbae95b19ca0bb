"""Language detection: ar / en / fr by script and function words; ``und`` otherwise."""

from __future__ import annotations

from bayyina.text.language import detect_language
from tests.vault.samples import AR_TEXT, EN_TEXT, FR_TEXT


def test_detects_three_languages() -> None:
    assert detect_language(AR_TEXT) == "ar"
    assert detect_language(EN_TEXT) == "en"
    assert detect_language(FR_TEXT) == "fr"


def test_arabic_with_latin_names_is_arabic() -> None:
    assert detect_language("قالت منظمة OPCW إن غاز السارين استخدم في خان شيخون في 4 نيسان 2017") == "ar"


def test_undetermined() -> None:
    assert detect_language("") == "und"
    assert detect_language("12345 67 -- 89") == "und"
    assert detect_language("Xq zzv brrk") == "und"


def test_deterministic() -> None:
    assert {detect_language(EN_TEXT + FR_TEXT) for _ in range(5)} == {detect_language(EN_TEXT + FR_TEXT)}
