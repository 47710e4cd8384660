"""Synthetic data, labelled as such: communes with realistic figures (DOMAIN.md "Typical figures").

Deterministic for a given seed. Used for the benchmarks and the sample province.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xltools.core.form import ASSOCIATIONS, SYNTHETIC
from xltools.dev.bank_samples import write_sample_bank
from xltools.dev.sample_reports import Layout, write_district_report, write_province_list

_NAMES = (
    "An Bình",
    "Hòa Lạc",
    "Tân Phú",
    "Đồng Tâm",
    "Quảng Yên",
    "Xuân Lộc",
    "Phú Mỹ",
    "Thạch Hà",
    "Kim Sơn",
    "Nghĩa Đàn",
    "Vĩnh Hưng",
    "Cẩm Thủy",
    "Bình Minh",
    "Hương Sơn",
    "Đắk Mil",
    "Ea Kar",
    "Mường Tè",
    "Tà Xùa",
    "Yên Thế",
    "Lạc Dương",
)


def commune_row(rng: random.Random, code: str, name: str, disadvantaged: bool) -> dict[str, Any]:
    """One commune's figures on the three sheets, consistent with every rule of the form."""
    # Thanh Hóa's Farmers' Union (31/7/2020): about 4–5 groups per commune, 36 members a group, 38 million
    # đồng per member, overdue 0.14 %.
    groups = rng.randint(2, 8)
    members = groups * rng.randint(30, 42)
    borrowers = int(members * rng.uniform(0.85, 0.99))
    outstanding = round(borrowers * rng.uniform(30, 46), 3)
    overdue = round(outstanding * rng.choice([0] * 6 + [0.0005, 0.001, 0.002, 0.004, 0.012, 0.025]), 3)
    frozen = round(outstanding * rng.choice([0, 0, 0.001]), 3)
    weak = 1 if rng.random() < 0.02 else 0
    average = 1 if rng.random() < 0.1 else 0
    fair = rng.randint(0, max(0, groups // 6))
    good = groups - fair - average - weak
    principal_due = round(outstanding * rng.uniform(0.02, 0.06), 3)
    interest_due = round(outstanding * rng.uniform(0.005, 0.007), 3)
    inspected = rng.random() > 0.04  # a few communes not inspected yet: shortfalls to see in the summary
    rng.randint(0, 1)  # drawn, unused: the figures below stay those of earlier samples
    groups_inspected = min(groups, -(-groups * 15 // 100)) if inspected else 0  # the 15 % each plan chooses
    # Drawn from no random number, so that the figures above stay those of earlier samples.
    groups_with_overdue = int(overdue > 0)  # one group holds the commune's overdue debt, as the bank's loans say
    return {
        "commune_code": code,
        "commune_name": name,
        "disadvantaged": disadvantaged,
        "groups": groups,
        "members": members,
        "borrowers": borrowers,
        "outstanding": outstanding,
        "overdue": overdue,
        "frozen": frozen,
        "groups_good": good,
        "groups_fair": fair,
        "groups_average": average,
        "groups_weak": weak,
        "savings": round(members * rng.uniform(2, 5), 3),
        "principal_due": principal_due,
        "principal_collected": round(principal_due * rng.uniform(0.97, 1.0), 3),
        "interest_due": interest_due,
        "interest_collected": round(interest_due * rng.uniform(0.98, 1.0), 3),
        "commune_inspected": inspected,
        "groups_inspected": groups_inspected,
        "borrowers_inspected": min(borrowers, groups_inspected * 5),
        "loan_use_checked": -(-borrowers * (75 if disadvantaged else 90) // 100),
        "commune_officers": (officers := rng.randint(1, 3)),
        "commune_officers_trained": officers,
        "board_members": groups * 3,
        "board_members_trained": groups * 3 - rng.choice([0, 0, 0, 1]),
        "groups_no_overdue": groups - groups_with_overdue,
        "members_saving": members - borrowers // 25,
    }


def communes(seed: int, district_code: str, count: int) -> list[dict[str, Any]]:
    """``count`` (< 1000) communes of district ``district_code`` (< 100): codes DDnnn, names unique."""
    rng = random.Random(seed)
    rows = []
    for index in range(count):
        code = f"{int(district_code) * 1000 + index + 1:05d}"
        name = f"Xã {_NAMES[index % len(_NAMES)]}" + (f" {index // len(_NAMES) + 1}" if index >= len(_NAMES) else "")
        rows.append(commune_row(rng, code, name, rng.random() < 0.3))
    return rows


SAMPLE_PROVINCE = f"Tỉnh Mẫu ({SYNTHETIC})"
SAMPLE_PERIOD = dt.date(2026, 10, 31)
DISTRICTS = (
    "Sông Xanh",
    "Núi Đỏ",
    "Hòa Bình",
    "Tân Lạc",
    "Yên Lập",
    "Đông Triều",
    "Bắc Sơn",
    "Quế Phong",
    "Hương Khê",
    "Đầm Hà",
    "Mộc Châu",
    "Lâm Hà",
    "Krông Pắc",
    "Cư Jút",
    "Đức Thọ",
    "Kỳ Anh",
    "Thạch Thành",
    "Như Xuân",
    "Vân Canh",
    "Sơn Hòa",
    "Tuy Phước",
    "Hoài Nhơn",
    "Phù Cát",
    "An Lão",
    "Vĩnh Thạnh",
    "Tây Sơn",
    "Hải Hậu",
)
MISSING_DISTRICT = 27  # sends nothing


@dataclass(frozen=True)
class SampleProvince:
    inbox: Path
    province_list: Path
    period: dt.date
    bank: Path  # the bank's exports for the province (BANK.md layouts), with BANK_PLANTED differences
    truth: dict[tuple[int, str], list[dict[str, Any]]]  # what each district × association really holds


def build_sample_province(folder: Path) -> SampleProvince:
    """Write the synthetic province: its list and its inbox of district reports, with planted problems.

    27 districts × 4 associations, 15–25 communes each. Planted: district 027 sends nothing; district 002's
    Farmers' Union resubmits a corrected file; district 020's Veterans also send last month's report;
    five files carry the mistakes officers make (listed in PLANTED). The bank's exports of what the
    districts really hold go to ``NganHang/``, with the differences of BANK_PLANTED.
    """
    inbox = folder / "HopThu"
    inbox.mkdir(parents=True, exist_ok=True)
    rng = random.Random(2026)
    listing = []
    per_district: dict[int, list[dict[str, Any]]] = {}
    for number, name in enumerate(DISTRICTS, start=1):
        code = f"{number:03d}"
        count = rng.randint(15, 25)
        rows = []
        for index in range(count):
            commune_code = f"{number * 1000 + index + 1:05d}"
            commune_name = f"Xã {_NAMES[index % len(_NAMES)]}" + (
                f" {index // len(_NAMES) + 1}" if index >= len(_NAMES) else ""
            )
            disadvantaged = rng.random() < 0.3
            rows.append((commune_code, commune_name, disadvantaged))
            listing.append(
                {
                    "district_code": code,
                    "district": f"Huyện {name}",
                    "commune_code": commune_code,
                    "commune_name": commune_name,
                    "disadvantaged": disadvantaged,
                }
            )
        per_district[number] = rows
    province_list = write_province_list(folder / "DanhMuc.xlsx", SAMPLE_PROVINCE, listing)
    truth: dict[tuple[int, str], list[dict[str, Any]]] = {}  # what each district × association really holds
    for number, name in enumerate(DISTRICTS, start=1):
        if number == MISSING_DISTRICT:
            continue
        code = f"{number:03d}"
        for association in ASSOCIATIONS:
            seed = number * 100 + int(association.bank_code)
            unit_rng = random.Random(seed)
            rows = [commune_row(unit_rng, c, n, d) for c, n, d in per_district[number]]
            truth[(number, association.key)] = [dict(r) for r in rows]
            info = {
                "province": SAMPLE_PROVINCE,
                "district": f"Huyện {name}",
                "district_code": code,
                "association": association.key,
                "period_end": SAMPLE_PERIOD,
                "prepared_by": "Cán bộ mẫu",
                "prepared_on": SAMPLE_PERIOD + dt.timedelta(days=3 + number % 4),
            }
            layout = _plant(number, association.key, rows)
            stem = f"{code}_{association.bank_code}_{SAMPLE_PERIOD:%Y-%m-%d}"
            write_district_report(inbox / f"{stem}.xlsx", info, rows, layout)
            if (number, association.key) == (2, "HND"):  # the resubmission: a corrected figure, prepared later
                rows[0] = rows[0] | {"savings": round(rows[0]["savings"] + 12.5, 3)}
                truth[(number, association.key)][0] = dict(rows[0])
                later = info | {"prepared_on": SAMPLE_PERIOD + dt.timedelta(days=9)}
                write_district_report(inbox / f"{stem}_gui-lai.xlsx", later, rows)
            if (number, association.key) == (20, "HCCB"):  # last month's report, sent again by mistake
                earlier = info | {"period_end": dt.date(2026, 9, 30), "prepared_on": dt.date(2026, 10, 4)}
                write_district_report(inbox / f"{code}_{association.bank_code}_2026-09-30.xlsx", earlier, rows)
    bank = write_sample_bank(folder / "NganHang", truth, SAMPLE_PERIOD)
    return SampleProvince(inbox, province_list, SAMPLE_PERIOD, bank, truth)


PLANTED = {
    (3, "HPN"): "Nợ quá hạn lớn hơn dư nợ ở một xã (lỗi)",
    (5, "HCCB"): "Dư nợ gõ dạng chữ “1.234,5” (cảnh báo, vẫn tổng hợp)",
    (8, "ĐTN"): "Xã vùng khó khăn ghi khác danh mục (lỗi)",
    (11, "HND"): "Thiếu cột Nợ khoanh (lỗi)",
    (14, "HPN"): "Số thành viên ít hơn số Tổ (lỗi)",
    (17, "HND"): "Tên xã là một công thức “=HYPERLINK(…)” (vẫn là chữ trong tổng hợp)",
}


def _plant(number: int, association: str, rows: list[dict[str, Any]]) -> Layout | None:
    key = (number, association)
    if key == (3, "HPN"):
        rows[1]["overdue"] = rows[1]["outstanding"] + 100
    elif key == (5, "HCCB"):
        rows[2]["outstanding"] = f"{rows[2]['outstanding']:,.1f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    elif key == (8, "ĐTN"):
        rows[0]["disadvantaged"] = not rows[0]["disadvantaged"]
    elif key == (11, "HND"):
        return Layout(omit_columns=("frozen",))
    elif key == (14, "HPN"):
        rows[3]["members"] = rows[3]["groups"] - 1
        rows[3]["borrowers"] = min(rows[3]["borrowers"], rows[3]["members"])
    elif key == (17, "HND"):
        rows[4]["commune_name"] = '=HYPERLINK("http://example.invalid","Bấm vào đây")'
    return None
