"""The kinds of field, one class each: everything the library's code knows about a kind.

A field of the contract is a kind (:data:`KINDS`), optionally nullable, optionally an array of
that kind, or a nested model (:data:`NESTED`, which is no kind: the generators write its code
from the model itself). Each kind says how it reads from a schema node, the lines of the full
pass that check and hold a value (the common case inline, the rare case through
:mod:`._values`), the lines of the lean pass, its message, its dump expression, its type in the
msgspec structs and what is read from it, the check of the value a model holds (the attrs
validator), and a valid sample for the example payload. Whatever name its code uses, it binds
itself (:meth:`._emit.Emitter.bind`), so a kind stands alone: adding one is one class here and
its strategy in :mod:`sessionschema.strategies`.

Nullability, arrays and the object-level rules (required keys, unknown keys, mutual exclusion)
are not kinds: they wrap or join fields of any kind, and are written once in the generator.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Annotated, Any, ClassVar, Literal

import attrs

from . import _problems, _rfc3339, _values
from ._emit import Emitter
from ._json import write_date_time
from ._styles import Style, snake

__all__ = [
    "DESCRIBING",
    "KINDS",
    "NESTED",
    "Field",
    "Kind",
    "Nested",
    "Number",
    "Wrong",
    "add",
    "exclusive",
    "use",
    "validator",
]

Number = int | float
"""A JSON number: an int or a finite float, never a bool."""

DESCRIBING = frozenset({"description", "title", "$comment", "examples"})
"""Keywords that describe a node without asserting anything."""

Wrong = Callable[[Emitter], None]
"""Writes the lines that record a ``type`` problem of ``value`` and mark the object bad."""

_VALUES = "from sessionschema import _values"
_PROBLEMS = "from sessionschema import _problems"
_RFC3339 = "from sessionschema import _rfc3339"


def use(e: Emitter, *names: str) -> None:
    """Bind the shared predicates and keywords ``names`` (of :mod:`._values` or
    :mod:`._problems`) where ``e`` writes code that calls them."""
    for name in names:
        if hasattr(_values, name):
            e.bind(name, getattr(_values, name), f"_values.{name}", _VALUES)
        else:
            e.bind(name, getattr(_problems, name), f"_problems.{name}", _PROBLEMS)


class Nested:
    """What a field that holds another model says of its value (no code: see the module)."""

    name: ClassVar[str] = "model"
    expected: ClassVar[str] = "an object"
    json_type: ClassVar[str] = "object"


NESTED = Nested()


@attrs.frozen
class Field:
    """One property of a model, as the contract reads it from a schema file."""

    name: str
    """The attribute name: ``contact_ids``."""
    key: str
    """The key on the camel wire, as the schema file writes it: ``contactIds``."""
    required: bool
    kind: Kind | Nested
    """The kind of the value, or of each item of an array (:data:`NESTED`: a model)."""
    nullable: bool = False
    """``null`` is allowed (and held as None)."""
    array: bool = False
    """An array of values of the kind, held as a tuple."""
    model: str | None = None
    """The title of the nested model, for a field of another model."""
    values: tuple[str, ...] = ()
    """The allowed strings, for a field of kind ``enum``."""
    enum: str | None = None
    """The title of the named enum the values come from (a ``$ref``), if any."""
    description: str | None = None
    examples: tuple[Any, ...] = attrs.field(default=(), eq=False)
    """The values of the property's ``examples`` in its schema file (samples, not rules)."""

    def wire_key(self, style: Style) -> str:
        """The key on the wire of ``style``: ``contactIds`` or ``contact_ids`` (``id``: ``_id``)."""
        return self.key if style == "camel" else snake(self.key)

    @property
    def types(self) -> tuple[str, ...]:
        """The JSON types the field allows, as a schema's ``type`` names them (an enum: string)."""
        base = "array" if self.array else (self.kind.json_type or "string")
        return (base, "null") if self.nullable else (base,)

    @property
    def expected(self) -> str:
        """What the field expects, for messages: ``a string or null``, ``an array``."""
        expected = "an array" if self.array else self.kind.expected
        return expected + " or null" if self.nullable else expected


