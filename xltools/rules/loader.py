"""Load a rule-set file (TOML), check every key, and choose the active rule set.

The active rule set is, in order: the one named in the call (a file path or a shipped name), the
``XLTOOLS_RULES`` environment variable, then the shipped default ``vbtt-11789``.
"""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from pathlib import Path
from typing import Any

from xltools.core.errors import RuleSetError
from xltools.rules.model import LEVELS, LOAN_USE_BASES, OverdueTier, RuleSet, Source

DEFAULT_RULESET = "vbtt-11789"
ENV_VAR = "XLTOOLS_RULES"
SHIPPED_DIR = Path(__file__).parent

_SECTIONS = ("fee_rate", "overdue_tiers", "fee_shares", "inspection", "training", "group_rating")
_cache: dict[tuple[str, int], RuleSet] = {}


def shipped_rulesets() -> list[str]:
    return sorted(p.stem for p in SHIPPED_DIR.glob("*.toml"))


def resolve_path(name_or_path: str | os.PathLike[str] | None = None) -> Path:
    """The file behind a rule-set name or path (None: the environment, then the default)."""
    chosen = name_or_path or os.environ.get(ENV_VAR) or DEFAULT_RULESET
    text = os.fspath(chosen).strip()
    shipped = SHIPPED_DIR / f"{text}.toml"
    if shipped.is_file():
        return shipped
    path = Path(text).expanduser()
    if path.is_file():
        return path
    raise RuleSetError(
        f"Không tìm thấy bộ quy tắc “{text}”: hãy ghi đường dẫn tới tệp .toml hoặc tên một bộ có sẵn "
        f"({', '.join(shipped_rulesets())})."
    )


def load_ruleset(name_or_path: str | os.PathLike[str] | None = None) -> RuleSet:
    """The rule set from a file or a shipped name; cached until the file changes."""
    path = resolve_path(name_or_path)
    key = (str(path.resolve()), path.stat().st_mtime_ns)
    if key not in _cache:
        _cache[key] = parse_ruleset(path)
    return _cache[key]


class _Reader:
    """Reads typed values from the TOML data, naming the key and the file on any error."""

    def __init__(self, data: dict[str, Any], path: Path) -> None:
        self.data = data
        self.path = path

    def fail(self, key: str, problem: str) -> RuleSetError:
        return RuleSetError(f"Tệp quy tắc {self.path}: khóa “{key}” {problem}.")

    def get(self, key: str) -> Any:
        node: Any = self.data
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                raise self.fail(key, "bị thiếu")
            node = node[part]
        return node

    def text(self, key: str) -> str:
        value = self.get(key)
        if not isinstance(value, str):
            raise self.fail(key, f"phải là một chuỗi văn bản, đang là {value!r}")
        return value

    def number(self, key: str, low: float = 0.0, high: float | None = None, value: Any = None) -> float:
        value = self.get(key) if value is None else value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.fail(key, f"phải là một số, đang là {value!r}")
        if value < low or (high is not None and value > high):
            bound = f"từ {low} đến {high}" if high is not None else f"từ {low} trở lên"
            raise self.fail(key, f"phải {bound}, đang là {value}")
        return float(value)

    def ratio(self, key: str) -> float:
        return self.number(key, 0.0, 1.0)

    def source(self, section: str) -> Source:
        return Source(self.text(f"{section}.source"), self.text(f"{section}.clause"))


