"""The one style sheet: what every workbook xltools writes looks like.

One font, one palette, one set of number formats, one page setup. XlsxWriter writers take their
formats from :class:`Styles`; the checked copy (openpyxl) takes the same colours from :data:`PALETTE`.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping, Sequence
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

KIND_FORMATS = {Kind.COUNT: "int", Kind.MONEY: "money", Kind.AMOUNT: "fee", Kind.CODE: "code", Kind.DATE: "date"}


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
        self.link = self.make(font_color=PALETTE["link"], underline=1, valign="top")
        self.short = self.make(bg_color=PALETTE["error"], font_color=PALETTE["error_text"])
        # The same, wrapped across a table's columns (a title, a note, a warning wider than the table).
        self.across = {
            "title": self.make(bold=True, font_size=14, text_wrap=True, valign="top"),
            "note": self.make(italic=True, font_color=PALETTE["note"], text_wrap=True, valign="top"),
            "alert": self.make(bold=True, font_color=PALETTE["error_text"], text_wrap=True, valign="top"),
        }
        # A text in a table stands one space off the number before it ("8,082.855 Khác", not "8,082.855Khác").
        spaced = {key: {"align": "left", "indent": 1} if key in ("text", "code") else {} for key in NUMBER_FORMATS}
        self.number = {
            key: self.make(num_format=fmt, valign="top", **spaced[key]) for key, fmt in NUMBER_FORMATS.items()
        }
        self.total = {
            key: self.make(num_format=fmt, bold=True, top=1, valign="top", **spaced[key])
            for key, fmt in NUMBER_FORMATS.items()
        }
        self.wrapped = {  # a long text of a table, on as many lines as it needs
            "number": self.make(valign="top", text_wrap=True, align="left", indent=1),
            "total": self.make(valign="top", text_wrap=True, align="left", indent=1, bold=True, top=1),
        }
        self.unlocked = {  # cells of a form the officer fills in
            key: self.make(num_format=fmt, locked=False, **({"align": "left"} if key == "date" else {}))
            for key, fmt in NUMBER_FORMATS.items()
        }
        self.to_fill = {  # a cell of a prefilled form the bank's exports did not give: the officer fills it
            key: self.make(
                num_format=fmt,
                locked=False,
                bg_color=PALETTE["input"],
                border=1,
                border_color="#BFBFBF",
                valign="top",
                **spaced[key],
            )
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
            self._fills[colour] = self.make(bg_color=PALETTE[colour], border=1, valign="top", align="left", indent=1)
        return self._fills[colour]

    def kind(self, kind: Kind, formats: Mapping[str, Any] | None = None) -> Any:
        """The format of a form column's kind, from ``formats`` (default: ``number``)."""
        return (formats or self.number)[KIND_FORMATS.get(kind, "text")]


# A4 landscape less the 0.4 in side margins, in points.
PRINTABLE_WIDTH_PT = 842 - 2 * 0.4 * 72
MIN_PRINT_SCALE = 72  # %: the house 10 pt prints at 7.2 pt, never below 7 pt (an A4 page officers can read)


def printed_width(widths: Sequence[float]) -> float:
    """The points the columns take on paper at 100 %, as LibreOffice lays out Arial 10 columns (5.9 pt a
    character and 11.6 pt a column, measured; Excel's 7 px + 5 px is a little narrower, so a sheet that
    fits in LibreOffice fits in Excel)."""
    return sum(5.9 * w + 11.6 for w in widths)


def text_lines(text: str, widths: Sequence[float], size: float = 10, em: float = 0.5) -> int:
    """How many lines ``text`` takes wrapped at its spaces across the columns, in the house font at ``size``
    pt (``em``: a character's mean width, 0.5 for mixed text, more for bold or capitals); on the safe side."""
    width = sum(5.25 * w + 3.75 for w in widths) - 4  # Excel's, the narrower, less the cell's padding
    per_line = max(1, int(width / (size * em)))
    lines = 0
    for part in text.split("\n"):
        lines += 1
        used = 0
        for word in part.split():
            if used and used + 1 + len(word) > per_line:
                lines += 1
                used = 0
            used += len(word) + (1 if used else 0)
            while used > per_line:  # a word longer than the line goes on across lines
                lines += 1
                used -= per_line
    return lines


def page_columns(widths: Sequence[float]) -> int:
    """How many of the columns print on a page across: all when the sheet fits one page wide at 7 pt or more,
    else those that fit at that scale (a title across the table stays on the first page)."""
    if printed_width(widths) * MIN_PRINT_SCALE / 100 <= PRINTABLE_WIDTH_PT:
        return len(widths)
    fitted = itertools.accumulate(printed_width([w]) * MIN_PRINT_SCALE / 100 for w in widths)
    return max(1, sum(1 for used in fitted if used <= PRINTABLE_WIDTH_PT))


def a4_landscape(
    sheet: Any, title: str, widths: Sequence[float], header_row: int | None = None, key_columns: int = 1
) -> None:
    """Printed as officers print: A4 landscape, the title and page numbers in the footer, the table's header
    on every page, one page wide when that keeps the text at 7 pt or more — else at that scale, across
    pages, the first ``key_columns`` on every page. Only the table's columns print (a long text beside
    it would shrink the page)."""
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    sheet.set_footer("&L" + title.replace("&", "&&") + "&RTrang &P/&N")
    if page_columns(widths) == len(widths):
        sheet.fit_to_pages(1, 0)
    else:
        sheet.set_print_scale(MIN_PRINT_SCALE)
        if key_columns:
            sheet.repeat_columns(0, key_columns - 1)
    if header_row is not None:
        sheet.repeat_rows(header_row)


def new_workbook(path: Any) -> Any:
    """An XlsxWriter workbook that never turns a text into a formula or a link, whatever an officer typed."""
    import xlsxwriter

    # Blank cells in the house font too; "none": a font tied to the theme's would show as Calibri in Excel.
    default = FONT | {"font_scheme": "none"}
    options = {"strings_to_formulas": False, "strings_to_urls": False, "default_format_properties": default}
    return xlsxwriter.Workbook(str(path), options)
