"""The extractor's vocabulary (agents, means, actors, bodies, cue words), loaded
from ``data/vocabulary.toml`` and compiled into one matcher per group.

A pattern is a regular expression over folded text (see
:mod:`bayyina.text.normalize`). Arabic patterns are given the proclitics
و ف ب ل ك and the article ال / لل automatically; every pattern must match
whole words.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from bayyina.text.normalize import fold_str

# proclitics: conjunction, then preposition, then the article ("وبالغوطة", "للغوطة")
_AR_PREFIX = r"(?:[وف])??(?:[بلك])??(?:ال|ل)??"  # lazy: a whole pattern ("بالقرب من") beats prefix + a shorter one
_AR_BEFORE = r"(?<![\w])"
_AR_AFTER = r"(?![\w])"
_EN_BEFORE = r"(?<![a-z0-9])"
_EN_AFTER = r"(?![a-z0-9])"


@dataclass(frozen=True)
class Term:
    """One vocabulary hit in folded text."""

    start: int
    end: int
    group: str  # "agents", "means", "actors", "bodies", or a cue name such as "attack"
    code: str  # the contract code, or the cue name again for cues


def _fold_pattern(p: str) -> str:
    # fold the letters of a pattern but keep its regex syntax
    out = []
    for ch in p:
        out.append(ch if (ch.isascii() or ch in "\\") else fold_str(ch) or "")
    return "".join(out)


def _strip_article(p: str) -> str:
    return p[2:] if p.startswith("ال") and len(p) > 3 else p


def _compile(ar: list[str], en: list[str]) -> re.Pattern[str] | None:
    alts: list[str] = []
    ar_alts = sorted({_strip_article(_fold_pattern(p)) for p in ar}, key=len, reverse=True)
    if ar_alts:
        alts.append(_AR_BEFORE + _AR_PREFIX + "(?:" + "|".join(ar_alts) + ")" + _AR_AFTER)
    en_alts = sorted({p.lower() for p in en}, key=len, reverse=True)
    if en_alts:
        alts.append(_EN_BEFORE + "(?:" + "|".join(en_alts) + ")" + _EN_AFTER)
    if not alts:
        return None
    return re.compile("|".join(alts))


class Vocabulary:
    """Compiled vocabulary groups; ``find(group, text)`` yields :class:`Term` hits."""

    GROUPS = ("agents", "means", "actors", "bodies")

    def __init__(self, data: dict[str, Any]) -> None:
        self._matchers: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
        self.investigative: set[str] = set()
        self.default_means: dict[str, str] = {}  # agent -> means when the text names none
        for group in self.GROUPS:
            entries: list[tuple[str, re.Pattern[str]]] = []
            for code, spec in data.get(group, {}).items():
                rx = _compile(list(spec.get("ar", [])), list(spec.get("en", [])))
                if rx is not None:
                    entries.append((code, rx))
                if group == "bodies" and spec.get("investigative"):
                    self.investigative.add(code)
                if group == "agents" and spec.get("default_means"):
                    self.default_means[code] = str(spec["default_means"])
            self._matchers[group] = entries
        cues = data.get("cues", {})
        names = {k.rsplit("_", 1)[0] for k in cues}
        for name in sorted(names):
            rx = _compile(list(cues.get(f"{name}_ar", [])), list(cues.get(f"{name}_en", [])))
            if rx is not None:
                self._matchers[name] = [(name, rx)]

    @property
    def groups(self) -> list[str]:
        return list(self._matchers)

    def find(self, group: str, text: str) -> list[Term]:
        """All hits of ``group`` in ``text``; overlapping hits keep the longest."""
        hits: list[Term] = []
        for code, rx in self._matchers.get(group, []):
            for m in rx.finditer(text):
                if m.end() > m.start():
                    hits.append(Term(m.start(), m.end(), group, code))
        hits.sort(key=lambda t: (t.start, -(t.end - t.start)))
        kept: list[Term] = []
        for t in hits:
            if kept and t.start < kept[-1].end:
                continue
            kept.append(t)
        return kept

    def has(self, group: str, text: str) -> bool:
        return any(rx.search(text) for _, rx in self._matchers.get(group, []))


@lru_cache(maxsize=1)
def default_vocabulary() -> Vocabulary:
    raw = resources.files("bayyina.extract").joinpath("data/vocabulary.toml").read_text("utf-8")
    return Vocabulary(tomllib.loads(raw))
