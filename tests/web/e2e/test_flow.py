"""The web UI in real Chromium: log in, upload an Arabic report, see its incident on the map and the
timeline, open its evidence, approve it as a reviewer, find it by a variant spelling through the header's
search box, switch language (right-to-left Arabic, left-to-right English). Screenshots of each step in
tests/web/e2e/artifacts/."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from tests.web.e2e.conftest import PASSWORD, Server
from tests.web.ui_support import CHLORINE_AR


def _context(browser: Any, server: Server, blocked: list[str]) -> Any:
    """A browser context that refuses (and records) every request leaving the app: offline by design."""
    ctx = browser.new_context(locale="ar", viewport={"width": 1280, "height": 900})
    host = urlparse(server.url).netloc

    def guard(route: Any) -> None:
        if urlparse(route.request.url).netloc == host or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    ctx.route("**/*", guard)
    ctx.set_default_timeout(15_000)
    return ctx


def _login(page: Any, server: Server, role: str) -> None:
    if not server.users:  # before the login area exists every page is open
        return
    page.goto(f"{server.url}/login")
    page.fill("#username", server.users[role])
    page.fill("#password", PASSWORD)
    page.click("form.login button[type=submit]")
    page.wait_for_load_state("domcontentloaded")
    assert "/login" not in page.url, page.content()[:500]


def test_upload_map_timeline_review_search_rtl(browser: Any, server: Server, artifacts: Path,
                                               tmp_path: Path) -> None:
    blocked: list[str] = []
    report = tmp_path / "تقرير_سراقب.txt"
    report.write_text(CHLORINE_AR, encoding="utf-8")

    # --- an analyst uploads the report (progress bar, per-file result)
    analyst = _context(browser, server, blocked)
    page = analyst.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    _login(page, server, "analyst")
    page.goto(f"{server.url}/upload")
    page.set_input_files("input[type=file]", str(report))
    page.click("#upload-form button[type=submit]")
    page.wait_for_selector("#upload-form[data-done]")
    assert page.get_attribute("#upload-form", "data-done") == "200", page.inner_text("#upload-result")
    assert page.eval_on_selector("#upload-progress", "e => e.value") == 100
    row = page.locator("table.upload-result tbody tr")
    assert row.count() == 1 and "result-stored" in (row.get_attribute("class") or "")
    assert row.locator("td").first.inner_text() == report.name
    links = page.locator("#upload-result a[href^='/incidents/']")
    assert links.count() == 1
    incident_id = int(links.first.inner_text())
    page.screenshot(path=str(artifacts / "1-upload.png"), full_page=True)

    # --- the incident is a point on the map (bundled outline, no tiles); clicking it opens the incident
    page.goto(f"{server.url}/map")
    page.wait_for_selector("#map[data-ready='1']")
    assert page.get_attribute("#map", "data-count") == "1"
    assert page.locator(".leaflet-overlay-pane path").count() >= 8  # 8 countries of the outline + the point
    page.screenshot(path=str(artifacts / "2-map.png"), full_page=True)
    page.click(f"path.incident-{incident_id}")
    page.wait_for_url(re.compile(rf"/incidents/{incident_id}$"))

    # --- the evidence span: marked in the stored text of the report
    marks = page.locator(".doctext mark")
    assert marks.count() >= 1
    marked = " ".join(marks.all_inner_texts())
    assert "سراقب" in marked or "الكلور" in marked, marked
    marks.first.scroll_into_view_if_needed()
    assert marks.first.is_visible()
    page.screenshot(path=str(artifacts / "3-incident-evidence.png"), full_page=True)

    # --- the timeline: February 2018, chlorine
    page.goto(f"{server.url}/timeline")
    page.wait_for_selector("#timeline-chart[data-ready='1']")
    assert page.get_attribute("#timeline-chart", "data-datasets") == "1"
    assert page.locator("table.timeline-table td", has_text="2018-02").count() == 1
    page.screenshot(path=str(artifacts / "4-timeline.png"), full_page=True)

    # --- a reviewer sends it to review, then approves it
    reviewer = _context(browser, server, blocked)
    rpage = reviewer.new_page()
    rpage.on("pageerror", lambda e: errors.append(str(e)))
    _login(rpage, server, "reviewer")
    rpage.goto(f"{server.url}/review")
    form = rpage.locator(f"form:has(button[data-action='in_review'][data-incident='{incident_id}'])")
    form.locator("input[name=reason]").fill("التقرير واضح ومصدره معروف")
    form.locator("button").click()
    rpage.wait_for_selector("p.flash")
    form = rpage.locator(f"form:has(button[data-action='approved'][data-incident='{incident_id}'])")
    form.locator("input[name=reason]").fill("تطابق الأدلة مع التقرير")
    form.locator("button").click()
    rpage.wait_for_selector("p.flash")
    assert f"/incidents/{incident_id}" in (rpage.locator("p.flash a").get_attribute("href") or "")
    rpage.screenshot(path=str(artifacts / "5-review.png"), full_page=True)
    rpage.goto(f"{server.url}/api/incidents/{incident_id}")
    assert json.loads(rpage.inner_text("body"))["status"] == "approved"

    # --- search by variant spellings in the header box: كلورين for الكلور, بسراقب (a proclitic) for سراقب
    page.fill("header.top .search-box input[name=q]", "كلورين بسراقب")
    page.click("header.top .search-box button[type=submit]")
    page.wait_for_url(re.compile(r"/search\?q="))
    hit = page.locator("ol.search-results li.hit-document")
    assert hit.count() == 1, page.inner_text("main")
    assert hit.locator("a.hit-title").inner_text() == report.name
    marks = hit.locator("p.snippet mark").all_inner_texts()
    assert marks and any("سراقب" in m or "الكلور" in m for m in marks), marks
    assert int(page.get_attribute(".search-tab[data-kind='document'] .count", "data-count") or 0) == 1
    page.screenshot(path=str(artifacts / "5b-search.png"), full_page=True)

    # --- languages: Arabic right-to-left by default, English left-to-right after the toggle
    page.goto(f"{server.url}/map")
    assert page.get_attribute("html", "dir") == "rtl" and page.get_attribute("html", "lang") == "ar"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    page.evaluate("document.fonts.ready")
    assert page.evaluate("document.fonts.check('16px \"Bayyina Arabic\"', 'سراقب')")
    nav = page.locator("header.top nav")
    box_brand, box_nav = page.locator("header.top .brand").bounding_box(), nav.bounding_box()
    assert box_brand and box_nav and box_brand["x"] > box_nav["x"]  # RTL: the brand on the right
    page.click(".lang-toggle")
    page.wait_for_selector("html[dir='ltr']")
    assert page.get_attribute("html", "lang") == "en"
    assert page.evaluate("getComputedStyle(document.body).direction") == "ltr"
    box_brand, box_nav = page.locator("header.top .brand").bounding_box(), nav.bounding_box()
    assert box_brand and box_nav and box_brand["x"] < box_nav["x"]
    page.wait_for_selector("#map[data-ready='1']")
    page.screenshot(path=str(artifacts / "6-map-english.png"), full_page=True)
    page.goto(f"{server.url}/timeline")  # the cookie keeps English
    assert page.get_attribute("html", "dir") == "ltr"

    assert errors == [], errors
    assert blocked == [], f"requests outside the app: {blocked}"
    analyst.close()
    reviewer.close()


def test_admin_adds_a_viewer_who_then_logs_in(browser: Any, server: Server, artifacts: Path) -> None:
    """An administrator opens the users page from the navigation, adds a viewer; the viewer logs in."""
    if not server.users:
        return
    from bayyina.vault.home import Home
    from bayyina.web import auth

    h = Home.open(server.settings)
    try:
        with h.session() as s:
            if auth.get_user(s, "aziz") is None:
                auth.add_user(s, "aziz", "admin", PASSWORD)
            s.commit()
    finally:
        h.close()
    blocked: list[str] = []
    errors: list[str] = []
    admin = _context(browser, server, blocked)
    page = admin.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    server.users["admin"] = "aziz"
    _login(page, server, "admin")
    page.click("header nav a[href='/admin/users']")
    page.wait_for_url(re.compile(r"/admin/users$"))
    page.fill("form.admin-form input[name=name]", "wafa")
    page.select_option("form.admin-form select[name=role]", "viewer")
    page.fill("form.admin-form input[name=password]", "wafa-password-1")
    page.fill("form.admin-form input[name=password2]", "wafa-password-1")
    page.click("button[data-action=add-user]")
    page.wait_for_selector("p.flash")
    assert page.locator("tr[data-user=wafa]").count() == 1
    page.screenshot(path=str(artifacts / "8-admin-users.png"), full_page=True)

    viewer = _context(browser, server, blocked)
    vpage = viewer.new_page()
    vpage.on("pageerror", lambda e: errors.append(str(e)))
    server.users["viewer"] = "wafa"
    vpage.goto(f"{server.url}/login")
    vpage.fill("#username", "wafa")
    vpage.fill("#password", "wafa-password-1")
    vpage.click("form.login button[type=submit]")
    vpage.wait_for_load_state("domcontentloaded")
    assert "/login" not in vpage.url and "wafa" in vpage.inner_text("header form.user")
    assert vpage.locator("header nav a[href='/admin/users']").count() == 0  # no link for a viewer
    assert errors == [], errors
    assert blocked == [], f"requests outside the app: {blocked}"
    admin.close()
    viewer.close()
