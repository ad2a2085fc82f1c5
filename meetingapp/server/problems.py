"""Every error the host sends is RFC 9457 problem details (``application/problem+json``).

Our own errors, validation errors, unknown routes (404), wrong methods (405), unparsable or
too-deep JSON (400), bodies over their limit (413) and anything unexpected (500) all come back in
the same shape, with a sentence in the caller's language. No internal path, exception text of an
unexpected error or stack trace ever reaches the client; unexpected errors are logged on the host.
"""

from __future__ import annotations

import logging
import re

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from attendance.errors import FaceError
from meetingapp.errors import MeetingAppError
from meetingapp.i18n import tr
from meetingapp.server.deps import STATUS, language, problem
from meetingapp.server.limits import BodyTooLarge, size_text

log = logging.getLogger(__name__)

HTTP_CODES = {
    400: "request.malformed",
    404: "request.not_found",
    405: "request.method_not_allowed",
    413: "request.too_large",
}
# An absolute file path (/tmp/tmpab12/x.docx, /home/…/data/…): shown as its last part only.
_PATH = re.compile(r"(?:/[\w.@+-]+){2,}")


def scrub(text: str) -> str:
    """A detail safe to send: absolute paths reduced to their file name."""
    return _PATH.sub(lambda m: m.group(0).rsplit("/", 1)[-1], text)


def install(app: FastAPI) -> None:
    @app.exception_handler(MeetingAppError)
    async def on_error(request: Request, exc: MeetingAppError) -> JSONResponse:
        status = getattr(exc, "status", None) or STATUS.get(type(exc), 400)
        if isinstance(exc, FaceError) and status == 400:
            status = 422  # an image that cannot be used (damaged, a decompression bomb)
        return problem(status, scrub(exc.message(language(request))), exc.key)

    @app.exception_handler(RequestValidationError)
    async def on_invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        first = errors[0] if errors else {}
        where = ".".join(str(p) for p in first.get("loc", ()))
        detail = scrub(f"{where}: {first.get('msg', '')}")[:300]
        return problem(
            422, tr("request.invalid", language(request), detail=detail), "request.invalid"
        )

    @app.exception_handler(HTTPException)
    async def on_http(request: Request, exc: HTTPException) -> JSONResponse:
        lang = language(request)
        status = exc.status_code
        code = HTTP_CODES.get(status, "request.error")
        if isinstance(exc, BodyTooLarge):
            detail = tr(code, lang, limit=size_text(exc.limit))
        elif code == "request.error":
            detail = tr(code, lang, status=status)
        else:
            detail = tr(code, lang, limit="?")
        response = problem(status, detail, code)
        if exc.headers:
            response.headers.update(exc.headers)
        if status == 413:
            response.headers["connection"] = "close"
        return response

    @app.exception_handler(Exception)
    async def on_crash(request: Request, exc: Exception) -> JSONResponse:
        log.error(
            "unexpected error on %s %s",
            request.method,
            request.url.path,
            exc_info=(type(exc), exc, exc.__traceback__),
        )
        return problem(500, tr("server.error", language(request)), "server.error")