Refusal = tuple[type[Exception], str]
"""Why a model cannot hold a value: TypeError (another type) or ValueError, and the message."""


def _not_exactly(value: Any, name: str) -> Refusal:
    """A value whose type is not exactly the one a model holds (a subclass included)."""
    kind = type(value)
    article = "an" if name == "int" else "a"
    if issubclass(kind, _HELD[name]) and kind is not bool:
        return TypeError, f"expected {article} {name}, got {kind.__name__}, a subclass of {name}"
    return TypeError, f"expected {article} {name}, got {_values.describe(value)}"


_HELD: dict[str, type] = {"str": str, "int": int, "float": float, "datetime": datetime}


class Kind:
    """One kind of field. Subclasses fill in what differs; see the module's docstring."""

    name: ClassVar[str]
    expected: ClassVar[str]
    """What the kind expects, for messages: ``a number``."""
    json_type: ClassVar[str | None]
    """The schema's ``type`` of the kind (None: the kind says no type, as an enum)."""
    annotation: ClassVar[str]
    """The Python type a model holds, as the generated classes write it."""
    keywords: ClassVar[frozenset[str]] = frozenset({"type"})
    """The assertion keywords a node of this kind may use."""
    lean_test: ClassVar[str] = ""
    """The test, on ``value``, of the common case that the lean pass holds as it is."""
    lean_names: ClassVar[tuple[str, ...]] = ()
    """The shared names :attr:`lean_test` calls."""

    # -- reading the schema ---------------------------------------------------------------------

    def reads(self, node: dict[str, Any]) -> bool:
        """Whether ``node`` (``type`` without ``null``, no ``$ref``) is a field of this kind."""
        return node.get("type") == self.json_type and set(node) - DESCRIBING <= self.keywords

    # -- the full pass --------------------------------------------------------------------------

    def check(self, e: Emitter, field: Field, var: str, path: str, wrong: Wrong) -> None:
        """Write lines that hold ``value`` in ``var``, or run ``wrong`` (which records a
        ``type`` problem and marks the object bad) or record another problem of the kind."""
        raise NotImplementedError

    def array_fast(self, e: Emitter) -> str | None:
        """A test of a whole list (``{}``: the list) true when every item is in the common
        case, so that an array is held without a look at each item; None: no such test."""
        return None

    # -- the lean pass --------------------------------------------------------------------------

    def lean(self, e: Emitter, field: Field, var: str) -> None:
        """Write lines of the lean pass that hold ``value`` in ``var`` when it is of the exact
        common type and form, and otherwise return None at once: the full pass then holds it or
        says why. No problem is recorded, no path is written."""
        use(e, *self.lean_names)
        with e.block(f"if not ({self.lean_test}):"):
            e("return None")
        e(f"{var} = value")

    # -- the writer -----------------------------------------------------------------------------

    def dump(self, e: Emitter, expression: str) -> str:
        """The expression that writes a held value as JSON data."""
        return expression

    # -- the msgspec structs --------------------------------------------------------------------

    def wire_type(self, e: Emitter, field: Field, msgspec: Any) -> str:
        """The msgspec type of one value of the kind, as the generated structs write it: it
        decodes exactly the JSON values that the pass holds as they are, and no other, to what
        the model holds or to what :meth:`from_wire` reads."""
        raise NotImplementedError

    def from_wire(self, e: Emitter, expression: str) -> str:
        """The expression of the value a model holds, from the decoded value ``expression``
        (it raises a ValueError for a value the pass refuses)."""
        return expression

    # -- the models' validators -----------------------------------------------------------------

    def refuse(self, field: Field, value: Any) -> Refusal | None:
        """Why a model cannot hold ``value`` here, or None. A model holds what the pass builds:
        values of exactly the types it makes, never a subclass or a look-alike."""
        raise NotImplementedError

    # -- the example ----------------------------------------------------------------------------

    def sample(self, field: Field) -> Any:
        """A valid value of the wire, for the example payload."""
        raise NotImplementedError


def _inline(
    e: Emitter, test: str, hold: str, rare: str, convert: str, var: str, wrong: Wrong
) -> None:
    """The common shape: the inline test, the rare case through a predicate, else wrong."""
    use(e, rare, convert)
    with e.block(f"if {test}:"):
        e(f"{var} = {hold}")
    with e.block(f"elif {rare}(value):"):
        e(f"{var} = {convert}(value)")
    with e.block("else:"):
        wrong(e)


