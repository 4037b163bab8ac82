"""The piece cache: each file's repaired, projected pieces, and each folder's dissolved snapshots.

Reading and repairing a file is the slow part, and a file's result never changes, so each file's
pieces are kept on disk keyed by its content hash (plus its name, which carries its date, and the
engine version). Each folder also keeps an index of its dissolved snapshots with the hashes of the
files they came from. Every file is written to a temporary name and renamed, so a reader never
sees half a file; a damaged entry is simply recomputed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import shapely

from lib import config
from lib.territory.assembly import ENGINE_VERSION, SNAPSHOT_COLUMNS
from lib.territory.readers import FileResult, Piece, file_layer
from lib.territory.recipes import EQUAL_AREA_CRS, LayerRecipe


def cache_folder(cache: bool | str | os.PathLike) -> Path | None:
    if cache is False:
        return None
    if cache is True:
        return config.cache_dir() / "territory"
    return Path(cache)


def file_hash(file: Path) -> str:
    with open(file, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def cache_path(
    folder: Path | None, file: Path, content_hash: str, recipe: LayerRecipe
) -> Path | None:
    if folder is None:
        return None
    # A single-layer file reads the same under any recipe; the others are filtered by it.
    layer = file_layer(file)
    recipe_part = recipe.label if layer in (None, "four_layers", "held") else ""
    key = hashlib.sha256(
        "\0".join([content_hash, file.name, recipe_part, ENGINE_VERSION]).encode()
    ).hexdigest()[:40]
    return folder / f"{key}.parquet"


def read_cached(cached: Path, file: Path, content_hash: str, source: str) -> FileResult | None:
    if not cached.exists():
        return None
    try:
        table = pq.read_table(cached)
    except (OSError, pa.ArrowException):
        return None  # a damaged cache entry is simply recomputed
    meta = json.loads(table.schema.metadata[b"frontline"])
    result = FileResult(
        path=str(file),
        source=source,
        content_hash=content_hash,
        priority=meta["priority"],
        problems=meta["problems"],
    )
    for row in table.to_pylist():
        result.pieces.append(
            Piece(
                date=dt.date.fromisoformat(row["date"]),
                layers=tuple(row["layers"].split("+")),
                geometry=shapely.from_wkb(row["geometry"]),
                area_km2=row["area_km2"],
                snapshot_time=row["snapshot_time"],
                date_basis=row["date_basis"],
            )
        )
    return result


def write_cached(cached: Path, result: FileResult) -> None:
    rows = {
        "date": [piece.date.isoformat() for piece in result.pieces],
        "layers": ["+".join(piece.layers) for piece in result.pieces],
        "snapshot_time": [piece.snapshot_time for piece in result.pieces],
        "date_basis": [piece.date_basis for piece in result.pieces],
        "area_km2": [piece.area_km2 for piece in result.pieces],
        "geometry": [shapely.to_wkb(piece.geometry) for piece in result.pieces],
    }
    schema = pa.schema(
        [
            ("date", pa.string()),
            ("layers", pa.string()),
            ("snapshot_time", pa.string()),
            ("date_basis", pa.string()),
            ("area_km2", pa.float64()),
            ("geometry", pa.binary()),
        ],
        metadata={
            "frontline": json.dumps({"priority": result.priority, "problems": result.problems})
        },
    )
    write_atomically(cached, pa.table(rows, schema=schema))


def write_atomically(target: Path, table: pa.Table) -> None:
    """A reader never sees half a file, and two writers never mix theirs."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    os.close(handle)
    try:
        pq.write_table(table, temporary)
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def index_path(folder: Path | None, path: Path, recipe: LayerRecipe) -> Path | None:
    """Where the dissolved snapshots of one folder (or file) under one recipe are kept."""
    if folder is None:
        return None
    key = "\0".join([str(path.resolve()), recipe.name, recipe.label, ENGINE_VERSION])
    return folder / f"index-{hashlib.sha256(key.encode()).hexdigest()[:32]}.parquet"


def read_index(index: Path) -> gpd.GeoDataFrame | None:
    """The snapshots last assembled from this folder, with the file hashes they came from."""
    if not index.exists():
        return None
    try:
        table = pq.read_table(index)
        meta = json.loads(table.schema.metadata[b"frontline"])
    except (OSError, KeyError, ValueError, pa.ArrowException):
        return None  # a damaged index is simply rebuilt
    frame = table.to_pandas()
    frame["date"] = [dt.date.fromisoformat(value) for value in frame["date"]]
    frame["geometry"] = shapely.from_wkb(frame["geometry"].to_numpy())
    snapshots = gpd.GeoDataFrame(frame[SNAPSHOT_COLUMNS], geometry="geometry", crs=EQUAL_AREA_CRS)
    snapshots.attrs = {
        "problems": meta["problems"],
        "recipe": meta["recipe"],
        "attribution": meta["attribution"],
        "fingerprint": meta["fingerprint"],
    }
    return snapshots


def write_index(
    index: Path, snapshots: gpd.GeoDataFrame, fingerprint: dict[str, str], problems: list[str]
) -> None:
    frame = pd.DataFrame(snapshots.drop(columns="geometry"))
    frame["date"] = [date.isoformat() for date in frame["date"]]
    frame["geometry"] = shapely.to_wkb(snapshots.geometry.to_numpy())
    meta = {
        "problems": problems,
        "recipe": snapshots.attrs["recipe"],
        "attribution": snapshots.attrs["attribution"],
        "fingerprint": fingerprint,
    }
    table = pa.Table.from_pandas(frame, preserve_index=False)
    table = table.replace_schema_metadata({"frontline": json.dumps(meta)})
    write_atomically(index, table)
