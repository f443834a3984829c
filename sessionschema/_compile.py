"""Code generated from the contract: for each model, style and strictness, one pass over a dict
that builds the model or lists every problem; for each model and style, a lean pass that builds
the model from a dict in the common case or gives up at the first doubt (``load`` tries it first,
and ``loads`` where msgspec is not used), and one function that writes a model back as a dict of
the wire.

This is what attrs does for ``__init__`` and cattrs for structuring, done for the whole contract:
the source is written from the description of :mod:`._contract` by small helpers, each kind's
lines by its entry in :data:`._kinds.KINDS`, compiled once at first use, and given a file name
of its own registered in :mod:`linecache`, so tracebacks, debuggers and coverage show its lines.
``sessionschema source`` prints it as a module that runs: the bindings first, then the
functions, as fastjsonschema prints its global state.

The pass checks the common case inline (``type(value) is str``) and falls back to the shared
predicates of :mod:`._values` for the rare ones, so both layers keep one definition of each JSON
type. It reports problems in the order jsonschema would meet them over the files (the
properties in the file's order, then missing required keys, then unknown keys), so that the
search limit cuts the same list. An instance is built from values the pass has just checked,
without running the validators a second time (they stay for users who construct models
themselves): as an instance of the model's building class (:func:`building`), whose slots take
plain attribute stores, which then becomes an instance of the model.
"""

from __future__ import annotations

import itertools
import linecache
import types
from collections.abc import Callable
from typing import Any

import attrs

from . import _json, _problems, _rfc3339, _values
from ._contract import Field, Model, describe_model, is_model
from ._kinds import DIGITS
from ._problems import Found, token
from ._styles import Style, check_style

