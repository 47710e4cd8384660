"""Vietnamese text as it arrives from Excel: normalise it, and fold it for loose matching."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACES = re.compile(r"\s+")


def nfc(text: str) -> str:
    """The text in Unicode NFC with surrounding and repeated white space removed."""
    if text.isprintable() and "  " not in text and text == text.strip() and unicodedata.is_normalized("NFC", text):
        return text  # already clean: most names
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


@lru_cache(maxsize=16384)  # the same labels, names and headers come back in every file of a batch
def fold(text: str) -> str:
    """A key for loose matching: no diacritics, "đ" as "d", lower case, single spaces.

    Used for header texts, sheet names and labels, where the form allows variants; never for
    codes or names that must match exactly.
    """
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", bare).strip().lower()


def vn(value: float, decimals: int = 3) -> str:
    """A number as Vietnamese officers write it: 13.050.862,713."""
    return f"{value:,.{decimals}f}".replace(",", " ").replace(".", ",").replace(" ", ".")


def vn_number(value: float) -> str:
    """A number as officers write it, without needless decimals: 1.234,5; 20.000; 0,035."""
    text = f"{value:,.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text.replace(",", " ").replace(".", ",").replace(" ", ".")


def vn_percent(ratio: float, decimals: int = 6) -> str:
    """A ratio as a percentage in Vietnamese style, without needless decimals: 0.00035 → "0,035 %"."""
    return vn_number(round(ratio * 100, decimals)) + " %"
