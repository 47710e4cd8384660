"""The provincial summary against the bank (sheet ``Đối chiếu NHCSXH``): per district × association, the
figures of the merged commune rows beside the bank's for the same communes, the difference, and the
communes that differ — a figure beyond the form's rounding, a commune the bank has with a balance that
no report gave, a commune reported with Dư nợ that the bank does not have for that association."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from xltools.core.bank import SCORE, SCORED
from xltools.core.form import LENDING, PROVINCE
from xltools.reading.bank import BankFigures
from xltools.reading.province_list import ProvinceList
from xltools.validators.bank import compared, differs


@dataclass
class BankComparison:
    bank: BankFigures
    figures: list[str]  # compared, in the form's order: every figure the exports give
    units: pd.DataFrame  # district, association, report_<f>, bank_<f>, diff_<f>, communes_differing, differing,
    # matches_bank; misses first, the province last
    scores: dict[str, float] = field(default_factory=dict)  # district (and PROVINCE) → mean group score
    disagreements: pd.DataFrame = field(default_factory=pd.DataFrame)  # where two exports differ, by district

    @property
    def misses(self) -> pd.DataFrame:
        """The units with merged rows that differ from the bank (a unit nothing merged for is in Tình trạng nộp)."""
        units = self.units
        return units[~units["matches_bank"] & units["reported"] & (units["district"] != PROVINCE)]

    def to_json(self) -> dict[str, object]:
        return {
            "exports": [
                {
                    "file": e.name,
                    "export": e.export.key,
                    "date": e.date.isoformat() if isinstance(e.date, dt.date) else None,
                    "date_from": e.date_from or None,
                    "gives": list(e.gives),
                    "sha256": e.sha256,
                }
                for e in self.bank.exports
            ],
            "figures": self.figures,
            "notes": self.bank.notes,
            "refused": self.bank.refused,
            "disagreements": self.disagreements.to_dict("records"),
            "units": [
                {
                    "district": r["district"],
                    "association": r["association"],
                    "matches_bank": bool(r["matches_bank"]),
                    "reported": bool(r["reported"]),
                    "communes_differing": r["differing"].split("; ") if r["differing"] else [],
                    "report": {f: float(r[f"report_{f}"]) for f in self.figures},
                    "bank": {f: float(r[f"bank_{f}"]) for f in self.figures},
                }
                for r in self.units.to_dict("records")
            ],
        }


def compare_with_bank(
    communes: pd.DataFrame, units: list[tuple[str, str]], bank: BankFigures, province: ProvinceList | None
) -> BankComparison:
    """``communes``: the merged commune rows (district, association, commune_code, figures); ``units``: every
    district × association of the summary, in its order."""
    figures = [f for f in compared(bank) if f in communes]
    theirs = bank.figures.set_index(["commune_code", "association"])
    names = dict(zip(bank.figures["commune_code"], bank.figures["commune_name"], strict=True))
    covered = bank.covered
    lines = []
    for district, association in units:
        mine = communes[(communes["district"] == district) & (communes["association"] == association)]
        mine = mine.set_index("commune_code")
        listed = province.communes.get(district, {}) if province is not None else {}
        scope = (set(listed) | set(mine.index)) & covered  # judged only where the exports hold the commune
        if not scope:
            continue
        line: dict[str, object] = {"district": district, "association": association}
        for figure in figures:
            # The communes where the bank gives this figure, or has nothing of the association (0).
            judged = [
                c
                for c in scope
                if (c, association) not in theirs.index or pd.notna(theirs.at[(c, association), figure])
            ]
            ours = mine.reindex([c for c in judged if c in mine.index])
            line[f"report_{figure}"] = float(ours[figure].fillna(0).sum()) if figure in ours else 0.0
            held = [(c, association) for c in judged if (c, association) in theirs.index]
            line[f"bank_{figure}"] = float(theirs.loc[held, figure].sum()) if held else 0.0
            line[f"diff_{figure}"] = line[f"report_{figure}"] - line[f"bank_{figure}"]
        if mine.empty and not any(line[f"bank_{f}"] for f in figures):
            continue
        differing = _differing(mine, theirs, association, scope, figures)
        labels = [f"{c} {listed[c].name if c in listed else names.get(c, '')}".strip() for c in differing]
        line["reported"] = not mine.empty
        line["communes_differing"] = len(differing)
        line["differing"] = "; ".join(labels) if not mine.empty else ""
        line["matches_bank"] = not differing
        lines.append(line)
    frame = pd.DataFrame(lines)
    scores = mean_scores(communes, bank)
    disagreements = _disagreements(bank, communes, province)
    if frame.empty:
        return BankComparison(bank, figures, frame, scores, disagreements)
    order = {u: i for i, u in enumerate(units)}
    pairs = zip(frame["district"], frame["association"], frame["matches_bank"], strict=True)
    frame["_order"] = [(bool(a) or not r, order[(d, s)]) for (d, s, a), r in zip(pairs, frame["reported"], strict=True)]
    frame = frame.sort_values("_order", kind="stable").drop(columns="_order").reset_index(drop=True)
    total: dict[str, object] = {"district": PROVINCE, "association": ""}
    for column in frame.columns[2:]:
        if column.startswith(("report_", "bank_", "diff_")) or column == "communes_differing":
            total[column] = frame[column].sum()
    total["differing"] = ""
    total["reported"] = bool(frame["reported"].any())
    total["matches_bank"] = bool(frame["matches_bank"].all())
    frame = pd.concat([frame, pd.DataFrame([total])], ignore_index=True)
    return BankComparison(bank, figures, frame, scores, disagreements)


def _disagreements(bank: BankFigures, communes: pd.DataFrame, province: ProvinceList | None) -> pd.DataFrame:
    """The exports' disagreements with the district of each commune: the province list's, else the
    merged reports', else its transaction office; ordered by district and commune."""
    table = bank.disagreement_table()
    district = dict(zip(communes["commune_code"], communes["district"], strict=True))
    if province is not None:
        district |= {c: d for d, listed in province.communes.items() for c in listed}
    offices = bank.figures.drop_duplicates("commune_code").set_index("commune_code")
    table.insert(
        0,
        "district",
        [
            district.get(c) or (f"PGD {offices.at[c, 'pgd_code']}" if c in offices.index else "")
            for c in table["commune_code"]
        ],
    )
    return table.sort_values(["district", "commune_code", "association"], kind="stable").reset_index(drop=True)


