"""Tests for the date grammar (bayyina.extract.dates): forms, ranges, year inference, datelines, roles, speed."""

from __future__ import annotations

import datetime as dt
import itertools
import time
from pathlib import Path

import pytest

from bayyina.extract.dates import DateMention, VocabError, date_role, find_dateline, find_dates, read_tsv
from bayyina.text.normalize import fold, normalize


def F(raw: str) -> str:
    return fold(normalize(raw).text).text


def iso(d: dt.date) -> str:
    return f"{d.year:04d}-{d.month:02d}-{d.day:02d}"


def summary(raw: str, dateline: dt.date | None = None) -> list[tuple[str, str, str, str, str | None]]:
    f = F(raw)
    return [(iso(m.first), iso(m.last), m.precision, m.kind, m.year_source) for m in find_dates(f, dateline=dateline)]


# (text, expected mentions as (first, last, precision, kind, year_source), in text order)
CASES: list[tuple[str, list[tuple[str, str, str, str, str | None]]]] = [
    # --- Levantine / Gregorian / Maghrebi month names, day precision
    ("قصفت المروحيات دوما في 7 نيسان 2018 بالبراميل.", [("2018-04-07", "2018-04-07", "day", "absolute", "mention")]),
    ("وقع الهجوم في ٤ نيسان ٢٠١٧ على البلدة.", [("2017-04-04", "2017-04-04", "day", "absolute", "mention")]),
    ("سقطت القذائف يوم 21 أغسطس/آب 2013 على زملكا.", [("2013-08-21", "2013-08-21", "day", "absolute", "mention")]),
    ("استهدفت الغارة البلدة في 12 جويلية 2014 حسب الصحيفة.", [("2014-07-12", "2014-07-12", "day", "absolute", "mention")]),
    ("نشرت الجريدة في 3 أوت 2015 تقريرا.", [("2015-08-03", "2015-08-03", "day", "absolute", "mention")]),
    ("أعلنت الوزارة في 9 فيفري 2016 نتائج التحقيق.", [("2016-02-09", "2016-02-09", "day", "absolute", "mention")]),
    ("وفي 5 جوان 2013 قالت فرنسا إن السارين استخدم.", [("2013-06-05", "2013-06-05", "day", "absolute", "mention")]),
    ("هجوم 30 كانون الثاني 2015 على البلدة.", [("2015-01-30", "2015-01-30", "day", "absolute", "mention")]),
    ("قصف في 2 تشرين ثاني 2016 وفي 3 كانون أول 2016.", [
        ("2016-11-02", "2016-11-02", "day", "absolute", "mention"),
        ("2016-12-03", "2016-12-03", "day", "absolute", "mention")]),
    ("وقع القصف في 14 تشرين ثانٍ 2016.", [("2016-11-14", "2016-11-14", "day", "absolute", "mention")]),
    ("قصفت الطائرات المدينة بتاريخ 10 يونيه 2017.", [("2017-06-10", "2017-06-10", "day", "absolute", "mention")]),
    # --- combined forms
    ("قُتل العشرات في 7 أبريل / نيسان 2018.", [("2018-04-07", "2018-04-07", "day", "absolute", "mention")]),
    ("في 7 نيسان (أبريل) 2018 قصفت المروحيات المدينة.", [("2018-04-07", "2018-04-07", "day", "absolute", "mention")]),
    ("هجوم 4 فبراير / شباط 2018 على سراقب.", [("2018-02-04", "2018-02-04", "day", "absolute", "mention")]),
    # --- ordinals
    ("غارة في الرابع من شباط/فبراير 2018 على سراقب.", [("2018-02-04", "2018-02-04", "day", "absolute", "mention")]),
    ("في الرابع من ابريل/ نيسان 2017 قصفت الطائرات خان شيخون.", [
        ("2017-04-04", "2017-04-04", "day", "absolute", "mention")]),
    ("في الحادي والعشرين من آب 2013 قصفت الغوطة.", [("2013-08-21", "2013-08-21", "day", "absolute", "mention")]),
    ("في الحادي و الثلاثين من آذار 2015 وقع هجوم.", [("2015-03-31", "2015-03-31", "day", "absolute", "mention")]),
    ("The attack on the fourth of April 2017 killed dozens.", [
        ("2017-04-04", "2017-04-04", "day", "absolute", "mention")]),
    ("Planes struck on April 4th, 2017.", [("2017-04-04", "2017-04-04", "day", "absolute", "mention")]),
    # --- English
    ("A sarin attack on April 4, 2017 killed many people.", [
        ("2017-04-04", "2017-04-04", "day", "absolute", "mention")]),
    ("Inspectors said the 4 April 2017 strike used sarin.", [
        ("2017-04-04", "2017-04-04", "day", "absolute", "mention")]),
    ("Witnesses reported chlorine on Sept. 12, 2016 in the town.", [
        ("2016-09-12", "2016-09-12", "day", "absolute", "mention")]),
    # --- month and year precision
    ("استخدم الكلور في مارس 2018 في المدينة.", [("2018-03-01", "2018-03-31", "month", "absolute", "mention")]),
    ("The OPCW visited the site in February 2016.", [("2016-02-01", "2016-02-29", "month", "absolute", "mention")]),
    ("بدأ النزاع في آذار 2011.", [("2011-03-01", "2011-03-31", "month", "absolute", "mention")]),
    ("انضمت سوريا إلى الاتفاقية عام 2013.", [("2013-01-01", "2013-12-31", "year", "absolute", "mention")]),
    ("Syria joined the convention in 2013.", [("2013-01-01", "2013-12-31", "year", "absolute", "mention")]),
    # --- numeric
    ("وقع الهجوم بتاريخ 4/4/2017 صباحا.", [("2017-04-04", "2017-04-04", "day", "absolute", "mention")]),
    ("بتاريخ 04.04.2017 قصفت الطائرات.", [("2017-04-04", "2017-04-04", "day", "absolute", "mention")]),
    ("Report dated 2017-04-04 on the attack.", [("2017-04-04", "2017-04-04", "day", "absolute", "mention")]),
    ("قصفت البلدة في 13/4/2014.", [("2014-04-13", "2014-04-13", "day", "absolute", "mention")]),
    ("The memo is dated 04/13/2017.", [("2017-04-13", "2017-04-13", "day", "absolute", "mention")]),
    ("٢٤/٠٣/٢٠١٧ قصف اللطامنة", [("2017-03-24", "2017-03-24", "day", "absolute", "mention")]),
    # --- ranges
    ("وثقت الشبكة هجمات بين 17 تشرين الثاني و13 كانون الأول 2016 في حلب.", [
        ("2016-11-17", "2016-12-13", "day", "range", "mention")]),
    ("Attacks took place from 17 November to 13 December 2016 in Aleppo.", [
        ("2016-11-17", "2016-12-13", "day", "range", "mention")]),
    ("Several barrel bomb attacks between March 16 and 31, 2015 in Idlib.", [
        ("2015-03-16", "2015-03-31", "day", "range", "mention")]),
    ("Eight attacks between 1 August 2015 and the end of December were documented.", [
        ("2015-08-01", "2015-12-31", "day", "range", "mention")]),
    ("في الفترة من الأول من أغسطس/آب 2015 وحتى نهاية ديسمبر/كانون أول من العام نفسه.", [
        ("2015-08-01", "2015-12-31", "day", "range", "mention")]),
    ("بين الأول من أغسطس/آب 2015، وحتى نهاية ديسمبر/ كانون أول من العام نفسه", [
        ("2015-08-01", "2015-12-31", "day", "range", "mention")]),
    ("between 20 December 2016 and 5 January 2017", [("2016-12-20", "2017-01-05", "day", "range", "mention")]),
    ("بين 20 كانون الأول و5 كانون الثاني 2017", [("2016-12-20", "2017-01-05", "day", "range", "mention")]),
    ("from 16-31 March 2015", [("2015-03-16", "2015-03-31", "day", "range", "mention")]),
    ("Shells fell on 21-22 August 2013.", [("2013-08-21", "2013-08-22", "day", "range", "mention")]),
    ("قصف متكرر 17-18 آذار", [("0001-03-17", "0001-03-18", "day", "range", None)]),
    ("In the early hours of Aug. 21, 2013 rockets hit Zamalka.", [
        ("2013-08-21", "2013-08-21", "day", "absolute", "mention")]),
    ("Attacks resumed in early April 2017.", [("2017-04-01", "2017-04-30", "month", "absolute", "mention")]),
    ("تكررت الهجمات خلال شهر آب 2013.", [("2013-08-01", "2013-08-31", "month", "absolute", "mention")]),
    # --- lists of days share the month and year: two days apart are two dates, consecutive days one range
    ("قصفت المروحيات البلدة في 16 و31 آذار 2015.", [("2015-03-16", "2015-03-16", "day", "absolute", "mention"),
                                                   ("2015-03-31", "2015-03-31", "day", "absolute", "mention")]),
    ("Helicopters struck on March 16 and 31, 2015.", [("2015-03-16", "2015-03-16", "day", "absolute", "mention"),
                                                     ("2015-03-31", "2015-03-31", "day", "absolute", "mention")]),
    ("Rockets hit the town on March 8 and 9, 2016.", [("2016-03-08", "2016-03-09", "day", "range", "mention")]),
    ("في 8 و9 آذار قصفت البلدة", [("0001-03-08", "0001-03-09", "day", "range", None)]),
    ("on 7 April and 4 May 2017", [
        ("2017-04-07", "2017-04-07", "day", "yearless", "context"),
        ("2017-05-04", "2017-05-04", "day", "absolute", "mention")]),
    # --- yearless: no year anywhere in the text
    ("تبادلت الأطراف الاتهامات أمس الثلاثاء 19 مارس بشأن الهجوم.", [
        ("0001-03-19", "0001-03-19", "day", "yearless", None)]),
    ("أكد التقرير استخدام الكيماوي في خان العسل في مارس (آذار) الماضي.", [
        ("0001-03-01", "0001-03-31", "month", "yearless", None)]),
    ("The town was attacked in April, killing 78 civilians.", [
        ("0001-04-01", "0001-04-30", "month", "yearless", None)]),
    ("هجوم يوم 21 أغسطس على الغوطة", [("0001-08-21", "0001-08-21", "day", "yearless", None)]),
    ("في 29 شباط قصفت الطائرات", [("0004-02-29", "0004-02-29", "day", "yearless", None)]),
    # --- year from context
    (("هجوم على دوما في 7 أبريل / نيسان، وتقرير في 15 مايو / أيار بشأن هجوم على سراقب في فبراير / شباط. 4 ، 2018، "
      "وهجوم في سالزبري في 4 مارس."), [
         ("2018-04-07", "2018-04-07", "day", "yearless", "context"),
         ("2018-05-15", "2018-05-15", "day", "yearless", "context"),
         ("2018-02-04", "2018-02-04", "day", "absolute", "mention"),
         ("2018-03-04", "2018-03-04", "day", "yearless", "context")]),
    ("في آذار 2013 قصفت خان العسل، ثم في 21 آب قصفت الغوطة.", [
        ("2013-03-01", "2013-03-31", "month", "absolute", "mention"),
        ("2013-08-21", "2013-08-21", "day", "yearless", "context")]),
    ("Chlorine was used in 2014. On 16 March, helicopters struck Sarmin.", [
        ("2014-01-01", "2014-12-31", "year", "absolute", "mention"),
        ("2014-03-16", "2014-03-16", "day", "yearless", "context")]),
    # --- a following year in another sentence does not count
    ("قصفت البلدة في 4 مارس. وفي عام 2018 صدر التقرير.", [
        ("0001-03-04", "0001-03-04", "day", "yearless", None),
        ("2018-01-01", "2018-12-31", "year", "absolute", "mention")]),
    # --- slashes or dashes around a month, SNHR's spaced numeric dates
    ("يوم السبت 2/ أيار/ 2015 ألقى الطيران المروحي برميلاً", [("2015-05-02", "2015-05-02", "day", "absolute", "mention")]),
    ("في 2/ 5/ 2015 ألقى الطيران", [("2015-05-02", "2015-05-02", "day", "absolute", "mention")]),
    ("on 12-Mar-2016 and 2/May/2015", [("2016-03-12", "2016-03-12", "day", "absolute", "mention"),
                                        ("2015-05-02", "2015-05-02", "day", "absolute", "mention")]),
    ("في 2015. ويوم الخميس 7/ أيار قصفت", [("2015-01-01", "2015-12-31", "year", "absolute", "mention"),
                                          ("2015-05-07", "2015-05-07", "day", "yearless", "context")]),
    ("الصفحات 2/ 5/ 7 والبند 3 / 4 / 2015", []),
    # --- not dates
    ("استند إلى القرار 2118 والقرار 2209 وقتل أكثر من 310 آلاف شخص.", []),
    ("بدأ الاجتماع الساعة 8:30 وانتهى 23:43.", []),
    ("مارس النظام ضغوطا 15 مرة على المدنيين.", []),
    ("He may come back. The march was peaceful.", []),
    ("Those 4 may have died in the strike.", []),
    ("Rockets fell on 4 May and killed dozens.", [("0001-05-04", "0001-05-04", "day", "yearless", None)]),
    ("قتل 2000 شخص في الحرب.", []),
    ("", []),
]


