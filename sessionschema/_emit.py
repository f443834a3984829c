"""A small writer of Python source: lines with relative indentation, and the names they use.

The generated code (:mod:`._generate`, :mod:`._structs`) is written through an :class:`Emitter`:
``e("line")`` writes a line at the current depth, ``with e.block("if test:"):`` writes the
header and indents what the block writes, as fastjsonschema's ``with self.l(...)`` does, so that
no function passes indentation strings around. Every name the code uses that is not a local is
bound with :meth:`Emitter.bind`, with its value and the source that makes it; :func:`compile_unit`
compiles the text with those bindings (under a file name of its own in :mod:`linecache`, as attrs
and cattrs do, so tracebacks, debuggers and coverage show the generated lines), and a
:class:`Unit` keeps the text and the bindings so that ``source()`` can print a module that runs.
"""

from __future__ import annotations

import contextlib
import itertools
import linecache
from collections.abc import Iterator
from typing import Any

import attrs

__all__ = ["Binding", "Emitter", "Unit", "compile_unit"]


@attrs.frozen
class Binding:
    """A name the generated code uses: its value, and how a printed module makes it."""

    name: str
    value: Any = attrs.field(eq=False)
    source: str
    """The expression that makes the value (``_values.describe``), or ``""`` for a function or
    class that the printed module defines itself."""
    imports: tuple[str, ...] = ()
    """The import lines the expression needs (``from sessionschema import _values``)."""
    late: bool = False
    """The expression uses a class the printed module defines: it is printed after them."""


class Emitter:
    """Lines of one function or class, at relative depths, and the names they use."""

    def __init__(self) -> None:
        self._lines: list[str] = []
        self._depth = 0
        self.bindings: dict[str, Binding] = {}

    def __call__(self, *lines: str) -> None:
        """Write ``lines`` at the current depth."""
        prefix = "    " * self._depth
        self._lines.extend(prefix + line if line else "" for line in lines)

    @contextlib.contextmanager
    def block(self, header: str) -> Iterator[None]:
        """Write ``header`` (``if test:``), then what the block writes, one level deeper."""
        self(header)
        self._depth += 1
        try:
            yield
        finally:
            self._depth -= 1

    def bind(
        self,
        name: str,
        value: Any,
        source: str,
        *imports: str,
        late: bool = False,
    ) -> str:
        """Make ``name`` mean ``value`` in the compiled code; ``name`` itself, to write."""
        known = self.bindings.get(name)
        if known is not None and known.value is not value:
            raise AssertionError(f"{name} is bound to two values")
        self.bindings[name] = Binding(name, value, source, imports, late)
        return name

    def bind_all(self, bindings: dict[str, Binding]) -> None:
        """Bind the names of another emitter's code (a nested model's, written inline)."""
        for binding in bindings.values():
            self.bind(
                binding.name, binding.value, binding.source, *binding.imports, late=binding.late
            )

    @property
    def text(self) -> str:
        return "\n".join(self._lines) + "\n"


@attrs.frozen
class Unit:
    """One compiled function or class: its name, its source and the names it uses."""

    name: str
    text: str
    bindings: tuple[Binding, ...]
    value: Any = attrs.field(eq=False, repr=False)


_COUNTER = itertools.count(1)


def compile_unit(name: str, emitter: Emitter) -> Unit:
    """Compile the function or class ``name`` that ``emitter`` wrote, with its bindings, under a
    file name of its own in linecache (numbered, as attrs does, so that no entry replaces
    another)."""
    text = emitter.text
    filename = f"<sessionschema generated {name} #{next(_COUNTER)}>"
    linecache.cache[filename] = (len(text), None, text.splitlines(True), filename)
    namespace = {binding.name: binding.value for binding in emitter.bindings.values()}
    exec(compile(text, filename, "exec", dont_inherit=True), namespace)
    return Unit(name, text, tuple(emitter.bindings.values()), namespace[name])