def mean_scores(communes: pd.DataFrame, bank: BankFigures) -> dict[str, float]:
    """Chấm điểm Tổ (table II.1 of the training text): the mean score of the scored groups of each
    district's communes (every association), and of the province; none where the exports score none."""
    if SCORE not in bank.figures or SCORED not in bank.figures:
        return {}
    scored = bank.figures.dropna(subset=[SCORE])
    scored = scored[scored[SCORED] > 0]
    where = communes.drop_duplicates(["commune_code"]).set_index("commune_code")["district"]
    scored = scored.assign(district=scored["commune_code"].map(where)).dropna(subset=["district"])
    if scored.empty:
        return {}
    points = scored[SCORE] * scored[SCORED]
    by = points.groupby(scored["district"]).sum() / scored.groupby("district")[SCORED].sum()
    return {**by.to_dict(), PROVINCE: float(points.sum() / scored[SCORED].sum())}


def _differing(
    mine: pd.DataFrame, theirs: pd.DataFrame, association: str, scope: set[str], figures: list[str]
) -> list[str]:
    """The communes of the unit where the report and the bank disagree."""
    out = []
    for code in sorted(scope):
        held = (code, association) in theirs.index
        reported = code in mine.index
        if not reported:
            if held and float(theirs.loc[(code, association), "outstanding"] or 0) > 0:
                out.append(code)  # the bank has a balance, no report gave the commune
            continue
        if not held:
            if float(mine.loc[code, "outstanding"] or 0) > 0:
                out.append(code)  # Dư nợ the bank does not have for this association
            continue
        row = theirs.loc[(code, association)]
        if any(
            not pd.isna(row[f])
            and not pd.isna(mine.loc[code, f])
            and differs(f, float(mine.loc[code, f]), float(row[f]))
            for f in figures
        ):
            out.append(code)
    return out


def figure_header(figure: str) -> str:
    """The form's header of a compared figure, for the sheet."""
    return LENDING.column(figure).header
