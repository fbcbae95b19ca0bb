"""Tests for the number and casualty finder (bayyina.extract.numbers)."""

from __future__ import annotations

import time

import pytest

from bayyina.extract.numbers import find_casualties, find_quantities
from bayyina.text.normalize import fold, normalize


def F(raw: str) -> str:
    return fold(normalize(raw).text).text


def quantities(raw: str) -> list[tuple[int, int | None, str]]:
    return [(q.low, q.high, q.qualifier) for q in find_quantities(F(raw))]


def casualties(raw: str) -> list[tuple[str, int, int | None]]:
    return [(c.kind, c.low, c.high) for c in find_casualties(F(raw))]


# --- quantities: (text, [(low, high, qualifier)])
QUANTITY_CASES: list[tuple[str, list[tuple[int, int | None, str]]]] = [
    ("1400", [(1400, 1400, "exact")]),
    ("1,400 people", [(1400, 1400, "exact")]),
    ("1,867 injured", [(1867, 1867, "exact")]),
    ("نحو ١٤٠٠ شخص", [(1400, 1400, "about")]),
    ("500 ألف شخص", [(500000, 500000, "exact")]),
    ("أكثر من 310 آلاف شخص", [(310000, None, "at_least")]),
    ("1.5 مليون نازح", [(1500000, 1500000, "exact")]),
    ("ثلاثة وعشرون", [(23, 23, "exact")]),
    ("خمس وعشرين امرأة", [(25, 25, "exact")]),
    ("أحد عشر طفلا", [(11, 11, "exact")]),
    ("اثنا عشر شخصا", [(12, 12, "exact")]),
    ("خمسة عشر مدنيا", [(15, 15, "exact")]),
    ("تسعين", [(90, 90, "exact")]),
    ("مئة قتيل", [(100, 100, "exact")]),
    ("مائتين", [(200, 200, "exact")]),
    ("أربعمئة جريح", [(400, 400, "exact")]),
    ("ثلاثمائة", [(300, 300, "exact")]),
    ("ثلاث مئة", [(300, 300, "exact")]),
    ("ألف وأربعمئة", [(1400, 1400, "exact")]),
    ("ألفين", [(2000, 2000, "exact")]),
    ("ثلاثة آلاف وخمسمئة", [(3500, 3500, "exact")]),
    ("two hundred and six", [(206, 206, "exact")]),
    ("twenty-one", [(21, 21, "exact")]),
    ("one thousand four hundred", [(1400, 1400, "exact")]),
    ("a dozen", [(12, 12, "exact")]),
    ("عشرات الأشخاص", [(20, None, "vague")]),
    ("عدة عشرات", [(20, None, "vague")]),
    ("مئات المدنيين", [(200, None, "vague")]),
    ("آلاف", [(2000, None, "vague")]),
    ("عشرات الآلاف", [(20000, None, "vague")]),
    ("بضعة أشخاص", [(3, None, "vague")]),
    ("dozens of people", [(20, None, "vague")]),
    ("hundreds of thousands", [(200000, None, "vague")]),
    ("several civilians", [(3, None, "vague")]),
    ("at least 206", [(206, None, "at_least")]),
    ("more than 100", [(100, None, "at_least")]),
    ("ما لا يقل عن 1867", [(1867, None, "at_least")]),
    ("لا يقل عن 20", [(20, None, "at_least")]),
    ("أكتر من 100", [(100, None, "at_least")]),
    ("over 50", [(50, None, "at_least")]),
    ("nearly 80", [(80, 80, "about")]),
    ("حوالي 30", [(30, 30, "about")]),
    ("قرابة 40", [(40, 40, "about")]),
    ("زهاء 60", [(60, 60, "about")]),
    ("ما يقارب 70", [(70, 70, "about")]),
    ("بين 10 و15 شخصا", [(10, 15, "exact")]),
    ("10-15 people", [(10, 15, "exact")]),
    # not quantities
    ("القرار 2118", []),
    ("القرارين 2118 و2209", []),
    ("resolution 2118", []),
    ("العدد 112", []),
    ("الساعة 8:30", []),
    ("15% من السكان", []),
    ("3.5", []),
    ("S-300", []),
    ("في 7 نيسان 2018", []),
    ("", []),
]


@pytest.mark.parametrize("raw,expected", QUANTITY_CASES, ids=[f"q{i}" for i in range(len(QUANTITY_CASES))])
def test_quantities(raw: str, expected: list[tuple[int, int | None, str]]) -> None:
    assert quantities(raw) == expected