def _int64(e: Emitter, msgspec: Any) -> str:
    e.bind("Annotated", Annotated, "Annotated", "from typing import Annotated")
    value = Annotated[int, msgspec.Meta(ge=-(2**63), le=2**63 - 1)]
    return e.bind("INT64", value, "Annotated[int, msgspec.Meta(ge=-(2**63), le=2**63 - 1)]")


# -- numbers ---------------------------------------------------------------------------------------


class _Number(Kind):
    name = "number"
    expected = "a number"
    json_type = "number"
    annotation = "Number"

    def check(self, e: Emitter, field: Field, var: str, path: str, wrong: Wrong) -> None:
        use(e, "DOUBLE_MAX", "is_number", "as_number")
        with e.block("if ("):
            e("type(value) is float and -DOUBLE_MAX <= value <= DOUBLE_MAX")
            e("or type(value) is int and -DOUBLE_MAX <= value <= DOUBLE_MAX")
        with e.block("):"):
            e(f"{var} = value")
        with e.block("elif is_number(value):  # a subclass of int or float"):
            e(f"{var} = as_number(value)")
        with e.block("else:"):
            wrong(e)

    # A float is held only below 2**63 in magnitude: orjson reads an integer beyond 64 bits as a
    # float (the lean pass reads its values without the text's checks; see _values.FLOAT_EDGE).
    lean_test = (
        "type(value) is float and -FLOAT_EDGE < value < FLOAT_EDGE"
        " or type(value) is int and -DOUBLE_MAX <= value <= DOUBLE_MAX"
    )
    lean_names = ("FLOAT_EDGE", "DOUBLE_MAX")

    def wire_type(self, e: Emitter, field: Field, msgspec: Any) -> str:
        # Both: a float alone would read 1 as 1.0 and 9007199254740993 as a rounded double. An
        # integer beyond 64 bits is refused here, and the pass holds it (10**30 is a number).
        return f"{_int64(e, msgspec)} | float"

    def refuse(self, field: Field, value: Any) -> Refusal | None:
        kind = type(value)
        if kind is float and value - value == 0.0:  # the common case: a finite float
            return None
        if (kind is int or kind is float) and _values.is_number(value):
            return None
        if kind is not bool and issubclass(kind, int | float):
            return _not_exactly(value, "float" if issubclass(kind, float) else "int")
        return TypeError, f"expected an int or a finite float, got {_values.describe(value)}"

    def sample(self, field: Field) -> Any:
        return 789.62


class _Integer(Kind):
    name = "integer"
    expected = "an integer"
    json_type = "integer"
    annotation = "int"

    def check(self, e: Emitter, field: Field, var: str, path: str, wrong: Wrong) -> None:
        use(e, "DOUBLE_MAX", "is_integer", "as_integer")
        with e.block("if type(value) is int and -DOUBLE_MAX <= value <= DOUBLE_MAX:"):
            e(f"{var} = value")
        with e.block("elif type(value) is float and value.is_integer():  # 5.0"):
            e(f"{var} = int(value)")
        with e.block("elif is_integer(value):  # a subclass of int or float"):
            e(f"{var} = as_integer(value)")
        with e.block("else:"):
            wrong(e)

    lean_test = "type(value) is int and -DOUBLE_MAX <= value <= DOUBLE_MAX"
    lean_names = ("DOUBLE_MAX",)

    def wire_type(self, e: Emitter, field: Field, msgspec: Any) -> str:
        return _int64(e, msgspec)  # 5.0 and integers beyond 64 bits are left to the pass

    def refuse(self, field: Field, value: Any) -> Refusal | None:
        if type(value) is int and _values.is_number(value):
            return None
        if type(value) is not bool and issubclass(type(value), int):
            return _not_exactly(value, "int")
        return TypeError, f"expected an int, got {_values.describe(value)}"

    def sample(self, field: Field) -> Any:
        return 2974


# -- booleans, strings, enums ----------------------------------------------------------------------


