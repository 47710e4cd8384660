"""Vietnamese typed in the legacy font encodings, read back as Unicode.

Before Unicode, offices typed Vietnamese with 8-bit fonts: TCVN3 (ABC) fonts named ``.VnTime``,
``.VnArial``… (``.VnTimeH``: the all-capitals variant) and VNI fonts named ``VNI-Times``,
``VNI-Helve``…. The workbook stores the 8-bit codes as Latin-1 characters ("Hµ Néi"), and only the
cell's font makes them read "Hà Nội". The reader finds those cells from ``xl/styles.xml`` and converts
their text to Unicode NFC here, then says so in a warning.

TCVN3 is one character per letter (the lowercase letters and Ă Â Ê Ô Ơ Ư Đ of TCVN 5712 VN3). VNI is
a base letter followed by a mark character ("aø" = "à"), with a few single characters (ô = ơ, ö = ư,
ñ = đ, ì í æ ó ò = ì í ỉ ĩ ị, î = ỵ); capitals use the capital mark characters.
"""

from __future__ import annotations

import re
import unicodedata
from enum import Enum

_TCVN3_CODES = "¡¢£¤¥¦§¨©ª«¬\xad®µ¶·¸¹»¼½¾ÆÇÈÉÊËÌÎÏÐÑÒÓÔÕÖ×ØÜÝÞßáâãäåæçèéêëìíîïñòóôõö÷øùúûüýþ"
_TCVN3_LETTERS = "ĂÂÊÔƠƯĐăâêôơưđàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"
_TCVN3 = str.maketrans(_TCVN3_CODES, _TCVN3_LETTERS)

# VNI, lower case: a base letter and its mark character, or a single character.
_VNI_MARKS = {"ø": "\u0300", "ù": "\u0301", "û": "\u0309", "õ": "\u0303", "ï": "\u0323"}  # ` ´ ? ~ .
_VNI_HATS = {"a": {"ê": "ă", "â": "â"}, "e": {"â": "ê"}, "o": {"â": "ô"}}  # ă, â, ê, ô and their tones
_VNI_HAT_TONES = {"è": "\u0300", "é": "\u0301", "ú": "\u0309", "ü": "\u0303", "ë": "\u0323"}  # on ă
_VNI_CIRCUMFLEX_TONES = {"à": "\u0300", "á": "\u0301", "å": "\u0309", "ã": "\u0303", "ä": "\u0323"}  # on â ê ô
_VNI_SINGLE = {"ô": "ơ", "ö": "ư", "ñ": "đ", "ì": "ì", "í": "í", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "î": "ỵ"}


def _vni_table() -> dict[str, str]:
    table: dict[str, str] = dict(_VNI_SINGLE)
    for base in "aeouy":
        for mark, tone in _VNI_MARKS.items():
            table[base + mark] = unicodedata.normalize("NFC", base + tone)
    for base in "ôö":  # ơ and ư with a tone
        for mark, tone in _VNI_MARKS.items():
            table[base + mark] = unicodedata.normalize("NFC", _VNI_SINGLE[base] + tone)
    for base, hats in _VNI_HATS.items():
        for hat, letter in hats.items():
            table[base + hat] = letter
    for mark, tone in _VNI_HAT_TONES.items():
        table["a" + mark] = unicodedata.normalize("NFC", "ă" + tone)
    for base, hatted in (("a", "â"), ("e", "ê"), ("o", "ô")):
        for mark, tone in _VNI_CIRCUMFLEX_TONES.items():
            table[base + mark] = unicodedata.normalize("NFC", hatted + tone)
    capitals = {}
    for code, letter in table.items():
        capitals[code.upper()] = letter.upper()  # capitals are typed with the capital mark characters
        capitals[code[0].upper() + code[1:]] = letter.upper()  # and, now and then, with the small ones
    return table | capitals


_VNI = _vni_table()
_VNI_PATTERN = re.compile("|".join(re.escape(k) for k in sorted(_VNI, key=len, reverse=True)))


class Legacy(Enum):
    TCVN3 = "TCVN3"
    TCVN3_CAPITALS = "TCVN3 (chữ hoa)"
    VNI = "VNI"


def encoding_of_font(name: str) -> Legacy | None:
    """The legacy encoding a font name implies (".VnTime", ".VnTimeH", "VNI-Times"…), else None."""
    lowered = name.strip().lower()
    if lowered.startswith(".vn"):
        return Legacy.TCVN3_CAPITALS if lowered.endswith("h") else Legacy.TCVN3
    if lowered.startswith("vni"):
        return Legacy.VNI
    return None


def to_unicode(text: str, encoding: Legacy) -> str:
    """The text typed in a legacy-encoded font, as Unicode NFC."""
    if encoding is Legacy.VNI:
        converted = _VNI_PATTERN.sub(lambda m: _VNI[m.group(0)], text)
    else:
        converted = text.translate(_TCVN3)
        if encoding is Legacy.TCVN3_CAPITALS:
            converted = converted.upper()
    return unicodedata.normalize("NFC", converted)


_FONTS = re.compile(rb"<(?:\w+:)?fonts\b[^>]*>(.*?)</(?:\w+:)?fonts>", re.S)
_FONT = re.compile(rb"<(?:\w+:)?font\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?font>)", re.S)
_NAME = re.compile(rb'<(?:\w+:)?name\b[^>]*\bval="([^"]*)"')
_CELL_XFS = re.compile(rb"<(?:\w+:)?cellXfs\b[^>]*>(.*?)</(?:\w+:)?cellXfs>", re.S)
_XF = re.compile(rb"<(?:\w+:)?xf\b([^>]*)")
_FONT_ID = re.compile(rb'\bfontId="(\d+)"')


def legacy_styles(styles: bytes) -> dict[int, Legacy]:
    """Cell style index (the ``s`` of a cell) → legacy encoding, for styles whose font is a legacy one,
    from the package's ``xl/styles.xml``."""
    fonts_block = _FONTS.search(styles)
    xfs_block = _CELL_XFS.search(styles)
    if not fonts_block or not xfs_block:
        return {}
    fonts = []
    for font in _FONT.finditer(fonts_block.group(1)):
        name = _NAME.search(font.group(1) or b"")
        fonts.append(encoding_of_font(name.group(1).decode("utf-8", "replace")) if name else None)
    found = {}
    for index, xf in enumerate(_XF.findall(xfs_block.group(1))):
        font_id = _FONT_ID.search(xf)
        if font_id and int(font_id.group(1)) < len(fonts) and fonts[int(font_id.group(1))]:
            found[index] = fonts[int(font_id.group(1))]
    return found
