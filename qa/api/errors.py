"""The API's one error type and its JSON shape: ``{"error": {"code", "message"}}``."""

from __future__ import annotations

from typing import Any

from flask import jsonify
from werkzeug.wrappers import Response


class ApiError(Exception):
    """An API request failed; ``status`` is the HTTP code, ``code`` a stable identifier."""

    def __init__(self, status: int, code: str, message: str, **details: Any) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details


def error_response(status: int, code: str, message: str, **details: Any) -> Response:
    """Return the JSON error response."""
    body: dict[str, Any] = {"code": code, "message": message}
    body.update(details)
    response = jsonify(error=body)
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="callqa"'
    return response


def handle_api_error(exc: ApiError) -> Response:
    """Turn an :class:`ApiError` into its JSON response."""
    return error_response(exc.status, exc.code, exc.message, **exc.details)
