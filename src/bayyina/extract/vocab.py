"""The extractor's vocabulary (agents, means, actors, bodies, cue words), loaded
from ``data/vocabulary.toml`` and compiled into one matcher per group.

A pattern is a regular expression over folded text (see
:mod:`bayyina.text.normalize`). Arabic patterns are given the proclitics
و ف ب ل ك and the article ال / لل automatically; every pattern must match
whole words.

Matching engine. Each code of a group is one regular expression (Arabic
alternatives behind the proclitics, then English ones); its hits are the
non-overlapping leftmost matches that ``re.finditer`` would give. Scanning
every position of a text with 56 such expressions costs microseconds per
character, so the scan is narrowed first: from every alternative we derive
the literal strings any of its matches must begin with ("keys": ``طائرات?
حربي\\w*`` gives ``طائرات حربي`` and ``طائره حربي``, ``air ?strikes?`` gives
``air`` …), and one Aho-Corasick pass over the text finds where keys occur.
A match of an Arabic alternative starts at a word start at most four
proclitic letters before its key; an English one starts on its key. The
expression is then tried (``rx.match``) only at those candidate positions, in
order, resuming after each hit exactly as ``finditer`` does, so the Terms are
the same as a full scan's. Expressions whose keys cannot be derived (none
today) fall back to the full scan.

The automaton pass covers at first every group; every ``_REVIEW`` texts, the
groups asked for on less than half of the characters scanned (the pipeline
looks up ``locative``, ``locator`` ... only in short windows) move to a second
automaton, run over a text only when one of them is asked for. The candidates
are the same either way; a text costs fewer automaton hits.
"""

from __future__ import annotations

import re
import threading
import tomllib
from functools import lru_cache
from importlib import resources
from typing import Any

import ahocorasick

from bayyina.text.normalize import fold_str

try:  # the regex parser: public as sre_parse until 3.11, re._parser after
    from re import _parser as _sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    import sre_parse as _sre_parse  # type: ignore[no-redef]

_sre_constants = _sre_parse  # the opcode names are re-exported by the parser module

# proclitics: conjunction, then preposition, then the article ("وبالغوطة", "للغوطة")
_AR_PREFIX = r"(?:[وف])??(?:[بلك])??(?:ال|ل)??"  # lazy: a whole pattern ("بالقرب من") beats prefix + a shorter one
_AR_BEFORE = r"(?<![\w])"
_AR_AFTER = r"(?:ا(?![\w]))?(?![\w])"  # the accusative's alef ("صاروخاً", "برميلاً", "غازاً")
_EN_BEFORE = r"(?<![a-z0-9])"
_EN_AFTER = r"(?![a-z0-9])"

# how many letters _AR_PREFIX may consume at most ("وبال"; which ones: _is_prefix_letter)
_PREFIX_MAX = 4
_KEY_MAX = 24  # longer literal keys select no better
_KEY_SET_MAX = 64  # alternatives expanded per pattern before the key is cut short
# a text shorter than this is scanned by the expressions directly (windows passed to ``has``)
_SHORT = 48
# the automaton pass over a text covers at first every group; every _REVIEW texts the groups
# asked for on fewer than _HOT_SHARE of the characters scanned move to a second automaton,
# run over a text only when one of them is asked for (same candidates, less work per text)
_REVIEW = 64
_HOT_SHARE = 0.5


class Term:
    """One vocabulary hit in folded text (a value: equal when its four fields are; never changed).

    A plain class, not a frozen dataclass: compiled (mypyc), a frozen dataclass is built through
    ``object.__setattr__``, about 9x slower, and a document makes some 180 of them."""

    __slots__ = ("code", "end", "group", "start")

    def __init__(self, start: int, end: int, group: str, code: str) -> None:
        self.start = start
        self.end = end
        self.group = group  # "agents", "means", "actors", "bodies", or a cue name such as "attack"
        self.code = code  # the contract code, or the cue name again for cues

    def _key(self) -> tuple[int, int, str, str]:
        return (self.start, self.end, self.group, self.code)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Term):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"Term(start={self.start!r}, end={self.end!r}, group={self.group!r}, code={self.code!r})"


