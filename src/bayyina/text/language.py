"""Deterministic language detection for ar / en / fr (and ``und``).

Arabic is told by script (share of Arabic letters among all letters); Latin
texts are told apart by counting frequent function words, loaded from
``text/data/stopwords.json``. No model, no network, same answer every time.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from functools import lru_cache
from importlib import resources

UNDETERMINED = "und"
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_ARABIC = re.compile("[\u0600-\u06ff\ufb50-\ufeff]+")
_ARABIC_LETTERS = re.compile("[\u0621-\u063a\u0641-\u064a]+")


@lru_cache(maxsize=1)
def stopwords() -> dict[str, frozenset[str]]:
    """Function words per language code."""
    raw = json.loads(resources.files("bayyina.text").joinpath("data/stopwords.json").read_text("utf-8"))
    return {k: frozenset(v) for k, v in raw.items() if not k.startswith("_")}


def detect_language(text: str, sample: int = 20000) -> str:
    """``ar``, ``en``, ``fr`` or ``und`` for a text."""
    text = text[:sample]
    arabic = sum(map(len, _ARABIC.findall(text)))
    if arabic and sum(map(len, _ARABIC_LETTERS.findall(text))) >= 0.3 * len(text):
        return "ar"  # Arabic letters alone are 30 % of all characters, so of all letters too
    words = _WORD.findall(text)
    letters = sum(map(len, words))  # every alphabetic character, as str.isalpha counts them
    if letters == 0:
        return UNDETERMINED
    if arabic / letters >= 0.3:
        return "ar"
    counts = Counter(map(str.lower, words))
    sw = stopwords()
    scores = {lang: sum(counts[w] for w in sw[lang].intersection(counts)) for lang in ("en", "fr")}
    best = max(scores, key=lambda k: (scores[k], k == "en"))
    if scores[best] == 0:
        return UNDETERMINED
    return best
