# Written by tools/models.py from the schema files (`make models`); do not edit.
"""The attrs classes of the tests' contract in ``tests/support/contract/schemas/``, one per model,
registered with the library when this module is imported."""

from datetime import datetime
from pathlib import Path
from typing import Literal, get_args

import attrs

from sessionschema._kinds import Number, exclusive, validator
from sessionschema._registry import register

__all__ = [
    "Gauge",
    "Probe",
    "ProbeMode",
]

ProbeMode = Literal["PROBE_MODE_FAST", "PROBE_MODE_SLOW"]
"""How fast a probe works."""


@attrs.frozen(kw_only=True)
class Gauge:
    """A reading taken by a probe.

    Attributes:
        reading: The value read.
        label: A name for the reading.
    """

    reading: int = attrs.field(validator=validator("integer"))
    label: str | None = attrs.field(default=None, validator=validator("string", optional=True))


@attrs.frozen(kw_only=True)
class Probe:
    """A model with one field of every kind that a contract can hold, and one exclusion rule.

    Attributes:
        name: A required string.
        count: A required integer.
        ratio: An optional number.
        active: A required boolean.
        maybe: An optional boolean that may be null.
        limit: An optional integer that may be null.
        mode: An optional value of an enum file.
        level: A required value of an enum written in place.
        note: An optional string that may be null.
        seen_at: An optional date-time.
        since: An optional count of milliseconds since the Unix epoch, in decimal digits.
        counts: An optional array of integers.
        labels: A required array of strings.
        tags: An optional array of strings that clearTags excludes.
        clear_tags: An optional boolean; when true, tags must be absent.
        gauge: A required nested model.
        gauges: An optional array of nested models.
    """

    name: str = attrs.field(validator=validator("string"))
    count: int = attrs.field(validator=validator("integer"))
    ratio: Number | None = attrs.field(default=None, validator=validator("number", optional=True))
    active: bool = attrs.field(validator=validator("boolean"))
    maybe: bool | None = attrs.field(
        default=None, validator=validator("boolean", optional=True, nullable=True)
    )
    limit: int | None = attrs.field(
        default=None, validator=validator("integer", optional=True, nullable=True)
    )
    mode: ProbeMode | None = attrs.field(
        default=None, validator=validator("enum", optional=True, values=get_args(ProbeMode))
    )
    level: Literal["low", "high"] = attrs.field(validator=validator("enum", values=("low", "high")))
    note: str | None = attrs.field(
        default=None, validator=validator("string", optional=True, nullable=True)
    )
    seen_at: datetime | None = attrs.field(
        default=None, validator=validator("date-time", optional=True)
    )
    since: str | None = attrs.field(default=None, validator=validator("digits", optional=True))
    counts: tuple[int, ...] | None = attrs.field(
        default=None, validator=validator("integer", optional=True, array=True)
    )
    labels: tuple[str, ...] = attrs.field(validator=validator("string", array=True))
    tags: tuple[str, ...] | None = attrs.field(
        default=None, validator=validator("string", optional=True, array=True)
    )
    clear_tags: bool | None = attrs.field(
        default=None, validator=validator("boolean", optional=True)
    )
    gauge: Gauge = attrs.field(validator=validator("model", cls=Gauge))
    gauges: tuple[Gauge, ...] | None = attrs.field(
        default=None, validator=validator("model", optional=True, array=True, cls=Gauge)
    )

    def __attrs_post_init__(self) -> None:
        exclusive(self, (("clear_tags", "tags"),))


MODELS: tuple[type, ...] = (
    Gauge,
    Probe,
)
"""Every model, each after the models it contains and extends."""

register(MODELS, Path(__file__).with_name("schemas"))
