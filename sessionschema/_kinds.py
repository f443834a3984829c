"""The kinds of field, one entry each: everything the library knows about a kind is written here.

A field of the contract is a kind (:data:`KINDS`), optionally nullable, optionally an array of
that kind. Each entry says how it reads from a schema node, the lines of the generated pass that
check and hold a value (the common case inline, the rare case through :mod:`._values`), the
expected-type message, the dump expression, the check of the value a model holds (the attrs
validator), the strategy of its values, its invalid samples and its edge cases for the
conformance suite, and a valid sample for the example payload. The code generator
(:mod:`._compile`), the classes (generated from the schema files), the strategies, the example
and the conformance writer read this table and nothing else, as fastjsonschema's generator
reads its table from keyword to writer.

Nullability, arrays and the object-level rules (required keys, unknown keys, mutual exclusion)
are not kinds: they wrap or join fields of any kind, and are written once in the generator.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

import attrs

from . import _values
from ._styles import Style, snake

if TYPE_CHECKING:  # (strategies need hypothesis, which the library does not)
    from hypothesis.strategies import SearchStrategy

__all__ = [
    "BAD_DATE_TIMES",
    "EDGE_DATE_TIMES",
    "GOOD_DATE_TIMES",
    "INTEGER_CORNERS",
    "KINDS",
    "LEAP_DAYS",
    "NUMBER_CORNERS",
    "Field",
    "Kind",
    "Number",
    "exclusive",
    "validator",
]

Number = int | float
"""A JSON number: an int or a finite float, never a bool."""

Lines = list[str]
Case = tuple[str, Any]
"""A conformance case: a description and the value of the field."""

_DESCRIBING = frozenset({"description", "title", "$comment", "examples"})
"""Keywords that describe a node without asserting anything."""


def _json(value: Any) -> str:
    """A value as the JSON a description quotes (``null``, ``true``, ``"1"``)."""
    return json.dumps(value)


@attrs.frozen
class Field:
    """One property of a model, as the contract reads it from a schema file."""

    name: str
    """The attribute name: ``contact_ids``."""
    key: str
    """The key on the camel wire, as the schema file writes it: ``contactIds``."""
    required: bool
    kind: Kind
    """The kind of the value, or of each item of an array."""
    nullable: bool = False
    """``null`` is allowed (and held as None)."""
    array: bool = False
    """An array of values of the kind, held as a tuple."""
    model: str | None = None
    """The title of the nested model, for a field of kind ``model``."""
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
    invalid: ClassVar[tuple[Any, ...]] = ()
    """Values of another JSON type (null aside, which depends on the field)."""
    array_fast: ClassVar[str | None] = None
    """A call that is true when a whole list of the kind is in the common case (``{}``: the
    list), so that an array is held without a look at each item."""

    # -- reading the schema ---------------------------------------------------------------------

    def reads(self, node: dict[str, Any]) -> bool:
        """Whether ``node`` (``type`` without ``null``, no ``$ref``) is a field of this kind."""
        return node.get("type") == self.json_type and set(node) - _DESCRIBING <= self.keywords

    # -- the generated pass ---------------------------------------------------------------------

    def check(self, field: Field, var: str, path: str, wrong: Lines, indent: str) -> Lines:
        """Lines that hold ``value`` in ``var``, or run ``wrong`` (which records a ``type``
        problem and marks the object bad) or record another problem of the kind."""
        raise NotImplementedError

    def dump(self, expression: str) -> str:
        """The expression that writes a held value as JSON data."""
        return expression

    # -- the lean pass --------------------------------------------------------------------------

    lean_test: ClassVar[str] = ""
    """The test, on ``value``, of the common case that the lean pass holds as it is."""

    def lean(self, field: Field, var: str, indent: str) -> Lines:
        """Lines of the lean pass (:mod:`._compile`) that hold ``value`` in ``var`` when it is of
        the exact common type and form, and otherwise return None at once: the full pass then
        holds it or says why. No problem is recorded, no path is written."""
        return [
            f"{indent}if not ({self.lean_test}):",
            f"{indent}    return None",
            f"{indent}{var} = value",
        ]

    # -- the msgspec structs --------------------------------------------------------------------

    def wire_type(self, field: Field) -> str:
        """The msgspec type of one value of the kind, as the generated structs (:mod:`._fast`)
        write it: it decodes exactly the JSON values that the pass holds as they are, and no
        other, to what the model holds or to what :meth:`from_wire` reads."""
        raise NotImplementedError

    def from_wire(self, expression: str) -> str:
        """The expression of the value a model holds, from the decoded value ``expression``
        (it raises a ValueError for a value the pass refuses)."""
        return expression

    # -- the models' validators -----------------------------------------------------------------

    def refuse(self, field: Field, value: Any) -> str | None:
        """Why a model cannot hold ``value`` here (``expected an int or a finite float, got
        ...``), or None."""
        raise NotImplementedError

    # -- strategies and samples -----------------------------------------------------------------

    def strategy(self, field: Field, wire: bool) -> SearchStrategy[Any]:
        """Valid values: as the wire carries them, or as a model holds them."""
        raise NotImplementedError

    def wrong(self, field: Field) -> tuple[Any, ...]:
        """Values of the right JSON type that the kind still refuses (a bad date-time)."""
        return ()

    def edges(self, field: Field) -> Iterable[Case]:
        """Values at the edges of what the kind accepts, valid ones and invalid ones."""
        return ()

    def sample(self, field: Field) -> Any:
        """A valid value of the wire, for the example payload."""
        raise NotImplementedError


def _inline(
    test: str, hold: str, rare: str, convert: str, var: str, wrong: Lines, indent: str
) -> Lines:
    """The common shape: the inline test, the rare case through a predicate, else wrong."""
    return [
        f"{indent}if {test}:",
        f"{indent}    {var} = {hold}",
        f"{indent}elif {rare}(value):",
        f"{indent}    {var} = {convert}(value)",
        f"{indent}else:",
        *wrong,
    ]


# -- numbers ---------------------------------------------------------------------------------------

NUMBER_CORNERS: tuple[Number, ...] = (
    0, -0.0, 1, -1, 2**53 + 1, -(2**63), 10**30, 5e-324, 2.2250738585072014e-308,
    1.7976931348623157e308, -1.7976931348623157e308, 0.1, 1e-7, 1e21,
)  # fmt: skip
"""Numbers at the edges: signed zero, beyond 2**53 and 2**63, the smallest and largest doubles."""

INTEGER_CORNERS: tuple[Any, ...] = (
    0, -0.0, 5.0, 1, -1, 2**53 + 1, -(2**63), 2**64, 10**30, 1e21, 1.7976931348623157e308,
)  # fmt: skip
"""Integers at the edges, written as ints and as floats with no fractional part."""

_NOT_NUMBERS: tuple[Any, ...] = ("1", "1.5", True, [1], {}, float("nan"), float("inf"))


class _Number(Kind):
    name = "number"
    expected = "a number"
    json_type = "number"
    annotation = "Number"
    invalid = _NOT_NUMBERS

    def check(self, field: Field, var: str, path: str, wrong: Lines, indent: str) -> Lines:
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

    # A float is held only below 2**63 in magnitude: orjson reads an integer beyond 64 bits as a
    # float (the lean pass reads its values without the text's checks; see _json.FLOAT_EDGE).
    lean_test = (
        "type(value) is float and -FLOAT_EDGE < value < FLOAT_EDGE"
        " or type(value) is int and -DOUBLE_MAX <= value <= DOUBLE_MAX"
    )

    def wire_type(self, field: Field) -> str:
        # Both: a float alone would read 1 as 1.0 and 9007199254740993 as a rounded double. An
        # integer beyond 64 bits is refused here, and the pass holds it (10**30 is a number).
        return "INT64 | float"

    def refuse(self, field: Field, value: Any) -> str | None:
        if value.__class__ is float and value - value == 0.0:  # the common case: a finite float
            return None
        if _values.is_number(value):
            return None
        return f"expected an int or a finite float, got {_values.describe(value)}"

    def strategy(self, field: Field, wire: bool) -> SearchStrategy[Any]:
        from . import strategies

        return strategies.numbers()

    def edges(self, field: Field) -> Iterable[Case]:
        return ((f"the number {number!r}", number) for number in NUMBER_CORNERS)

    def sample(self, field: Field) -> Any:
        return 789.62


class _Integer(Kind):
    name = "integer"
    expected = "an integer"
    json_type = "integer"
    annotation = "int"
    invalid = (5.5, "5", True, [1], {}, float("nan"), float("inf"))

    def check(self, field: Field, var: str, path: str, wrong: Lines, indent: str) -> Lines:
        return [
            f"{indent}if type(value) is int and -DOUBLE_MAX <= value <= DOUBLE_MAX:",
            f"{indent}    {var} = value",
            f"{indent}elif type(value) is float and value.is_integer():  # 5.0",
            f"{indent}    {var} = int(value)",
            f"{indent}elif is_integer(value):  # a subclass of int or float",
            f"{indent}    {var} = as_integer(value)",
            f"{indent}else:",
            *wrong,
        ]

    lean_test = "type(value) is int and -DOUBLE_MAX <= value <= DOUBLE_MAX"

    def wire_type(self, field: Field) -> str:
        return "INT64"  # 5.0 and integers beyond 64 bits are left to the pass, which holds them

    def refuse(self, field: Field, value: Any) -> str | None:
        kind = type(value)
        if issubclass(kind, int) and not issubclass(kind, bool) and _values.is_number(value):
            return None
        return f"expected an int, got {_values.describe(value)}"

    def strategy(self, field: Field, wire: bool) -> SearchStrategy[Any]:
        from . import strategies

        return strategies.integers(wire=wire)

    def edges(self, field: Field) -> Iterable[Case]:
        for number in INTEGER_CORNERS:
            yield f"the number {number!r}", number
        yield "a number with a fraction: 0.5", 0.5
        yield "a number with a fraction: 1e-7", 1e-7

    def sample(self, field: Field) -> Any:
        return 2974


# -- booleans, strings, enums ----------------------------------------------------------------------


class _Boolean(Kind):
    name = "boolean"
    expected = "a boolean"
    json_type = "boolean"
    annotation = "bool"
    invalid = (1, 0, "true", [True], {})

    def check(self, field: Field, var: str, path: str, wrong: Lines, indent: str) -> Lines:
        return [
            f"{indent}if value is True or value is False:",
            f"{indent}    {var} = value",
            f"{indent}else:",
            *wrong,
        ]

    lean_test = "value is True or value is False"

    def wire_type(self, field: Field) -> str:
        return "bool"

    def refuse(self, field: Field, value: Any) -> str | None:
        if value is True or value is False:
            return None
        return f"expected a bool, got {_values.describe(value)}"

    def strategy(self, field: Field, wire: bool) -> SearchStrategy[Any]:
        from hypothesis import strategies as st

        return st.booleans()

    def edges(self, field: Field) -> Iterable[Case]:
        return (("true", True), ("false", False))

    def sample(self, field: Field) -> Any:
        return True


_NOT_STRINGS: tuple[Any, ...] = (1, 1.5, True, ["a"], {}, "\ud800")


class _String(Kind):
    name = "string"
    expected = "a string"
    json_type = "string"
    annotation = "str"
    invalid = _NOT_STRINGS
    array_fast = "ascii_strings({})"

    def check(self, field: Field, var: str, path: str, wrong: Lines, indent: str) -> Lines:
        test = "type(value) is str and value.isascii()"
        return _inline(test, "value", "is_string", "as_string", var, wrong, indent)

    lean_test = "type(value) is str and (value.isascii() or is_string(value))"

    def wire_type(self, field: Field) -> str:
        return "str"  # (msgspec refuses a lone surrogate, escaped or not)

    def refuse(self, field: Field, value: Any) -> str | None:
        if value.__class__ is str and value.isascii():  # the common case
            return None
        if _values.is_string(value):
            return None
        return f"expected a str, got {_values.describe(value)}"

    def strategy(self, field: Field, wire: bool) -> SearchStrategy[Any]:
        from . import strategies

        return strategies.strings()

    def edges(self, field: Field) -> Iterable[Case]:
        yield "an empty string", ""
        yield "non-ASCII text and a control character", "é\u0000\u2028😀"

    def sample(self, field: Field) -> Any:
        return "<value>"


DIGITS = re.compile("[0-9]+")
"""A string of ASCII decimal digits, as the schema's pattern ``^[0-9]+$`` reads."""


