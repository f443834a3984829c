"""One codec per model, wire style and strictness: every compiled function, and every path.

A :class:`Codec` owns what is compiled for its model and wire (:mod:`._generate`: the full
pass, the lean pass, the writer; :mod:`._structs`: msgspec's structs and the functions that
build models from them) and chooses among them. :meth:`Codec.loads` is the whole read path:

1. the shorter way, lenient mode only: msgspec's struct decodes the text and the model is built
   from it (where msgspec is used), or orjson reads the text and the lean pass builds the model
   (where only orjson is); either gives up at the first doubt, having recorded nothing;
2. the JSON boundary (:class:`._json.Boundary`): the size limit, the depth, the grammar, lone
   surrogates and (strict mode) duplicate keys; then, where no shorter way was tried, the lean
   pass over its value;
3. the full pass: the model, or every problem, with the boundary's, sorted.

So every problem comes from the boundary and the full pass, whatever way was tried first; the
differential tests prove that the shorter ways build exactly what the full pass builds.

:func:`codec` returns the same codec for the same arguments, from one table, built once per key
under a lock (a process forked while another thread builds one gets a fresh lock). The
accelerators were imported with the library (:mod:`._json`), never inside a call.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar, overload

from . import _generate, _schema, _structs
from ._emit import Unit
from ._hints import other_style_hint
from ._json import DEFAULT, LONE_SURROGATE, MAX_BYTES, MSGSPEC, ORJSON, Boundary, JSONText
from ._json import over_limit_size as _over_limit_size
from ._models import CreateSessionRequestBody
from ._problems import FORMAT, REQUIRED, TYPE, Error, Found, Stopped, ValidationError
from ._registry import describe_model, is_model, model_class, models
from ._styles import STYLES, Style, check_style

__all__ = ["Codec", "Ways", "check_strict", "codec", "lookup"]

T = TypeVar("T")


class Ways:
    """Which shorter ways a codec may take, and which accelerators its boundary uses: the
    library's configuration. :data:`DEFAULT_WAYS` takes every way the installed accelerators
    allow; the tests build codecs of the others (``Codec(cls, ways=Ways(msgspec=None))``) and
    compare them with the reference, ``Ways(msgspec=None, orjson=None, lean=False)``."""

    __slots__ = ("boundary", "lean", "msgspec", "orjson")

    def __init__(self, *, msgspec: Any = MSGSPEC, orjson: Any = ORJSON, lean: bool = True) -> None:
        self.msgspec = msgspec
        self.orjson = orjson
        self.lean = lean
        default = msgspec is MSGSPEC and orjson is ORJSON
        self.boundary = DEFAULT if default else Boundary(orjson, msgspec)

    def __repr__(self) -> str:
        used = [name for name in ("msgspec", "orjson") if getattr(self, name) is not None]
        return f"Ways({', '.join(used) or 'no accelerator'}{'' if self.lean else ', no lean'})"


DEFAULT_WAYS = Ways()


def _raised(exc: Exception) -> Error:
    """The problem of a value whose own code raised ``exc`` while it was read."""
    message = f"own code raised {type(exc).__name__} while it was read"
    return Error("", f"expected JSON data, got a value whose {message}", TYPE)


def _drop_restated(found: Found, problems: Found) -> None:
    """Leave out what the pass says of a string that the JSON boundary has refused for a lone
    surrogate (that it is not a string, or not a date-time): the text's problem says it."""
    refused = {error.path for error in problems if error.message == LONE_SURROGATE}
    if refused:
        found[:] = [
            error
            for error in found
            if not (error.path in refused and error.keyword in (TYPE, FORMAT))
        ]


def _check_max_bytes(max_bytes: Any) -> None:
    if max_bytes is None:
        return
    if type(max_bytes) is not int:
        raise TypeError(f"max_bytes must be an int or None, got {type(max_bytes).__name__}")
    if max_bytes < 0:
        raise ValueError(f"max_bytes must not be negative, got {max_bytes}")


