"""The files that ship with xltools: the VBA source of the buttons (``macros/``) and the built
workbooks (``workbooks/``).

In a clone of the repository they are its top-level folders; a wheel carries copies of them inside the
package (``xltools/shipped/``, put there by ``setup.py`` at build time), so an installed xltools finds
them with no checkout.
"""

from __future__ import annotations

from pathlib import Path

from xltools.core.errors import InternalError

DISTRIBUTION = "xltools-nhcsxh"  # what pip installs (pyproject.toml's name); the import name and command are xltools
_PACKAGE = Path(__file__).resolve().parent.parent


def shipped(folder: str) -> Path:
    """The folder ``macros`` or ``workbooks``: the installed copy, else the repository's."""
    for base in (_PACKAGE / "shipped", _PACKAGE.parent):
        if (base / folder).is_dir():
            return base / folder
    raise InternalError(f"Không thấy thư mục {folder} đi kèm xltools: hãy cài lại xltools.")
