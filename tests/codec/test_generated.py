"""The generated code as a reader meets it: ``sessionschema source`` prints a module that runs
and has no undefined name; each compiled function keeps a file name of its own in linecache;
and the runtime package imports without the test tools."""

import inspect
import json
import linecache
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

import sessionschema as ss
from sessionschema import cli
from sessionschema._example import example
from sessionschema._problems import Found
from sessionschema.models import MODELS

from ..support import Library
from ..support.contract.models import MODELS as CONTRACT_MODELS

ROOT = Path(__file__).parents[2]
STYLES: tuple[ss.Style, ...] = ("camel", "snake")
EVERY = [
    (cls, style, strict)
    for cls in (*MODELS, *CONTRACT_MODELS)
    for style in STYLES
    for strict in (False, True)
]


def source(cls: type, style: ss.Style, strict: bool) -> str:
    return ss.codec(cls, style=style, strict=strict).source()


def broken(payload: dict[str, Any]) -> dict[str, Any]:
    """``payload`` with its first key's value replaced by a list of objects and an unknown key."""
    first = next(iter(payload))
    return payload | {first: [{}], "unknownKey": 1}


@pytest.mark.parametrize(("cls", "style", "strict"), EVERY, ids=str)
def test_the_printed_source_is_a_module_that_runs(
    lib: Library, cls: type, style: ss.Style, strict: bool
) -> None:
    text = lib.codec(cls, style=style, strict=strict).source()
    namespace: dict[str, Any] = {}
    exec(compile(text, f"<printed {cls.__name__}>", "exec"), namespace)
    mode = "strict" if strict else "lenient"
    build = namespace[f"structure_{cls.__name__}_{style}_{mode}"]
    write = namespace[f"unstructure_{cls.__name__}_{style}"]
    payload = example(cls, style)
    found = Found()
    obj = build(payload, "", found)
    assert found.listed() == []
    assert obj == ss.load(payload, cls, style=style)
    assert write(obj) == ss.dump(obj, style=style) == payload
    bad = broken(payload)
    found = Found()
    assert build(bad, "", found) is None
    assert found.listed() == ss.errors(bad, cls, strict=strict, style=style)
    lean = namespace[f"lean_{cls.__name__}_{style}"]
    assert lean(payload) == obj
    assert lean(bad) is None
    fast = namespace.get(f"fast_{cls.__name__}_{style}")
    assert (fast is not None) == (not strict and lib.ways.msgspec is not None)
    if fast is not None:
        raw = json.dumps(payload).encode()
        assert fast(raw) == obj
        assert namespace[f"check_{cls.__name__}_{style}"](raw) is None
        title = cls.__name__
        for name in (f"{title}Wire", f"build_{title}_{style}", f"check_wire_{title}_{style}"):
            assert name in namespace, name
        with pytest.raises(ValueError, match=r"\w"):
            fast(json.dumps(bad).encode())


def test_the_printed_source_has_no_undefined_name(lib: Library) -> None:
    ruff = Path(sys.executable).with_name("ruff")
    for cls, style, strict in EVERY:
        out = subprocess.run(
            [str(ruff), "check", "--quiet", "--select", "F", "--stdin-filename", "printed.py", "-"],
            input=lib.codec(cls, style=style, strict=strict).source(),
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert out.returncode == 0, (cls, style, strict, out.stdout)


def test_the_command_line_prints_the_same_source(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["source", "--model", "billing", "--style", "snake", "--strict"]) == 0
    assert capsys.readouterr().out.rstrip("\n") == source(ss.Billing, "snake", True).rstrip("\n")


def test_each_compiled_function_has_a_file_name_of_its_own() -> None:
    structurers: dict[str, Any] = {}
    for cls, style, strict in EVERY:
        name = f"structure_{cls.__name__}_{style}_{'strict' if strict else 'lenient'}"
        structurers[name] = ss.codec(cls, style=style, strict=strict)._full  # (the full pass)
    assert len(structurers) == len(EVERY)
    names = [function.__code__.co_filename for function in structurers.values()]
    assert len(set(names)) == len(names)
    for name, function in structurers.items():
        assert function.__name__ == name
        filename = function.__code__.co_filename
        assert filename.startswith("<sessionschema generated structure_")
        assert linecache.getlines(filename), filename
        assert inspect.getsource(function).startswith(f"def {function.__name__}(data, at, found):")


def test_the_runtime_package_imports_without_hypothesis() -> None:
    script = textwrap.dedent(
        """
        import importlib, pkgutil, sys

        class Refuse:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] == "hypothesis":
                    raise ImportError("no hypothesis here")

        sys.meta_path.insert(0, Refuse())
        import sessionschema
        names = [m.name for m in pkgutil.walk_packages(sessionschema.__path__, "sessionschema.")]
        for name in names:
            if name != "sessionschema.strategies":
                importlib.import_module(name)
        try:
            import sessionschema.strategies
        except ImportError as exc:
            print("strategies:", exc)
        print(len(names), "hypothesis" in sys.modules)
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == (
        "strategies: sessionschema.strategies needs hypothesis: "
        "pip install 'sessionschema[testing]'"
    )
    count, imported = lines[1].split()
    assert int(count) >= 20
    assert imported == "False"
    assert not (ROOT / "sessionschema" / "_conformance.py").exists()
