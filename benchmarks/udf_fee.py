"""Time ENTRUSTMENT_FEE over a 10,000-row range in one call (target: under 50 ms).

Baseline in the same run: the same 10,000 rows as 10,000 single-cell calls, the way a sheet with one
formula per row calls it. Run: python benchmarks/udf_fee.py
"""

from __future__ import annotations

import random
import statistics
import time

from xltools.udfs import ENTRUSTMENT_FEE

ROWS = 10_000
TARGET_MS = 50.0


def best_of(repeats: int, work) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times) * 1000, statistics.median(times) * 1000


def main() -> None:
    rng = random.Random(11789)
    outstanding = [[round(rng.uniform(0, 60_000), 3)] for _ in range(ROWS)]
    flags = [[rng.choice(["Có", "Không", "x", None, 1, 0])] for _ in range(ROWS)]
    ratios = [[round(rng.uniform(0, 0.05), 5)] for _ in range(ROWS)]

    one_call, one_call_median = best_of(15, lambda: ENTRUSTMENT_FEE(outstanding, flags, ratios))
    per_cell, _ = best_of(
        3,
        lambda: [
            ENTRUSTMENT_FEE(o[0], f[0], r[0])
            for o, f, r in zip(outstanding, flags, ratios, strict=True)
            if f[0] is not None
        ],
    )
    verdict = "OK" if one_call < TARGET_MS else "TOO SLOW"
    print(
        f"ENTRUSTMENT_FEE over {ROWS:,} rows in one call: {one_call:.1f} ms best, "
        f"{one_call_median:.1f} ms median (target < {TARGET_MS:.0f} ms: {verdict})"
    )
    print(
        f"baseline, {ROWS:,} single-cell calls:          {per_cell:.1f} ms best "
        f"({per_cell / one_call:.1f}× the one-call time)"
    )


if __name__ == "__main__":
    main()
