"""Parts of the README made from the code: the form's table and the catalogue of finding codes.

Run ``python -m xltools.dev.docs`` to rewrite them in README.md; tests/test_docs.py fails when they are stale.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from xltools.core.catalogue import RULES
from xltools.core.form import INFO_SHEET, TABLE_SHEETS

README = Path(__file__).resolve().parents[2] / "README.md"


def form_table() -> str:
    lines = []
    for sheet in (INFO_SHEET, *TABLE_SHEETS):
        lines += [f"**Sheet `{sheet.name}`**", "", "| header | key | type | required | rule |", "|---|---|---|---|---|"]
        for column in sheet.columns:
            required = "yes" if column.required else ""
            lines.append(f"| {column.header} | `{column.key}` | {column.kind.value} | {required} | {column.rule} |")
        lines.append("")
    return "\n".join(lines).rstrip()


def findings_table() -> str:
    lines = ["| code | severity | what is wrong |", "|---|---|---|"]
    for rule in RULES.values():
        lines.append(f"| `{rule.code}` | {rule.severity.label} | {rule.description} |")
    return "\n".join(lines)


SECTIONS = {"form-table": form_table, "findings": findings_table}


def render(text: str) -> str:
    for name, make in SECTIONS.items():
        pattern = re.compile(rf"(<!-- {name}:start -->\n)(?:.*?\n)?(<!-- {name}:end -->)", re.S)
        text = pattern.sub(lambda m, make=make: m.group(1) + make() + "\n" + m.group(2), text)
    return text


if __name__ == "__main__":
    README.write_text(render(README.read_text(encoding="utf-8")), encoding="utf-8")
    sys.exit(0)
