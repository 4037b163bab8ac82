"""Selections of the `statements` frame (one row per statement) that the pages share."""

from __future__ import annotations

import pandas as pd

from lib.months import month_of


def statements_in_month(statements: pd.DataFrame, month: str) -> pd.DataFrame:
    """The statements dated within `month` ("YYYY-MM"), oldest first."""
    if statements.empty:
        return statements
    months = pd.Series([month_of(value) for value in statements["date"]], index=statements.index)
    return statements[months == month].sort_values("date")
