"""pandera schemas for the table sheets, made from the form declaration.

Checks are named after the stable rule codes, so a failure case maps straight to a finding. Each
schema validates the rows of *all* files of a batch at once (one pandera call per sheet).
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd
import pandera.pandas as pa

from xltools.core.form import NUMERIC, Compare, Kind, Sheet

TOLERANCE = 1e-9  # float noise when comparing sums of amounts


def row_rule_holds(frame: pd.DataFrame, rule: Compare) -> pd.Series:
    """True where the rule holds or cannot be judged (a value is blank, unusable or negative)."""
    left = frame[list(rule.left)]
    right = frame[list(rule.right)] if rule.right else pd.DataFrame(index=frame.index)
    # Only judge rows whose values are usable: a blank or a negative number is its own finding.
    judged = (left >= 0).all(axis=1) & (right >= 0).all(axis=1)
    if rule.when:
        judged &= frame[rule.when].fillna(0) > 0
    a, b = left.sum(axis=1), right.sum(axis=1)
    ok = {
        "<=": a <= b + TOLERANCE,
        ">=": a >= b - TOLERANCE,
        ">": a > b,
        "==": (a - b).abs() <= TOLERANCE,
    }[rule.op]
    return ok | ~judged


def _unique_per_file(frame: pd.DataFrame) -> pd.Series:
    codes = frame["commune_code"]
    return codes.isna() | ~frame.duplicated(["_file", "commune_code"], keep="first")


@cache
def schema_for(spec: Sheet) -> pa.DataFrameSchema:
    columns: dict[str, pa.Column] = {}
    for column in spec.columns:
        if column.kind is Kind.ORDINAL:
            continue
        checks = []
        if column.kind in (Kind.COUNT, Kind.MONEY):
            checks.append(pa.Check(lambda s: s >= 0, name=f"{spec.prefix}-NEGATIVE"))
        if column.kind is Kind.COUNT:
            checks.append(pa.Check(lambda s: s == np.floor(s), name=f"{spec.prefix}-NOT-WHOLE"))
        dtype = float if column.kind in (*NUMERIC, Kind.YESNO) else object
        columns[column.key] = pa.Column(dtype, checks=checks, nullable=not column.required, required=False)
    frame_checks = [pa.Check(lambda df, rule=rule: row_rule_holds(df, rule), name=rule.code) for rule in spec.row_rules]
    frame_checks.append(pa.Check(_unique_per_file, name=f"{spec.prefix}-CODE-DUPLICATE"))
    return pa.DataFrameSchema(columns, checks=frame_checks, coerce=False, strict=False)
