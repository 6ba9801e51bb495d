"""Error pages in the site's layout and language; the API gets its JSON error shape instead."""

from __future__ import annotations

from flask import Flask, Response, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app.domain_errors import DomainError
from app.extensions import db


def wants_json() -> bool:
    return request.path.startswith("/api/")


def default_message(status: int) -> str:
    return {
        400: _("The request could not be understood."),
        401: _("Authentication is required."),
        403: _("You do not have permission to do this."),
        404: _("Not found."),
        405: _("This method is not allowed here."),
        409: _("This conflicts with the current state."),
        413: _("The upload is too large."),
        422: _("The data is invalid."),
        429: _("Too many requests. Try again later."),
        500: _("Something went wrong on our side. The error has been logged."),
    }.get(status, _("Error."))


ERROR_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "validation",
    429: "rate_limited",
    500: "server_error",
}


class InputError(HTTPException):
    """Bad input found before a view runs (app.input_guard): a 4xx with a message and, for the
    API, the fields it names."""

    def __init__(self, status: int, message: str, fields: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.code = status
        self.fields = fields or {}


def json_error(status: int, message: str | None = None, fields: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    """The API error shape of API.md."""
    body = {
        "error": {
            "code": ERROR_CODES.get(status, "error"),
            "message": message or default_message(status),
            "fields": fields or {},
        }
    }
    return jsonify(body), status


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):  # type: ignore[no-untyped-def]
        status = error.code or 500
        if isinstance(error, CSRFError):
            status = 400
            message = _("The form has expired or was sent from elsewhere. Reload the page and try again.")
        else:
            message = _describe(error)
        if wants_json():
            response, _status = json_error(status, message, getattr(error, "fields", None))
        else:
            response = make_response(render_template("errors/error.html", status=status, message=message))
        response.status_code = status
        return _keep_headers(error, response)

    @app.errorhandler(DomainError)
    def domain_error(error: DomainError):  # type: ignore[no-untyped-def]
        db.session.rollback()
        if wants_json():
            body = {"error": {"code": error.code, "message": error.message, "fields": error.fields}}
            return jsonify(body), error.status
        return render_template("errors/error.html", status=error.status, message=error.message), error.status

    @app.errorhandler(Exception)
    def server_error(error: Exception):  # type: ignore[no-untyped-def]
        app.logger.exception("Unhandled error: %s", error)
        db.session.rollback()
        # Tests see the real traceback, unless a test sets RENDER_500 to check the page itself.
        if app.testing and not app.config.get("RENDER_500"):
            raise error
        if wants_json():
            return json_error(500)
        return render_template("errors/error.html", status=500, message=default_message(500)), 500


def _keep_headers(error: HTTPException, response: Response) -> Response:
    """The exception's own headers survive our page: `Allow` on a 405, `WWW-Authenticate`, `Retry-After`."""
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def _describe(error: HTTPException) -> str:
    """Our own abort(…, description=…) messages are shown; Werkzeug's English defaults are not."""
    description = error.description or ""
    if description and description != type(error).description:
        return str(description)
    return default_message(error.code or 500)
