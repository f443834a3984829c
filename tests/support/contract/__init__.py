"""A small contract that the tests use to exercise every kind of field and rule: the schema files
in ``schemas/`` (``Probe``, ``Gauge`` and the enum ``ProbeMode``) hold required and optional
strings, integers, numbers, booleans, nullable values, enums in a file and in place, date-times,
digit strings, arrays of scalars and of models, a nested model and an exclusion rule."""
