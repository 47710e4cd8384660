from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


@pytest.fixture
def other_rules() -> Path:
    """A second rule set whose every number differs from the shipped vbtt-11789."""
    return DATA / "other-rules.toml"


@pytest.fixture(autouse=True)
def _no_rules_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("XLTOOLS_RULES", raising=False)
