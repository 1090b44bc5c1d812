"""Full-text conditions on calls: FTS5 on SQLite, tsvector and trigram ILIKE on PostgreSQL."""

from __future__ import annotations

import re

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    String,
    and_,
    bindparam,
    column,
    exists,
    func,
    literal_column,
    select,
    table,
)

from qa.calls.models import Call, TranscriptRecord
from qa.search.schema import FTS_TABLE, PG_TS_CONFIG
from qa.search.terms import has_cjk, like_pattern

# the trigram tokenizer needs three characters; shorter terms fall back to LIKE
FTS5_MIN_LENGTH = 3
_TSQUERY_SAFE = re.compile(r"^[^\W_]+$")


def _value(value: str) -> BindParameter[str]:
    """Return ``value`` rendered (safely quoted) into the statement at execution.

    PostgreSQL then plans every search with its own pattern; a prepared statement's generic
    plan (psycopg prepares repeated statements) cannot tell ``%ab%`` from ``%abcdef%``.
    """
    return bindparam(None, value, type_=String(), literal_execute=True)


def fts5_phrase(term: str) -> str:
    """Return ``term`` as an FTS5 string literal, so it is never read as an operator."""
    return '"' + term.replace('"', '""') + '"'


def _sqlite_conditions(terms: list[str]) -> list[ColumnElement[bool]]:
    """Return conditions on ``Call``: FTS5 for long terms, LIKE for the short ones."""
    long_terms = [t for t in terms if len(t) >= FTS5_MIN_LENGTH]
    conditions: list[ColumnElement[bool]] = []
    if long_terms:
        fts = table(FTS_TABLE, column("rowid"))  # rowid = call id
        phrases = " ".join(map(fts5_phrase, long_terms))
        matched = select(fts.c.rowid).where(literal_column(FTS_TABLE).op("MATCH")(phrases))
        conditions.append(Call.id.in_(matched))
    short = [
        TranscriptRecord.text.like(like_pattern(t), escape="\\")
        for t in terms
        if len(t) < FTS5_MIN_LENGTH
    ]
    if short:
        # probed per call (in list order) so a common short term stops at the first page
        conditions.append(exists().where(TranscriptRecord.call_id == Call.id, *short))
    return conditions


def _postgres_conditions(terms: list[str]) -> list[ColumnElement[bool]]:
    config = literal_column(f"'{PG_TS_CONFIG}'")
    words = [t.lower() for t in terms if not has_cjk(t) and _TSQUERY_SAFE.match(t)]
    conditions: list[ColumnElement[bool]] = []
    if words:
        # every word is letters/digits only, so the query text has no operators to inject
        query = " & ".join(f"{w}:*" for w in words)
        vector = func.to_tsvector(config, TranscriptRecord.text)
        conditions.append(vector.op("@@")(func.to_tsquery(config, _value(query))))
    for term in terms:
        if has_cjk(term) or not _TSQUERY_SAFE.match(term):
            # trigram-indexed substring match; LIKE (cheaper) when case cannot matter
            cased = any(c.isascii() and c.isalpha() for c in term)
            match = TranscriptRecord.text.ilike if cased else TranscriptRecord.text.like
            conditions.append(match(_value(like_pattern(term)), escape="\\"))
    return conditions


def transcript_match(terms: list[str], dialect: str) -> ColumnElement[bool]:
    """Return a condition on ``Call`` that holds when its transcript contains every term."""
    if dialect == "sqlite":
        return and_(*_sqlite_conditions(terms))
    if dialect == "postgresql":
        conditions = _postgres_conditions(terms)
    else:
        conditions = [TranscriptRecord.text.ilike(like_pattern(t), escape="\\") for t in terms]
    return Call.id.in_(select(TranscriptRecord.call_id).where(and_(*conditions)))