@pytest.mark.parametrize("raw,expected", CASES, ids=[f"case{i}" for i in range(len(CASES))])
def test_date_forms(raw: str, expected: list[tuple[str, str, str, str, str | None]]) -> None:
    assert summary(raw) == expected


def test_at_least_forty_date_cases() -> None:
    assert len(CASES) >= 40


def test_spans_point_into_folded_text() -> None:
    f = F("قال المرصد إن الطائرات قصفت دوما في 7 أبريل / نيسان 2018 بغاز الكلور.")
    (m,) = find_dates(f)
    assert f[m.start : m.end] == "7 ابريل / نيسان 2018"
    assert m.has_year


def test_list_of_consecutive_days_is_one_range_span() -> None:
    f = F("Helicopters struck on March 8 and 9, 2015.")
    (m,) = find_dates(f)
    assert f[m.start : m.end] == "march 8 and 9, 2015" and m.has_year


def test_list_of_days_apart_is_two_dates_with_the_shared_year() -> None:
    f = F("Helicopters struck on March 16 and 31, 2015.")
    a, b = find_dates(f)
    assert f[a.start : a.end] == "march 16" and f[b.start : b.end] == "31, 2015"
    assert (a.first.isoformat(), b.first.isoformat()) == ("2015-03-16", "2015-03-31")