__all__ = [
    "LEANS",
    "STRUCTURERS",
    "UNSTRUCTURERS",
    "Structure",
    "Unstructure",
    "leaner",
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

Binding = tuple[str, str, Any]
"""A name the generated code uses: (name, the source that makes it, its value)."""

_IMPORTS = "from sessionschema import _compile, _json, _kinds, _problems, _rfc3339, _values"

# What every generated function may call, by the names it uses.
_RUNTIME: tuple[Binding, ...] = (
    ("ABSENT", "object()", _ABSENT),
    ("MISSING", repr("required property is missing"), "required property is missing"),
    ("DOUBLE_MAX", "_values.DOUBLE_MAX", _values.DOUBLE_MAX),
    ("FLOAT_EDGE", "_json.FLOAT_EDGE", _json.FLOAT_EDGE),
    ("DIGITS", "_kinds.DIGITS", DIGITS),
    *(
        (name, f"_problems.{name}", getattr(_problems, name))
        for name in (
            "ADDITIONAL_PROPERTIES",
            "ENUM",
            "FORMAT",
            "NOT",
            "PATTERN",
            "REQUIRED",
            "TYPE",
        )
    ),
    ("DateTimeError", "_rfc3339.DateTimeError", _rfc3339.DateTimeError),
    *(  # the shared predicates of the rare cases
        (name, f"_values.{name}", getattr(_values, name))
        for name in _values.__all__
        if name.islower()
    ),
    ("list_items", "list.__iter__", list.__iter__),
    ("new", "object.__new__", object.__new__),
    ("parse_date_time", "_rfc3339.parse", _rfc3339.parse),
    ("read_date_time", "_rfc3339.common", _rfc3339.common),
    ("format_date_time", "_json.write_date_time", _json.write_date_time),
    ("token", "_problems.token", token),
)


def _name(kind: str, cls: type, style: Style, strict: bool | None = None) -> str:
    mode = "" if strict is None else ("_strict" if strict else "_lenient")
    return f"{kind}_{cls.__name__}_{style}{mode}"


_COUNTER = itertools.count(1)


def _compile(name: str, lines: list[str], bindings: list[Binding]) -> Any:
    """Compile the function ``name`` from ``lines`` with its bindings, under a file name of its
    own in linecache (numbered, as attrs does, so that no entry replaces another)."""
    text = "\n".join(lines) + "\n"
    filename = f"<sessionschema generated {name} #{next(_COUNTER)}>"
    linecache.cache[filename] = (len(text), None, text.splitlines(True), filename)
    namespace = {binding: value for binding, _, value in (*_RUNTIME, *bindings)}
    exec(compile(text, filename, "exec", dont_inherit=True), namespace)  # (annotations: objects)
    function = namespace[name]
    assert isinstance(function, types.FunctionType | type)  # (a class: a struct of _fast)
    return function


def _class_binding(cls: type) -> Binding:
    return cls.__name__, f"from {cls.__module__} import {cls.__name__}", cls


# -- building an instance ---------------------------------------------------------------------

_BUILDING: dict[type, type] = {}


def building(cls: type) -> type:
    """The building class of the model ``cls``: a subclass that adds no slot and no method but
    the plain ``object.__setattr__`` and ``__delattr__``.

    Generated code creates an instance of it, sets each slot by an attribute store, and then
    makes the object an instance of ``cls`` (``obj.__class__ = cls``, allowed because the two
    share their layout). A frozen class's own ``__setattr__`` refuses the stores, and setting a
    slot through its descriptor is a call each; the plain store is specialised by CPython 3.11+
    and, with the one class assignment, builds a model of ten slots in about a third of the
    time. No instance of it outlives the function that builds one; ``cls.__subclasses__()``
    lists it.
    """
    twin = _BUILDING.get(cls)
    if twin is None:
        namespace = {
            "__slots__": (),
            "__setattr__": object.__setattr__,
            "__delattr__": object.__delattr__,
            "__module__": cls.__module__,
            "__qualname__": f"{cls.__qualname__}Building",
            "__doc__": f"A {cls.__name__} being built (see sessionschema._compile.building).",
        }
        twin = _BUILDING[cls] = type(f"{cls.__name__}Building", (cls,), namespace)
    return twin


def _building_name(cls: type) -> str:
    return f"building_{cls.__name__}"


def _building_bindings(cls: type) -> list[Binding]:
    """The model's class and its building class, by the names :func:`_built_lines` uses."""
    name = cls.__name__
    return [_class_binding(cls), (_building_name(cls), f"_compile.building({name})", building(cls))]


def _built_lines(model: Model, obj: str, values: list[tuple[Field, str]], indent: str) -> list[str]:
    """Lines that build ``obj``, a model with ``values`` (expressions, by field)."""
    return [
        f"{indent}{obj} = new({_building_name(model.cls)})",
        *(f"{indent}{obj}.{field.name} = {value}" for field, value in values),
        f"{indent}{obj}.__class__ = {model.cls.__name__}",
    ]


# -- the pass: structure ------------------------------------------------------------------------


def _error(indent: str, path: str, message: str, keyword: str) -> list[str]:
    """Lines that record a problem and mark the object as not to be built."""
    return [f"{indent}bad = True", f"{indent}found.add({path}, {message}, {keyword})"]


def _wrong(field: Field, path: str, indent: str, expected: str | None = None) -> list[str]:
    message = f'"expected {expected or field.expected}, got " + describe(value)'
    return _error(indent, path, message, "TYPE")


def _value_lines(
    field: Field, var: str, path: str, indent: str, style: Style, strict: bool
) -> list[str]:
    """Lines that check ``value`` (present; null only where allowed) and set ``var``: by the
    kind's entry, inside the array or null handling the field adds."""
    kind = field.kind
    if field.nullable:
        checked = _scalar_lines(field, var, path, indent + "    ", style, strict)
        return _or_null(var, indent, checked)
    if not field.array:
        return _scalar_lines(field, var, path, indent, style, strict)
    item_path = f"{path} + '/' + str(index)"
    lines = []
    if kind.array_fast is not None:
        lines += [
            f"{indent}if type(value) is list and {kind.array_fast.format('value')}:",
            f"{indent}    {var} = tuple(value)",
            f"{indent}elif is_array(value):",
        ]
    else:
        lines += [f"{indent}if is_array(value):"]
    inner = indent + "        "
    lines += [
        f"{indent}    held = []",
        f"{indent}    item = None",
        f"{indent}    for index, value in enumerate(tuple(list_items(value))):  # read once",
        *_scalar_lines(field, "item", item_path, inner, style, strict, expected=kind.expected),
        f"{inner}held.append(item)",
        f"{indent}    {var} = tuple(held)",
        f"{indent}else:",
        *_wrong(field, path, indent + "    "),
    ]
    return lines


def _scalar_lines(
    field: Field,
    var: str,
    path: str,
    indent: str,
    style: Style,
    strict: bool,
    expected: str | None = None,
) -> list[str]:
    wrong = _wrong(field, path, indent + "    ", expected)
    lines = field.kind.check(field, var, path, wrong, indent)
    return _bound(lines, field, "structure", style, strict)


def _or_null(var: str, indent: str, lines: list[str]) -> list[str]:
    """``lines`` (indented one level) for a value that is not null; null sets ``var`` to None."""
    return [f"{indent}if value is None:", f"{indent}    {var} = None", f"{indent}else:", *lines]


def _bound(
    lines: list[str], field: Field, verb: str, style: Style, strict: bool | None = None
) -> list[str]:
    """A kind's lines with the names they are compiled with: the function ``verb`` of a nested
    model for ``style`` (and ``strict``), and an enum's set of values."""
    if field.model is not None:
        nested = _name(verb, _model_of(field), style, strict)
        lines = [line.replace(f"{verb}_{field.model}(", f"{nested}(") for line in lines]
    if field.kind.name == "enum":
        lines = [line.replace(f"VALUES_{field.name}", _values_name(field)) for line in lines]
    return lines


def _values_name(field: Field) -> str:
    return f"VALUES_{field.enum or field.name}"


def _model_of(field: Field) -> type:
    from ._contract import model_class

    assert field.model is not None
    return model_class(field.model)


def _field_lines(field: Field, style: Style, strict: bool) -> list[str]:
    key = field.wire_key(style)
    path = f"at + {'/' + token(key)!r}"  # (keys written with repr: any text is safe)
    var = _local(field)
    lines = [_comment(field, style)]
    if field.required:
        return [
            *lines,
            "    try:",
            f"        value = data[{key!r}]",
            "    except KeyError:",
            "        bad = absent = True",
            "    else:",
            *_value_lines(field, var, path, "        ", style, strict),
        ]
    return [
        *lines,
        f"    value = data.get({key!r}, ABSENT)",
        "    if value is ABSENT:",
        f"        {var} = None",
        "    else:",
        *_value_lines(field, var, path, "        ", style, strict),
    ]


def _comment(field: Field, style: Style) -> str:
    """The comment over a field's lines: ``# contactIds: array of string``."""
    what = ("array of " if field.array else "") + (field.model or field.kind.name)
    what += ", nullable" if field.nullable else ""
    return f"    # {field.wire_key(style)}: {what}{'' if field.required else ', optional'}"


def _local(field: Field) -> str:
    """The local variable that holds a field's value: ``v_data``, apart from the pass's own
    names (``data``, ``value``, ``found``...) whatever the field is called."""
    return f"v_{field.name}"


def _keys_name(model: Model, style: Style) -> str:
    return f"KEYS_{model.title}_{style}"


def _structure_lines(model: Model, style: Style, strict: bool) -> tuple[str, list[str]]:
    name = _name("structure", model.cls, style, strict)
    cls = model.cls.__name__
    keys = _keys_name(model, style)
    lines = [
        f"def {name}(data, at, found):",
        f'    """A {cls} from a dict of the {style} wire'
        f"{', unknown keys refused' if strict else ''}, or None with every problem in found."
        '"""',
        f"    if type(data) is not dict or not data.keys() <= {keys}:",
        "        if not is_object(data):",
        '            found.add(at, "expected an object, got " + describe(data), TYPE)',
        "            return None",
        "        if type(data) is not dict or not all(type(key) is str for key in data):",
        "            data = as_object(data)  # read once, without a subclass's own methods",
        "    bad = absent = False" if model.required else "    bad = False",
    ]
    for field in model.fields:
        lines += _field_lines(field, style, strict)
    if model.required:
        lines += ["    if absent:"]
    for field in model.required:
        key = field.wire_key(style)
        lines += [
            f"        if {key!r} not in data:",
            f"            found.add(at + {'/' + token(key)!r}, MISSING, REQUIRED)",
        ]
    for flag, listed in model.exclusions:
        flag_key, list_key = flag.wire_key(style), listed.wire_key(style)
        message = f"{list_key!r} must not be given with {flag_key!r}: true"
        lines += [
            f"    if data.get({flag_key!r}) is True and {list_key!r} in data:",
            *_error("        ", f"at + {'/' + token(list_key)!r}", repr(message), "NOT"),
        ]
    if strict:
        lines += [
            f"    if not data.keys() <= {keys}:",
            "        bad = True",
            "        for key in data:",
            f"            if key not in {keys}:",
            "                found.add(",
            '                    at + "/" + token(key),',
            '                    "unknown property " + quote_key(key) + " (strict mode)",',
            "                    ADDITIONAL_PROPERTIES,",
            "                )",
        ]
    lines += ["    if bad:", "        return None"]
    lines += _built_lines(model, "self", [(field, _local(field)) for field in model.fields], "    ")
    lines += ["    return self"]
    return name, lines


def _structure_bindings(model: Model, style: Style, strict: bool) -> list[Binding]:
    keys = frozenset(field.wire_key(style) for field in model.fields)
    bindings = [
        *_building_bindings(model.cls),
        (_keys_name(model, style), f"frozenset({sorted(keys)!r})", keys),
    ]
    for field in model.fields:
        if field.kind.name == "enum":
            values = frozenset(field.values)
            bindings.append((_values_name(field), f"frozenset({sorted(values)!r})", values))
        if field.model is not None:
            nested = _model_of(field)
            bindings.append(
                (_name("structure", nested, style, strict), "", structurer(nested, style, strict))
            )
    return bindings


STRUCTURERS: dict[tuple[type, Style, bool], Structure] = {}
"""The passes compiled so far, by (model, style, strict): a hot path looks here first."""
UNSTRUCTURERS: dict[tuple[type, Style], Unstructure] = {}
"""The writers compiled so far, by (model, style)."""


def _model(cls: type) -> Model:
    if not is_model(cls):
        from .models import MODELS

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
        function = _compile(name, lines, _structure_bindings(model, style, strict))
        STRUCTURERS[cls, style, strict] = function
    return function


# -- the lean pass: the common case, or None ----------------------------------------------------


def _lean_value_lines(field: Field, var: str, indent: str, style: Style) -> list[str]:
    """Lines of the lean pass that hold ``value`` (present) in ``var``, or return None."""
    if field.nullable:
        return _or_null(var, indent, _lean_scalar_lines(field, var, indent + "    ", style))
    if not field.array:
        return _lean_scalar_lines(field, var, indent, style)
    fast = field.kind.array_fast
    lines = []
    if fast is not None:  # (a list of the common case is held without a look at each item)
        lines += [
            f"{indent}if type(value) is list and {fast.format('value')}:",
            f"{indent}    {var} = tuple(value)",
            f"{indent}elif type(value) is list:",
        ]
    else:
        lines += [f"{indent}if type(value) is list:"]
    inner = indent + "        "
    return [
        *lines,
        f"{indent}    held = []",
        f"{indent}    for value in tuple(value):",
        *_lean_scalar_lines(field, "item", inner, style),
        f"{inner}held.append(item)",
        f"{indent}    {var} = tuple(held)",
        f"{indent}else:",
        f"{indent}    return None",
    ]


def _lean_scalar_lines(field: Field, var: str, indent: str, style: Style) -> list[str]:
    return _bound(field.kind.lean(field, var, indent), field, "lean", style)


def _lean_lines(model: Model, style: Style) -> tuple[str, list[str]]:
    """The lean pass: the model when every value is of the exact common type and form and no
    key is unknown, else None at the first doubt, with nothing recorded. Whatever it builds,
    the full pass builds alike in either mode; whatever it leaves, the full pass reads."""
    name = _name("lean", model.cls, style)
    cls = model.cls.__name__
    lines = [
        f"def {name}(data):",
        f'    """A {cls} from a dict of the {style} wire in the common case, or None."""',
        f"    if type(data) is not dict or not data.keys() <= {_keys_name(model, style)}:",
        "        return None",
    ]
    for field in model.fields:
        key, var = field.wire_key(style), _local(field)
        lines += [_comment(field, style)]
        if field.required:
            lines += [
                "    try:",
                f"        value = data[{key!r}]",
                "    except KeyError:",
                "        return None",
                *_lean_value_lines(field, var, "    ", style),
            ]
        else:
            lines += [
                f"    value = data.get({key!r}, ABSENT)",
                "    if value is ABSENT:",
                f"        {var} = None",
                "    else:",
                *_lean_value_lines(field, var, "        ", style),
            ]
    for flag, listed in model.exclusions:
        lines += [
            f"    if {_local(flag)} is True and {_local(listed)} is not None:",
            "        return None",
        ]
    lines += _built_lines(model, "self", [(field, _local(field)) for field in model.fields], "    ")
    lines += ["    return self"]
    return name, lines


def _lean_bindings(model: Model, style: Style) -> list[Binding]:
    bindings = [
        binding
        for binding in _structure_bindings(model, style, False)
        if not binding[0].startswith("structure_")
    ]
    for field in model.fields:
        if field.model is not None:
            nested = _model_of(field)
            bindings.append((_name("lean", nested, style), "", leaner(nested, style)))
    return bindings


Lean = Callable[[Any], Any]
"""A generated lean pass: a dict -> the model, or None."""

LEANS: dict[str, dict[type, Lean]] = {"camel": {}, "snake": {}}
"""The lean passes compiled so far, by style, then model (``load``'s hot path makes no tuple)."""


def leaner(cls: type, style: Style = "camel") -> Lean:
    """The lean pass of ``cls`` on the wire of ``style``, compiled at its first use: the model
    when ``data`` is in the common case, else None (then run :func:`structurer`'s pass)."""
    function = LEANS.get(style, {}).get(cls)
    if function is None:
        model, style = _model(cls), check_style(style)
        name, lines = _lean_lines(model, style)
        function = _compile(name, lines, _lean_bindings(model, style))
        LEANS[style][cls] = function
    return function


# -- the writer: unstructure --------------------------------------------------------------------


def _dump_expression(field: Field, style: Style) -> str:
    value = f"obj.{field.name}"
    if field.model is not None:
        write = _name("unstructure", _model_of(field), style)
        return f"[{write}(item) for item in {value}]" if field.array else f"{write}({value})"
    if field.array:
        item = field.kind.dump("item")
        return f"list({value})" if item == "item" else f"[{item} for item in {value}]"
    return field.kind.dump(value)


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
        f"        {field.wire_key(style)!r}: {_dump_expression(field, style)},"
        for field in ordered
        if field.required
    ]
    lines += ["    }"]
    for field in ordered:
        if not field.required:
            lines += [
                f"    if obj.{field.name} is not None:",
                f"        result[{field.wire_key(style)!r}] = {_dump_expression(field, style)}",
            ]
    lines += ["    return result"]
    return name, lines


