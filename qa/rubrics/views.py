"""Rubric pages: list, versions, YAML, new drafts, back-tests and publishing."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from qa.core.policy import (
    RUBRIC_EDITORS,
    RUBRIC_VIEWERS,
    can_edit_rubrics,
    can_view_rubrics,
    roles_required,
)
from qa.db import db
from qa.rubrics.backtest import NothingToCompare, backtest
from qa.rubrics.forms import BacktestForm, DraftForm, PublishForm
from qa.rubrics.models import RubricRecord, RubricVersion
from qa.rubrics.pages import (
    ItemRow,
    backtest_view,
    item_rows,
    published_version,
    rubric_summaries,
)
from qa.rubrics.services import add_version, get_rubric, get_version, parse, publish
from scoring.errors import RubricError

bp = Blueprint("rubrics", __name__, url_prefix="/rubrics", template_folder="templates")


@bp.app_template_global("rubrics_visible")
def rubrics_visible() -> bool:
    """Return whether the nav shows the rubric pages to the current user."""
    return can_view_rubrics(current_user)


def _rubric(key: str) -> RubricRecord:
    rubric = get_rubric(key)
    if rubric is None:
        abort(404)
    return rubric


def _version(key: str, number: int) -> RubricVersion:
    version = get_version(key, number)
    if version is None:
        abort(404)
    return version


def _items(version: RubricVersion | None) -> tuple[list[ItemRow], str | None]:
    """Return the version's item rows, or no rows and why they cannot be shown."""
    if version is None:
        return [], None
    try:
        return item_rows(parse(version)), None
    except RubricError as exc:
        return [], str(exc)


@bp.route("/")
@roles_required(*RUBRIC_VIEWERS)
def index() -> str:
    """List every rubric with its published version and drafts."""
    return render_template(
        "rubrics/index.html", summaries=rubric_summaries(), can_edit=can_edit_rubrics(current_user)
    )


@bp.route("/<key>")
@roles_required(*RUBRIC_VIEWERS)
def detail(key: str) -> str:
    """Show a rubric's versions and the items of its published version."""
    rubric = _rubric(key)
    published = published_version(rubric)
    rows, problem = _items(published)
    return render_template(
        "rubrics/detail.html",
        rubric=rubric,
        published=published,
        rows=rows,
        problem=problem,
        can_edit=can_edit_rubrics(current_user),
    )


@bp.route("/<key>/versions/<int:number>")
@roles_required(*RUBRIC_VIEWERS)
def version(key: str, number: int) -> str:
    """Show one version: its items and its YAML; drafts can be back-tested and published."""
    version_ = _version(key, number)
    rows, problem = _items(version_)
    return render_template(
        "rubrics/version.html",
        version=version_,
        rows=rows,
        problem=problem,
        can_edit=can_edit_rubrics(current_user),
        backtest_form=BacktestForm(),
        publish_form=PublishForm(),
    )


@bp.route("/<key>/versions/<int:number>.yaml")
@roles_required(*RUBRIC_VIEWERS)
def download(key: str, number: int) -> Response:
    """Send one version's YAML document as a file."""
    version_ = _version(key, number)
    return Response(
        version_.document,
        mimetype="application/x-yaml",
        headers={"Content-Disposition": f'attachment; filename="{key}-v{number}.yaml"'},
    )


@bp.route("/new-draft", methods=["GET", "POST"])
@roles_required(*RUBRIC_EDITORS)
def new_draft() -> str | Response | tuple[str, int]:
    """Add a draft version from typed or uploaded YAML; errors keep what was typed."""
    form = DraftForm()
    start = request.args.get("from")
    if request.method == "GET" and start:
        source = published_version(_rubric(start))
        if source is None:
            abort(404)
        form.document.data = source.document
    error_line = None
    if form.validate_on_submit():
        draft, error_line = _save_draft(form)
        if draft is not None:
            db.session.commit()
            flash(
                _(
                    "Draft v%(number)d of %(name)s saved.",
                    number=draft.version,
                    name=draft.rubric.name,
                ),
                "success",
            )
            return redirect(url_for(".version", key=draft.rubric.key, number=draft.version))
    page = render_template(
        "rubrics/new.html", form=form, error_line=error_line, sources=rubric_summaries()
    )
    return (page, 400) if request.method == "POST" else page


def _save_draft(form: DraftForm) -> tuple[RubricVersion | None, tuple[int, str] | None]:
    """Store the form's YAML as a draft, or put the error on the form (and the bad line)."""
    uploaded = form.read_upload()
    if uploaded is not None:
        form.document.data = uploaded  # shown in the textarea if it is not valid
    text = form.document.data or ""
    if form.upload.errors:
        return None, None
    if not text.strip():
        form.document.errors = [_("Paste a rubric or upload a YAML file.")]
        return None, None
    try:
        return add_version(text, user_id=current_user.id, note=form.note.data or None), None
    except RubricError as exc:
        db.session.rollback()
        form.document.errors = [_("The rubric is not valid: %(error)s", error=str(exc))]
        return None, _line(text, exc.line)


def _line(text: str, line: int | None) -> tuple[int, str] | None:
    """Return the numbered line of ``text`` an error points at."""
    lines = text.splitlines()
    if line is None or not 1 <= line <= len(lines):
        return None
    return line, lines[line - 1]


def _draft(key: str, number: int) -> RubricVersion | None:
    """Return the draft version, or None after flashing that it is not a draft."""
    version_ = _version(key, number)
    if version_.status == "draft":
        return version_
    flash(_("Only drafts can be back-tested and published."), "error")
    return None


@bp.route("/<key>/versions/<int:number>/backtest", methods=["GET", "POST"])
@roles_required(*RUBRIC_EDITORS)
def backtest_page(key: str, number: int) -> str | Response:
    """Re-score recent calls with a draft and compare; nothing is stored."""
    version_ = _draft(key, number)
    if version_ is None:
        return redirect(url_for(".version", key=key, number=number))
    form = BacktestForm()
    result = problem = None
    if form.validate_on_submit():
        try:
            result = backtest_view(version_, *backtest(version_, form.limit.data))
        except NothingToCompare:
            problem = _(
                "No call has been scored with another version of this rubric yet, "
                "so there is nothing to compare with."
            )
        except RubricError as exc:
            problem = str(exc)
    return render_template(
        "rubrics/backtest.html", version=version_, form=form, result=result, problem=problem
    )


@bp.route("/<key>/versions/<int:number>/publish", methods=["POST"])
@roles_required(*RUBRIC_EDITORS)
def publish_version(key: str, number: int) -> Response:
    """Publish a draft after confirmation; the previous version is retired."""
    version_ = _draft(key, number)
    if version_ is None:
        return redirect(url_for(".version", key=key, number=number))
    if not PublishForm().validate_on_submit():
        flash(_("Tick the box to confirm publishing."), "error")
        return redirect(url_for(".version", key=key, number=number))
    previous = published_version(version_.rubric)
    publish(version_, user_id=current_user.id)
    db.session.commit()
    message = _("Version %(number)d is published: new calls are scored with it.", number=number)
    if previous is not None:
        message += " " + _("Version %(number)d is retired.", number=previous.version)
    flash(message + " " + _("Existing scorecards stay as they were scored."), "success")
    return redirect(url_for(".detail", key=key))
