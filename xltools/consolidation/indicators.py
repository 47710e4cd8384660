"""The indicators of the summary, from the loaded rule set: per commune row (fee, quotas judged per
commune), then sums per district × association and per district, and ratios of sums (never averages
of ratios). The fee's vector form is :mod:`xltools.rules.vectors`, tested against the worksheet functions.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from xltools.core.form import ASSOCIATIONS, PROVINCE
from xltools.rules import LEVELS, RuleSet, vectors


def add_indicators(frame: pd.DataFrame, rules: RuleSet) -> pd.DataFrame:
    """The fee and the yearly quotas of each commune row, judged per commune (FORM.md §4)."""
    frame = frame.copy()
    frame["fee_rate"] = vectors.fee_rate(rules, frame["disadvantaged"])
    frame["overdue_ratio"] = vectors.overdue_ratio(frame["overdue"], frame["outstanding"])
    frame["share_earned"] = vectors.share_earned(rules, frame["overdue_ratio"])
    frame["monthly_fee"] = frame["outstanding"] * frame["fee_rate"] * frame["share_earned"]
    for level in LEVELS:
        frame[f"fee_{level}"] = frame["monthly_fee"] * rules.fee_shares[level]
    inspected = frame["commune_inspected"].fillna(0) > 0
    frame["commune_inspected"] = inspected.astype(int)
    # 15 % of the groups of each inspected commune (none where the commune was not inspected) …
    frame["groups_quota"] = vectors.at_least(rules.groups_ratio, frame["groups"]).where(inspected, 0)
    # … 5 borrowers in each group inspected (never more than the commune has) …
    per_group = frame["groups_inspected"].fillna(0) * rules.borrowers_per_group
    frame["borrowers_quota"] = np.minimum(per_group, frame["borrowers"].fillna(0)).astype("int64")
    # … and loan use checked for a share of the borrowers of every commune.
    disadvantaged = frame["disadvantaged"] > 0
    frame["loan_use_quota"] = vectors.at_least(rules.loan_use_ratio_disadvantaged, frame["borrowers"]).where(
        disadvantaged, vectors.at_least(rules.loan_use_ratio_other, frame["borrowers"])
    )
    frame["officers_quota"] = vectors.at_least(rules.commune_officers_training_ratio, frame["commune_officers"])
    frame["board_quota"] = vectors.at_least(rules.board_members_training_ratio, frame["board_members"])
    for done, quota in SHORTFALLS.items():
        frame[f"{quota}_short"] = (frame[done].fillna(0) < frame[quota]).astype(int)
    # An optional column counts only where the file reported it: its base is summed on those rows only.
    for optional, base in REPORTED_ONLY.items():
        frame[f"{base}_reporting"] = frame[base].where(frame[optional].notna(), 0)
    return frame


REPORTED_ONLY = {"groups_no_overdue": "groups", "members_saving": "members"}  # optional column → its base


SHORTFALLS = {  # what was done → its quota, judged per commune
    "groups_inspected": "groups_quota",
    "borrowers_inspected": "borrowers_quota",
    "loan_use_checked": "loan_use_quota",
    "commune_officers_trained": "officers_quota",
    "board_members_trained": "board_quota",
}


SUMS = [
    "outstanding",
    "overdue",
    "frozen",
    "groups",
    "members",
    "borrowers",
    "groups_good",
    "groups_fair",
    "groups_average",
    "groups_weak",
    "savings",
    "principal_due",
    "principal_collected",
    "interest_due",
    "interest_collected",
    "monthly_fee",
    *(f"fee_{level}" for level in LEVELS),
    "commune_inspected",
    "groups_inspected",
    "borrowers_inspected",
    "loan_use_checked",
    "commune_officers",
    "commune_officers_trained",
    "board_members",
    "board_members_trained",
    *SHORTFALLS.values(),
    *(f"{quota}_short" for quota in SHORTFALLS.values()),
    *REPORTED_ONLY,
    *(f"{base}_reporting" for base in REPORTED_ONLY.values()),
]


def ratio_of_sums(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """A ratio of summed figures; NaN where there is nothing to divide by."""
    return (numerator / denominator.where(denominator != 0)).astype(float)


RATIOS = {  # ratio → (the figures summed above the line, the figure below it)
    "overdue_ratio": (("overdue",), "outstanding"),
    "overdue_frozen_ratio": (("overdue", "frozen"), "outstanding"),
    "good_ratio": (("groups_good",), "groups"),
    "good_fair_ratio": (("groups_good", "groups_fair"), "groups"),
    "no_overdue_group_ratio": (("groups_no_overdue",), "groups_reporting"),
    "saving_member_ratio": (("members_saving",), "members_reporting"),
    "savings_ratio": (("savings",), "outstanding"),
    "inspected_commune_ratio": (("commune_inspected",), "communes"),
    "collection_ratio": (("principal_collected",), "principal_due"),
    "interest_ratio": (("interest_collected",), "interest_due"),
    "savings_per_member": (("savings",), "members"),
    "officers_trained_ratio": (("commune_officers_trained",), "commune_officers"),
    "board_trained_ratio": (("board_members_trained",), "board_members"),
    **{f"{rating}_share": ((f"groups_{rating}",), "groups") for rating in ("good", "fair", "average", "weak")},
}


def add_ratios(frame: pd.DataFrame) -> pd.DataFrame:
    """Ratios of summed figures (never averages of ratios); NaN where there is nothing to divide by."""
    ratios = {}
    for name, (above, below) in RATIOS.items():
        numerator = sum(frame[column].to_numpy(dtype=float) for column in above)
        denominator = frame[below].to_numpy(dtype=float)
        ratios[name] = np.divide(numerator, denominator, out=np.full(len(frame), np.nan), where=denominator != 0)
    return frame.drop(columns=[c for c in RATIOS if c in frame]).assign(**ratios)


def summarise(communes: pd.DataFrame, rules: RuleSet) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(by district × association, by district with the province last, by association for the province)."""
    return roll_up(unit_sums(communes, rules))


