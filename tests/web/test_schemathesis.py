"""Property-based requests against the app's own OpenAPI schema (schemathesis): whatever the
generated parameters and bodies, no route answers 500. Bounded: a few examples per operation,
over a real home on SQLite with an uploaded report, so it stays well under a minute."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from tests.web.ui_support import CHLORINE_AR, App, fresh_app

schemathesis = pytest.importorskip("schemathesis")
hypothesis = pytest.importorskip("hypothesis")

EXAMPLES = 25  # per operation
SLOW_EXAMPLES = 6  # operations that write (upload): each example stores files


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    for a in fresh_app(tmp_path_factory.mktemp("fuzz")):
        r = a.client.post("/api/upload", headers=a.headers("analyst"),
                          files=[("files", ("report_ar.txt", CHLORINE_AR.encode(), "text/plain"))])
        assert r.status_code == 200, r.text
        yield a


def _fuzz(op: Any, label: str, n: int, headers: dict[str, str], failures: list[str], statuses: list[int]) -> None:
    """Up to ``n`` generated requests to one operation; a 5xx answer is recorded in ``failures``."""
    from hypothesis import HealthCheck, Phase, given, settings

    @settings(max_examples=n, deadline=None, derandomize=True, database=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=op.as_strategy())
    def run(case: Any) -> None:
        resp = case.call(headers=headers)
        statuses.append(resp.status_code)
        if resp.status_code >= 500:
            failures.append(f"{label}: {resp.status_code} {case.path_parameters} {case.query} "
                            f"{str(case.body)[:200]!r}: {resp.text[:300]}")

    run()


def test_no_operation_answers_500(app: App) -> None:
    fastapi_app: Any = app.client.app
    schema = schemathesis.openapi.from_dict(fastapi_app.openapi())
    schema.app = fastapi_app
    headers = app.headers("admin")
    failures: list[str] = []
    seen: list[str] = []
    statuses: list[int] = []
    started = time.monotonic()
    for result in schema.get_all_operations():
        op = result.ok()
        label = f"{op.method.upper()} {op.path}"
        seen.append(label)
        n = SLOW_EXAMPLES if op.method.lower() != "get" else EXAMPLES

        _fuzz(op, label, n, headers, failures, statuses)
    assert {"GET /api/incidents.geojson", "GET /api/timeline", "POST /api/upload", "GET /api/review"} <= set(seen)
    assert failures == [], "\n".join(failures[:10])
    assert len(statuses) >= 3 * len(seen) and statuses.count(200) >= len(seen)  # real answers, not all 401s
    print(f"schemathesis: {len(seen)} operations, {len(statuses)} requests, "
          f"{statuses.count(200)} answered 200, {time.monotonic() - started:.1f} s")
    assert time.monotonic() - started < 90
