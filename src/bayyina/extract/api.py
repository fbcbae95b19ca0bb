"""The extraction service: text in, the contract's document JSON out.

``extract_document`` is what both ``bayyina extract`` and ingest call.
"""

from __future__ import annotations

from typing import Any, Protocol

from bayyina.extract.pipeline import VERSION

# recorded with every extraction run, so a stored result says which rules made it
EXTRACTOR_VERSION = f"bayyina-rules-{VERSION}"


class IncidentExtractor(Protocol):
    """What an extraction component offers: the rule-based :class:`~bayyina.extract.pipeline.Extractor`
    today; a statistical model later can sit beside it behind the same method."""

    name: str

    def extract(self, text: str, *, source: str, language: str | None = None) -> dict[str, Any]: ...


def extract_document(text: str, *, source: str, language: str | None = None) -> dict[str, Any]:
    """Extract the incidents a normalised text reports (contract shape).

    ``text`` is the normalised text (``bayyina.text.normalize.normalize``);
    evidence offsets point into it.
    """
    from bayyina.extract.pipeline import Extractor

    extractor: IncidentExtractor = Extractor.default()
    return extractor.extract(text, source=source, language=language)
