"""The thread models against the official SDK 4 (``orq-ai-sdk``, pydantic), on the snake wire.

A fixed corpus of JSON texts — valid payloads and payloads broken in one known way, drawn from
:mod:`sessionschema.strategies` with a derandomized hypothesis, and hand-written cases for each
decision where the library is stricter than the SDK — goes to ``ss.loads`` and, in one
subprocess, to the SDK (``tests/sdk4/runner.py`` in ``.venv-sdk4``). Then:

- every text that sessionschema accepts, the SDK accepts, and the two dumps hold the same values;
- every text that the SDK refuses, sessionschema refuses;
- every text that sessionschema refuses and the SDK accepts falls in a named decision class
  (:data:`CLASSES`), read from sessionschema's errors (path and keyword) and the value at the
  path; the counts per class are printed, and a disagreement that no class explains fails;
- each hand-written case has the outcome written beside it, so every class is reached.
"""

from __future__ import annotations

import copy
import json
import math
import re
import subprocess
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import sessionschema as ss
from sessionschema import strategies
from sessionschema._kinds import Field
from sessionschema._registry import describe_model, model_class

ROOT = Path(__file__).resolve().parents[2]
SDK_PYTHON = ROOT / ".venv-sdk4" / "bin" / "python"
RUNNER = ROOT / "tests" / "sdk4" / "runner.py"
STYLE: ss.Style = "snake"
MODELS: tuple[type, ...] = (
    ss.CreateThreadRequest,
    ss.Thread,
    ss.UpdateThreadRequest,
    ss.ListThreadsRequest,
    ss.ListThreadsResponse,
)
DRAWN = 150
"""Payloads drawn per model from each strategy, the valid one and the invalid one (drawing is
most of the test's time: some 10 ms a payload)."""
MAX_DOUBLE = 1.7976931348623157e308
SHOWN = 10
"""Disagreements of one sort shown in full in a failure message."""

# -- outcomes --------------------------------------------------------------------------------------

ACCEPT = "both accept"
REFUSE = "both refuse"

# The decision classes: sessionschema refuses, the SDK accepts, for a reason the "Decisions" of
# docs/contracts.md give.
NUMERIC_STRING = "numeric string for a number or integer"
BOOL_AS_NUMBER = "bool for a number or integer"
BEYOND_DOUBLE = "number beyond a double"
NON_FINITE = "NaN/Infinity"
NULL_OPTIONAL = "null for an optional field"
NAIVE = "date-time without an offset"
DATE_ONLY = "date without a time for a date-time"
OTHER_DATE_TIME = "other non-RFC 3339 date-time"
NUMBER_DATE_TIME = "number (unix time) for a date-time"
NOT_DIGITS = "start/end date not decimal digits"
UNICODE_DIGITS = "start/end date in non-ASCII digits"
BOOLEAN_LIKE = "string or number for a boolean"
EXCLUSION = "clear flag with the list it excludes"
ID_FOR_UNDERSCORE_ID = "id instead of _id"
CLASSES = (
    NUMERIC_STRING, BOOL_AS_NUMBER, BEYOND_DOUBLE, NON_FINITE, NULL_OPTIONAL, NAIVE, DATE_ONLY,
    OTHER_DATE_TIME, NUMBER_DATE_TIME, NOT_DIGITS, UNICODE_DIGITS, BOOLEAN_LIKE, EXCLUSION,
    ID_FOR_UNDERSCORE_ID,
)  # fmt: skip

# The one decision where sessionschema accepts what the SDK refuses: an integer written as a
# float (1e21, 9223372036854775808.0) at or beyond 2**63 in magnitude. JSON Schema's integer
# is any number without a fraction, whatever its magnitude (the same as a number's), and every
# validator of the schema files accepts it; the SDK's reader turns such a float into an int
# below 2**63 only, though it takes the same value written in digits.
LARGE_INTEGRAL_FLOAT = "integer written as a float beyond 2**63 (the SDK refuses)"

