"""The code generated from the contract: the full pass, the lean pass and the writer of a model.

This is what attrs does for ``__init__`` and cattrs for structuring, done for the whole
contract: the source is written from the description of :mod:`._contract` through an
:class:`~._emit.Emitter`, each field's lines by its kind (:mod:`._kinds`), and compiled by
:func:`~._emit.compile_unit`. A :class:`~._codec.Codec` asks for them once and holds them.

- The **full pass** ``structure_<Title>_<style>_<mode>(data, at, found)`` builds the model from a
  dict, or returns None with every problem in ``found``. It checks the common case inline
  (``type(value) is str``) and falls back to the shared predicates of :mod:`._values` for the
  rare ones, so both layers keep one definition of each JSON type. It reports problems in the
  order jsonschema would meet them over the files (the properties in the file's order, then
  missing required keys, then unknown keys), so that the search limit cuts the same list.
- The **lean pass** ``lean_<Title>_<style>(data)`` builds the model when every value is of the
  exact common type and form and no key is unknown, else returns None at the first doubt, with
  nothing recorded. Whatever it builds, the full pass builds alike in either mode.
- The **writer** ``unstructure_<Title>_<style>(obj)`` writes a model back as a dict of the wire.

An instance is built from values the pass has just checked, without running the validators a
second time: as an instance of the model's building class (:func:`._registry.building`), whose
slots take plain attribute stores, which then becomes an instance of the model.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from ._contract import Model
from ._emit import Emitter, Unit, compile_unit
from ._kinds import Field, Nested, Wrong, use
from ._problems import token
from ._registry import building
from ._styles import Style

__all__ = ["bind_unit", "build", "full_pass", "lean_pass", "name", "writer"]

_ABSENT = object()
"""The value of a key that is not there (None is JSON's null)."""
_MISSING = "required property is missing"


def name(verb: str, cls: type, style: Style, strict: bool | None = None) -> str:
    """The name of a generated function: ``structure_Billing_camel_lenient``."""
    mode = "" if strict is None else ("_strict" if strict else "_lenient")
    return f"{verb}_{cls.__name__}_{style}{mode}"


def bind_unit(e: Emitter, unit: Unit) -> str:
    """Make another compiled function or class callable where ``e`` writes; its name."""
    return e.bind(unit.name, unit.value, "")


def bind_class(e: Emitter, cls: type) -> str:
    """Make the class ``cls`` known where ``e`` writes; its name."""
    imported = f"from {cls.__module__} import {cls.__name__}"
    return e.bind(cls.__name__, cls, cls.__name__, imported)


def build(e: Emitter, cls: type, obj: str, values: list[tuple[Field, str]]) -> None:
    """Write lines that build ``obj``, a ``cls`` with ``values`` (expressions, by field)."""
    model = bind_class(e, cls)
    making = e.bind(
        f"building_{cls.__name__}",
        building(cls),
        f"building({model})",
        "from sessionschema._registry import building",
    )
    e.bind("new", object.__new__, "object.__new__")
    e(f"{obj} = new({making})")
    e(*(f"{obj}.{field.name} = {value}" for field, value in values))
    e(f"{obj}.__class__ = {model}")


def _comment(field: Field, style: Style) -> str:
    """The comment over a field's lines: ``# contactIds: array of string``."""
    what = ("array of " if field.array else "") + (field.model or field.kind.name)
    what += ", nullable" if field.nullable else ""
    return f"# {field.wire_key(style)}: {what}{'' if field.required else ', optional'}"


def _local(field: Field) -> str:
    """The local variable that holds a field's value: ``v_data``, apart from the pass's own
    names (``data``, ``value``, ``found``...) whatever the field is called."""
    return f"v_{field.name}"


def _keys(e: Emitter, model: Model, style: Style) -> str:
    keys = frozenset(field.wire_key(style) for field in model.fields)
    return e.bind(f"KEYS_{model.title}_{style}", keys, f"frozenset({sorted(keys)!r})")


def _optional(e: Emitter, field: Field, key: str) -> None:
    """The start of an optional field's lines: absent, it is None."""
    e.bind("ABSENT", _ABSENT, "object()")
    e(f"value = data.get({key!r}, ABSENT)")
    with e.block("if value is ABSENT:"):
        e(f"{_local(field)} = None")


# -- the full pass --------------------------------------------------------------------------------


def _wrong(path: str, expected: str) -> Wrong:
    def write(e: Emitter) -> None:
        use(e, "describe", "TYPE")
        message = f'"expected {expected}, got " + describe(value)'
        e("bad = True", f"found.add({path}, {message}, TYPE)")

    return write


def _scalar(
    e: Emitter, field: Field, var: str, path: str, nested: Mapping[str, Unit], expected: str
) -> None:
    """Lines that check one value of the field's kind (or nested model) into ``var``."""
    if isinstance(field.kind, Nested):
        function = bind_unit(e, nested[field.model or ""])
        e(f"{var} = {function}(value, {path}, found)")
        with e.block(f"if {var} is None:"):
            e("bad = True")
        return
    field.kind.check(e, field, var, path, _wrong(path, expected))


def _value(e: Emitter, field: Field, var: str, path: str, nested: Mapping[str, Unit]) -> None:
    """Lines that check ``value`` (present) and set ``var``: by the kind, inside the array or
    null handling the field adds."""
    if field.nullable:
        with e.block("if value is None:"):
            e(f"{var} = None")
        with e.block("else:"):
            _scalar(e, field, var, path, nested, field.expected)
        return
    if not field.array:
        _scalar(e, field, var, path, nested, field.expected)
        return
    use(e, "is_array")
    e.bind("list_items", list.__iter__, "list.__iter__")
    fast = None if isinstance(field.kind, Nested) else field.kind.array_fast(e)
    if fast is not None:
        with e.block(f"if type(value) is list and {fast.format('value')}:"):
            e(f"{var} = tuple(value)")
    with e.block("elif is_array(value):" if fast is not None else "if is_array(value):"):
        e("held = []", "item = None")
        with e.block("for index, value in enumerate(tuple(list_items(value))):  # read once"):
            item_path = f"{path} + '/' + str(index)"
            _scalar(e, field, "item", item_path, nested, field.kind.expected)
            e("held.append(item)")
        e(f"{var} = tuple(held)")
    with e.block("else:"):
        _wrong(path, field.expected)(e)


def full_pass(model: Model, style: Style, strict: bool, nested: Mapping[str, Unit]) -> Unit:
    """The full pass of ``model`` (``nested``: the full passes of the models it contains, by
    title)."""
    e = Emitter()
    function = name("structure", model.cls, style, strict)
    keys = _keys(e, model, style)
    use(e, "is_object", "as_object", "describe", "TYPE")
    with e.block(f"def {function}(data, at, found):"):
        e(
            f'"""A {model.title} from a dict of the {style} wire'
            f"{', unknown keys refused' if strict else ''}, or None with every problem in found."
            '"""'
        )
        with e.block(f"if type(data) is not dict or not data.keys() <= {keys}:"):
            with e.block("if not is_object(data):"):
                e('found.add(at, "expected an object, got " + describe(data), TYPE)')
                e("return None")
            with e.block("if type(data) is not dict or not all(type(key) is str for key in data):"):
                e("data = as_object(data)  # read once, without a subclass's own methods")
        e("bad = absent = False" if model.required else "bad = False")
        for field in model.fields:
            key = field.wire_key(style)
            path = f"at + {'/' + token(key)!r}"  # (keys written with repr: any text is safe)
            e(_comment(field, style))
            if field.required:
                with e.block("try:"):
                    e(f"value = data[{key!r}]")
                with e.block("except KeyError:"):
                    e("bad = absent = True")
            else:
                _optional(e, field, key)
            with e.block("else:"):
                _value(e, field, _local(field), path, nested)
        if model.required:
            e.bind("MISSING", _MISSING, repr(_MISSING))
            use(e, "REQUIRED")
            with e.block("if absent:"):
                for field in model.required:
                    key = field.wire_key(style)
                    with e.block(f"if {key!r} not in data:"):
                        e(f"found.add(at + {'/' + token(key)!r}, MISSING, REQUIRED)")
        for flag, listed in model.exclusions:
            use(e, "NOT")
            flag_key, list_key = flag.wire_key(style), listed.wire_key(style)
            message = f"{list_key!r} must not be given with {flag_key!r}: true"
            with e.block(f"if data.get({flag_key!r}) is True and {list_key!r} in data:"):
                e("bad = True", f"found.add(at + {'/' + token(list_key)!r}, {message!r}, NOT)")
        if strict:
            use(e, "quote_key", "ADDITIONAL_PROPERTIES")
            e.bind("token", token, "_problems.token", "from sessionschema import _problems")
            with e.block(f"if not data.keys() <= {keys}:"):
                e("bad = True")
                with e.block("for key in data:"), e.block(f"if key not in {keys}:"):
                    with e.block("found.add("):
                        e('at + "/" + token(key),')
                        e('"unknown property " + quote_key(key) + " (strict mode)",')
                        e("ADDITIONAL_PROPERTIES,")
                    e(")")
        with e.block("if bad:"):
            e("return None")
        build(e, model.cls, "self", [(field, _local(field)) for field in model.fields])
        e("return self")
    return compile_unit(function, e)


# -- the lean pass: the common case, or None ------------------------------------------------------


def _lean_scalar(e: Emitter, field: Field, var: str, nested: Mapping[str, Unit]) -> None:
    if isinstance(field.kind, Nested):
        function = bind_unit(e, nested[field.model or ""])
        e(f"{var} = {function}(value)")
        with e.block(f"if {var} is None:"):
            e("return None")
        return
    field.kind.lean(e, field, var)


def _lean_value(e: Emitter, field: Field, var: str, nested: Mapping[str, Unit]) -> None:
    """Lines of the lean pass that hold ``value`` (present) in ``var``, or return None."""
    if field.nullable:
        with e.block("if value is None:"):
            e(f"{var} = None")
        with e.block("else:"):
            _lean_scalar(e, field, var, nested)
        return
    if not field.array:
        _lean_scalar(e, field, var, nested)
        return
    fast = None if isinstance(field.kind, Nested) else field.kind.array_fast(e)
    if fast is not None:  # (a list of the common case is held without a look at each item)
        with e.block(f"if type(value) is list and {fast.format('value')}:"):
            e(f"{var} = tuple(value)")
    with e.block("elif type(value) is list:" if fast is not None else "if type(value) is list:"):
        e("held = []")
        with e.block("for value in tuple(value):"):
            _lean_scalar(e, field, "item", nested)
            e("held.append(item)")
        e(f"{var} = tuple(held)")
    with e.block("else:"):
        e("return None")


def lean_pass(model: Model, style: Style, nested: Mapping[str, Unit]) -> Unit:
    """The lean pass of ``model`` (``nested``: the lean passes of the models it contains)."""
    e = Emitter()
    function = name("lean", model.cls, style)
    keys = _keys(e, model, style)
    with e.block(f"def {function}(data):"):
        e(f'"""A {model.title} from a dict of the {style} wire in the common case, or None."""')
        with e.block(f"if type(data) is not dict or not data.keys() <= {keys}:"):
            e("return None")
        for field in model.fields:
            key, var = field.wire_key(style), _local(field)
            e(_comment(field, style))
            if field.required:
                with e.block("try:"):
                    e(f"value = data[{key!r}]")
                with e.block("except KeyError:"):
                    e("return None")
                _lean_value(e, field, var, nested)
            else:
                _optional(e, field, key)
                with e.block("else:"):
                    _lean_value(e, field, var, nested)
        for flag, listed in model.exclusions:
            with e.block(f"if {_local(flag)} is True and {_local(listed)} is not None:"):
                e("return None")
        build(e, model.cls, "self", [(field, _local(field)) for field in model.fields])
        e("return self")
    return compile_unit(function, e)


# -- the writer -----------------------------------------------------------------------------------


def _dump(e: Emitter, field: Field, nested: Mapping[str, Unit]) -> str:
    value = f"obj.{field.name}"
    if isinstance(field.kind, Nested):
        write = bind_unit(e, nested[field.model or ""])
        return f"[{write}(item) for item in {value}]" if field.array else f"{write}({value})"
    if field.array:
        item = field.kind.dump(e, "item")
        return f"list({value})" if item == "item" else f"[{item} for item in {value}]"
    return field.kind.dump(e, value)


def writer(model: Model, style: Style, nested: Mapping[str, Unit]) -> Unit:
    """The writer of ``model``: keys in the order of the class's attributes, the required ones
    first; absent optionals (None) are left out."""
    e = Emitter()
    function = name("unstructure", model.cls, style)
    by_name = {field.name: field for field in model.fields}
    ordered = [by_name[attribute.name] for attribute in attrs.fields(model.cls)]
    with e.block(f"def {function}(obj):"):
        e(f'"""A JSON-ready dict of a {model.cls.__name__} on the {style} wire."""')
        with e.block("result = {"):
            for field in ordered:
                if field.required:
                    e(f"{field.wire_key(style)!r}: {_dump(e, field, nested)},")
        e("}")
        for field in ordered:
            if not field.required:
                with e.block(f"if obj.{field.name} is not None:"):
                    e(f"result[{field.wire_key(style)!r}] = {_dump(e, field, nested)}")
        e("return result")
    return compile_unit(function, e)
