"""The relational store: SQLAlchemy 2 models (:mod:`.models`), engines and migrations (:mod:`.db`).

Alembic migrations ship in ``store/migrations``; ``bayyina init`` runs them.
"""