# --- datelines and relative dates


def test_dateline_enab_baladi_style_and_friday() -> None:
    raw = "عنب بلدي – العدد 112 ـ الأحد13/4/2014\nاستهدف الطيران المروحي البلدة يوم الجمعة ببراميل تحمل غازا سامًا."
    f = F(raw)
    assert find_dateline(f) == dt.date(2014, 4, 13)
    ms = find_dates(f)
    assert (ms[0].first, ms[0].kind) == (dt.date(2014, 4, 13), "absolute")
    assert (ms[1].first, ms[1].kind, ms[1].year_source) == (dt.date(2014, 4, 11), "relative", "dateline")
    assert f[ms[1].start : ms[1].end] == "الجمعه"


def test_dateline_numeric_with_time() -> None:
    f = F("لافروف وتيلرسون\n\n02.11.2017 | 23:43\n\nوقال الوزير أمس إن التحقيق مسيس.")
    assert find_dateline(f) == dt.date(2017, 11, 2)
    rel = [m for m in find_dates(f) if m.kind == "relative"]
    assert [(m.first, m.year_source) for m in rel] == [(dt.date(2017, 11, 1), "dateline")]


def test_dateline_reuters_styles() -> None:
    f = F("(Reuters) April 5, 2017 - A suspected gas attack killed dozens on Tuesday.")
    assert find_dateline(f) == dt.date(2017, 4, 5)
    tue = next(m for m in find_dates(f) if m.kind == "relative")
    assert tue.first == dt.date(2017, 4, 4)
    f2 = F("BEIRUT, April 5, 2017 (Reuters) - Warplanes struck the town yesterday.")
    assert find_dateline(f2) == dt.date(2017, 4, 5)
    assert [m.first for m in find_dates(f2) if m.kind == "relative"] == [dt.date(2017, 4, 4)]


