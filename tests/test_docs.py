"""The documentation tells the truth: its references are generated from the code and current, its
links resolve, every command and finding is documented for its reader, and the README's Python
example runs on the sample province."""

from __future__ import annotations

import contextlib
import io
import os
import re
from pathlib import Path

import pytest

from xltools.cli import cli
from xltools.core.catalogue import RULES
from xltools.dev.docs import COMMANDS, OFFICERS, PROVINCE_IT, README, ROOT, SECTIONS, render
from xltools.dev.samples import build_sample_province

DOCS = [README, *SECTIONS]


@pytest.mark.parametrize("path", list(SECTIONS), ids=lambda p: p.name)
def test_generated_references_are_current(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for name in SECTIONS[path]:
        assert f"<!-- {name}:start -->" in text and f"<!-- {name}:end -->" in text, name
    assert render(text, SECTIONS[path]) == text, "run: python -m xltools.dev.docs"


def test_a_stale_reference_is_caught() -> None:
    """The check above can fail: a findings table missing a row is not what render() makes."""
    text = OFFICERS.read_text(encoding="utf-8")
    code = next(iter(RULES))
    stale = re.sub(rf"^\| `{code}` .*\n", "", text, count=1, flags=re.M)
    assert stale != text
    assert render(stale, SECTIONS[OFFICERS]) == text


def test_every_finding_is_explained_to_officers() -> None:
    text = OFFICERS.read_text(encoding="utf-8")
    assert [code for code in RULES if f"| `{code}` |" not in text] == []


def test_every_command_is_in_the_province_it_guide_with_its_help() -> None:
    assert sorted(cli.commands) == COMMANDS, "list the new command in xltools.dev.docs.COMMANDS"
    text = PROVINCE_IT.read_text(encoding="utf-8")
    for name, command in cli.commands.items():
        assert command.help, name
        assert f"### `xltools {name}`" in text, name


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name)
def test_links_and_pictures_resolve(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    targets = re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text)
    missing = [t for t in targets if not t.startswith("http") and not (path.parent / t).exists()]
    assert missing == []


def _python_example() -> str:
    text = README.read_text(encoding="utf-8")
    match = re.search(r"<!-- python-example:start -->\n```python\n(.*?)```\n<!-- python-example:end -->", text, re.S)
    assert match, "the README's 'Use from Python' example is missing its markers"
    return match.group(1)


def test_the_readme_python_example_runs_on_the_sample_province(tmp_path: Path) -> None:
    build_sample_province(tmp_path / "xltools-demo")
    out = io.StringIO()
    before = Path.cwd()
    os.chdir(tmp_path)
    try:
        with contextlib.redirect_stdout(out):
            exec(compile(_python_example(), "README.md", "exec"), {})
    finally:
        os.chdir(before)
    printed = out.getvalue()
    assert "0.2625" in printed  # 1,000 triệu đồng × 0,035 % × 75 % earned at exactly 1 % overdue
    assert "district × association without data" in printed
    assert (tmp_path / "xltools-demo" / "TongHop.xlsx").is_file()


def test_the_docs_name_only_modules_that_exist() -> None:
    """A module path in the documentation (xltools/…/x.py) is a file of this repository."""
    named = set()
    for path in DOCS:
        named |= set(re.findall(r"`(xltools/[\w/]+\.(?:py|toml))`", path.read_text(encoding="utf-8")))
    assert named and [n for n in sorted(named) if not (ROOT / n).exists()] == []