UNIT_SUMS = [*SUMS, "communes", "communes_quota"]  # what a district × association keeps, to sum further up


def unit_sums(
    communes: pd.DataFrame, rules: RuleSet, by: tuple[str, ...] = ("district", "association")
) -> pd.DataFrame:
    """One row per district × association (or ``by``): the sums of its commune rows, its communes and their
    quota (the communes-inspected quota is judged per district × association)."""
    grouped = communes.groupby(list(by), sort=False)
    by_unit = grouped[SUMS].sum().reset_index()
    by_unit["communes"] = grouped.size().to_numpy()
    by_unit["communes_quota"] = vectors.at_least(rules.communes_ratio, by_unit["communes"])
    return by_unit


def roll_up(by_unit: pd.DataFrame, total: str = PROVINCE) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """From the sums per unit × association (the unit: a district, or a province in the national roll-up):
    (by unit × association, by unit with the ``total`` row last, by association for the whole), with every
    ratio of sums and the weights."""
    by_unit = by_unit.copy()
    unit_total = by_unit.groupby("district", sort=False)["outstanding"].transform("sum")
    by_unit["weight"] = ratio_of_sums(by_unit["outstanding"], unit_total)  # Tỷ trọng within the unit
    by_district = by_unit.groupby("district", sort=False)[UNIT_SUMS].sum().reset_index()
    whole = by_district[UNIT_SUMS].sum().to_frame().T
    whole.insert(0, "district", total)
    by_district = pd.concat([by_district, whole], ignore_index=True)
    present = [a.key for a in ASSOCIATIONS if a.key in set(by_unit["association"])]
    by_association = by_unit.groupby("association")[UNIT_SUMS].sum().reindex(present).reset_index()
    whole_outstanding = pd.Series(float(whole["outstanding"].iloc[0]), index=by_association.index)
    by_association["weight"] = ratio_of_sums(by_association["outstanding"], whole_outstanding)  # of the whole
    return add_ratios(by_unit), add_ratios(by_district), add_ratios(by_association)