class Codec(Generic[T]):
    """Everything compiled to read and write one model on one wire, in one strictness.

    Get one with :func:`sessionschema.codec` (the same object for the same arguments) and keep
    it where a loop reads many bodies, as msgspec's ``Decoder(T)``: it is never slower than the
    module functions, which delegate to it. ``Codec(cls, ...)`` itself builds a new one, of the
    configuration ``ways`` (for comparing configurations); ``nested`` gives the codecs of the
    models it contains (the codec table passes its own; by default they are built alike).
    """

    __slots__ = (
        "_boundary",
        "_check",
        "_full",
        "_inner",
        "_lean",
        "_quick",
        "_structs",
        "_units",
        "_write",
        "cls",
        "strict",
        "style",
        "ways",
    )

    cls: type[T]
    style: Style
    strict: bool

    def __init__(
        self,
        cls: type[T],
        *,
        style: Style = "camel",
        strict: bool = False,
        ways: Ways = DEFAULT_WAYS,
        nested: Callable[[type], Codec[Any]] | None = None,
    ) -> None:
        _check_arguments(cls, style, strict)
        self.cls, self.style, self.strict, self.ways = cls, style, strict, ways
        self._boundary = ways.boundary
        if nested is None:
            made: dict[type, Codec[Any]] = {}

            def nested(inner: type) -> Codec[Any]:
                if inner not in made:
                    made[inner] = Codec(inner, style=style, strict=strict, ways=ways, nested=nested)
                return made[inner]

        model = describe_model(cls)
        inner = {
            field.model: nested(model_class(field.model))
            for field in model.fields
            if field.model is not None
        }
        self._inner: tuple[Codec[Any], ...] = tuple(inner.values())
        full = _generate.full_pass(model, style, strict, {t: c._units[0] for t, c in inner.items()})
        lean = _generate.lean_pass(model, style, {t: c._units[1] for t, c in inner.items()})
        write = _generate.writer(model, style, {t: c._units[2] for t, c in inner.items()})
        self._units: tuple[Unit, ...] = (full, lean, write)
        self._full: Callable[[Any, str, Found], Any] = full.value
        self._lean: Callable[[Any], Any] | None = lean.value if ways.lean else None
        self._write: Callable[[Any], dict[str, Any]] = write.value
        self._structs: _structs.Structs | None = None
        self._check: Callable[[Any], None] | None = None
        self._quick: Callable[[Any], Any] | None = None
        if strict:  # (msgspec and orjson read a duplicate key silently, which strict mode reports)
            return
        msgspec = ways.msgspec
        if msgspec is not None:

            def lookup(title: str) -> _structs.Structs:
                structs = self._structs if title == model.title else inner[title]._structs
                assert structs is not None  # (built before the models that contain it)
                return structs

            wire = _structs.struct(model, style, lookup, msgspec)
            self._structs = _structs.Structs(
                wire,
                _structs.item_function(model, style, True, lookup),
                _structs.item_function(model, style, False, lookup),
            )
            fast = _structs.text_function(model, style, True, lookup, msgspec)
            check = _structs.text_function(model, style, False, lookup, msgspec)
            self._units += (*self._structs, fast, check)
            self._quick, self._check = fast.value, check.value
        elif ways.orjson is not None and self._lean is not None:
            read, lean_of = ways.orjson.loads, self._lean

            def quick(text: Any) -> Any:
                """orjson's value of ``text`` read by the lean pass (see
                :data:`._values.FLOAT_EDGE`): the model, or None, or a ValueError."""
                return lean_of(read(text))

            self._quick = quick

    def __repr__(self) -> str:
        mode = ", strict" if self.strict else ""
        return f"<Codec of {self.cls.__name__}, {self.style} wire{mode}, {self.ways!r}>"

    def __reduce__(self) -> tuple[Any, ...]:
        """A codec is pickled as its arguments, and unpickled as the codec of the library's own
        configuration for them (another ``Ways`` is the tests', not carried across)."""
        return _restore, (self.cls, self.style, self.strict)

    # -- reading ----------------------------------------------------------------------------------

    def loads(self, text: JSONText, *, max_bytes: int | None = MAX_BYTES) -> T:
        """Parse JSON text (``str`` or UTF-8 bytes) into the model, or raise
        :class:`ValidationError` with every problem.

        Text over ``max_bytes`` bytes of UTF-8 (default 1 MiB; None: no limit) is refused before
        it is parsed. In strict mode a duplicate key is an error; otherwise its last value
        counts. The problems found in the text (a lone surrogate escape, a duplicate key) are
        listed with those the pass finds, which does not report them again.
        """
        if max_bytes is not MAX_BYTES:
            _check_max_bytes(max_bytes)
        # 1. The shorter way (lenient mode): the model, or nothing recorded.
        quick = self._quick
        tried = False
        if quick is not None:
            kind = type(text)
            if kind is bytes:
                tried = max_bytes is None or len(text) <= max_bytes
            elif kind is str:
                tried = max_bytes is None or _over_limit_size(text, max_bytes) is None
            if tried:
                try:
                    obj = quick(text)
                except ValueError:  # not in the common case: read as below, which says why
                    obj = None
                if obj is not None:
                    return obj  # type: ignore[no-any-return]
        # 2. The JSON boundary, then the lean pass where no shorter way was tried.
        data, problems = self._boundary.parse(text, max_bytes, self.strict)
        lean = self._lean
        if problems is None and lean is not None and not tried:
            obj = lean(data)
            if obj is not None:
                return obj  # type: ignore[no-any-return]
        # 3. The full pass: the model, or every problem (a parsed value holds no object with
        # methods of its own, so no guard is needed here).
        found = Found()
        try:
            obj = self._full(data, "", found)
        except Stopped:
            obj = None
        if problems:
            _drop_restated(found, problems)
            raise ValidationError.from_listed(found.listed(problems))
        if found:
            raise self._refusal(data, found)
        return obj  # type: ignore[no-any-return]

    def _refusal(self, data: Any, found: Found) -> ValidationError:
        """The error that lists ``found``, the problems of ``data``, with a hint at their likely
        cause: a body in the other style's keys (:mod:`._hints`, which reads it again only when
        a required property is missing)."""
        listed = found.listed()
        for error in listed:  # (the hint is looked for only where a required key is missing)
            if error.keyword == REQUIRED:
                hint = other_style_hint(self.cls, self.style, data, errors=_errors, found=listed)
                return ValidationError.from_listed(listed, hint=hint)
        return ValidationError.from_listed(listed)

    def load(self, data: Any) -> T:
        """Build the model from a dict of the wire, or raise :class:`ValidationError` with every
        problem. Unknown keys are ignored; in strict mode each one is an error (and so is a key
        of the other style)."""
        lean = self._lean
        if lean is not None:
            try:
                obj = lean(data)
            except Exception as exc:  # raised by the value's own methods, as the pass reads
                raise ValidationError([_raised(exc)]) from None
            if obj is not None:
                return obj  # type: ignore[no-any-return]
        found = Found()
        obj = self._run(data, found)
        if found:
            raise self._refusal(data, found)
        return obj  # type: ignore[no-any-return]

    def _run(self, data: Any, found: Found) -> Any:
        """The full pass over ``data``, any Python value: the model, or None with the problems
        in ``found``. The pass reads the value by exact type, so that no method of it runs, but
        for a dict's keys: a key of a str subclass is hashed and compared by its own methods.
        Whatever such a method raises (or a dict changed while it is read) makes the value one
        that is not JSON data, a problem at the root like any other."""
        try:
            return self._full(data, "", found)
        except Stopped:  # the scan limit: found says so
            return None
        except Exception as exc:  # raised by the value's own methods (see above)
            found.append(_raised(exc))
            return None

    def errors(self, data: Any) -> list[Error]:
        """Every problem in ``data`` (a parsed JSON value), sorted by path; [] if it is valid."""
        found = Found()
        self._run(data, found)
        return found.listed()

    def validate(self, data: Any) -> None:
        """Raise :class:`ValidationError` listing every problem in ``data``; return if valid."""
        found = Found()
        self._run(data, found)
        if found:
            raise self._refusal(data, found)

    def problems(self, text: JSONText, *, max_bytes: int | None = MAX_BYTES) -> tuple[Error, ...]:
        """Every problem of JSON text, () if it is a valid model: :meth:`loads`'s verdict, where
        msgspec's struct can give it without building the model (the command line's check)."""
        check = self._check
        if (
            check is not None
            and type(text) is bytes
            and (max_bytes is None or len(text) <= max_bytes)
        ):
            try:
                check(text)
            except ValueError:
                pass
            else:
                return ()
        try:
            self.loads(text, max_bytes=max_bytes)
        except ValidationError as exc:
            return exc.errors
        return ()

    # -- writing ----------------------------------------------------------------------------------

    def dump(self, obj: T) -> dict[str, Any]:
        """A JSON-ready dict of a model on this codec's wire; absent optionals are omitted."""
        if type(obj) is not self.cls:
            raise TypeError(f"expected a {self.cls.__name__}, got {type(obj).__name__}")
        return self._write(obj)

    def dumps(self, obj: T) -> str:
        """Compact JSON text of a model, in the canonical form of :meth:`dump`: keys in the
        order of the class's attributes, non-ASCII as itself, numbers as
        :func:`._json.float_text` spells them, the same with accelerators or without."""
        if type(obj) is not self.cls:
            raise TypeError(f"expected a {self.cls.__name__}, got {type(obj).__name__}")
        return self._boundary.write(self._write(obj))

    # -- describing -------------------------------------------------------------------------------

    def schema(self) -> dict[str, Any]:
        """The bundled, self-contained JSON Schema (draft 2020-12) of the model on this wire;
        in strict mode, unknown keys at every level are refused, as :meth:`load` refuses them."""
        return _schema.bundle(self.cls, self.style, self.strict)

    def source(self) -> str:
        """The generated source that this codec runs, as a module that runs: the imports and
        bindings it uses, then the passes, the writers, and (lenient mode, where msgspec is
        used) the structs and the functions that build the models from them, of the models it
        contains first."""
        units = self._every_unit({})
        imports = sorted(
            {line for unit in units for binding in unit.bindings for line in binding.imports}
        )
        early: dict[str, str] = {}
        late: dict[str, str] = {}
        for unit in units:
            for binding in unit.bindings:
                if binding.source and binding.source != binding.name:
                    (late if binding.late else early)[binding.name] = binding.source
        name = self.cls.__name__
        mode = "strict" if self.strict else "lenient"
        full, lean, write = (unit.name for unit in self._units[:3])
        doc = [
            f'"""The code sessionschema runs to load and dump {name} on the {self.style} wire'
            f" ({mode}).",
            "",
            f'{full}(data, "", found) builds one from a dict, or returns None with every',
            "problem in found (a sessionschema._problems.Found);",
            f"{lean}(data) builds one from a dict in the common case, or returns None at the",
            "first doubt (load tries it first);",
        ]
        if self._structs is not None:
            fast = self._units[-2].name
            doc += [
                f"{fast}(text) builds one from JSON text that msgspec decodes into its struct,",
                "or raises a ValueError (loads tries it first, in lenient mode);",
            ]
        doc += [f'{write}(obj) writes one back."""']
        parts = [
            "\n".join(doc),
            "\n".join(imports),
            "\n".join(f"{binding} = {text}" for binding, text in early.items()),
            *(unit.text for unit in units),
        ]
        if late:
            parts.append("\n".join(f"{binding} = {text}" for binding, text in late.items()))
        return "\n\n\n".join(parts)

    def _every_unit(self, seen: dict[str, Unit]) -> list[Unit]:
        """This codec's units and those of the codecs it holds, each once, the inner first."""
        for inner in self._inner:
            inner._every_unit(seen)
        for unit in self._units:
            seen.setdefault(unit.name, unit)
        return list(seen.values())


