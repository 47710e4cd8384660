"""Write outputs atomically: to a temporary file in the target folder, renamed into place on success.

A crash or an error leaves the previous output (or nothing), never a half-written workbook.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from xltools.core.errors import FileAccessError


@contextlib.contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path to write; on success it replaces ``target``."""
    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=target.suffix, dir=target.parent)
    except OSError as exc:
        raise FileAccessError(
            f"Không ghi được vào thư mục {target.parent}: {exc.strerror or exc}. Hãy chọn thư mục khác."
        ) from None
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        # mkstemp makes the file private (0600); an output is for the user's colleagues too.
        os.chmod(temporary, 0o666 & ~_umask())
        try:
            os.replace(temporary, target)
        except PermissionError:
            raise FileAccessError(
                f"Không ghi được {target}: tệp đang mở trong Excel hoặc chương trình khác. Hãy đóng tệp rồi chạy lại."
            ) from None
    finally:
        temporary.unlink(missing_ok=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_json(target: str | Path, data: object) -> Path:
    """``data`` as UTF-8 JSON (Vietnamese kept as letters, not escapes), written atomically."""
    target = Path(target)
    with atomic_path(target) as temporary:
        temporary.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return target
