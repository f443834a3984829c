"""Code generated from the contract: for each model, style and strictness, one pass over a dict
that builds the model or lists every problem; for each model and style, one function that writes
a model back as a dict of the wire.

This is what attrs does for ``__init__`` and cattrs for structuring, done for the whole contract:
the source is written from the description of :mod:`._contract` by small helpers, compiled once
at first use, and given a file name registered in :mod:`linecache`, so tracebacks, debuggers and
coverage show its lines. ``sessionschema source`` prints it.

The pass checks the common case inline (``value.__class__ is str``) and falls back to the shared
predicates of :mod:`._values` for the rare ones, so both layers keep one definition of each JSON
type. It reports problems in the order jsonschema would meet them over the files (the
properties in the file's order, then missing required keys, then unknown keys), so that the
search limit cuts the same list. An instance is built from values the pass has just checked, by
setting its slots as attrs' own ``__init__`` does, without running the validators a second time;
the validators stay for users who construct models themselves.
"""

from __future__ import annotations

import linecache
import types
from collections.abc import Callable
from typing import Any

import attrs

from . import _json, _problems, _rfc3339, _values
from ._contract import Field, Model, describe_model
from ._problems import Found, token
from ._styles import Style, check_style
from .models import MODELS

__all__ = [
    "STRUCTURERS",
    "UNSTRUCTURERS",
    "Structure",
    "Unstructure",
    "source",
    "structurer",
    "unstructurer",
]

Structure = Callable[[Any, str, Found], Any]
"""A generated pass: ``(data, path, found)`` -> the model, or None with the problems in found."""
Unstructure = Callable[[Any], dict[str, Any]]
"""A generated writer: a model -> a JSON-ready dict of the wire."""

_ABSENT = object()
"""The value of a key that is not there (None is JSON's null)."""

# What every generated pass may call, by the names it uses.
_RUNTIME: dict[str, Any] = {
    "ABSENT": _ABSENT,
    "MISSING": "required property is missing",
    "DOUBLE_MAX": _values.DOUBLE_MAX,
    "ADDITIONAL_PROPERTIES": _problems.ADDITIONAL_PROPERTIES,
    "FORMAT": _problems.FORMAT,
    "REQUIRED": _problems.REQUIRED,
    "TYPE": _problems.TYPE,
    "DateTimeError": _rfc3339.DateTimeError,
    "as_number": _values.as_number,
    "as_object": _values.as_object,
    "as_string": _values.as_string,
    "ascii_strings": _values.ascii_strings,
    "list_items": list.__iter__,
    "describe": _values.describe,
    "is_array": _values.is_array,
    "is_number": _values.is_number,
    "is_object": _values.is_object,
    "is_string": _values.is_string,
    "new": object.__new__,
    "parse_date_time": _rfc3339.parse,
    "format_date_time": _json.write_date_time,
    "quote_key": _values.quote_key,
    "token": token,
}

_EXPECTED = {
    "number": "a number",
    "string": "a string",
    "nullable string": "a string or null",
    "date-time": "a string",
    "strings": "an array",
    "model": "an object",
}


def _name(kind: str, cls: type, style: Style, strict: bool | None = None) -> str:
    mode = "" if strict is None else ("_strict" if strict else "_lenient")
    return f"{kind}_{cls.__name__}_{style}{mode}"


def _compile(name: str, lines: list[str], namespace: dict[str, Any]) -> Any:
    """Compile the function ``name`` from ``lines``, with a file name of its own in linecache."""
    text = "\n".join(lines) + "\n"
    filename = f"<sessionschema generated {name}>"
    linecache.cache[filename] = (len(text), None, text.splitlines(True), filename)
    exec(compile(text, filename, "exec"), namespace)
    function = namespace[name]
    assert isinstance(function, types.FunctionType)
    return function


# -- the pass: structure ------------------------------------------------------------------------


def _error(indent: str, path: str, message: str, keyword: str) -> list[str]:
    """Lines that record a problem and mark the object as not to be built."""
    return [f"{indent}bad = True", f"{indent}found.add({path}, {message}, {keyword})"]