# Every key a rule-set file may hold: a misspelt key in a file that changes a few values would otherwise
# change nothing, silently.
KNOWN_KEYS: dict[str, set[str]] = {
    "ruleset": {"name", "title", "effective_date", "source", "extends"},
    "fee_rate": {"source", "clause", "disadvantaged", "other"},
    "overdue_tiers": {"source", "clause", "tiers"},
    "fee_shares": {"source", "clause", *LEVELS},
    "inspection": {
        "source",
        "clause",
        "communes_ratio",
        "groups_ratio",
        "borrowers_per_group",
        "loan_use_ratio_disadvantaged",
        "loan_use_ratio_other",
        "new_loans_ratio",
        "inactive_loans_ratio",
        "new_loan_days",
        "inactive_months",
        "plan_months",
        "loan_use_basis",
    },
    "training": {"source", "clause", "commune_officers_ratio", "board_members_ratio"},
    "group_rating": {"source", "clause", "setting", "good", "fair", "average"},
}


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise RuleSetError(f"Tệp quy tắc {path} không đọc được (TOML sai cú pháp): {exc}") from None
    for section, values in data.items():
        if section not in KNOWN_KEYS or not isinstance(values, dict):
            raise RuleSetError(
                f"Tệp quy tắc {path}: mục “[{section}]” không có trong bộ quy tắc ({', '.join(KNOWN_KEYS)})."
            )
        for key in values:
            if key not in KNOWN_KEYS[section]:
                known = ", ".join(sorted(KNOWN_KEYS[section]))
                raise RuleSetError(f"Tệp quy tắc {path}: khóa “{section}.{key}” không có trong mục này ({known}).")
    return data


def _with_base(path: Path, data: dict[str, Any], seen: tuple[Path, ...] = ()) -> dict[str, Any]:
    """The file's values over those of the rule set it ``extends`` (a shipped name or a path beside it).

    A section the file changes without its own ``source`` is attributed to the file, not to the base.
    """
    base_name = data.get("ruleset", {}).get("extends")
    if base_name is None:
        return data
    if not isinstance(base_name, str):
        raise RuleSetError(f"Tệp quy tắc {path}: khóa “ruleset.extends” phải là tên hoặc đường dẫn bộ quy tắc.")
    beside = path.parent / base_name
    base_path = beside if beside.is_file() else resolve_path(base_name)
    if base_path.resolve() in seen or base_path.resolve() == path.resolve():
        raise RuleSetError(f"Tệp quy tắc {path}: “extends” tạo thành vòng lặp qua {base_path}.")
    base = _with_base(base_path, _read_toml(base_path), (*seen, path.resolve()))
    merged = {section: dict(values) for section, values in base.items()}
    for section, values in data.items():
        target = merged.setdefault(section, {})
        if section != "ruleset" and "source" not in values:
            target["source"] = f"{path.name} (thay đổi so với {base['ruleset'].get('name', base_name)})"
            target["clause"] = ", ".join(k for k in values if k not in ("source", "clause"))
        target.update(values)
    merged["ruleset"].pop("extends", None)
    return merged


def _is_iso_date(text: str) -> bool:
    """A rule-set file writes dates as TOML and ISO do (2026-01-01), never in a local order."""
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def parse_ruleset(path: Path) -> RuleSet:
    own = _read_toml(path)
    if "extends" in own.get("ruleset", {}) and "name" not in own["ruleset"]:
        raise RuleSetError(f"Tệp quy tắc {path}: khóa “ruleset.name” bị thiếu (bộ quy tắc mở rộng cần tên riêng).")
    data = _with_base(path, own)
    if "extends" in own["ruleset"] and "title" not in own["ruleset"]:
        data["ruleset"]["title"] += f" (điều chỉnh theo {path.name})"
    r = _Reader(data, path)
    effective = r.text("ruleset.effective_date")
    if effective and not _is_iso_date(effective):
        raise r.fail("ruleset.effective_date", f"phải là ngày dạng YYYY-MM-DD, đang là {effective!r}")
    good, fair, average = (r.number(f"group_rating.{k}", 0, 100) for k in ("good", "fair", "average"))
    if not good > fair > average:
        raise r.fail("group_rating", f"phải có good > fair > average, đang là {good}, {fair}, {average}")
    return RuleSet(
        name=r.text("ruleset.name"),
        title=r.text("ruleset.title"),
        effective_date=effective,
        source=r.text("ruleset.source"),
        path=str(path),
        fee_rate_disadvantaged=r.ratio("fee_rate.disadvantaged"),
        fee_rate_other=r.ratio("fee_rate.other"),
        overdue_tiers=_tiers(r),
        fee_shares=_shares(r),
        communes_ratio=r.ratio("inspection.communes_ratio"),
        groups_ratio=r.ratio("inspection.groups_ratio"),
        borrowers_per_group=_whole(r, "inspection.borrowers_per_group"),
        loan_use_ratio_disadvantaged=r.ratio("inspection.loan_use_ratio_disadvantaged"),
        loan_use_ratio_other=r.ratio("inspection.loan_use_ratio_other"),
        new_loans_ratio=r.ratio("inspection.new_loans_ratio"),
        inactive_loans_ratio=r.ratio("inspection.inactive_loans_ratio"),
        new_loan_days=_whole(r, "inspection.new_loan_days"),
        inactive_months=_whole(r, "inspection.inactive_months"),
        plan_months=_months(r, "inspection.plan_months"),
        loan_use_basis=_basis(r, "inspection.loan_use_basis"),
        commune_officers_training_ratio=r.ratio("training.commune_officers_ratio"),
        board_members_training_ratio=r.ratio("training.board_members_ratio"),
        rating_good=good,
        rating_fair=fair,
        rating_average=average,
        sources={section: r.source(section) for section in _SECTIONS},
    )