def test_dateline_of_a_long_wire_lede() -> None:
    """"RAMADI, Iraq, April 7, 2007 (AP) — ..." opens a long paragraph: still the wire's dateline;
    "On 4 April 2017 – ..." is no dateline."""
    lede = ("RAMADI, Iraq, April 7, 2007 (AP) — A suicide bomber drove a truck loaded with explosives and chlorine "
            "gas tanks into a police checkpoint in Ramadi on Friday, killing at least 27 people and wounding more "
            "than 30 in the latest in a string of chemical attacks by insurgents in western Anbar province, police "
            "and hospital officials said on Saturday in a statement.")
    f = F(lede)
    assert find_dateline(f) == dt.date(2007, 4, 7)
    assert next(m.first for m in find_dates(f) if m.kind == "relative") == dt.date(2007, 4, 6)
    assert find_dateline(F("On 4 April 2017 — the day of the attack — " + lede[40:])) is None


def test_dateline_city_agency_style() -> None:
    f = F("دمشق - 5 نيسان 2017 (سانا)\nقالت الوزارة أمس إن الاتهامات مفبركة.")
    assert find_dateline(f) == dt.date(2017, 4, 5)
    assert find_dateline(F("قتل 7 نيسان 2018 في دوما")) is None


def test_dateline_without_year_is_not_a_dateline() -> None:
    f = F("DAMASCUS, April 5 (Reuters) - Syrian state media said on Friday that the army denied it.")
    assert find_dateline(f) is None
    rel = [m for m in find_dates(f) if m.kind == "relative"]
    assert rel and all(m.year_source is None and m.first == dt.date(1, 1, 1) for m in rel)


