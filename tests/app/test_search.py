"""Full-text search over transcripts: English and Chinese, highlighting, metacharacters."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, func, select, update

from qa.calls.models import Call, TranscriptRecord
from qa.db import db
from qa.search.filters import CallFilters
from qa.search.highlight import snippet
from qa.search.services import list_calls
from qa.search.terms import like_pattern, search_terms
from tests.app.test_search_data import add_call

EN_REFUND = "Thank you for calling. I have refunded the duplicate charge on your bill."
EN_ROUTER = "Please restart the router and check the lights. Anything else I can help with?"
ZH_REFUND = "您好，請問有什麼可以幫助您的嗎？我要申請退款，訂單號碼是一二三。"
ZH_ADDRESS = "您好，我想修改收貨地址，謝謝。"
TRICKY = 'He said "100% sure" -- NEAR the end; col_name * x\'; DROP TABLE calls; --'


@pytest.fixture
def people(make_user):  # type: ignore[no-untyped-def]
    return {
        "ann": make_user("agent", team="Harbour", name="Ann"),
        "bob": make_user("agent", team="Summit", name="Bob"),
        "qa": make_user("qa", team=None, name="Quinn"),
    }


@pytest.fixture
def calls(people):  # type: ignore[no-untyped-def]
    ann, bob = people["ann"], people["bob"]
    return {
        "refund": add_call(ann, text=EN_REFUND, total=90.0),
        "router": add_call(bob, text=EN_ROUTER, total=80.0),
        "zh_refund": add_call(ann, text=ZH_REFUND, language="zh", total=70.0),
        "zh_address": add_call(bob, text=ZH_ADDRESS, language="zh"),
        "tricky": add_call(bob, text=TRICKY),
        "silent": add_call(ann),
    }


def found(user, q: str) -> set[int]:  # type: ignore[no-untyped-def]
    return {row.call.id for row in list_calls(user, CallFilters(q=q)).rows}


def expect(calls, *names: str) -> set[int]:  # type: ignore[no-untyped-def]
    return {calls[n].id for n in names}


@pytest.mark.parametrize(
    ("q", "names"),
    [
        ("refund", ["refund"]),
        ("REFUNDED duplicate", ["refund"]),
        ("refund router", []),  # every term must match
        ("thank", ["refund"]),
        ("router", ["router"]),
        ("you", ["refund"]),  # three letters: through the index
        ("on", ["refund"]),  # two letters: outside the trigram index
        ("退款", ["zh_refund"]),  # two Chinese characters
        ("申請退款", ["zh_refund"]),
        ("您好", ["zh_refund", "zh_address"]),
        ("您好 地址", ["zh_address"]),
        ("收貨地址", ["zh_address"]),
        ("訂單 refund", []),
        ("nothing-like-this", []),
    ],
)
def test_search_finds_every_term(people, calls, q, names):
    assert found(people["qa"], q) == expect(calls, *names)


@pytest.mark.parametrize(
    "q",
    [
        '"',
        '""',
        "'",
        "*",
        "-",
        "- refund",
        "refund*",
        "NEAR",
        "NEAR(refund router)",
        "refund OR router",
        "refund AND NOT router",
        "'; DROP TABLE calls; --",
        "%",
        "_",
        "%%__",
        "\\",
        "col:refund",
        "^refund",
        "{refund}",
        "(",
        "a & b | !c",
        "refund:*",
        "<script>alert(1)</script>",
        "\x00",
    ],
)
def test_metacharacters_never_error_or_inject(people, calls, client, login, q):
    results = found(people["qa"], q)
    # only plain word terms survive, and each one must really be in the transcript
    for call_id in results:
        text = db.session.get(Call, call_id).transcript
        for term in search_terms(q):
            assert text is not None and term.lower() in text.text.lower()
    login(people["qa"])
    assert client.get("/", query_string={"q": q}).status_code == 200
    assert db.session.scalar(select(func.count()).select_from(Call)) == len(calls)


def test_operators_are_searched_as_words(people, calls):
    assert found(people["qa"], "NEAR") == expect(calls, "tricky")
    assert found(people["qa"], "DROP TABLE") == expect(calls, "tricky")
    assert found(people["qa"], "refund OR router") == set()


def test_wildcards_match_literally(people, calls):
    assert found(people["qa"], "col_name") == expect(calls, "tricky")
    assert found(people["qa"], "_") == expect(calls, "tricky")
    assert found(people["qa"], "100%") == expect(calls, "tricky")


def test_results_are_highlighted_and_escaped(people, calls, client, login):
    login(people["qa"])
    page = client.get("/", query_string={"q": "refund"}).get_data(as_text=True)
    assert "<mark>refund</mark>ed the duplicate" in page
    page = client.get("/", query_string={"q": "退款"}).get_data(as_text=True)
    assert "申請<mark>退款</mark>" in page
    page = client.get("/", query_string={"q": "DROP"}).get_data(as_text=True)
    assert "&#34;100% sure&#34;" in page and "x&#39;; <mark>DROP</mark>" in page


def test_snippet_escapes_transcript_and_query():
    text = "before <b>bold</b> & <script>alert('x')</script> after refund"
    html = str(snippet(text, ["script", "refund"]))
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;<mark>script</mark>&gt;" in html and "<mark>refund</mark>" in html
    assert str(snippet("a <mark> b", ["<mark>"])) == "a <mark>&lt;mark&gt;</mark> b"


def test_snippet_windows_long_text_around_the_first_match():
    text = "x" * 500 + " needle " + "y" * 500
    html = str(snippet(text, ["needle"], context=20))
    assert html.startswith("…") and html.endswith("…") and "<mark>needle</mark>" in html
    assert len(html) < 80
    assert str(snippet("no match here", ["zzz"])) == "no match here"


def test_search_terms_keep_words_only():
    assert search_terms('"refund" -router NEAR* 退款!') == ["refund", "router", "NEAR", "退款"]
    assert search_terms("Refund refund REFUND") == ["Refund"]
    assert search_terms("%;'*") == []
    assert like_pattern("50%_a\\") == "%50\\%\\_a\\\\%"


def test_agents_only_find_their_own_calls(people, calls):
    assert found(people["bob"], "refund") == set()
    assert found(people["ann"], "refund") == expect(calls, "refund")
    assert found(people["bob"], "您好") == expect(calls, "zh_address")


def test_search_combines_with_filters_and_sorting(people, calls):
    page = list_calls(people["qa"], CallFilters(q="您好", sort="score", order="desc"))
    assert [row.call.id for row in page.rows] == [calls["zh_refund"].id, calls["zh_address"].id]
    assert (
        found(people["qa"], "您好")
        & {r.call.id for r in list_calls(people["qa"], CallFilters(q="您好", language="en")).rows}
        == set()
    )


def test_index_follows_transcript_changes(people, calls):
    qa = people["qa"]
    db.session.execute(
        update(TranscriptRecord)
        .where(TranscriptRecord.call_id == calls["router"].id)
        .values(text="The modem was replaced.")
    )
    db.session.commit()
    assert found(qa, "router") == set()
    assert found(qa, "modem") == expect(calls, "router")
    db.session.execute(delete(Call).where(Call.id == calls["refund"].id))
    db.session.commit()
    assert found(qa, "refund") == set()
    late = add_call(people["ann"], text="A late refund request")
    assert found(qa, "refund") == {late.id}


def test_search_counts_are_capped_separately(people, calls, client, login, app):
    app.config["SEARCH_COUNT_CAP"] = 1
    login(people["qa"])
    assert "1+ matching" in client.get("/?q=您好").get_data(as_text=True)
    assert "6 in all" in client.get("/").get_data(as_text=True)
