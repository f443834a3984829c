"""The error answers of ``sessionschema serve``.

Two shapes, each where the contract puts it:

- RFC 9457 problem details (``application/problem+json``) for every 4xx that the orq contract
  leaves open: 422 and 413 from :meth:`sessionschema.ValidationError.to_problem`, with every
  problem listed; 400, 404 (an unknown path), 405, 408, 409 and 415 with type ``about:blank``
  and the status phrase as title;
- the SDKs' error bodies (``application/json``) where the contract documents them: the
  ``ErrorResponse`` of the current API (``message`` and the gRPC ``code``) for 401 and for a
  thread id that is unknown (404), which the official client reads into its ``ErrorResponse``
  exception; and the legacy API's ``HonoAPIError`` (``message`` and the HTTP status as a string
  ``code``) for a legacy session id that is unknown.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException
from starlette.routing import Match

import sessionschema as ss

__all__ = [
    "JSON",
    "PROBLEM",
    "ErrorAnswer",
    "Problem",
    "add_problem_handlers",
    "error_response",
    "problem_response",
]

JSON = "application/json"
PROBLEM = "application/problem+json"

UNAUTHENTICATED = 16
"""The gRPC status code of a missing or wrong API key."""
NOT_FOUND = 5
"""The gRPC status code of an unknown id."""
UNAVAILABLE = 14
"""The gRPC status code of a service that cannot serve for now (its store failed)."""


class Problem(Exception):
    """An answer of problem details, raised where the request is refused (a dependency reading
    the body, a route) and written by the handler :func:`add_problem_handlers` installs."""

    def __init__(self, body: dict[str, Any], headers: Mapping[str, str] | None = None) -> None:
        super().__init__(body.get("detail", ""))
        self.body = body
        self.headers = dict(headers or {})

    @classmethod
    def of_status(
        cls, status: int, detail: str, headers: Mapping[str, str] | None = None
    ) -> Problem:
        """A problem of the HTTP status itself: type ``about:blank``, the status phrase as
        title."""
        title = HTTPStatus(status).phrase
        return cls(
            {"type": "about:blank", "title": title, "status": status, "detail": detail}, headers
        )

    @classmethod
    def of_errors(cls, exc: ss.ValidationError) -> Problem:
        """422 (413 for the size limit) with every problem that ``exc`` lists."""
        return cls(exc.to_problem())

    @classmethod
    def too_large(cls, max_bytes: int, what: str) -> Problem:
        """413, worded by sessionschema as for any text over the limit (keyword ``maxBytes``)."""
        error = ss.Error("", f"{what} is over the limit of {max_bytes} bytes", "maxBytes")
        return cls(ss.ValidationError([error]).to_problem())


class ErrorAnswer(Exception):
    """An answer in the shape of the SDKs' errors: ``{"message": ..., "code": ...}``."""

    def __init__(
        self, status: int, message: str, code: int | str, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.headers = dict(headers or {})

    @classmethod
    def unauthenticated(cls, message: str) -> ErrorAnswer:
        return cls(401, message, UNAUTHENTICATED, {"WWW-Authenticate": "Bearer"})

    @classmethod
    def not_found(cls, message: str) -> ErrorAnswer:
        return cls(404, message, NOT_FOUND)

    @classmethod
    def unavailable(cls, message: str) -> ErrorAnswer:
        """503: the store failed (a full disk, say); nothing was changed, and a later try may
        succeed."""
        return cls(503, message, UNAVAILABLE)

    @classmethod
    def legacy_not_found(cls, message: str) -> ErrorAnswer:
        """The legacy API's ``HonoAPIError``: the HTTP status, as a string, for the code."""
        return cls(404, message, "404")


def problem_response(problem: Problem) -> Response:
    """A problem+json answer; ASCII JSON, so that no value can fail to be written."""
    text = json.dumps(problem.body, separators=(",", ":"))
    return Response(text, problem.body["status"], problem.headers, PROBLEM)


def error_response(error: ErrorAnswer) -> Response:
    text = json.dumps({"message": error.message, "code": error.code}, separators=(",", ":"))
    return Response(text, error.status, error.headers, JSON)


def _routes(routes: Iterable[Any]) -> Iterator[Any]:
    """Every route of ``routes``, those of the routers included among them too (FastAPI keeps
    an included router as one entry, its routes in ``original_router``)."""
    for route in routes:
        inner = getattr(getattr(route, "original_router", None), "routes", None)
        if inner is not None:
            yield from _routes(inner)
        else:
            yield route


def _allowed(request: Request) -> set[str]:
    """Every method of the app's routes whose path matches the request's, by each route's own
    pattern (so that ``/v2/sessions/count`` is not taken for a thread id)."""
    methods: set[str] = set()
    scope = {**request.scope, "method": ""}
    for route in _routes(request.app.router.routes):
        route_methods = getattr(route, "methods", None)
        if route_methods and route.matches(scope)[0] != Match.NONE:
            methods.update(route_methods)
    return methods


def add_problem_handlers(app: FastAPI) -> None:
    """Install the handlers that write :class:`Problem` and :class:`ErrorAnswer`, and that
    answer unknown paths and methods (Starlette's 404 and 405) and query parameters FastAPI
    refuses (400) with problem details too."""

    async def on_problem(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, Problem)
        return problem_response(exc)

    async def on_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ErrorAnswer)
        return error_response(exc)

    async def on_http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        headers = dict(exc.headers or {})
        allowed = _allowed(request) if exc.status_code == 405 else set()
        if allowed:  # Starlette names the methods of the first route that matched only
            headers["Allow"] = ", ".join(sorted(allowed))
        return problem_response(Problem.of_status(exc.status_code, str(exc.detail), headers))

    async def on_parameters(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        found = [
            f"{'.'.join(str(part) for part in error.get('loc', ()))}: {error.get('msg', '')}"
            for error in exc.errors()
        ]
        return problem_response(Problem.of_status(400, "; ".join(found) or "a bad request"))

    app.add_exception_handler(Problem, on_problem)
    app.add_exception_handler(ErrorAnswer, on_error)
    app.add_exception_handler(HTTPException, on_http)
    app.add_exception_handler(RequestValidationError, on_parameters)
