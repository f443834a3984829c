"""``make upstream``: the schema files against the official SDKs' own models.

The payload agreement tests cannot see a field that orq adds (lenient mode ignores unknown keys,
and an optional field is never required), so this compares structure. For each pair of a model
of ``sessionschema/schemas/`` and the model of the official Python SDK that mirrors it, the
JSON Schema that the SDK's pydantic writes (read by ``tools/upstream_sdk.py``, run by the SDK's
own interpreter: the two SDK majors cannot share one environment) is compared with the file, on
the snake wire (``contactIds`` is ``contact_ids``, ``id`` is ``_id``):

- **key**: a wire key that one side has and the other lacks;
- **required**: whether the key is required;
- **type**: ``integer``, ``number``, ``string`` (with its ``format``, or its ``pattern`` where
  it has no format), ``boolean``, ``array of ...``, a nested model by name, ``string enum``;
- **nullable**: whether ``null`` is allowed;
- **enum**: the values of an enum, as the values only one side has;
- **constraints**: keywords of a model that tie keys together (``allOf``, ``not``, ...);
- **model**: a model the SDK does not have at all.

Every difference must be explained by an entry of ``tools/upstream-decisions.json``, each of
which names the decision of ``docs/contracts.md`` (a row of its decisions table, or a bold lead
of its list of decisions) that makes the schema file differ; an entry must explain at least one
difference (but for one marked ``"pinned": false``, which is about other releases), and must
name a decision that the page has. Anything else, and a schema file that no
SDK model is compared with, is a failure: the table is printed and the exit status is 1, each
failure named by model and property on standard error. 2 is for a run that could not compare
(an SDK that cannot be installed or read).

``python -m tools.upstream`` compares with the pinned SDKs: ``orq-ai-sdk`` 4 from
``.venv-sdk4`` (the thread models of ``/v2/sessions``) and 3.4.0 from the running interpreter
(the legacy ``/v2/traces/sessions`` bodies). ``--sdk VERSION`` installs that release of
``orq-ai-sdk`` into a temporary virtualenv and compares with it instead (a 3.x release in place
of the legacy SDK, any other in place of SDK 4); ``--json`` prints the result as one JSON
object; ``--schemas`` and ``--decisions`` read other files (the tests plant differences so).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import venv
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

__all__ = [
    "ASPECTS",
    "SOURCES",
    "Comparison",
    "Decision",
    "Difference",
    "Prop",
    "Report",
    "SdkError",
    "SdkModels",
    "Shape",
    "compare",
    "decision_names",
    "load_decisions",
    "main",
    "render_table",
    "run",
    "schema_shapes",
    "sdk_shape",
    "sdk_shapes",
    "snake",
]

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = ROOT / "sessionschema" / "schemas"
DECISIONS = ROOT / "tools" / "upstream-decisions.json"
CONTRACTS = ROOT / "docs" / "contracts.md"
DUMPER = ROOT / "tools" / "upstream_sdk.py"
PACKAGE = "orq-ai-sdk"

ASPECTS = ("model", "key", "required", "type", "nullable", "enum", "constraints")
"""What is compared, in the order a model's differences are listed."""

CONSTRAINTS = ("allOf", "anyOf", "oneOf", "not", "if", "dependentRequired", "dependentSchemas")
"""Keywords of a model's root that tie its keys together, beyond each key's own schema."""

ROOT_PROPERTY = "-"
"""The property of a difference that is about the model itself."""


@dataclass(frozen=True)
class Source:
    """One SDK: which models of it mirror which schema files, and where it is installed."""

    key: str
    """``threads`` or ``legacy``: the name of the SDK's column and of its decisions."""
    major: int
    """The SDK's major version: ``--sdk`` replaces the source of the same major (3), or else
    the threads'."""
    models: Mapping[str, str]
    """The SDK's model name -> the title of the schema file it mirrors."""
    python: Path
    """The interpreter of the virtualenv that holds the pinned release."""


