"""The OpenAPI document of ``sessionschema serve``: FastAPI's own, through its documented hook
(``app.openapi`` replaced by a function that builds the document once with ``get_openapi``),
with the contract's schemas as components.

Each body's schema is ``ss.schema(cls, style="snake")`` as it is, its ``$defs`` moved beside it
among the components and its references relinked there; the routes refer to them by name
(:func:`body_of`, :func:`json_of`). Error answers refer to ``Problem`` (RFC 9457),
``ErrorResponse`` (the SDK's) or ``HonoAPIError`` (the legacy SDK's). FastAPI's own 422
(``HTTPValidationError``), which it adds to every route with a parameter, is left out: a path
parameter that is any string cannot cause it, and the 422 of a body is the contract's problem
details.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

import sessionschema as ss

from ._limits import narrow
from ._problems import JSON, PROBLEM

__all__ = [
    "ErrorResponses",
    "Problems",
    "body_of",
    "contract_schemas",
    "install_openapi",
    "json_of",
]

MODELS: tuple[type, ...] = (
    ss.CreateThreadRequest,
    ss.Thread,
    ss.UpdateThreadRequest,
    ss.ListThreadsRequest,
    ss.ListThreadsResponse,
    ss.GetThreadCountRequest,
    ss.GetThreadCountResponse,
    ss.CreateSessionRequestBody,
    ss.CreateSessionResponseBody,
)
"""The models whose snake_case schemas the document publishes (with the ones they contain)."""

PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "description": "RFC 9457 problem details. `errors` (413 and 422) lists every problem found in"
    " the body, each at its RFC 6901 JSON Pointer.",
    "type": "object",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "path": {"type": "string"},
                    "message": {"type": "string"},
                    "keyword": {"type": "string"},
                },
                "required": ["path", "message", "keyword"],
            },
        },
    },
    "required": ["type", "title", "status", "detail"],
}

ERROR_RESPONSE_SCHEMA: dict[str, Any] = {
    "title": "ErrorResponse",
    "description": "The error of the orq API that its SDKs read into their ErrorResponse.",
    "type": "object",
    "properties": {
        "message": {"type": "string", "description": "Human-readable error message."},
        "code": {"type": "integer", "description": "The gRPC status code."},
        "details": {"type": "array", "items": {}},
    },
    "required": ["message"],
}


HONO_API_ERROR_SCHEMA: dict[str, Any] = {
    "title": "HonoAPIError",
    "description": "The error of the legacy orq API that its SDK reads into its HonoAPIError.",
    "type": "object",
    "properties": {
        "message": {"type": "string", "description": "Error message"},
        "code": {"type": "string", "description": "HTTP status code"},
    },
    "required": ["message"],
}


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def body_of(name: str) -> dict[str, Any]:
    """The ``openapi_extra`` of a route whose JSON body is the component ``name``."""
    return {"requestBody": {"required": True, "content": {JSON: {"schema": ref(name)}}}}


def json_of(name: str, description: str) -> dict[str, Any]:
    """A JSON answer of the component ``name``."""
    return {"description": description, "content": {JSON: {"schema": ref(name)}}}


def Problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The answers of problem details of ``statuses``."""
    content = {PROBLEM: {"schema": ref("Problem")}}
    return {s: {"description": HTTPStatus(s).phrase, "content": content} for s in statuses}


def ErrorResponses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The answers of the SDK's ``ErrorResponse`` of ``statuses``."""
    content = {JSON: {"schema": ref("ErrorResponse")}}
    return {s: {"description": HTTPStatus(s).phrase, "content": content} for s in statuses}


def relink(value: Any) -> Any:
    """``value`` with each ``#/$defs/Name`` reference turned into ``#/components/schemas/Name``."""
    if isinstance(value, dict):
        return {
            key: item.replace("#/$defs/", "#/components/schemas/")
            if key == "$ref"
            else relink(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [relink(item) for item in value]
    return value


def contract_schemas(*, strict: bool = False) -> dict[str, Any]:
    """The components: each model's snake_case schema (``strict``: with unknown keys refused at
    every level, as a strict server reads bodies), the schemas they contain, ``Problem``,
    ``ErrorResponse`` and the legacy ``HonoAPIError``; with the server's own bounds
    (:func:`~._limits.narrow`)."""
    schemas: dict[str, Any] = {
        "Problem": PROBLEM_SCHEMA,
        "ErrorResponse": ERROR_RESPONSE_SCHEMA,
        "HonoAPIError": HONO_API_ERROR_SCHEMA,
    }
    for cls in MODELS:
        schema = ss.schema(cls, style="snake", strict=strict)
        for name, contained in schema.pop("$defs", {}).items():
            if schemas.setdefault(name, contained) != contained:
                raise RuntimeError(f"two schemas named {name}")  # a contract of two minds
        schemas[cls.__name__] = {k: v for k, v in schema.items() if k not in ("$schema", "$id")}
    relinked: dict[str, Any] = relink(schemas)
    narrow(relinked)
    return relinked


def _without_fastapi_422(document: dict[str, Any]) -> None:
    for path in document.get("paths", {}).values():
        for operation in path.values():
            responses = operation.get("responses", {})
            content = responses.get("422", {}).get("content", {}).get(JSON, {})
            if content.get("schema") == ref("HTTPValidationError"):
                del responses["422"]
    schemas = document.get("components", {}).get("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)


def _open(document: dict[str, Any]) -> None:
    """The document of a server without an API key: no security scheme, no 401."""
    for path in document.get("paths", {}).values():
        for operation in path.values():
            operation.pop("security", None)
            operation.get("responses", {}).pop("401", None)
    document.get("components", {}).pop("securitySchemes", None)


def install_openapi(app: FastAPI, *, secured: bool = True, strict: bool = False) -> None:
    """Replace ``app.openapi`` by the function that builds this document (once): the document
    of a server that requires an API key when ``secured`` (the Bearer scheme on every operation,
    and its 401), of a strict server when ``strict`` (every body schema refuses unknown keys)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
            )
            _without_fastapi_422(document)
            if not secured:
                _open(document)
            document.setdefault("components", {}).setdefault("schemas", {}).update(
                contract_schemas(strict=strict)
            )
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