def _unstructure_bindings(model: Model, style: Style) -> list[Binding]:
    bindings = []
    for field in model.fields:
        if field.model is not None:
            nested = _model_of(field)
            bindings.append((_name("unstructure", nested, style), "", unstructurer(nested, style)))
    return bindings


def unstructurer(cls: type, style: Style = "camel") -> Unstructure:
    """The generated writer of ``cls`` for the wire of ``style``, compiled at its first use."""
    function = UNSTRUCTURERS.get((cls, style))
    if function is None:
        model, style = _model(cls), check_style(style)
        name, lines = _unstructure_lines(model, style)
        function = _compile(name, lines, _unstructure_bindings(model, style))
        UNSTRUCTURERS[cls, style] = function
    return function


def _parts(
    cls: type,
    style: Style,
    strict: bool,
    seen: dict[str, None],
    out: list[str],
    bindings: dict[str, str],
) -> None:
    model = describe_model(cls)
    for field in model.fields:
        if field.model is not None:
            _parts(_model_of(field), style, strict, seen, out, bindings)
    for (name, lines), own in (
        (_structure_lines(model, style, strict), _structure_bindings(model, style, strict)),
        (_lean_lines(model, style), _lean_bindings(model, style)),
        (_unstructure_lines(model, style), _unstructure_bindings(model, style)),
    ):
        if name in seen:
            continue
        seen[name] = None
        out.append("\n".join(lines) + "\n")
        bindings.update((binding, text) for binding, text, _ in own if text)