def _fold_pattern(p: str) -> str:
    # fold the letters of a pattern but keep its regex syntax
    out = []
    for ch in p:
        out.append(ch if (ch.isascii() or ch in "\\") else fold_str(ch) or "")
    return "".join(out)


def _strip_article(p: str) -> str:
    """A leading article is optional (``_AR_PREFIX`` may supply it): "الهجوم" also matches
    "بهجوم". A pattern written with a leading ``=`` is kept whole: its ال is part of the
    word ("=القت", she dropped: stripped it would be "قت" and match "وقت", time)."""
    if p.startswith("="):
        return p[1:]
    return p[2:] if p.startswith("ال") and len(p) > 3 else p


def _alternatives(ar: list[str], en: list[str]) -> tuple[list[str], list[str]]:
    ar_alts = sorted({_strip_article(_fold_pattern(p)) for p in ar}, key=len, reverse=True)
    en_alts = sorted({p.lower() for p in en}, key=len, reverse=True)
    return ar_alts, en_alts


def _compile(ar_alts: list[str], en_alts: list[str]) -> re.Pattern[str] | None:
    """One code's expression from its folded alternatives (see :func:`_alternatives`)."""
    alts: list[str] = []
    if ar_alts:
        alts.append(_AR_BEFORE + _AR_PREFIX + "(?:" + "|".join(ar_alts) + ")" + _AR_AFTER)
    if en_alts:
        alts.append(_EN_BEFORE + "(?:" + "|".join(en_alts) + ")" + _EN_AFTER)
    if not alts:
        return None
    return re.compile("|".join(alts))


# ------------------------------------------------------------------ keys
def _class_chars(items: Any) -> list[str] | None:
    """The characters of a small positive character class, or None."""
    chars: list[str] = []
    for op, av in items:
        if op is _sre_constants.LITERAL:
            chars.append(chr(av))
        elif op is _sre_constants.RANGE and av[1] - av[0] < 16:
            chars.extend(chr(c) for c in range(av[0], av[1] + 1))
        else:  # NEGATE, CATEGORY, large ranges
            return None
    return chars


def _walk(items: Any, states: set[tuple[str, bool]]) -> set[tuple[str, bool]]:
    """Extend partial prefixes ``(text, open)`` through a parsed sequence.

    Every string the sequence matches after a partial ``text`` begins with one
    of the returned texts; a closed partial is not extended further.
    """
    for op, av in items:
        opened = {s for s, o in states if o}
        if not opened:
            break
        closed = {(s, False) for s, o in states if not o}
        new: set[tuple[str, bool]]
        if op is _sre_constants.LITERAL:
            new = {(s + chr(av), True) for s in opened}
        elif op is _sre_constants.IN:
            chars = _class_chars(av)
            if chars is None:
                new = {(s, False) for s in opened}
            else:
                new = {(s + c, True) for s in opened for c in chars}
        elif op is _sre_constants.SUBPATTERN:
            _group, add_flags, del_flags, sub = av
            if add_flags or del_flags:
                new = {(s, False) for s in opened}
            else:
                new = _walk(sub, {(s, True) for s in opened})
        elif op is _sre_constants.BRANCH:
            new = set()
            for alt in av[1]:
                new |= _walk(alt, {(s, True) for s in opened})
        elif op in (_sre_constants.MAX_REPEAT, _sre_constants.MIN_REPEAT):
            lo, hi, sub = av
            if lo == 0 and hi == 1:  # optional: skipped, or taken once
                new = {(s, True) for s in opened} | _walk(sub, {(s, True) for s in opened})
            elif lo >= 1:  # at least once: what one repetition begins with, then unknown
                new = {(s, False) for s, _ in _walk(sub, {(s, True) for s in opened})}
            else:
                new = {(s, False) for s in opened}
        else:  # classes such as \w, anchors, assertions, '.': unknown from here on
            new = {(s, False) for s in opened}
        new = {(s, o and len(s) < _KEY_MAX) for s, o in new}
        if len(new) > _KEY_SET_MAX:
            # too many spellings: keep the shortest common beginnings seen so far
            new = {(s, False) for s, o in states if o}
        states = closed | new
    return states