def _whole(r: _Reader, key: str) -> int:
    value = r.number(key)
    if value != int(value):
        raise r.fail(key, f"phải là số nguyên, đang là {value}")
    return int(value)


def _months(r: _Reader, key: str) -> tuple[int, ...]:
    months = r.get(key)
    if not isinstance(months, list) or not months or any(type(m) is not int or not 1 <= m <= 12 for m in months):
        raise r.fail(key, f"phải là danh sách các tháng từ 1 đến 12, ví dụ [2, 3, 4], đang là {months!r}")
    if sorted(set(months)) != months:
        raise r.fail(key, f"phải liệt kê mỗi tháng một lần, theo thứ tự, đang là {months!r}")
    return tuple(months)


def _basis(r: _Reader, key: str) -> str:
    basis = r.text(key)
    if basis not in LOAN_USE_BASES:
        raise r.fail(key, f"phải là “loans” (khoản vay) hoặc “households” (hộ vay), đang là {basis!r}")
    return basis


def _tiers(r: _Reader) -> tuple[OverdueTier, ...]:
    rows = r.get("overdue_tiers.tiers")
    if not isinstance(rows, list) or not rows:
        raise r.fail("overdue_tiers.tiers", "phải là danh sách các bậc { from = …, share = … }")
    tiers = []
    for i, row in enumerate(rows):
        key = f"overdue_tiers.tiers[{i}]"
        if not isinstance(row, dict) or set(row) != {"from", "share"}:
            raise r.fail(key, "phải có đúng hai khóa “from” và “share”")
        tiers.append(
            OverdueTier(
                r.number(f"{key}.from", 0, 1, value=row["from"]),
                r.number(f"{key}.share", 0, 1, value=row["share"]),
            )
        )
    if tiers[0].lower != 0:
        raise r.fail("overdue_tiers.tiers[0].from", "phải bằng 0 (bậc đầu tiên bắt đầu từ 0 %)")
    for i in range(1, len(tiers)):
        if tiers[i].lower <= tiers[i - 1].lower:
            raise r.fail(f"overdue_tiers.tiers[{i}].from", "phải lớn hơn “from” của bậc trước")
    return tuple(tiers)


def _shares(r: _Reader) -> dict[str, float]:
    shares = {level: r.ratio(f"fee_shares.{level}") for level in LEVELS}
    if abs(sum(shares.values()) - 1) > 1e-9:
        raise r.fail("fee_shares", f"các tỷ lệ phân bổ phải cộng lại bằng 1, đang là {sum(shares.values())}")
    return shares
