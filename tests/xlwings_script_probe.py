"""Run one of xltools.excel.buttons's @script functions the way xlwings Server / Lite does, and print the actions.

Reads {"book": <the JSON Excel sends>, "script": name} on stdin; builds xlwings' own server-side Book
from it (XLWINGS_ON_SERVER=true set before xlwings is imported); calls the script through
xlwings.server.custom_scripts_call; prints {"actions": book.json()["actions"], "meta": script metadata}.
Used by test_provincial_workbook.py; not a test on its own.
"""

import asyncio
import json
import os
import sys

assert os.environ.get("XLWINGS_ON_SERVER") == "true"
assert "xlwings" not in sys.modules

import xlwings as xw  # noqa: E402
from xlwings.server import custom_scripts_call, custom_scripts_meta  # noqa: E402

import xltools.excel.buttons  # noqa: E402


async def main() -> None:
    request = json.loads(sys.stdin.read())
    book = xw.Book(json=request["book"])
    await custom_scripts_call(xltools.excel.buttons, request["script"], typehint_to_value={xw.Book: book})
    meta = custom_scripts_meta(xltools.excel.buttons)
    print(json.dumps({"actions": book.json()["actions"], "meta": meta}, ensure_ascii=False, default=str))


asyncio.run(main())
