"""The valid path through msgspec (the extra ``fast``): JSON text decoded straight into structs
generated from the contract, then turned into the models by generated code.

For each model and style, ``<Title>Wire`` is a msgspec ``Struct`` with the wire's keys
(``rename``), each field typed by its kind's entry (:meth:`._kinds.Kind.wire_type`), unknown keys
forbidden, and an optional field None when absent, its type without None unless it is nullable,
so that ``null`` is refused where the pass refuses it. A struct decodes a body only where the
pass would hold every value as it is; msgspec refuses any other (a wrong type, a missing or
unknown key, an integer beyond 64 bits, ``5.0`` for an integer, a lone surrogate, invalid UTF-8,
trailing text), and the caller then reads the text as without msgspec: the JSON boundary and the
full pass give the verdict and every problem, so all problems still come from one place.

``fast_<Title>_<style>(text)`` decodes the text and builds the model from the struct: new
objects and slot sets, nested models inline, each date-time read from its text by the one
parser (:mod:`._rfc3339`), the exclusion rules checked. ``check_<Title>_<style>(text)`` decides
the same without building anything: the command line's verdict on a valid record. Both raise a
ValueError wherever the model would not be the one the full pass builds.

Lenient mode only: strict mode reports duplicate keys, which msgspec reads silently (the last
one counts, as in lenient mode), so strict mode stays on the full path. msgspec is imported at
the first call that can use it; without it, or switched off (:mod:`._accelerators`), nothing here
runs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from . import _accelerators, _compile, _rfc3339
from ._compile import Binding
from ._contract import Field, Model, describe_model, model_class
from ._styles import Style, check_style

__all__ = ["CHECKS", "FAST", "Excluded", "available", "checker", "fast", "source", "wire"]

_UNLOADED: Any = object()
_msgspec: Any = _UNLOADED
"""The msgspec module once it is looked for (None: missing or switched off)."""


def available() -> bool:
    """Whether msgspec is installed and not switched off (it is imported on the first call)."""
    global _msgspec
    if _msgspec is _UNLOADED:
        _msgspec = _accelerators.load("msgspec")
    return _msgspec is not None


class Excluded(ValueError):
    """Two keys that exclude each other were given together: the full pass reports it."""


Build = Callable[[Any], Any]
"""A generated function of JSON text (or of a struct): the model, or a ValueError."""

FAST: dict[tuple[type, Style], Build | None] = {}
"""The functions ``fast_<Title>_<style>`` compiled so far, by (model, style); None: msgspec is
not used. A hot path looks here first."""
CHECKS: dict[tuple[type, Style], Build | None] = {}
"""The functions ``check_<Title>_<style>`` compiled so far, by (model, style); None: msgspec is
not used."""
_WIRES: dict[tuple[type, Style], Any] = {}
_BUILDS: dict[tuple[type, Style, bool], Build] = {}


def _runtime() -> tuple[Binding, ...]:
    """The names the generated structs and functions use (msgspec imported)."""
    from typing import Annotated, Literal

    meta = _msgspec.Meta
    int64 = Annotated[int, meta(ge=-(2**63), le=2**63 - 1)]
    digit_text = Annotated[str, meta(pattern=r"\A[0-9]+\Z")]  # (msgspec searches: anchored)
    return (
        ("Annotated", "from typing import Annotated", Annotated),
        ("Literal", "from typing import Literal", Literal),
        ("Struct", "msgspec.Struct", _msgspec.Struct),
        ("Meta", "msgspec.Meta", meta),
        ("INT64", "Annotated[int, Meta(ge=-(2**63), le=2**63 - 1)]", int64),
        ("DIGIT_TEXT", 'Annotated[str, Meta(pattern=r"\\A[0-9]+\\Z")]', digit_text),
        ("Excluded", "_fast.Excluded", Excluded),
        ("new", "object.__new__", object.__new__),
        ("parse_date_time", "_rfc3339.parse", _rfc3339.parse),
        ("read_date_time", "_rfc3339.common", _rfc3339.common),
    )


_RUNTIME: tuple[Binding, ...] | None = None


def _compile_unit(name: str, lines: list[str], bindings: list[Binding]) -> Any:
    global _RUNTIME
    if _RUNTIME is None:
        _RUNTIME = _runtime()
    return _compile._compile(name, lines, [*_RUNTIME, *bindings])


# -- the structs ---------------------------------------------------------------------------------


def _wire_name(model: Model) -> str:
    return f"{model.title}Wire"


def _field_type(field: Field) -> str:
    """The annotation of a struct's field, and its default: ``INT64 | float``, ``str = None``.

    An optional field is None when absent; ``None`` is in its type only when it is nullable, so
    that msgspec refuses ``null`` where the pass refuses it (msgspec does not check defaults)."""
    wire_type = field.kind.wire_type(field)
    if field.array:
        wire_type = f"tuple[{wire_type}, ...]"
    if field.nullable:
        wire_type += " | None"
    return wire_type if field.required else wire_type + " = None"


def _wire_lines(model: Model, style: Style) -> tuple[str, list[str]]:
    name = _wire_name(model)
    rename = {field.name: field.wire_key(style) for field in model.fields}
    return name, [
        f"class {name}(",
        "    Struct,",
        "    kw_only=True,",
        "    forbid_unknown_fields=True,",
        "    gc=False,",
        f"    rename={rename!r},",
        "):",
        f'    """A {model.title} as msgspec decodes it from the {style} wire."""',
        "",
        *(f"    {field.name}: {_field_type(field)}" for field in model.fields),
    ]


def _wire_bindings(model: Model, style: Style) -> list[Binding]:
    bindings = []
    for field in model.fields:
        if field.model is not None:
            nested = describe_model(model_class(field.model))
            bindings.append((_wire_name(nested), "", wire(nested.cls, style)))
    return bindings


def wire(cls: type, style: Style = "camel") -> Any:
    """The struct of ``cls`` on the wire of ``style``, compiled at its first use."""
    struct = _WIRES.get((cls, style))
    if struct is None:
        model = describe_model(cls)
        name, lines = _wire_lines(model, style)
        struct = _compile_unit(name, lines, _wire_bindings(model, style))
        _WIRES[cls, style] = struct
    return struct


# -- building the models, or checking the structs ----------------------------------------------


def _walk(
    model: Model, depth: int, indent: str, style: Style, build: bool, bindings: list[Binding]
) -> list[str]:
    """Lines that read the struct ``wire_{depth}`` of ``model``: with ``build``, into the new
    object ``obj_{depth}``; else only what the struct leaves unchecked (the date-times, the
    exclusion rules)."""
    wire_var, obj = f"wire_{depth}", f"obj_{depth}"
    cls = model.cls.__name__
    lines = []
    for flag, listed in model.exclusions:
        lines += [
            f"{indent}if {wire_var}.{flag.name} is True and {wire_var}.{listed.name} is not None:",
            f"{indent}    raise Excluded({listed.wire_key(style)!r})",
        ]
    if build:
        bindings.extend(_compile._building_bindings(model.cls))
        lines += [f"{indent}{obj} = new({_compile._building_name(model.cls)})"]
    for field in model.fields:
        value = f"{wire_var}.{field.name}"
        none = field.nullable or not field.required  # None where the model holds None
        store = f"{indent}{obj}.{field.name} = "
        if field.model is not None and not field.array:  # a nested model, inline
            nested, inner = f"wire_{depth + 1}", indent + "    " if none else indent
            body = _walk(
                describe_model(model_class(field.model)), depth + 1, inner, style, build, bindings
            )
            if not body:
                continue
            lines += [
                f"{indent}# {field.wire_key(style)}: {field.model}",
                f"{indent}{nested} = {value}",
            ]
            if none:
                lines += [
                    f"{indent}if {nested} is None:",
                    f"{indent}    obj_{depth + 1} = None" if build else f"{indent}    pass",
                    f"{indent}else:",
                ]
            lines += body
            if build:
                lines += [f"{store}obj_{depth + 1}"]
            continue
        if field.model is not None:  # an array of models: a function of each item's struct
            nested_cls = model_class(field.model)
            if not build and not _walk(describe_model(nested_cls), 0, "", style, False, []):
                continue  # (msgspec has checked everything of the items)
            name = _name(nested_cls, style, build, struct=True)
            bindings.append((name, "", _builder(nested_cls, style, build)))
            read = f"tuple([{name}(item) for item in value])"
        elif field.array:
            item = field.kind.from_wire("item")
            read = "value" if item == "item" else f"tuple([{item} for item in value])"
        else:
            read = field.kind.from_wire("value")
        if read == "value":  # held as msgspec decodes it (an array: decoded as a tuple)
            if build:
                lines += [f"{store}{value}"]
            continue
        lines += [f"{indent}value = {value}"]
        if build:
            lines += [f"{store}{f'None if value is None else {read}' if none else read}"]
        elif none:
            lines += [f"{indent}if value is not None:", f"{indent}    {read}"]
        else:
            lines += [f"{indent}{read}"]
    if build:
        lines += [f"{indent}{obj}.__class__ = {cls}"]
    return lines


def _name(cls: type, style: Style, build: bool, struct: bool = False) -> str:
    verb = ("build" if struct else "fast") if build else ("check_wire" if struct else "check")
    return f"{verb}_{cls.__name__}_{style}"


def _function_lines(
    model: Model, style: Style, build: bool, struct: bool
) -> tuple[str, list[str], list[Binding]]:
    """``fast_`` (text -> model), ``check_`` (text -> None), or, with ``struct``, the same of a
    decoded struct (for the items of an array of models)."""
    name = _name(model.cls, style, build, struct)
    bindings: list[Binding] = []
    what = "struct" if struct else f"JSON text of the {style} wire"
    doc = (
        f"A {model.title} from a {what}, or a ValueError"
        if build
        else f"None for a {what} that is a valid {model.title}, else a ValueError"
    )
    lines = [f"def {name}({'wire_0' if struct else 'text'}):", f'    """{doc}."""']
    if not struct:
        decode = f"decode_{model.title}_{style}"
        decoder = _msgspec.json.Decoder(wire(model.cls, style))
        bindings.append(
            (decode, f"msgspec.json.Decoder({_wire_name(model)}).decode", decoder.decode)
        )
        bindings.append((_wire_name(model), "", wire(model.cls, style)))
    body = _walk(model, 0, "    ", style, build, bindings)
    if not struct:  # (a struct that leaves nothing to check is the verdict itself)
        lines += [f"    wire_0 = {decode}(text)" if body else f"    {decode}(text)"]
    lines += body
    lines += ["    return obj_0" if build else "    return None"]
    return name, lines, bindings


def _builder(cls: type, style: Style, build: bool) -> Build:
    """The function of a decoded struct of ``cls`` (an item of an array of models)."""
    function = _BUILDS.get((cls, style, build))
    if function is None:
        name, lines, bindings = _function_lines(describe_model(cls), style, build, struct=True)
        function = _compile_unit(name, lines, bindings)
        _BUILDS[cls, style, build] = function
    return function


def fast(cls: type, style: Style = "camel") -> Build | None:
    """``fast_<Title>_<style>``, compiled at its first use: the model of JSON text that msgspec
    decodes into its struct, else a ValueError; None when msgspec is not used."""
    if (cls, style) not in FAST:
        function = None
        if available():
            model, style = describe_model(cls), check_style(style)
            name, lines, bindings = _function_lines(model, style, build=True, struct=False)
            function = _compile_unit(name, lines, bindings)
        FAST[cls, style] = function
    return FAST[cls, style]


def checker(cls: type, style: Style = "camel") -> Build | None:
    """``check_<Title>_<style>``, compiled at its first use: None for JSON text that is a valid
    model (the verdict of :func:`fast` without the objects), else a ValueError; None when
    msgspec is not used."""
    if (cls, style) not in CHECKS:
        function = None
        if available():
            model, style = describe_model(cls), check_style(style)
            name, lines, bindings = _function_lines(model, style, build=False, struct=False)
            function = _compile_unit(name, lines, bindings)
        CHECKS[cls, style] = function
    return CHECKS[cls, style]


# -- the printed source ----------------------------------------------------------------------------


def source(cls: type, style: Style) -> tuple[list[str], dict[str, str]]:
    """The structs and functions of ``cls`` for ``style`` (the models it contains first), and
    the bindings they use beyond the runtime's, for :func:`._compile.source`; nothing when
    msgspec is not used."""
    if not available():
        return [], {}
    global _RUNTIME
    if _RUNTIME is None:
        _RUNTIME = _runtime()
    parts: dict[str, str] = {}
    bindings: dict[str, str] = {name: text for name, text, _ in _RUNTIME}

    def structs(model: Model) -> None:
        for field in model.fields:
            if field.model is not None:
                structs(describe_model(model_class(field.model)))
        name, lines = _wire_lines(model, style)
        parts.setdefault(name, "\n".join(lines) + "\n")

    def functions(model: Model, build: bool, struct: bool) -> None:
        for field in model.fields:
            if field.model is not None and field.array:
                functions(describe_model(model_class(field.model)), build, struct=True)
        name, lines, own = _function_lines(model, style, build, struct)
        parts.setdefault(name, "\n".join(lines) + "\n")
        bindings.update((binding, text) for binding, text, _ in own if text)

    model = describe_model(cls)
    structs(model)
    functions(model, True, False)
    functions(model, False, False)
    used: set[str] = set()
    texts = list(parts.values())
    while texts:  # the names the code uses, and those that their bindings use in turn
        names = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", " ".join(texts))) & set(bindings) - used
        used |= names
        texts = [bindings[name] for name in names]
    return list(parts.values()), {name: text for name, text in bindings.items() if name in used}