def test_caption_with_date_is_not_a_dateline() -> None:
    f = F("عنوان الخبر\n\nسوريان يعانيان من مشاكل في التنفس إثر غارات على سراقب في الرابع من شباط/فبراير 2018\n\nنص.")
    assert find_dateline(f) is None


def test_relative_without_dateline_is_unknown() -> None:
    ms = find_dates(F("وأسفر قصف قوات النظام صباح أمس الثلاثاء عن سقوط مئة قتيل."))
    assert [(m.kind, m.year_source, m.first) for m in ms] == [("relative", None, dt.date(1, 1, 1))]


def test_relative_forms_with_given_dateline() -> None:
    dl = dt.date(2017, 4, 5)  # a Wednesday
    f = F("قال أمس إن هجوم الثلاثاء الماضي وهجوم الأسبوع الماضي وقعا، ومؤتمر الجمعة المقبل، وأول أمس، واليوم الأربعاء.")
    got = [(m.kind, iso(m.first), iso(m.last)) for m in find_dates(f, dateline=dl)]
    assert got == [
        ("relative", "2017-04-04", "2017-04-04"),  # أمس
        ("relative", "2017-04-04", "2017-04-04"),  # الثلاثاء الماضي
        ("relative", "2017-03-29", "2017-04-04"),  # الأسبوع الماضي
        ("relative", "2017-04-07", "2017-04-07"),  # الجمعة المقبل
        ("relative", "2017-04-03", "2017-04-03"),  # أول أمس
        ("relative", "2017-04-05", "2017-04-05"),  # اليوم الأربعاء
    ]


def test_english_relative_with_dateline() -> None:
    dl = dt.date(2018, 4, 8)  # Sunday
    got = [(m.kind, iso(m.first), iso(m.last), m.precision)
           for m in find_dates(F("Yesterday, on Saturday, and last Friday; last month and last year."), dateline=dl)]
    assert got == [
        ("relative", "2018-04-07", "2018-04-07", "day"),
        ("relative", "2018-04-07", "2018-04-07", "day"),
        ("relative", "2018-04-06", "2018-04-06", "day"),
        ("relative", "2018-03-01", "2018-03-31", "month"),
        ("relative", "2017-01-01", "2017-12-31", "year"),
    ]


