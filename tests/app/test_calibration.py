"""Calibration sessions: access, blind scoring, kappa figures on a hand-computed case."""

from __future__ import annotations

import pytest

from qa.calibration.services import (
    CalibrationError,
    close_session,
    create_session,
    is_blinded,
    save_answers,
    session_result,
    set_final_answers,
    trend,
)
from qa.calibration.stats import AUTO, session_stats
from qa.db import db
from qa.rubrics.models import RubricRecord
from scoring.defaults import load_default_rubrics

KEYS = [
    "greeting",
    "offer_help",
    "verification",
    "restate_need",
    "solution_time",
    "satisfaction_check",
    "farewell",
]
# the hand-computed case: two raters and the auto-scorer (all "pass" on the scripted call)
RATER_A = ["pass", "pass", "pass", "fail", "pass", "fail", "pass"]
RATER_B = ["pass", "fail", "pass", "fail", "pass", "pass", "pass"]


def _script_version():
    record = db.session.query(RubricRecord).filter_by(key="script_en").one()
    return next(v for v in record.versions if v.status == "published")


def _labels(call_id: int, labels: list[str]) -> dict:
    return {(call_id, k): v for k, v in zip(KEYS, labels, strict=True)}


@pytest.fixture
def workspace_scored() -> bool:
    return True


@pytest.fixture
def session(workspace, make_user):
    qa2 = make_user("qa", team=None, name="Rita Rater")
    workspace["qa2"] = qa2
    s = create_session(
        "Week 47",
        _script_version(),
        [workspace["call"]],
        [workspace["qa"], qa2],
        workspace["qa"],
    )
    db.session.commit()
    return s


MATRIX = {
    ("GET", "/calibration/"): [302, 403, 403, 200, 200, 200, 200],
    ("GET", "/calibration/new"): [302, 403, 403, 403, 403, 200, 200],
    ("GET", "/calibration/{id}"): [302, 403, 403, 404, 404, 200, 200],
    ("GET", "/calibration/{id}/score"): [302, 403, 403, 403, 403, 200, 403],
    ("POST", "/calibration/{id}/final"): [302, 403, 403, 403, 403, 302, 302],
    ("POST", "/calibration/{id}/close"): [302, 403, 403, 403, 403, 302, 302],
}


@pytest.mark.parametrize("route", list(MATRIX), ids=[f"{m} {u}" for m, u in MATRIX])
def test_access_matrix(matrix, session, route):
    method, url = route

    def reopen() -> None:
        db.session.expire_all()
        session.status, session.closed_at = "open", None
        db.session.commit()

    matrix(method, url.format(id=session.id), MATRIX[route], reopen)


def test_managers_see_closed_sessions_only(as_role, workspace, session):
    client = as_role("manager_team")
    assert client.get(f"/calibration/{session.id}").status_code == 404
    assert "Week 47" not in client.get("/calibration/").get_data(as_text=True)
    close_session(session, workspace["qa"])
    db.session.commit()
    assert client.get(f"/calibration/{session.id}").status_code == 200


def test_raters_are_blind_until_they_submit(as_role, login, workspace, session):
    call = workspace["call"]
    qa, qa2 = workspace["qa"], workspace["qa2"]
    save_answers(session, qa, _labels(call.id, RATER_A), submit=True)
    db.session.commit()
    assert is_blinded(qa2, call.id) and not is_blinded(qa, call.id)
    client = as_role("qa")  # signs in the lead, who has submitted
    assert "Cohen" in client.get(f"/calibration/{session.id}").get_data(as_text=True)
    client.post("/logout")
    login(qa2)
    detail = client.get(f"/calibration/{session.id}").get_data(as_text=True)
    assert "Cohen" not in detail and "auto-scorer" not in detail and "stay hidden" in detail
    score = client.get(f"/calibration/{session.id}/score").get_data(as_text=True)
    assert " selected" not in score  # nothing pre-filled: neither A's answers nor auto's
    assert "auto" not in score.lower().replace("autoplay", "")
    data = {f"a-{call.id}-{k}": v for k, v in zip(KEYS, RATER_B, strict=True)}
    response = client.post(f"/calibration/{session.id}/score", data={**data, "action": "submit"})
    assert response.status_code == 302
    assert not is_blinded(qa2, call.id)
    detail = client.get(f"/calibration/{session.id}").get_data(as_text=True)
    assert "Cohen" in detail and "auto-scorer" in detail


def test_lead_who_is_not_a_rater_sees_progress(workspace, session, make_user):
    from qa.core.policy import calibration_results_visible

    other = make_user("qa", team=None)
    assert calibration_results_visible(workspace["qa"], session) is False  # lead is a rater
    assert calibration_results_visible(other, session) is False
    assert calibration_results_visible(workspace["admin"], session) is False
    close_session(session, workspace["qa"])
    assert calibration_results_visible(other, session) is True