class _Digits(Kind):
    """A string of decimal digits: unix milliseconds, carried as text."""

    name = "digits"
    expected = "a string"
    json_type = "string"
    annotation = "str"
    keywords = frozenset({"type", "pattern"})
    invalid = (1714979289000, True, ["1"], {}, "\ud800")

    def reads(self, node: dict[str, Any]) -> bool:
        return super().reads(node) and node.get("pattern") in ("^[0-9]+$(?!\\n)", "^[0-9]+$")

    def check(self, field: Field, var: str, path: str, wrong: Lines, indent: str) -> Lines:
        message = '"expected a string of decimal digits, got " + describe(value)'
        return [
            f"{indent}if type(value) is str and value.isascii() and value.isdigit():",
            f"{indent}    {var} = value",
            f"{indent}elif is_string(value):",
            f"{indent}    if DIGITS.fullmatch(as_string(value)):",
            f"{indent}        {var} = as_string(value)",
            f"{indent}    else:",
            f"{indent}        bad = True",
            f"{indent}        found.add({path}, {message}, PATTERN)",
            f"{indent}else:",
            *wrong,
        ]

    lean_test = "type(value) is str and value.isascii() and value.isdigit()"

    def wire_type(self, field: Field) -> str:
        return "DIGIT_TEXT"

    def refuse(self, field: Field, value: Any) -> str | None:
        if not _values.is_string(value):
            return f"expected a str, got {_values.describe(value)}"
        if DIGITS.fullmatch(_values.as_string(value)):
            return None
        return f"expected decimal digits, got {_values.describe(value)}"

    def strategy(self, field: Field, wire: bool) -> SearchStrategy[Any]:
        from hypothesis import strategies as st

        return st.integers(min_value=0).map(str) | st.text("0123456789", min_size=1)

    def wrong(self, field: Field) -> tuple[Any, ...]:
        return ("", "-1", "1.5", "1e3", " 1", "1\n", "\uff11", "0x1")

    def edges(self, field: Field) -> Iterable[Case]:
        for text in ("0", "007", "1714979289000", "9" * 40, *self.wrong(field)):
            yield f"the string {_json(text)}", text

    def sample(self, field: Field) -> Any:
        return "1714979289000"


