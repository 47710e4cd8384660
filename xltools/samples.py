"""Synthetic data, labelled as such: communes with realistic figures (DOMAIN.md "Typical figures").

Deterministic for a given seed. Used for the benchmarks and the sample province.
"""

from __future__ import annotations

import random
from typing import Any

SYNTHETIC = "DỮ LIỆU MẪU, KHÔNG PHẢI SỐ LIỆU THẬT"

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
    groups = rng.randint(3, 22)
    members = groups * rng.randint(25, 50)
    borrowers = int(members * rng.uniform(0.85, 0.99))
    outstanding = round(borrowers * rng.uniform(30, 55), 3)  # triệu đồng: about 40 million per borrower
    overdue = round(outstanding * rng.choice([0, 0, 0, 0.0005, 0.001, 0.002, 0.005, 0.012, 0.025]), 3)
    frozen = round(outstanding * rng.choice([0, 0, 0.001]), 3)
    weak = 1 if rng.random() < 0.02 else 0
    average = 1 if rng.random() < 0.1 else 0
    fair = rng.randint(0, max(0, groups // 6))
    good = groups - fair - average - weak
    principal_due = round(outstanding * rng.uniform(0.02, 0.06), 3)
    interest_due = round(outstanding * rng.uniform(0.005, 0.007), 3)
    groups_inspected = min(groups, -(-groups * 15 // 100) + rng.randint(0, 1))
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
        "commune_inspected": True,
        "groups_inspected": groups_inspected,
        "borrowers_inspected": min(borrowers, groups_inspected * 5),
        "loan_use_checked": -(-borrowers * (75 if disadvantaged else 90) // 100),
        "commune_officers": (officers := rng.randint(1, 3)),
        "commune_officers_trained": officers,
        "board_members": groups * 3,
        "board_members_trained": groups * 3 - rng.choice([0, 0, 0, 1]),
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