def _keys(pattern: str) -> set[str] | None:
    """Literal strings one of which begins every match of ``pattern``; None if unknown."""
    try:
        parsed = _sre_parse.parse(pattern)
    except re.error:  # pragma: no cover - the pattern compiled already
        return None
    lo, _hi = parsed.getwidth()
    if lo == 0:
        return None  # could match the empty string: leave it to the full scan
    keys = {s for s, _ in _walk(list(parsed), {("", True)})}
    if not keys or "" in keys:
        return None
    return keys


class _Matcher:
    """One code's compiled expression and the keys its matches begin with."""

    __slots__ = ("ar_keys", "code", "en_keys", "index", "rx")

    def __init__(self, code: str, rx: re.Pattern[str], ar_alts: list[str], en_alts: list[str]) -> None:
        self.code = code
        self.index = -1  # its place among all matchers (set by the Vocabulary)
        self.rx = rx
        self.ar_keys: set[str] | None = set()
        self.en_keys: set[str] | None = set()
        for alts, attr in ((ar_alts, "ar_keys"), (en_alts, "en_keys")):
            acc: set[str] | None = set()
            for alt in alts:
                k = _keys(alt)
                if k is None or acc is None:
                    acc = None
                    continue
                acc |= k
            setattr(self, attr, acc)

    @property
    def indexed(self) -> bool:
        return self.ar_keys is not None and self.en_keys is not None