class _Enum(Kind):
    """One of a fixed set of strings (``enum``, no ``type``), typed as a ``Literal``."""

    name = "enum"
    expected = "one of the listed strings"
    json_type = None
    annotation = "str"
    keywords = frozenset({"enum"})
    invalid = (1, True, ["a"], {})

    def reads(self, node: dict[str, Any]) -> bool:
        values = node.get("enum")
        return (
            "type" not in node
            and isinstance(values, list)
            and bool(values)
            and all(type(value) is str for value in values)
            and len(set(values)) == len(values)
            and set(node) - _DESCRIBING <= self.keywords
        )

    def check(self, field: Field, var: str, path: str, wrong: Lines, indent: str) -> Lines:
        allowed = ", ".join(repr(value) for value in field.values)
        message = f'"expected one of {allowed}, got " + describe(value)'
        name = f"VALUES_{field.name}"
        return [
            f"{indent}if type(value) is str and value in {name}:",
            f"{indent}    {var} = value",
            f"{indent}elif is_string(value) and as_string(value) in {name}:",
            f"{indent}    {var} = as_string(value)",
            f"{indent}else:",
            f"{indent}    bad = True",
            f"{indent}    found.add({path}, {message}, ENUM)",
        ]

    def lean(self, field: Field, var: str, indent: str) -> Lines:
        name = f"VALUES_{field.name}"
        return [
            f"{indent}if type(value) is not str or value not in {name}:",
            f"{indent}    return None",
            f"{indent}{var} = value",
        ]

    def wire_type(self, field: Field) -> str:
        return f"Literal[{', '.join(repr(value) for value in field.values)}]"

    def refuse(self, field: Field, value: Any) -> str | None:
        if not _values.is_string(value):
            return f"expected a str, got {_values.describe(value)}"
        if _values.as_string(value) in field.values:
            return None
        allowed = ", ".join(repr(value) for value in field.values)
        return f"expected one of {allowed}, got {_values.describe(value)}"

    def strategy(self, field: Field, wire: bool) -> SearchStrategy[Any]:
        from hypothesis import strategies as st

        return st.sampled_from(field.values)

    def wrong(self, field: Field) -> tuple[Any, ...]:
        first = field.values[0]
        unspecified = first.rsplit("_", 1)[0] + "_UNSPECIFIED"  # a protobuf enum's zero value
        near = {first.lower(), first.upper(), first + " ", "", unspecified}
        return tuple(sorted(near - set(field.values)))

    def edges(self, field: Field) -> Iterable[Case]:
        for text in (*field.values, *self.wrong(field)):
            yield f"the string {_json(text)}", text

    def sample(self, field: Field) -> Any:
        return field.values[0]


