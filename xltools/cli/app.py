"""The command line's frame: the command group, the options several commands share, how a stop becomes
a message and an exit code, and a console that shows Vietnamese on any code page."""

from __future__ import annotations

import codecs
import contextlib
import gc
import io
import itertools
import os
import sys
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from xltools.cli import vietnamese
from xltools.core.errors import InputError, InternalError, XltoolsError
from xltools.core.shipped import DISTRIBUTION
from xltools.core.text import vn

vietnamese.install()  # before any command is declared: click takes its default help texts then


def console(stderr: bool = False) -> Console:
    """A console for this command's output (made per call, so it sees the current terminal)."""
    return Console(stderr=stderr)


def say_stopped(message: str) -> None:
    """The one line on stderr that says why a command stopped (through the console, so that a code page
    without Vietnamese letters shows the nearest ones)."""
    console(stderr=True).print(f"Lỗi: {message}", markup=False, highlight=False, soft_wrap=True)


def rules_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--rules FILE``: the rule set to apply (else $XLTOOLS_RULES, else vbtt-11789)."""
    return click.option(
        "--rules",
        "rules_path",
        metavar="FILE",
        help="Tệp bộ quy tắc (.toml) hoặc tên bộ có sẵn; mặc định $XLTOOLS_RULES, rồi vbtt-11789.",
    )(command)


json_option = click.option(
    "--json", "json_path", type=click.Path(dir_okay=False), help="Ghi kết quả dạng JSON vào tệp này."
)
province_list_option = click.option(
    "--province-list",
    type=click.Path(exists=True, dir_okay=False),
    help="Danh mục xã của tỉnh (.xlsx): kiểm tra huyện, mã xã, xã vùng khó khăn và biết huyện nào chưa nộp.",
)


force_option = click.option("--force", is_flag=True, help="Ghi đè tệp đã có.")
quiet_option = click.option(
    "--quiet", "-q", is_flag=True, help="Chỉ in bảng kết quả và các tệp có lỗi (không thanh tiến độ, không ghi chú)."
)


def bank_options(purpose: str, required: bool = False) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """--bank (the bank's exports, for ``purpose``) and --bank-aliases (a province's own header names)."""

    def add(command: Callable[..., Any]) -> Callable[..., Any]:
        command = click.option(
            "--bank-aliases",
            type=click.Path(exists=True, dir_okay=False),
            metavar="FILE.toml",
            help='Tên cột riêng của tỉnh cho các báo cáo của ngân hàng (TOML: [hstd] outstanding = ["…"]).',
        )(command)
        return click.option(
            "--bank",
            multiple=True,
            required=required,
            type=click.Path(exists=True),
            metavar="FILE|FOLDER",
            help=f"Báo cáo của NHCSXH cùng kỳ (HSTD, BC0437, BC0438, CDTOTKVV; tệp hoặc thư mục, có thể nhiều "
            f"lần): {purpose}",
        )(command)

    return add


EXIT_FINDINGS = 1  # the command ran; received files have errors (or units are missing)
EXIT_STOPPED = 2  # the command could not go on (XltoolsError, or a usage error by click)
EXIT_INTERNAL = 3  # a fault of xltools itself
EXIT_INTERRUPTED = 130  # stopped by Ctrl-C, as shells report a process ended by SIGINT


OPTIONS_METAVAR = "[TÙY CHỌN]"  # click's "[OPTIONS]", a default it does not pass through gettext


class Command(click.Command):
    """A command whose usage line reads in Vietnamese."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", OPTIONS_METAVAR)
        super().__init__(*args, **kwargs)


class _Commands(click.Group):
    """The one place where a problem that stops a command becomes its message and exit code."""

    command_class = Command

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", OPTIONS_METAVAR)
        kwargs.setdefault("subcommand_metavar", "LỆNH [ĐỐI SỐ]...")
        super().__init__(*args, **kwargs)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except XltoolsError as exc:
            say_stopped(str(exc))
            ctx.exit(EXIT_INTERNAL if isinstance(exc, InternalError) else EXIT_STOPPED)
        except Exception as exc:
            if os.environ.get("XLTOOLS_DEBUG"):
                raise
            say_stopped(str(InternalError(f"{type(exc).__name__}: {exc}.")))
            ctx.exit(EXIT_INTERNAL)


@click.group(cls=_Commands)
@click.version_option(package_name=DISTRIBUTION, message="%(package)s %(version)s")
def cli() -> None:
    """xltools: hàm Excel, kiểm tra và tổng hợp báo cáo ủy thác NHCSXH."""


