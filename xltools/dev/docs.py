"""The references in the documentation, made from the code so they cannot drift:

- the command line, from each command's ``--help``;
- the worksheet functions, from the metadata xlwings' own decorators build (what Excel shows);
- the rules, from the shipped rule set; the district form, from its declaration;
- the findings, from their declarations; the layout, from each package's docstring.

Run ``python -m xltools.dev.docs`` to rewrite them; ``tests/test_docs.py`` fails when one is stale.
"""

from __future__ import annotations

import ast
import datetime as dt
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from xltools.core.catalogue import RULES
from xltools.core.form import INFO_SHEET, TABLE_SHEETS
from xltools.rules import load_ruleset
from xltools.rules.describe import ruleset_rows

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "xltools"
README = ROOT / "README.md"
OFFICERS = ROOT / "docs" / "huong-dan-can-bo.md"
PROVINCE_IT = ROOT / "docs" / "province-it.md"
DEVELOPMENT = ROOT / "docs" / "development.md"


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    cells = [header, tuple("---" for _ in header), *rows]
    return "\n".join(
        "| " + " | ".join(str(c).replace("|", "\\|").replace("\n", " ") for c in row) + " |" for row in cells
    )


def form_table() -> str:
    parts = []
    for sheet in (INFO_SHEET, *TABLE_SHEETS):
        rows = [(c.header, f"`{c.key}`", c.kind.value, "có" if c.required else "", c.rule) for c in sheet.columns]
        parts.append(f"**Sheet `{sheet.name}`**\n\n" + _table(("cột", "khóa", "kiểu", "bắt buộc", "quy tắc"), rows))
    return "\n\n".join(parts)


def findings_table() -> str:
    rows = [(f"`{rule.code}`", rule.severity.label, rule.description) for rule in RULES.values()]
    return _table(("mã", "mức độ", "lỗi là gì"), rows)


def ruleset_table() -> str:
    rules = load_ruleset("vbtt-11789")
    intro = f"`{rules.name}` — {rules.title}; ngày hiệu lực: {rules.effective_date or 'chưa rõ'}.\n\n"
    return intro + _table(("quy tắc", "giá trị", "nguồn, điều khoản"), ruleset_rows(rules))


def functions_table() -> str:
    """The worksheet functions as Excel lists them: xlwings' metadata, built in a fresh interpreter in
    xlwings Server mode (on Linux ``@xw.func`` builds nothing otherwise)."""
    code = (
        "import json; from xlwings.server import custom_functions_meta; import xltools.udfs; "
        "print(json.dumps(custom_functions_meta(xltools.udfs)['functions'], ensure_ascii=False))"
    )
    env = dict(os.environ, XLWINGS_ON_SERVER="true", XLWINGS_LICENSE_KEY="noncommercial", PYTHONIOENCODING="utf-8")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    rows = []
    for function in sorted(json.loads(out.stdout), key=lambda f: f["name"]):
        params = [
            f"[{p['name']}]" if p.get("optional") else f"{p['name']}; …" if p.get("repeating") else p["name"]
            for p in function["parameters"]
        ]
        described = "; ".join(f"`{p['name']}`: {p['description']}" for p in function["parameters"])
        rows.append((f"`{function['name']}({'; '.join(params)})`", function["description"], described))
    return _table(("hàm", "trả về", "đối số"), rows)


def export_reference() -> str:
    """The tables ``consolidate --export`` writes and every column, from a consolidation of one sample report."""
    import tempfile

    from xltools.dev.bank_samples import write_sample_bank
    from xltools.dev.sample_reports import write_district_report
    from xltools.dev.samples import SAMPLE_PERIOD, SAMPLE_PROVINCE, communes
    from xltools.pipeline import consolidate, plan
    from xltools.writers.export import TABLES, describe, export_tables

    with tempfile.TemporaryDirectory() as folder:
        info = {"province": SAMPLE_PROVINCE, "district": "Huyện Sông Xanh", "district_code": "001"}
        info |= {"association": "HND", "period_end": SAMPLE_PERIOD, "prepared_on": SAMPLE_PERIOD}
        rows = communes(1, "001", 3)
        report = write_district_report(Path(folder) / "a.xlsx", info, rows)
        bank = write_sample_bank(Path(folder) / "NganHang", {(1, "HND"): rows}, SAMPLE_PERIOD)
        year_start = write_sample_bank(Path(folder) / "NganHang_T12", {(1, "HND"): rows}, dt.date(2025, 12, 31))
        plans = plan([year_start], Path(folder) / "KeHoach", year=SAMPLE_PERIOD.year).files
        frames = export_tables(consolidate([report], SAMPLE_PERIOD, bank=[bank], plans=plans))
    listed = [(f"`{t.name}`", t.rows, ", ".join(f"`{c}`" for c in frames[t.name].columns)) for t in TABLES]
    columns = dict.fromkeys(c for frame in frames.values() for c in frame.columns)
    return (
        _table(("table", "one row per", "columns"), listed)
        + "\n\n<details><summary>What each column holds</summary>\n\n"
        + _table(("column", "meaning"), [(f"`{c}`", describe(c)) for c in columns])
        + "\n\n</details>"
    )