class _Boolean(Kind):
    name = "boolean"
    expected = "a boolean"
    json_type = "boolean"
    annotation = "bool"

    def check(self, e: Emitter, field: Field, var: str, path: str, wrong: Wrong) -> None:
        with e.block("if value is True or value is False:"):
            e(f"{var} = value")
        with e.block("else:"):
            wrong(e)

    lean_test = "value is True or value is False"

    def wire_type(self, e: Emitter, field: Field, msgspec: Any) -> str:
        return "bool"

    def refuse(self, field: Field, value: Any) -> Refusal | None:
        if value is True or value is False:
            return None
        return TypeError, f"expected a bool, got {_values.describe(value)}"

    def sample(self, field: Field) -> Any:
        return True


def _refuse_text(value: Any) -> Refusal | None:
    """Why a model cannot hold ``value`` as text: not exactly a str, or not Unicode text."""
    if type(value) is not str:
        return _not_exactly(value, "str")
    if value.isascii() or _values.is_string(value):
        return None
    return TypeError, f"expected a str, got {_values.describe(value)}"


class _String(Kind):
    name = "string"
    expected = "a string"
    json_type = "string"
    annotation = "str"

    def check(self, e: Emitter, field: Field, var: str, path: str, wrong: Wrong) -> None:
        test = "type(value) is str and value.isascii()"
        _inline(e, test, "value", "is_string", "as_string", var, wrong)

    def array_fast(self, e: Emitter) -> str | None:
        use(e, "ascii_strings")
        return "ascii_strings({})"

    lean_test = "type(value) is str and (value.isascii() or is_string(value))"
    lean_names = ("is_string",)

    def wire_type(self, e: Emitter, field: Field, msgspec: Any) -> str:
        return "str"  # (msgspec refuses a lone surrogate, escaped or not)

    def refuse(self, field: Field, value: Any) -> Refusal | None:
        return _refuse_text(value)

    def sample(self, field: Field) -> Any:
        return "<value>"


_DIGITS = re.compile("[0-9]+")
"""A string of ASCII decimal digits, as the schema's pattern ``^[0-9]+$`` reads."""


class _Digits(Kind):
    """A string of decimal digits: unix milliseconds, carried as text."""

    name = "digits"
    expected = "a string"
    json_type = "string"
    annotation = "str"
    keywords = frozenset({"type", "pattern"})

    def reads(self, node: dict[str, Any]) -> bool:
        return super().reads(node) and node.get("pattern") in ("^[0-9]+$(?!\\n)", "^[0-9]+$")

    def check(self, e: Emitter, field: Field, var: str, path: str, wrong: Wrong) -> None:
        use(e, "is_string", "as_string", "describe", "PATTERN")
        e.bind("DIGITS", _DIGITS, "re.compile('[0-9]+')", "import re")
        message = '"expected a string of decimal digits, got " + describe(value)'
        with e.block("if type(value) is str and value.isascii() and value.isdigit():"):
            e(f"{var} = value")
        with e.block("elif is_string(value):"):
            with e.block("if DIGITS.fullmatch(as_string(value)):"):
                e(f"{var} = as_string(value)")
            with e.block("else:"):
                e("bad = True", f"found.add({path}, {message}, PATTERN)")
        with e.block("else:"):
            wrong(e)

    lean_test = "type(value) is str and value.isascii() and value.isdigit()"

    def wire_type(self, e: Emitter, field: Field, msgspec: Any) -> str:
        e.bind("Annotated", Annotated, "Annotated", "from typing import Annotated")
        # (msgspec searches: the pattern is anchored at both ends)
        value = Annotated[str, msgspec.Meta(pattern=r"\A[0-9]+\Z")]
        return e.bind("DIGIT_TEXT", value, 'Annotated[str, msgspec.Meta(pattern=r"\\A[0-9]+\\Z")]')

    def refuse(self, field: Field, value: Any) -> Refusal | None:
        refusal = _refuse_text(value)
        if refusal is not None or _DIGITS.fullmatch(value):
            return refusal
        return ValueError, f"expected decimal digits, got {_values.describe(value)}"

    def sample(self, field: Field) -> Any:
        return "1714979289000"