def source(cls: type, style: Style = "camel", strict: bool = False) -> str:
    """The generated source that loading and dumping ``cls`` runs, as a module that runs: the
    bindings it uses, then the passes for ``style`` and ``strict``, the lean passes and the
    writers, of the models it contains first; in lenient mode, where msgspec is used, then its
    structs and the functions that build the models from them (:mod:`._fast`)."""
    from . import _fast

    _model(cls)
    style = check_style(style)
    functions: list[str] = []
    bindings: dict[str, str] = {}
    _parts(cls, style, strict, {}, functions, bindings)
    structs, fast_bindings = ([], {}) if strict else _fast.source(cls, style)
    known = {name for name, _, _ in _RUNTIME} | set(bindings)
    fast_bindings = {name: text for name, text in fast_bindings.items() if name not in known}
    imports = sorted(
        text for text in (*bindings.values(), *fast_bindings.values()) if text.startswith("from ")
    )
    mode = "strict" if strict else "lenient"
    header = [
        f'"""The code sessionschema runs to load and dump {cls.__name__} on the {style} wire'
        f" ({mode}).",
        "",
        f'{_name("structure", cls, style, strict)}(data, "", found) builds one from a dict, or',
        "returns None with every problem in found (a sessionschema._problems.Found);",
        f"{_name('lean', cls, style)}(data) builds one from a dict in the common case, or returns",
        "None at the first doubt (load tries it first);",
        *(
            [
                f"fast_{cls.__name__}_{style}(text) builds one from JSON text that msgspec decodes"
                " into its",
                "struct, or raises a ValueError (loads tries it first, in lenient mode);",
            ]
            if structs
            else []
        ),
        f'{_name("unstructure", cls, style)}(obj) writes one back."""',
        "",
        *(["import msgspec", ""] if structs else []),
        _IMPORTS
        if not any("_fast." in text for text in fast_bindings.values())
        else _IMPORTS.replace("_compile, _json", "_compile, _fast, _json"),
        "",
        *(f"{name} = {text}" for name, text, _ in _RUNTIME),
        *imports,
        *(f"{name} = {text}" for name, text in bindings.items() if not text.startswith("from ")),
        *(
            f"{name} = {text}"
            for name, text in fast_bindings.items()
            if "Wire" not in text and not text.startswith("from ")
        ),
    ]
    # (a struct's decoder after the struct itself)
    decoders = [f"{name} = {text}" for name, text in fast_bindings.items() if "Wire" in text]
    tail = "\n\n" + "\n".join(decoders) + "\n" if decoders else ""
    return "\n".join(header) + "\n\n\n" + "\n\n".join([*functions, *structs]) + tail