def _value_lines(field: Field, var: str, path: str, indent: str) -> list[str]:
    """Lines that check ``value`` (present, not null unless allowed) and set ``var``."""
    expected = f'"expected {_EXPECTED[field.kind]}, got " + describe(value)'
    wrong = _error(indent + "    ", path, expected, "TYPE")
    # (types are read with type(), which a value cannot lie about; a subclass's value is held
    # as the plain int, float or str)
    if field.kind == "number":
        return [
            f"{indent}if (",
            f"{indent}    type(value) is float and -DOUBLE_MAX <= value <= DOUBLE_MAX",
            f"{indent}    or type(value) is int and -DOUBLE_MAX <= value <= DOUBLE_MAX",
            f"{indent}):",
            f"{indent}    {var} = value",
            f"{indent}elif is_number(value):  # a subclass of int or float",
            f"{indent}    {var} = as_number(value)",
            f"{indent}else:",
            *wrong,
        ]
    if field.kind in ("string", "nullable string"):
        test = "type(value) is str and value.isascii()"
        if field.kind == "nullable string":
            test = f"value is None or {test}"
        return [
            f"{indent}if {test}:",
            f"{indent}    {var} = value",
            f"{indent}elif is_string(value):",
            f"{indent}    {var} = as_string(value)",
            f"{indent}else:",
            *wrong,
        ]
    if field.kind == "date-time":  # (the parser reads ASCII only: no isascii() beforehand)
        reason = 'f"expected an RFC 3339 date-time, got {describe(value)}: {reason}"'
        return [
            f"{indent}if type(value) is str or is_string(value):",
            f"{indent}    try:",
            f"{indent}        {var} = parse_date_time(",
            f"{indent}            value if type(value) is str else as_string(value)",
            f"{indent}        )",
            f"{indent}    except DateTimeError as reason:",
            f"{indent}        if is_string(value):",
            *_error(indent + "            ", path, reason, "FORMAT"),
            f"{indent}        else:  # a lone surrogate: not a string at all",
            *_error(indent + "            ", path, expected, "TYPE"),
            f"{indent}else:",
            *wrong,
        ]
    if field.kind == "strings":
        item = f"{path} + '/' + str(index)"
        return [
            f"{indent}if type(value) is list and ascii_strings(value):",
            f"{indent}    {var} = tuple(value)",
            f"{indent}elif is_array(value):",
            f"{indent}    {var} = tuple(list_items(value))  # read once, as stored",
            f"{indent}    for index, item in enumerate({var}):",
            f"{indent}        if not is_string(item):",
            *_error(
                indent + "            ", item, '"expected a string, got " + describe(item)', "TYPE"
            ),
            f"{indent}    if not bad:",
            f"{indent}        {var} = tuple(map(as_string, {var}))",
            f"{indent}else:",
            *wrong,
        ]
    assert field.model is not None, field.kind
    return [
        f"{indent}{var} = structure_{field.model.__name__}(value, {path}, found)",
        f"{indent}if {var} is None:",
        f"{indent}    bad = True",
    ]


def _field_lines(field: Field, style: Style) -> list[str]:
    key = field.wire_key(style)
    path = f"at + {'/' + token(key)!r}"  # (keys written with repr: any text is safe)
    var = field.name
    lines = [f"    # {key}: {field.kind}{'' if field.required else ', optional'}"]
    if field.required:
        return [
            *lines,
            "    try:",
            f"        value = data[{key!r}]",
            "    except KeyError:",
            "        bad = absent = True",
            "    else:",
            *_value_lines(field, var, path, "        "),
        ]
    return [
        *lines,
        f"    value = data.get({key!r}, ABSENT)",
        "    if value is ABSENT:",
        f"        {var} = None",
        "    else:",
        *_value_lines(field, var, path, "        "),
    ]


def _structure_lines(model: Model, style: Style, strict: bool) -> tuple[str, list[str]]:
    name = _name("structure", model.cls, style, strict)
    cls = model.cls.__name__
    lines = [
        f"def {name}(data, at, found):",
        f'    """A {cls} from a dict of the {style} wire'
        f"{', unknown keys refused' if strict else ''}, or None with every problem in found."
        '"""',
        "    if type(data) is not dict or not data.keys() <= KEYS:",
        "        if not is_object(data):",
        '            found.add(at, "expected an object, got " + describe(data), TYPE)',
        "            return None",
        "        if type(data) is not dict or not all(type(key) is str for key in data):",
        "            data = as_object(data)  # read once, without a subclass's own methods",
        "    bad = absent = False",
    ]
    for field in model.fields:
        lines += _field_lines(field, style)
    if model.required:
        lines += ["    if absent:"]
    for field in model.required:
        key = field.wire_key(style)
        lines += [
            f"        if {key!r} not in data:",
            f"            found.add(at + {'/' + token(key)!r}, MISSING, REQUIRED)",
        ]
    if strict:
        lines += [
            "    if not data.keys() <= KEYS:",
            "        bad = True",
            "        for key in data:",
            "            if key not in KEYS:",
            "                found.add(",
            '                    at + "/" + token(key),',
            '                    "unknown property " + quote_key(key) + " (strict mode)",',
            "                    ADDITIONAL_PROPERTIES,",
            "                )",
        ]
    lines += ["    if bad:", "        return None", f"    self = new({cls})"]
    lines += [f"    set_{field.name}(self, {field.name})" for field in model.fields]
    lines += ["    return self"]
    return name, lines


