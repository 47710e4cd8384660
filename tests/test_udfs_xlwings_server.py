"""The worksheet functions through xlwings' own decorators (xlwings Server / Lite mode).

On Linux ``@xw.func`` is a no-op unless XLWINGS_ON_SERVER=true is set before xlwings is first
imported; then the real decorators build the metadata Excel sees and convert arguments as Excel sends
them. That must happen in a fresh interpreter, so the calls run in a subprocess.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import xltools.udfs

PROBE = Path(__file__).parent / "xlwings_server_probe.py"


def run_server(calls: list[tuple[str, list[Any]]]) -> dict[str, Any]:
    env = dict(os.environ, XLWINGS_ON_SERVER="true", XLWINGS_LICENSE_KEY="noncommercial")
    env.pop("XLTOOLS_RULES", None)
    done = subprocess.run(
        [sys.executable, str(PROBE)],
        input=json.dumps(calls),
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
    )
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def server() -> dict[str, Any]:
    other = str(Path(__file__).parent / "data" / "other-rules.toml")
    return run_server(
        [
            ("FEE_RATE", [[["Có", "Không"], ["x", None], [1, "bad"]]]),
            ("FEE_RATE", [[["Có"]]]),
            ("OVERDUE_TIER", [[[0.01], [0.02], [0.03], [0.04], [3 / 300]]]),
            (
                "ENTRUSTMENT_FEE",
                [[[1000], [1000], [None]], [["Có"], ["Không"], ["Có"]], [[0], [0.01], [0]], None, None],
            ),
            ("INSPECTION_QUOTA", [[["tổ"]], [[7]], None, None]),
            ("FEE_SHARE", [[["TW", "tỉnh", "huyện", "xã"]], None]),
            ("GROUP_RATING", [[[85], [70], [50], [49]], None]),
            ("XLTOOLS_RULESET", [None]),
            ("FEE_RATE", [[["Có"]], [[other]]]),
            # Office.js passes a repeating argument as one list of its values.
            ("XLTOOLS_REASON", [[["FEE_RATE"]], [[["Có", "Không"], ["x", None], [1, "bad"]]]]),
            (  # months as a range, as in =ENTRUSTMENT_FEE(H5:H7; D5:D7; I5:I7; M5:M7)
                "ENTRUSTMENT_FEE",
                [[[1000], [1000], [1000]], [["Có"], ["Có"], ["Có"]], [[0], [0], [0]], [[3], [None], ["ba"]], None],
            ),
        ]
    )


def functions(server: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["name"]: f for f in server["meta"]["functions"]}


def test_every_function_is_registered_under_its_excel_name(server: dict[str, Any]) -> None:
    assert set(functions(server)) == set(xltools.udfs.__all__)  # every public function, none else


def test_metadata_has_vietnamese_help_and_named_arguments(server: dict[str, Any]) -> None:
    fee = functions(server)["ENTRUSTMENT_FEE"]
    assert fee["description"].startswith("Phí ủy thác (triệu đồng) = dư nợ × mức phí")
    names = [p["name"] for p in fee["parameters"]]
    assert names == ["du_no", "xa_kho_khan", "ty_le_nqh", "so_thang", "bo_quy_tac"]
    optional = {p["name"] for p in fee["parameters"] if p.get("optional") is not None}
    assert optional == {"so_thang", "bo_quy_tac"}
    assert {p["dimensionality"] for p in fee["parameters"]} == {"matrix"}
    assert fee["parameters"][0]["description"] == "Dư nợ cuối tháng (triệu đồng); một ô hoặc một vùng"
    for function in functions(server).values():
        texts = [function["description"]] + [p["description"] for p in function["parameters"]]
        assert "Python function" not in texts[0]
        assert not any(text.startswith("Positional argument") for text in texts[1:])
        assert all(len(text) <= 255 and "\n" not in text for text in texts)  # Excel's wizard limit


def test_ranges_come_back_in_the_same_shape_with_errors_per_cell(server: dict[str, Any]) -> None:
    rates = server["results"][0]
    assert rates[:2] == [[0.00035, 0.00029], [0.00035, ""]]  # a blank comes back blank
    assert rates[2][0] == 0.00035
    assert rates[2][1] == {"type": "Error", "errorType": "Value"}  # Excel's own #VALUE!: SUM does not skip it
    reasons = server["results"][9]
    assert reasons[:2] == [["", ""], ["", ""]]
    assert reasons[2][0] == ""
    assert reasons[2][1].startswith("Xã vùng khó khăn “bad” không phải Có/Không")


def test_months_as_a_range(server: dict[str, Any]) -> None:
    fees = server["results"][10]
    assert fees[0][0] == pytest.approx(1.05)  # 1000 × 0.035 % × 3 months
    assert fees[1][0] == pytest.approx(0.35)  # a blank month counts as one
    assert fees[2][0] == {"type": "Error", "errorType": "Value"}


def test_single_cell_and_tier_boundaries(server: dict[str, Any]) -> None:
    results = server["results"]
    assert results[1] == [[0.00035]]
    assert results[2] == [[0.75], [0.5], [0.25], [0.0], [0.75]]
    fees = results[3]
    assert fees[0][0] == pytest.approx(0.35)
    assert fees[1][0] == pytest.approx(0.2175)
    assert fees[2] == [""]
    assert results[4] == [[2]]
    assert results[5] == [[0.02, 0.04, 0.09, 0.85]]
    assert results[6] == [["Tốt"], ["Khá"], ["Trung bình"], ["Yếu"]]
    assert results[7] == [["vbtt-11789 (chưa rõ ngày hiệu lực)"]]
    assert results[8] == [[0.0004]]