SOURCES = (
    Source(
        key="threads",
        major=4,
        models={
            name: name
            for name in (
                "CreateThreadRequest",
                "Thread",
                "UpdateThreadRequest",
                "ListThreadsRequest",
                "GetThreadCountRequest",
                "ThreadFilters",
                "ListThreadsResponse",
                "GetThreadCountResponse",
                "ThreadBilling",
                "ThreadUsage",
                "ThreadKind",
                "SessionInterval",
            )
        },
        python=ROOT / ".venv-sdk4" / "bin" / "python",
    ),
    Source(
        key="legacy",
        major=3,
        models={
            "CreateSessionRequestBody": "CreateSessionRequestBody",
            "CreateSessionResponseBody": "CreateSessionResponseBody",
            "Billing": "Billing",
            "CreateSessionUsage": "CreateSessionUsage",
            # The response's copies of the nested models, which the library shares (their
            # names are exported as aliases).
            "CreateSessionBilling": "Billing",
            "CreateSessionSessionsUsage": "CreateSessionUsage",
        },
        python=Path(sys.executable),
    ),
)


# -- the shapes compared ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Prop:
    """What one side says about one key."""

    type: str
    nullable: bool = False
    enum: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Shape:
    """What one side says about one model: its keys, or its values for an enum."""

    title: str
    properties: dict[str, Prop] = field(default_factory=dict)
    required: frozenset[str] = frozenset()
    enum: tuple[str, ...] | None = None
    constraints: str = "none"


_NULL = Prop("null", nullable=True)
Resolved = tuple[str, Any]
"""What a ``$ref`` leads to: ``("model", title)``, ``("inline", schema)`` or ``("unset", None)``."""


def _describe(node: Mapping[str, Any], resolve: Callable[[str], Resolved]) -> Prop | None:
    """The :class:`Prop` of a property's schema (None for pydantic's ``Unset`` sentinel)."""
    if "$ref" in node:
        what, value = resolve(node["$ref"])
        if what == "unset":
            return None
        if what == "model":
            return Prop(str(value))
        return _describe(value, resolve)
    for union in ("anyOf", "oneOf"):
        if union in node:
            branches = [_describe(branch, resolve) for branch in node[union]]
            return _union([branch for branch in branches if branch is not None])
    if "enum" in node:
        values = tuple(node["enum"])
        nullable = None in values
        kept = tuple(str(value) for value in values if value is not None)
        return Prop("string enum", nullable=nullable, enum=kept)
    types = node.get("type", [])
    types = [types] if isinstance(types, str) else list(types)
    nullable = "null" in types
    kinds = [kind for kind in types if kind != "null"]
    if not kinds:
        return _NULL if nullable else Prop("any")
    return _union([_typed(kind, node, resolve) for kind in kinds] + ([_NULL] if nullable else []))


def _typed(kind: str, node: Mapping[str, Any], resolve: Callable[[str], Resolved]) -> Prop:
    if kind == "array":
        items = _describe(node.get("items", {}), resolve) or Prop("any")
        return Prop(f"array of {items.type}{' or null' if items.nullable else ''}")
    if kind == "string" and "format" in node:
        # A date-time of the schema files also carries a pattern, which says the format again
        # for validators without format assertion: the format is what is compared.
        return Prop(f"string ({node['format']})")
    if kind == "string" and "pattern" in node:
        return Prop(f"string matching {node['pattern']}")
    return Prop(kind)


def _union(branches: list[Prop]) -> Prop:
    nullable = any(branch.nullable for branch in branches)
    kept = [branch for branch in branches if branch.type != "null"]
    if not kept:
        return _NULL
    if len(kept) == 1:
        return replace(kept[0], nullable=nullable)
    return Prop(" or ".join(sorted({branch.type for branch in kept})), nullable=nullable)


