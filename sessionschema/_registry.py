"""The registered models: the one list that everything listing models derives from.

A contract is a folder of schema files and the classes named by their titles. The generated
module of the shipped contract (:mod:`._models`) registers its classes when it is imported; a
service registers its own contract the same way (:func:`register`; the tests' small contract is
one), after which every function of the library works with its classes too: codecs, the
converters' hooks and the strategies (the command line's ``--model`` lists the shipped ones).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import attrs

from . import _schema
from ._contract import ContractError, Model, read
from ._kinds import Field
from ._styles import Style

__all__ = [
    "Location",
    "building",
    "contract",
    "describe_model",
    "is_model",
    "locations",
    "model_class",
    "models",
    "name_of",
    "register",
]

_CLASSES: dict[str, type] = {}
"""Every registered class, by title."""
_LOCK = threading.Lock()


def register(classes: Iterable[type], folder: Path) -> None:
    """Add a contract: the schema files in ``folder`` (camel style) and their classes, named as
    the files' titles. Titles and ``$id`` s must not clash with a registered contract's."""
    classes = list(classes)
    with _LOCK:
        clash = [cls.__name__ for cls in classes if _CLASSES.get(cls.__name__, cls) is not cls]
        if clash:
            raise ContractError(f"{clash}: a model of that name is registered already")
        _schema.add_folder(folder)
        _CLASSES.update((cls.__name__, cls) for cls in classes)
        for cls in classes:
            if cls not in _BUILDING:
                _BUILDING[cls] = _make_building(cls)
        contract.cache_clear()


@functools.cache
def contract() -> dict[type, Model]:
    """Every registered model's description, by class, in an order where each model comes after
    those it contains and extends; read from the camel files (the snake wire is a renaming)."""
    described = {}
    for title, model in read(_schema.documents("camel").values())[0].items():
        cls = _CLASSES.get(title)
        if cls is None:
            continue  # a file of a contract whose classes are not registered (yet)
        fields = {attribute.name for attribute in attrs.fields(cls)}
        if fields != {field.name for field in model.fields}:
            raise ContractError(f"{title}: the class's attributes are not the file's properties")
        described[cls] = attrs.evolve(model, cls=cls)
    return described


def models() -> tuple[type, ...]:
    """Every registered model's class, each after the models it contains and extends."""
    return tuple(contract())


def describe_model(cls: type) -> Model:
    """The description of one model (a KeyError if ``cls`` is not one)."""
    return contract()[cls]


def is_model(cls: Any) -> bool:
    """Whether ``cls`` is the class of a registered model."""
    try:
        return cls in contract()
    except TypeError:  # not hashable
        return False


def model_class(title: str) -> type:
    """The registered class of a model's title."""
    return _CLASSES[title]


def name_of(cls: type) -> str:
    """A model's name on the command line and in its schema file: ``create-thread-request``."""
    return _schema.kebab(cls.__name__)


Location = tuple[tuple[str | int, ...], Field]
"""The keys (and indices) that lead to a key of a payload, and the field there."""


def locations(cls: type, style: Style, prefix: tuple[str | int, ...] = ()) -> list[Location]:
    """Every key a payload of ``cls`` can have, nested models' keys included (those of the
    first item, index 0, of an array of models), in the order of the schema files."""
    found: list[Location] = []
    for field in describe_model(cls).fields:
        where = (*prefix, field.wire_key(style))
        found.append((where, field))
        if field.model is not None:
            nested = (*where, 0) if field.array else where
            found += locations(model_class(field.model), style, nested)
    return found


# -- building an instance -------------------------------------------------------------------------

_BUILDING: dict[type, type] = {}


def building(cls: type) -> type:
    """The building class of the model ``cls``, made once, when its contract is registered.

    It is a subclass that adds no slot, with the plain ``object.__setattr__`` and
    ``__delattr__``. Generated code allocates an instance of it, sets each slot by an attribute
    store, and then makes the object an instance of ``cls`` (``obj.__class__ = cls``, allowed
    because the two share their layout). A frozen class's own ``__setattr__`` refuses the stores,
    and setting a slot through its descriptor is a call each; the plain store is specialised by
    CPython 3.11+ and, with the one class assignment, builds a model of ten slots in about a
    third of the time. It cannot be called (``TypeError``), so no user builds a half-made
    object; ``cls.__subclasses__()`` lists it.
    """
    return _BUILDING[cls]


def _refuse(cls: type, *args: Any, **kwargs: Any) -> Any:
    raise TypeError(f"{cls.__qualname__} is the library's own and cannot be constructed")


def _make_building(cls: type) -> type:
    namespace = {
        "__slots__": (),
        "__setattr__": object.__setattr__,
        "__delattr__": object.__delattr__,
        "__new__": _refuse,
        "__module__": cls.__module__,
        "__qualname__": f"{cls.__qualname__}Building",
        "__doc__": f"A {cls.__name__} being built (see sessionschema._registry.building).",
    }
    return type(f"{cls.__name__}Building", (cls,), namespace)