def test_month_past_with_dateline() -> None:
    got = find_dates(F("أكد التقرير استخدام الكيماوي في مارس (آذار) الماضي وفي أغسطس الماضي"),
                     dateline=dt.date(2013, 12, 13))
    assert [(iso(m.first), iso(m.last), m.year_source) for m in got] == [
        ("2013-03-01", "2013-03-31", "dateline"), ("2013-08-01", "2013-08-31", "dateline")]


def test_year_relative_to_dateline() -> None:
    f = F("02.11.2017 | 23:43\nقصفت البلدة في 4 نيسان من العام الماضي وفي آذار من هذا العام.")
    got = [(iso(m.first), iso(m.last), m.precision, m.year_source) for m in find_dates(f)][1:]
    assert got == [("2016-04-04", "2016-04-04", "day", "dateline"), ("2017-03-01", "2017-03-31", "month", "dateline")]
    (m,) = find_dates(F("في الرابع من نيسان/أبريل من العام الماضي"))
    assert (m.kind, m.year_source) == ("yearless", None)


def test_day_of_this_or_last_month() -> None:
    f = F("02.11.2017 | 23:43\nوقع الهجوم في الأول من الشهر الجاري وفي 28 من الشهر الماضي.")
    got = [(m.kind, iso(m.first), m.year_source) for m in find_dates(f)][1:]
    assert got == [("relative", "2017-11-01", "dateline"), ("relative", "2017-10-28", "dateline")]
    (m,) = find_dates(F("في الرابع من الشهر الجاري"))
    assert (m.kind, m.year_source, m.first) == ("relative", None, dt.date(1, 1, 1))


def test_bad_vocabulary_file_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "calendar.tsv"
    bad.write_text("# comment\nmonth\t1\tيناير\nmonth\tonly-two-columns\n", encoding="utf-8")
    with pytest.raises(VocabError, match=r"calendar\.tsv:3"):
        read_tsv(bad, 3)
    with pytest.raises(VocabError, match="cannot read"):
        read_tsv(tmp_path / "missing.tsv", 3)


def test_yearless_day_after_dateline_is_last_year() -> None:
    (m,) = [m for m in find_dates(F("قصفت البلدة في 20 كانون الأول"), dateline=dt.date(2017, 3, 1))]
    assert (m.first, m.year_source) == (dt.date(2016, 12, 20), "dateline")


def test_weekday_inside_date_is_not_relative() -> None:
    ms = find_dates(F("The vote took place on Wednesday, April 5, 2017."))
    assert [(m.kind, m.first) for m in ms] == [("absolute", dt.date(2017, 4, 5))]


def test_yearless_range_without_context() -> None:
    (m,) = find_dates(F("بين 17 تشرين الثاني و13 كانون الأول في حلب"))
    assert (m.kind, m.year_source, (m.first.month, m.first.day), (m.last.month, m.last.day)) == (
        "range", None, (11, 17), (12, 13))


# --- roles


@pytest.mark.parametrize(
    "raw,role",
    [
        ("قصفت المروحيات البلدة بغاز الكلور في 7 نيسان 2018.", "attack"),
        ("الهجوم الكيميائي الذي أودى بحياة العشرات في دوما في 7 أبريل 2018", "attack"),
        ("عقد مجلس الأمن جلسة طارئة في 9 نيسان 2018.", "event"),
        ("صوت مجلس الأمن على القرار في 27 أيلول 2013.", "event"),
        ("نشرت المنظمة تقريرها في 15 مايو 2018.", "event"),
        ("بدأت المحادثات في أستانا في 23 كانون الثاني 2017.", "event"),
        ("في الذكرى الخامسة، أي في 21 آب 2018، تظاهر الناس.", "event"),
        ("The Security Council voted on 17 November 2017.", "event"),
        ("Helicopters dropped barrels on 16 March 2015.", "attack"),
        ("The report was published on 30 June 2017.", "event"),
        ("On 4 April 2017, a sarin attack hit the town.", "attack"),
        ("في 4 نيسان 2017", "unknown"),
        ("أحيا ناشطون، الثلاثاء 21 آب 2018، الذكرى الخامسة للمجزرة.", "event"),
        ("قال المرصد في 5 نيسان 2017 إن الطائرات عادت.", "event"),
        ("في الذكرى الخامسة للهجوم الكيميائي على الغوطة في 21 آب 2013", "attack"),
    ],
)
def test_date_role(raw: str, role: str) -> None:
    f = F(raw)
    ms = find_dates(f)
    assert ms, raw
    assert date_role(f, ms[-1]) == role


