"""The schema files and the attrs classes describe the same contract, read from both sides."""

import json
import re
import types
import typing
from datetime import datetime
from pathlib import Path
from typing import Any

import attrs
import jsonschema
import pytest
import referencing

import sessionschema as ss
from sessionschema._registry import describe_model
from sessionschema.models import MODELS
from tools import models as models_tool

from ..support.oracle import SNAKE_KEYS, to_snake

SCHEMAS = Path(__file__).parents[2] / "sessionschema" / "schemas"
FILES = {path.name: json.loads(path.read_text("utf-8")) for path in SCHEMAS.glob("*.schema.json")}
BY_TITLE = {document["title"]: document for document in FILES.values()}
BY_ID = {document["$id"]: document for document in FILES.values()}


def snake(camel: str) -> str:
    return re.sub(r"[A-Z]", lambda m: "_" + m.group().lower(), camel)


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def kind_from_schema(node: dict[str, Any]) -> str:
    """A property schema, named in the vocabulary shared with :func:`kind_from_type`."""
    if "$ref" in node:
        target = BY_ID[node["$ref"]]
        if "enum" in target:
            return "enum " + ", ".join(target["enum"])
        return "model " + str(target["title"])
    if "enum" in node:
        return "enum " + ", ".join(node["enum"])
    if node.get("type") == "array":
        return "array of " + kind_from_schema(node["items"])
    if node.get("format") == "date-time":
        assert node["type"] == "string"
        return "date-time"
    types_ = node["type"] if isinstance(node["type"], list) else [node["type"]]
    (kind,) = set(types_) - {"null"}  # nullable or not is the description's business
    return str(kind)


def kind_from_type(annotation: Any) -> str:
    """An attribute's type, named as :func:`kind_from_schema` names schemas."""
    if attrs.has(annotation):
        return "model " + annotation.__name__
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is tuple:
        assert args[1] is Ellipsis
        return "array of " + kind_from_type(args[0])
    if origin is typing.Literal:
        return "enum " + ", ".join(args)
    if origin in (typing.Union, types.UnionType):
        members = set(args) - {type(None)}
        if members == {int, float}:
            return "number"
        (member,) = members  # optional (absent is None) or nullable: the schema's "null" aside
        return kind_from_type(member)
    return {str: "string", int: "integer", bool: "boolean", datetime: "date-time"}[annotation]


ENUMS = {title for title, document in BY_TITLE.items() if "enum" in document}


def test_one_schema_file_per_model_and_per_enum() -> None:
    assert sorted(set(BY_TITLE) - ENUMS) == sorted(model.__name__ for model in MODELS)
    assert len(FILES) == len(MODELS) + len(ENUMS)
    for title in ENUMS:
        assert typing.get_args(getattr(ss, title)) == tuple(BY_TITLE[title]["enum"])


@pytest.mark.parametrize("name", sorted(FILES))
def test_each_file_is_a_valid_2020_12_schema(name: str) -> None:
    document = FILES[name]
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(document)
    assert name == re.sub(r"(?<!^)(?=[A-Z])", "-", document["title"]).lower() + ".schema.json"


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_names_required_and_types_agree(model: type) -> None:
    document = BY_TITLE[model.__name__]
    fields = {field.name: field for field in attrs.fields(model)}
    properties = document["properties"]
    # names, derived from both sides independently
    assert {snake(key) for key in properties} == set(fields)
    assert {camel(name) for name in fields} == set(properties)
    # required or optional
    required = {snake(key) for key in document.get("required", [])}
    assert required == {name for name, f in fields.items() if f.default is attrs.NOTHING}
    assert all(fields[name].default is None for name in set(fields) - required)
    # types
    for key, node in properties.items():
        assert kind_from_schema(node) == kind_from_type(fields[snake(key)].type), key


def kind_name(field: Any) -> str:
    """A field of the description, named as :func:`kind_from_type` names types."""
    if field.model is not None:
        single = "model " + str(field.model)
    elif field.kind.name == "enum":
        single = "enum " + ", ".join(field.values)
    else:
        single = {"digits": "string"}.get(field.kind.name, str(field.kind.name))
    return "array of " + single if field.array else single


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_the_description_the_code_is_generated_from_agrees_with_the_classes(model: type) -> None:
    described = describe_model(model)
    attributes = {field.name: field for field in attrs.fields(model)}
    document = BY_TITLE[model.__name__]
    properties = document["properties"]
    assert [field.key for field in described.fields] == list(properties)  # the files' order
    assert {field.name for field in described.fields} == set(attributes)
    for field in described.fields:
        attribute = attributes[field.name]
        assert field.required == (attribute.default is attrs.NOTHING), field.name
        assert kind_name(field) == kind_from_type(attribute.type), field.name
        assert field.nullable == ("null" in properties[field.key].get("type", ())), field.name
    assert [field.key for field in described.required] == document.get("required", [])