# -- date-times ------------------------------------------------------------------------------------

GOOD_DATE_TIMES: tuple[str, ...] = (
    "2024-05-06T07:08:09Z",
    "2024-05-06t07:08:09z",  # lowercase t and z
    "2024-05-06T07:08:09+02:00",
    "2024-05-06T07:08:09-23:59",
    "2024-05-06T07:08:09+23:59",
    "2024-05-06T07:08:09-00:00",  # offset unknown: read as UTC
    "2024-05-06T07:08:09.5Z",  # a fraction of one digit
    "2024-05-06T07:08:09.123456789+01:00",  # nine digits: truncated to microseconds
    "2024-05-06T00:00:00Z",
    "2024-05-06T23:59:59Z",
    "2024-02-29T07:08:09Z",  # a leap year
    "2000-02-29T07:08:09Z",  # divisible by 400: a leap year
    "2024-01-31T07:08:09Z",
    "2024-04-30T07:08:09Z",
    "2024-12-31T07:08:09Z",
    "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59Z",
)
"""Date-times at the edges of what is accepted."""

BAD_DATE_TIMES: tuple[str, ...] = (
    "2024-05-06",  # date only
    "2024-05-06T07:08:09",  # no offset
    "2024-05-06 07:08:09Z",  # a space instead of T
    "2024-05-06T07:08:09+0200",  # offset without a colon
    "2024-W19-1T07:08:09Z",  # ISO 8601 week date
    "2024-127T07:08:09Z",  # ISO 8601 ordinal date
    "20240506T070809Z",  # ISO 8601 basic form
    "2024-02-30T07:08:09Z",  # no such day
    "2023-02-29T07:08:09Z",  # not a leap year
    "2024-05-06T24:00:00Z",  # hour 24
    "2024-05-06T07:60:09Z",  # minute 60
    "2024-05-06T07:08:09+24:00",  # offset hour over 23
    "2016-12-31T23:59:60Z",  # leap second: valid RFC 3339, not representable in Python
    "0000-01-01T00:00:00Z",  # year 0000: valid RFC 3339, not representable in Python
    " 2024-05-06T07:08:09Z",  # leading white space
    "2024-05-06T07:08:09Z\n",  # trailing newline
    "2024-05-06T07:08:09.Z",  # a dot without digits
    "\uff12\uff10\uff12\uff14-05-06T07:08:09Z",  # fullwidth (non-ASCII) digits
    "",
)
"""Strings that are not accepted as date-times, one for each rejected form."""

