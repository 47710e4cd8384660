"""The layout shows the road the data takes (DESIGN.md): every import points down it.

A module may import its own package and the layers below it, never a layer above. The development
parts (``xltools.dev``) are imported by no user module, except the command line's ``demo``.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "xltools"

LAYERS = [  # lowest first
    {"core"},
    {"rules"},
    {"reading", "udfs"},
    {"inspection"},
    {"validators"},
    {"consolidation"},
    {"writers"},
    {"pipeline"},
    {"excel", "__init__"},  # __init__: the public API
    {"dev"},
    {"cli"},
    {"__main__"},
]
RANK = {part: rank for rank, parts in enumerate(LAYERS) for part in parts}
MAY_IMPORT_DEV = {"cli", "dev"}


def _part(module: str) -> str:
    """The layer part of a dotted module name: xltools.reading.table → reading; xltools → __init__."""
    pieces = module.split(".")
    return pieces[1] if len(pieces) > 1 else "__init__"


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("xltools"):
            names = [f"{node.module}.{a.name}" for a in node.names] if node.module == "xltools" else [node.module]
            found += [(node.lineno, name) for name in names]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("xltools")]
    return found


def _modules() -> list[tuple[Path, str]]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE.parent).with_suffix("")
        parts = list(relative.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out.append((path, ".".join(parts)))
    return out


def test_every_module_belongs_to_a_layer() -> None:
    unknown = {name for _, name in _modules() if _part(name) not in RANK}
    assert not unknown, f"add these to LAYERS in {__file__}: {sorted(unknown)}"


def upward_imports() -> list[str]:
    wrong = []
    for path, name in _modules():
        mine = _part(name)
        for line, imported in _imports(path):
            theirs = _part(imported)
            if theirs == mine:
                continue
            if theirs == "dev" and mine not in MAY_IMPORT_DEV:
                wrong.append(f"{name}:{line} imports {imported} (development only)")
            elif RANK.get(theirs, -1) >= RANK[mine]:
                wrong.append(f"{name}:{line} imports {imported} (layer {theirs} is not below {mine})")
    return wrong


def test_imports_point_down_the_road() -> None:
    assert upward_imports() == []


def test_the_check_sees_an_upward_import(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The check above can fail: a reader module that imports the summary writer is caught."""
    fake = tmp_path / "xltools"
    (fake / "reading").mkdir(parents=True)
    (fake / "writers").mkdir()
    (fake / "reading" / "bad.py").write_text("from xltools.writers.summary import write_summary\n")
    (fake / "writers" / "summary.py").write_text("from xltools.reading.bad import x\n")
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", fake)
    assert upward_imports() == [
        "xltools.reading.bad:1 imports xltools.writers.summary (layer writers is not below reading)"
    ]


def test_importing_xltools_loads_no_development_or_excel_module() -> None:
    """What a user's `import xltools` loads: the API, without the samples, the docs or xlwings."""
    code = (
        "import sys, xltools; "
        "print(sorted(m for m in sys.modules if m.startswith(('xltools.dev', 'xltools.excel', 'xlwings'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize(
    "args",
    [["--help"], ["rules"], ["template", "--out", "BC.xlsx"], ["validate", "--help"]],
    ids=lambda a: " ".join(a),
)
def test_commands_that_need_no_tables_import_no_pandas(tmp_path: Path, args: list[str]) -> None:
    """Start-up: `xltools --help`, `rules`, `template` and any `--help` load neither pandas nor pandera."""
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "xltools", *args], cwd=tmp_path, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr[-2000:]
    loaded = {line.rsplit("|", 1)[-1].strip() for line in out.stderr.splitlines() if line.startswith("import time:")}
    assert loaded.isdisjoint({"pandas", "pandera", "pyarrow"}), sorted(loaded & {"pandas", "pandera", "pyarrow"})
    assert "xltools.cli" in loaded  # the check sees the imports