# Disagreements: the test fails on any of these.
SDK_REFUSES = "sessionschema accepts, the SDK refuses"
VALUES_DIFFER = "both accept, with different values"
UNEXPLAINED = "sessionschema refuses for no decision class"
FINDINGS = (SDK_REFUSES, VALUES_DIFFER, UNEXPLAINED)


@dataclass(frozen=True)
class Case:
    label: str
    cls: type
    text: str
    expect: str | None = None
    """The outcome a hand-written case must have: ACCEPT, REFUSE or a decision class."""


@dataclass(frozen=True)
class Result:
    case: Case
    outcome: str
    """ACCEPT, REFUSE, the decision classes joined by " + ", or one of FINDINGS."""
    classes: tuple[str, ...] = ()
    detail: str = ""


# -- the corpus ------------------------------------------------------------------------------------


def _draw(source: st.SearchStrategy[Any], count: int) -> list[Any]:
    """``count`` values of ``source``, the same on every run."""
    found: list[Any] = []

    @settings(
        max_examples=count,
        database=None,
        derandomize=True,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(source)
    def collect(value: Any) -> None:
        found.append(value)

    collect()
    return found


def drawn_cases() -> list[Case]:
    cases = []
    for cls in MODELS:
        for index, payload in enumerate(_draw(strategies.payloads(cls, style=STYLE), DRAWN)):
            text = json.dumps(payload, allow_nan=False)  # a valid payload has no NaN
            cases.append(Case(f"drawn valid {cls.__name__} {index}", cls, text))
        for index, payload in enumerate(
            _draw(strategies.invalid_payloads(cls, style=STYLE), DRAWN)
        ):
            text = json.dumps(payload, allow_nan=True)  # NaN and Infinity are among the breakages
            cases.append(Case(f"drawn invalid {cls.__name__} {index}", cls, text))
    return cases


CREATE: dict[str, Any] = {
    "external_id": "chat-2024-05-06-0001",
    "duration": 1840.5,
    "contact_ids": ["contact_7f3a"],
    "billing": {"input_cost": 0.5, "output_cost": 1.25, "total_cost": 1.75},
    "usage": {"prompt_tokens": 10, "completion_tokens": 20, "total_tokens": 30},
    "traces_count": 12,
    "tags": ["support"],
}
THREAD: dict[str, Any] = {"_id": "thread_01", **CREATE}
UPDATE: dict[str, Any] = {"title": "Fix the login redirect"}
LIST: dict[str, Any] = {"filters": {"interval": "SESSION_INTERVAL_LAST_7_DAYS"}}
RESPONSE: dict[str, Any] = {"object": "list", "data": [THREAD], "has_more": False}
BASES: dict[type, dict[str, Any]] = {
    ss.CreateThreadRequest: CREATE,
    ss.Thread: THREAD,
    ss.UpdateThreadRequest: UPDATE,
    ss.ListThreadsRequest: LIST,
    ss.ListThreadsResponse: RESPONSE,
}
DROP = object()
"""As a value of :func:`changed`: the key is removed."""
_RAW = "\x00raw\x00"


def changed(cls: type, changes: dict[str, Any]) -> dict[str, Any]:
    """The base payload of ``cls`` with the value at each JSON Pointer set (or dropped)."""
    payload = copy.deepcopy(BASES[cls])
    for pointer, value in changes.items():
        *parents, last = pointer.split("/")[1:]
        node: Any = payload
        for token in parents:
            node = node[int(token)] if isinstance(node, list) else node[token]
        if value is DROP:
            del node[last]
        else:
            node[last] = value
    return payload


def case(expect: str, cls: type, changes: dict[str, Any], label: str = "") -> Case:
    """A hand-written case: the base payload of ``cls`` changed."""
    shown = label or json.dumps(changes, allow_nan=True, default=lambda _: "(dropped)")
    text = json.dumps(changed(cls, changes), allow_nan=True)
    return Case(f"hand: {cls.__name__} {shown}", cls, text, expect)


def raw(expect: str, cls: type, pointer: str, literal: str) -> Case:
    """A hand-written case whose value at ``pointer`` is the JSON text ``literal`` as it is
    (``1e2``, ``1e400``: what ``json.dumps`` would write otherwise)."""
    text = json.dumps(changed(cls, {pointer: _RAW})).replace(json.dumps(_RAW), literal)
    return Case(f"hand: {cls.__name__} {pointer}: {literal}", cls, text, expect)


def hand_cases() -> list[Case]:
    create, thread, update = ss.CreateThreadRequest, ss.Thread, ss.UpdateThreadRequest
    lists, response = ss.ListThreadsRequest, ss.ListThreadsResponse
    big = str(2**1024)
    return [
        # the bases themselves, and what both read alike
        *(case(ACCEPT, cls, {}, "base payload") for cls in MODELS),
        case(ACCEPT, create, {"/duration": 5}),  # the SDK writes 5.0
        case(ACCEPT, create, {"/duration": -0.0}),
        case(ACCEPT, create, {"/duration": 10**30}),
        case(ACCEPT, create, {"/traces_count": 12.0}),  # an integer written with a fraction .0
        case(ACCEPT, create, {"/usage/total_tokens": 2**64}),
        raw(ACCEPT, create, "/usage/prompt_tokens", "1e2"),
        case(ACCEPT, lists, {"/limit": 5.0, "/page": 2}),
        case(ACCEPT, create, {"/traces_count": 9.2e18, "/usage/total_tokens": -9.2e18}),
        # integers written with an exponent or a fraction .0, at and beyond 2**63 (the SDK reads
        # such a float as an int below 2**63 only)
        raw(LARGE_INTEGRAL_FLOAT, create, "/traces_count", "1e21"),
        raw(LARGE_INTEGRAL_FLOAT, create, "/usage/prompt_tokens", "9223372036854775808.0"),
        case(LARGE_INTEGRAL_FLOAT, lists, {"/limit": 1.7976931348623157e308}),
        case(ACCEPT, create, {"/kind": "THREAD_KIND_CODING_AGENT", "/project_id": "proj_7f3a"}),
        case(ACCEPT, create, {"/started_at": "2024-05-06t07:08:09z"}),
        case(ACCEPT, create, {"/started_at": "2024-05-06T07:08:09.5+02:00"}),
        case(ACCEPT, create, {"/updated_at": "2024-05-06T07:08:09.123456789-00:00"}),
        case(ACCEPT, create, {"/unknown": {"nested": [1, None]}}),  # unknown keys ignored
        case(ACCEPT, update, {"/clear_tags": True}),
        case(ACCEPT, update, {"/clear_tags": False, "/tags": ["a"]}),
        case(ACCEPT, update, {"/clear_contact_ids": False, "/contact_ids": []}),
        case(ACCEPT, lists, {"/filters/start_date": "1714979289000", "/filters/end_date": "007"}),
        case(ACCEPT, thread, {"/id": "thread_02"}),  # beside _id, id is an unknown key
        Case(  # a key repeated in one object: the last one counts, in both
            "hand: ListThreadsRequest duplicate key",
            lists,
            '{"filters": {"interval": "SESSION_INTERVAL_ALL_TIME"}, "limit": 1, "limit": 2}',
            ACCEPT,
        ),
        # what both refuse
        case(REFUSE, create, {"/duration": "abc"}),
        case(REFUSE, create, {"/traces_count": 12.5}),
        case(REFUSE, create, {"/external_id": 42}),
        case(REFUSE, create, {"/external_id": None}),
        case(REFUSE, create, {"/tags": "support"}),
        case(REFUSE, create, {"/contact_ids": ["a", None]}),
        case(REFUSE, create, {"/traces_count": math.nan}),
        case(REFUSE, create, {"/usage": DROP}),
        case(REFUSE, create, {"/kind": "THREAD_KIND_UNSPECIFIED"}),
        case(REFUSE, create, {"/kind": "thread_kind_conversation"}),
        case(REFUSE, lists, {"/filters/interval": "SESSION_INTERVAL_UNSPECIFIED"}),
        case(REFUSE, lists, {"/filters/interval": "session_interval_all_time"}),
        case(REFUSE, lists, {"/filters/start_date": 1714979289000}),
        case(REFUSE, create, {"/started_at": "2024-02-30T07:08:09Z"}),
        case(REFUSE, thread, {"/_id": DROP}),
        raw(REFUSE, update, "/title", '"\\ud800"'),  # a lone surrogate
        # numeric strings
        case(NUMERIC_STRING, create, {"/duration": "1840.5"}),
        case(NUMERIC_STRING, create, {"/traces_count": "12"}),
        case(NUMERIC_STRING, create, {"/billing/input_cost": "0.5"}),
        case(NUMERIC_STRING, create, {"/usage/prompt_tokens": "10"}),
        case(NUMERIC_STRING, lists, {"/limit": "5"}),
        case(NUMERIC_STRING, response, {"/data/0/duration": "1e3"}),
        # bools as numbers
        case(BOOL_AS_NUMBER, create, {"/duration": True}),
        case(BOOL_AS_NUMBER, create, {"/traces_count": False}),
        case(BOOL_AS_NUMBER, create, {"/billing/total_cost": False}),
        case(BOOL_AS_NUMBER, create, {"/usage/total_tokens": True}),
        case(BOOL_AS_NUMBER, lists, {"/page": True}),
        # NaN, Infinity and numbers beyond a double
        case(NON_FINITE, create, {"/duration": math.nan}),
        case(NON_FINITE, create, {"/billing/input_cost": math.inf}),
        case(NON_FINITE, update, {"/duration": -math.inf}),
        raw(BEYOND_DOUBLE, create, "/duration", "1e400"),
        raw(BEYOND_DOUBLE, create, "/duration", big),
        raw(BEYOND_DOUBLE, create, "/traces_count", big),
        raw(BEYOND_DOUBLE, create, "/usage/completion_tokens", "-" + big),
        # null for optional fields
        case(NULL_OPTIONAL, create, {"/project_id": None}),
        case(NULL_OPTIONAL, create, {"/started_at": None}),
        case(NULL_OPTIONAL, create, {"/kind": None}),
        case(NULL_OPTIONAL, thread, {"/title": None}),
        case(NULL_OPTIONAL, update, {"/external_id": None}),
        case(NULL_OPTIONAL, update, {"/billing": None}),
        case(NULL_OPTIONAL, update, {"/tags": None}),
        case(NULL_OPTIONAL, update, {"/clear_tags": None}),
        case(NULL_OPTIONAL, lists, {"/limit": None}),
        case(NULL_OPTIONAL, lists, {"/filters/tags": None}),
        # date-times that are not RFC 3339
        case(NAIVE, create, {"/started_at": "2024-05-06T07:08:09"}),
        case(NAIVE, update, {"/updated_at": "2024-05-06T07:08:09.123"}),
        case(DATE_ONLY, create, {"/started_at": "2024-05-06"}),
        case(OTHER_DATE_TIME, create, {"/started_at": "2024-05-06 07:08:09Z"}),
        case(OTHER_DATE_TIME, create, {"/started_at": "2024-05-06T07:08:09,5Z"}),
        case(OTHER_DATE_TIME, create, {"/started_at": "2024-05-06T07:08:09+0200"}),
        case(OTHER_DATE_TIME, thread, {"/updated_at": "1714979289"}),
        case(NUMBER_DATE_TIME, create, {"/started_at": 1714979289}),
        case(NUMBER_DATE_TIME, update, {"/updated_at": 1714979289.5}),
        # start and end dates
        case(NOT_DIGITS, lists, {"/filters/start_date": "yesterday"}),
        case(NOT_DIGITS, lists, {"/filters/start_date": ""}),
        case(NOT_DIGITS, lists, {"/filters/end_date": "-1"}),
        case(NOT_DIGITS, lists, {"/filters/end_date": "1.5"}),
        case(UNICODE_DIGITS, lists, {"/filters/start_date": "\uff11\uff12"}),  # fullwidth
        case(UNICODE_DIGITS, lists, {"/filters/end_date": "\u0661\u0662"}),  # Arabic-Indic
        # strings and numbers for booleans
        case(BOOLEAN_LIKE, update, {"/clear_tags": "yes"}),
        case(BOOLEAN_LIKE, update, {"/clear_tags": "on"}),
        case(BOOLEAN_LIKE, update, {"/clear_contact_ids": 1}),
        case(BOOLEAN_LIKE, update, {"/clear_contact_ids": "true"}),
        case(BOOLEAN_LIKE, response, {"/has_more": 0}),
        # a clear flag with the list it excludes
        case(EXCLUSION, update, {"/clear_tags": True, "/tags": ["a"]}),
        case(EXCLUSION, update, {"/clear_tags": True, "/tags": []}),
        case(EXCLUSION, update, {"/clear_contact_ids": True, "/contact_ids": ["c"]}),
        # id for _id
        case(ID_FOR_UNDERSCORE_ID, thread, {"/_id": DROP, "/id": "thread_01"}),
        case(ID_FOR_UNDERSCORE_ID, response, {"/data/0/_id": DROP, "/data/0/id": "thread_01"}),
    ]


# -- the SDK ---------------------------------------------------------------------------------------


def sdk_replies(cases: list[Case]) -> list[dict[str, Any]]:
    """The runner's reply to each case, from one run of it."""
    if not SDK_PYTHON.exists():
        pytest.fail(
            f"{SDK_PYTHON.relative_to(ROOT)} is missing: run `make .venv-sdk4/.installed` "
            "(`make test` builds it)"
        )
    lines = "".join(json.dumps({"model": c.cls.__name__, "text": c.text}) + "\n" for c in cases)
    run = subprocess.run(
        [str(SDK_PYTHON), str(RUNNER)],
        input=lines.encode("utf-8"),
        capture_output=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr.decode("utf-8", "replace")
    replies = [json.loads(line) for line in run.stdout.decode("utf-8").splitlines()]
    assert len(replies) == len(cases), run.stderr.decode("utf-8", "replace")
    return replies


# -- comparing the values --------------------------------------------------------------------------

_DATE_TIME = re.compile(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)")


def _instant(text: Any) -> datetime | None:
    """An RFC 3339 date-time as both sides write it (uppercase T, Z or ±hh:mm), read as an
    aware datetime; None for anything else."""
    match = _DATE_TIME.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        return None
    seconds, fraction, offset = match.groups()
    fraction = (fraction or "")[:6].ljust(6, "0")
    return datetime.fromisoformat(f"{seconds}.{fraction}{'+00:00' if offset == 'Z' else offset}")


def differences(ours: Any, theirs: Any, cls: type, path: str = "") -> list[str]:
    """Where our dump of a ``cls`` and the SDK's differ, beyond the representations that
    :func:`value_differences` allows."""
    if not isinstance(theirs, dict):
        return [f"{path or '(root)'}: the SDK wrote {theirs!r}"]
    fields = {field.wire_key(STYLE): field for field in describe_model(cls).fields}
    found = []
    for key in sorted(set(ours) | set(theirs)):
        where = f"{path}/{key}"
        if key not in ours or key not in theirs or key not in fields:
            side = "ours" if key in ours else "the SDK's"
            found.append(f"{where}: only in {side}: {ours.get(key, theirs.get(key))!r}")
        elif fields[key].array:
            if not isinstance(theirs[key], list) or len(theirs[key]) != len(ours[key]):
                found.append(f"{where}: {ours[key]!r} != {theirs[key]!r}")
                continue
            for index, (one, other) in enumerate(zip(ours[key], theirs[key], strict=True)):
                found += value_differences(fields[key], one, other, f"{where}/{index}")
        else:
            found += value_differences(fields[key], ours[key], theirs[key], where)
    return found


def value_differences(field: Field, ours: Any, theirs: Any, where: str) -> list[str]:
    if field.model is not None:
        return differences(ours, theirs, model_class(field.model), where)
    if field.kind.name == "number":
        # The SDK holds every number as a double: it writes 5 as 5.0, and an int beyond 2**53
        # rounded to the nearest double, where we keep the int. So the two are compared as
        # doubles, the sign of zero included.
        same = (
            type(theirs) is float
            and type(ours) in (int, float)
            and float(ours) == theirs
            and math.copysign(1.0, float(ours)) == math.copysign(1.0, theirs)
        )
    elif field.kind.name == "date-time":
        # The SDK writes six fraction digits (.500000) where we drop trailing zeros: the two are
        # compared as aware datetimes, the instant and the offset.
        one, other = _instant(ours), _instant(theirs)
        same = one is not None and other is not None and one == other
        same = same and one.utcoffset() == other.utcoffset()  # type: ignore[union-attr]
    else:  # strings, integers, booleans, enums, digits: the same JSON value, of the same type
        same = type(ours) is type(theirs) and ours == theirs
    return [] if same else [f"{where}: ours {ours!r} != the SDK's {theirs!r}"]


# -- classifying what sessionschema alone refuses --------------------------------------------------


class _Constant(float):
    """A NaN or an infinity written as a JSON literal (``NaN``, ``Infinity``, ``-Infinity``)."""


def parsed(text: str) -> Any:
    """The payload of ``text``, as lenient mode reads it (a repeated key: the last one);
    NaN and Infinity literals as :class:`_Constant`, a number too large for a double as inf."""
    return json.loads(text, parse_constant=_Constant)


def nodes(value: Any) -> Iterator[Any]:
    yield value
    children = (
        value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    )
    for child in children:
        yield from nodes(child)


class Spot(NamedTuple):
    """Where an error points: the field, the object that holds the key, the value there."""

    field: Field
    parent: Any
    value: Any
    present: bool
    item: bool
    """The pointer is to an element of an array field."""


def locate(cls: type, payload: Any, path: str) -> Spot | None:
    tokens = [token.replace("~1", "/").replace("~0", "~") for token in path.split("/")[1:]]
    model, node, spot = cls, payload, None
    index = 0
    while index < len(tokens):
        fields = {field.wire_key(STYLE): field for field in describe_model(model).fields}
        if not isinstance(node, dict) or tokens[index] not in fields:
            return None
        field = fields[tokens[index]]
        spot = Spot(field, node, node.get(tokens[index]), tokens[index] in node, False)
        if field.array and index + 1 < len(tokens):
            index += 1
            if not isinstance(spot.value, list) or not tokens[index].isdigit():
                return None
            spot = Spot(field, spot.value, spot.value[int(tokens[index])], True, True)
        if field.model is not None:
            model, node = model_class(field.model), spot.value
        index += 1
    return spot


def decision(cls: type, payload: Any, error: ss.Error) -> str | None:
    """The decision class of one of sessionschema's errors, or None."""
    if error.keyword == "json" and error.path == "":
        found = list(nodes(payload))
        if any(isinstance(node, _Constant) for node in found):
            return NON_FINITE
        if any(type(node) is float and math.isinf(node) for node in found):
            return BEYOND_DOUBLE  # a literal such as 1e400, read as inf
        return None
    if error.keyword == "not":  # the keyword of an exclusion
        return EXCLUSION
    spot = locate(cls, payload, error.path)
    if spot is None:
        return None
    field, value, kind = spot.field, spot.value, spot.field.kind.name
    if error.keyword == "required":
        return ID_FOR_UNDERSCORE_ID if error.path.endswith("/_id") and "id" in spot.parent else None
    if value is None and error.keyword in ("type", "enum"):  # (an enum's null fails "enum")
        return NULL_OPTIONAL if spot.present and not field.required and not spot.item else None
    if error.keyword == "type":
        if kind in ("number", "integer") and not spot.item:
            if isinstance(value, bool):
                return BOOL_AS_NUMBER
            if isinstance(value, str):
                return NUMERIC_STRING
            if isinstance(value, int | float) and abs(value) > MAX_DOUBLE:
                return BEYOND_DOUBLE
            return None
        if kind == "date-time" and type(value) in (int, float):
            return NUMBER_DATE_TIME
        if kind == "boolean" and type(value) in (str, int):
            return BOOLEAN_LIKE
        return None
    if error.keyword == "format" and kind == "date-time" and isinstance(value, str):
        if re.fullmatch(r"\d{4}-\d\d-\d\d", value):
            return DATE_ONLY
        if re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?", value):
            return NAIVE
        return OTHER_DATE_TIME
    if error.keyword == "pattern" and kind == "digits" and isinstance(value, str):
        return UNICODE_DIGITS if value.isdigit() else NOT_DIGITS
    return None


# -- the verdicts ----------------------------------------------------------------------------------


def judge(case: Case, reply: dict[str, Any]) -> Result:
    try:
        ours: Any = ss.dump(ss.loads(case.text, case.cls, style=STYLE), style=STYLE)
    except ss.ValidationError as error:
        errors = list(error.errors)
    else:
        if not reply["ok"]:
            if reply["errors"] and all(e["type"] == "int_parsing_size" for e in reply["errors"]):
                return Result(case, LARGE_INTEGRAL_FLOAT, (LARGE_INTEGRAL_FLOAT,))
            return Result(case, SDK_REFUSES, detail=f"the SDK: {reply['error']}")
        found = differences(ours, reply["value"], case.cls)
        if found:
            return Result(case, VALUES_DIFFER, detail="; ".join(found))
        return Result(case, ACCEPT)
    if not reply["ok"]:
        return Result(case, REFUSE)
    payload = parsed(case.text)
    classes = [decision(case.cls, payload, error) for error in errors]
    unexplained = [str(error) for error, name in zip(errors, classes, strict=True) if not name]
    if unexplained:
        return Result(case, UNEXPLAINED, detail="; ".join(unexplained))
    named = tuple(sorted({name for name in classes if name}))
    return Result(case, " + ".join(named), named)


def shown(result: Result) -> str:
    case = result.case
    text = case.text if len(case.text) <= 1500 else case.text[:1500] + "..."
    return f"  {case.label}: {result.outcome}: {result.detail}\n    {text}"


def test_the_sdk_agrees() -> None:
    cases = [*drawn_cases(), *hand_cases()]
    results = [judge(c, reply) for c, reply in zip(cases, sdk_replies(cases), strict=True)]
    counts = Counter(name for result in results for name in result.classes or (result.outcome,))
    report = f"{len(results)} payloads, by outcome (a payload counts once for each class):\n" + (
        "\n".join(f"  {count:5d}  {name}" for name, count in counts.most_common())
    )
    print(report)

    problems = []
    for finding in FINDINGS:
        found = [result for result in results if result.outcome == finding]
        found.sort(key=lambda result: result.case.expect is None)  # hand-written ones first
        if found:
            problems.append(f"{finding}: {len(found)} payloads")
            problems += [shown(result) for result in found[:SHOWN]]
    wrong = [r for r in results if r.case.expect is not None and r.outcome != r.case.expect]
    if wrong:
        problems.append(f"{len(wrong)} hand-written cases without the outcome written beside them:")
        problems += [f"{shown(result)}\n    expected: {result.case.expect}" for result in wrong]
    unreached = [name for name in (*CLASSES, LARGE_INTEGRAL_FLOAT) if not counts[name]]
    if unreached:
        problems.append(f"decision classes no payload reached: {', '.join(unreached)}")
    assert not problems, report + "\n" + "\n".join(problems)
