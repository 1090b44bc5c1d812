"""The dashboard in headless Chromium: every chart is drawn by the local plotly.js."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import PASSWORD

from .dashboard_support import fast_rubrics, scored  # noqa: F401
from .test_review_browser import _wait, browser, live_url  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("fast_rubrics")]
SCREENSHOT = Path("/tmp/dashboard.png")


def test_charts_are_drawn(browser, live_url, make_user, make_scored_call):  # noqa: F811
    from selenium.webdriver.common.by import By

    agent = make_user("agent", team="Harbour", name="Ann <b>x</b>")
    scored(make_scored_call, agent, "2026-11-02T09:00:00", 80.0, fail=("greeting",))
    scored(make_scored_call, agent, "2026-11-10T09:00:00", 60.0)
    viewer = make_user("qa", team=None)
    browser.get(f"{live_url}/login")
    browser.find_element(By.NAME, "username").send_keys(viewer.username)
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    _wait(browser, "return !location.pathname.startsWith('/login')")
    browser.get(f"{live_url}/dashboard?start=2026-11-01&end=2026-11-22")
    _wait(browser, "return document.querySelectorAll('.chart .main-svg').length >= 7")
    legend = browser.execute_script(
        "return Array.from(document.querySelectorAll('.chart .legendtext')).map(e => e.textContent)"
    )
    assert "All" in legend
    log = browser.get_log("browser")
    errors = [e for e in log if e["level"] == "SEVERE" and "favicon" not in e["message"]]
    assert errors == []
    browser.save_screenshot(str(SCREENSHOT))
