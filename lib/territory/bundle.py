"""The bundled monthly tables in data/: derived figures with provenance, one CSV per source and
counting (`monthly_isw.csv`, `monthly_deepstate.csv`, and ISW with Kursk oblast counted,
`monthly_isw_kursk.csv`, which adds KURSK_COLUMNS; see kursk.py).

DeepStateMap's series is spliced from two archives: the raw API snapshots (dated by snapshot id)
until the processed daily files begin, then the processed daily files (dated by poll day − 1).
Both go through the same recipe and closing, so the same snapshot gives the same area in both.
"""

from __future__ import annotations

import datetime as dt
import math
import os
from pathlib import Path

import geopandas as gpd
import pandas as pd

from lib import config
from lib.territory.change import MONTHLY_STATUS_COLUMNS, WINDOW_COLUMNS, monthly_change
from lib.territory.countings import ASSESSED, KURSK, check_bundled
from lib.territory.kursk import KURSK_COLUMNS, KURSK_LAYER, load_salient, with_kursk
from lib.territory.recipes import RECIPES
from lib.territory.snapshots import ENGINE_VERSION, load_snapshots

PROVENANCE_COLUMNS = ["source", "layer_recipe", "archive", "engine_version", "attribution"]
BUNDLED_COLUMNS = [*MONTHLY_STATUS_COLUMNS, *PROVENANCE_COLUMNS]
BUNDLED_KURSK_COLUMNS = [*BUNDLED_COLUMNS, *KURSK_COLUMNS]
SOURCES = ("isw", "deepstate")
DATE_COLUMNS = ["start_snapshot", "end_snapshot", "as_of"]
FIGURE_COLUMNS = [column for column in MONTHLY_STATUS_COLUMNS if column.endswith("_km2")]
TEXT_COLUMNS = [*WINDOW_COLUMNS, "grey_zone"]
KURSK_FIGURE_COLUMNS = [column for column in KURSK_COLUMNS if column.endswith("_km2")]
# Archive folders (under the shared territory folder) each bundled series is computed from.
ISW_ARCHIVE = "isw/lemonde_weekly_topojson"
DEEPSTATE_RAW_ARCHIVE = "deepstate/raw_api_history"
DEEPSTATE_DAILY_ARCHIVE = "deepstate/cyterat_daily_occupied"


def bundle_snapshots(
    archive_dir: str | os.PathLike, source: str, *, cache: bool | str | os.PathLike = True
) -> gpd.GeoDataFrame:
    """The snapshots a bundled table is computed from, with an `archive` column per row."""
    root = Path(archive_dir)
    if source == "isw":
        return _tagged(load_snapshots(root / ISW_ARCHIVE, source="isw", cache=cache), ISW_ARCHIVE)
    if source == "deepstate":
        raw = _tagged(
            load_snapshots(root / DEEPSTATE_RAW_ARCHIVE, source="deepstate", cache=cache),
            DEEPSTATE_RAW_ARCHIVE,
        )
        daily = _tagged(
            load_snapshots(root / DEEPSTATE_DAILY_ARCHIVE, source="deepstate", cache=cache),
            DEEPSTATE_DAILY_ARCHIVE,
        )
        return splice(raw, daily)
    raise ValueError(f"unknown source {source!r}; expected 'isw' or 'deepstate'")