LEAP_DAYS: tuple[str, ...] = (
    "2023-02-29T07:08:09Z",  # not a leap year
    "1900-02-29T07:08:09Z",  # divisible by 100, not by 400
)
"""The rejected date-times that only format assertion catches: no regular expression says which
years are leap years, so the schema's ``pattern`` lets these through."""

EDGE_DATE_TIMES: tuple[str, ...] = (
    *LEAP_DAYS,
    "2024-00-06T07:08:09Z",  # month 00
    "2024-13-06T07:08:09Z",  # month 13
    "2024-05-00T07:08:09Z",  # day 00
    "2024-05-32T07:08:09Z",  # day 32
    "2024-04-31T07:08:09Z",  # April has 30 days
    "2024-02-30T07:08:09Z",
    "2024-05-06T07:08:60Z",  # second 60 other than a leap second
    "2024-05-06T07:08:09+23:60",  # offset minute 60
    "2024-05-06T07:08:09-24:00",
    "2024-05-06T07:08:09+02",  # offset without minutes
    "2024-05-06T07:08Z",  # no seconds
    "2024-05-06T07:08:09,5Z",  # a comma before the fraction
    "2024-05-06T07:08:09Z ",  # trailing white space
    "2024-05-06T07:08:09ZZ",
    "2024-05-06T07:08:09.123",  # a fraction, no offset
    "12024-05-06T07:08:09Z",  # a five-digit year
    "2025-04-14 10:00:00Z",  # a space for T
)
"""More rejected date-times, each at the edge of one rule."""


