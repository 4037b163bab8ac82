"""Selections of the statements frame shared by the pages."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from lib import summary


def statements() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "date": [dt.date(2025, 3, 30), dt.date(2025, 4, 2), dt.date(2025, 3, 1)],
            "speaker": ["Volodymyr Zelensky", "Dmitry Peskov", "Andrii Sybiha"],
            "affiliation": ["Ukraine", "Russia", "Ukraine"],
        }
    )


def test_statements_in_month_oldest_first():
    selected = summary.statements_in_month(statements(), "2025-03")
    assert list(selected["speaker"]) == ["Andrii Sybiha", "Volodymyr Zelensky"]
    assert summary.statements_in_month(statements().iloc[0:0], "2025-03").empty


def test_for_display_leaves_empty_cells_blank_not_none():
    table = statements().assign(
        role=[None, "Spokesman", float("nan")],
        source_url=["https://example.org/a", None, None],
        mediators=[None, ["Turkey"], []],
    )
    table.loc[1, "affiliation"] = None
    shown = summary.for_display(table)
    assert list(shown["role"]) == ["", "Spokesman", ""]
    assert list(shown["affiliation"]) == ["Ukraine", "", "Ukraine"]
    assert list(shown["source_url"]) == ["https://example.org/a", "", ""]
    assert list(shown["mediators"]) == [[], ["Turkey"], []]
    assert table["role"].isna().iloc[0], "the caller's frame is left as it was"
