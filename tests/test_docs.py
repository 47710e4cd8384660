"""The README tells the truth: its generated tables are current and every command is documented."""

from __future__ import annotations

from click.testing import CliRunner

from xltools.cli import cli
from xltools.core.catalogue import RULES
from xltools.dev.docs import README, SECTIONS, render


def test_generated_sections_of_the_readme_are_current() -> None:
    text = README.read_text(encoding="utf-8")
    for name in SECTIONS:
        assert f"<!-- {name}:start -->" in text
    assert render(text) == text, "run: python -m xltools.dev.docs"


def test_every_finding_code_is_in_the_readme() -> None:
    text = README.read_text(encoding="utf-8")
    assert all(f"`{code}`" in text for code in RULES)


def test_every_command_has_help_and_is_in_the_readme() -> None:
    text = README.read_text(encoding="utf-8")
    for name, command in cli.commands.items():
        assert command.help, name
        assert f"xltools {name}" in text, name
        assert CliRunner().invoke(cli, [name, "--help"]).exit_code == 0