class _DateTime(Kind):
    """An RFC 3339 date-time string, held as a timezone-aware datetime."""

    name = "date-time"
    expected = "a string"
    json_type = "string"
    annotation = "datetime"
    keywords = frozenset({"type", "format", "pattern"})
    invalid = _NOT_STRINGS

    def reads(self, node: dict[str, Any]) -> bool:
        # The pattern restates for other validators what the one parser decides
        # (tests/test_portable.py proves the two agree).
        return super().reads(node) and node.get("format") == "date-time"

    def check(self, field: Field, var: str, path: str, wrong: Lines, indent: str) -> Lines:
        # (the parser reads ASCII only: no isascii() beforehand)
        reason = 'f"expected an RFC 3339 date-time, got {describe(value)}: {reason}"'
        return [
            f"{indent}if type(value) is str and (when := read_date_time(value)) is not None:",
            f"{indent}    {var} = when  # (the common spelling: the parser's shortcut, at once)",
            f"{indent}elif type(value) is str or is_string(value):",
            f"{indent}    try:",
            f"{indent}        {var} = parse_date_time(",
            f"{indent}            value if type(value) is str else as_string(value)",
            f"{indent}        )",
            f"{indent}    except DateTimeError as reason:",
            f"{indent}        if is_string(value):",
            f"{indent}            bad = True",
            f"{indent}            found.add({path}, {reason}, FORMAT)",
            f"{indent}        else:  # a lone surrogate: not a string at all",
            *["    " * 2 + line for line in wrong],
            f"{indent}else:",
            *wrong,
        ]

    def dump(self, expression: str) -> str:
        return f"format_date_time({expression})"

    def lean(self, field: Field, var: str, indent: str) -> Lines:
        return [  # the common spellings only: any other goes to the full pass
            f"{indent}if type(value) is not str:",
            f"{indent}    return None",
            f"{indent}{var} = read_date_time(value)",
            f"{indent}if {var} is None:",
            f"{indent}    return None",
        ]

    def wire_type(self, field: Field) -> str:
        # Text, read by the one parser: msgspec's own reader takes a space for T and +hhmm, and
        # rounds fractions beyond six digits where the parser truncates them.
        return "str"

    def from_wire(self, expression: str) -> str:
        return f"(read_date_time({expression}) or parse_date_time({expression}))"

    def refuse(self, field: Field, value: Any) -> str | None:
        if not isinstance(value, datetime):
            return f"expected a datetime, got {_values.describe(value)}"
        offset = value.utcoffset()
        if offset is None:
            return "expected a timezone-aware datetime, got a naive one"
        if offset.seconds % 60 or offset.microseconds:  # (a timedelta keeps both non-negative)
            return f"an offset of {offset} has no RFC 3339 form"
        return None

    def strategy(self, field: Field, wire: bool) -> SearchStrategy[Any]:
        from . import strategies

        return strategies.date_time_texts() if wire else strategies.date_times()

    def wrong(self, field: Field) -> tuple[Any, ...]:
        return BAD_DATE_TIMES

    def edges(self, field: Field) -> Iterable[Case]:
        for text in dict.fromkeys((*GOOD_DATE_TIMES, *BAD_DATE_TIMES, *EDGE_DATE_TIMES)):
            yield f"the date-time {_json(text)}", text

    def sample(self, field: Field) -> Any:
        return "2024-05-06T07:08:09.5+02:00"


