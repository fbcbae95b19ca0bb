"""The extraction pipeline as a whole: contract shape, evidence spans, bad input, time."""

from __future__ import annotations

import time

import pytest

from bayyina.extract.api import extract_document
from bayyina.text.normalize import normalize

KHAN = (
    "قُتل ٨٦ شخصاً وأصيب أكثر من ٣٠٠ آخرين في هجوم بغاز السارين نفّذته طائرة حربية تابعة لقوات النظام "
    "على مدينة خان شيخون صباح الرابع من نيسان ٢٠١٧، بحسب ناشطين محليين."
)


def _doc(text: str) -> dict:
    return extract_document(normalize(text).text, source="t.txt")


def test_contract_shape_and_values() -> None:
    doc = _doc(KHAN)
    assert doc["source"] == "t.txt" and doc["language"] == "ar"
    [inc] = doc["incidents"]
    assert set(inc) == {"place", "date", "agents", "means", "killed", "injured", "perpetrators", "attributions", "evidence"}
    assert inc["place"]["name"] == "Khan Shaykhun" and inc["place"]["country"] == "SY"
    assert inc["date"] == {"start": "2017-04-04", "end": "2017-04-04", "precision": "day"}
    assert inc["agents"] == ["sarin"] and inc["means"] == ["aircraft"]
    assert inc["killed"] == {"low": 86, "high": 86}
    assert inc["injured"] == {"low": 300, "high": None}
    assert inc["perpetrators"] == ["syrian-government"]
    assert {"by": "activists", "against": "syrian-government", "stance": "allegation"} in inc["attributions"]


@pytest.mark.parametrize("head", ["SOFIA, Jan 23 (Reuters) - ", "Jan 23 (AP) - ", "صوفيا، 23 كانون الثاني (رويترز) - "])
def test_a_yearless_wire_dateline_gives_no_attack_day(head: str) -> None:
    """The wire's "SOFIA, Jan 23 (Reuters) -" is when it was written: it takes no year from a
    later sentence and is no attack day."""
    body = (
        "Prosecutors charged three men over a sarin attack on the town of Douma. "
        "Their trial is due to open in March 2016."
        if head[0].isascii()
        else "وجهت النيابة اتهامات لثلاثة رجال في هجوم بغاز السارين على مدينة دوما. ومن المقرر أن تبدأ محاكمتهم في آذار 2016."
    )
    [inc] = _doc(head + body)["incidents"]
    assert inc["place"]["name"] == "Douma" and inc["date"] is None


def test_evidence_spans_point_into_the_normalised_text() -> None:
    text = normalize("  " + KHAN.replace("خان", "خـــان")).text  # tatweel is gone from the text layer
    [inc] = extract_document(text, source="t")["incidents"]
    assert inc["evidence"]
    for ev in inc["evidence"]:
        assert text[ev["start"] : ev["end"]] == ev["text"]
    assert any("خان شيخون" in ev["text"] for ev in inc["evidence"])


def test_evidence_of_one_sentence_is_one_span() -> None:
    """Two places of one sentence (the police of Aleppo speaking, Aleppo's districts attacked) give
    one incident; its evidence tells that stretch of text once, not as overlapping pieces."""
    doc = _doc(
        "أصيب 25 مدنياً بحالات اختناق جراء استهداف التنظيمات الإرهابية بقذائف صاروخية تحتوي غاز الكلور "
        "حي الخالدية في مدينة حلب.\nوذكر مصدر في قيادة شرطة حلب لمراسل سانا أن المجموعات الإرهابية "
        "المنتشرة في أحياء حلب الشرقية استهدفت بقذائف تحتوي غازات سامة الأحياء السكنية."
    )
    [inc] = doc["incidents"]
    spans = sorted((e["start"], e["end"]) for e in inc["evidence"])
    assert len(spans) == 2 and spans[0][1] < spans[1][0]


def test_english_series_with_range() -> None:
    doc = _doc(
        "Human Rights Watch said Syrian government helicopters dropped barrel bombs filled with chlorine "
        "on residential areas of Aleppo on at least eight occasions between 17 November and 13 December 2016, "
        "killing at least nine civilians."
    )
    [inc] = doc["incidents"]
    assert doc["language"] == "en"
    assert inc["place"]["name"] == "Aleppo"
    assert inc["date"] == {"start": "2016-11-17", "end": "2016-12-13", "precision": "day"}
    assert inc["means"] == ["helicopter"] and inc["agents"] == ["chlorine"]
    assert inc["killed"]["low"] == 9


