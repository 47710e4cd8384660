"""Open a workbook in LibreOffice Calc (headless, through UNO) and print what it sees, as JSON.

Run with the system Python that has Debian's python3-uno:
    /usr/bin/python3 tests/lo_probe.py WORKBOOK [MACRO ARG ...]
Prints {"sheets", "modules": {name: {"type", "source"}}, "buttons": [{"sheet", "label", "macro"}],
"result"} where "result" is what MACRO (Module.Function) returned when given; VBA code is allowed to
run for this one document.
"""

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import uno
from com.sun.star.beans import PropertyValue

MODULE_TYPES = {0: "unknown", 1: "normal", 2: "class", 3: "form", 4: "document"}


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def connect(profile: Path, pipe: str):
    office = subprocess.Popen(
        [
            shutil.which("soffice") or "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            f"--accept=pipe,name={pipe};urp;",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(240):
        try:
            context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            return office, context
        except Exception:
            time.sleep(0.25)
    office.kill()
    raise SystemExit("LibreOffice did not start")


@contextlib.contextmanager
def office_desktop(name: str):
    """A headless LibreOffice with a throw-away profile; yields (context, desktop), then shuts it down."""
    with tempfile.TemporaryDirectory() as tmp:
        office, context = connect(Path(tmp) / "profile", f"{name}{os.getpid()}")
        desktop = None
        try:
            desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
            yield context, desktop
        finally:
            with contextlib.suppress(Exception):
                desktop.terminate()
            office.wait(timeout=60)


def allow_vba(context) -> None:
    provider = context.ServiceManager.createInstanceWithContext(
        "com.sun.star.configuration.ConfigurationProvider", context
    )
    access = provider.createInstanceWithArguments(
        "com.sun.star.configuration.ConfigurationUpdateAccess",
        (prop("nodepath", "/org.openoffice.Office.Calc/Filter/Import/VBA"),),
    )
    access.setPropertyValue("Load", True)
    access.setPropertyValue("Executable", True)
    access.commitChanges()


def main() -> None:
    path = Path(sys.argv[1]).resolve()
    macro, args = (sys.argv[2], sys.argv[3:]) if len(sys.argv) > 2 else (None, [])
    with office_desktop("xltools") as (context, desktop):
        allow_vba(context)
        doc = desktop.loadComponentFromURL(
            path.as_uri(), "_blank", 0, (prop("Hidden", True), prop("MacroExecutionMode", 4))
        )
        if doc is None:
            raise SystemExit(f"LibreOffice could not open {path}")
        out = {"sheets": list(doc.Sheets.ElementNames), "modules": {}, "buttons": [], "result": None}
        libraries = doc.BasicLibraries
        if libraries.hasByName("VBAProject"):
            libraries.loadLibrary("VBAProject")
            library = libraries.getByName("VBAProject")
            for name in library.ElementNames:
                info = library.getModuleInfo(name) if library.hasModuleInfo(name) else None
                kind = MODULE_TYPES.get(info.ModuleType, "?") if info else "?"
                out["modules"][name] = {"type": kind, "source": library.getByName(name)}
        for sheet_name in doc.Sheets.ElementNames:
            forms = doc.Sheets.getByName(sheet_name).DrawPage.Forms
            for f in range(forms.Count):
                form = forms.getByIndex(f)
                for c in range(form.Count):
                    control = form.getByIndex(c)
                    macros = [e.ScriptCode for e in form.getScriptEvents(c)]
                    label = getattr(control, "Label", "")
                    out["buttons"].append({"sheet": sheet_name, "label": label, "macros": macros})
        if macro:
            script = doc.ScriptProvider.getScript(
                f"vnd.sun.star.script:VBAProject.{macro}?language=Basic&location=document"
            )
            values = tuple(uno.Any("long", int(a)) if a.isdigit() else a for a in args)
            out["result"] = uno.invoke(script, "invoke", (values, (), ()))[0]
        doc.close(True)
        print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
