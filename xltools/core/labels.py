"""States that officers read in Vietnamese and programs read as stable English codes."""

from __future__ import annotations

from enum import Enum


class Labelled(Enum):
    """An enum whose value is the label officers see ("Có lỗi") and whose :attr:`code` is what the JSON
    outputs, the exports and scripts use ("errors"): the name in lower case, so both never drift apart."""

    @property
    def code(self) -> str:
        return self.name.lower()