@pytest.mark.parametrize(
    "text",
    [
        "صوّتت الدول الأعضاء في منظمة حظر الأسلحة الكيميائية في لاهاي يوم الأربعاء على قرار جديد.",
        "The OPCW Executive Council met in The Hague on 7 March 2019 to discuss Syria's declaration.",
        "نفت الحكومة السورية مراراً استخدام أي أسلحة كيميائية خلال سنوات الحرب.",
        "In the fifth anniversary year, activists in London held a vigil to remember the victims.",
    ],
)
def test_negatives(text: str) -> None:
    assert _doc(text)["incidents"] == []


@pytest.mark.parametrize("text", ["", "   \n\t ", "...", "0123456789", "😀" * 50])
def test_empty_and_junk(text: str) -> None:
    doc = extract_document(normalize(text).text, source="x")
    assert doc["incidents"] == []


def test_other_language_gives_no_incident_and_no_crash() -> None:
    doc = _doc("Это просто текст на русском языке без каких-либо событий. 这是中文文本。")
    assert doc["incidents"] == []


def test_no_spaces_and_long_text_are_linear() -> None:
    block = normalize(KHAN + "\n").text
    t0 = time.perf_counter()
    extract_document(block * 50, source="a")
    small = time.perf_counter() - t0
    t0 = time.perf_counter()
    extract_document(block * 200, source="b")
    big = time.perf_counter() - t0
    assert big < 4 * small * 2.5 + 1.0, (small, big)  # 4x the text, not 16x the time
    t0 = time.perf_counter()
    assert extract_document("دوما" * 100_000, source="c")["incidents"] == []
    assert time.perf_counter() - t0 < 30


@pytest.mark.slow
def test_ten_megabytes() -> None:
    text = normalize(("The convoy moved north on Tuesday. " * 40 + KHAN + "\n") * 6000).text
    assert len(text.encode("utf-8")) > 10_000_000
    t0 = time.perf_counter()
    doc = extract_document(text, source="big")
    assert time.perf_counter() - t0 < 240
    assert len(doc["incidents"]) >= 1


def test_random_noise_never_crashes() -> None:
    """Our case texts with random Arabic/Latin/digit/control noise spliced in: no exception,
    every evidence span inside the text."""
    import random
    import string
    import tomllib
    from pathlib import Path

    cases = Path(__file__).parent / "cases"
    texts = [c["text"] for f in sorted(cases.glob("*.toml")) for c in tomllib.loads(f.read_text("utf-8")).get("case", [])]
    alphabet = string.printable + "ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإؤئةى٠١٢٣٤٥٦٧٨٩،؛؟ـًٌٍَُِّْﻻ\u200f\u200e\ufeff"
    rnd = random.Random(7)
    for i in range(150):
        base = rnd.choice(texts)
        k = rnd.randint(0, len(base))
        noise = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 200)))
        raw = base[:k] + noise + base[k:] if i % 2 else noise * rnd.randint(1, 20)
        text = normalize(raw).text
        for inc in extract_document(text, source="noise")["incidents"]:
            for ev in inc["evidence"]:
                assert 0 <= ev["start"] <= ev["end"] <= len(text)
                assert text[ev["start"] : ev["end"]] == ev["text"]


def test_a_partys_own_version_names_no_perpetrator_for_the_other_attacks() -> None:
    """State TV accusing the Nusra Front of the Kafr Zita attack is the government's version of
    that attack: it names nobody for the Talmenes attack told after it."""
    doc = _doc(
        "Activists said a government helicopter dropped a barrel of chlorine on Kafr Zita on 11 April 2014, "
        "injuring 100 people. Syrian state television accused the Nusra Front of carrying out the attack. "
        "On 18 April 2014 another chlorine barrel hit the town of Talmenes, injuring 20 people."
    )
    kafr_zita, talmenes = doc["incidents"]
    assert kafr_zita["place"]["name"] == "Kafr Zita" and "syrian-government" in kafr_zita["perpetrators"]
    assert talmenes["place"]["name"] == "Talmenes"
    assert "syrian-opposition" not in talmenes["perpetrators"]
