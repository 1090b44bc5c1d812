"""The call page in headless Chromium: evidence links and keys move the audio."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from werkzeug.serving import make_server

from tests.conftest import DATA, PASSWORD, service_unavailable

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
SCREENSHOT = Path("/tmp/review.png")

pytestmark = pytest.mark.browser


@pytest.fixture
def audio_file(tmp_path: Path) -> Path:
    """Return about 45 s of real speech, long enough for the scripted transcript."""
    speech, rate = sf.read(DATA / "audio" / "jfk.flac", dtype="float32")
    path = tmp_path / "long.flac"
    sf.write(path, np.concatenate([speech] * 4), rate)
    return path


@pytest.fixture
def browser(tmp_path: Path):
    """Return a headless Chromium driven by Selenium (no browser download)."""
    if not CHROMIUM.exists() or not CHROMEDRIVER.exists():
        service_unavailable("Chromium", f"{CHROMIUM} or {CHROMEDRIVER} missing")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError as exc:
        service_unavailable("Chromium", f"selenium is not installed: {exc}")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1440,1000",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


@pytest.fixture
def live_url(app):
    """Serve the test app on a free localhost port from a thread."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


def _wait(driver, script: str, timeout: float = 15):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(lambda d: d.execute_script(script))


def test_evidence_link_seeks_the_audio(browser, live_url, make_user, make_scored_call):
    from selenium.webdriver.common.by import By

    agent = make_user("agent")
    call = make_scored_call(agent)
    reviewer = make_user("qa", team=None)
    browser.get(f"{live_url}/login")
    browser.find_element(By.NAME, "username").send_keys(reviewer.username)
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(
        By.CSS_SELECTOR, "form button[type=submit], form input[type=submit]"
    ).click()
    _wait(browser, "return !location.pathname.startsWith('/login')")
    browser.get(f"{live_url}/calls/{call.id}")
    duration = _wait(
        browser,
        "const a = document.getElementById('player'); return a.readyState >= 1 && a.duration",
    )
    assert duration > 40
    links = browser.find_elements(By.CSS_SELECTOR, "a.evidence")
    starts = [float(link.get_attribute("data-start")) for link in links]
    assert starts, "the scorecard shows no evidence links"
    target = max(range(len(links)), key=lambda i: starts[i] if starts[i] < duration - 6 else -1)
    assert starts[target] > 5
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", links[target])
    links[target].click()
    now = _wait(
        browser,
        f"const t = document.getElementById('player').currentTime; return Math.abs(t - {starts[target]}) < 0.05 && t",
    )
    assert now == pytest.approx(starts[target], abs=0.05)
    segments = links[target].get_attribute("data-segments").split(",")
    classes = browser.find_element(By.ID, f"seg-{segments[0]}").get_attribute("class")
    assert "evidence-hit" in classes
    _wait(browser, "return document.querySelector('#transcript .w.current') !== null")
    browser.find_element(By.TAG_NAME, "body").send_keys("l")  # keyboard: forward 5 s
    _wait(
        browser,
        f"return Math.abs(document.getElementById('player').currentTime - {starts[target] + 5}) < 0.05",
    )
    words = browser.find_elements(By.CSS_SELECTOR, "#transcript .w")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", words[3])
    words[3].click()  # clicking a word seeks to it
    word_start = float(words[3].get_attribute("data-s"))
    _wait(
        browser,
        f"return Math.abs(document.getElementById('player').currentTime - {word_start}) < 0.05",
    )
    _wait(browser, "return document.querySelector('#timeline .main-svg') !== null")  # plotly drew
    browser.execute_script("window.scrollTo(0, 0)")
    browser.save_screenshot(str(SCREENSHOT))
    _override_in_the_browser(browser, call)
    browser.get(f"{live_url}/calls/{call.id}?from=link#t=12.5")  # a shared link to a moment
    _wait(browser, "return Math.abs(document.getElementById('player').currentTime - 12.5) < 0.05")
    logs = [
        e
        for e in browser.get_log("browser")
        if e["level"] == "SEVERE" and "favicon" not in e["message"]
    ]
    assert not logs, logs


def _override_in_the_browser(browser, call) -> None:
    """Override the greeting through the form and see the new total and the reason."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    from qa.scorecards.services import scorecards_for_call

    card = next(c for c in scorecards_for_call(call.id) if c.data["rubric"] == "script_en")
    item = browser.find_element(By.ID, f"item-{card.id}-greeting")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", item)
    item.find_element(By.CSS_SELECTOR, "details.override summary").click()
    Select(item.find_element(By.NAME, "result")).select_by_value("fail")
    item.find_element(By.NAME, "reason").send_keys("Company name <b>missing</b>")
    item.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    _wait(browser, "return location.hash.startsWith('#item-')")
    item = browser.find_element(By.ID, f"item-{card.id}-greeting")
    assert (
        "Company name <b>missing</b>"
        in item.find_element(By.CSS_SELECTOR, ".override-history").text
    )
    total = browser.find_element(By.CSS_SELECTOR, f"#scorecard-{card.id} .total-value").text
    assert float(total) < card.total
    browser.save_screenshot(str(SCREENSHOT.with_name("review-override.png")))
