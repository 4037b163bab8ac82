"""Selections of the `statements` frame (one row per statement) that the pages share."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd


def filter_by_actors(statements: pd.DataFrame, actors: Sequence[str]) -> pd.DataFrame:
    """Statements whose speaker or affiliation is one of `actors`; all of them when empty."""
    if not actors:
        return statements
    wanted = set(actors)
    mask = statements["speaker"].isin(wanted) | statements["affiliation"].isin(wanted)
    return statements[mask]


def statements_in_month(statements: pd.DataFrame, month: str) -> pd.DataFrame:
    """The statements dated within `month` ("YYYY-MM"), oldest first."""
    if statements.empty:
        return statements
    months = pd.Series([f"{value:%Y-%m}" for value in statements["date"]], index=statements.index)
    return statements[months == month].sort_values("date")
