"""Run in a fresh interpreter with XLWINGS_ON_SERVER=true set before xlwings is imported.

Prints, as JSON, the function metadata xlwings' real decorators build for xltools.udfs and the
results of calls made the way Excel sends them (2-D arguments, through xlwings' own conversion).
Used by test_udfs_xlwings_server.py; not a test on its own.
"""

import asyncio
import json
import os
import sys

assert os.environ.get("XLWINGS_ON_SERVER") == "true"
assert "xlwings" not in sys.modules

import xlwings  # noqa: E402
from xlwings.server import custom_functions_call, custom_functions_meta  # noqa: E402

import xltools.udfs  # noqa: E402


async def call(name: str, args: list) -> object:
    data = {
        "func_name": name,
        "args": args,
        "version": xlwings.__version__,
        "client": "Office.js",
        "runtime": "1.4",
        "caller_address": "'Ủy thác'!V5",
    }
    return await custom_functions_call(data, xltools.udfs)


async def main() -> None:
    calls = json.loads(sys.stdin.read())
    results = [await call(name, args) for name, args in calls]
    print(json.dumps({"meta": custom_functions_meta(xltools.udfs), "results": results}, ensure_ascii=False))


asyncio.run(main())