def status_codes() -> str:
    """The status codes of the JSON outputs and the export, beside the labels officers read."""
    from xltools.consolidation import Outcome, UnitState
    from xltools.validators.report import Status

    rows = [
        (what, f"`{state.code}`", state.value)
        for what, states in (
            ("file (validation)", Status),
            ("file (consolidation)", Outcome),
            ("submission", UnitState),
        )
        for state in states
    ]
    return _table(("of a", "code", "officers read"), rows)


COMMANDS = [
    "build-workbooks",
    "consolidate",
    "demo",
    "plan",
    "prefill",
    "rollup",
    "rules",
    "targets-template",
    "template",
    "validate",
]


def cli_reference() -> str:
    """Each command's ``--help``, as ``python -m xltools`` prints it in a 100-column terminal."""
    env = dict(os.environ, COLUMNS="100", PYTHONIOENCODING="utf-8")
    parts = []
    for name in COMMANDS:
        command = [sys.executable, "-m", "xltools", name, "--help"]
        text = subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout.rstrip()
        parts.append(f"### `xltools {name}`\n\n```\n{text}\n```")
    return "\n\n".join(parts)


def _docstring_line(path: Path) -> str:
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    return " ".join(doc.split("\n\n")[0].split())


def layout_tree() -> str:
    """One line per package (its docstring's first paragraph), then its modules, in the road's order."""
    from_road = [
        "core",
        "rules",
        "reading",
        "inspection",
        "validators",
        "consolidation",
        "writers",
        "udfs",
        "excel",
        "dev",
    ]
    lines = [f"xltools/__init__.py   {_docstring_line(PACKAGE / '__init__.py').split(':')[0]}: the public API"]
    for name in [*from_road, "pipeline.py", "cli", "__main__.py"]:
        if name.endswith(".py"):
            lines.append(f"xltools/{name}  {_docstring_line(PACKAGE / name).split('. ')[0].rstrip('.')}")
            continue
        package = PACKAGE / name
        lines.append(f"xltools/{name}/  {_docstring_line(package / '__init__.py')}")
        for module in sorted(package.rglob("*.py")):
            if module.name != "__init__.py":
                first = _docstring_line(module).split(". ")[0].rstrip(".")
                lines.append(f"    {module.relative_to(package)}  {first}")
    return "```\n" + "\n".join(lines) + "\n```"


SECTIONS: dict[Path, dict[str, Callable[[], str]]] = {
    README: {"exports": export_reference, "status-codes": status_codes},
    OFFICERS: {"form-table": form_table, "findings": findings_table},
    PROVINCE_IT: {"cli": cli_reference, "functions": functions_table, "ruleset": ruleset_table},
    DEVELOPMENT: {"layout": layout_tree},
}


def _between(made: str) -> Callable[[re.Match[str]], str]:
    return lambda m: m.group(1) + made + "\n" + m.group(2)


def render(text: str, sections: dict[str, Callable[[], str]]) -> str:
    for name, make in sections.items():
        pattern = re.compile(rf"(<!-- {name}:start -->\n)(?:.*?\n)?(<!-- {name}:end -->)", re.S)
        text = pattern.sub(_between(make()), text)
    return text


if __name__ == "__main__":
    for path, sections in SECTIONS.items():
        path.write_text(render(path.read_text(encoding="utf-8"), sections), encoding="utf-8")
        print(f"đã cập nhật {path.relative_to(ROOT)}")
