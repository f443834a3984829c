"""The valid path through msgspec (the extra ``fast``): JSON text decoded straight into structs
generated from the contract, then turned into the models by generated code.

For each model and style, ``<Title>Wire`` is a msgspec ``Struct`` with the wire's keys
(``rename``), each field typed by its kind (:meth:`._kinds.Kind.wire_type`), unknown keys
forbidden, and an optional field None when absent, its type without None unless it is nullable,
so that ``null`` is refused where the pass refuses it. A struct decodes a body only where the
pass would hold every value as it is; msgspec refuses any other (a wrong type, a missing or
unknown key, an integer beyond 64 bits, ``5.0`` for an integer, a lone surrogate, invalid UTF-8,
trailing text), and the codec then reads the text as without msgspec: the JSON boundary and the
full pass give the verdict and every problem, so all problems still come from one place.

``fast_<Title>_<style>(text)`` decodes the text and builds the model from the struct: new
objects and slot sets, nested models inline, each date-time read from its text by the one
parser (:mod:`._rfc3339`), the exclusion rules checked. ``check_<Title>_<style>(text)`` decides
the same without building anything: the command line's verdict on a valid record. Both raise a
ValueError wherever the model would not be the one the full pass builds. For the items of an
array of models, ``build_<Title>_<style>`` and ``check_wire_<Title>_<style>`` do the same from a
decoded struct.

Lenient mode only: strict mode reports duplicate keys, which msgspec reads silently (the last
one counts, as in lenient mode), so strict mode stays on the full path.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from ._contract import Model
from ._emit import Emitter, Unit, compile_unit
from ._generate import bind_unit, build
from ._kinds import Nested
from ._registry import describe_model, model_class
from ._styles import Style

__all__ = ["Excluded", "Structs", "item_function", "struct", "text_function"]


class Excluded(ValueError):
    """Two keys that exclude each other were given together: the full pass reports it."""


class Structs(NamedTuple):
    """What a model's codec compiles for msgspec, and what the codecs of models containing it
    use: its struct, and the functions of one decoded struct (an item of an array)."""

    wire: Unit
    build: Unit
    check: Unit


Lookup = Callable[[str], Structs]
"""The structs of a nested model, by title (from its own codec)."""


def _wire_name(model: Model) -> str:
    return f"{model.title}Wire"


def struct(model: Model, style: Style, lookup: Lookup, msgspec: Any) -> Unit:
    """The struct ``<Title>Wire`` of ``model`` on the wire of ``style``."""
    e = Emitter()
    name = _wire_name(model)
    e.bind("Struct", msgspec.Struct, "msgspec.Struct", "import msgspec")
    rename = {field.name: field.wire_key(style) for field in model.fields}
    with e.block(f"class {name}("):
        e("Struct,", "kw_only=True,", "forbid_unknown_fields=True,", "gc=False,")
        e(f"rename={rename!r},")
    with e.block("):"):
        e(f'"""A {model.title} as msgspec decodes it from the {style} wire."""', "")
        for field in model.fields:
            # An optional field is None when absent; None is in its type only when it is
            # nullable, so that msgspec refuses null where the pass does (msgspec does not check
            # defaults).
            if isinstance(field.kind, Nested):
                wire_type = bind_unit(e, lookup(field.model or "").wire)
            else:
                wire_type = field.kind.wire_type(e, field, msgspec)
            if field.array:
                wire_type = f"tuple[{wire_type}, ...]"
            if field.nullable:
                wire_type += " | None"
            e(f"{field.name}: {wire_type}{'' if field.required else ' = None'}")
    return compile_unit(name, e)


def _walk(e: Emitter, model: Model, depth: int, style: Style, make: bool, lookup: Lookup) -> None:
    """Lines that read the struct ``wire_{depth}`` of ``model``: with ``make``, into the new
    object ``obj_{depth}``; else only what the struct leaves unchecked (the date-times, the
    exclusion rules)."""
    wire = f"wire_{depth}"
    for flag, listed in model.exclusions:
        e.bind("Excluded", Excluded, "_structs.Excluded", "from sessionschema import _structs")
        with e.block(f"if {wire}.{flag.name} is True and {wire}.{listed.name} is not None:"):
            e(f"raise Excluded({listed.wire_key(style)!r})")
    values = []
    for field in model.fields:
        value = f"{wire}.{field.name}"
        none = field.nullable or not field.required  # None where the model holds None
        kind = field.kind
        if isinstance(kind, Nested):
            inner = describe_model(model_class(field.model or ""))
            if not make and not _leaves_work(inner, style, lookup):
                continue  # (msgspec has checked everything of it)
            if field.array:  # an array of models: a function of each item's struct
                structs = lookup(inner.title)
                function = bind_unit(e, structs.build if make else structs.check)
                read = f"tuple([{function}(item) for item in value])"
            else:  # a nested model, inline
                nested = f"wire_{depth + 1}"
                e(f"# {field.wire_key(style)}: {inner.title}", f"{nested} = {value}")
                if none:
                    with e.block(f"if {nested} is None:"):
                        e(f"obj_{depth + 1} = None" if make else "pass")
                    with e.block("else:"):
                        _walk(e, inner, depth + 1, style, make, lookup)
                else:
                    _walk(e, inner, depth + 1, style, make, lookup)
                if make:  # (held apart: the next nested model is built into obj_{depth + 1})
                    e(f"held_{depth}_{field.name} = obj_{depth + 1}")
                    values.append((field, f"held_{depth}_{field.name}"))
                continue
        elif field.array:
            item = kind.from_wire(e, "item")
            read = "value" if item == "item" else f"tuple([{item} for item in value])"
        else:
            read = kind.from_wire(e, "value")
        if read == "value":  # held as msgspec decodes it (an array: decoded as a tuple)
            values.append((field, value))
            continue
        e(f"value = {value}")
        if make:
            held = f"None if value is None else {read}" if none else read
            e(f"held_{depth}_{field.name} = {held}")
            values.append((field, f"held_{depth}_{field.name}"))
        elif none:
            with e.block("if value is not None:"):
                e(read)
        else:
            e(read)
    if make:
        build(e, model.cls, f"obj_{depth}", values)


def _leaves_work(model: Model, style: Style, lookup: Lookup) -> bool:
    """Whether checking a decoded struct of ``model`` has anything left to do."""
    probe = Emitter()
    _walk(probe, model, 0, style, False, lookup)
    return bool(probe.text.strip())


def _function(model: Model, style: Style, make: bool, lookup: Lookup, decoder: Any | None) -> Unit:
    """``fast_`` (text -> model) or ``check_`` (text -> None) with a ``decoder``; without,
    ``build_`` or ``check_wire_``, the same of a decoded struct."""
    verb = ("fast" if make else "check") if decoder else ("build" if make else "check_wire")
    name = f"{verb}_{model.title}_{style}"
    what = "struct" if decoder is None else f"JSON text of the {style} wire"
    doc = (
        f"A {model.title} from a {what}, or a ValueError"
        if make
        else f"None for a {what} that is a valid {model.title}, else a ValueError"
    )
    e = Emitter()
    body = Emitter()
    _walk(body, model, 0, style, make, lookup)
    with e.block(f"def {name}({'wire_0' if decoder is None else 'text'}):"):
        e(f'"""{doc}."""')
        if decoder is not None:
            wire = bind_unit(e, lookup(model.title).wire)
            decode = e.bind(
                f"decode_{model.title}_{style}",
                decoder,
                f"msgspec.json.Decoder({wire}).decode",
                "import msgspec",
                late=True,
            )
            # (a struct that leaves nothing to check is the verdict itself)
            e(f"wire_0 = {decode}(text)" if body.text.strip() else f"{decode}(text)")
        if body.text.strip():
            e(*body.text.rstrip("\n").split("\n"))
        e.bind_all(body.bindings)
        e("return obj_0" if make else "return None")
    return compile_unit(name, e)


def text_function(model: Model, style: Style, make: bool, lookup: Lookup, msgspec: Any) -> Unit:
    """``fast_<Title>_<style>`` (``make``) or ``check_<Title>_<style>``: of JSON text."""
    decoder = msgspec.json.Decoder(lookup(model.title).wire.value).decode
    return _function(model, style, make, lookup, decoder)


def item_function(model: Model, style: Style, make: bool, lookup: Lookup) -> Unit:
    """``build_<Title>_<style>`` (``make``) or ``check_wire_<Title>_<style>``: of a struct."""
    return _function(model, style, make, lookup, None)
