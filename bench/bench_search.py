"""Benchmark: search recall on variant spellings, and query latency against raw FTS5.

Builds a throw-away SQLite store (migrations up to ``0004_search``) holding
``--docs`` synthetic Arabic and English reports (``bench/gen_reports.py``'s
``generate(n)``) plus a few *planted* reports written here, each using one
spelling of a word (كيماوي, بالسارين, بدوما, للغوطة, مدينه, ٢٠١٨, ...). The
same normalised texts also go into a plain FTS5 table (``unicode61``
tokenizer, default options) — the *raw FTS5* baseline.

Prints:

* recall of bayyina search on the variant queries: every planted report
  must be found by every other spelling of its word (target 100%), and the
  raw FTS5 recall on the same queries for contrast;
* p50 / p95 latency of ``bayyina.search.service.search`` (limit 20, with
  snippets) and of a raw FTS5 query (``MATCH '"word"'`` ordered by bm25,
  limit 20, with FTS5's own ``snippet()``) over the same query set, and
  their ratio. The issue asks for 100,000 documents; ``--docs 100000`` does
  that (index build time grows linearly).

    .venv/bin/python bench/bench_search.py [--docs 10000] [--size 3000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gen_reports import generate
from sqlalchemy import text

from bayyina.search.analyzer import analyse_norm
from bayyina.search.service import search
from bayyina.store.db import make_engine, migrate, session_factory
from bayyina.text.normalize import normalize

# word -> (planted sentences, one spelling each; queries: every spelling of the word)
PLANTED: dict[str, tuple[list[str], list[str]]] = {
    "chemical": (
        ["تحدث الأطباء عن هجوم كيماوي على البلدة الزرقاء.", "أكد المسعفون وقوع الهجوم الكيميائي في الوادي الأخضر.",
         "ناشطون: قصف كيمياوي استهدف الحي الشرقي.", "مصادر تتحدث عن سلاح كيمائي في الضاحية."],
        ["كيماوي", "كيميائي", "الكيمياوي", "كيمائي", "الكيماوية"],
    ),
    "sarin": (
        ["قصف بالسارين على التلة البعيدة.", "أعراض تسمم بغاز السَّارين لدى الأطفال.", "عينات تثبت وجود سارين في التربة."],
        ["سارين", "السارين", "بالسارين", "السَّارين"],
    ),
    "douma": (
        ["وصلت فرق الإسعاف إلى بدوما ليلاً.", "تقرير عن مدينة دوما وما جرى فيها.", "قالوا إن الدوما شهدت قصفاً."],
        ["دوما", "بدوما", "الدوما", "ودوما"],
    ),
    "ghouta": (
        ["وصلت المساعدات للغوطة أخيراً.", "الغوطة الشرقية تحت الحصار.", "نزح الأهالي من غوطة دمشق."],
        ["الغوطة", "غوطه", "للغوطة", "والغوطه"],
    ),
    "city": (
        ["شهدت المدينة المنكوبة قصفاً.", "سكان مدينه قريبة نزحوا."],
        ["مدينة", "مدينه", "المدينه"],
    ),
    "hamza": (
        ["وصل الوفد إلى إدلب صباحاً.", "قصف على أدلب الجديدة.", "الطريق إلى ادلب مقطوع."],
        ["إدلب", "ادلب", "أدلب", "آدلب"],
    ),
    "hospital": (["المستشفى الميداني امتلأ.", "نقل الجرحى إلى مستشفي الرحمة."], ["مستشفى", "مستشفي", "المستشفى"]),
    "year": (["وقع الهجوم في عام ٢٠١٨ حسب الشهود.", "the attack happened in 2018 (witnesses)"], ["2018", "٢٠١٨"]),
    "tatweel": (["قالوا إن ســراقب تعرضت للقصف.", "تقرير عن وسراقب والمناطق المحيطة."], ["سراقب", "وسراقب", "ســراقب"]),
    "english": (["SARIN exposure was confirmed.", "Traces of sarin were found.", "Sarín in Spanish text."], ["sarin", "SARIN", "Sarin"]),
}
PLANT_TAG = "zzplanted"  # a word only planted reports carry (so recall counts only them)


def _build(url: str, n: int, size: int) -> tuple[int, dict[str, list[int]], float]:
    engine = make_engine(url)
    migrate(engine)
    docs = [normalize(t).text for _lang, t in generate(n, size=size)]
    planted: dict[str, list[int]] = {}
    t0 = time.perf_counter()
    with session_factory(engine)() as s:
        s.execute(text("CREATE VIRTUAL TABLE raw_fts USING fts5(body)"))
        rid = 0

        def put(body: str) -> int:
            nonlocal rid
            rid += 1
            s.execute(text("INSERT INTO search_index (id, kind, ref_id, title, body, analysed, stamp) "
                           "VALUES (:i, 'document', :i, :t, :b, :a, '')"),
                      {"i": rid, "t": f"doc {rid}", "b": body, "a": analyse_norm(body)})
            s.execute(text("INSERT INTO raw_fts (rowid, body) VALUES (:i, :b)"), {"i": rid, "b": body})
            return rid

        for word, (sentences, _q) in PLANTED.items():
            planted[word] = [put(normalize(f"{sent} {PLANT_TAG}").text) for sent in sentences]
        for body in docs:
            put(body)
        s.commit()
    build = time.perf_counter() - t0
    engine.dispose()
    return rid, planted, build


def _pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(p / 100 * (len(xs) - 1)))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--size", type=int, default=3000, help="bytes per generated document")
    ap.add_argument("--rounds", type=int, default=3, help="times each latency query is run")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="bayyina-bench-search-") as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        total, planted, build = _build(url, args.docs, args.size)
        print(f"documents: {total} ({args.docs} generated of ~{args.size} B + planted); "
              f"index build {build:.1f} s ({total / build:.0f} docs/s, analysis + FTS5 + raw FTS5)")
        engine = make_engine(url)
        s = session_factory(engine)()
        # ---- recall on the variant spellings (planted reports only: the tag word restricts)
        want = found = raw_found = 0
        misses: list[str] = []
        for word, (_sent, queries) in PLANTED.items():
            ids = set(planted[word])
            for q in queries:
                got = {h.id for h in search(s, f"{q} {PLANT_TAG}", limit=100)}
                raw = {int(r[0]) for r in s.execute(
                    text("SELECT rowid FROM raw_fts WHERE raw_fts MATCH :q"),
                    {"q": f'"{normalize(q).text}" AND "{PLANT_TAG}"'})}
                want += len(ids)
                found += len(ids & got)
                raw_found += len(ids & raw)
                if ids - got:
                    misses.append(f"{q}: missed {sorted(ids - got)}")
        print(f"recall on {sum(len(q) for _s, q in PLANTED.values())} variant-spelling queries: "
              f"bayyina {found}/{want} = {100 * found / want:.1f}%  (target 100%); "
              f"raw FTS5 {raw_found}/{want} = {100 * raw_found / want:.1f}%")
        for m in misses:
            print("  MISS", m)
        # ---- latency: same words through bayyina search and raw FTS5
        words = ["السارين", "الكلور", "دوما", "كيميائية", "مروحيات", "براميل", "الخردل", "الشبكة", "sarin",
                 "chlorine", "helicopters", "Douma", "investigation", "2017", "إدلب", "حماة", "مدنيين", "الأسد"]
        t_b: list[float] = []
        t_r: list[float] = []
        hits_b = hits_r = 0
        for _ in range(args.rounds):
            for w in words:
                t0 = time.perf_counter()
                hb = search(s, w, limit=20)
                t_b.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                hr = s.execute(text(
                    "SELECT s.id, s.title, snippet(raw_fts, 0, '<mark>', '</mark>', '…', 24) "
                    "FROM raw_fts JOIN search_index s ON s.id = raw_fts.rowid "
                    "WHERE raw_fts MATCH :q ORDER BY bm25(raw_fts) LIMIT 20"), {"q": f'"{normalize(w).text}"'}).all()
                t_r.append(time.perf_counter() - t0)
                hits_b += len(hb)
                hits_r += len(hr)
        b50, b95, r50, r95 = _pct(t_b, 50), _pct(t_b, 95), _pct(t_r, 50), _pct(t_r, 95)
        print(f"latency over {len(t_b)} queries (limit 20, with snippets): bayyina p50 {b50 * 1000:.1f} ms, "
              f"p95 {b95 * 1000:.1f} ms; raw FTS5 p50 {r50 * 1000:.1f} ms, p95 {r95 * 1000:.1f} ms; "
              f"p95 ratio {b95 / r95:.1f}x (mean {statistics.mean(t_b) / statistics.mean(t_r):.1f}x); "
              f"hits returned {hits_b} vs {hits_r}")
        s.close()
        engine.dispose()
        if found != want:
            sys.exit(1)


if __name__ == "__main__":
    main()