def test_the_classes_are_the_ones_written_from_the_schema_files() -> None:
    for path, (folder, what) in models_tool.TARGETS.items():
        fresh = models_tool.text(folder, what)
        assert path.read_text("utf-8") == fresh, f"{path.name} is stale: run `make models`"


@pytest.mark.parametrize(
    ("node", "complaint"),
    [
        ({"type": "object"}, "type 'object'"),
        ({"type": ["integer", "string"]}, "type ['integer', 'string']"),
        ({"type": "string", "minLength": 1}, "keyword 'minLength'"),
        ({"type": "string", "format": "email"}, "format 'email'"),
        ({"type": "string", "pattern": "^a"}, "a pattern is supported beside"),
        ({"type": "array", "items": {"type": "array", "items": {"type": "string"}}}, "arrays"),
        ({"type": ["array", "null"], "items": {"type": "string"}}, "type 'array'"),
        ({"enum": ["a", 1]}, "type None"),
        ({"type": "string", "enum": ["a"]}, "type 'string'"),
        ({"$ref": "urn:sessionschema:billing", "type": "object"}, "$ref beside"),
        ({"$ref": "urn:sessionschema:nowhere"}, "not a schema file"),
    ],
)
def test_a_keyword_the_generator_cannot_carry_is_refused(
    node: dict[str, Any], complaint: str
) -> None:
    from sessionschema._contract import ContractError, _kind

    with pytest.raises(ContractError, match=re.escape(complaint)):
        _kind("Model.key", node, BY_ID)


@pytest.mark.parametrize(
    ("rule", "complaint"),
    [
        ({"if": {"required": ["clearTags"]}, "then": {"not": {"required": ["tags"]}}}, "allOf"),
        (
            {
                "if": {"properties": {"clearTags": {"const": True}}, "required": ["clearTags"]},
                "then": {"required": ["tags"]},
            },
            "allOf",
        ),
    ],
)
def test_an_object_rule_the_generator_cannot_carry_is_refused(
    rule: dict[str, Any], complaint: str
) -> None:
    from sessionschema._contract import ContractError, _model

    document = {
        "title": "Thing",
        "type": "object",
        "properties": {
            "tags": {"type": "array", "items": {"type": "string"}},
            "clearTags": {"type": "boolean"},
        },
        "allOf": [rule],
    }
    with pytest.raises(ContractError, match=complaint):
        _model("Thing", document, BY_ID)
    with pytest.raises(ContractError, match="keyword 'oneOf'"):
        _model("Thing", {**document, "allOf": [], "oneOf": []}, BY_ID)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_docstrings_carry_the_schema_descriptions(model: type) -> None:
    document = BY_TITLE[model.__name__]
    doc = model.__doc__ or ""
    summary = " ".join(doc.split("\n\n")[0].split())
    assert summary == document["description"]
    doc = "".join(base.__doc__ or "" for base in model.__mro__)  # inherited attributes too
    for key, node in document["properties"].items():
        if "description" in node:
            flat = " ".join(doc.split())
            assert f"{snake(key)}: {node['description']}" in flat, key


def test_reference_descriptions_are_kept_verbatim() -> None:
    body = BY_TITLE["CreateSessionRequestBody"]["properties"]
    assert body["duration"]["description"] == "Duration of the session in ms"
    assert body["contactIds"]["description"] == "List of contact ids"
    assert body["tracesCount"]["description"] == "Total traces of the session"
    assert body["projectId"]["description"] == "The project id"
    assert body["startedAt"]["description"] == "The time when the session was created"
    assert body["updatedAt"]["description"] == "The time when the session was updated"
    billing = BY_TITLE["Billing"]["properties"]
    assert billing["inputCost"]["description"] == "Total cost of the session"
    assert billing["outputCost"]["description"] == "Total cost of the session"
    assert billing["totalCost"]["description"] == "Total usage of the session"
    usage = BY_TITLE["CreateSessionUsage"]["properties"]
    assert usage["promptTokens"]["description"] == "Total input tokens of the session"
    assert usage["completionTokens"]["description"] == "Total output tokens of the session"
    assert usage["totalTokens"]["description"] == "Total tokens of the session"