def _shape(
    title: str,
    node: Mapping[str, Any],
    resolve: Callable[[str], Resolved],
    key: Callable[[str], str],
) -> Shape:
    roots = [name for name in CONSTRAINTS if name in node]
    constraints = ", ".join(_constraint(name, node[name]) for name in roots) or "none"
    if "properties" not in node:
        prop = _describe(node, resolve) or Prop("any")
        return Shape(title, enum=prop.enum, constraints=constraints)
    properties: dict[str, Prop] = {}
    for name, schema in node["properties"].items():
        properties[key(name)] = _describe(schema, resolve) or Prop("any")
    required = frozenset(key(name) for name in node.get("required", ()))
    return Shape(title, properties, required, constraints=constraints)


def _constraint(name: str, value: Any) -> str:
    return f"{name} ({len(value)})" if isinstance(value, list) else name


def snake(camel: str) -> str:
    """``contactIds`` -> ``contact_ids``; ``id`` -> ``_id``, as the orq API spells its id."""
    if camel == "id":
        return "_id"
    return re.sub(r"(?<!^)(?=[A-Z])", "_", camel).lower()


def schema_shapes(folder: Path) -> dict[str, Shape]:
    """Every schema file of ``folder``, read as plain JSON, by title, on the snake wire."""
    files = {}
    for path in sorted(folder.glob("*.schema.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        files[schema["$id"]] = schema

    def resolve(ref: str) -> Resolved:
        target = files[ref]
        if "properties" in target:
            return ("model", target["title"])
        return ("inline", target)

    return {
        schema["title"]: _shape(schema["title"], schema, resolve, snake)
        for schema in files.values()
    }


def sdk_shape(name: str, schema: Mapping[str, Any], titles: Mapping[str, str]) -> Shape:
    """The shape of one model of the SDK from its pydantic JSON Schema (keys are wire keys); a
    nested model is named by the title of the schema file it mirrors (``titles``), so that the
    legacy response's ``CreateSessionBilling`` is the files' ``Billing``."""
    definitions = schema.get("$defs", {})

    def resolve(ref: str) -> Resolved:
        target = definitions[ref.removeprefix("#/$defs/")]
        if target.get("title") == "Unset" and not target.get("properties"):
            return ("unset", None)  # OptionalNullable's sentinel: absent, which is not a type
        if "properties" in target:
            return ("model", titles.get(target["title"], target["title"]))
        return ("inline", target)

    return _shape(name, schema, resolve, str)


# -- the SDKs --------------------------------------------------------------------------------------


class SdkError(Exception):
    """An SDK that could not be installed or read."""


@dataclass(frozen=True)
class SdkModels:
    source: str
    version: str
    shapes: dict[str, Shape | None]
    """By the SDK's model name: None for a model the SDK does not have."""


def _read_sdk(source: Source, python: Path) -> SdkModels:
    if not python.exists():
        raise SdkError(
            f"{python} is missing: `make .venv-sdk4/.installed` builds the pinned SDK 4's "
            "virtualenv"
        )
    done = subprocess.run(
        [str(python), str(DUMPER), *source.models],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SdkError(f"{python} could not read the SDK's models:\n{done.stderr.strip()}")
    found = json.loads(done.stdout)
    shapes = {
        name: None if schema is None else sdk_shape(name, schema, source.models)
        for name, schema in found["models"].items()
    }
    return SdkModels(source.key, found["version"], shapes)


def _install(version: str, folder: Path) -> Path:
    """A virtualenv in ``folder`` with ``orq-ai-sdk==version`` and pydantic; its interpreter."""
    print(f"installing {PACKAGE}=={version} into a temporary virtualenv ...", file=sys.stderr)
    venv.create(folder, with_pip=True)
    python = folder / "bin" / "python"
    spec = f"{PACKAGE}=={version}"
    done = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", spec],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        # pip names every release it has when the one asked for is not among them: shortened.
        said = re.sub(r"\(from versions: [^)]*\)", "(from versions: ...)", done.stderr.strip())
        tail = "\n".join(said.splitlines()[-3:])
        raise SdkError(f"{PACKAGE}=={version} could not be installed:\n{tail}")
    return python


def sdk_shapes(sdk: str | None = None) -> list[SdkModels]:
    """The models of every source: the pinned SDKs, or ``sdk`` in place of one of them."""
    replaced = None
    if sdk is not None:
        major = sdk.split(".", 1)[0]
        replaced = next((s.key for s in SOURCES if str(s.major) == major), SOURCES[0].key)
    read = []
    with tempfile.TemporaryDirectory(prefix="upstream-sdk-") as folder:
        for source in SOURCES:
            if source.key == replaced and sdk is not None:
                read.append(_read_sdk(source, _install(sdk, Path(folder))))
            else:
                read.append(_read_sdk(source, source.python))
    return read


# -- the comparison --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Difference:
    source: str
    model: str
    """The SDK's model name (the schema file's title, but for the legacy response's copies)."""
    property: str
    aspect: str
    schema: str
    sdk: str
    decision: str | None = None


@dataclass(frozen=True)
class Comparison:
    source: str
    sdk_version: str
    model: str
    title: str
    properties: int
    differences: tuple[Difference, ...]


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _enum(values: Iterable[str]) -> str:
    return ", ".join(values) or "-"


def _compare_props(
    diff: Callable[[str, str, str, str], None], key: str, ours: Prop, theirs: Prop
) -> None:
    if ours.type != theirs.type:
        diff(key, "type", ours.type, theirs.type)
    if ours.nullable != theirs.nullable:
        diff(key, "nullable", _yes(ours.nullable), _yes(theirs.nullable))
    if ours.enum is not None and theirs.enum is not None and set(ours.enum) != set(theirs.enum):
        only_ours = [value for value in ours.enum if value not in theirs.enum]
        only_theirs = [value for value in theirs.enum if value not in ours.enum]
        diff(key, "enum", _enum(only_ours), _enum(only_theirs))


def compare(source: str, model: str, ours: Shape, theirs: Shape | None) -> list[Difference]:
    """Every difference of one schema file (``ours``) from one SDK model (``theirs``)."""
    found: list[Difference] = []

    def diff(prop: str, aspect: str, schema: str, sdk: str) -> None:
        found.append(Difference(source, model, prop, aspect, schema, sdk))

    if theirs is None:
        diff(ROOT_PROPERTY, "model", "present", "absent")
        return found
    if ours.constraints != theirs.constraints:
        diff(ROOT_PROPERTY, "constraints", ours.constraints, theirs.constraints)
    if (ours.enum is None) != (theirs.enum is None):
        diff(ROOT_PROPERTY, "type", _kind(ours), _kind(theirs))
    elif ours.enum is not None:
        _compare_props(
            diff,
            ROOT_PROPERTY,
            Prop("string enum", enum=ours.enum),
            Prop("string enum", enum=theirs.enum),
        )
    for key in [*ours.properties, *(k for k in theirs.properties if k not in ours.properties)]:
        if key not in theirs.properties:
            diff(key, "key", "present", "absent")
        elif key not in ours.properties:
            diff(key, "key", "absent", "present")
        else:
            if (key in ours.required) != (key in theirs.required):
                diff(key, "required", _yes(key in ours.required), _yes(key in theirs.required))
            _compare_props(diff, key, ours.properties[key], theirs.properties[key])
    order = {aspect: index for index, aspect in enumerate(ASPECTS)}
    keys = {
        key: index
        for index, key in enumerate([ROOT_PROPERTY, *ours.properties, *theirs.properties])
    }
    return sorted(found, key=lambda d: (keys[d.property], order[d.aspect]))


def _kind(shape: Shape) -> str:
    return "string enum" if shape.enum is not None else "object"


# -- the decisions ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    """One entry of the decisions file: the differences it explains, and why."""

    source: str
    models: tuple[str, ...]
    properties: tuple[str, ...]
    """Wire keys, ``-`` for the model itself, or ``*`` for every key of the models."""
    aspect: str
    schema: str
    sdk: str
    decision: str
    """The decision of docs/contracts.md that explains them (a table row's subject, or the bold
    lead of a listed decision), compared without its Markdown emphasis."""
    why: str
    pinned: bool = True
    """False for an entry about other releases than the pinned ones (an older SDK 4, whose enums
    have the protobuf zero values): it may explain nothing on the pinned SDKs."""

    def explains(self, difference: Difference) -> bool:
        return (
            difference.source == self.source
            and difference.model in self.models
            and ("*" in self.properties or difference.property in self.properties)
            and difference.aspect == self.aspect
            and difference.schema == self.schema
            and difference.sdk == self.sdk
        )

    def label(self) -> str:
        return f"{self.source} {'/'.join(self.models)} {','.join(self.properties)} {self.aspect}"


def _strings(value: Any) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def load_decisions(path: Path) -> list[Decision]:
    """The entries of a decisions file: ``{"decisions": [{source, models, properties, aspect,
    schema, sdk, decision, why, pinned?}, ...]}`` (``models`` and ``properties`` a string or a
    list; ``pinned`` true unless given)."""
    entries = json.loads(path.read_text(encoding="utf-8"))["decisions"]
    return [
        Decision(
            source=entry["source"],
            models=_strings(entry["models"]),
            properties=_strings(entry["properties"]),
            aspect=entry["aspect"],
            schema=entry["schema"],
            sdk=entry["sdk"],
            decision=entry["decision"],
            why=entry["why"],
            pinned=entry.get("pinned", True),
        )
        for entry in entries
    ]


def _plain(text: str) -> str:
    return re.sub(r"[*`]", "", text).strip().lower()


def decision_names(page: str) -> set[str]:
    """The decisions of docs/contracts.md's ``## Decisions`` section, without Markdown emphasis:
    the bold start of each row of its table, and the bold lead of each item of its list."""
    section = page.split("\n## Decisions", 1)[-1].split("\n## ", 1)[0]
    names = set()
    for line in section.splitlines():
        bold = re.match(r"(?:\|\s*|- )\*\*(.+?)\*\*", line)
        if bold:
            names.add(_plain(bold.group(1)))
    return names


# -- one run ---------------------------------------------------------------------------------------


@dataclass
class Report:
    sdks: dict[str, str]
    """Each source's ``orq-ai-sdk`` version."""
    comparisons: list[Comparison]
    unexplained: list[Difference]
    unused: list[Decision]
    unknown_decisions: list[Decision]
    uncovered: list[str]
    """Schema files that no SDK model is compared with."""

    @property
    def ok(self) -> bool:
        return not (self.unexplained or self.unused or self.unknown_decisions or self.uncovered)

    def failures(self) -> Iterator[str]:
        for d in self.unexplained:
            where = d.model if d.property == ROOT_PROPERTY else f"{d.model}.{d.property}"
            yield (
                f"{where}: {d.aspect} differs: the schema files say {d.schema!r}, "
                f"{PACKAGE} {self.sdks[d.source]} says {d.sdk!r}, and no decision explains it"
            )
        for title in self.uncovered:
            yield f"{title}: a schema file that no model of the SDKs is compared with"
        for entry in self.unused:
            yield f"decision entry [{entry.label()}] explains no difference"
        for entry in self.unknown_decisions:
            yield (
                f"decision entry [{entry.label()}] names {entry.decision!r}, which is not a "
                "decision of docs/contracts.md"
            )

    def as_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "sdks": {key: {"package": PACKAGE, "version": v} for key, v in self.sdks.items()},
            "models": [
                {
                    "source": c.source,
                    "sdk_version": c.sdk_version,
                    "model": c.model,
                    "schema_title": c.title,
                    "properties": c.properties,
                    "differences": [asdict(d) for d in c.differences],
                }
                for c in self.comparisons
            ],
            "failures": list(self.failures()),
        }


def run(
    schemas: Path = SCHEMAS,
    decisions: Path = DECISIONS,
    sdk: str | None = None,
    read: Sequence[SdkModels] | None = None,
) -> Report:
    """Compare every schema file of ``schemas`` with its SDK model (``read``: the SDKs' models,
    as :func:`sdk_shapes` gives them, read now when not given)."""
    ours = schema_shapes(schemas)
    entries = load_decisions(decisions)
    known = decision_names(CONTRACTS.read_text(encoding="utf-8"))
    models = list(read) if read is not None else sdk_shapes(sdk)
    sources = {source.key: source for source in SOURCES}
    comparisons, unexplained, used = [], [], set()
    covered = set()
    for sdk_models in models:
        for name, title in sources[sdk_models.source].models.items():
            theirs = sdk_models.shapes.get(name)
            if title not in ours:
                found = [
                    Difference(sdk_models.source, name, ROOT_PROPERTY, "model", "absent", "present")
                ]
                count = 0
            else:
                covered.add(title)
                found = compare(sdk_models.source, name, ours[title], theirs)
                count = len(ours[title].properties)
            explained = []
            for difference in found:
                entry = next((e for e in entries if e.explains(difference)), None)
                if entry is None:
                    unexplained.append(difference)
                else:
                    used.add(id(entry))
                    difference = replace(difference, decision=entry.decision)
                explained.append(difference)
            comparisons.append(
                Comparison(
                    sdk_models.source, sdk_models.version, name, title, count, tuple(explained)
                )
            )
    return Report(
        sdks={m.source: m.version for m in models},
        comparisons=comparisons,
        unexplained=unexplained,
        unused=[e for e in entries if e.pinned and id(e) not in used],
        unknown_decisions=[e for e in entries if _plain(e.decision) not in known],
        uncovered=sorted(set(ours) - covered),
    )


# -- output ----------------------------------------------------------------------------------------

HEADER = ("model", "SDK", "property", "aspect", "schema files", "SDK's model", "explained by")


def _rows(report: Report) -> Iterator[tuple[str, ...]]:
    for c in report.comparisons:
        model = c.model if c.model == c.title else f"{c.title} ({c.model})"
        sdk = f"{PACKAGE} {c.sdk_version}"
        if not c.differences:
            what = f"{c.properties} key{'s' * (c.properties != 1)}" if c.properties else "values"
            yield (model, sdk, "-", "all agree", what, what, "")
        for d in c.differences:
            yield (model, sdk, d.property, d.aspect, d.schema, d.sdk, d.decision or "UNEXPLAINED")


def render_table(report: Report) -> str:
    """The comparison as one Markdown table, one row per difference (or per model that agrees)."""
    rows = [HEADER, *(tuple(cell.replace("|", "\\|") for cell in row) for row in _rows(report))]
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADER))]

    def line(cells: Sequence[str]) -> str:
        return (
            "| "
            + " | ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True))
            + " |"
        )

    out = [line(rows[0]), "|" + "|".join("-" * (width + 2) for width in widths) + "|"]
    out.extend(line(row) for row in rows[1:])
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.upstream", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--sdk",
        metavar="VERSION",
        help="compare with this release of orq-ai-sdk, installed into a temporary virtualenv",
    )
    parser.add_argument("--json", action="store_true", help="print the result as one JSON object")
    parser.add_argument("--schemas", type=Path, default=SCHEMAS, help="the folder of schema files")
    parser.add_argument("--decisions", type=Path, default=DECISIONS, help="the decisions file")
    args = parser.parse_args(argv)
    try:
        report = run(args.schemas, args.decisions, sdk=args.sdk)
    except SdkError as exc:
        print(f"upstream: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(report.as_json(), indent=2))
    else:
        print(render_table(report))
    for failure in report.failures():
        print(f"upstream: {failure}", file=sys.stderr)
    if not args.json:
        sdks = ", ".join(f"{PACKAGE} {version} ({key})" for key, version in report.sdks.items())
        verdict = "every difference is explained" if report.ok else "FAILED"
        print(f"{len(report.comparisons)} models compared with {sdks}: {verdict}")
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
