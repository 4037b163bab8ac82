"""Snapshots: one row per date with the Russian-held polygon, its area and where it came from.

Reading and repairing a file is the slow part, and a file's result never changes, so each file's
pieces are cached on disk keyed by its content hash (plus its name, which carries its date, and
the engine version). Each folder also keeps an index of its dissolved snapshots with the hashes
of the files they came from: when no file changed, loading touches no geometry at all; when one
file is added or changed, only that file is read and only its date is dissolved again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import multiprocessing
import os
import tempfile
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import shapely

from lib import config
from lib.territory import geometry as geom
from lib.territory.readers import (
    DATED_LAYER_NAME,
    RAW_DEEPSTATE_NAME,
    SNAPSHOT_SUFFIXES,
    FileResult,
    Piece,
    UnreadableFile,
    add_piece,
    file_layer,
    read_file,
    source_of,
)
from lib.territory.recipes import (
    BASE_LAYER,
    EQUAL_AREA_CRS,
    HELD_LAYERS,
    LayerRecipe,
    canonical_layer,
    deepstate_layer,
    recipe_for,
)

ENGINE_VERSION = "1.0.0"
SNAPSHOT_COLUMNS = [
    "date",
    "source",
    "layers",
    "area_km2",
    "snapshot_time",
    "date_basis",
    "files",
    "content_hash",
    "geometry",
]
PARALLEL_FROM_FILES = 4


def load_snapshots(
    path: str | os.PathLike,
    *,
    source: str | None = None,
    layers: str | tuple[str, ...] | list[str] | None = None,
    cache: bool | str | os.PathLike = True,
    workers: int | None = None,
) -> gpd.GeoDataFrame:
    """Russian-held ground per snapshot date from a folder of dated files or one file.

    Returns SNAPSHOT_COLUMNS in EQUAL_AREA_CRS, sorted by date; `attrs["problems"]` lists repairs
    and skipped files, `attrs["recipe"]`/`attrs["attribution"]` the layer recipe and terms.
    Raises FileNotFoundError for a missing path and ValueError when nothing usable is found.
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file or folder")
    files, problems = _snapshot_files(path)
    sources = {found for found in (source_of(file) for file in files) if found}
    if source is None:
        if len(sources) > 1:
            raise ValueError(
                f"{path}: holds both {' and '.join(sorted(sources))} files; choose one with "
                "source= (--source on the command line)"
            )
        source = sources.pop() if sources else "upload"
    recipe = recipe_for(source, layers)
    files = [
        file for file in files if source_of(file) in (source, None) and _may_hold(file, recipe)
    ]
    if not files and path.is_file() and file_layer(path):
        raise ValueError(
            f"{path.name}: layer {file_layer(path)!r} is not counted as held ground "
            f"(the {source} recipe counts {', '.join(recipe.layers)})"
        )
    if not files:
        raise ValueError(f"{path}: no {source} snapshot files (expected YYYY-MM-DD_<layer>.<ext>)")
    cache_folder = _cache_folder(cache)
    hashes = {file: _file_hash(file) for file in files}
    fingerprint = {_relative_name(path, file): hashes[file] for file in files}
    index = _index_path(cache_folder, path, recipe)
    indexed = _read_index(index) if index else None
    if indexed is not None and indexed.attrs["fingerprint"] == fingerprint:
        indexed.attrs["problems"] = problems + indexed.attrs["problems"]
        indexed.attrs.update(files_read=0, files_from_cache=len(files))
        del indexed.attrs["fingerprint"]
        return indexed
    folder_problem_count = len(problems)
    results, files_read = _read_files(
        files, hashes, source, recipe, cache_folder, workers, problems, strict=path.is_file()
    )
    known = {}
    if indexed is not None:
        known = dict(zip(indexed["content_hash"], indexed.geometry, strict=True))
    try:
        snapshots = assemble(results, recipe, problems, known=known)
    except ValueError:
        if path.is_file() and problems:
            # One file: its own problem is the clearest message (e.g. "no polygon features").
            raise ValueError(problems[-1].removesuffix("; skipped")) from None
        raise
    if index:
        _write_index(index, snapshots, fingerprint, problems[folder_problem_count:])
    snapshots.attrs["files_read"] = files_read
    snapshots.attrs["files_from_cache"] = len(results) - files_read
    return snapshots


