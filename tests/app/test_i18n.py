"""Interface language: the per-user switch and the Traditional Chinese catalogue."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from flask_babel import refresh

from qa.auth.models import User
from qa.db import db

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "qa" / "translations" / "zh" / "LC_MESSAGES" / "messages.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None}
# the nav, dashboard and report: every string there must be translated
OWN_FILES = [
    ("jinja2", "qa/templates/base.html"),
    *[("jinja2", str(p.relative_to(ROOT))) for p in ROOT.glob("qa/dashboards/templates/**/*.html")],
    *[("jinja2", str(p.relative_to(ROOT))) for p in ROOT.glob("qa/reports/templates/**/*.html")],
    *[("python", str(p.relative_to(ROOT))) for p in ROOT.glob("qa/dashboards/*.py")],
    *[("python", str(p.relative_to(ROOT))) for p in ROOT.glob("qa/reports/*.py")],
]
PLACEHOLDER = re.compile(r"%(?:\([a-z_]+\))?[sdr%]")


def _catalogue():  # type: ignore[no-untyped-def]
    with PO.open("rb") as fh:
        return read_po(fh)


def test_nav_dashboard_and_report_strings_are_all_translated():
    catalogue = _catalogue()
    wanted = set()
    for method, path in OWN_FILES:
        for _line, message, _comments, _context in extract_from_file(
            method, str(ROOT / path), keywords=KEYWORDS
        ):
            wanted.add(message)
    assert len(wanted) > 100
    missing = [m for m in wanted if not (catalogue.get(m) and catalogue.get(m).string)]
    assert missing == []


def test_catalogue_is_complete_and_placeholders_match():
    catalogue = _catalogue()
    entries = [m for m in catalogue if m.id]
    assert entries
    assert [m.id for m in entries if not m.string or m.fuzzy] == []
    for m in entries:
        assert sorted(PLACEHOLDER.findall(m.id)) == sorted(PLACEHOLDER.findall(m.string)), m.id


def test_compiled_catalogue_matches_the_po_file():
    with MO.open("rb") as fh:
        compiled = {m.id: m.string for m in read_mo(fh) if m.id}
    assert compiled == {m.id: m.string for m in _catalogue() if m.id}


def test_chinese_user_sees_chinese_nav_and_dashboard(client, login, make_user):
    user = make_user("manager", team="Harbour")
    user.locale = "zh"
    db.session.commit()
    login(user)
    page = client.get("/dashboard").get_data(as_text=True)
    nav = page.split("<nav>", 1)[1].split("</nav>", 1)[0]
    assert "儀表板" in nav and "通話" in nav and "審核佇列" in nav
    assert "Dashboard" not in nav
    assert "品管分數趨勢" in page and "首次解決率" in page and "登出" in page
    assert '<html lang="zh">' in page


def test_switching_language_is_saved_on_the_user(client, login, make_user):
    user = make_user("qa", team=None)
    login(user)
    assert "Weekly report" in client.get("/dashboard").get_data(as_text=True)
    response = client.post("/locale", data={"locale": "zh", "next": "/dashboard?start=2026-11-01"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard?start=2026-11-01"
    assert db.session.get(User, user.id).locale == "zh"
    refresh()  # the test app context outlives requests; real requests each get a new one
    assert "週報" in client.get("/dashboard").get_data(as_text=True)
    client.post("/locale", data={"locale": "en", "next": "/dashboard"})
    refresh()
    assert "Weekly report" in client.get("/dashboard").get_data(as_text=True)


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "dashboard"])
def test_switch_never_redirects_off_site(client, login, make_user, target):
    login(make_user("agent"))
    response = client.post("/locale", data={"locale": "zh", "next": target})
    assert response.headers["Location"] == "/"


def test_unknown_language_is_refused(client, login, make_user):
    user = make_user("agent")
    login(user)
    assert client.post("/locale", data={"locale": "fr"}).status_code == 400
    assert db.session.get(User, user.id).locale == "en"


def test_switch_needs_a_login(client):
    assert client.post("/locale", data={"locale": "zh"}).status_code == 302


def test_visitors_get_their_browser_language(client):
    page = client.get("/login", headers={"Accept-Language": "zh-TW,zh;q=0.9"}).get_data(
        as_text=True
    )
    assert "登入" in page and "使用者名稱" in page