def test_draft_submit_and_validation(workspace, session):
    call, qa = workspace["call"], workspace["qa"]
    with pytest.raises(CalibrationError, match="not a valid answer"):
        save_answers(session, qa, {(call.id, "greeting"): "maybe"}, submit=False)
    with pytest.raises(CalibrationError, match="not part of this session"):
        save_answers(session, qa, {(call.id + 99, "greeting"): "pass"}, submit=False)
    save_answers(session, qa, {(call.id, "greeting"): "pass"}, submit=False)
    with pytest.raises(CalibrationError, match="6 missing"):
        save_answers(session, qa, {(call.id, "greeting"): "pass"}, submit=True)
    save_answers(session, qa, _labels(call.id, RATER_A), submit=True)
    with pytest.raises(CalibrationError, match="already submitted"):
        save_answers(session, qa, _labels(call.id, RATER_B), submit=True)
    with pytest.raises(CalibrationError, match="not a rater"):
        save_answers(session, workspace["admin"], _labels(call.id, RATER_B), submit=False)


def test_create_validates(workspace):
    version = _script_version()
    with pytest.raises(CalibrationError, match="Only active QA users"):
        create_session("x", version, [workspace["call"]], [workspace["agent_own"]], workspace["qa"])
    with pytest.raises(CalibrationError, match="at least one call"):
        create_session("x", version, [], [workspace["qa"]], workspace["qa"])


def test_create_form(as_role, workspace, make_user):
    make_user("qa", team=None)
    client = as_role("qa")
    data = {
        "title": "Calibration <b>1</b>",
        "rubric_version_id": _script_version().id,
        "call_ids": [workspace["call"].id],
        "rater_ids": [workspace["qa"].id],
    }
    response = client.post("/calibration/new", data=data)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Calibration &lt;b&gt;1&lt;/b&gt;" in page


def test_kappa_figures_match_the_hand_computed_case(workspace, session):
    call, qa, qa2 = workspace["call"], workspace["qa"], workspace["qa2"]
    save_answers(session, qa, _labels(call.id, RATER_A), submit=True)
    save_answers(session, qa2, _labels(call.id, RATER_B), submit=True)
    stats = session_result(session).stats
    pairs = {(p.a, p.b): p for p in stats.pairs}
    # A vs B: p_o = 5/7, p_e = (5*5 + 2*2)/49 = 29/49 -> kappa = (6/49)/(20/49) = 0.3
    assert pairs[(qa.id, qa2.id)].kappa == pytest.approx(0.3)
    assert pairs[(qa.id, qa2.id)].agreement == pytest.approx(5 / 7)
    # A vs auto (all pass): p_o = 5/7 = p_e -> 0
    assert pairs[(qa.id, AUTO)].kappa == pytest.approx(0.0)
    # Fleiss, 3 raters x 7 items: P_bar = 5/7, p_e = (17/21)^2 + (4/21)^2 -> 10/136
    assert stats.fleiss == pytest.approx(10 / 136)
    assert stats.fleiss_units == 7 and len(stats.fleiss_raters) == 3
    offer = next(i for i in stats.items if i.key == "offer_help")
    assert offer.agreement == pytest.approx(1 / 3) and offer.agreed[call.id] is None  # a tie
    spread = stats.spreads[0]
    assert spread.totals == {qa.id: 70.0, qa2.id: 75.0, AUTO: 100.0}
    assert (spread.low, spread.high) == (70.0, 100.0)
    assert spread.stdev == pytest.approx(16.0728, abs=1e-3)
    assert spread.agreed_total is None  # two items tie and the lead has not decided
    dev_a = next(d for d in stats.deviations if d.rater == qa.id)
    assert (dev_a.compared, dev_a.mismatches) == (5, 0)
    # the lead settles the ties: offer_help fail, satisfaction_check pass
    set_final_answers(
        session, qa, {(call.id, "offer_help"): "fail", (call.id, "satisfaction_check"): "pass"}
    )
    stats = session_result(session).stats
    assert stats.spreads[0].agreed_total == 75.0
    dev_a = next(d for d in stats.deviations if d.rater == qa.id)
    assert (dev_a.compared, dev_a.mismatches) == (7, 2)
    assert (dev_a.mean_abs_total, dev_a.mean_total) == (5.0, -5.0)
    close_session(session, qa)
    db.session.commit()
    (point,) = trend()
    assert point["fleiss"] == pytest.approx(10 / 136, abs=1e-4)


def test_session_stats_without_the_auto_scorer():
    rubric = next(r for r in load_default_rubrics() if r.key == "script_en")
    answers = {
        "a": _labels(1, RATER_A),
        "b": _labels(1, RATER_A),
    }
    stats = session_stats(rubric, [1], answers)
    assert stats.fleiss == pytest.approx(1.0) and stats.agreement == pytest.approx(1.0)
    assert stats.spreads[0].stdev == 0.0 and stats.spreads[0].agreed_total == 70.0


def test_session_page_shows_figures_after_close(as_role, workspace, session):
    call = workspace["call"]
    save_answers(session, workspace["qa"], _labels(call.id, RATER_A), submit=True)
    close_session(session, workspace["qa"])
    db.session.commit()
    page = as_role("manager_team").get(f"/calibration/{session.id}").get_data(as_text=True)
    assert "Cohen" in page and "Quinn QA" in page and "auto-scorer" in page
    index = as_role("manager_team").get("/calibration/").get_data(as_text=True)
    assert "calibration-trend" in index and "vendor/plotly.min.js" in index
