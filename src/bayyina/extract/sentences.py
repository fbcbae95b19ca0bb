"""Sentences and word tokens of folded text, with cheap position look-ups."""

from __future__ import annotations

import re

_TOKEN = re.compile(r"\w+", re.UNICODE)
# sentence ends: . ! ? ؟ (folded to ?) … and line breaks
# (the same as ``[.!?…]+|\n``, written to open on a character class: a search then skips ahead
# to the next end in C)
_END = re.compile(r"[.!?…\n](?:(?<=[.!?…])[.!?…]*)?")
_TERMINAL = set(".!?؟:;؛\"'»)”…")
_ABBREV = {"a.m", "p.m", "mr", "mrs", "dr", "st", "no", "gen", "col", "brig", "lt", "maj", "u.s", "u.n", "jr", "sr", "vs", "etc", "inc", "co", "e.g", "i.e"}


def bisect_left(xs: list[int], x: int, lo: int = 0) -> int:
    """``bisect.bisect_left`` on a list of ints. Compiled (mypyc), a typed loop is about twice as
    fast as calling the C function, whose arguments must be boxed; the position look-ups of the
    extraction make some thousand calls per document."""
    hi = len(xs)
    while lo < hi:
        mid = (lo + hi) >> 1
        if xs[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo


def bisect_right(xs: list[int], x: int, lo: int = 0) -> int:
    """``bisect.bisect_right`` on a list of ints (see :func:`bisect_left`)."""
    hi = len(xs)
    while lo < hi:
        mid = (lo + hi) >> 1
        if x < xs[mid]:
            hi = mid
        else:
            lo = mid + 1
    return lo


class Sentence:
    """One sentence: its place in the text's list and its [start, end) (a value, never changed;
    a plain class for the reason :class:`bayyina.extract.vocab.Term` gives)."""

    __slots__ = ("end", "index", "start")

    def __init__(self, index: int, start: int, end: int) -> None:
        self.index = index
        self.start = start
        self.end = end

    def _key(self) -> tuple[int, int, int]:
        return (self.index, self.start, self.end)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sentence):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"Sentence(index={self.index!r}, start={self.start!r}, end={self.end!r})"


class Layout:
    """Tokens and sentences of one folded text."""

    def __init__(self, text: str) -> None:
        self.text = text
        ms = list(_TOKEN.finditer(text))  # the per-match accessors run in C through map()
        self.tok_starts: list[int] = list(map(re.Match.start, ms))
        self.tok_ends: list[int] = list(map(re.Match.end, ms))
        self.sentences = self._split(text)
        self._sent_starts = [s.start for s in self.sentences]

    @staticmethod
    def _hard_wrapped(text: str) -> bool:
        """Text from a PDF or a mail, its lines broken at a fixed width, not at sentence ends."""
        lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
        if len(lines) < 5:
            return False
        wrapped = [ln for ln in lines if 45 <= len(ln) <= 110 and ln[-1] not in _TERMINAL]
        return len(wrapped) >= 0.5 * len(lines)

    @staticmethod
    def _split(text: str) -> list[Sentence]:
        out: list[Sentence] = []
        start = 0
        n = len(text)
        wrapped = Layout._hard_wrapped(text)
        for m in _END.finditer(text):
            end = m.end()
            if m.group() == "\n":
                if wrapped:
                    line_start = text.rfind("\n", 0, m.start()) + 1
                    line = text[line_start : m.start()].rstrip()
                    if len(line) >= 45 and line and line[-1] not in _TERMINAL:
                        continue  # a soft line break inside a sentence
            else:
                nxt = text[end] if end < n else " "
                k = end
                while k < n and text[k] == " ":
                    k += 1
                if k < n and text[k].isdigit():
                    continue  # 04.04.2017, "شباط. 4 ، 2018", decimals
                if nxt in "\"”»" and (end + 1 >= n or text[end + 1].isspace()) and m.group()[0] in ".!?…":
                    end += 1  # '... at the time indicated." A Syrian military source said': the quote ends too
                elif not (nxt.isspace() or nxt in ",;" or ("\u0600" <= nxt <= "\u06ff")):
                    continue  # u.s.a, 1.5
                ms = m.start()
                word = (text[max(0, ms - 4) : ms].split() or [""])[-1].lower()  # also after a line break
                if word in _ABBREV or (len(word) == 1 and word.isascii() and word.isalpha()):
                    continue
            if start < end and not text[start:end].isspace():  # not blank
                out.append(Sentence(len(out), start, end))
            start = end
        if text[start:].strip():
            out.append(Sentence(len(out), start, n))
        return out

    def sentence_at(self, pos: int) -> Sentence:
        i = bisect_right(self._sent_starts, pos) - 1
        return self.sentences[max(0, i)]

    def tokens_between(self, a: int, b: int) -> int:
        """How many tokens lie wholly inside [a, b)."""
        if b <= a:
            return 0
        return max(0, bisect_right(self.tok_ends, b) - bisect_left(self.tok_starts, a))

    def tokens_before(self, pos: int, n: int, floor: int = 0) -> int:
        """Offset where the ``n`` tokens before ``pos`` begin (not before ``floor``)."""
        i = bisect_left(self.tok_ends, pos + 1) - 1  # the last token ending at or before pos
        start = min(self.tok_starts[max(0, i - n + 1)], pos) if i >= 0 else pos
        return max(floor, start)

    def tokens_after(self, pos: int, n: int, ceil: int | None = None) -> int:
        """Offset where the ``n`` tokens after ``pos`` end (not after ``ceil``)."""
        i = bisect_left(self.tok_starts, pos)
        j = min(len(self.tok_ends), i + n) - 1
        end = self.tok_ends[j] if j >= i and j >= 0 else pos
        if ceil is not None:
            end = min(end, ceil)
        return max(end, pos)
