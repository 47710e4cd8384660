"""click's own words in Vietnamese: the help's headings and the usage errors, so that an officer who
types a folder wrong reads one Vietnamese line, not three of English.

click passes each of its messages through ``gettext``; :func:`install` puts this catalogue in its place
in click's modules before any command is declared (the default help texts are taken at declaration).
A message not in the catalogue stays as click writes it.
"""

from __future__ import annotations

import importlib

CATALOGUE = {
    "Usage:": "Cách dùng:",
    "Options": "Tùy chọn",
    "Commands": "Lệnh",
    "Positional arguments": "Đối số",
    "Show this message and exit.": "Hiện hướng dẫn này rồi thoát.",
    "Show the version and exit.": "Hiện phiên bản rồi thoát.",
    "Error: {message}": "Lỗi: {message}",
    "Try '{command} {option}' for help.": "Xem '{command} {option}' để biết cách dùng.",
    "Invalid value: {message}": "giá trị không hợp lệ: {message}",
    "Invalid value for {param_hint}: {message}": "giá trị không hợp lệ cho {param_hint}: {message}",
    "Missing argument": "Thiếu đối số",
    "Missing option": "Thiếu tùy chọn",
    "Missing parameter": "Thiếu tham số",
    "Missing parameter: {param_name}": "Thiếu tham số: {param_name}",
    "Missing command.": "Thiếu lệnh.",
    "No such option {name!r}.": "không có tùy chọn {name!r}.",
    "No such option: {name}": "không có tùy chọn {name}",
    "No such command {name!r}.": "không có lệnh {name!r}.",
    "Did you mean {possibility}?": "Có phải {possibility}?",
    "(Did you mean one of: {possibilities}?)": "(Có phải một trong: {possibilities}?)",
    "Got unexpected extra argument ({args})": "thừa đối số ({args})",
    "Got unexpected extra arguments ({args})": "thừa các đối số ({args})",
    "Option {name!r} requires an argument.": "tùy chọn {name!r} cần một giá trị.",
    "Option {name!r} requires {nargs} arguments.": "tùy chọn {name!r} cần {nargs} giá trị.",
    "Option {name!r} does not take a value.": "tùy chọn {name!r} không nhận giá trị.",
    "{name} {filename!r} does not exist.": "không có {filename!r}: hãy kiểm tra đường dẫn.",
    "{name} {filename!r} is a file.": "{filename!r} là một tệp, cần một thư mục.",
    "{name} {filename!r} is a directory.": "{filename!r} là một thư mục, cần một tệp.",
    "{name} {filename!r} is not readable.": "không đọc được {filename!r}.",
    "{name} {filename!r} is not writable.": "không ghi được vào {filename!r}.",
    "{value!r} is not a valid {number_type}.": "{value!r} không phải là số.",
    "{value} is not in the range {range}.": "{value} không nằm trong khoảng {range}.",
    "{value!r} is not {choice}.": "{value!r} không phải là {choice}.",
    "{value!r} is not one of {choices}.": "{value!r} không thuộc {choices}.",
    "default: {default}": "mặc định: {default}",
    "required": "bắt buộc",
    "env var: {var}": "biến môi trường: {var}",
    "unknown error": "lỗi không rõ",
    "Could not open file {filename!r}: {message}": "Không mở được tệp {filename!r}: {message}",
    "Aborted!": "Đã dừng theo yêu cầu.",
}
_MODULES = ("core", "exceptions", "formatting", "types", "decorators", "parser", "termui")


def gettext(message: str) -> str:
    return CATALOGUE.get(message, message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return gettext(singular if count == 1 else plural)


def install() -> None:
    """This catalogue in click's modules, in place of gettext."""
    for name in _MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = gettext
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext
