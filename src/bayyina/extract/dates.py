"""The date grammar: dates in folded Arabic, English and French text.

What lives here:

* :class:`Tokens` — the one tokenizer the date and number finders share
  (digit runs, letter runs, single punctuation marks; offsets into the
  folded text). One regex pass, so linear in the text length.
* :class:`Vocab` — phrase vocabularies loaded from ``data/*.tsv`` and folded
  with :func:`bayyina.text.normalize.fold_str`; matching tolerates the Arabic
  clitics و ف ب ل ك on the first word.
* :func:`find_dates` — every date mention with its span, its ``first`` ..
  ``last`` days, its precision and where its year came from;
  :func:`find_dateline` — the publication date line at the top of a text;
  :func:`date_role` — whether a date is the date of an attack or of some
  other event (meeting, vote, report ...), from cue words near it.

The grammar (see docs/extraction-dates-numbers.md for the full rules):

    date    := [weekday [,]] ( numeric | day [of] month [year] | month day [,] year
               | month day (Latin months) | [mod] month [year] | cue month | month past/future )
    range   := [opener] date connector date       (opener: بين/between/from/من ...)
    year    := year-cue YYYY                      ("عام 2013", "in 2015")
    relative:= أمس | yesterday | [last] weekday [past] | last week ...

A mention whose year is not written gets it from, in order: the nearest
preceding mention with a written year (``year_source="context"``, or
``"dateline"`` when that mention is the text's dateline), the dateline, a
following written year in the same sentence (``"context"``). If none exists
the mention is ``kind="yearless"`` with ``year_source=None`` and its
``first``/``last`` carry the placeholder year 1 (year 4 for 29 February):
the caller must then treat the date as unknown. Relative mentions resolve
only against the dateline; without one they are ``kind="relative"``,
``year_source=None``, ``first == last == date(1, 1, 1)``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import gc
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache, partial
from itertools import accumulate, compress, pairwise
from pathlib import Path
from typing import NamedTuple

from bayyina.extract import DATA_DIR
from bayyina.extract.sentences import bisect_left, bisect_right
from bayyina.text.normalize import fold_str

TOKEN_RE = re.compile(r"\d+|[^\W\d_]+|\S")
# the same tokens, as the pieces between separators: every character outside a token is
# whitespace. The first branch reads the common letters (ASCII lower case, Arabic) with a
# range test and then the rest of the letter run, the same run as ``[^\W\d_]+``
_TOKEN_SPLIT = re.compile(r"([a-z\u0621-\u064a]+[^\W\d_]*|[^\W\d_]+|\d+|\S)")
_CLITICS = "وفبلك"
_TWO_CLITICS = frozenset({"وب", "ول", "فب", "فل", "وك", "فك"})
PLACEHOLDER_YEAR = 1
UNKNOWN_DATE = dt.date(1, 1, 1)
_MIN_YEAR, _MAX_YEAR = 1900, 2100
_SENTENCE_END = re.compile(r"[.!?\n;]")


class VocabError(ValueError):
    """A vocabulary data file is malformed."""


@contextmanager
def no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small acyclic objects.

    Without this, collections triggered by millions of allocations make a
    10 MB text cost superlinear time.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


# --------------------------------------------------------------------------- tokens


class Tokens:
    """Tokens of a folded text: ``ts`` strings, ``ss``/``es`` start/end offsets."""

    __slots__ = ("_distinct", "es", "n", "ss", "text", "ts")

    def __init__(self, text: str) -> None:
        self.text = text
        # separator, token, separator, ..., token, separator: the offsets are the running sums
        # of the pieces' lengths (no match objects; all in C)
        parts = _TOKEN_SPLIT.split(text)
        at = list(accumulate(map(len, parts), initial=0))
        last = len(parts) - 1
        ts: list[str] = parts[1::2]
        ss: list[int] = at[1:last:2]
        es: list[int] = at[2 : last + 1 : 2]
        self.ts, self.ss, self.es, self.n = ts, ss, es, len(ts)
        self._distinct: set[str] | None = None

    def distinct(self) -> set[str]:
        """The distinct token strings (computed once; do not modify)."""
        if self._distinct is None:
            self._distinct = set(self.ts)
        return self._distinct

    def glued(self, i: int) -> bool:
        """True when token ``i`` touches token ``i-1`` (no whitespace between)."""
        return 0 < i < self.n and self.ss[i] == self.es[i - 1]

    def newline_before(self, i: int) -> bool:
        return 0 < i < self.n and "\n" in self.text[self.es[i - 1] : self.ss[i]]


def tokenize(text: str) -> list[str]:
    return TOKEN_RE.findall(text)


def is_arabic(tok: str) -> bool:
    return "\u0600" <= tok[0] <= "\u06ff"


def clitic_variants(tok: str) -> list[str]:
    """The token and its forms with leading Arabic clitics removed (و ف ب ل ك, لل → ال)."""
    out = [tok]
    if len(tok) < 3 or not is_arabic(tok):
        return out
    if tok[0] in _CLITICS:
        rest = tok[1:]
        if len(rest) >= 3 or tok[0] == "و":
            out.append(rest)
        if tok.startswith("لل") and len(tok) > 3:
            out.append("ال" + tok[2:])
        if tok[:2] in _TWO_CLITICS and len(tok) > 4:
            out.append(tok[2:])
        if tok[:3] in ("ولل", "فلل") and len(tok) > 4:
            out.append("ال" + tok[3:])
    return out


def _is_shahr(tok: str) -> bool:
    """"شهر" (month), perhaps behind a clitic: "بشهر", "وشهر"."""
    return "شهر" in tok and "شهر" in clitic_variants(tok)


# --------------------------------------------------------------------------- vocabulary


def read_tsv(path: Path, ncols: int) -> list[list[str]]:
    """Rows of a vocabulary TSV (comments and blank lines skipped); clear errors on bad lines."""
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise VocabError(f"{path}: cannot read vocabulary file: {exc}") from exc
    rows: list[list[str]] = []
    for lineno, line in enumerate(raw.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) != ncols or not all(c.strip() for c in cols):
            raise VocabError(f"{path}:{lineno}: expected {ncols} tab-separated non-empty columns, got {line!r}")
        rows.append([c.strip() for c in cols])
    return rows


def _phrase_variants(toks: list[str]) -> list[tuple[str, ...]]:
    """Spelling variants of a tokenized phrase: "والعشرين" ↔ "و العشرين", "twenty-first" ↔ "twenty first"."""
    variants = [tuple(toks)]
    split: list[str] = []
    for k, t in enumerate(toks):
        if k > 0 and len(t) > 2 and t[0] == "و" and is_arabic(t):
            split.extend(["و", t[1:]])
        else:
            split.append(t)
    if split != toks:
        variants.append(tuple(split))
    for v in list(variants):
        if "-" in v[1:-1]:
            variants.append(tuple(t for t in v if t != "-"))
    return variants


class Match(NamedTuple):
    """A phrase found at a token index (a named tuple: made by the thousand per text)."""

    kind: str
    value: str
    j: int  # index just after the phrase
    stripped: str  # the clitic removed from the first token ("" when none)
    phrase: tuple[str, ...]


class Vocab:
    """Phrases (token tuples) by kind, matched at a token index, longest first."""

    def __init__(self, rows: list[tuple[str, str, str]]) -> None:
        self.by_first: dict[str, list[tuple[tuple[str, ...], str, str]]] = {}
        self.kind_words: dict[str, set[tuple[str, ...]]] = {}
        for kind, value, phrase in rows:
            toks = tokenize(fold_str(phrase))
            if not toks:
                continue
            for var in _phrase_variants(toks):
                self.by_first.setdefault(var[0], []).append((var[1:], kind, value))
                self.kind_words.setdefault(kind, set()).add(var)
        for lst in self.by_first.values():
            lst.sort(key=lambda e: -len(e[0]))
        self.firsts = frozenset(self.by_first)
        self._cache: dict[str, tuple[tuple[str, list[tuple[tuple[str, ...], str, str]]], ...]] = {}
        self._kcache: dict[str, frozenset[str]] = {}
        self._scache: dict[str, frozenset[str] | None] = {}

    def seconds(self, tok: str) -> frozenset[str] | None:
        """The tokens that may follow ``tok`` in a phrase it starts ("the" -> next, end, same ...);
        None when ``tok`` (or a form of it without clitics) is a whole phrase by itself."""
        if tok in self._scache:
            return self._scache[tok]
        out: set[str] = set()
        alone = False
        for _, entries in self.candidates(tok):
            for rest, _, _ in entries:
                if rest:
                    out.add(rest[0])
                else:
                    alone = True
        got = None if alone else frozenset(out)
        if len(self._scache) > 200_000:
            self._scache.clear()
        self._scache[tok] = got
        return got

    def has(self, kind: str, phrase: tuple[str, ...]) -> bool:
        return phrase in self.kind_words.get(kind, ())

    def kinds_of(self, tok: str) -> frozenset[str]:
        """Kinds of the phrases that can start with this token (any clitic form); cached."""
        got = self._kcache.get(tok)
        if got is None:
            got = frozenset(k for _, entries in self.candidates(tok) for _, k, _ in entries)
            if len(self._kcache) > 200_000:
                self._kcache.clear()
            self._kcache[tok] = got
        return got

    def candidates(self, tok: str) -> tuple[tuple[str, list[tuple[tuple[str, ...], str, str]]], ...]:
        """(first-token variant, phrase entries) pairs for a token; cached per token string."""
        got = self._cache.get(tok)
        if got is None:
            got = tuple((v, self.by_first[v]) for v in clitic_variants(tok) if v in self.by_first)
            if len(self._cache) > 200_000:
                self._cache.clear()
            self._cache[tok] = got
        return got

    def match(self, tk: Tokens, i: int, kinds: frozenset[str] | set[str]) -> Match | None:
        """The longest phrase of one of ``kinds`` starting at token ``i``."""
        if i >= tk.n:
            return None
        ts, n = tk.ts, tk.n
        first = ts[i]
        ks = self._kcache.get(first)  # kinds_of(first), without the call when cached
        if kinds.isdisjoint(ks if ks is not None else self.kinds_of(first)):
            return None
        cands = self._cache.get(first)
        for var, entries in cands if cands is not None else self.candidates(first):
            for rest, kind, value in entries:
                if kind not in kinds:
                    continue
                L = len(rest)
                if L and (i + 1 + L > n or ts[i + 1 : i + 1 + L] != list(rest)):
                    continue
                return Match(kind, value, i + 1 + L, first[: len(first) - len(var)], (var, *rest))
        return None


def _load_calendar() -> Vocab:
    rows = read_tsv(DATA_DIR / "calendar.tsv", 3)
    return Vocab([(k, v, p) for k, v, p in rows])


@lru_cache(maxsize=1)
def calendar_vocab() -> Vocab:
    return _load_calendar()


@lru_cache(maxsize=1)
def _ambiguous_months() -> frozenset[tuple[str, ...]]:
    return frozenset(calendar_vocab().kind_words.get("ambiguous", set()))


_STRONG = frozenset({"month", "weekday", "ordinal", "relday", "relday_guarded", "relperiod", "relnext"})
_WEAK = frozenset({"range_open", "year_cue", "day_word", "past", "future", "start_mod", "end_mod"})
_STRONG_OR_MOD = _STRONG | {"start_mod", "end_mod"}
_AFTER_NUM = frozenset({"month", "of_word", "ordsuffix", "range_to", "range_and", "same_year"})
_AFTER_NUM_PUNCT = frozenset({"/", ".", "-", ",", ":"})
_RELDAY = frozenset({"relday", "relday_guarded"})
_PAST_FUTURE = frozenset({"past", "future"})


@lru_cache(maxsize=1)
def _triggers() -> frozenset[str]:
    """First tokens that can start a date mention (besides digits)."""
    v = calendar_vocab()
    kinds = {"month", "weekday", "ordinal", "relday", "relday_guarded", "relperiod", "relnext", "range_open", "year_cue",
             "start_mod", "end_mod", "past", "future", "day_word", "month_cue"}
    out = set()
    for first, entries in v.by_first.items():
        if any(k in kinds for _, k, _ in entries):
            out.add(first)
    out.add("the")
    return frozenset(out)


# --------------------------------------------------------------------------- public types


@dataclass(frozen=True)
class DateMention:
    """One date in the folded text.

    ``kind``: "absolute" (the year is written), "yearless" (day/month written, year
    from context or, with ``year_source=None``, unknown: placeholder year 1),
    "relative" (أمس, a weekday, "last week": resolved from the dateline or unknown),
    "range" (two ends; ``first``..``last``).
    """

    start: int
    end: int
    first: dt.date
    last: dt.date
    precision: str  # "day" | "month" | "year"
    has_year: bool
    kind: str  # "absolute" | "yearless" | "relative" | "range"
    year_source: str | None  # "mention" | "context" | "dateline" | None

    @property
    def known(self) -> bool:
        """False when ``first``/``last`` are placeholders (no year could be found)."""
        return self.year_source is not None


# --------------------------------------------------------------------------- parsing


@dataclass
class _P:
    """A partial date under construction; ``i``..``j`` token span."""

    i: int
    j: int
    day: int | None = None
    month: int | None = None
    year: int | None = None
    mod: str | None = None  # "start" | "end"
    same_year: bool = False
    same_month: bool = False  # "22 من الشهر ذاته": the month of the last date told before it
    rel: str | None = None  # "past" | "future"
    combined: bool = False
    ambiguous: bool = False
    bare_day: bool = False
    by_clitic_b: bool = False
    rel_year: int | None = None  # "من العام الماضي" → -1
    rel_month: int | None = None  # "من الشهر الجاري" → 0


@dataclass
class _Raw:
    """A mention before year resolution."""

    start: int
    end: int
    kind: str  # "date" | "year" | "range" | "relday" | "relperiod" | "relnext" | "weekday" | "monthday" | "samemonth"
    a: _P | None = None
    b: _P | None = None
    year_from_group: bool = False
    offset: int = 0
    unit: str = ""
    weekday: int = 0
    rel: str | None = None
    extra: dict[str, int] = field(default_factory=dict)

    @property
    def explicit_year(self) -> int | None:
        if self.kind in ("date", "year") and self.a is not None and self.a.year is not None \
                and not self.year_from_group:
            return self.a.year
        if self.kind == "range" and self.b is not None and self.a is not None:
            return self.b.year if self.b.year is not None else self.a.year
        return None


def _days_in(year: int | None, month: int) -> int:
    return calendar.monthrange(year if year is not None else 4, month)[1]


def _valid(y: int | None, m: int | None, d: int | None) -> bool:
    if m is None or not 1 <= m <= 12:
        return False
    if d is None:
        return True
    return 1 <= d <= _days_in(y, m)


_MODS = frozenset({"start_mod", "end_mod"})
# the kind sets the parser asks for
_K_DAY_WORD = frozenset({"day_word"})
_K_MONTH = frozenset({"month"})
_K_MONTH_CUE_PAST_FUTURE = frozenset({"month_cue", "past", "future"})
_K_NOT_YEAR_AFTER = frozenset({"not_year_after"})
_K_OF_WORD = frozenset({"of_word"})
_K_ORDINAL = frozenset({"ordinal"})
_K_RANGE_AND = frozenset({"range_and"})
_K_RANGE_OPEN = frozenset({"range_open"})
_K_RANGE_TO = frozenset({"range_to"})
_K_RELNEXT = frozenset({"relnext"})
_K_RELPERIOD = frozenset({"relperiod"})
_K_SAME_YEAR = frozenset({"same_year"})
_K_SAMEMONTH = frozenset({"samemonth"})
_K_WEEKDAY = frozenset({"weekday"})
_K_YEAR_CUE = frozenset({"year_cue"})
_K_YEAR_REL = frozenset({"year_rel"})
_K_YEAR_WORD = frozenset({"year_word"})
_OPEN_KINDS = frozenset({"day_word", "weekday", "start_mod", "end_mod", "ordinal", "month"})
_OPENS: dict[str, bool] = {}


class _Parser:
    """Token-level recursive-descent date parser; every method is O(1) tokens ahead."""

    def __init__(self, tk: Tokens, vocab: Vocab) -> None:
        self.tk = tk
        self.v = vocab
        self.amb = _ambiguous_months()
        # mt(i, kinds): the longest phrase of one of ``kinds`` at token ``i`` (vocab.match with
        # this text's tokens bound, without a Python frame of its own)
        self.mt: Callable[[int, frozenset[str]], Match | None] = partial(vocab.match, tk)

    # ---- small pieces
    def _may_open(self, t: str) -> bool:
        """Whether a date may begin with token ``t``: a digit, "the", a word for a day, weekday,
        month, ordinal or month part, or "شهر" (what the branches of :meth:`parse_date` look for)."""
        got = _OPENS.get(t)
        if got is None:
            got = t[0].isdigit() or t == "the" or not self.v.kinds_of(t).isdisjoint(_OPEN_KINDS) \
                or _is_shahr(t)
            if len(_OPENS) > 200_000:
                _OPENS.clear()
            _OPENS[t] = got
        return got

    def is_tok(self, i: int, *vals: str) -> bool:
        return i < self.tk.n and self.tk.ts[i] in vals

    def year_at(self, i: int) -> int | None:
        tk = self.tk
        if i >= tk.n:
            return None
        t = tk.ts[i]
        if len(t) != 4 or not t.isdigit():
            return None
        y = int(t)
        if not _MIN_YEAR <= y <= _MAX_YEAR:
            return None
        # glued to a separator + digit: part of a number, a code or a time
        if i + 2 < tk.n and tk.glued(i + 1) and tk.ts[i + 1] in ":/.," and tk.glued(i + 2) and tk.ts[i + 2].isdigit():
            return None
        if i > 0 and tk.glued(i) and tk.ts[i - 1] in ":/.,-" and i > 1 and tk.ts[i - 2].isdigit() and tk.glued(i - 1):
            return None
        if self.mt(i + 1, _K_NOT_YEAR_AFTER) is not None:
            return None
        return y

    def parse_year(self, i: int) -> tuple[int | None, int, bool] | None:
        """[,] [year_word] YYYY [م] | same-year phrase → (year, j, same_year)."""
        j = i
        if self.is_tok(j, ","):
            j += 1
        sm = self.mt(j, _K_SAME_YEAR)
        if sm:
            return None, sm.j, True
        yw = self.mt(j, _K_YEAR_WORD)
        k = yw.j if yw else j
        y = self.year_at(k)
        if y is None:
            return None
        k += 1
        if self.is_tok(k, "م"):
            k += 1
        return y, k, False

    def parse_month(self, i: int) -> tuple[int, int, bool, bool, bool] | None:
        """[شهر] month [/|(|-) month [)]] → (month, j, combined, ambiguous, by_clitic_b)."""
        tk = self.tk
        j = i
        if j < tk.n and _is_shahr(tk.ts[j]) and j + 1 < tk.n:
            j += 1
        mm = self.mt(j, _K_MONTH)
        if mm is None:
            return None
        month = int(mm.value)
        amb = mm.phrase in self.amb and mm.stripped == "" and j == i
        by_b = mm.stripped.endswith("ب") or (j > i and tk.ts[i][0] == "ب")
        k = mm.j
        # abbreviation dot: "Apr. 4"
        if k < tk.n and tk.ts[k] == "." and tk.glued(k) and mm.phrase[0].isascii() and len(mm.phrase[0]) <= 4:
            k += 1
        combined = False
        if k + 1 < tk.n and tk.ts[k] in ("/", "(", "-", "\\"):
            m2 = self.mt(k + 1, _K_MONTH)
            if m2 is not None and int(m2.value) == month:
                combined = True
                amb = False
                k = m2.j
                if self.is_tok(k, ")"):
                    k += 1
        return month, k, combined, amb, by_b

    def parse_day(self, i: int, ordinals: bool = True) -> tuple[int, int, bool] | None:
        """digits (1..31) [st|nd|rd|th] | ordinal word → (day, j, numeric)."""
        tk = self.tk
        if i >= tk.n:
            return None
        t = tk.ts[i]
        if t.isdigit():
            if len(t) > 2:
                return None
            d = int(t)
            if not 1 <= d <= 31:
                return None
            nx = i + 1
            if nx < tk.n and tk.glued(nx) and tk.ts[nx] in ":/.," and nx + 1 < tk.n and tk.glued(nx + 1) \
                    and tk.ts[nx + 1].isdigit():
                return None  # 8:30, 4/4, 1.5
            if i > 0 and tk.glued(i) and tk.ts[i - 1] in ":/." and i > 1 and tk.ts[i - 2].isdigit():
                return None
            if nx < tk.n and tk.glued(nx) and self.v.has("ordsuffix", (tk.ts[nx],)):
                nx += 1
            return d, nx, True
        if not ordinals:
            return None
        k = i + 1 if t == "the" else i
        om = self.mt(k, _K_ORDINAL)
        if om is None:
            return None
        return int(om.value), om.j, False

    def parse_numeric(self, i: int) -> _P | None:
        """4/4/2017, 04.04.2017, 13-4-2014, 2017-04-04 (all glued)."""
        tk = self.tk
        if i + 4 >= tk.n or not tk.ts[i][0].isdigit():
            return None
        ts = tk.ts
        a, s1, b, s2, c = ts[i : i + 5]
        if not (a.isdigit() and b.isdigit() and c.isdigit() and s1 == s2 and s1 in "/.-"):
            return None
        if not (tk.glued(i + 1) and tk.glued(i + 3)):
            return None
        if not (tk.glued(i + 2) and tk.glued(i + 4)) and not (s1 == "/" and self._spaced(i + 2) and self._spaced(i + 4)):
            return None  # glued, or SNHR's "2/ 5/ 2015": a slash, then one space
        if i + 6 < tk.n and tk.glued(i + 5) and ts[i + 5] in "/.-:" and tk.glued(i + 6) and ts[i + 6].isdigit():
            return None
        if i > 1 and tk.glued(i) and ts[i - 1] in "/.-:" and ts[i - 2].isdigit():
            return None
        if len(a) == 4 and len(b) <= 2 and len(c) <= 2:
            y, mo, d = int(a), int(b), int(c)
        elif len(c) == 4 and len(a) <= 2 and len(b) <= 2:
            d, mo, y = int(a), int(b), int(c)
            if not _valid(y, mo, d) and _valid(y, d, mo):
                d, mo = mo, d
        else:
            return None
        if not _MIN_YEAR <= y <= _MAX_YEAR or not _valid(y, mo, d):
            return None
        return _P(i, i + 5, d, mo, y)

    def _spaced(self, i: int) -> bool:
        """Token ``i`` is glued to the one before or follows it after one space."""
        tk = self.tk
        return tk.glued(i) or (0 < i < tk.n and tk.ss[i] - tk.es[i - 1] == 1 and tk.text[tk.es[i - 1]] == " ")

    def rel_after(self, p: _P) -> None:
        yr = self.mt(p.j, _K_YEAR_REL)
        if yr is not None:
            p.rel_year = int(yr.value)
            p.j = yr.j
            return
        pm = self.mt(p.j, _PAST_FUTURE)
        if pm is not None and pm.phrase[0] not in ("last", "past", "next", "coming"):
            p.rel = pm.kind
            p.j = pm.j

    # ---- a date
    def parse_date(self, i: int, allow_bare_day: bool = False) -> _P | None:
        tk = self.tk
        if i >= tk.n or not self._may_open(tk.ts[i]):
            return None
        start = i
        ks = self.v.kinds_of(tk.ts[i])  # self.mt(i, {kind}) is None unless kind is in it
        day_word = "day_word" in ks and self.mt(i, _K_DAY_WORD) is not None
        # weekday absorbed into a following date: "الأحد13/4/2014", "Wednesday, April 5, 2017"
        k = i
        if day_word and self.mt(k + 1, _K_WEEKDAY):
            k += 1
        wd = self.mt(k, _K_WEEKDAY) if k > i or "weekday" in ks else None
        if wd is not None:
            k2 = wd.j + 1 if self.is_tok(wd.j, ",") else wd.j
            if k2 < tk.n and tk.ts[k2] in ("الموافق", "الواقع"):
                k2 += 1  # "يوم الأربعاء الموافق 21 آب 2013"
            inner = self.parse_date(k2)
            if inner is not None and inner.month is not None:
                inner.i = start
                return inner
            return None
        if day_word and (self.parse_day(i + 1) or self.parse_numeric(i + 1)):
            i += 1
            ks = self.v.kinds_of(tk.ts[i])
        t = tk.ts[i]
        # below, a part is tried only where it may begin (what each parse_* checks first)
        num = self.parse_numeric(i) if t[0].isdigit() else None
        if num is not None:
            return num
        # [mod] month [year]: "نهاية ديسمبر", "the end of December 2015"
        mod = self.mt(i, _MODS) if not ks.isdisjoint(_MODS) else None
        if mod is not None:
            pm = self.parse_month(mod.j)
            if pm is not None:
                p = _P(i, pm[1], None, pm[0], mod=("start" if mod.kind == "start_mod" else "end"),
                       combined=pm[2])
                y = self.parse_year(p.j)
                if y is not None:
                    p.year, p.j, p.same_year = y
                return p
        d = self.parse_day(i) if t.isdigit() or t == "the" or "ordinal" in ks else None
        if d is not None:
            day, j, numeric = d
            of = self.mt(j, _K_OF_WORD)
            pm = self.parse_month(of.j if of else j)
            if pm is None and numeric and j < tk.n and tk.ts[j] in ("/", "-") and tk.glued(j) and self._spaced(j + 1):
                # "2/ أيار/ 2015", "7/أيار", "2-May-2015": a month name between slashes or dashes
                sep = tk.ts[j]
                pm = self.parse_month(j + 1)
                if pm is not None:
                    p = _P(i, pm[1], day, pm[0], combined=pm[2])
                    k = pm[1]
                    if k + 1 < tk.n and tk.ts[k] == sep and tk.glued(k) and self._spaced(k + 1):
                        y = self.parse_year(k + 1)
                        if y is not None and y[0] is not None:
                            p.year, p.j, p.same_year = y
                    return p
            if pm is None and of is not None:
                pm = None
            if pm is None and not of:
                pm = None
            if pm is not None:
                p = _P(i, pm[1], day, pm[0], combined=pm[2], ambiguous=pm[3])
                y = self.parse_year(p.j)
                if y is not None:
                    p.year, p.j, p.same_year = y
                else:
                    self.rel_after(p)
                return p
            rp = self.mt(of.j if of else j, _K_RELPERIOD)
            if rp is not None and rp.value.startswith("month:"):
                # "في الرابع من الشهر الجاري", "on the 4th of last month"
                return _P(i, rp.j, day, None, rel_month=int(rp.value.split(":")[1]))
            sm = self.mt(of.j if of else j, _K_SAMEMONTH)
            if sm is not None:
                return _P(i, sm.j, day, None, same_month=True)  # "صباح الإثنين 22 من الشهر ذاته"
            if allow_bare_day and numeric:
                p = _P(i, j, day, None, bare_day=True)
                y = self.parse_year(j)
                if y is not None and y[0] is not None:
                    p.year, p.j = y[0], y[1]
                return p
            return None
        pm = self.parse_month(i) if "month" in ks or _is_shahr(t) else None
        if pm is None:
            return None
        month, j, combined, amb, by_b = pm
        # month day [,] year: "April 4, 2017", "فبراير / شباط. 4 ، 2018"
        j1 = j + 1 if self.is_tok(j, ".") else j
        dd = self.parse_day(j1, ordinals=False)
        if dd is not None:
            y = self.parse_year(dd[1])
            if y is not None and y[0] is not None:
                return _P(i, y[1], dd[0], month, y[0], combined=combined)
            if j1 == j and tk.ts[i].isascii() and tk.ts[i].isalpha():
                p = _P(i, dd[1], dd[0], month, combined=combined)
                return p
        y = self.parse_year(j)
        if y is not None and y[0] is not None:
            return _P(i, y[1], None, month, y[0], combined=combined)
        p = _P(i, j, None, month, combined=combined, ambiguous=amb, by_clitic_b=by_b)
        self.rel_after(p)
        return p


# --------------------------------------------------------------------------- scanning


def _scan(tk: Tokens) -> list[_Raw]:
    """All raw mentions, left to right, non-overlapping."""
    v = calendar_vocab()
    P = _Parser(tk, v)
    ts, ss, es, n = tk.ts, tk.ss, tk.es, tk.n
    out: list[_Raw] = []
    i = 0

    def emit_date(p: _P, group_year: bool = False) -> None:
        out.append(_Raw(ss[p.i], es[p.j - 1], "date", a=p, year_from_group=group_year))

    kinds_of = v.kinds_of
    # only tokens that may start a date (a digit, a date word, a connector) are visited: the
    # others would be passed over one by one below; this finds them with C-level maps
    cands = _starters(v, tk)
    nc = len(cands)
    ci = 0
    while True:
        ci = bisect_left(cands, i, ci)
        if ci >= nc:
            break
        i = cands[ci]
        t = ts[i]
        c0 = t[0]
        ks = kinds_of(t)  # what phrases may start here: P.mt(i, {kind}) is None unless kind is in it
        if c0.isdigit():
            # a number starts a date only before a month word, a separator or a connector
            if len(t) > 4 or i + 1 >= n:
                i += 1
                continue
            if (i == 0 or tk.newline_before(i)) and ts[i + 1] in ("-", ".", ")") and tk.glued(i + 1) \
                    and not tk.glued(i + 2):
                i += 1  # "1- الثلاثاء 4 نيسان 2017": the number of a list entry, not a day
                continue
            t2 = ts[i + 1]
            if not (t2 in _AFTER_NUM_PUNCT or not kinds_of(t2).isdisjoint(_AFTER_NUM)
                    or (t2[0] == "و" and len(t2) > 1) or _is_shahr(t2)):
                i += 1
                continue
        else:
            if ks.isdisjoint(_STRONG):
                # a connector word (من، في، in, the ...) only matters before a digit or a date word
                if ks.isdisjoint(_WEAK) or i + 1 >= n:
                    i += 1
                    continue
                t2 = ts[i + 1]
                if not t2[0].isdigit() and kinds_of(t2).isdisjoint(_STRONG_OR_MOD):
                    i += 1
                    continue
            # a word that starts date phrases only with others ("the next day", "the end of"):
            # nothing starts here unless the next token can go on one of them (or a day follows:
            # "the 4th", "the fourth"); most "the"s of an English text stop here
            sec = v.seconds(t)
            if sec is not None and not _is_shahr(t):
                if i + 1 >= n:
                    i += 1
                    continue
                t2 = ts[i + 1]
                if t2 not in sec and not t2[0].isdigit() and not (t == "the" and "ordinal" in kinds_of(t2)):
                    i += 1
                    continue
        # ---- range with an opener: بين ... و ... / from ... to ...
        op = P.mt(i, _K_RANGE_OPEN) if "range_open" in ks else None
        if op is not None:
            r = _try_range(P, i, op.j, opener=True)
            if r is not None:
                out.append(r)
                i = _tok_after(tk, r.end)
                continue
        # ---- a day counted from the date told before it: "the next day", "صباح اليوم التالي"
        rn = P.mt(i, _K_RELNEXT) if "relnext" in ks else None
        if rn is not None:
            out.append(_Raw(ss[i], es[rn.j - 1], "relnext", offset=int(rn.value)))
            i = rn.j
            continue
        # ---- relative day words: أمس, yesterday, اليوم الاثنين
        rd = P.mt(i, _RELDAY) if not ks.isdisjoint(_RELDAY) else None
        if rd is not None:
            k = rd.j
            wd = P.mt(k, _K_WEEKDAY)
            if rd.kind == "relday_guarded" and wd is None:
                i += 1
                continue
            after = wd.j if wd else k
            if wd is not None:
                inner = P.parse_date(after + 1 if P.is_tok(after, ",") else after)
                if inner is not None and inner.month is not None and inner.day is not None:
                    inner.i = i
                    emit_date(inner)
                    i = inner.j
                    continue
            out.append(_Raw(ss[i], es[after - 1], "relday", offset=int(rd.value)))
            i = after
            continue
        rp = P.mt(i, _K_RELPERIOD) if "relperiod" in ks else None
        if rp is not None:
            unit, off = rp.value.split(":")
            out.append(_Raw(ss[i], es[rp.j - 1], "relperiod", unit=unit, offset=int(off)))
            i = rp.j
            continue
        # ---- "last Friday" / "الجمعة الماضية" / a weekday alone
        pre = P.mt(i, _PAST_FUTURE) if not ks.isdisjoint(_PAST_FUTURE) else None
        wi = pre.j if pre is not None else i
        wd = P.mt(wi, _K_WEEKDAY) if pre is not None or "weekday" in ks else None
        if wd is not None:
            inner = P.parse_date(wi)
            if inner is None:
                k = wd.j
                rel = pre.kind if pre is not None else None
                post = P.mt(k, _PAST_FUTURE)
                if post is not None:
                    rel, k = post.kind, post.j
                out.append(_Raw(ss[i], es[k - 1], "weekday", weekday=int(wd.value), rel=rel))
                i = k
                continue
        # ---- a date, a range without opener, a list of days
        p = P.parse_date(i, allow_bare_day=True)
        if p is not None and p.rel_month is not None:
            out.append(_Raw(ss[p.i], es[p.j - 1], "monthday", a=p, offset=p.rel_month))
            i = p.j
            continue
        if p is not None and p.same_month:
            out.append(_Raw(ss[p.i], es[p.j - 1], "samemonth", a=p))
            i = p.j
            continue
        if p is not None:
            r = _try_range(P, i, i, opener=False, first=p)
            if r is not None:
                out.append(r)
                i = _tok_after(tk, r.end)
                continue
            if p.bare_day or (p.day is not None and p.year is None):
                # lists: "16 و31 آذار 2015", "March 16 and 31, 2015"
                lst = _try_list(P, p)
                if lst is not None:
                    pa, pb = lst[0], lst[-1]
                    days = [x.day or 0 for x in lst]
                    if pa.same_month:
                        # "يومي 11 و18 من الشهر ذاته": days of the month told before
                        for x in lst:
                            out.append(_Raw(ss[x.i], es[x.j - 1], "samemonth", a=x))
                    elif pa.month == pb.month and any(b > a + 1 for a, b in pairwise(days)):
                        # "في 24 و30 آذار 2017", "on 24, 25 and 30 March": days apart, one date each
                        for x in lst:
                            emit_date(x)
                    else:
                        # "on March 8 and 9, 2016": consecutive days of one series → a range
                        out.append(_Raw(ss[pa.i], es[pb.j - 1], "range", a=pa, b=pb))
                    i = pb.j
                    continue
            if p.bare_day:
                i += 1
                continue
            if p.day is None and p.year is None and p.mod is None and not p.combined and p.rel is None \
                    and p.rel_year is None:
                # a bare month needs a cue: "في نيسان", "in April", "بنيسان", "last April"
                cue = P.mt(i - 1, _K_MONTH_CUE_PAST_FUTURE) if i > 0 else None
                cued = p.by_clitic_b or (cue is not None and cue.j == i)
                if not cued:
                    i += 1
                    continue
            if p.ambiguous and p.year is None and p.day is not None and _modal_may(tk, p):
                i += 1  # "those 4 may have died": a verb, not a month
                continue
            emit_date(p)
            i = p.j
            continue
        # ---- a year alone: "عام 2013", "in 2015"
        yc = P.mt(i, _K_YEAR_CUE) if "year_cue" in ks else None
        if yc is not None:
            y = P.year_at(yc.j)
            if y is not None and not (yc.j + 1 < n and ts[yc.j + 1] == "-" and P.year_at(yc.j + 2)):
                out.append(_Raw(ss[i], es[yc.j], "year", a=_P(i, yc.j + 1, None, None, y)))
                i = yc.j + 1
                continue
        i += 1
    return out


# per token string: 2 when a date may start there (a digit, a strong date word), 1 when it is a
# connector (من، في، in, the ...) that starts one only before a digit or a strong or month-part
# word, 0 otherwise; and whether it is such a word
_STARTS: dict[str, int] = {}
_OPENS_AFTER: dict[str, bool] = {}


def _starters(v: Vocab, tk: Tokens) -> list[int]:
    """Indices of the tokens a date may start at: a digit, a strong date word, or a connector
    just before a digit or a strong or month-part word."""
    ts = tk.ts
    missing = tk.distinct().difference(_STARTS)
    if missing:
        if len(_STARTS) + len(missing) > 200_000:
            _STARTS.clear()
            _OPENS_AFTER.clear()
            missing = set(ts)
        kinds_of = v.kinds_of
        for t in missing:
            ks = kinds_of(t)
            digit = t[0].isdigit()
            _STARTS[t] = 2 if digit or not ks.isdisjoint(_STRONG) else 1 if not ks.isdisjoint(_WEAK) else 0
            _OPENS_AFTER[t] = digit or not ks.isdisjoint(_STRONG_OR_MOD)
    code = _STARTS.__getitem__
    last = len(ts) - 1
    return [i for i in compress(range(len(ts)), map(code, ts))
            if code(ts[i]) == 2 or (i < last and _OPENS_AFTER[ts[i + 1]])]


_MAY_BEFORE = frozenset({"on", "of", "since", "until", "from", "by", "between", "and", "to", "the", "le", "du", "au"})


def _modal_may(tk: Tokens, p: _P) -> bool:
    """An ambiguous Latin month after a day ("4 may", "4 march") followed by a word, with no date preposition."""
    if p.j >= tk.n or p.i == 0:
        return p.j < tk.n and tk.ts[p.j].isascii() and tk.ts[p.j].isalpha()
    nxt = tk.ts[p.j]
    return nxt.isascii() and nxt.isalpha() and tk.ts[p.i - 1] not in _MAY_BEFORE


def _tok_after(tk: Tokens, end: int) -> int:
    return bisect_left(tk.ss, end)


def _try_list(P: _Parser, a: _P, depth: int = 0) -> list[_P] | None:
    """``a`` (a day, maybe with a month) و/and/, ``b`` (a day, maybe with month/year) sharing what is
    missing; "24, 25 and 30 March": a day list goes on up to the day that gives the month."""
    tk = P.tk
    j = a.j
    conn = P.mt(j, _K_RANGE_AND)
    if conn is None and P.is_tok(j, ","):
        conn = Match("range_and", "-", j + 1, "", (",",))
    glued_wa = conn is None and j < tk.n and tk.ts[j][0] == "و" and len(tk.ts[j]) > 1 and is_arabic(tk.ts[j])
    if conn is None and not glued_wa:
        return None
    b = P.parse_date(conn.j if conn else j, allow_bare_day=True)
    if b is None or b.day is None:
        return None
    if a.month is None and b.same_month:
        a.same_month, a.bare_day, b.bare_day = True, False, False  # "يومي 11 و18 من الشهر ذاته"
        return [a, b]
    if a.month is None and b.month is None:
        rest = _try_list(P, b, depth + 1) if b.bare_day and depth < 6 else None
        if rest is None or rest[-1].month is None:
            return None
        a.month, a.year, a.same_month = rest[-1].month, rest[-1].year, rest[-1].same_month
        if not a.same_month and not _valid(a.year, a.month, a.day):
            return None
        a.bare_day = False
        return [a, *rest]
    if a.month is not None and b.month is not None:
        return None  # two full dates: each stands alone
    if a.month is None:
        a.month = b.month
    if b.month is None:
        b.month = a.month
    if a.year is None and b.year is not None:
        a.year = b.year
    if not _valid(a.year, a.month, a.day) or not _valid(b.year, b.month, b.day):
        return None
    a.bare_day = b.bare_day = False
    return [a, b]


# words that number a heading ("Incident 3 - 30 March 2017", "الحادثة 2 - 25 آذار")
_LABELS = frozenset({"incident", "case", "attack", "no", "number", "item", "annex", "paragraph", "table",
                     "حادثه", "الحادثه", "الواقعه", "واقعه", "رقم", "الهجوم", "هجوم", "الحاله", "حاله"})


def _try_range(P: _Parser, i: int, k: int, *, opener: bool, first: _P | None = None) -> _Raw | None:
    tk = P.tk
    a = first if first is not None else P.parse_date(k, allow_bare_day=True)
    if a is None:
        return None
    j = a.j
    if P.is_tok(j, ","):
        j += 1
    conn = P.mt(j, _K_RANGE_TO)
    if conn is None and opener:
        conn = P.mt(j, _K_RANGE_AND)
    if conn is not None:
        bstart = conn.j
        if conn.phrase == ("و",) and not opener:
            return None
    elif opener and j < tk.n and tk.ts[j][0] == "و" and len(tk.ts[j]) > 1 and is_arabic(tk.ts[j]):
        bstart = j  # glued و: "والخامس من أيلول"
    else:
        return None
    b = P.parse_date(bstart, allow_bare_day=True)
    if b is None:
        return None
    if a.month is None and b.month is None:
        return None
    if a.bare_day and b.month is None:
        return None
    if not opener and (a.bare_day or b.bare_day) and conn is not None and conn.phrase == ("-",) \
            and not tk.glued(j) and a.bare_day and b.month is None:
        return None
    if not opener and a.bare_day and conn is not None and conn.phrase == ("-",) and i > 0 \
            and tk.ts[i - 1] in _LABELS:
        return None  # "Incident 3 - 30 March 2017": a numbered heading, not a range
    if a.month is None:
        a.month = b.month
    if b.month is None:
        b.month = a.month
    if a.day is None and b.day is None and a.mod is None and b.mod is None and a.year is None and b.year is None \
            and not opener:
        return None
    if a.same_year or a.year is None:
        a.year = b.year
    if b.same_year or b.year is None:
        b.year = a.year
    if a.day is not None and not _valid(a.year, a.month, a.day):
        return None
    if b.day is not None and not _valid(b.year, b.month, b.day):
        return None
    # "between 17 December and 13 January 2017": the first end is in the year before
    if a.year is not None and a.year == b.year and a.month is not None and b.month is not None \
            and (a.month, a.day or 1) > (b.month, b.day or 31):
        a.year -= 1
    return _Raw(tk.ss[i], tk.es[b.j - 1], "range", a=a, b=b)


# --------------------------------------------------------------------------- dateline


_DATELINE_LABELS = ("reuters", "afp", "ap", "published", "updated", "posted", "نشر", "تاريخ", "العدد", "تحديث",
                    "aktualisiert", "publie", "mis a jour")


_DATELINE_NOISE = re.compile(
    r"(?<![a-z])(?:\d{1,2}\.\d{2}\s*)?(?:gmt|bst|utc|cet|cest|edt|est|am|pm|a\.m\.|p\.m\.|"
    r"last updated|updated|published|posted|on|at|mon|tue|wed|thu|fri|sat|sun)(?![a-z])"
    r"|(?<!\w)(?:بتوقيت\s+\S+|تاريخ النشر|اخر تحديث|تحديث|نشر\s+في|نشر)(?!\w)"
)


# a list entry's mark before a date ("* ", "• ", "3. ", "3- ") and a record's place label after
# it ("11 نيسان 2014 – كفرزيتا (ريف حماة):"): such a line tells an event, it dates no text
_LIST_MARK = re.compile(r"\s*(?:[*•·▪◦]|\d{1,3}\s*[-.)])\s*")
_RECORD_LABEL = re.compile(r"\s*[-–—]\s*(?:[^\W\d_]+[\s-]*){1,3}(?:\([^)\n]{0,40}\)\s*)?:")


# after a wire's dateline: "(AP) —", "(Reuters) -", " - ", "(رويترز) -"
_WIRE_AFTER = re.compile(r"[ \t]*(?:\([^()\n\d]{2,30}\)[ \t]*)?[-–—][ \t]")
# before it: nothing, or the city and country ("RAMADI, Iraq, ", "دمشق، ")
_WIRE_BEFORE = re.compile(r"[ \t]*(?:[^\W\d][^\n,،\d]{1,28}[,،][ \t]*){0,3}")


# a line's head that is only a place and a comma ("جنيف، ", "geneva, ")
_CITY_COMMA = re.compile(r"\s*[^\W\d_]+(?:[ -][^\W\d_]+)?\s*[,،]\s*")


def _dateline_raw(folded: str, raws: list[_Raw]) -> _Raw | None:
    for r in raws:
        if r.start > 600:
            break
        if r.kind != "date" or r.a is None or r.a.year is None or r.a.day is None or r.year_from_group:
            continue
        ls = folded.rfind("\n", max(0, r.start - 300), r.start) + 1
        if ls == 0 and r.start > 300:
            continue  # the line is long: not a date line
        if r.start - ls <= 40 and _WIRE_AFTER.match(folded, r.end) and _WIRE_BEFORE.fullmatch(folded, ls, r.start):
            return r  # "RAMADI, Iraq, April 7, 2007 (AP) — A suicide bomber ...": the wire's dateline
        le = folded.find("\n", r.end, r.end + 300)
        if le < 0:
            if len(folded) > r.end + 300:
                continue
            le = len(folded)
        before, after = folded[ls : r.start], folded[r.end : le]
        if (before + after).count("|") >= 2:
            continue  # a table row: "21 April 2014 | Talmenes | chlorine | helicopter"
        if _LIST_MARK.fullmatch(before) or _RECORD_LABEL.match(after):
            continue  # a list entry or a record: "* 11 نيسان 2014 – كفرزيتا: ألقت مروحيات ...""
        if not after.strip(" .") and _CITY_COMMA.fullmatch(before):
            return r  # "جنيف، 6 أيلول/سبتمبر 2017", "GENEVA, 6 September 2017": a city and the date alone
        rest = re.sub(r"\d{1,2}:\d{2}(:\d{2})?", " ", before + " " + after)
        # "Last updated: 5 April 2017 10:30 GMT", "Wed 5 Apr 2017 12.05 BST": times, zones, labels
        rest = _DATELINE_NOISE.sub(" ", rest)
        letters = sum(1 for ch in rest if ch.isalpha())
        if letters == 0:
            return r
        at_edge = not before.strip(" -|,:()") or not after.strip(" -|,:().")
        marked = any(c in rest for c in "|-(:") or any(lbl in rest.split() for lbl in _DATELINE_LABELS)
        if marked and letters <= 40 and (at_edge or letters <= 12):
            return r
        a = after.lstrip()
        if len(before) <= 40 and a[:1] in ("-", "–", "—", "|", "(") and (
                a[:1] != "(" or any(c in a[:30] for c in "-–—")):
            return r  # "RAMADI, Iraq, April 7, 2007 (AP) —"
    return None


def find_dateline(folded: str) -> dt.date | None:
    """The text's own publication date line, if it has one near its top.

    Accepted: a day-precision date with a written year in the first 600
    characters, on a line that is (almost) only the date ("02.11.2017 | 23:43",
    "عنب بلدي – العدد 112 ـ الأحد13/4/2014"), or that opens the line's body
    ("(Reuters) April 5, 2017 - ...", "BEIRUT, April 5, 2017 (Reuters) - ...").
    """
    raws = _scan_cached(folded)
    r = _dateline_raw(folded, raws)
    if r is None or r.a is None or r.a.year is None or r.a.month is None or r.a.day is None:
        return None
    return dt.date(r.a.year, r.a.month, r.a.day)


# --------------------------------------------------------------------------- resolution


def _month_span(y: int, m: int) -> tuple[dt.date, dt.date]:
    return dt.date(y, m, 1), dt.date(y, m, _days_in(y, m))


def _end_date(p: _P, y: int, which: str) -> dt.date:
    assert p.month is not None
    if p.day is not None:
        return dt.date(y, p.month, p.day)
    last = _days_in(y, p.month)
    if which == "first":
        return dt.date(y, p.month, last if p.mod == "end" else 1)
    return dt.date(y, p.month, 1 if p.mod == "start" else last)


def _placeholder_year(m: int, d: int | None) -> int:
    return 4 if (m == 2 and d == 29) else PLACEHOLDER_YEAR


def _placeholder(d: dt.date) -> dt.date:
    return d if (d.month == 2 and d.day == 29) else d.replace(year=PLACEHOLDER_YEAR)


def _shift_months(y: int, m: int, k: int) -> tuple[int, int]:
    idx = y * 12 + (m - 1) + k
    return idx // 12, idx % 12 + 1


@lru_cache(maxsize=1)
def tokens_of(folded: str) -> Tokens:
    """The tokens of a folded text, shared by the date and number finders (cached for the last few texts)."""
    with no_gc():
        return Tokens(folded)


@lru_cache(maxsize=1)
def _scan_cached(folded: str) -> list[_Raw]:
    with no_gc():
        return _scan(tokens_of(folded))


def date_spans(folded: str) -> list[tuple[int, int]]:
    """Character spans of all date mentions (before year resolution), in order."""
    return [(r.start, r.end) for r in _scan_cached(folded)]


def find_dates(folded: str, *, dateline: dt.date | None = None) -> list[DateMention]:
    """Every date mention in ``folded`` (offsets into it), in text order.

    ``dateline``: the text's own publication date. When None, the dateline
    found in the text by :func:`find_dateline` is used (if any): the
    annotation rules only allow a dateline that appears in the text itself.
    """
    with no_gc():
        return _find_dates(folded, dateline)


def _find_dates(folded: str, dateline: dt.date | None) -> list[DateMention]:
    raws = _scan_cached(folded)
    dl_raw = _dateline_raw(folded, raws)
    if dateline is None and dl_raw is not None:
        assert dl_raw.a is not None and dl_raw.a.year and dl_raw.a.month and dl_raw.a.day
        dateline = dt.date(dl_raw.a.year, dl_raw.a.month, dl_raw.a.day)
    # year-bearing mentions for context
    yb_starts: list[int] = []
    yb: list[tuple[int, int, bool]] = []  # (end, year, is_dateline)
    for r in raws:
        y = r.explicit_year
        if y is not None:
            yb_starts.append(r.start)
            yb.append((r.end, y, r is dl_raw))
    out: list[DateMention] = []
    for r in raws:
        if r.kind == "relnext":
            m: DateMention | None = _next_day(r, out)
        elif r.kind == "samemonth":
            m = _same_month(r, out)
        else:
            m = _resolve(folded, r, dateline, yb_starts, yb)
        if m is not None:
            out.append(m)
    return out


def _same_month(r: _Raw, before: list[DateMention]) -> DateMention:
    """"22 من الشهر ذاته": that day of the month of the last date told before it (unknown without one)."""
    assert r.a is not None and r.a.day is not None
    for d in reversed(before):
        if d.precision not in ("day", "month") or d.year_source is None or d.first == UNKNOWN_DATE:
            continue
        if _valid(d.last.year, d.last.month, r.a.day):
            d0 = dt.date(d.last.year, d.last.month, r.a.day)
            return DateMention(r.start, r.end, d0, d0, "day", False, "relative", d.year_source)
        break
    return DateMention(r.start, r.end, UNKNOWN_DATE, UNKNOWN_DATE, "day", False, "relative", None)


def _next_day(r: _Raw, before: list[DateMention]) -> DateMention:
    """"The next day": the last day-precision date told before it, plus the offset (unknown without one)."""
    for d in reversed(before):
        if d.precision != "day":
            continue
        if d.year_source is None or d.first == UNKNOWN_DATE:
            break
        d0 = d.last + dt.timedelta(days=r.offset)
        return DateMention(r.start, r.end, d0, d0, "day", False, "relative", d.year_source)
    return DateMention(r.start, r.end, UNKNOWN_DATE, UNKNOWN_DATE, "day", False, "relative", None)


def _context_year(folded: str, r: _Raw, month: int, day: int | None, dateline: dt.date | None,
                  yb_starts: list[int], yb: list[tuple[int, int, bool]]) -> tuple[int | None, str | None]:
    """Year for a mention that has none: preceding written year, dateline, following year in the sentence."""

    def adjust(y: int) -> int:
        # a past event reported on the dateline: a day after the dateline belongs to the year before
        if dateline is not None and y == dateline.year and r.rel != "future" \
                and (month, day or 1) > (dateline.month, dateline.day):
            return y - 1
        return y

    k = bisect_left(yb_starts, r.start) - 1
    if k >= 0:
        _end, y, is_dl = yb[k]
        if is_dl:
            return adjust(y), "dateline"
        return y, "context"
    if dateline is not None:
        return adjust(dateline.year), "dateline"
    k = bisect_right(yb_starts, r.end)
    if k < len(yb_starts):
        nxt = yb_starts[k]
        between = folded[r.end : nxt]
        if nxt - r.end <= 400 and not _SENTENCE_END.search(between):
            return yb[k][1], "context"
    return None, None


def _resolve(folded: str, r: _Raw, dl: dt.date | None, yb_starts: list[int],
             yb: list[tuple[int, int, bool]]) -> DateMention | None:
    try:
        return _resolve_inner(folded, r, dl, yb_starts, yb)
    except ValueError:
        return None  # an impossible date (31 April): not a date


def _resolve_inner(folded: str, r: _Raw, dl: dt.date | None, yb_starts: list[int],
                   yb: list[tuple[int, int, bool]]) -> DateMention | None:
    S, E = r.start, r.end
    y: int | None
    if r.kind == "year":
        assert r.a is not None and r.a.year is not None
        y = r.a.year
        return DateMention(S, E, dt.date(y, 1, 1), dt.date(y, 12, 31), "year", True, "absolute", "mention")
    if r.kind == "date":
        p = r.a
        assert p is not None and p.month is not None
        prec = "day" if p.day is not None else "month"
        if p.year is not None:
            has = not r.year_from_group
            if p.day is not None:
                d0 = dt.date(p.year, p.month, p.day)
                return DateMention(S, E, d0, d0, prec, has, "absolute", "mention")
            f, la = _month_span(p.year, p.month)
            return DateMention(S, E, f, la, prec, True, "absolute", "mention")
        r.rel = p.rel
        src: str | None
        if p.rel_year is not None:
            y, src = (dl.year + p.rel_year, "dateline") if dl is not None else (None, None)
        elif p.rel is not None and dl is not None:
            y, src = _rel_month_year(p, dl), "dateline"
        else:
            y, src = _context_year(folded, r, p.month, p.day, dl, yb_starts, yb)
        if y is None:
            py = _placeholder_year(p.month, p.day)
            if p.day is not None:
                d0 = dt.date(py, p.month, p.day)
                return DateMention(S, E, d0, d0, prec, False, "yearless", None)
            f, la = _month_span(py, p.month)
            return DateMention(S, E, f, la, prec, False, "yearless", None)
        if p.day is not None:
            d0 = dt.date(y, p.month, p.day)
            return DateMention(S, E, d0, d0, prec, False, "yearless", src)
        f, la = _month_span(y, p.month)
        return DateMention(S, E, f, la, prec, False, "yearless", src)
    if r.kind == "range":
        a, b = r.a, r.b
        assert a is not None and b is not None and a.month is not None and b.month is not None
        prec = "month" if (a.day is None and b.day is None and a.mod is None and b.mod is None) else "day"
        if b.year is not None and a.year is not None:
            return DateMention(S, E, _end_date(a, a.year, "first"), _end_date(b, b.year, "last"), prec, True,
                               "range", "mention")
        yb_, src = _context_year(folded, r, b.month, b.day, dl, yb_starts, yb)
        if yb_ is None:
            f0, l0 = _end_date(a, 4, "first"), _end_date(b, 4, "last")
            return DateMention(S, E, _placeholder(f0), _placeholder(l0), prec, False, "range", None)
        f0, l0 = _end_date(a, yb_, "first"), _end_date(b, yb_, "last")
        if f0 > l0:
            f0 = _end_date(a, yb_ - 1, "first")
        return DateMention(S, E, f0, l0, prec, False, "range", src)
    # relative kinds
    if dl is None:
        prec = {"week": "day", "month": "month", "year": "year"}.get(r.unit, "day") if r.kind == "relperiod" \
            else "day"
        return DateMention(S, E, UNKNOWN_DATE, UNKNOWN_DATE, prec, False, "relative", None)
    if r.kind == "relday":
        d0 = dl + dt.timedelta(days=r.offset)
        return DateMention(S, E, d0, d0, "day", False, "relative", "dateline")
    if r.kind == "weekday":
        delta = (dl.weekday() - r.weekday) % 7
        if r.rel == "future":
            fwd = (r.weekday - dl.weekday()) % 7 or 7
            d0 = dl + dt.timedelta(days=fwd)
        else:
            if r.rel == "past" and delta == 0:
                delta = 7
            d0 = dl - dt.timedelta(days=delta)
        return DateMention(S, E, d0, d0, "day", False, "relative", "dateline")
    if r.kind == "monthday":
        assert r.a is not None and r.a.day is not None
        y2, m2 = _shift_months(dl.year, dl.month, r.offset)
        d0 = dt.date(y2, m2, r.a.day)
        return DateMention(S, E, d0, d0, "day", False, "relative", "dateline")
    if r.kind == "relperiod":
        if r.unit == "week":
            if r.offset < 0:
                return DateMention(S, E, dl - dt.timedelta(days=7), dl - dt.timedelta(days=1), "day", False,
                                   "relative", "dateline")
            start = dl - dt.timedelta(days=(dl.weekday() + 2) % 7)  # the week that began on Saturday
            return DateMention(S, E, start, start + dt.timedelta(days=6), "day", False, "relative", "dateline")
        if r.unit == "month":
            y2, m2 = _shift_months(dl.year, dl.month, r.offset)
            f, la = _month_span(y2, m2)
            return DateMention(S, E, f, la, "month", False, "relative", "dateline")
        y2 = dl.year + r.offset
        return DateMention(S, E, dt.date(y2, 1, 1), dt.date(y2, 12, 31), "year", False, "relative", "dateline")
    return None


def _rel_month_year(p: _P, dl: dt.date) -> int:
    """"مارس الماضي": the latest March before the dateline; "المقبل": the next one after it."""
    assert p.month is not None
    key = (p.month, p.day or 0)
    now = (dl.month, dl.day if p.day is not None else 0)
    if p.rel == "future":
        return dl.year if key > now else dl.year + 1
    if p.day is None:
        return dl.year if p.month < dl.month else dl.year - 1
    return dl.year if key < now else dl.year - 1


# --------------------------------------------------------------------------- roles


@lru_cache(maxsize=1)
def _role_regex() -> tuple[re.Pattern[str], dict[str, str], list[tuple[str, str]]]:
    rows = read_tsv(DATA_DIR / "date_roles.tsv", 2)
    exact: dict[str, str] = {}
    stems: list[tuple[str, str]] = []
    for role, cue in rows:
        if role not in ("attack", "event"):
            raise VocabError(f"{DATA_DIR / 'date_roles.tsv'}: unknown role {role!r} (attack|event)")
        is_stem = cue.endswith("*")
        f = fold_str(cue.rstrip("*"))
        if not f:
            continue
        if is_stem:
            stems.append((f, role))
        else:
            exact.setdefault(f, role)
    stems.sort(key=lambda s: -len(s[0]))
    alts = sorted({re.escape(s) + r"[^\W\d_]*" for s, _ in stems} | {re.escape(e) + r"(?![^\W\d_])" for e in exact},
                  key=len, reverse=True)
    pat = re.compile(r"(?<![^\W\d_])(?:وال|بال|فال|كال|ولل|فلل|لل|ال|و|ف|ب|ل|ك)?(" + "|".join(alts) + ")")
    return pat, exact, stems


def _role_of(word: str, exact: dict[str, str], stems: list[tuple[str, str]]) -> str | None:
    if word in exact:
        return exact[word]
    for s, role in stems:
        if word.startswith(s):
            return role
    return None


def date_role(folded: str, m: DateMention, *, window: int = 160) -> str:
    """"attack" | "event" | "unknown": the role of the nearest cue word near the date.

    Looks first before the mention, within its sentence (at most ``window``
    characters), taking the cue nearest to it; if there is none, after it,
    up to the end of its clause (at most 80 characters).
    """
    pat, exact, stems = _role_regex()
    lo = max(0, m.start - window)
    before = folded[lo : m.start]
    cut = max(before.rfind("."), before.rfind("\n"), before.rfind("!"), before.rfind("?"), before.rfind(";"))
    if cut >= 0:
        before = before[cut + 1 :]
    best: str | None = None
    for mt in pat.finditer(before):
        role = _role_of(mt.group(1), exact, stems)
        if role is not None:
            best = role
    if best is not None:
        return best
    after = folded[m.end : m.end + 80].lstrip(" ,")
    stop = re.search(r"[.\n!?;,]", after)
    if stop:
        after = after[: stop.start()]
    for mt in pat.finditer(after):
        role = _role_of(mt.group(1), exact, stems)
        if role is not None:
            return role
    return "unknown"
