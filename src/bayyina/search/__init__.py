"""Arabic-aware full-text search over documents, incidents and actors.

``analyzer`` turns text into index terms (the same at index and query time),
``index`` keeps the ``search_index`` table (FTS5 on SQLite, a tsvector on
PostgreSQL) up to date, ``service`` answers queries with highlighted snippets.
"""
