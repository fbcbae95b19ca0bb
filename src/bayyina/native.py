"""Compiled extraction modules (mypyc), used only while they match the sources.

The extraction's hot modules (``NATIVE_MODULES``) can be compiled to C with
mypyc (``scripts/build_native.py``, run by ``make demo``, ``make test`` and
``make bench``). The build lives outside the source tree, in
``<virtualenv>/bayyina-native/`` (``BAYYINA_NATIVE_DIR`` elsewhere), with a
manifest of the SHA-256 of each module's source. :func:`install` (called when
``bayyina`` is imported) loads the compiled modules only if **every** module's
source still has the hash it was compiled from and the build is for this
interpreter; otherwise nothing compiled is loaded and the sources run as they
are. So an edited source is never shadowed by a stale build (the compiled
modules call each other directly, which is why it is all or nothing).

``BAYYINA_NATIVE=0`` turns the compiled modules off. The outputs are the same
either way (``tests/test_native.py`` compares them); compiled, extraction is
about 1.5× as fast (docs/benchmarks.md).
"""

from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import os
import sys
import sysconfig
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

# the modules compiled together, in the order the build lists them
NATIVE_MODULES = (
    "bayyina.text.normalize",
    "bayyina.text.language",
    "bayyina.extract.vocab",
    "bayyina.extract.sentences",
    "bayyina.extract.gazetteer",
    "bayyina.extract.numbers",
    "bayyina.extract.dates",
    "bayyina.extract.pipeline",
)
GROUP = "bayyina_native"  # mypyc's group name: the shared library is ``bayyina_native__mypyc``
MANIFEST = "manifest.json"
ENV_OFF = "BAYYINA_NATIVE"
ENV_DIR = "BAYYINA_NATIVE_DIR"

SRC_ROOT = Path(__file__).resolve().parent.parent  # the folder holding the ``bayyina`` package


def native_dir() -> Path:
    """Where the compiled modules are (or would be) kept."""
    return Path(os.environ.get(ENV_DIR) or Path(sys.prefix) / "bayyina-native")


def source_path(module: str) -> Path:
    return SRC_ROOT.joinpath(*module.split(".")).with_suffix(".py")


def source_hashes(modules: Sequence[str] = NATIVE_MODULES) -> dict[str, str]:
    return {m: hashlib.sha256(source_path(m).read_bytes()).hexdigest() for m in modules}


def ext_suffix() -> str:
    return str(sysconfig.get_config_var("EXT_SUFFIX") or ".so")


def usable(folder: Path | None = None) -> tuple[dict[str, Path], str]:
    """(module name -> compiled file, why not) for the build in ``folder``: every compiled file,
    or an empty map and the reason the sources run instead."""
    folder = folder or native_dir()
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}, f"no compiled build in {folder}"
    except (OSError, ValueError) as exc:
        return {}, f"{folder / MANIFEST}: unreadable ({exc})"
    if not isinstance(manifest, dict) or manifest.get("ext_suffix") != ext_suffix():
        return {}, f"{folder / MANIFEST}: built for another interpreter"
    built = manifest.get("sources")
    if not isinstance(built, dict) or sorted(built) != sorted(NATIVE_MODULES):
        return {}, f"{folder / MANIFEST}: built for another set of modules"
    try:
        now = source_hashes()
    except OSError as exc:
        return {}, f"cannot read the sources ({exc})"
    changed = sorted(m for m in NATIVE_MODULES if built[m] != now[m])
    if changed:
        return {}, f"sources changed since the build: {', '.join(changed)} (run make native)"
    files: dict[str, Path] = {}
    for name in (*NATIVE_MODULES, f"{GROUP}__mypyc"):
        f = folder.joinpath(*name.split(".")).with_name(name.rsplit(".", 1)[-1] + ext_suffix())
        if not f.is_file():
            return {}, f"{f} is missing"
        files[name] = f
    return files, ""


class _Finder(importlib.abc.MetaPathFinder):
    """Finds the compiled modules (and their shared library) before the sources."""

    def __init__(self, files: dict[str, Path]) -> None:
        self.files = files

    def find_spec(self, fullname: str, path: Sequence[str] | None,
                  target: ModuleType | None = None) -> importlib.machinery.ModuleSpec | None:
        f = self.files.get(fullname)
        if f is None:
            return None
        loader = importlib.machinery.ExtensionFileLoader(fullname, str(f))
        return importlib.util.spec_from_file_location(fullname, f, loader=loader)


_state: dict[str, str] = {"why": "not installed"}


def install() -> bool:
    """Load the compiled modules from now on if they match the sources; whether they will be."""
    if os.environ.get(ENV_OFF, "").strip().lower() in ("0", "off", "no", "false"):
        _state["why"] = f"turned off ({ENV_OFF}=0)"
        return False
    if any(isinstance(f, _Finder) for f in sys.meta_path):
        return True
    if any(m in sys.modules for m in NATIVE_MODULES):
        _state["why"] = "the sources were imported first"
        return False
    files, why = usable()
    if not files:
        _state["why"] = why
        return False
    sys.meta_path.insert(0, _Finder(files))
    _state["why"] = ""
    return True


def status() -> str:
    """"compiled (mypyc)" when the extraction runs compiled, else "pure Python (why)"."""
    mod = sys.modules.get("bayyina.extract.pipeline")
    if mod is not None:
        compiled = not str(getattr(mod, "__file__", "")).endswith(".py")
        return "compiled (mypyc)" if compiled else f"pure Python ({_state['why'] or 'sources imported'})"
    return "compiled (mypyc)" if not _state["why"] else f"pure Python ({_state['why']})"
