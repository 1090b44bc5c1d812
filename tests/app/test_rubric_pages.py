"""Rubric pages: who may see and change rubrics, drafts, YAML, back-tests and publishing."""

from __future__ import annotations

import html
import io
import re

import pytest
from sqlalchemy import select

from qa.audit.models import AuditEntry
from qa.db import db
from qa.rubrics.backtest import backtest
from qa.rubrics.models import RubricVersion
from qa.rubrics.services import get_version
from qa.scorecards.models import ScorecardRecord
from tests.app.rubric_support import (
    ROLES,
    changed_yaml,
    client_as,
    make_draft,
    published_yaml,
)
from tests.conftest import PASSWORD

DRAFT = "/rubrics/script_en/versions/2"
# (method, url, what it is): "view" pages are read-only, "edit" routes change or run things
ROUTES = [
    ("GET", "/rubrics/", "view"),
    ("GET", "/rubrics/script_en", "view"),
    ("GET", DRAFT, "view"),
    ("GET", f"{DRAFT}.yaml", "view"),
    ("GET", "/rubrics/new-draft", "edit"),
    ("POST", "/rubrics/new-draft", "edit"),
    ("GET", f"{DRAFT}/backtest", "edit"),
    ("POST", f"{DRAFT}/backtest", "edit"),
    ("POST", f"{DRAFT}/publish", "edit"),
]


@pytest.fixture
def users(make_user):  # type: ignore[no-untyped-def]
    """Return one user per role (None for anonymous) and a draft v2 of script_en."""
    people = {role: make_user(role) for role in ROLES if role != "anonymous"}
    make_draft(changed_yaml(weight=12), people["qa"])
    return {"anonymous": None, **people}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "url", "kind"), ROUTES)
def test_access_matrix(app, users, role, method, url, kind):
    response = client_as(app, users[role]).open(url, method=method, data={})
    status = response.status_code
    if role == "anonymous":
        assert status == 302 and "/login" in response.headers["Location"]
    elif role == "agent" or (role == "manager" and kind == "edit"):
        assert status == 403
    elif kind == "view":
        assert status == 200
    else:  # QA and admins: the route runs (an empty form is refused, not forbidden)
        assert status in (200, 302, 400)
    assert get_version("script_en", 2).status == "draft"


def test_nav_link_only_for_staff(app, users):
    assert 'href="/rubrics/"' in client_as(app, users["manager"]).get("/").get_data(as_text=True)
    assert 'href="/rubrics/"' not in client_as(app, users["agent"]).get("/").get_data(as_text=True)


def test_manager_sees_no_draft_actions(app, users):
    page = client_as(app, users["manager"]).get(DRAFT).get_data(as_text=True)
    assert "/publish" not in page and "/backtest" not in page
    page = client_as(app, users["qa"]).get(DRAFT).get_data(as_text=True)
    assert f'action="{DRAFT}/publish"' in page and f'action="{DRAFT}/backtest"' in page


def test_index_lists_rubrics_with_published_version_and_drafts(app, users):
    page = client_as(app, users["manager"]).get("/rubrics/").get_data(as_text=True)
    row = page.split('href="/rubrics/script_en"', 1)[1].split("</tr>", 1)[0]
    assert ">v1<" in row and "<td>1</td>" in row  # published v1, one draft
    assert 'href="/rubrics/script_zh"' in page and "zh" in page


def test_rubric_page_shows_versions_and_published_items(app, users):
    page = client_as(app, users["manager"]).get("/rubrics/script_en").get_data(as_text=True)
    assert "Greeting at the start of the call" in page
    assert "Greet the customer within your first 15 seconds" in page  # the agents' description
    assert "The call does not touch an account, order or payment." in page  # N/A rule
    assert "a fail fails the call" in page  # verification is critical
    assert "position (phrase)" in page and "any (phrase, semantic)" in page
    assert "test draft" in page and users["qa"].name in page
    assert page.index(">v2<") < page.index(">v1<")  # newest first


def test_version_page_and_download(app, users):
    version = get_version("script_en", 2)
    client = client_as(app, users["manager"])
    page = client.get(DRAFT).get_data(as_text=True)
    pre = re.search(r"<pre[^>]*>(.*?)</pre>", page, re.S).group(1)
    assert html.unescape(pre) == version.document
    response = client.get(f"{DRAFT}.yaml")
    assert response.headers["Content-Disposition"] == 'attachment; filename="script_en-v2.yaml"'
    assert response.get_data(as_text=True) == version.document
    assert client.get("/rubrics/script_en/versions/9").status_code == 404
    assert client.get("/rubrics/nope").status_code == 404