class Vocabulary:
    """Compiled vocabulary groups; ``find(group, text)`` yields :class:`Term` hits."""

    GROUPS = ("agents", "means", "actors", "bodies")

    def __init__(self, data: dict[str, Any]) -> None:
        self._matchers: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
        self._engines: dict[str, list[_Matcher]] = {}
        self.investigative: set[str] = set()
        self.default_means: dict[str, str] = {}  # agent -> means when the text names none
        self.backs: dict[str, frozenset[str]] = {}  # body -> the parties it denies for (itself and its allies)
        for group in self.GROUPS:
            entries: list[tuple[str, re.Pattern[str]]] = []
            engines: list[_Matcher] = []
            for code, spec in data.get(group, {}).items():
                ar, en = _alternatives(list(spec.get("ar", [])), list(spec.get("en", [])))
                rx = _compile(ar, en)
                if rx is not None:
                    entries.append((code, rx))
                    engines.append(_Matcher(code, rx, ar, en))
                if group == "bodies" and spec.get("investigative"):
                    self.investigative.add(code)
                if group == "bodies" and spec.get("backs"):
                    self.backs[code] = frozenset([code, *map(str, spec["backs"])])
                if group == "agents" and spec.get("default_means"):
                    self.default_means[code] = str(spec["default_means"])
            self._matchers[group] = entries
            self._engines[group] = engines
        self.body_codes: frozenset[str] = frozenset(data.get("bodies", {}))  # who may speak (``by``)
        cues = data.get("cues", {})
        names = {k.rsplit("_", 1)[0] for k in cues}
        for name in sorted(names):
            ar, en = _alternatives(list(cues.get(f"{name}_ar", [])), list(cues.get(f"{name}_en", [])))
            rx = _compile(ar, en)
            if rx is not None:
                self._matchers[name] = [(name, rx)]
                self._engines[name] = [_Matcher(name, rx, ar, en)]
        self._build_index()
        # the last text's candidates, per thread: the web app and a threaded Dask worker extract
        # several texts at once with this one vocabulary
        self._last = threading.local()

    # ------------------------------------------------------------ index
    def _build_index(self) -> None:
        """The matchers in one list (a matcher's ``index`` is its place in candidate lists), and
        the automata: at first one over the keys of every group."""
        self._all: list[_Matcher] = [m for ms in self._engines.values() for m in ms]
        for i, m in enumerate(self._all):
            m.index = i
        self._hot: frozenset[str] = frozenset(self._engines)
        self._asked_chars: dict[str, int] = dict.fromkeys(self._engines, 0)
        self._seen_texts = 0
        self._seen_chars = 0
        self._make_automata()

    def _make_automata(self) -> None:
        cold = frozenset(self._engines) - self._hot
        # (eager, lazy) replaced as one value: a text's candidates come from one pair
        self._indexes = (
            _Index.build([m for g in self._hot for m in self._engines[g]], self._hot),
            _Index.build([m for g in cold for m in self._engines[g]], cold),
        )

    def _review(self, text: str) -> None:
        """Every ``_REVIEW`` texts: the groups asked for on at least ``_HOT_SHARE`` of the
        characters scanned get the eager pass, the others a second pass when first asked for."""
        self._seen_texts += 1
        self._seen_chars += len(text)
        if self._seen_texts < _REVIEW:
            return
        need = _HOT_SHARE * self._seen_chars
        hot = frozenset(g for g, n in self._asked_chars.items() if n >= need)
        if hot != self._hot:
            self._hot = hot
            self._make_automata()
        self._asked_chars = dict.fromkeys(self._engines, 0)
        self._seen_texts = self._seen_chars = 0

    def _candidates(self, text: str) -> _Cands:
        """For each matcher, the positions (sorted, distinct) where it may match."""
        last = self._last
        known = getattr(last, "text", None)
        if text is known or text == known:
            cands: _Cands = last.cands
            return cands
        self._review(text)
        eager, lazy = self._indexes
        cands = _Cands(text, len(self._all), lazy)
        if eager is not None:
            eager.collect(text, cands.pos)
        last.text = text
        last.cands = cands
        return cands

    def _ask(self, cands: _Cands, group: str) -> None:
        """Note that ``group`` is looked up in ``cands``' text; fill in the lazy groups' lists."""
        cands.asked.add(group)
        self._asked_chars[group] = self._asked_chars.get(group, 0) + len(cands.text)
        lazy = cands.lazy
        if lazy is not None and group in lazy.groups:
            cands.lazy = None
            lazy.collect(cands.text, cands.pos)

    def _scan(self, m: _Matcher, text: str, cands: list[list[int]] | None) -> list[tuple[int, int]]:
        """(start, end) of ``m``'s hits, as ``m.rx.finditer(text)`` gives them."""
        if cands is None or not m.indexed:
            return [(x.start(), x.end()) for x in m.rx.finditer(text)]
        out: list[tuple[int, int]] = []
        cur = 0
        match = m.rx.match
        for p in cands[m.index]:
            if p >= cur:
                x = match(text, p)
                if x is not None:
                    cur = x.end()
                    out.append((p, cur))
        return out

    # ------------------------------------------------------------ public
    @property
    def groups(self) -> list[str]:
        return list(self._matchers)

    def candidates(self, text: str) -> _Cands | None:
        """The automaton's candidate positions for ``text`` (None for short texts), to pass to
        :meth:`find` when one text is searched group by group at different times."""
        return self._candidates(text) if len(text) >= _SHORT else None

    def find(self, group: str, text: str, cands: _Cands | None = None) -> list[Term]:
        """All hits of ``group`` in ``text``; overlapping hits keep the longest. ``cands``:
        :meth:`candidates` of this very text, if the caller kept them."""
        engines = self._engines.get(group, [])
        if not engines:
            return []
        if cands is None:
            cands = self._candidates(text) if len(text) >= _SHORT else None
        pos = None
        if cands is not None:
            if group not in cands.asked:
                self._ask(cands, group)
            pos = cands.pos
        if len(engines) == 1:
            # one expression: its hits come in order and never overlap
            m = engines[0]
            code = m.code
            return [Term(s, e, group, code) for s, e in self._scan(m, text, pos) if e > s]
        # (start, -length, order found, end, code): sorted, the longest hit at a start comes
        # first and equal ones keep the order codes were tried in
        hits: list[tuple[int, int, int, int, str]] = []
        for m in engines:
            code = m.code
            for s, e in self._scan(m, text, pos):
                if e > s:
                    hits.append((s, s - e, len(hits), e, code))
        hits.sort()
        kept: list[Term] = []
        last = -1
        for s, _, _, e, code in hits:
            if s < last:
                continue
            kept.append(Term(s, e, group, code))
            last = e
        return kept

    def has(self, group: str, text: str) -> bool:
        engines = self._engines.get(group, [])
        if len(text) < _SHORT or text is not getattr(self._last, "text", None):
            for m in engines:
                if m.rx.search(text):
                    return True
            return False
        cands = self._candidates(text)
        if group not in cands.asked:
            self._ask(cands, group)
        for m in engines:
            if not m.indexed:
                if m.rx.search(text):
                    return True
                continue
            match = m.rx.match
            if any(match(text, p) for p in cands.pos[m.index]):
                return True
        return False


