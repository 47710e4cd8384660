"""Run in a fresh interpreter: classic xlwings' own UDF code (xlwings.udfs), as the Windows add-in runs
it when an officer presses "Import Functions", applied to xltools.udfs.

xlwings.udfs imports pywin32 at the top; pywin32 exists only on Windows, so its three modules are
empty stand-ins here. Nothing of them is called: the decorators and the VBA wrapper generator are pure
Python. Prints, as JSON, each function's registration and the VBA that Excel would compile.
Used by test_udfs.py; not a test on its own.
"""

import io
import json
import sys
import types

for name in ("pythoncom", "pywintypes", "win32com", "win32com.client"):
    sys.modules[name] = types.ModuleType(name)
sys.modules["win32com.client"].Dispatch = None
sys.modules["pythoncom"].CoInitialize = None  # only named, as a thread pool's initializer

import xlwings  # noqa: E402
import xlwings.udfs as classic  # noqa: E402

assert "xltools" not in sys.modules
xlwings.func, xlwings.arg = classic.xlfunc, classic.xlarg  # what xlwings binds on Windows

import xltools.udfs  # noqa: E402

vba = io.StringIO()
classic.generate_vba_wrapper("xltools.udfs", xltools.udfs, vba, types.SimpleNamespace(Name="TongHop_Tinh.xlsm"))
functions = {
    name: {
        "category": f.__xlfunc__["category"],
        "description": f.__xlfunc__["ret"]["doc"],
        "args": [
            {"name": a["name"], "ndim": a["options"].get("ndim"), "doc": a["doc"], "vararg": a["vararg"]}
            for a in f.__xlfunc__["args"]
        ],
    }
    for name, f in vars(xltools.udfs).items()
    if hasattr(f, "__xlfunc__")
}
print(json.dumps({"functions": functions, "vba": vba.getvalue()}, ensure_ascii=False))
