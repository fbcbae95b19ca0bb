"""bayyina.extract"""

from pathlib import Path

# The package's data files. Compiled extraction modules (``bayyina.native``) are loaded from
# outside the source tree, so they find their data through the package, never their own file.
DATA_DIR = Path(__file__).resolve().parent / "data"
