"""Fill a workbook in LibreOffice Calc as an officer would (headless, through UNO), let Calc compute,
and save it as .xlsx. Run with Debian's Python that has python3-uno:
    /usr/bin/python3 tests/lo_fill.py WORKBOOK OUT.xlsx '{"Ủy thác": {"H5": 1000, "D5": "Có"}}'
A number is typed as a number, a text as a text; a cell not named stays as the template has it.
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from lo_probe import office_desktop, prop


def main() -> None:
    source, target, cells = Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve(), json.loads(sys.argv[3])
    with office_desktop("xltoolsfill") as (_, desktop):
        doc = desktop.loadComponentFromURL(source.as_uri(), "_blank", 0, (prop("Hidden", True),))
        if doc is None:
            raise SystemExit(f"LibreOffice could not open {source}")
        for sheet_name, values in cells.items():
            sheet = doc.Sheets.getByName(sheet_name)
            for address, value in values.items():
                cell = sheet.getCellRangeByName(address)
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    cell.setValue(value)
                else:
                    cell.setString(str(value))
        doc.calculateAll()
        doc.storeToURL(target.as_uri(), (prop("FilterName", "Calc MS Excel 2007 XML"),))
        doc.close(True)


if __name__ == "__main__":
    main()
