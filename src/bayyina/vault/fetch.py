"""Fetch an http(s) URL and keep the exchange as a WARC (request + response records).

The response body is kept exactly as sent (content encoding not undone; the
chunked transfer coding is removed by the HTTP client, so that header is
dropped). Offline or failing fetches raise :class:`FetchError` and nothing is
stored.
"""

from __future__ import annotations

import io
import re
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from bayyina.vault.blobs import CHUNK

MAX_BYTES = 200 * 1024 * 1024
USER_AGENT = "bayyina/0.1 (evidence archiver)"


class FetchError(Exception):
    """The URL could not be fetched; ``str(exc)`` says why."""


def is_url(target: str) -> bool:
    """Whether an ingest target is an http(s) URL."""
    return target.lower().startswith(("http://", "https://"))


def warc_name(url: str) -> str:
    """A file-name-like label for a fetched URL."""
    parts = urlsplit(url)
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", (parts.netloc + parts.path).strip("/")) or "page"
    return stem[:150] + ".warc.gz"


def fetch_as_warc(url: str, timeout: float = 30.0) -> bytes:
    """GET ``url`` and return a gzipped WARC holding the request and response."""
    import requests

    try:
        resp = requests.get(url, stream=True, timeout=timeout, headers={"User-Agent": USER_AGENT})
    except requests.RequestException as exc:
        raise FetchError(f"cannot fetch ({exc.__class__.__name__}: {exc})") from exc
    try:
        if resp.status_code >= 400:
            raise FetchError(f"server answered HTTP {resp.status_code} {resp.reason}")
        body = bytearray()
        try:
            while True:
                chunk = resp.raw.read(CHUNK, decode_content=False)
                if not chunk:
                    break
                body.extend(chunk)
                if len(body) > MAX_BYTES:
                    raise FetchError(f"response larger than {MAX_BYTES} bytes")
        except (requests.RequestException, OSError) as exc:
            raise FetchError(f"connection broke while reading ({exc.__class__.__name__})") from exc
    finally:
        resp.close()

    version = {10: "HTTP/1.0", 11: "HTTP/1.1"}.get(getattr(resp.raw, "version", 11), "HTTP/1.1")
    headers = [(k, v) for k, v in resp.raw.headers.items() if k.lower() != "transfer-encoding"]
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    target = resp.url
    req = resp.request
    path = urlsplit(target).path or "/"
    req_headers = StatusAndHeaders(
        f"{req.method} {path} {version}", list(req.headers.items()), is_http_request=True
    )
    writer.write_record(writer.create_warc_record(target, "request", payload=io.BytesIO(b""), http_headers=req_headers))
    http_headers = StatusAndHeaders(f"{resp.status_code} {resp.reason}", headers, protocol=version)
    writer.write_record(
        writer.create_warc_record(target, "response", payload=io.BytesIO(bytes(body)), http_headers=http_headers)
    )
    return out.getvalue()
