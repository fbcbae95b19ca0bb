"""bayyina: evidence and accountability platform for chemical-weapons attacks."""

from bayyina.native import install as _install_native

# the compiled extraction modules, when a build matching the sources exists (bayyina/native.py)
_install_native()