class _Enum(Kind):
    """One of a fixed set of strings (``enum``, no ``type``), typed as a ``Literal``."""

    name = "enum"
    expected = "one of the listed strings"
    json_type = None
    annotation = "str"
    keywords = frozenset({"enum"})

    def reads(self, node: dict[str, Any]) -> bool:
        values = node.get("enum")
        return (
            "type" not in node
            and isinstance(values, list)
            and bool(values)
            and all(type(value) is str for value in values)
            and len(set(values)) == len(values)
            and set(node) - DESCRIBING <= self.keywords
        )

    @staticmethod
    def _values(e: Emitter, field: Field) -> str:
        values = frozenset(field.values)
        return e.bind(
            f"VALUES_{field.enum or field.name}", values, f"frozenset({sorted(values)!r})"
        )

    def check(self, e: Emitter, field: Field, var: str, path: str, wrong: Wrong) -> None:
        use(e, "is_string", "as_string", "describe", "ENUM")
        name = self._values(e, field)
        allowed = ", ".join(repr(value) for value in field.values)
        message = f'"expected one of {allowed}, got " + describe(value)'
        with e.block(f"if type(value) is str and value in {name}:"):
            e(f"{var} = value")
        with e.block(f"elif is_string(value) and as_string(value) in {name}:"):
            e(f"{var} = as_string(value)")
        with e.block("else:"):
            e("bad = True", f"found.add({path}, {message}, ENUM)")

    def lean(self, e: Emitter, field: Field, var: str) -> None:
        with e.block(f"if type(value) is not str or value not in {self._values(e, field)}:"):
            e("return None")
        e(f"{var} = value")

    def wire_type(self, e: Emitter, field: Field, msgspec: Any) -> str:
        e.bind("Literal", Literal, "Literal", "from typing import Literal")
        return f"Literal[{', '.join(repr(value) for value in field.values)}]"

    def refuse(self, field: Field, value: Any) -> Refusal | None:
        refusal = _refuse_text(value)
        if refusal is not None or value in field.values:
            return refusal
        allowed = ", ".join(repr(value) for value in field.values)
        return ValueError, f"expected one of {allowed}, got {_values.describe(value)}"

    def sample(self, field: Field) -> Any:
        return field.values[0]


# -- date-times ------------------------------------------------------------------------------------


class _DateTime(Kind):
    """An RFC 3339 date-time string, held as a timezone-aware datetime."""

    name = "date-time"
    expected = "a string"
    json_type = "string"
    annotation = "datetime"
    keywords = frozenset({"type", "format", "pattern"})

    def reads(self, node: dict[str, Any]) -> bool:
        # The pattern restates for other validators what the one parser decides
        # (tests/referee/test_other_validators.py proves the two agree).
        return super().reads(node) and node.get("format") == "date-time"

    @staticmethod
    def _parsers(e: Emitter) -> None:
        e.bind("read_date_time", _rfc3339.common, "_rfc3339.common", _RFC3339)
        e.bind("parse_date_time", _rfc3339.parse, "_rfc3339.parse", _RFC3339)

    def check(self, e: Emitter, field: Field, var: str, path: str, wrong: Wrong) -> None:
        # (the parser reads ASCII only: no isascii() beforehand)
        self._parsers(e)
        use(e, "is_string", "as_string", "describe", "FORMAT")
        e.bind("DateTimeError", _rfc3339.DateTimeError, "_rfc3339.DateTimeError", _RFC3339)
        reason = 'f"expected an RFC 3339 date-time, got {describe(value)}: {reason}"'
        with e.block("if type(value) is str and (when := read_date_time(value)) is not None:"):
            e(f"{var} = when  # (the common spelling: the parser's shortcut, at once)")
        with e.block("elif type(value) is str or is_string(value):"):
            with e.block("try:"):
                with e.block(f"{var} = parse_date_time("):
                    e("value if type(value) is str else as_string(value)")
                e(")")
            with e.block("except DateTimeError as reason:"):
                with e.block("if is_string(value):"):
                    e("bad = True", f"found.add({path}, {reason}, FORMAT)")
                with e.block("else:  # a lone surrogate: not a string at all"):
                    wrong(e)
        with e.block("else:"):
            wrong(e)

    def dump(self, e: Emitter, expression: str) -> str:
        e.bind(
            "format_date_time",
            write_date_time,
            "_json.write_date_time",
            "from sessionschema import _json",
        )
        return f"format_date_time({expression})"

    def lean(self, e: Emitter, field: Field, var: str) -> None:
        self._parsers(e)
        with e.block("if type(value) is not str:"):  # the common spellings only
            e("return None")
        e(f"{var} = read_date_time(value)")
        with e.block(f"if {var} is None:"):
            e("return None")

    def wire_type(self, e: Emitter, field: Field, msgspec: Any) -> str:
        # Text, read by the one parser: msgspec's own reader takes a space for T and +hhmm, and
        # rounds fractions beyond six digits where the parser truncates them.
        return "str"

    def from_wire(self, e: Emitter, expression: str) -> str:
        self._parsers(e)
        return f"(read_date_time({expression}) or parse_date_time({expression}))"

    def refuse(self, field: Field, value: Any) -> Refusal | None:
        if type(value) is not datetime:
            return _not_exactly(value, "datetime")
        offset = value.utcoffset()
        if offset is None:
            return ValueError, "expected a timezone-aware datetime, got a naive one"
        if offset.seconds % 60 or offset.microseconds:  # (a timedelta keeps both non-negative)
            return ValueError, f"an offset of {offset} has no RFC 3339 form"
        return None

    def sample(self, field: Field) -> Any:
        return "2024-05-06T07:08:09.5+02:00"


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (_DateTime(), _Digits(), _Enum(), _Number(), _Integer(), _Boolean(), _String())
}
"""Every kind, by name, in the order a schema node is tried: the more specific first (a
date-time before a string)."""


