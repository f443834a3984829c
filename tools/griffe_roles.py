"""A griffe extension for the API reference of the documentation site (``mkdocs.yml``).

The docstrings are written for ``help()`` and editors as much as for the site, with Sphinx's
roles (``:class:`~sessionschema.ValidationError```, ``:func:`load```, ``:mod:`._compile```) and
its literal blocks (a paragraph ending in ``::``, ``.. code-block:: python``). This extension
turns each role into a cross-reference of mkdocs-autorefs, resolved as Python would resolve the
name in the docstring's own scope, and each literal block into a Markdown code block, so that
the docstrings stay as they are and the site shows links and code. A reference to something the
site does not show (a private module) is an *optional* cross-reference: plain code, no warning.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import griffe

ROLE = re.compile(
    r":(?:class|func|meth|mod|data|attr|exc|obj):`"
    r"(?:(?P<title>[^`<]+?)\s*<(?P<titled>[\w.]+)>|(?P<short>~?)(?P<target>[\w.]+)(?:\(\))?)`"
)
"""A Sphinx role with its target: ``~`` shows the last name only, ``title <target>`` the
title."""
CODE_BLOCK = re.compile(r"^([ \t]*)\.\. code-block::[^\n]*\n", re.MULTILINE)
LITERAL = re.compile(r"::\n(?=\n[ \t]+\S)")
"""A paragraph that ends in ``::`` before an indented block: the block is literal text."""


class SphinxRoles(griffe.Extension):
    """Sphinx roles and literal blocks to Markdown, in every docstring of a loaded package."""

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        for obj in _objects(pkg):
            if obj.docstring is not None:
                obj.docstring.value = markdown(obj.docstring.value, obj)


def _objects(obj: griffe.Object) -> Iterator[griffe.Object]:
    """``obj`` and every object defined in it (aliases are documented where they point)."""
    yield obj
    for member in obj.members.values():
        if not member.is_alias and isinstance(member, griffe.Object):
            yield from _objects(member)


def markdown(text: str, obj: griffe.Object) -> str:
    """The docstring ``text`` of ``obj`` with its roles and literal blocks in Markdown."""
    text = CODE_BLOCK.sub("", text)
    text = LITERAL.sub(":\n", text)

    def link(match: re.Match[str]) -> str:
        if match["titled"]:
            identifier, title = resolve(match["titled"], obj), match["title"]
            return f'<autoref identifier="{identifier}" optional>{title}</autoref>'
        target = match["target"]
        identifier = resolve(target, obj)
        title = target.rsplit(".", 1)[-1] if match["short"] else target.lstrip(".")
        return f'<autoref identifier="{identifier}" optional><code>{title}</code></autoref>'

    return ROLE.sub(link, text)


def resolve(target: str, obj: griffe.Object) -> str:
    """The full path of ``target`` as named in a docstring of ``obj``: relative to its package
    (``._compile``), absolute (``sessionschema.load``) or a name in scope (``load``,
    ``Kind.reads``), an imported name resolved to where it is defined."""
    module = obj.module
    if target.startswith("."):
        dots = len(target) - len(target.lstrip("."))
        base = module if module.is_init_module else module.parent
        for _ in range(dots - 1):
            base = base.parent if base is not None and base.parent is not None else base
        return f"{base.path if base is not None else module.path}.{target.lstrip('.')}"
    first, _, rest = target.partition(".")
    scope: griffe.Object | None = obj
    while scope is not None:
        if first in scope.members:
            found = scope.members[first]
            path = found.target_path if isinstance(found, griffe.Alias) else found.path
            return f"{path}.{rest}" if rest else path
        scope = scope.parent
    return target
