"""Helpers shared by the bundle tests: trusting a partner's key, editing a bundle's zip, a
receiver's database of the sender's kind."""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from bayyina.share.trust import trust
from bayyina.vault.home import Home
from bayyina.vault.keys import export_public


def receiver_url(database_url: str, request: pytest.FixtureRequest, tmp: Path) -> str:
    """A second, empty database of the same kind as ``database_url``: another SQLite file, or a
    fresh database on the test PostgreSQL cluster."""
    if database_url.startswith("sqlite"):
        return f"sqlite:///{tmp / 'receiver.db'}"
    cluster = request.getfixturevalue("_pg_cluster_obj")
    return f"{cluster.url}/{cluster.create_database()}"


def trust_partner(h: Home, partner: str, other: Home, tmp: Path) -> None:
    """Make ``h`` trust ``other``'s public key under the name ``partner``."""
    keyfile = tmp / f"{partner}.pub.pem"
    export_public(other.keys_dir, keyfile)
    with h.session() as s:
        trust(s, partner, keyfile, who="test")
        s.commit()


def rezip(src: Path, dest: Path, edit: Callable[[Path], None], tmp: Path) -> Path:
    """A copy of the bundle ``src`` at ``dest`` with ``edit`` applied to its unpacked files."""
    work = tmp / ("x-" + dest.stem)
    with zipfile.ZipFile(src) as zf:
        zf.extractall(work)
    edit(work)
    with zipfile.ZipFile(dest, "w") as zf:
        for p in sorted(work.rglob("*")):
            if p.is_file():
                zf.write(p, p.relative_to(work).as_posix())
    shutil.rmtree(work)
    return dest


def resign(bag: Path, sender: Home) -> None:
    """Recompute an unpacked bundle's tag-manifest hash and sign it again with ``sender``'s own
    key (a forger holding the key, after editing the bag)."""
    import json

    from bayyina.share import bundle as bmod
    from bayyina.vault.canonical import canonical_json
    from bayyina.vault.keys import load_private

    sig = json.loads((bag / "signature.json").read_text())
    tag_sha = bmod.hash_file(bag / bmod.TAGMANIFEST)[0]
    msg = canonical_json({"type": bmod.SIGNATURE_TYPE, "key_id": sig["key_id"], "bundle_id": sig["bundle_id"],
                          "tagmanifest_sha256": tag_sha}).encode()
    sig.update(tagmanifest_sha256=tag_sha, signature=load_private(sender.keys_dir).sign(msg).hex())
    (bag / "signature.json").write_text(json.dumps(sig))
