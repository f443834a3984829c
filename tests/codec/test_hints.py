"""Hints: the note a :class:`ValidationError` carries when it sees a likely cause of its
problems, a body in the other style's keys (sessionschema._hints)."""

from __future__ import annotations

import json
import pickle
from typing import Any

import pytest

import sessionschema as ss
from sessionschema._hints import StyleHint, other_style, other_style_hint

from ..support.payloads import FULL, SNAKE, valid_payload

CAMEL_NOTE = 'the body uses camelCase keys (contactIds, externalId, projectId); pass style="camel"'
SNAKE_NOTE = (
    'the body uses snake_case keys (contact_ids, external_id, project_id); pass style="snake"'
)


def test_a_hint_is_the_last_line_of_the_message_and_a_member_of_the_problem() -> None:
    errors = [ss.Error("/contact_ids", "required property is missing", "required")]
    exc = ss.ValidationError(errors, hint=CAMEL_NOTE)
    assert str(exc) == f"/contact_ids: required property is missing\nnote: {CAMEL_NOTE}"
    problem = exc.to_problem()
    assert problem["hint"] == CAMEL_NOTE
    assert problem["errors"] == [errors[0].to_dict()]  # the note is no problem of its own
    again = pickle.loads(pickle.dumps(exc))
    assert (again.errors, again.hint) == (exc.errors, CAMEL_NOTE)
    plain = ss.ValidationError(errors)
    assert plain.hint is None
    assert "hint" not in plain.to_problem()
    assert str(plain) == "/contact_ids: required property is missing"


@pytest.mark.parametrize(
    ("data", "style", "note"),
    [(FULL, "snake", CAMEL_NOTE), (SNAKE, "camel", SNAKE_NOTE)],
    ids=["camel read as snake", "snake read as camel"],
)
def test_a_body_in_the_other_style_is_seen(
    data: dict[str, Any], style: ss.Style, note: str
) -> None:
    cls = ss.CreateSessionRequestBody
    assert other_style_hint(cls, style, data, errors=ss.errors) == note
    other: ss.Style = "camel" if style == "snake" else "snake"
    assert other_style(cls, style, data, errors=ss.errors) == StyleHint(
        other, tuple(note.split("(")[1].split(")")[0].split(", "))
    )


@pytest.mark.parametrize(
    ("cls", "data", "style"),
    [
        (ss.CreateSessionRequestBody, FULL, "camel"),  # valid
        (ss.CreateSessionRequestBody, valid_payload(duration="1"), "camel"),  # nothing missing
        (ss.CreateSessionRequestBody, {"contactIds": []}, "camel"),  # missing, not elsewhere
        (ss.CreateSessionRequestBody, {"unknown_key": 1}, "snake"),  # no key of either style
        (ss.CreateSessionRequestBody, [FULL], "snake"),  # not an object
        (ss.GetThreadCountResponse, {"count": "1"}, "snake"),  # the same key in both
    ],
)
def test_no_hint_where_the_other_style_does_not_explain_the_problems(
    cls: type, data: Any, style: ss.Style
) -> None:
    assert other_style_hint(cls, style, data, errors=ss.errors) is None


def test_problems_at_hand_without_a_missing_property_read_nothing_more() -> None:
    def errors(*args: Any, **kwargs: Any) -> list[ss.Error]:
        raise AssertionError("read again")

    found = [ss.Error("/duration", "expected a number, got string '1'", "type")]
    assert other_style_hint(ss.Thread, "snake", FULL, errors=errors, found=found) is None


def test_the_library_says_so_when_a_body_is_read_in_the_other_style() -> None:
    body = json.dumps(FULL)
    with pytest.raises(ss.ValidationError) as from_text:
        ss.loads(body, style="snake")
    with pytest.raises(ss.ValidationError) as from_dict:
        ss.load(FULL, style="snake")
    for exc in (from_text.value, from_dict.value):
        assert exc.hint == CAMEL_NOTE
        assert str(exc).endswith(f"\nnote: {CAMEL_NOTE}")
        assert exc.to_problem()["hint"] == CAMEL_NOTE
    with pytest.raises(ss.ValidationError) as wrong:  # a problem of its own: no hint
        ss.loads(json.dumps(valid_payload(duration="1")))
    assert wrong.value.hint is None