@contextlib.contextmanager
def progress_hooks(quiet: bool = False) -> Iterator[dict[str, Callable[..., None]]]:
    """A progress bar on the terminal, and the on_start/on_file hooks that move it (none when ``quiet``)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    if quiet:
        yield {}
        return

    columns = (
        TextColumn("Đang kiểm tra"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        TextColumn("{task.description}"),
    )
    with Progress(*columns, console=console(), transient=True) as progress:
        task = progress.add_task("", total=None)
        yield {
            "on_start": lambda n: progress.update(task, total=n),
            "on_file": lambda name: progress.update(task, advance=1, description=Path(name).name),
        }


DISAGREEMENTS_SHOWN = 20


def print_bank(out: Console, bank: Any, refused: bool = True) -> None:
    """The bank's exports as the commands say them: each file used with its date and where it was read,
    each note, each export refused (unless the batch's warnings say it), each disagreement between
    exports (the first DISAGREEMENTS_SHOWN; all are in the summary's sheet and the JSON)."""
    for export in bank.exports:
        notes = f" — {' '.join(export.notes)}" if export.notes else ""
        out.print(f"Tệp của ngân hàng: {export.dated}{notes}", highlight=False)
    for note in bank.refused if refused else []:
        out.print(f"[bold yellow]Không dùng:[/bold yellow] {note}", highlight=False)
    for note in bank.own_notes:
        out.print(f"Tệp của ngân hàng — {note}", highlight=False)
    for item in bank.disagreements[:DISAGREEMENTS_SHOWN]:
        out.print(f"[yellow]Ngân hàng ghi khác nhau[/yellow]: {item.text}", highlight=False)
    if len(bank.disagreements) > DISAGREEMENTS_SHOWN:
        out.print(
            f"… và {len(bank.disagreements) - DISAGREEMENTS_SHOWN} chỗ ghi khác nhau khác (xem bảng tổng hợp, JSON)."
        )


def print_totals(out: Console, total: Any, reconciled: str) -> None:
    """The total line of a summary: Dư nợ, the overdue ratio, the fee, and that the reconciliation agrees."""
    ratio = total["overdue_ratio"]
    out.print(
        f"Dư nợ {vn(total['outstanding'])} triệu đồng; "
        + (f"tỷ lệ NQH {vn(ratio * 100, 3)} %; " if ratio == ratio else "tỷ lệ NQH: chưa có dư nợ; ")
        + f"phí ủy thác tháng {vn(total['monthly_fee'])} triệu đồng. Đối chiếu {reconciled}: khớp."
    )


def refuse_overwrite(targets: list[Path], force: bool) -> None:
    """An officer's own copy of a workbook (settings, notes) is never replaced without --force."""
    existing = [str(t) for t in targets if t.exists()]
    if existing and not force:
        raise InputError(
            f"Đã có {', '.join(existing)}: thêm --force để ghi đè (nội dung cũ sẽ mất), hoặc chọn --out khác."
        )


INTERRUPTED = (
    "Đã dừng theo yêu cầu (Ctrl-C): không ghi tệp nào dở dang, các tệp kết quả của lần chạy trước vẫn như cũ. "
    "Hãy chạy lại lệnh khi sẵn sàng."
)


def main() -> None:
    """The command line: a usage error is one Vietnamese line (exit 2), Ctrl-C one line (exit 130)."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors=console_fallback(stream.encoding))
    try:
        code = cli.main(prog_name="xltools", standalone_mode=False)
    except click.UsageError as exc:
        command = exc.ctx.command_path if exc.ctx is not None else "xltools"
        message = exc.format_message()
        say_stopped(f"{message}{'' if message.endswith(('.', '?')) else '.'} Xem: {command} --help")
        code = EXIT_STOPPED
    except click.ClickException as exc:
        say_stopped(exc.format_message())
        code = EXIT_STOPPED
    except (click.Abort, KeyboardInterrupt):
        console(stderr=True).print(INTERRUPTED, markup=False, highlight=False, soft_wrap=True)
        code = EXIT_INTERRUPTED
    finally:
        # The process ends here: the garbage collector need not walk pandas' million objects once more on
        # the way out (a tenth of a second of a 400-file run, measured); files and atexit work as ever.
        gc.freeze()
    sys.exit(code if isinstance(code, int) else 0)


def console_fallback(encoding: str) -> str:
    """The name of an error handler that writes the letters a console's code page cannot show as near as
    it can: cp1258 (Vietnamese Windows) has "ê" and a combining acute but no "ế", so "ế" becomes "ê" +
    acute, which reads the same; cp1252 keeps "ê"; ASCII keeps "e". Only what no form can show is "?"."""
    name = f"xltools-console-{codecs.lookup(encoding).name}"

    def handle(error: UnicodeError) -> tuple[str, int]:
        if not isinstance(error, UnicodeEncodeError):
            raise error
        return "".join(_nearest(c, encoding) for c in error.object[error.start : error.end]), error.end

    codecs.register_error(name, handle)
    return name


def _nearest(char: str, encoding: str) -> str:
    def fits(text: str) -> bool:
        try:
            text.encode(encoding)
        except UnicodeEncodeError:
            return False
        return True

    base, *marks = unicodedata.normalize("NFD", char)
    for size in range(len(marks), -1, -1):  # compose as many marks into the letter as the code page has
        for kept in itertools.combinations(marks, size):
            head = unicodedata.normalize("NFC", base + "".join(kept))
            rest = "".join(m for m in marks if m not in kept)
            for candidate in (head + rest, head):
                if fits(candidate):
                    return candidate
    return _PLAIN.get(char, "?")


_PLAIN = {"đ": "d", "Đ": "D", "“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "…": "...", "×": "x"}


if __name__ == "__main__":
    main()
