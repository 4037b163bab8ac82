"""The diplomacy series as a chart drawn under the territorial one, on the same month axis.

Same x positions (the 16th of each month), the same range (first month's start to the end of the
last) and the same left and right margins as `charts.net_gains`, so a month's bar here sits
straight under that month's bars there. GDELT's citation is part of the figure, so it travels
with any copy of the image.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from lib.charts import NET_GAINS_MARGIN
from lib.months import month_label, month_middle, month_start

SERIES_COLOUR = "#6a1b9a"
SHORT_CITATION = "Source: the GDELT Project (gdeltproject.org), DOC 2.0 API; machine-coded"


def diplomacy_volume(series: pd.DataFrame, months: Sequence[str]) -> go.Figure:
    """Articles about negotiations per month (bars) over `months`, from the cached GDELT series.

    Months the series lacks are left empty, not drawn as zero. Each bar's month is in
    `customdata[0]`, as on the territorial chart; the focused month's band is drawn in the page
    (app_pages/chart_focus.py), so the figure stays the same when the month changes.
    """
    months = sorted(months)
    by_month = series.set_index("month") if len(series) else series
    present = [month for month in months if month in by_month.index]
    counts = [int(by_month.loc[month, "articles"]) for month in present]
    shares = [by_month.loc[month, "per_10k"] for month in present]
    data: list[dict[str, Any]] = [
        {
            "type": "bar",
            "name": "Articles on negotiations",
            "x": [month_middle(month) for month in present],
            "y": counts,
            "marker": {"color": SERIES_COLOUR},
            "customdata": [
                [month, f"<b>{month_label(month)}</b>", _share_text(share)]
                for month, share in zip(present, shares, strict=True)
            ],
            "hovertemplate": (
                "%{customdata[1]}<br>%{y:,.0f} articles on negotiations"
                "<br>%{customdata[2]}<extra></extra>"
            ),
        }
    ]
    axis_range = None
    if months:
        end = month_start(months[-1]) + pd.offsets.MonthBegin(1)
        axis_range = [f"{months[0]}-01", f"{end:%Y-%m-%d}"]
    layout = {
        "height": 240,
        "bargap": 0.15,
        "dragmode": False,
        "hovermode": "closest",
        "template": "none",
        "font": {"family": "Source Sans, Source Sans Pro, sans-serif", "size": 13},
        "margin": {**NET_GAINS_MARGIN, "t": 30, "b": 60},
        "showlegend": False,
        "xaxis": {
            "type": "date",
            "tickformat": "%b %Y",
            "ticklabelmode": "period",
            "showgrid": False,
            "range": axis_range,
        },
        "yaxis": {"title": {"text": "articles"}, "tickformat": ",.0f", "gridcolor": "#eeeeee"},
        "annotations": [
            {
                "text": "Coverage of negotiations per month (GDELT, all monitored news)",
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": 1.0,
                "xanchor": "left",
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": 13, "color": "#424242"},
            },
            {
                "text": SHORT_CITATION,
                "xref": "paper",
                "yref": "paper",
                "x": 1,
                "y": -0.32,
                "xanchor": "right",
                "yanchor": "top",
                "showarrow": False,
                "font": {"size": 11, "color": "#757575"},
            },
        ],
    }
    return go.Figure({"data": data, "layout": layout})


def _share_text(share: Any) -> str:
    if share is None or pd.isna(share):
        return "share of all monitored news unknown"
    return f"{share:,.1f} per 10,000 articles GDELT monitored"