def _refuse(uri: str) -> referencing.Resource[Any]:
    raise AssertionError(f"a reference was fetched: {uri}")


def test_refs_resolve_offline_through_referencing() -> None:
    resources = [referencing.Resource.from_contents(d) for d in FILES.values()]
    registry = referencing.Registry(retrieve=_refuse).with_resources(  # type: ignore[call-arg]
        (str(resource.id()), resource) for resource in resources
    )
    resolver = registry.resolver()
    body = BY_TITLE["CreateSessionRequestBody"]["properties"]
    for key in ("billing", "usage"):
        resolved = resolver.lookup(body[key]["$ref"])
        assert resolved.contents["title"] in {"Billing", "CreateSessionUsage"}


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_bundled_schema_is_self_contained(model: type) -> None:
    bundled = ss.schema(model)
    jsonschema.Draft202012Validator.check_schema(bundled)
    text = json.dumps(bundled)
    assert "urn:sessionschema:" not in text.replace(bundled["$id"], "")  # no external $ref left
    refs = re.findall(r'"\$ref": "([^"]+)"', text)
    assert all(ref.startswith("#/$defs/") for ref in refs)
    assert {ref.removeprefix("#/$defs/") for ref in refs} == set(bundled.get("$defs", {}))
    # a plain validator with no registry at all resolves it
    validator = jsonschema.Draft202012Validator(bundled)
    assert validator.is_valid({}) == (not bundled.get("required"))
    assert not validator.is_valid([])


def test_the_response_body_is_the_request_body_plus_its_ids() -> None:
    request, response = BY_TITLE["CreateSessionRequestBody"], BY_TITLE["CreateSessionResponseBody"]
    extra = set(response["properties"]) - set(request["properties"])
    assert extra == {"id", "workspaceId"}
    for key, node in request["properties"].items():
        assert response["properties"][key] == node, key
    assert set(response["required"]) == {*request["required"], "id", "workspaceId"}
    assert issubclass(ss.CreateSessionResponseBody, ss.CreateSessionRequestBody)
    assert ss.CreateSessionBilling is ss.Billing
    assert ss.CreateSessionSessionsUsage is ss.CreateSessionUsage


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_snake_schemas_are_derived_from_the_files_with_the_apis_keys(model: type) -> None:
    derived = ss._schema.document(model, "snake")
    expected = to_snake(BY_TITLE[model.__name__])
    assert derived["properties"].keys() == expected["properties"].keys()
    assert sorted(derived.get("required", [])) == sorted(expected.get("required", []))
    assert derived.get("allOf") == expected.get("allOf")
    for key, node in expected["properties"].items():
        ref = node.get("$ref") or node.get("items", {}).get("$ref")
        if ref is None:
            assert derived["properties"][key] == node, key
        else:  # the snake files have ids of their own
            restyled = ref.replace("urn:sessionschema:", "urn:sessionschema:snake:")
            assert json.dumps(derived["properties"][key]) == json.dumps(node).replace(ref, restyled)
    jsonschema.Draft202012Validator.check_schema(derived)
    bundled = ss.schema(model, style="snake")
    assert bundled["$id"] != ss.schema(model)["$id"]
    for name, definition in bundled.get("$defs", {}).items():
        if name in ENUMS:
            assert definition["enum"] == BY_TITLE[name]["enum"]
        else:
            assert set(definition["properties"]) == set(to_snake(BY_TITLE[name])["properties"])


def test_the_snake_wire_has_exactly_the_apis_keys() -> None:
    keys = set()
    for model in MODELS:
        keys |= set(ss._schema.document(model, "snake")["properties"])
    for camel_key, snake_key in SNAKE_KEYS.items():
        assert snake_key == (snake(camel_key) if camel_key != "id" else "_id"), camel_key
    derived = {
        SNAKE_KEYS.get(key, key)
        for model in MODELS
        for key in BY_TITLE[model.__name__]["properties"]
    }
    assert keys == derived


def test_bundled_schema_is_a_fresh_copy() -> None:
    first = ss.schema()
    first["properties"].clear()
    assert ss.schema()["properties"]
