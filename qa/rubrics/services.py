"""Import, version, publish and look up rubrics."""

from __future__ import annotations

from sqlalchemy import func, select

from qa.audit.services import record
from qa.db import db, utcnow
from qa.rubrics.models import RubricRecord, RubricVersion
from scoring import compiled_rubric
from scoring.defaults import load_default_rubrics
from scoring.errors import RubricError
from scoring.rubric import Rubric
from scoring.text import is_chinese


def parse(version: RubricVersion) -> Rubric:
    """Return the scoring rubric of a stored version (its number is the stored one)."""
    rubric = compiled_rubric(version.document)  # parsed once per document, then a copy
    rubric.version = version.version
    return rubric


def get_rubric(key: str) -> RubricRecord | None:
    """Return the rubric with ``key``."""
    return db.session.scalar(select(RubricRecord).where(RubricRecord.key == key))


def get_version(key: str, number: int) -> RubricVersion | None:
    """Return version ``number`` of the rubric with ``key``."""
    return db.session.scalar(
        select(RubricVersion)
        .join(RubricRecord, RubricVersion.rubric_id == RubricRecord.id)
        .where(RubricRecord.key == key, RubricVersion.version == number)
    )


def add_version(
    yaml_text: str, *, user_id: int | None = None, note: str | None = None
) -> RubricVersion:
    """Store ``yaml_text`` as the next draft version of its rubric (validated first)."""
    rubric = Rubric.from_yaml(yaml_text)  # raises RubricError with the bad field and line
    record_ = get_rubric(rubric.key)
    if record_ is None:
        record_ = RubricRecord(key=rubric.key, name=rubric.name, languages=list(rubric.languages))
        db.session.add(record_)
        db.session.flush()
    else:
        record_.name, record_.languages = rubric.name, list(rubric.languages)
    latest = db.session.scalar(
        select(func.max(RubricVersion.version)).where(RubricVersion.rubric_id == record_.id)
    )
    version = RubricVersion(
        rubric=record_,
        version=(latest or 0) + 1,
        document=yaml_text,
        note=note,
        created_by_id=user_id,
    )
    db.session.add(version)
    db.session.flush()
    record(
        "create",
        "rubric_version",
        version.id,
        user_id=user_id,
        new=f"{rubric.key} v{version.version}",
    )
    return version


def publish(version: RubricVersion, *, user_id: int | None = None) -> None:
    """Make ``version`` the one new calls are scored with; retire the previous one."""
    if version.status == "published":
        return
    for other in version.rubric.versions:
        if other.status == "published":
            other.status = "retired"
    old = version.status
    version.status = "published"
    version.published_at = utcnow()
    record(
        "publish",
        "rubric_version",
        version.id,
        user_id=user_id,
        field="status",
        old=old,
        new="published",
    )


def install_defaults() -> list[RubricVersion]:
    """Install and publish the bundled rubrics that are not installed yet."""
    created = []
    for rubric in load_default_rubrics():
        if get_rubric(rubric.key) is None:
            version = add_version(rubric.to_yaml(), note="bundled default")
            publish(version)
            created.append(version)
    return created


def published_versions(language: str | None) -> list[RubricVersion]:
    """Return the published versions whose rubric covers ``language`` (all when unknown)."""
    versions = db.session.scalars(
        select(RubricVersion).where(RubricVersion.status == "published").order_by(RubricVersion.id)
    ).all()
    if not language:
        return list(versions)
    chinese = is_chinese(language)
    return [
        v
        for v in versions
        if not v.rubric.languages or any(is_chinese(lang) == chinese for lang in v.rubric.languages)
    ]


__all__ = [
    "RubricError",
    "add_version",
    "get_rubric",
    "get_version",
    "install_defaults",
    "parse",
    "publish",
    "published_versions",
]
