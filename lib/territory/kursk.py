"""ISW's monthly figures with Kursk oblast counted, as ISW's own monthly counts are.

No layer recipe counts ground outside Ukraine, so Kursk is an adjustment of the monthly table,
not a layer. Le Monde's weekly mirror of ISW carries ISW's line of the Ukrainian advance into
Russia (`kursk_ukrainian_advance`, "Kursk incursion: claimed limit of Ukrainian advance"), the
*salient*: weekly on the control map's own dates from 2024-08-11 to 2025-06-29 (from March 2025
it also draws a few km² across the border in Belgorod oblast). Over a month's window, the same
two map dates as the monthly table:

- Russia gained in Kursk = area(salient at start \\ salient at end): ground Russia retook;
- Ukraine gained in Kursk = area(salient at end \\ salient at start): the salient growing;

and these are added to `gained_by_russia_km2` and `regained_by_ukraine_km2`. The salient on a
date is its map of that date (or the latest before it). Before the first map there was none
(the incursion began on 2024-08-06; the control map of 2024-08-04 has no Kursk file), so the
change is zero and `kursk` is "none". After the last map the salient is held at its last extent
and `kursk` says "after last map": its last six maps (2025-05-25 … 06-29) hold 8.4–8.9 km², and
ISW's own layer of Russian advances in Kursk grows by only 2.2 km² from 2025-06-16 to 2025-11-05
(1,119.4 → 1,121.6 km², sdspieg's reference areas), so at most about 2 km² are left uncounted.

`held_by_russia_km2` stays the Russian-held ground in Ukraine; `kursk_salient_km2` is the
Ukrainian-held ground in Russia at the end of the month, so the with-Kursk nets add up to the
change in held area minus the change in the salient.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from lib.territory import piece_cache
from lib.territory.readers import DATED_LAYER_NAME, FORMAT_PRIORITY, UnreadableFile, read_file
from lib.territory.recipes import EQUAL_AREA_CRS, RECIPES

KURSK_LAYER = "kursk_ukrainian_advance"
KURSK_NONE = "none"
KURSK_MAPPED = "mapped"
KURSK_AFTER_LAST_MAP = "after last map"
KURSK_COLUMNS = [
    "kursk",
    "kursk_gained_by_russia_km2",
    "kursk_gained_by_ukraine_km2",
    "kursk_salient_km2",
]
SALIENT_COLUMNS = ["date", "area_km2", "files", "geometry"]


def load_salient(folder: str | os.PathLike) -> gpd.GeoDataFrame:
    """The Ukrainian salient in Russia per map date (SALIENT_COLUMNS, EQUAL_AREA_CRS, sorted),
    from the folder's `YYYY-MM-DD_kursk_ukrainian_advance.*` files.

    Raises FileNotFoundError for a missing folder, ValueError when it holds no such file or one
    is unreadable (the message names the file).
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder}: no such folder")
    chosen: dict[dt.date, Path] = {}
    for file in sorted(folder.rglob(f"*_{KURSK_LAYER}.*")):
        match = DATED_LAYER_NAME.match(file.name)
        if not match:
            continue
        date = dt.date.fromisoformat(match.group(1))
        # Two copies of one date: the full-resolution format wins, as for the held layers.
        if date not in chosen or _priority(file) < _priority(chosen[date]):
            chosen[date] = file
    if not chosen:
        raise ValueError(
            f"{folder}: no {KURSK_LAYER} files (YYYY-MM-DD_{KURSK_LAYER}.topojson), so Kursk "
            "oblast cannot be counted"
        )
    rows = []
    for date, file in sorted(chosen.items()):
        result = read_file(file, piece_cache.file_hash(file), "isw", RECIPES["isw"])
        if not result.pieces:
            raise UnreadableFile(f"{file.name}: no polygon features (the Kursk salient expected)")
        geometry = shapely.union_all([piece.geometry for piece in result.pieces])
        rows.append(
            {
                "date": date,
                "area_km2": float(shapely.area(geometry)) / 1e6,
                "files": file.name,
                "geometry": geometry,
            }
        )
    return gpd.GeoDataFrame(rows, columns=SALIENT_COLUMNS, geometry="geometry", crs=EQUAL_AREA_CRS)


