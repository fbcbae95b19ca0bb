"""Random Unicode queries (Arabic, presentation forms, combining marks, other scripts,
symbols, FTS/tsquery syntax) never crash the search, on SQLite and PostgreSQL."""

from __future__ import annotations

import random

from sqlalchemy import text

from bayyina.search.analyzer import analyse_norm
from bayyina.search.service import SearchError, search
from bayyina.settings import Settings
from bayyina.store.db import make_engine, migrate, session_factory

RANGES = [(0x20, 0x7F), (0x600, 0x6FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF), (0x2150, 0x218F), (0x1D400, 0x1D7FF),
          (0x300, 0x36F), (0x900, 0x97F), (0x4E00, 0x4E40), (0x1F600, 0x1F640), (0xA0, 0x2FF)]
SYNTAX = ['"', "*", "NEAR(", "'", ":*", "&", "|", "!", "(", ")", "\\", "^", "-", "AND", "OR", "NOT", "\x00"]


def test_random_queries(database_url: str) -> None:
    engine = make_engine(Settings.load().database_url)
    try:
        migrate(engine)
        with session_factory(engine)() as s:
            s.execute(text("INSERT INTO search_index (kind, ref_id, title, body, analysed, stamp) "
                           "VALUES ('document', 1, 't', 'b', :a, '')"),
                      {"a": analyse_norm("دوما السارين sarin ⅷ ½ 𝟘 ﻻ")})
            s.commit()
            r = random.Random(7)
            for _ in range(400):
                parts = [chr(r.randint(*r.choice(RANGES))) for _ in range(r.randint(1, 10))]
                parts.insert(r.randrange(len(parts) + 1), r.choice(SYNTAX))
                q = "".join(parts)
                try:
                    assert isinstance(search(s, q, limit=5), list)
                except SearchError:
                    pass
            assert [h.id for h in search(s, "الدوما")] == [1]
    finally:
        engine.dispose()
