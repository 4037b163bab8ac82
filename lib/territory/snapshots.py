"""Loading snapshots: one row per date with the Russian-held polygon, its area and its origin.

Files are found and filtered here, read (in a process pool when many are new) through the piece
cache (`piece_cache.py`), and assembled into one row per date (`assembly.py`). When no file of a
folder changed, loading touches no geometry at all; when one file is added or changed, only that
file is read and only its date is dissolved again.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import geopandas as gpd

from lib.territory import geometry as geom
from lib.territory import piece_cache
from lib.territory.assembly import ENGINE_VERSION, SNAPSHOT_COLUMNS, assemble, pieces_hash
from lib.territory.readers import (
    DATED_LAYER_NAME,
    RAW_DEEPSTATE_NAME,
    SNAPSHOT_SUFFIXES,
    FileResult,
    UnreadableFile,
    add_grey_zone,
    add_piece,
    file_layer,
    read_file,
    source_of,
)
from lib.territory.recipes import (
    HELD_LAYERS,
    LayerRecipe,
    canonical_layer,
    deepstate_layer,
    is_grey_zone,
    recipe_for,
)

__all__ = ["ENGINE_VERSION", "SNAPSHOT_COLUMNS", "load_snapshots", "snapshots_from_layers"]

PARALLEL_FROM_FILES = 4


def load_snapshots(
    path: str | os.PathLike,
    *,
    source: str | None = None,
    layers: str | tuple[str, ...] | list[str] | None = None,
    cache: bool | str | os.PathLike = True,
    workers: int | None = None,
    counting: str = "assessed",
) -> gpd.GeoDataFrame:
    """Russian-held ground per snapshot date from a folder of dated files or one file.

    Returns SNAPSHOT_COLUMNS in EQUAL_AREA_CRS, sorted by date; `attrs["problems"]` lists repairs
    and skipped files, `attrs["recipe"]`/`attrs["attribution"]` the layer recipe and terms.
    `counting="claimed"` adds ISW's claimed layer (see recipes.COUNTINGS). Raises
    FileNotFoundError for a missing path and ValueError when nothing usable is found.
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
    recipe = recipe_for(source, layers, counting)
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
    cache_folder = piece_cache.cache_folder(cache)
    hashes = {file: piece_cache.file_hash(file) for file in files}
    fingerprint = {_relative_name(path, file): hashes[file] for file in files}
    index = piece_cache.index_path(cache_folder, path, recipe)
    indexed = piece_cache.read_index(index) if index else None
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
        piece_cache.write_index(index, snapshots, fingerprint, problems[folder_problem_count:])
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
            add_grey_zone(frame[[is_grey_zone(value) for value in names]], date, result)
        else:
            add_piece(frame, date, layer, result, "download")
    result.content_hash = pieces_hash(result.pieces)
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
        cached = piece_cache.cache_path(cache_folder, file, content_hash, recipe)
        hit = piece_cache.read_cached(cached, file, content_hash, source) if cached else None
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
            piece_cache.write_cached(cached, outcome)
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


def _relative_name(path: Path, file: Path) -> str:
    return str(file.relative_to(path)) if path.is_dir() else file.name