def with_kursk(monthly: pd.DataFrame, salient: gpd.GeoDataFrame) -> pd.DataFrame:
    """`monthly` (ISW, ground in Ukraine) with the salient's change over each month's window
    added to the gross figures and the net; KURSK_COLUMNS appended. Gap months keep empty
    figures; their Kursk figures are empty too."""
    salient = salient.to_crs(EQUAL_AREA_CRS).sort_values("date").reset_index(drop=True)
    dates = np.array(pd.to_datetime(salient["date"]).dt.date)
    counted = monthly.copy()
    rows = []
    for month in monthly.itertuples():
        end_geometry, end_state = _salient_on(salient, dates, month.end_snapshot)
        row = {
            "kursk": end_state,
            "kursk_gained_by_russia_km2": np.nan,
            "kursk_gained_by_ukraine_km2": np.nan,
            "kursk_salient_km2": float(shapely.area(end_geometry)) / 1e6,
        }
        if month.status != "gap" and _is_date(month.start_snapshot):
            start_geometry, _ = _salient_on(salient, dates, month.start_snapshot)
            both = float(shapely.area(shapely.intersection(start_geometry, end_geometry)))
            row["kursk_gained_by_russia_km2"] = max(
                (float(shapely.area(start_geometry)) - both) / 1e6, 0.0
            )
            row["kursk_gained_by_ukraine_km2"] = max(
                (float(shapely.area(end_geometry)) - both) / 1e6, 0.0
            )
        rows.append(row)
    kursk = pd.DataFrame(rows, columns=KURSK_COLUMNS, index=monthly.index)
    counted["gained_by_russia_km2"] = (
        monthly["gained_by_russia_km2"] + kursk["kursk_gained_by_russia_km2"]
    )
    counted["regained_by_ukraine_km2"] = (
        monthly["regained_by_ukraine_km2"] + kursk["kursk_gained_by_ukraine_km2"]
    )
    counted["net_change_russia_km2"] = (
        counted["gained_by_russia_km2"] - counted["regained_by_ukraine_km2"]
    )
    return pd.concat([counted, kursk], axis=1)


def _salient_on(salient: gpd.GeoDataFrame, dates: np.ndarray, date) -> tuple[shapely.Geometry, str]:
    """The salient on `date` (its latest map on or before it) and what that state is."""
    date = pd.Timestamp(date).date()
    if date < dates[0]:
        return shapely.Polygon(), KURSK_NONE
    index = int(np.searchsorted(dates, date, side="right")) - 1
    state = KURSK_AFTER_LAST_MAP if date > dates[-1] else KURSK_MAPPED
    return salient.geometry.iloc[index], state


def _is_date(value) -> bool:
    return value is not None and not (isinstance(value, float) and np.isnan(value))


def _priority(file: Path) -> int:
    return FORMAT_PRIORITY.get(file.suffix.lower(), 1)


def kursk_sentence(monthly: pd.DataFrame, month: str) -> str | None:
    """What counting Kursk oblast adds to `month`'s figures, in words; None when the table does
    not count Kursk or the month has no figures."""
    if "kursk" not in monthly.columns:
        return None
    rows = monthly[monthly["month"] == month]
    if rows.empty or rows.iloc[0]["status"] == "gap":
        return None
    row = rows.iloc[0]
    if row["kursk"] == KURSK_NONE:
        return "Kursk oblast is counted, but there was no Ukrainian salient there yet."
    if row["kursk"] == KURSK_AFTER_LAST_MAP and row["kursk_gained_by_russia_km2"] == 0:
        return (
            "Kursk oblast is counted, but ISW's maps of the salient end on 2025-06-29 "
            f"({row['kursk_salient_km2']:,.0f} km² left), so no change there is counted."
        )
    return (
        f"Counted in these figures, Kursk oblast: Russia retook "
        f"{row['kursk_gained_by_russia_km2']:,.0f} km² of the Ukrainian salient and Ukraine took "
        f"{row['kursk_gained_by_ukraine_km2']:,.0f} km²; the salient held "
        f"{row['kursk_salient_km2']:,.0f} km² at the end of the month."
    )
