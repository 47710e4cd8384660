"""The reconciliation (sheet Đối chiếu): per contributing file, the control totals of the rows it gave
beside the same rows in the summary, then the province — the proof that no row was lost or counted twice.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from xltools.consolidation.indicators import PROVINCE
from xltools.consolidation.merge import FileResult, Outcome
from xltools.core.form import LENDING

CONTROL_TOTALS = {"outstanding": "Dư nợ", "overdue": "Nợ quá hạn", "groups": "Số Tổ", "members": "Số thành viên"}


def reconcile(files: list[FileResult], communes: pd.DataFrame, by_district: pd.DataFrame) -> pd.DataFrame:
    """Per contributing file: the control totals of the rows it gave, summed from the file as read, beside
    the same totals of its rows in the summary; then the province: all files' totals beside the summary's
    province total. Each file's rows must be merged or replaced, none lost; no commune counted twice."""
    keys = list(CONTROL_TOTALS)
    grouped = communes.groupby("source", sort=False)
    in_summary = grouped[keys].sum().to_dict("index")  # file → its rows' totals (one lookup per file, not per cell)
    summary_rows = grouped.size().to_dict()
    rows = []
    for result in files:
        if result.outcome not in (Outcome.MERGED, Outcome.PARTLY_REPLACED, Outcome.REPLACED):
            continue
        table = result.file.tables[LENDING.key]
        given = set(result.merged)
        name = result.file.name
        row: dict[str, object] = {
            "file": name,
            "sha256": result.file.sha256,
            "rows": result.rows,
            "merged": len(result.merged),
            "replaced": len(result.replaced),
            "summary_rows": int(summary_rows.get(name, 0)),
        }
        for key in CONTROL_TOTALS:
            values = zip(table.values["commune_code"], table.values[key], strict=True)
            row[f"file_{key}"] = float(sum(v for code, v in values if code in given and v is not None))
            row[f"summary_{key}"] = float(in_summary.get(name, {}).get(key, 0.0))
        rows.append(row)
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    province = {"file": PROVINCE, "sha256": "", "rows": int(frame["rows"].sum())}
    province |= {"merged": int(frame["merged"].sum()), "replaced": int(frame["replaced"].sum())}
    province["summary_rows"] = int(by_district.iloc[-1]["communes"])
    for key in CONTROL_TOTALS:
        province[f"file_{key}"] = float(frame[f"file_{key}"].sum())
        province[f"summary_{key}"] = float(by_district.iloc[-1][key])
    frame = with_agreement(pd.concat([frame, pd.DataFrame([province])], ignore_index=True))
    if communes.duplicated(["commune_code", "association"]).any():
        frame["agrees"] = False
    return frame


def with_agreement(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with ``agrees``: each row's control totals equal on both sides, its rows all counted
    (merged + replaced = rows) and its merged rows all in the summary."""
    checks = [np.isclose(frame[f"file_{k}"], frame[f"summary_{k}"], rtol=1e-12, atol=1e-6) for k in CONTROL_TOTALS]
    counted = (frame["merged"] == frame["summary_rows"]) & (frame["merged"] + frame["replaced"] == frame["rows"])
    return frame.assign(agrees=np.logical_and.reduce([*checks, counted.to_numpy()]))