# --- casualties: (text, [(kind, low, high)])
CASUALTY_CASES: list[tuple[str, list[tuple[str, int, int | None]]]] = [
    ("أسفر الهجوم عن 31 قتيلاً بين مدني وعسكري وإصابة 110 آخرين.", [("killed", 31, 31), ("injured", 110, 110)]),
    ("أدى القصف إلى مقتل 39 مدنيا بينهم 13 طفل.", [("killed", 39, 39)]),
    ("The strike killed 9 civilians, including 4 children.", [("killed", 9, 9)]),
    ("أسفر عن سقوط مئة قتيل مدني وأكثر من أربعمئة جريح.", [("killed", 100, 100), ("injured", 400, None)]),
    ("تسبب الغاز في إصابة أكثر من 500 بحالات اختناق.", [("injured", 500, None)]),
    ("وأصيب أكتر من 100 شخص بحالات اختناق 15 منهم حالتهم خطرة.", [("injured", 100, None)]),
    ("One attack killed six civilians, including three children.", [("killed", 6, 6)]),
    ("The attacks affected at least 206 people, including 20 rescue workers.", [("injured", 206, None)]),
    ("The regime attacked the town in April, killing 78 civilians.", [("killed", 78, 78)]),
    ("الهجوم الذي أودى بحياة 1400 شخص معظمهم من النساء والأطفال.", [("killed", 1400, 1400)]),
    ("بعد أن قتل نحو مئة شخص غالبيتهم من الأطفال.", [("killed", 100, 100)]),
    ("قال ناشطون إن 25 شخصاً معظمهم من المدنيين قُتلوا وأصيب 86 آخرون.", [("killed", 25, 25), ("injured", 86, 86)]),
    ("وقتلت صواريخ السارين أكثر من 1400 إنسان.", [("killed", 1400, None)]),
    ("The chlorine killed 43 named individuals.", [("killed", 43, 43)]),
    ("قال مسؤول إن أكثر من 600 شخص راجعوا المستشفيات بعد القصف.", [("injured", 600, None)]),
    ("الهجوم الذي أودى بحياة عشرات الأشخاص في المدينة.", [("killed", 20, None)]),
    ("4 قتلى بينهم طفل، وعشرات المصابين بحالات اختناق.", [("killed", 4, 4), ("injured", 20, None)]),
    ("Two hundred and six people were injured in the attack.", [("injured", 206, 206)]),
    ("Six civilians were killed and dozens were wounded.", [("killed", 6, 6), ("injured", 20, None)]),
    ("The death toll rose to 87.", [("killed", 87, 87)]),
    ("بلغ عدد القتلى 87 شخصا.", [("killed", 87, 87)]),
    ("لقي 12 شخصا حتفهم في القصف.", [("killed", 12, 12)]),
    ("قتل خمسة أشخاص وجرح عشرة آخرون.", [("killed", 5, 5), ("injured", 10, 10)]),
    ("استشهاد 7 مدنيين وإصابة العشرات بحالات اختناق.", [("killed", 7, 7), ("injured", 20, None)]),
    ("More than 1,400 people died.", [("killed", 1400, None)]),
    ("at least 70 dead and hundreds injured", [("killed", 70, None), ("injured", 200, None)]),
    ("200 persons suffered symptoms of exposure.", [("injured", 200, 200)]),
    ("توفي 3 أطفال اختناقا.", [("killed", 3, 3)]),
    (("بلغ 87 شخصاً، يتوزعون إلى 45 من مسلحي المعارضة، و7 من الأسرى، و35 مدنياً، بينهم 19 طفلاً، و6 سيدات، "
      "إضافة إلى إصابة ما لا يقل عن 1867 شخصاً."), [("injured", 1867, None)]),
    ("وأكدت الشبكة أن عدد ضحايا الهجمات بلغ 87 شخصاً.", [("killed", 87, 87)]),
    ("سجلت 20 حالة اختناق في المشفى.", [("injured", 20, 20)]),
    ("killed 23, including five women and six children, and injured 200", [("killed", 23, 23), ("injured", 200, 200)]),
    ("ارتفعت حصيلة ضحايا الهجوم الكيميائي إلى 86 قتيلا.", [("killed", 86, 86)]),
    ("وقضى 5 أشخاص اختناقا بينما فارق 3 آخرون الحياة لاحقا.", [("killed", 5, 5), ("killed", 3, 3)]),
    ("Doctors treated 200 suffocation cases and the attack claimed the lives of 1,400.", [
        ("injured", 200, 200), ("killed", 1400, 1400)]),
    ("The 2013 attack killed hundreds.", [("killed", 200, None)]),
    ("Those killed included 10 children.", []),
    ("أفاد أطباء بأن 25 شخصاً ظهرت عليهم أعراض التسمم بعد الغارة.", [("injured", 25, 25)]),
    ("Rescuers said 42 people were found dead in their homes.", [("killed", 42, 42)]),
    ("Thirty-one people, among them 11 children, were treated for suffocation.", [("injured", 31, 31)]),
    ("killing an estimated 3,200 to 5,000 people, most of them civilians.", [("killed", 3200, 5000)]),
    ("التي قُتل فيها أكثر من 1400 شخص اختناقاً بغاز السارين", [("killed", 1400, None)]),
    ("Six civilians were killed and dozens were wounded yesterday.", [("killed", 6, 6), ("injured", 20, None)]),
    ("سقط 58 قتيلاً على الأقل و20 جريحا.", [("killed", 58, None), ("injured", 20, 20)]),
    ("ارتفاع عدد القتلى إلى 58.", [("killed", 58, 58)]),
    ("سقوط 3 قتلى وعشرات المصابين.", [("killed", 3, 3), ("injured", 20, None)]),
    ("The regime killed 5 rebels and shelled 3 towns.", [("killed", 5, 5)]),
    # what they were killed with, right after the figure; "at least" after the person noun
    ("مجزرة الغوطة التي قتل فيها المئات بغاز السارين", [("killed", 200, None)]),
    ("قتل 300 بغاز السارين.", [("killed", 300, 300)]),
    ("أفاد بأن 9 أشخاص على الأقل، بينهم مقاتلون ومدنيون، أصيبوا بحالات اختناق.", [("injured", 9, None)]),
    ("قال إن 9 أشخاص على الأقل أصيبوا.", [("injured", 9, None)]),
    ("More than 70 people, half of them children, were treated for breathing problems.", [("injured", 70, None)]),
    ("The barrel left several people with breathing difficulties.", [("injured", 3, None)]),
    # not casualties
    ("87 nations voted in favour and 15 voted against.", []),
    ("يعيش في المدينة 500 ألف شخص.", []),
    ("استند إلى القرار 2118 الذي صدر بعد مقتل المئات.", [("killed", 200, None)]),
    ("ألقت المروحيات 5 براميل على 500 هكتار.", []),
    ("قتل في 2013 عدد من الأشخاص.", []),
    ("Chlorine was found 3 km from the site where 12 people died.", [("killed", 12, 12)]),
    ("A group of 46 nations called for a vote.", []),
    ("دعا خبراء من 33 دولة إلى آلية تحقيق.", []),
]