# -- nested models ---------------------------------------------------------------------------------


class _Model(Kind):
    """A nested object of another model, by ``$ref``."""

    name = "model"
    expected = "an object"
    json_type = "object"
    annotation = ""  # the class's name
    keywords = frozenset({"$ref"})
    invalid = (1, "object", [], True)

    def reads(self, node: dict[str, Any]) -> bool:
        return False  # (a $ref is resolved by the contract, which knows the other files)

    def check(self, field: Field, var: str, path: str, wrong: Lines, indent: str) -> Lines:
        return [
            f"{indent}{var} = structure_{field.model}(value, {path}, found)",
            f"{indent}if {var} is None:",
            f"{indent}    bad = True",
        ]

    def dump(self, expression: str) -> str:
        raise AssertionError("a model is written by its own writer")  # see _compile

    def lean(self, field: Field, var: str, indent: str) -> Lines:
        return [
            f"{indent}{var} = lean_{field.model}(value)",
            f"{indent}if {var} is None:",
            f"{indent}    return None",
        ]

    def wire_type(self, field: Field) -> str:
        return f"{field.model}Wire"

    def from_wire(self, expression: str) -> str:
        raise AssertionError("a nested model is built inline")  # see _fast

    def refuse(self, field: Field, value: Any) -> str | None:
        raise AssertionError("a nested model is checked by its class")  # see validator()

    def strategy(self, field: Field, wire: bool) -> SearchStrategy[Any]:
        raise AssertionError("a nested model is drawn by its class's strategies")  # strategies

    def sample(self, field: Field) -> Any:
        raise AssertionError("a model's sample is its example")  # see _example


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        _Number(),
        _Integer(),
        _Boolean(),
        _String(),
        _Digits(),
        _Enum(),
        _DateTime(),
        _Model(),
    )
}
"""Every kind, by name. A schema node is read as the one kind whose :meth:`Kind.reads` says so
(a date-time before a string: the more specific first)."""

READ_ORDER: tuple[Kind, ...] = tuple(
    KINDS[name]
    for name in ("date-time", "digits", "enum", "number", "integer", "boolean", "string")
)


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
    """The attrs validator of a field of ``kind``: what a model may hold there (None when
    ``optional`` or ``nullable``; a tuple of the kind for an ``array``; an instance of ``cls``
    for a nested model). The generated classes call it with what their schema file says."""
    entry = KINDS[kind]
    field = Field("", "", not optional, entry, nullable, array, None, values)
    noun = cls.__name__ if cls is not None else entry.annotation

    def refuse(value: Any) -> str | None:
        if cls is not None:
            return (
                None
                if isinstance(value, cls)
                else f"expected a {noun}, got {_values.describe(value)}"
            )
        return entry.refuse(field, value)

    def check(_: object, attribute: Any, value: Any) -> None:
        if value is None and (nullable or optional):
            return
        if array:
            if not isinstance(value, tuple):
                raise TypeError(
                    f"{attribute.name}: expected a tuple of {noun}, got {_values.describe(value)}"
                )
            if entry.name == "string" and all(
                item.__class__ is str and item.isascii() for item in value
            ):  # the common case
                return
            for index, item in enumerate(value):
                complaint = refuse(item)
                if complaint is not None:
                    raise TypeError(f"{attribute.name}[{index}]: {complaint}")
            return
        complaint = refuse(value)
        if complaint is not None:
            wrong_type = complaint.startswith("expected a") and "timezone" not in complaint
            raise (TypeError if wrong_type else ValueError)(f"{attribute.name}: {complaint}")

    return check


def exclusive(instance: Any, pairs: Iterable[tuple[str, str]]) -> None:
    """Refuse an instance that holds ``True`` in a flag together with the list it clears."""
    for flag, listed in pairs:
        if getattr(instance, flag) is True and getattr(instance, listed) is not None:
            raise ValueError(f"{listed} must not be given with {flag}=True")


def is_json(value: Any) -> bool:
    """Whether a sample can be written as JSON text (no NaN, infinity or lone surrogate)."""
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, str):
        return _values.is_string(value)
    return True
