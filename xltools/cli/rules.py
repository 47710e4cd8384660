"""xltools rules: the rule set in force, every number with its source."""

from __future__ import annotations

from rich.table import Table

from xltools.cli.app import (
    cli,
    console,
    rules_option,
)
from xltools.rules import RuleSet, load_ruleset
from xltools.rules.describe import ruleset_rows
from xltools.rules.loader import shipped_rulesets


@cli.command()
@rules_option
def rules(rules_path: str | None) -> None:
    """In bộ quy tắc đang dùng, kèm nguồn của từng con số.

    Ví dụ: xltools rules --rules my-province-2026.toml
    """
    render_ruleset(load_ruleset(rules_path))


def render_ruleset(rules: RuleSet) -> None:
    out = console()
    out.print(f"[bold]{rules.title}[/bold]  ({rules.name})")
    out.print(f"Ngày hiệu lực: {rules.effective_date or 'chưa rõ'}")
    out.print(f"Nguồn: {rules.source}")
    out.print(f"Tệp: {rules.path}")
    table = Table(show_lines=False)
    table.add_column("Quy tắc")
    table.add_column("Giá trị", justify="right")
    table.add_column("Nguồn, điều khoản")
    for row in ruleset_rows(rules):
        table.add_row(*row)
    out.print(table)
    out.print(f"Các bộ quy tắc có sẵn (--rules TÊN): {', '.join(shipped_rulesets())}.")