@pytest.mark.parametrize("raw,expected", CASUALTY_CASES, ids=[f"c{i}" for i in range(len(CASUALTY_CASES))])
def test_casualties(raw: str, expected: list[tuple[str, int, int | None]]) -> None:
    assert casualties(raw) == expected


def test_case_counts() -> None:
    assert len(QUANTITY_CASES) + len(CASUALTY_CASES) >= 30


def test_casualty_span_covers_cue_and_number() -> None:
    f = F("أسفر القصف عن مقتل 39 مدنيا.")
    (c,) = find_casualties(f)
    assert f[c.start : c.end] == "مقتل 39"
    assert f[c.quantity.start : c.quantity.end] == "39"


def test_quantity_span_drops_conjunction_clitic() -> None:
    f = F("مئة قتيل وأكثر من أربعمئة جريح")
    spans = [f[q.start : q.end] for q in find_quantities(f)]
    assert spans == ["ميه", "اكثر من اربعميه"]


def test_bad_inputs() -> None:
    assert find_quantities("") == [] and find_casualties("") == []
    assert find_quantities("9" * 50_000) == []
    assert find_casualties("قتل" * 10_000) == []


_PARA = F(
    "قال المرصد إن الطيران المروحي ألقى براميل متفجرة على البلدة يوم الجمعة 7 نيسان 2017، ما أسفر عن مقتل 12 "
    "مدنيا بينهم 3 أطفال وإصابة أكثر من 50 آخرين بحالات اختناق، وطالبت منظمات حقوقية بمحاسبة المسؤولين.\n"
    "The Security Council met on Tuesday; the report said the attack killed at least 80 people and that "
    "several witnesses described a smell of chlorine after resolution 2118 was adopted.\n"
)


def _mk(n: int, para: str) -> str:
    return (para * (n // len(para) + 1))[:n]


@pytest.mark.slow
def test_ten_megabytes_normal_text_is_fast() -> None:
    text = _mk(10_000_000, _PARA)
    t = time.perf_counter()
    cs = find_casualties(text)
    assert time.perf_counter() - t < 30
    assert len(cs) > 50_000


@pytest.mark.slow
def test_ten_megabytes_without_spaces_is_fast() -> None:
    text = _mk(10_000_000, _PARA.replace(" ", "").replace("\n", ""))
    t = time.perf_counter()
    find_quantities(text)
    find_casualties(text)
    assert time.perf_counter() - t < 30