def add(kind: Kind) -> None:
    """Add a kind, tried before the others (a kind is more specific than those it narrows)."""
    if kind.name in KINDS or kind.name == NESTED.name:
        raise ValueError(f"a kind named {kind.name!r} exists already")
    others = list(KINDS.values())
    KINDS.clear()
    KINDS.update((each.name, each) for each in (kind, *others))


# -- the models' validators ------------------------------------------------------------------------


def validator(
    kind: str,
    *,
    optional: bool = False,
    nullable: bool = False,
    array: bool = False,
    values: tuple[str, ...] = (),
    cls: type | None = None,
) -> Callable[[object, Any, Any], None]:
    """The attrs validator of a field of ``kind`` (``"model"``: of the model ``cls``): what a
    model may hold there, exactly what the generated pass builds (None when ``optional`` or
    ``nullable``; a tuple of the kind for an ``array``; an instance of ``cls`` itself for a
    nested model). The generated classes call it with what their schema file says."""
    entry = None if cls is not None else KINDS[kind]
    field = Field("", "", not optional, entry or NESTED, nullable, array, None, values)
    noun = cls.__name__ if cls is not None else entry.annotation if entry else ""
    plain_strings = kind == "string"

    def refuse(value: Any) -> Refusal | None:
        if entry is not None:
            return entry.refuse(field, value)
        if type(value) is cls:
            return None
        return TypeError, f"expected a {noun}, got {_values.describe(value)}"

    def check(_: object, attribute: Any, value: Any) -> None:
        if value is None and (nullable or optional):
            return
        if array:
            if type(value) is not tuple:
                raise TypeError(
                    f"{attribute.name}: expected a tuple of {noun}, got {_values.describe(value)}"
                )
            if plain_strings and _values.ascii_strings(value):  # the common case
                return
            for index, item in enumerate(value):
                refusal = refuse(item)
                if refusal is not None:
                    raise refusal[0](f"{attribute.name}[{index}]: {refusal[1]}")
            return
        refusal = refuse(value)
        if refusal is not None:
            raise refusal[0](f"{attribute.name}: {refusal[1]}")

    return check


def exclusive(instance: Any, pairs: Iterable[tuple[str, str]]) -> None:
    """Refuse an instance that holds ``True`` in a flag together with the list it clears."""
    for flag, listed in pairs:
        if getattr(instance, flag) is True and getattr(instance, listed) is not None:
            raise ValueError(f"{listed} must not be given with {flag}=True")
