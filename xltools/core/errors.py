"""The one root exception for "xltools cannot go on", with a branch per kind of cause.

A wrong number in a received report is not an exception: it is a finding (see
``xltools.validators``). These are for things that stop a command. The command line and the
workbook buttons turn every one of them into its message, in one place each
(``xltools.cli``, ``xltools.excel.buttons``); anything unforeseen is reported as an InternalError.
"""


class XltoolsError(Exception):
    """xltools cannot go on; the message says why and what to do, in Vietnamese."""


class RuleSetError(XltoolsError):
    """A rule-set file is missing or malformed."""


class InputError(XltoolsError, ValueError):
    """A value given to xltools (an argument, an option, a worksheet function's argument) cannot be used."""


class FileAccessError(XltoolsError):
    """A file the command needs cannot be found, read or written (open in Excel, no permission)."""


class ProvinceListError(XltoolsError):
    """The province list (Danh mục, the provincial officer's own file) cannot be used."""


class VbaError(XltoolsError, ValueError):
    """The VBA project writer was given modules it cannot write, or bytes it cannot read."""


class InternalError(XltoolsError):
    """A fault of xltools itself, never of the officer's file: the message asks to report it."""

    def __init__(self, what: str) -> None:
        super().__init__(
            f"Lỗi của xltools (không phải lỗi của tệp): {what} Hãy gửi thông báo này cùng các tệp đã dùng "
            "cho người phụ trách CNTT của tỉnh (người cài xltools) để báo lỗi."
        )
