"""Numbers and casualty figures in folded Arabic, English and French text.

What lives here:

* :func:`find_quantities` — every count in the text: digits ("1400",
  "1,400", "500 ألف" = 500000), Arabic number words ("ثلاثة وعشرون",
  "أربعمئة", "ألف وأربعمئة"), English/French words ("two hundred and six"),
  vague words ("عشرات" → 20, "hundreds" → 200, "آلاف" → 2000, "عدة" → 3),
  with their qualifier ("أكثر من"/"at least" → ``at_least``, "نحو"/"about"
  → ``about``). Dates, times, decimals, percentages and reference numbers
  ("القرار 2118", "العدد 112") are not quantities.
* :func:`find_casualties` — the quantities that count killed or injured
  people, from a cue in the same clause: a cue noun after the number
  ("31 قتيلا", "400 جريح", "six dead"), a cue word before it ("مقتل 39
  مدنيا", "أودى بحياة 1400 شخص", "affected at least 206 people"), or a
  person noun and then a cue verb ("six civilians were killed"). Counts of
  something that is not people ("87 nations", "5 براميل", "500 هكتار") and
  counts inside a total ("بينهم 13 طفلا", "including 4 children", "15
  منهم") are not returned.

The vocabulary is ``data/numbers.tsv``. Contract numbers: exact N →
low = high = N; at least N → low N, high None; about N → low = high = N;
vague → low (20/200/2000/3), high None; "N-M"/"between N and M" → low N,
high M (qualifier "exact").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import compress

from bayyina.extract.dates import (
    DATA_DIR,
    Tokens,
    Vocab,
    VocabError,
    clitic_variants,
    date_spans,
    is_arabic,
    no_gc,
    read_tsv,
    tokens_of,
)
from bayyina.extract.sentences import bisect_left, bisect_right
from bayyina.text.normalize import fold_str


@dataclass(frozen=True)
class Quantity:
    """A count in the folded text; see the module docstring for low/high/qualifier."""

    start: int
    end: int
    low: int
    high: int | None
    qualifier: str  # "exact" | "at_least" | "about" | "vague"


@dataclass(frozen=True)
class CasualtyMention:
    """A figure of killed or injured people; the span covers the cue and the quantity."""

    start: int
    end: int
    kind: str  # "killed" | "injured"
    low: int
    high: int | None
    quantity: Quantity


_NUM_KINDS = frozenset({"unit", "teen_unit", "tens", "hundred", "hundred_mult", "thousand", "mult"})
# the kind sets looked up per token, built once
_K_MULT = frozenset({"mult"})
_K_VAGUE = frozenset({"vague"})
_K_VAGUE_MULT = frozenset({"vague_mult"})
_K_QUAL = frozenset({"at_least", "about"})
_K_NUM_VAGUE = _NUM_KINDS | {"vague"}
_K_QUAL_POST = frozenset({"about_post", "at_least_post"})
_K_PERCENT = frozenset({"percent"})
_K_INCL_POST = frozenset({"inclusion_post"})
_K_INCL = frozenset({"inclusion"})
_K_AT_LEAST_POST = frozenset({"at_least_post"})
_K_QUANTITY = _K_QUAL | _K_NUM_VAGUE  # what a quantity may start with
# "معظمهم من المدنيين", "غالبيتهم من الأطفال": an aside about the people just counted
_MOST_OF = frozenset({"معظمهم", "غالبيتهم", "اغلبهم", "جلهم", "معظمهن", "غالبيتهن"})
_CUE_KINDS = ("killed", "injured", "person", "reference", "link", "inclusion", "total_verb", "neutral")
_KNOWN_KINDS = _NUM_KINDS | {"vague", "vague_mult", "at_least", "about", "about_post", "at_least_post",
                             "inclusion_post", "percent"} | set(_CUE_KINDS)
_PUNCT_STOP = frozenset(".!?;:,()[]\"'«»|/")
_SENT_STOP = frozenset(".!?;")


class _NumVocab:
    def __init__(self) -> None:
        path = DATA_DIR / "numbers.tsv"
        rows = read_tsv(path, 3)
        phrases: list[tuple[str, str, str]] = []
        self.exact: dict[str, set[str]] = {}
        self.stems: list[tuple[str, str]] = []
        for kind, value, phrase in rows:
            if kind not in _KNOWN_KINDS:
                raise VocabError(f"{path}: unknown kind {kind!r}")
            if kind in _NUM_KINDS or kind in ("vague", "vague_mult"):
                try:
                    int(value)
                except ValueError as exc:
                    raise VocabError(f"{path}: {kind} {phrase!r} needs an integer value, got {value!r}") from exc
            if kind in _CUE_KINDS and phrase.endswith("*"):
                self.stems.append((fold_str(phrase[:-1]), kind))
                continue
            phrases.append((kind, value, phrase))
            f = fold_str(phrase)
            if kind in _CUE_KINDS and " " not in f:
                self.exact.setdefault(f, set()).add(kind)
        self.stems.sort(key=lambda s: -len(s[0]))
        self.v = Vocab(phrases)
        self.triggers = frozenset(
            first for first, entries in self.v.by_first.items()
            if any(k in _NUM_KINDS or k in ("vague", "at_least", "about") for _, k, _ in entries)
        )
        self._starts: dict[str, bool] = {}
        self._need_next: dict[str, frozenset[str] | None] = {}

    def word_kinds(self, tok: str) -> frozenset[str]:
        return _word_kinds(tok)

    def starts(self, ts: list[str], distinct: set[str] | None = None) -> list[int]:
        """Indices of the tokens a quantity may start at (``distinct``: the set of ``ts``, if known)."""
        cache = self._starts
        missing = (set(ts) if distinct is None else distinct).difference(cache)
        if missing:
            if len(cache) + len(missing) > 200_000:
                cache.clear()
                missing = set(ts)
            for t in missing:
                cache[t] = self.may_start(t)
        cands = list(compress(range(len(ts)), map(cache.__getitem__, ts)))
        # "in", "a", "as", "no" start only longer phrases ("in excess of", "a dozen", "no fewer
        # than"): without the phrase's second word after them, no quantity starts there
        need = self._need_next
        n = len(ts)
        out = []
        for i in cands:
            t = ts[i]
            if t[0].isdigit():
                out.append(i)
                continue
            nxt = need.get(t, ())
            if nxt == ():
                if len(need) > 200_000:
                    need.clear()
                nxt = need[t] = self._second_words(t)
            if nxt is None or (i + 1 < n and ts[i + 1] in nxt):
                out.append(i)
        return out

    def _second_words(self, t: str) -> frozenset[str] | None:
        """None when a quantity may start at the word ``t`` alone (a one-word number); else the
        words that must follow it (the second words of the phrases it starts)."""
        seconds: set[str] = set()
        for _var, entries in self.v.candidates(t):
            for rest, kind, _value in entries:
                if kind in _K_QUANTITY:
                    if not rest:
                        return None
                    seconds.add(rest[0])
        return frozenset(seconds)

    def may_start(self, t: str) -> bool:
        """Whether a quantity may start at token ``t`` (a digit, a number word, perhaps behind a clitic)."""
        trig = self.triggers
        return t[0].isdigit() or t in trig or (
            len(t) > 2 and t[0] in "وفبلك" and any(x in trig for x in clitic_variants(t)[1:]))


# what a figure was killed or hurt with, right after it: "قتل المئات بغاز السارين", "أصيب 30 بالكلور"
_MEANS_WORDS = frozenset({"غاز", "غازات", "الغاز", "الغازات", "سارين", "السارين", "كلور", "الكلور", "خردل", "الخردل",
                          "سلاح", "السلاح", "اسلحه", "الاسلحه", "مواد", "المواد", "قذائف", "القذائف", "صواريخ",
                          "الصواريخ", "البراميل", "قصف", "القصف", "غارات", "الغارات"})


def _by_means(tok: str) -> bool:
    return tok.startswith("ب") and tok[1:] in _MEANS_WORDS


@lru_cache(maxsize=1)
def _vocab() -> _NumVocab:
    return _NumVocab()


@lru_cache(maxsize=65536)
def _word_kinds(tok: str) -> frozenset[str]:
    """Cue kinds of one token (clitics and the article stripped)."""
    nv = _vocab()
    out: set[str] = set()
    variants = clitic_variants(tok)
    more = [v[2:] for v in variants if v.startswith("ال") and len(v) > 3]
    for v in variants + more:
        out |= nv.exact.get(v, set())
        for s, k in nv.stems:
            if v.startswith(s):
                out.add(k)
    return frozenset(out)


def _starts_with_wa(tok: str) -> bool:
    return len(tok) > 1 and tok[0] == "و" and is_arabic(tok)


class _QParser:
    def __init__(self, tk: Tokens, nv: _NumVocab) -> None:
        self.tk = tk
        self.nv = nv

    def number(self, j: int) -> tuple[int, int, bool] | None:
        """A number at token j → (value, end index, vague)."""
        tk, nv = self.tk, self.nv
        ts, n = tk.ts, tk.n
        if j >= n:
            return None
        t = ts[j]
        if t.isdigit():
            if tk.glued(j) and (ts[j - 1].isascii() and ts[j - 1].isalpha()
                                or ts[j - 1] in ":/"
                                or (ts[j - 1] in ".," and j > 1 and tk.glued(j - 1) and ts[j - 2].isdigit()) or (ts[j - 1] == "-" and j > 1 and tk.glued(j - 1)
                                                          and ts[j - 2].isalpha())):
                return None
            if len(t) > 12:
                return None  # a code or a digit run, not a count
            value = int(t)
            k = j + 1
            if len(t) <= 3:
                while (k + 1 < n and tk.glued(k) and ts[k] in ",." and tk.glued(k + 1) and ts[k + 1].isdigit()
                       and len(ts[k + 1]) == 3 and not (k + 2 < n and tk.glued(k + 2) and ts[k + 2].isdigit())):
                    value = value * 1000 + int(ts[k + 1])
                    k += 2
            frac = ""
            if k + 1 < n and tk.glued(k) and ts[k] in ".," and tk.glued(k + 1) and ts[k + 1].isdigit():
                frac = ts[k + 1]
                k += 2
            if k < n and tk.glued(k) and ts[k] in (":", "/"):
                return None  # a time or a fraction
            if k < n and tk.glued(k) and ts[k].isascii() and ts[k].isalpha():
                return None  # 4th, 5km, 300m
            mm = nv.v.match(tk, k, _K_MULT)
            if mm is not None and mm.stripped == "":
                mult = int(mm.value)
                value = round(float(f"{value}.{frac or 0}") * mult)
                return value, mm.j, False
            if frac:
                return None  # a decimal, not a count
            return value, k, False
        # words
        vm = nv.v.match(tk, j, _K_VAGUE)
        if vm is not None:
            value = int(vm.value)
            k = vm.j
            mm = nv.v.match(tk, k, _K_VAGUE_MULT)
            if mm is not None and mm.stripped == "":
                value *= int(mm.value)
                k = mm.j
            return value, k, True
        total = cur = 0
        got = False
        last = ""
        k = j
        while k < n:
            tok = ts[k]
            if got and tok in ("و", "and", "-") and k + 1 < n:
                nxt = nv.v.match(tk, k + 1, _NUM_KINDS)
                if nxt is not None and nxt.stripped == "":
                    k += 1
                    continue
                break
            m = nv.v.match(tk, k, _NUM_KINDS)
            if m is None:
                break
            if got and m.stripped not in ("", "و"):
                break
            val = int(m.value)
            kind = m.kind
            if kind == "teen_unit":
                if m.j < n and ts[m.j] in ("عشر", "عشره"):
                    cur += val + 10
                    got, last, k = True, "unit", m.j + 1
                    continue
                break
            if kind == "unit":
                if val == 10 and got and last == "unit" and m.stripped == "" and 0 < cur % 100 < 10:
                    cur += 10  # ثلاثة عشر
                elif got and m.stripped == "" and is_arabic(tok) and last in ("unit", "tens", "hundred"):
                    break
                elif not got and val == 10 and j > 0 and ts[j - 1].startswith("ال"):
                    return None  # الحادي عشر: an ordinal
                else:
                    cur += val
            elif kind == "tens":
                cur += val
            elif kind == "hundred":
                if last == "unit" and val == 100 and m.stripped == "" and 0 < cur < 10:
                    cur *= 100
                else:
                    cur += val
            elif kind == "hundred_mult":
                cur = (cur or 1) * 100
            elif kind == "thousand":
                total += val
            elif kind == "mult":
                total += (cur or 1) * val
                cur = 0
            got, last, k = True, kind, m.j
        if not got:
            return None
        return total + cur, k, False

    def quantity(self, i: int) -> tuple[int, int, int, int | None, str, int] | None:
        """(start tok, end tok, low, high, qualifier, clitic length) at token i."""
        tk, nv = self.tk, self.nv
        qual = "exact"
        j = i
        skip = 0
        qm = nv.v.match(tk, i, _K_QUAL)
        if qm is not None:
            qual = qm.kind
            j = qm.j
            skip = len(qm.stripped)
        else:
            wm = nv.v.match(tk, i, _K_NUM_VAGUE)
            if wm is not None:
                skip = len(wm.stripped)
        num = self.number(j)
        if num is None:
            return None
        value, k, vague = num
        high: int | None = value
        if vague:
            qual, high = "vague", None
        elif qual == "at_least":
            high = None
        pm = nv.v.match(tk, k, _K_QUAL_POST)
        if pm is not None and not vague:
            if pm.kind == "about_post":
                qual, high = "about", value
            else:
                qual, high = "at_least", None
            k = pm.j
        elif qual in ("exact", "about") and k + 1 < tk.n and tk.ts[k] in ("-", "to", "الى", "و", "and"):
            # ranges: "10-15", "between 10 and 15", "بين 10 و15"
            is_between = i > 0 and tk.ts[i - 1] in ("بين", "between")
            if tk.ts[k] == "-" or tk.ts[k] in ("to", "الى") or is_between:
                nx = self.number(k + 1)
                if nx is not None and not nx[2] and nx[0] > value and (tk.ts[k + 1].isdigit()
                                                                       == tk.ts[j].isdigit()):
                    high, k = nx[0], nx[1]
        return i, k, value, high, qual, skip


@lru_cache(maxsize=1)
def _analyse(folded: str) -> tuple[Tokens, list[tuple[int, int, Quantity]]]:
    """Tokens and quantities (with token spans) of a folded text."""
    with no_gc():
        return _analyse_inner(folded)


def _analyse_inner(folded: str) -> tuple[Tokens, list[tuple[int, int, Quantity]]]:
    tk = tokens_of(folded)
    nv = _vocab()
    P = _QParser(tk, nv)
    ts, ss, es = tk.ts, tk.ss, tk.es
    spans = date_spans(folded)
    d_starts = [a for a, _ in spans]
    d_ends = [b for _, b in spans]
    out: list[tuple[int, int, Quantity]] = []
    last_ref_end = -10
    i = 0
    # only tokens a quantity may start at are visited (found with C-level maps)
    cands = nv.starts(ts, tk.distinct())
    nc = len(cands)
    ci = 0
    while True:
        ci = bisect_left(cands, i, ci)
        if ci >= nc:
            break
        i = cands[ci]
        k = bisect_right(d_starts, ss[i]) - 1
        if k >= 0 and d_ends[k] > ss[i]:
            i = _next_tok(tk, d_ends[k], i)
            continue
        q = P.quantity(i)
        if q is None:
            i += 1
            continue
        a, b, low, high, qual, skip = q
        # reference numbers: "القرار 2118", "resolution 2118 and 2209", "العدد 112"
        is_ref = False
        for back in range(a - 1, max(-1, a - 4), -1):
            if ts[back] in _PUNCT_STOP:
                break
            if "reference" in _word_kinds(ts[back]):
                is_ref = True
                break
        if not is_ref and last_ref_end >= a - 2 and a > 0 and ts[a - 1] in ("و", "and", ","):
            is_ref = True
        if is_ref:
            last_ref_end = b
            i = b
            continue
        if nv.v.match(tk, b, _K_PERCENT) is not None:
            i = b
            continue
        out.append((a, b, Quantity(ss[a] + skip, es[b - 1], low, high, qual)))
        i = b
    return tk, out


def _next_tok(tk: Tokens, offset: int, cur: int) -> int:
    k = bisect_right(tk.ss, offset - 1, lo=cur)
    return max(k, cur + 1)


def find_quantities(folded: str) -> list[Quantity]:
    """Every count in ``folded`` (offsets into it), in text order."""
    if not folded:
        return []
    return [q for _, _, q in _analyse(folded)[1]]


def _cue_kind(kinds: frozenset[str]) -> str | None:
    if "killed" in kinds:
        return "killed"
    if "injured" in kinds:
        return "injured"
    return None


def find_casualties(folded: str) -> list[CasualtyMention]:
    """Killed / injured figures: quantities tied to a casualty cue in their clause."""
    if not folded:
        return []
    tk, qs = _analyse(folded)
    with no_gc():
        return _casualties(tk, qs)


def _casualties(tk: Tokens, qs: list[tuple[int, int, Quantity]]) -> list[CasualtyMention]:
    ts, ss, es, n = tk.ts, tk.ss, tk.es, tk.n
    nv = _vocab()
    q_end_toks = {b for _, b, _ in qs}
    q_start_toks = {a for a, _, _ in qs}
    out: list[CasualtyMention] = []

    def sent_break(k: int) -> bool:
        return ts[k] in _SENT_STOP or tk.newline_before(k + 1)

    q_end_of = {a: b for a, b, _ in qs}
    for a, b, q in qs:
        if a >= 2 and "inclusion" in _word_kinds(ts[a - 1]) and (
            a - 1 in q_end_toks or (a - 2 in q_end_toks and "person" in _word_kinds(ts[a - 2]))
        ):
            continue  # "6 أشخاص بينهم 3 أطفال قضوا": the part inside the total; the cue counts the total
        # 1. what follows the number: people, a cue, a link word — or something else that is counted
        kind: str | None = None
        cue_tok = -1
        if b < n and ts[b] not in _PUNCT_STOP and ts[b] != "-":
            wk = _word_kinds(ts[b])
            tb = ts[b]
            if nv.v.match(tk, b, _K_INCL_POST) is not None:
                continue  # "15 منهم", "four of them"
            if not wk and not _starts_with_wa(tb) and tb not in ("and", "or") and tb.isalpha() \
                    and not _by_means(tb):
                continue  # "87 nations", "5 براميل": counts of something else (not "قتل المئات بغاز السارين")
        k = b
        steps = 0
        while k < n and steps < 6:
            tok = ts[k]
            if tok == "," and k + 1 < n and (nv.v.match(tk, k + 1, _K_INCL) is not None
                                             or ts[k + 1] in ("most", "many", "mostly", "half", "some")):
                # an aside about the same people: "Thirty-one people, among them 11 children, were treated"
                close = k + 1
                while close < min(n, k + 14) and ts[close] not in _PUNCT_STOP:
                    close += 1
                if close < n and ts[close] == ",":
                    k = close + 1
                    steps += 1
                    continue
                break
            if tok in _PUNCT_STOP or tk.newline_before(k) or k in q_start_toks:
                break
            if _starts_with_wa(tok) or tok in ("and", "or"):
                break
            if tok == "علي" and k + 1 < n and ts[k + 1] == "الاقل":
                k += 2  # "9 أشخاص على الأقل أصيبوا", "9 أشخاص على الأقل، بينهم ...، أصيبوا"
                steps += 1
                continue
            if tok in _MOST_OF and steps > 0:
                # "25 شخصاً معظمهم من المدنيين قُتلوا": an aside about the same people
                k += 1
                if k < n and ts[k] in ("من", "of"):
                    k += 1
                while k < n and "person" in _word_kinds(ts[k]):
                    k += 1
                steps += 1
                continue
            wk = _word_kinds(tok)
            if "inclusion" in wk and k + 1 in q_start_toks and steps > 0:
                # "6 أشخاص بينهم 3 أطفال قضوا": an aside about the same people, the cue after it is ours
                j = q_end_of[k + 1]
                while j < n and "person" in _word_kinds(ts[j]):
                    j += 1
                k = j
                steps += 1
                continue
            ck = _cue_kind(wk)
            if ck is not None:
                kind, cue_tok = ck, k
                break
            if not (wk & {"person", "link"}):
                break
            k += 1
            steps += 1
        own_cue = kind is not None
        if kind is not None and steps > 0:
            # "توفي 3 أطفال اختناقا", "قتل فيها أكثر من 1400 شخص اختناقا": a cue just before the number
            # beats one reached after a person noun
            for back in range(a - 1, max(-1, a - 4), -1):
                if ts[back] in _PUNCT_STOP or back + 1 in q_end_toks or ts[back] in ("and", "or", "و"):
                    break
                pre = _cue_kind(_word_kinds(ts[back]))
                if pre is not None:
                    if pre != kind:
                        kind, cue_tok = pre, back
                    break
        # 2. a cue before the number in its clause
        if kind is None:
            k = a - 1
            steps = 0
            while k >= 0 and steps < 6:
                tok = ts[k]
                if tok in _PUNCT_STOP or k + 1 in q_end_toks or (k in q_end_toks and not _starts_with_wa(tok)):
                    break
                if tk.newline_before(k + 1):
                    break
                wk = _word_kinds(tok)
                if "inclusion" in wk:
                    break
                ck = _cue_kind(wk)
                if ck is not None:
                    kind, cue_tok = ck, k
                    break
                if "total_verb" in wk and steps <= 2:
                    # "بلغ عدد الضحايا 87", "the death toll rose to 87": look further back in the sentence
                    kk = k - 1
                    while kk >= 0 and k - kk <= 25 and not sent_break(kk) and kk + 1 not in q_end_toks:
                        ck2 = _cue_kind(_word_kinds(ts[kk]))
                        if ck2 is not None:
                            kind, cue_tok = ck2, kk
                            break
                        kk -= 1
                    if kind is None:
                        # "ارتفع إلى 7 عدد الذين فارقوا الحياة": the counted people come after it
                        kk = b
                        while kk < min(n, b + 6) and not sent_break(kk) and kk not in q_start_toks:
                            ck2 = _cue_kind(_word_kinds(ts[kk]))
                            if ck2 is not None:
                                kind, cue_tok = ck2, kk
                                break
                            kk += 1
                    break
                k -= 1
                steps += 1
        if kind is None:
            continue
        # 3. a count inside a total ("بينهم 13 طفلا", "including four children") unless it has its own cue
        if not own_cue and _inside_total(tk, a, q_end_toks):
            continue
        if own_cue and q.qualifier == "exact" and q.high == q.low \
                and nv.v.match(tk, cue_tok + 1, _K_AT_LEAST_POST) is not None:
            q = Quantity(q.start, q.end, q.low, None, "at_least")  # "58 قتيلا على الأقل"
        elif q.qualifier == "exact" and q.high == q.low and b < n and (
            nv.v.match(tk, b, _K_AT_LEAST_POST) is not None
            or ("person" in _word_kinds(ts[b]) and nv.v.match(tk, b + 1, _K_AT_LEAST_POST) is not None)
        ):
            q = Quantity(q.start, q.end, q.low, None, "at_least")  # "قُتل 13 شخصاً على الأقل"
        s = min(q.start, ss[cue_tok])
        e = max(q.end, es[cue_tok])
        out.append(CasualtyMention(s, e, kind, q.low, q.high, q))
    return out


def _inside_total(tk: Tokens, a: int, q_end_toks: set[int]) -> bool:
    """True when an inclusion word (بينهم، including ...) stands between the sentence's last fresh cue and ``a``."""
    ts = tk.ts
    k = a - 1
    steps = 0
    while k >= 0 and steps < 40:
        tok = ts[k]
        if tok in _SENT_STOP or tk.newline_before(k + 1):
            return False
        wk = _word_kinds(tok)
        if "inclusion" in wk:
            return True
        if _cue_kind(wk) is not None and k not in q_end_toks and (k - 1) not in q_end_toks \
                and not ("person" in wk):
            return False
        k -= 1
        steps += 1
    return False