class _Index:
    """One Aho-Corasick automaton over the keys of some groups' matchers."""

    __slots__ = ("auto", "groups", "ids")

    def __init__(self, auto: Any, groups: frozenset[str], ids: list[int]) -> None:
        self.auto = auto
        self.groups = groups
        self.ids = ids  # the matchers whose candidate lists it fills

    @classmethod
    def build(cls, matchers: list[_Matcher], groups: frozenset[str]) -> _Index | None:
        table: dict[str, tuple[list[int], list[int]]] = {}
        ids = []
        for m in matchers:
            if not m.indexed:
                continue
            ids.append(m.index)
            for k in m.ar_keys or ():
                table.setdefault(k, ([], []))[0].append(m.index)
            for k in m.en_keys or ():
                table.setdefault(k, ([], []))[1].append(m.index)
        if not table:
            return None
        auto = ahocorasick.Automaton()
        # the ids in matcher order, as one automaton over every key would give them
        for k, (ar_ids, en_ids) in table.items():
            auto.add_word(k, (len(k), tuple(sorted(ar_ids)), tuple(sorted(en_ids))))
        auto.make_automaton()
        return cls(auto, groups, sorted(ids))

    def collect(self, text: str, cands: list[list[int]]) -> None:
        """Add the candidate positions of this index's matchers in ``text`` to ``cands``."""
        # typed reads and ord() comparisons: compiled, no one-letter strings per hit (1.6x)
        for item in self.auto.iter(text):
            end: int = item[0]
            value: tuple[int, tuple[int, ...], tuple[int, ...]] = item[1]
            klen, ar_ids, en_ids = value
            c = end - klen + 1
            if ar_ids:
                # the word start this key may follow: up to four proclitic letters back
                q = c
                lim = c - _PREFIX_MAX
                while q > lim and q > 0 and _is_prefix_letter(ord(text[q - 1])):
                    q -= 1
                if q == 0 or not ((prev := text[q - 1]).isalnum() or prev == "_"):  # not \w
                    for i in ar_ids:
                        cands[i].append(q)
            if en_ids:
                if c > 0 and _is_en_word(ord(text[c - 1])):
                    continue
                for i in en_ids:
                    cands[i].append(c)
        for i in self.ids:
            ps = cands[i]
            if len(ps) > 1:
                cands[i] = sorted(set(ps))


def _is_prefix_letter(o: int) -> bool:
    """A letter _AR_PREFIX may consume (و ف ب ل ك ا), by code point."""
    return o == 0x648 or o == 0x641 or o == 0x628 or o == 0x644 or o == 0x643 or o == 0x627


def _is_en_word(o: int) -> bool:
    """A letter or digit _EN_BEFORE refuses before a match (a-z, 0-9), by code point."""
    return 97 <= o <= 122 or 48 <= o <= 57


class _Cands:
    """Candidate positions per matcher in one text (``pos[matcher.index]``); the lazy index's
    lists are filled when one of its groups is first asked for."""

    __slots__ = ("asked", "lazy", "pos", "text")

    def __init__(self, text: str, n: int, lazy: _Index | None) -> None:
        self.pos: list[list[int]] = [[] for _ in range(n)]
        self.text = text
        self.lazy = lazy
        self.asked: set[str] = set()


@lru_cache(maxsize=1)
def default_vocabulary() -> Vocabulary:
    raw = resources.files("bayyina.extract").joinpath("data/vocabulary.toml").read_text("utf-8")
    return Vocabulary(tomllib.loads(raw))