def test_create_draft_from_text(app, users):
    client = client_as(app, users["qa"])
    text = changed_yaml(weight=20)
    response = client.post(
        "/rubrics/new-draft", data={"document": text, "note": "heavier greeting"}
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/rubrics/script_en/versions/3")
    draft = get_version("script_en", 3)
    assert (draft.status, draft.note, draft.created_by_id) == (
        "draft",
        "heavier greeting",
        users["qa"].id,
    )
    assert draft.document == text
    assert "Draft v3 of Script adherence saved." in client.get("/rubrics/").get_data(as_text=True)


def test_create_draft_from_upload(app, users):
    client = client_as(app, users["admin"])
    upload = (io.BytesIO(changed_yaml(weight=7).encode()), "script.yaml")
    response = client.post(
        "/rubrics/new-draft",
        data={"document": "", "upload": upload, "note": "uploaded"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert "weight: 7" in get_version("script_en", 3).document
    binary = (io.BytesIO(b"\xff\xfe\x00k"), "script.yaml")
    response = client.post(
        "/rubrics/new-draft",
        data={"document": "kept", "upload": binary},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "The file is not UTF-8 text." in page and "\nkept</textarea>" in page


def test_invalid_rubric_keeps_the_text_and_shows_field_and_line(app, users):
    client = client_as(app, users["qa"])
    text = "# keep what I typed\n" + published_yaml().replace("stage: opening", "stage: greting", 1)
    response = client.post("/rubrics/new-draft", data={"document": text, "note": "my note"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "sections[0].items[0].stage (line " in page and "must be one of" in page
    line = next(i for i, x in enumerate(text.splitlines(), 1) if "greting" in x)
    assert f"Line {line}:" in page
    textarea = re.search(r"<textarea[^>]*>(.*?)</textarea>", page, re.S).group(1)
    assert html.unescape(textarea).strip() == text.strip()
    assert 'value="my note"' in page
    assert db.session.scalar(select(RubricVersion).where(RubricVersion.version == 3)) is None


def test_broken_yaml_and_empty_form(app, users):
    client = client_as(app, users["qa"])
    page = client.post("/rubrics/new-draft", data={"document": "key: [unclosed"}).get_data(
        as_text=True
    )
    assert "not valid YAML" in page and "key: [unclosed" in page
    response = client.post("/rubrics/new-draft", data={"document": "  "})
    assert response.status_code == 400
    assert "Paste a rubric or upload a YAML file." in response.get_data(as_text=True)


def test_start_from_the_published_version(app, users):
    client = client_as(app, users["qa"])
    page = client.get("/rubrics/new-draft?from=script_zh").get_data(as_text=True)
    textarea = re.search(r"<textarea[^>]*>(.*?)</textarea>", page, re.S).group(1)
    assert html.unescape(textarea).strip() == get_version("script_zh", 1).document.strip()
    assert client.get("/rubrics/new-draft?from=nope").status_code == 404


def test_markup_in_yaml_is_escaped(app, users):
    title = '<script>alert("x")</script><b>bold</b>'
    draft = make_draft(changed_yaml(title=title, description="<img src=x onerror=alert(1)>"))
    url = f"/rubrics/script_en/versions/{draft.version}"
    page = client_as(app, users["qa"]).get(url).get_data(as_text=True)
    assert "<script>alert" not in page and "<img src=x" not in page and "<b>bold" not in page
    assert "&lt;script&gt;alert(" in page and "&lt;img src=x onerror=alert(1)&gt;" in page


def test_backtest_shows_how_totals_and_items_move(app, users, make_scored_call):
    calls = [make_scored_call(users["agent"]) for _ in range(2)]
    before = {c.call_id: (c.total, c.passed) for c in db.session.scalars(select(ScorecardRecord))}
    # the greeting becomes critical and looks for a phrase nobody says: every call now fails
    text = changed_yaml(
        critical="fail", detector={"type": "phrase", "phrases": ["salutations earthling"]}
    )
    draft = make_draft(text, users["qa"])
    url = f"/rubrics/script_en/versions/{draft.version}/backtest"
    client = client_as(app, users["qa"])
    assert 'name="limit"' in client.get(url).get_data(as_text=True)
    response = client.post(url, data={"limit": "500"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    report, _ids = backtest(draft, 500)
    assert report.calls == 2 and report.mean_delta < 0
    assert "Calls compared: 2" in page
    assert f"{report.old_mean_total:.2f}" in page and f"{report.new_mean_total:.2f}" in page
    assert f"{report.mean_delta:+.2f}" in page
    assert "100%" in page and "0%" in page and "-100 pp" in page  # pass rate before -> after
    items = page.split("Items by size of change", 1)[1]
    assert items.index("Greeting at the start of the call") < items.index("Offer of help")
    failing = page.split("Calls that would now fail (2)", 1)[1].split("</section>", 1)[0]
    for call in calls:
        assert f'href="/calls/{call.id}"' in failing
    after = {c.call_id: (c.total, c.passed) for c in db.session.scalars(select(ScorecardRecord))}
    assert after == before  # nothing stored
    assert get_version("script_en", draft.version).status == "draft"


def test_backtest_without_scored_calls_and_limit_cap(app, users):
    draft = make_draft(changed_yaml("etiquette_en", weight=3))
    url = f"/rubrics/etiquette_en/versions/{draft.version}/backtest"
    client = client_as(app, users["qa"])
    page = client.post(url, data={"limit": "10"}).get_data(as_text=True)
    assert "nothing to compare with" in page and "Calls compared" not in page
    page = client.post(url, data={"limit": "5000"}).get_data(as_text=True)
    assert "Number must be between 1 and 2000" in page and "nothing to compare" not in page


def test_publish_retires_the_old_version_and_is_audited(app, users):
    client = client_as(app, users["qa"])
    response = client.post(f"{DRAFT}/publish", data={})  # not confirmed
    assert response.status_code == 302 and get_version("script_en", 2).status == "draft"
    assert "Tick the box" in client.get(DRAFT).get_data(as_text=True)
    response = client.post(f"{DRAFT}/publish", data={"confirm": "y"})
    assert response.status_code == 302 and response.headers["Location"].endswith(
        "/rubrics/script_en"
    )
    assert get_version("script_en", 2).status == "published"
    assert get_version("script_en", 1).status == "retired"
    assert get_version("script_en", 2).published_at is not None
    entry = db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == "publish").order_by(AuditEntry.id.desc())
    )
    assert (entry.object_id, entry.user_id, entry.new_value) == (
        str(get_version("script_en", 2).id),
        users["qa"].id,
        "published",
    )
    page = client.get("/rubrics/script_en").get_data(as_text=True)
    assert "Version 2 is published" in page and "Version 1 is retired" in page
    assert "Existing scorecards stay as they were scored." in page
    # a published or retired version is not published (or back-tested) again from here
    client.post("/rubrics/script_en/versions/1/publish", data={"confirm": "y"})
    assert get_version("script_en", 1).status == "retired"
    assert "Only drafts" in client.get("/rubrics/").get_data(as_text=True)


@pytest.mark.parametrize("url", ["/rubrics/new-draft", f"{DRAFT}/backtest", f"{DRAFT}/publish"])
def test_post_without_csrf_token_is_rejected(csrf_app, url):
    response = csrf_app.test_client().post(url, data={"document": "x", "confirm": "y"})
    assert response.status_code == 400
    assert b"CSRF" in response.data


def test_post_with_csrf_token_is_accepted(csrf_app):
    from qa.auth.services import create_user

    create_user("qa_rubrics", PASSWORD, "qa", team=None)
    db.session.commit()
    client = csrf_app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    login = {"username": "qa_rubrics", "password": PASSWORD, "csrf_token": token}
    assert client.post("/login", data=login).status_code == 302
    form = client.get("/rubrics/new-draft").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form).group(1)
    data = {"document": changed_yaml(weight=11), "csrf_token": token}
    response = client.post("/rubrics/new-draft", data=data)
    assert response.status_code == 302
    assert get_version("script_en", 2).status == "draft"


def test_pages_are_translated_for_chinese_users(app, users):
    users["qa"].locale = "zh"
    db.session.commit()
    page = client_as(app, users["qa"]).get(DRAFT).get_data(as_text=True)
    assert "評分標準" in page.split("<nav>", 1)[1].split("</nav>", 1)[0]
    assert "回測" in page and "下載 YAML" in page and "Back-test" not in page
