"""Labels of the web pages in Arabic (the default, right-to-left) and English.

The translations are data: one JSON file per language under ``web/locales/``
(``ar.json``, ``en.json``), with the same keys, and ``codes.json``: the display
labels of the extraction contract's codes (agents, means, actors, bodies,
stances) in both languages. The language of a request is
``?lang=`` when given, else the ``bayyina_lang`` cookie, else Arabic.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

LANGUAGES = ("ar", "en")
DEFAULT_LANG = "ar"
COOKIE = "bayyina_lang"
RTL = frozenset({"ar"})


@cache
def labels(lang: str) -> dict[str, str]:
    """The label table of one language (``ar`` or ``en``)."""
    if lang not in LANGUAGES:
        raise KeyError(f"no labels for language {lang!r} (one of {', '.join(LANGUAGES)})")
    text = resources.files("bayyina.web").joinpath("locales", f"{lang}.json").read_text(encoding="utf-8")
    table = json.loads(text)
    if not isinstance(table, dict):
        raise TypeError(f"web/locales/{lang}.json: expected an object of label -> text")
    return {str(k): str(v) for k, v in table.items()}


@cache
def code_labels() -> dict[str, dict[str, dict[str, str]]]:
    """group -> code -> language -> label, from ``web/locales/codes.json``."""
    text = resources.files("bayyina.web").joinpath("locales", "codes.json").read_text(encoding="utf-8")
    table = json.loads(text)
    return {g: {c: dict(v) for c, v in items.items()} for g, items in table.items() if not g.startswith("_")}


@dataclass(frozen=True)
class LangLabels:
    """What the labels of one language share here and in the public site (``share/site.Labels``):
    the writing direction and a list of codes joined; each says how it labels one code."""

    lang: str

    @property
    def dir(self) -> str:
        """``rtl`` or ``ltr``: the writing direction of the language."""
        return "rtl" if self.lang in RTL else "ltr"

    def code(self, group: str, value: object) -> str:
        """The label of a contract code (``code("agents", "sarin")``); an unknown code shows itself."""
        entry = code_labels().get(group, {}).get(str(value))
        return entry.get(self.lang, str(value)) if entry else str(value)

    def codes(self, group: str, values: object) -> str:
        """Labels of a list of codes, joined with the language's comma (``—`` when empty)."""
        items = values if isinstance(values, list) else [] if values is None else [values]
        sep = "، " if self.lang == "ar" else ", "
        return sep.join(self.code(group, v) for v in items) or "—"


@dataclass(frozen=True)
class Translator(LangLabels):
    """The labels of one language, callable: ``t("incidents")``."""

    @property
    def other(self) -> str:
        """The language the toggle link switches to."""
        return "en" if self.lang == "ar" else "ar"

    def __call__(self, key: str) -> str:
        # an untranslated key shows itself: visible in review, never a crash
        return labels(self.lang).get(key, key)


def pick_lang(query: str | None, cookie: str | None) -> str:
    """The language of a request: a known ``?lang=``, else a known cookie, else Arabic."""
    for candidate in (query, cookie):
        if candidate and candidate.lower() in LANGUAGES:
            return candidate.lower()
    return DEFAULT_LANG