def snapshots_from_layers(
    date: dt.date,
    layer_frames: dict[str, gpd.GeoDataFrame],
    *,
    source: str,
    layers: str | tuple[str, ...] | list[str] | None = None,
    label: str = "download",
) -> gpd.GeoDataFrame:
    """One snapshot row (same columns as load_snapshots) from downloaded layers of one date.

    `layer_frames` maps a layer name ("control", "advances", …; "occupied" for a processed
    DeepState polygon) to its features in any CRS. A DeepStateMap API FeatureCollection goes under
    any other key ("features"): its polygons are chosen by their i18n key like the raw files.
    """
    date = dt.date.fromisoformat(str(date)[:10])
    recipe = recipe_for(source, layers)
    result = FileResult(path=label, source=source, content_hash="", priority=1)
    for name, frame in layer_frames.items():
        layer = _canonical_frame_layer(name, source)
        if layer is None:
            names = frame["name"] if "name" in frame.columns else [None] * len(frame)
            chosen = frame[[deepstate_layer(value) in recipe.layers for value in names]]
            add_piece(chosen, date, recipe.layers, result, "download", close_gaps=True)
        else:
            add_piece(frame, date, layer, result, "download")
    result.content_hash = _pieces_hash(result.pieces)
    return assemble([result], recipe, list(result.problems))


def _canonical_frame_layer(name: str, source: str) -> tuple[str, ...] | None:
    layer = canonical_layer(name)
    if source == "deepstate":
        if layer == "occupied":
            return HELD_LAYERS["deepstate"]
        return (layer,) if layer in ("crimea", "ordlo") else None
    return (layer,)


def _may_hold(file: Path, recipe: LayerRecipe) -> bool:
    """False for a single-layer file whose layer the recipe never counts (not even read)."""
    layer = file_layer(file)
    if layer is None or layer in ("four_layers", "occupied", "held"):
        return True
    return layer in recipe.layers


def _snapshot_files(path: Path) -> tuple[list[Path], list[str]]:
    if path.is_file():
        return [path], []
    candidates = sorted(
        file
        for file in path.rglob("*")
        if file.is_file() and file.suffix.lower() in SNAPSHOT_SUFFIXES
    )
    files = [
        f for f in candidates if RAW_DEEPSTATE_NAME.match(f.name) or DATED_LAYER_NAME.match(f.name)
    ]
    others = [f.name for f in candidates if f not in files]
    problems = []
    if others:
        problems.append(
            f"{path}: {len(others)} files not named YYYY-MM-DD_<layer>.<ext> ignored "
            f"(e.g. {', '.join(others[:3])})"
        )
    return files, problems


def _cache_folder(cache: bool | str | os.PathLike) -> Path | None:
    if cache is False:
        return None
    if cache is True:
        return config.cache_dir() / "territory"
    return Path(cache)


def _read_files(
    files: list[Path],
    hashes: dict[Path, str],
    source: str,
    recipe: LayerRecipe,
    cache_folder: Path | None,
    workers: int | None,
    problems: list[str],
    *,
    strict: bool = False,
) -> tuple[list[FileResult], int]:
    """Each file's pieces, from the cache or read (in a process pool when many are missing),
    and how many files were read rather than taken from the cache.

    An unreadable file is reported and skipped, or raised as UnreadableFile when `strict`.
    """
    results: list[FileResult] = []
    misses: list[tuple[Path, str, Path | None]] = []
    for file in files:
        content_hash = hashes[file]
        cached = _cache_path(cache_folder, file, content_hash, recipe)
        hit = _read_cached(cached, file, content_hash, source) if cached else None
        if hit is None:
            misses.append((file, content_hash, cached))
        else:
            results.append(hit)
    workers = workers or min(2, os.cpu_count() or 1)
    jobs = [(str(file), content_hash, source, recipe) for file, content_hash, _ in misses]
    if workers > 1 and len(misses) >= PARALLEL_FROM_FILES:
        # forkserver: workers fork from a clean single-threaded server, never from the app's
        # threaded process (forking a threaded process can deadlock).
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["lib.territory.readers"])
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            outcomes = list(pool.map(_read_one, jobs, chunksize=4))
    else:
        outcomes = [_read_one(job) for job in jobs]
    for (_, _, cached), outcome in zip(misses, outcomes, strict=True):
        if isinstance(outcome, str):
            if strict:
                raise UnreadableFile(outcome)
            problems.append(f"{outcome}; skipped")
            continue
        if cached is not None:
            _write_cached(cached, outcome)
        results.append(outcome)
    results.sort(key=lambda result: result.path)
    for result in results:
        problems.extend(result.problems)
    return results, len(misses)


def _read_one(job: tuple[str, str, str, LayerRecipe]) -> FileResult | str:
    path, content_hash, source, recipe = job
    try:
        return read_file(Path(path), content_hash, source, recipe)
    except (UnreadableFile, geom.GeometryProblem) as error:
        return str(error)


