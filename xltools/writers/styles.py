"""The one style sheet: what every workbook xltools writes looks like.

One font, one palette, one set of number formats, one page setup. XlsxWriter writers take their
formats from :class:`Styles`; the checked copy (openpyxl) takes the same colours from :data:`PALETTE`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from xltools.core.form import Kind
from xltools.core.targets import Met

BUILD_DATE = dt.datetime(2026, 1, 1)  # the creation date written into built workbooks, so two builds are identical

FONT = {"font_name": "Arial", "font_size": 10}

PALETTE = {
    "header": "#DDEBF7",  # table headers
    "input": "#FFF2CC",  # cells the officer fills in
    "error": "#FFC7CE",  # an error, a quota not met
    "error_text": "#9C0006",
    "warning": "#FFEB9C",
    "valid": "#C6EFCE",
    "unreadable": "#D9D9D9",
    "note": "#595959",  # subtitles and hints
    "link": "#0563C1",
    "button": "#2F5597",
}

NUMBER_FORMATS = {
    "text": "",
    "int": "#,##0",
    "money": "#,##0.000",  # triệu đồng, to the đồng
    "fee": "#,##0.0000",
    "pct": "0.00%",
    "rate": "0.000%",
    "date": "dd/mm/yyyy",
    "code": "@",
}

INDICATOR_FORMATS = {"ratio": "rate", "count": "int", "money": "money"}  # an indicator's kind → its format
RESULT_COLOURS = {Met.YES: "valid", Met.NO: "error", Met.NO_DATA: "unreadable"}  # a target's result → its fill

KIND_FORMATS = {Kind.COUNT: "int", Kind.MONEY: "money", Kind.AMOUNT: "fee", Kind.CODE: "code"}  # form columns


def openpyxl_colour(name: str) -> str:
    """A palette colour as openpyxl writes it ("FFC7CE")."""
    return PALETTE[name].lstrip("#")


class Styles:
    """The XlsxWriter formats of one workbook, each made once.

    ``number[k]``, ``total[k]`` (bold, rule above) and ``entry[k]`` (unlocked, for the officer) exist for
    every key of :data:`NUMBER_FORMATS`.
    """

    def __init__(self, workbook: Any) -> None:
        self.workbook = workbook
        self.title = self.make(bold=True, font_size=14)
        self.note = self.make(italic=True, font_color=PALETTE["note"], valign="vcenter")
        self.header = self.make(
            bold=True, text_wrap=True, valign="vcenter", align="center", bg_color=PALETTE["header"], border=1
        )
        self.label = self.make(bold=True, valign="vcenter")
        self.text = self.make()
        self.wrap = self.make(text_wrap=True, valign="top")
        self.boxed = self.make(text_wrap=True, valign="top", border=1)
        self.link = self.make(font_color=PALETTE["link"], underline=1)
        self.short = self.make(bg_color=PALETTE["error"], font_color=PALETTE["error_text"])
        self.alert = self.make(bold=True, font_color=PALETTE["error_text"])  # a warning the reader must not miss
        self.alert_wrapped = self.make(bold=True, font_color=PALETTE["error_text"], text_wrap=True, valign="top")
        self.number = {key: self.make(num_format=fmt) for key, fmt in NUMBER_FORMATS.items()}
        self.total = {key: self.make(num_format=fmt, bold=True, top=1) for key, fmt in NUMBER_FORMATS.items()}
        self.unlocked = {  # cells of a form the officer fills in
            key: self.make(num_format=fmt, locked=False, **({"align": "left"} if key == "date" else {}))
            for key, fmt in NUMBER_FORMATS.items()
        }
        self.entry = {  # a setting to fill in, boxed and coloured
            key: self.make(num_format=fmt, locked=False, bg_color=PALETTE["input"], border=1, align="left")
            for key, fmt in NUMBER_FORMATS.items()
        }
        self._fills: dict[str, Any] = {}

    def make(self, **properties: Any) -> Any:
        """A format in the house font; ``num_format=""`` means General."""
        if properties.get("num_format") == "":
            del properties["num_format"]
        return self.workbook.add_format(FONT | properties)

    def fill(self, colour: str) -> Any:
        """A bordered cell filled with a palette colour (a status, a severity)."""
        if colour not in self._fills:
            self._fills[colour] = self.make(bg_color=PALETTE[colour], border=1)
        return self._fills[colour]

    def kind(self, kind: Kind, formats: Mapping[str, Any] | None = None) -> Any:
        """The format of a form column's kind, from ``formats`` (default: ``number``)."""
        return (formats or self.number)[KIND_FORMATS.get(kind, "text")]


def a4_landscape(sheet: Any, title: str) -> None:
    """Printed as officers print: A4 landscape, one page wide, the title and page numbers in the footer."""
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    sheet.set_footer("&L&8" + title + "&R&8Trang &P/&N")


def new_workbook(path: Any) -> Any:
    """An XlsxWriter workbook that never turns a text into a formula or a link, whatever an officer typed."""
    import xlsxwriter

    return xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False})