def splice(earlier: gpd.GeoDataFrame, later: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """`earlier`'s snapshots before `later` begins, then all of `later`."""
    first_later = later["date"].min()
    combined = pd.concat([earlier[earlier["date"] < first_later], later], ignore_index=True)
    spliced = gpd.GeoDataFrame(combined, geometry="geometry", crs=later.crs)
    spliced.attrs = {
        "problems": earlier.attrs.get("problems", []) + later.attrs.get("problems", []),
        "recipe": later.attrs.get("recipe"),
        "attribution": later.attrs.get("attribution"),
    }
    return spliced


def bundled_monthly(
    archive_dir: str | os.PathLike, source: str, *, cache: bool | str | os.PathLike = True
) -> pd.DataFrame:
    """The bundled table of `source` as the engine computes it now (BUNDLED_COLUMNS)."""
    snapshots = bundle_snapshots(archive_dir, source, cache=cache)
    monthly = monthly_change(snapshots)
    archive_by_date = dict(zip(snapshots["date"], snapshots["archive"], strict=True))
    recipe = RECIPES[source]
    return monthly.assign(
        source=source,
        layer_recipe=f"{recipe.name} ({recipe.label})",
        archive=[archive_by_date[date] for date in monthly["end_snapshot"]],
        engine_version=ENGINE_VERSION,
        attribution=recipe.attribution,
    )[BUNDLED_COLUMNS]


def bundled_with_kursk(isw_table: pd.DataFrame, archive_dir: str | os.PathLike) -> pd.DataFrame:
    """The bundled ISW table (`bundled_monthly(..., "isw")`) with Kursk oblast counted from the
    same archive's salient maps: BUNDLED_KURSK_COLUMNS."""
    salient = load_salient(Path(archive_dir) / ISW_ARCHIVE)
    counted = with_kursk(isw_table, salient)
    recipe = RECIPES["isw"]
    counted["layer_recipe"] = f"{recipe.name}-with-kursk ({recipe.label}; {KURSK_LAYER})"
    return counted[BUNDLED_KURSK_COLUMNS]


def write_bundle(archive_dir: str | os.PathLike, out_dir: str | os.PathLike) -> list[Path]:
    """Write every bundled table (each source, and ISW with Kursk); returns the paths written."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    tables = {(source, ASSESSED): bundled_monthly(archive_dir, source) for source in SOURCES}
    tables["isw", KURSK] = bundled_with_kursk(tables["isw", ASSESSED], archive_dir)
    written = []
    for (source, counting), table in tables.items():
        target = bundled_path(source, out, counting=counting)
        temporary = target.with_suffix(".csv.tmp")
        table.to_csv(temporary, index=False, float_format="%.3f", date_format="%Y-%m-%d")
        os.replace(temporary, target)
        written.append(target)
    return written


def bundled_path(
    source: str, data_dir: str | os.PathLike | None = None, *, counting: str = ASSESSED
) -> Path:
    """Where the bundled monthly table of `source` and `counting` lives (default folder: data/):
    `monthly_<source>.csv`, or `monthly_<source>_<counting>.csv` for another counting."""
    name = f"monthly_{source}.csv" if counting == ASSESSED else f"monthly_{source}_{counting}.csv"
    return Path(data_dir if data_dir is not None else config.DATA_DIR) / name


def read_bundled_monthly(
    source: str, data_dir: str | os.PathLike | None = None, *, counting: str = ASSESSED
) -> pd.DataFrame:
    """The bundled monthly table of `source` ("isw" | "deepstate") counted as `counting`
    (countings.BUNDLED_COUNTINGS): BUNDLED_COLUMNS (plus KURSK_COLUMNS with Kursk), dates as
    datetime.date, figures as floats (NaN in gap months). ValueError says why a counting has
    no bundled table."""
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}; expected 'isw' or 'deepstate'")
    check_bundled(source, counting)
    path = bundled_path(source, data_dir, counting=counting)
    if not path.exists():
        raise FileNotFoundError(f"{path}: missing; rebuild it with `make data`")
    table = pd.read_csv(path, dtype={"month": str})
    columns = BUNDLED_KURSK_COLUMNS if counting == KURSK else BUNDLED_COLUMNS
    missing = [column for column in columns if column not in table.columns]
    if missing:
        raise ValueError(
            f"{path}: missing columns {', '.join(missing)}; rebuild it with `make data`"
        )
    for column in DATE_COLUMNS:
        table[column] = [_date_or_none(value) for value in table[column]]
    for column in [*FIGURE_COLUMNS, *KURSK_FIGURE_COLUMNS]:
        if column in columns:
            table[column] = table[column].astype(float)
    for column in [*TEXT_COLUMNS, "kursk"]:
        if column in columns:
            table[column] = [value if isinstance(value, str) else None for value in table[column]]
    return table[columns]


def _date_or_none(value) -> dt.date | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return dt.date.fromisoformat(str(value))


def _tagged(snapshots: gpd.GeoDataFrame, archive: str) -> gpd.GeoDataFrame:
    tagged = snapshots.assign(archive=archive)
    tagged.attrs = snapshots.attrs
    return tagged