def _errors(data: Any, cls: type[Any], /, *, strict: bool, style: Style) -> list[Error]:
    return lookup(cls, style, strict).errors(data)


def _restore(cls: type[T], style: Style, strict: bool) -> Codec[T]:
    return codec(cls, style=style, strict=strict)


def _check_arguments(cls: Any, style: Any, strict: Any) -> None:
    """Usage errors, before anything is compiled: a class that is not a model, an unknown
    style, a strictness that is not a bool."""
    if not is_model(cls):
        names = ", ".join(model.__name__ for model in models())
        raise TypeError(f"{cls!r} is not a sessionschema model; expected one of {names}")
    check_style(style)
    check_strict(strict)


def check_strict(strict: Any) -> bool:
    """``strict`` itself; a TypeError (a usage error) if it is not ``True`` or ``False``."""
    if strict is not True and strict is not False:
        raise TypeError(f"strict must be True or False, got {strict!r}")
    return strict


_CODECS: dict[str, dict[bool, dict[type, Codec[Any]]]] = {
    style: {False: {}, True: {}} for style in STYLES
}
"""The one table of codecs, by style, strictness and model (nested, so that a look-up builds no
tuple): every compiled function lives in one."""
_LOCK = threading.RLock()


def _reset_lock() -> None:  # pragma: no cover - runs in a forked child
    global _LOCK
    _LOCK = threading.RLock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_reset_lock)


