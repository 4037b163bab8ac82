"""Speed of the territory engine on the whole shared archive, against a straightforward baseline.

Run: `.venv/bin/python benchmarks/territory.py [ARCHIVE_DIR]` (default ../shared/data/territory).

Phases, all in this one run:
1. cold: every snapshot file of the archive → snapshots → per-snapshot series (empty cache);
2. warm: the same from the cache (a fresh process would do exactly this);
3. one source's monthly table from the cache (ISW weekly);
4. one new snapshot added to a cached folder: only its files are read;
5. baseline: for each consecutive pair of the same (already loaded, lon/lat) snapshots,
   reproject both with to_crs, geopandas.overlay(how="difference") both ways, sum the areas.
The engine/baseline ratio compares phase 2 with phase 5 on the same snapshot pairs, in wall time
and in CPU time: the machine is shared, and CPU time is what other processes disturb least.
"""

from __future__ import annotations

import argparse
import itertools
import resource
import shutil
import sys
import tempfile
import time
import warnings
from pathlib import Path

import geopandas as gpd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lib.territory import EQUAL_AREA_CRS, load_snapshots, monthly_change, snapshot_series
from lib.territory import change as territory_change

COLLECTIONS = [
    ("isw", "isw/lemonde_weekly_topojson"),
    ("isw", "isw/nikkei_2022_daily_layers"),
    ("isw", "isw/nikkei_2023_live_query_dumps"),
    ("isw", "isw/isw_original_shapefile_zips"),
    ("deepstate", "deepstate/raw_api_history"),
    ("deepstate", "deepstate/cyterat_daily_occupied"),
]


def peak_memory_mb() -> float:
    """Peak resident memory of this process in MB (the two loading workers are separate
    processes forked from a forkserver, so they are not included)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def engine_series(
    archive: Path, cache: Path
) -> tuple[dict[str, gpd.GeoDataFrame], int, float, float]:
    """(snapshots, count, wall s, CPU s of this process) for files -> per-snapshot series."""
    territory_change.clear_overlap_cache()
    started, started_cpu = time.perf_counter(), time.process_time()
    loaded = {}
    snapshots_total = 0
    for source, folder in COLLECTIONS:
        snapshots = load_snapshots(archive / folder, source=source, cache=cache)
        snapshot_series(snapshots)
        loaded[folder] = snapshots
        snapshots_total += len(snapshots)
    return (
        loaded,
        snapshots_total,
        time.perf_counter() - started,
        time.process_time() - started_cpu,
    )


def baseline_series(loaded: dict[str, gpd.GeoDataFrame]) -> tuple[int, float, float]:
    """Per consecutive pair: to_crs both, overlay difference both ways, sum the areas."""
    lonlat = {folder: frame.to_crs("EPSG:4326") for folder, frame in loaded.items()}
    started, started_cpu = time.perf_counter(), time.process_time()
    snapshots_total = 0
    for frame in lonlat.values():
        rows = [frame.iloc[[index]][["geometry"]] for index in range(len(frame))]
        snapshots_total += len(rows)
        for previous, current in itertools.pairwise(rows):
            start = previous.to_crs(EQUAL_AREA_CRS)
            end = current.to_crs(EQUAL_AREA_CRS)
            gained = gpd.overlay(end, start, how="difference", keep_geom_type=True).area.sum() / 1e6
            regained = (
                gpd.overlay(start, end, how="difference", keep_geom_type=True).area.sum() / 1e6
            )
            _ = gained - regained
    return snapshots_total, time.perf_counter() - started, time.process_time() - started_cpu


def add_one_snapshot(archive: Path) -> tuple[int, int, float]:
    """Cache a folder without its last date (own cache), add that date's files, reload."""
    source_folder = archive / "isw/lemonde_weekly_topojson"
    files = sorted(source_folder.glob("*.topojson"))
    last_date = files[-1].name[:10]
    with tempfile.TemporaryDirectory(prefix="bench-add-") as work:
        folder, cache = Path(work) / "snapshots", Path(work) / "cache"
        folder.mkdir()
        for file in files:
            if not file.name.startswith(last_date):
                (folder / file.name).symlink_to(file)
        load_snapshots(folder, source="isw", cache=cache)
        for file in files:
            if file.name.startswith(last_date):
                (folder / file.name).symlink_to(file)
        started = time.perf_counter()
        snapshots = load_snapshots(folder, source="isw", cache=cache)
        monthly_change(snapshots)
        elapsed = time.perf_counter() - started
    return snapshots.attrs["files_read"], snapshots.attrs["files_from_cache"], elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "archive",
        nargs="?",
        type=Path,
        default=Path(__file__).resolve().parent.parent.parent / "shared/data/territory",
    )
    args = parser.parse_args()
    if not args.archive.is_dir():
        print(f"error: {args.archive}: no such folder", file=sys.stderr)
        return 1
    # GDAL's notes on ISW's measured (M) shapefiles: expected, and reported by the engine.
    warnings.filterwarnings("ignore", message="Measured \\(M\\) geometry types")
    cache = Path(tempfile.mkdtemp(prefix="bench-territory-cache-"))
    try:
        _, cold_count, cold_seconds, _ = engine_series(args.archive, cache)
        print(
            f"engine, cold cache: {cold_count} snapshots (all files of the archive) -> "
            f"per-snapshot series in {cold_seconds:.2f} s = "
            f"{cold_count / cold_seconds:.1f} snapshots/s"
        )
        loaded, warm_count, warm_seconds, warm_cpu = engine_series(args.archive, cache)
        print(
            f"engine, warm cache: {warm_count} snapshots -> per-snapshot series in "
            f"{warm_seconds:.2f} s = {warm_count / warm_seconds:.1f} snapshots/s "
            f"(CPU {warm_cpu:.2f} s = {warm_count / warm_cpu:.1f} snapshots/s)"
        )
        territory_change.clear_overlap_cache()
        started = time.perf_counter()
        monthly = monthly_change(
            load_snapshots(args.archive / "isw/lemonde_weekly_topojson", source="isw", cache=cache)
        )
        print(
            f"engine, warm cache: ISW weekly monthly table ({len(monthly)} months) in "
            f"{time.perf_counter() - started:.2f} s"
        )
        read, reused, seconds = add_one_snapshot(args.archive)
        print(
            f"engine, one new snapshot added: {read} files read, {reused} from cache, monthly "
            f"table recomputed in {seconds:.2f} s"
        )
        print(f"peak memory after the engine: {peak_memory_mb():.0f} MB (main process)")
        baseline_count, baseline_seconds, baseline_cpu = baseline_series(loaded)
        print(
            f"baseline (to_crs + overlay difference both ways per pair): {baseline_count} "
            f"snapshots in {baseline_seconds:.2f} s = "
            f"{baseline_count / baseline_seconds:.1f} snapshots/s "
            f"(CPU {baseline_cpu:.2f} s = {baseline_count / baseline_cpu:.1f} snapshots/s)"
        )
        print(
            f"ratio engine (warm) / baseline: {baseline_seconds / warm_seconds:.1f}x wall, "
            f"{baseline_cpu / warm_cpu:.1f}x CPU"
        )
        print(
            "ratio engine (cold, incl. reading every file) / baseline: "
            f"{baseline_seconds / cold_seconds:.1f}x wall"
        )
        print(f"peak memory overall: {peak_memory_mb():.0f} MB (main process)")
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
