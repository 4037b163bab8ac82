"""Assembly: from the pieces of files to snapshot rows, one per date, under a layer recipe.

Per date the recipe's layers are chosen (full resolution first when two files give the same
layers), the date is skipped when the recipe's base layer is missing, and the chosen pieces are
dissolved into one polygon and measured.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

from lib.territory import geometry as geom
from lib.territory.readers import FileResult, Piece
from lib.territory.recipes import BASE_LAYER, EQUAL_AREA_CRS, GREY_ZONE_LAYER, LayerRecipe

ENGINE_VERSION = "1.1.0"
SNAPSHOT_COLUMNS = [
    "date",
    "source",
    "layers",
    "area_km2",
    "snapshot_time",
    "date_basis",
    "files",
    "content_hash",
    "grey_zone_km2",
    "grey_zone_wkb",
    "geometry",
]


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
    grey_by_file: dict[tuple[dt.date, str], Piece] = {}
    for result in results:
        for piece in result.pieces:
            if piece.layers == (GREY_ZONE_LAYER,):
                grey_by_file[(piece.date, Path(result.path).name)] = piece
                continue
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
        base = next(c for c in chosen if BASE_LAYER[recipe.source] in c.piece.layers)
        grey = grey_by_file.get((date, base.file))
        rows.append(_snapshot_row(date, chosen, recipe, covered, known or {}, grey))
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
    grey: Piece | None = None,
) -> dict:
    """One snapshot row; `grey` is the grey-zone piece from the base layer's file, if it has one."""
    content_hash = pieces_hash([candidate.piece for candidate in chosen], chosen)
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
        "grey_zone_km2": grey.area_km2 if grey is not None else np.nan,
        "grey_zone_wkb": shapely.to_wkb(grey.geometry) if grey is not None else None,
        "geometry": merged,
    }


def pieces_hash(pieces: list[Piece], chosen: list[_Candidate] | None = None) -> str:
    digest = hashlib.sha256()
    if chosen is not None:
        for candidate in sorted(chosen, key=lambda c: (c.content_hash, c.piece.layers)):
            digest.update(f"{candidate.content_hash}:{'+'.join(candidate.piece.layers)}:".encode())
            digest.update(candidate.piece.date.isoformat().encode())
    else:
        for piece in pieces:
            digest.update(shapely.to_wkb(piece.geometry))
    return digest.hexdigest()[:16]