def _build(cls: type[T], style: Style, strict: bool) -> Codec[T]:
    _check_arguments(cls, style, strict)
    with _LOCK:
        table = _CODECS[style][strict]
        found = table.get(cls)
        if found is None:
            built: Codec[T] = Codec(
                cls,
                style=style,
                strict=strict,
                nested=lambda inner: codec(inner, style=style, strict=strict),
            )
            found = table[cls] = built
    return found


def lookup(cls: Any, style: Any, strict: Any) -> Codec[Any]:
    """:func:`codec` with its arguments by position: the module functions' hot path (a call
    with keywords costs more than the look-up itself)."""
    try:
        found = _CODECS[style][strict][cls]
    except (KeyError, TypeError):  # (TypeError: an unhashable argument, refused by _build)
        return _build(cls, style, strict)
    if found.strict is not strict:  # (1 == True: a non-bool is refused there)
        return _build(cls, style, strict)
    return found


@overload
def codec(*, style: Style = ..., strict: bool = ...) -> Codec[CreateSessionRequestBody]: ...
@overload
def codec(cls: type[T], *, style: Style = ..., strict: bool = ...) -> Codec[T]: ...
def codec(
    cls: Any = CreateSessionRequestBody, *, style: Style = "camel", strict: bool = False
) -> Codec[Any]:
    """The codec of ``cls`` (default :class:`CreateSessionRequestBody`) on the wire of
    ``style``, strict or lenient: the same object for the same arguments, built at the first
    call. A TypeError for a class that is not a model or a ``strict`` that is not a bool, a
    ValueError for an unknown style."""
    return lookup(cls, style, strict)
