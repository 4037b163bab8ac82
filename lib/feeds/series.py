"""The machine-coded diplomacy series: GDELT's monthly volume of negotiation coverage, cached.

It shows how much the world's news wrote about talks in a month, including months the curated
record covers thinly. It is never mixed into the statements table: it counts articles, not
statements, and no person has read them. One file, `$FRONTLINE_CACHE_DIR/gdelt/
diplomacy_monthly.csv` (columns `month`, `articles`, `all_articles`, `fetched_on`), written to
a temporary name and renamed, so a reader sees the old series or the new one, never half of one.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

import pandas as pd

from lib import config

SERIES_COLUMNS = ["month", "articles", "all_articles", "fetched_on"]


def series_path() -> Path:
    return config.cache_dir() / "gdelt" / "diplomacy_monthly.csv"


def write_series(monthly: pd.DataFrame, *, fetched_on: dt.date, path: Path | None = None) -> Path:
    """Replace the cached series with `monthly` (month, articles, all_articles) atomically."""
    path = path or series_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    frame = monthly[["month", "articles", "all_articles"]].assign(fetched_on=fetched_on.isoformat())
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".diplomacy-", suffix=".csv")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            frame.to_csv(stream, index=False)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def read_series(path: Path | None = None) -> pd.DataFrame | None:
    """The cached series (SERIES_COLUMNS plus `per_10k`, articles per 10,000 monitored), or None
    when no refresh has fetched it yet."""
    path = path or series_path()
    if not path.is_file():
        return None
    frame = pd.read_csv(path, dtype={"month": str, "fetched_on": str})
    missing = [column for column in SERIES_COLUMNS if column not in frame.columns]
    if missing:
        raise ValueError(f"{path}: column(s) {', '.join(missing)} missing; refresh the gdelt feed")
    totals = frame["all_articles"].where(frame["all_articles"] > 0)
    return frame.assign(per_10k=frame["articles"] / totals * 10_000)
