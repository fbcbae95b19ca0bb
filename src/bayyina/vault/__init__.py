"""The evidence vault: originals, custody log, checkpoints, ingest, verify.

* :mod:`.blobs` — content-addressed store of originals (streamed hashing, atomic, read-only)
* :mod:`.canonical` — canonical JSON and row digests (what gets hashed and signed)
* :mod:`.custody` — the append-only, hash-chained custody log
* :mod:`.keys` / :mod:`.checkpointing` — Ed25519 key pair and signed checkpoints
* :mod:`.home` — a data home opened as one object; ``init_home``
* :mod:`.ingest` — files, directories and URLs into the vault; :mod:`.fetch` for URLs
* :mod:`.extraction` — storing extraction runs and incidents; ``reextract_stored``
* :mod:`.catalog` — read-only queries for the CLI and web app
* :mod:`.verify` — recheck everything; names what failed

See docs/vault.md.
"""