# --- robustness and speed


def test_empty_and_odd_inputs() -> None:
    assert find_dates("") == []
    assert find_dateline("") is None
    assert find_dates("12345678901234567890" * 1000) == []
    assert find_dates("////....----::::") == []
    assert find_dates("31/4/2017 و 30 شباط 2016") == []


def _mk(n: int, para: str) -> str:
    return (para * (n // len(para) + 1))[:n]


_PARA = F(
    "قال المرصد السوري لحقوق الإنسان إن الطيران المروحي ألقى براميل متفجرة محملة بغاز الكلور على البلدة "
    "الواقعة في ريف حماة الشمالي يوم الجمعة 7 نيسان 2017، ما أسفر عن مقتل 12 مدنيا بينهم 3 أطفال وإصابة أكثر "
    "من 50 آخرين بحالات اختناق، وطالبت منظمات حقوقية المجتمع الدولي بمحاسبة المسؤولين عن استخدام الأسلحة الكيميائية.\n"
    "The Security Council met on Tuesday to discuss the report, which said that helicopters carried out the "
    "attack between March 16 and 31, 2015 and that several witnesses described a smell of chlorine.\n"
)


@pytest.mark.slow
def test_ten_megabytes_normal_text_is_fast() -> None:
    text = _mk(10_000_000, _PARA)
    t = time.perf_counter()
    ms = find_dates(text)
    elapsed = time.perf_counter() - t
    assert len(ms) > 50_000
    assert elapsed < 20, elapsed


@pytest.mark.slow
def test_ten_megabytes_without_spaces_is_fast() -> None:
    text = _mk(10_000_000, _PARA.replace(" ", "").replace("\n", ""))
    t = time.perf_counter()
    find_dates(text)
    assert time.perf_counter() - t < 20


def test_time_is_linear_in_length() -> None:
    small, big = _mk(200_000, _PARA), _mk(2_000_000, _PARA)
    find_dates(_mk(1000, _PARA))  # load vocabularies
    t = time.perf_counter()
    find_dates(small)
    t_small = time.perf_counter() - t
    t = time.perf_counter()
    find_dates(big)
    t_big = time.perf_counter() - t
    assert t_big < 25 * max(t_small, 0.01), (t_small, t_big)


def test_mentions_are_ordered_and_disjoint() -> None:
    ms: list[DateMention] = find_dates(_mk(50_000, _PARA))
    assert all(a.end <= b.start for a, b in itertools.pairwise(ms))


def test_a_day_list_goes_on_to_the_day_that_gives_the_month() -> None:
    f = F("Aircraft dropped sarin on the town on 24, 25 and 30 March 2017, the team said.")
    got = [(d.first.isoformat(), d.last.isoformat()) for d in find_dates(f)]
    assert got == [("2017-03-24", "2017-03-24"), ("2017-03-25", "2017-03-25"), ("2017-03-30", "2017-03-30")]


def test_the_same_day_and_the_same_month_count_from_the_date_told_before() -> None:
    f = F("قصفت المروحيات سرمين في 16 آذار 2015. وفي اليوم نفسه قصفت قميناس. ثم عادت يومي 20 و28 من الشهر ذاته، "
          "وفي 22 من الشهر نفسه قصفت بنش.")
    got = [d.first.isoformat() for d in find_dates(f)]
    assert got == ["2015-03-16", "2015-03-16", "2015-03-20", "2015-03-28", "2015-03-22"]
    assert [d.first.isoformat() for d in find_dates(F("On the 22nd of the same month a rocket hit Douma."))] == ["0001-01-01"]