def _file_hash(file: Path) -> str:
    with open(file, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _cache_path(
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


def _read_cached(cached: Path, file: Path, content_hash: str, source: str) -> FileResult | None:
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


def _write_cached(cached: Path, result: FileResult) -> None:
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
    _write_atomically(cached, pa.table(rows, schema=schema))


def _write_atomically(target: Path, table: pa.Table) -> None:
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


def _relative_name(path: Path, file: Path) -> str:
    return str(file.relative_to(path)) if path.is_dir() else file.name


def _index_path(folder: Path | None, path: Path, recipe: LayerRecipe) -> Path | None:
    """Where the dissolved snapshots of one folder (or file) under one recipe are kept."""
    if folder is None:
        return None
    key = "\0".join([str(path.resolve()), recipe.name, recipe.label, ENGINE_VERSION])
    return folder / f"index-{hashlib.sha256(key.encode()).hexdigest()[:32]}.parquet"


def _read_index(index: Path) -> gpd.GeoDataFrame | None:
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


def _write_index(
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
    _write_atomically(index, table)


@dataclass
class _Candidate:
    piece: Piece
    file: str
    content_hash: str
    priority: int


def assemble(
    results: list[FileResult],
    recipe: LayerRecipe,
    problems: list[str],
    *,
    known: dict[str, shapely.Geometry] | None = None,
) -> gpd.GeoDataFrame:
    """Snapshots from file pieces: per date, the union of the recipe's layers.

    A date without the recipe's base layer (e.g. ISW advances without control) is skipped and
    reported; when two files give the same layers on one date the full-resolution one wins.
    `known` maps snapshot content hashes to geometries already dissolved (from the index).
    """
    by_date: dict[dt.date, dict[tuple[str, ...], list[_Candidate]]] = defaultdict(
        lambda: defaultdict(list)
    )
    layers_seen: set[str] = set()
    for result in results:
        for piece in result.pieces:
            if not set(piece.layers) <= set(recipe.layers):
                continue
            layers_seen.update(piece.layers)
            candidate = _Candidate(
                piece, Path(result.path).name, result.content_hash, result.priority
            )
            by_date[piece.date][piece.layers].append(candidate)
    rows = []
    for date in sorted(by_date):
        chosen = []
        for layers, candidates in sorted(by_date[date].items()):
            candidates.sort(key=lambda c: c.piece.snapshot_time or "", reverse=True)
            candidates.sort(key=lambda c: (c.priority, c.piece.snapshot_time is None))
            if len(candidates) > 1:
                problems.append(
                    f"{date} {'+'.join(layers)}: {len(candidates)} files; "
                    f"used {candidates[0].file}, not {', '.join(c.file for c in candidates[1:])}"
                )
            chosen.append(candidates[0])
        covered = {layer for candidate in chosen for layer in candidate.piece.layers}
        if BASE_LAYER[recipe.source] not in covered:
            problems.append(
                f"{date}: no {BASE_LAYER[recipe.source]!r} layer "
                f"(only {'+'.join(sorted(covered))}); skipped, the other layers alone are not "
                "the held ground"
            )
            continue
        missing = [
            layer for layer in recipe.layers if layer in layers_seen and layer not in covered
        ]
        if missing:
            problems.append(f"{date}: no {'+'.join(missing)} layer; held area without it")
        rows.append(_snapshot_row(date, chosen, recipe, covered, known or {}))
    frame = gpd.GeoDataFrame(
        rows, columns=SNAPSHOT_COLUMNS, geometry="geometry", crs=EQUAL_AREA_CRS
    )
    frame.attrs["problems"] = problems
    frame.attrs["recipe"] = recipe.name
    frame.attrs["attribution"] = recipe.attribution
    if frame.empty:
        raise ValueError("no usable snapshots: " + ("; ".join(problems[-5:]) or "no polygons"))
    return frame


def _snapshot_row(
    date: dt.date,
    chosen: list[_Candidate],
    recipe: LayerRecipe,
    covered: set[str],
    known: dict[str, shapely.Geometry],
) -> dict:
    content_hash = _pieces_hash([candidate.piece for candidate in chosen], chosen)
    geometries = [candidate.piece.geometry for candidate in chosen]
    if content_hash in known:
        merged = known[content_hash]
    elif len(geometries) == 1:
        merged = geometries[0]
    else:
        merged = geom.dissolve(np.array(geometries, dtype=object))
    times = [candidate.piece.snapshot_time for candidate in chosen if candidate.piece.snapshot_time]
    return {
        "date": date,
        "source": recipe.source,
        "layers": "+".join(layer for layer in recipe.layers if layer in covered),
        "area_km2": geom.area_km2(merged),
        "snapshot_time": max(times) if times else None,
        "date_basis": chosen[0].piece.date_basis,
        "files": "; ".join(sorted({candidate.file for candidate in chosen})),
        "content_hash": content_hash,
        "geometry": merged,
    }


def _pieces_hash(pieces: list[Piece], chosen: list[_Candidate] | None = None) -> str:
    digest = hashlib.sha256()
    if chosen is not None:
        for candidate in sorted(chosen, key=lambda c: (c.content_hash, c.piece.layers)):
            digest.update(f"{candidate.content_hash}:{'+'.join(candidate.piece.layers)}:".encode())
            digest.update(candidate.piece.date.isoformat().encode())
    else:
        for piece in pieces:
            digest.update(shapely.to_wkb(piece.geometry))
    return digest.hexdigest()[:16]
