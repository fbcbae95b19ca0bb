"""Deterministic language detection for ar / en / fr (and ``und``).

Arabic is told by script (share of Arabic letters among all letters); Latin
texts are told apart by counting frequent function words, loaded from
``text/data/stopwords.json``. No model, no network, same answer every time.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources

UNDETERMINED = "und"
# runs of letters (``[^\W\d_]+``); the first branch reads the common letters with a range test
_WORD = re.compile(r"[a-zA-Z\u0621-\u064a]+[^\W\d_]*|[^\W\d_]+", re.UNICODE)
# runs of Arabic characters; written [c][c]* (not [c]+) so that a search skips ahead to the
# first Arabic character in C (a pattern that opens on a character class gets that fast path)
_ARABIC = re.compile("[\u0600-\u06ff\ufb50-\ufeff][\u0600-\u06ff\ufb50-\ufeff]*")
_ARABIC_LETTERS = re.compile("[\u0621-\u063a\u0641-\u064a]+")


@lru_cache(maxsize=1)
def stopwords() -> dict[str, frozenset[str]]:
    """Function words per language code."""
    raw = json.loads(resources.files("bayyina.text").joinpath("data/stopwords.json").read_text("utf-8"))
    return {k: frozenset(v) for k, v in raw.items() if not k.startswith("_")}


def detect_language(text: str, sample: int = 20000) -> str:
    """``ar``, ``en``, ``fr`` or ``und`` for a text."""
    text = text[:sample]
    if _ARABIC.search(text) is None:
        arabic = 0
    else:
        if sum(map(len, _ARABIC_LETTERS.findall(text))) >= 0.3 * len(text):
            return "ar"  # Arabic letters alone are 30 % of all characters, so of all letters too
        arabic = sum(map(len, _ARABIC.findall(text)))
    low = text.lower()
    if len(low) == len(text):
        # lower() keeps each character's length and whether it is a letter (true of every code
        # point but U+0130, which grows and then changes the length), so the words of the
        # lowered text are the lowered words (Greek final sigma aside: no function word has one)
        lowered = _WORD.findall(low)
        letters = sum(map(len, lowered))
    else:
        words = _WORD.findall(text)
        letters = sum(map(len, words))  # every alphabetic character, as str.isalpha counts them
        lowered = list(map(str.lower, words))
    if letters == 0:
        return UNDETERMINED
    if arabic / letters >= 0.3:
        return "ar"
    sw = stopwords()
    # how many of the words (each occurrence) are function words of the language
    scores = {lang: sum(map(sw[lang].__contains__, lowered)) for lang in ("en", "fr")}
    best = max(scores, key=lambda k: (scores[k], k == "en"))
    if scores[best] == 0:
        return UNDETERMINED
    return best