def _structure_namespace(model: Model, style: Style, strict: bool) -> dict[str, Any]:
    namespace = dict(_RUNTIME)
    namespace[model.cls.__name__] = model.cls
    namespace["KEYS"] = frozenset(field.wire_key(style) for field in model.fields)
    for field in model.fields:
        # A slotted class's attribute is a member descriptor: setting through it is what attrs'
        # __init__ does for a frozen class (object.__setattr__), without the validators.
        descriptor = getattr(model.cls, field.name)
        assert isinstance(descriptor, types.MemberDescriptorType), (model.cls, field.name)
        namespace[f"set_{field.name}"] = descriptor.__set__
        if field.model is not None:
            namespace[f"structure_{field.model.__name__}"] = structurer(field.model, style, strict)
    return namespace


STRUCTURERS: dict[tuple[type, Style, bool], Structure] = {}
"""The passes compiled so far, by (model, style, strict): a hot path looks here first."""
UNSTRUCTURERS: dict[tuple[type, Style], Unstructure] = {}
"""The writers compiled so far, by (model, style)."""


def _model(cls: type) -> Model:
    if cls not in MODELS:
        names = ", ".join(model.__name__ for model in MODELS)
        raise TypeError(f"{cls!r} is not a sessionschema model; expected one of {names}")
    return describe_model(cls)


def structurer(cls: type, style: Style = "camel", strict: bool = False) -> Structure:
    """The generated pass of ``cls`` on the wire of ``style``, compiled at its first use.

    A TypeError if ``cls`` is not a model, a ValueError if ``style`` is unknown.
    """
    function = STRUCTURERS.get((cls, style, strict))
    if function is None:
        model, style = _model(cls), check_style(style)
        name, lines = _structure_lines(model, style, strict)
        function = _compile(name, lines, _structure_namespace(model, style, strict))
        STRUCTURERS[cls, style, strict] = function
    return function


# -- the writer: unstructure --------------------------------------------------------------------


def _dump_expression(field: Field) -> str:
    value = f"obj.{field.name}"
    if field.kind == "strings":
        return f"list({value})"
    if field.kind == "date-time":
        return f"format_date_time({value})"
    if field.kind == "model":
        assert field.model is not None
        return f"unstructure_{field.model.__name__}({value})"
    return value


def _unstructure_lines(model: Model, style: Style) -> tuple[str, list[str]]:
    """Keys in the order of the class's attributes, the required ones first: absent optionals
    (None) are left out."""
    name = _name("unstructure", model.cls, style)
    by_name = {field.name: field for field in model.fields}
    ordered = [by_name[attribute.name] for attribute in attrs.fields(model.cls)]
    lines = [
        f"def {name}(obj):",
        f'    """A JSON-ready dict of a {model.cls.__name__} on the {style} wire."""',
        "    result = {",
    ]
    lines += [
        f"        {field.wire_key(style)!r}: {_dump_expression(field)},"
        for field in ordered
        if field.required
    ]
    lines += ["    }"]
    for field in ordered:
        if not field.required:
            lines += [
                f"    if obj.{field.name} is not None:",
                f"        result[{field.wire_key(style)!r}] = {_dump_expression(field)}",
            ]
    lines += ["    return result"]
    return name, lines


def unstructurer(cls: type, style: Style = "camel") -> Unstructure:
    """The generated writer of ``cls`` for the wire of ``style``, compiled at its first use."""
    function = UNSTRUCTURERS.get((cls, style))
    if function is None:
        model, style = _model(cls), check_style(style)
        name, lines = _unstructure_lines(model, style)
        namespace = dict(_RUNTIME)
        for field in model.fields:
            if field.model is not None:
                namespace[f"unstructure_{field.model.__name__}"] = unstructurer(field.model, style)
        function = _compile(name, lines, namespace)
        UNSTRUCTURERS[cls, style] = function
    return function


def source(cls: type, style: Style = "camel", strict: bool = False) -> str:
    """The generated source that loading and dumping ``cls`` runs: the passes for ``style`` and
    ``strict`` and the writers, of the models it contains first."""
    model, style = _model(cls), check_style(style)
    parts = [source(field.model, style, strict) for field in model.fields if field.model]
    for _, lines in (_structure_lines(model, style, strict), _unstructure_lines(model, style)):
        parts.append("\n".join(lines) + "\n")
    return "\n\n".join(dict.fromkeys(parts))  # a model contained twice is printed once
