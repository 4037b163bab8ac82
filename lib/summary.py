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


# Optional text fields of a statement: empty in a table rather than the word "None".
OPTIONAL_TEXT_COLUMNS = ("role", "affiliation", "source_name", "source_url")


def for_display(statements: pd.DataFrame) -> pd.DataFrame:
    """The statements with empty optional text as "" and missing mediators as an empty list, so
    a table shows blank cells (Streamlit prints None and NaN as words)."""
    shown = statements.copy()
    for column in OPTIONAL_TEXT_COLUMNS:
        if column in shown:
            shown[column] = shown[column].map(lambda value: value if isinstance(value, str) else "")
    if "mediators" in shown:
        shown["mediators"] = shown["mediators"].map(
            lambda value: list(value) if isinstance(value, list | tuple) else []
        )
    return shown
