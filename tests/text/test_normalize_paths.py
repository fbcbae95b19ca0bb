"""normalize / fold: the per-distinct-character fast paths give exactly what
the character-by-character reference loops give (text and offset maps)."""

from __future__ import annotations

import random
import sys

import pytest

from bayyina.text import normalize as N


@pytest.fixture(params=["fast-for-all", "default"])
def threshold(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run each check with the fast path taking every text, and with the default short-text cut-off."""
    if request.param == "fast-for-all":
        monkeypatch.setattr(N, "_SHORT", 0)

# whitespace of every kind, invisible controls, tatweel, ligatures (one that holds
# spaces), presentation forms, diacritics, Eastern digits, Latin with accents
ALPHABET = list(
    " \n\r\t\x0b\x0c\x85\xa0\u2028\u2029\u3000\u200b\u200c\u200d\u200e\u202b\ufeff\u00ad\u0640"
    "abcXYZ_019.,;!?-'\"é ßİﬁ\ufb01\u2019\u201c«»،؛؟٫٬٤٢۴"
    "ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإؤئىة"
    "\u064b\u064e\u0651\u0652\u0670\u06d6"
    "\ufefb\ufef5\ufe8d\ufe91\ufedf\ufdf2\ufdfa\ufe70\ufe71\u2460\u00bd\u1680\U0001d400"
)

SAMPLES = [
    "",
    "   ",
    "\u0640",
    " \u0640 x",
    "x \u0640",
    "وثّق ناشطون مقتل ١٥ شخصاً في 4 نيسان ٢٠١٧ بـغاز السارين.\n\n\r\nThe  OPCW\u200bsaid",
    "\ufefb\u0640 \ufdfa  \u200c\nabc  ",
    "a\u00a0\u00a0b\u2028\u2029c\u200b\u200bd",
]


def _texts() -> list[str]:
    rnd = random.Random(1)
    out = list(SAMPLES)
    for _ in range(4000):
        k = rnd.choice([0, 1, 2, 3, 5, 8, 20, 60, 200])
        w = rnd.random()
        out.append("".join(rnd.choice(ALPHABET) if rnd.random() < w else rnd.choice(" \n ab") for _ in range(k)))
    return out


def test_normalize_same_as_loop(threshold: None) -> None:
    for t in _texts():
        a, b = N.normalize(t), N._normalize_loop(t)
        assert (a.text, a.to_src, a.src_len) == (b.text, b.to_src, b.src_len), repr(t)


def test_fold_same_as_loop(threshold: None) -> None:
    for t in _texts():
        for u in (t, N.normalize(t).text):
            a, b = N.fold(u), N._fold_loop(u)
            assert (a.text, a.to_src, a.src_len) == (b.text, b.to_src, b.src_len), repr(u)


def test_whitespace_set_is_str_isspace() -> None:
    spaces = {chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()}
    assert set(N._WS_CHARS) == spaces | {"\u200b"}
