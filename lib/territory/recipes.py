"""Which layers of each source make up the Russian-held ground, and the terms that travel with them.

A *layer recipe* names the layers whose union is the held area. Layer names are canonical across
file formats: the ISW archives call the control layer `control_map`, `assessed_russian_control`
or `VIEW_RussiaCoTinUkraine_V3`, and all of them map to `control` here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Lambert azimuthal equal-area centred on Ukraine: areas in degrees are meaningless and Web
# Mercator inflates them about 2.2x at these latitudes; this projection agrees with the geodesic
# (WGS84 ellipsoid) area of the archive's polygons within 0.004 %, the best of the projections the
# archive's validation compared.
EQUAL_AREA_CRS = "+proj=laea +lat_0=48.5 +lon_0=31.5 +datum=WGS84 +units=m +no_defs"

ISW_ATTRIBUTION = (
    "Institute for the Study of War and American Enterprise Institute's Critical Threats Project. "
    "ISW states: 'This geodata is the exclusive intellectual property of the Institute for the "
    "Study of War (ISW). You may not use this geodata without the written consent of ISW.' "
    "Weekly maps as republished by Le Monde."
)
DEEPSTATE_ATTRIBUTION = (
    "DeepStateMap (DEEPSTATEUATECH LLC), https://deepstatemap.live. Its licence requires "
    "attribution and prior approval for commercial use, and forbids redistributing or proxying "
    "the API (https://deepstatemap.live/license-en.html). Daily occupied polygon as processed by "
    "cyterat/deepstate-map-data (GPL-3.0)."
)
UPLOAD_ATTRIBUTION = "Uploaded by the user; the uploader is responsible for its terms."


@dataclass(frozen=True)
class LayerRecipe:
    """The layers whose union is one source's Russian-held ground."""

    source: str
    name: str
    layers: tuple[str, ...]
    description: str
    attribution: str

    @property
    def label(self) -> str:
        return "+".join(self.layers)


# The layers of each source that may be counted as held ground. Claimed-only layers (ISW's
# "claimed Russian control", "claimed Ukrainian counteroffensives", Le Monde's Kursk limit) are
# not here, so no recipe can count them.
HELD_LAYERS: dict[str, tuple[str, ...]] = {
    "isw": ("control", "advances", "infiltration"),
    "deepstate": ("occupied", "crimea", "ordlo"),
    "upload": ("held",),
}
# The layer a snapshot cannot do without: ISW advances alone are not the held ground.
BASE_LAYER = {"isw": "control", "deepstate": "occupied", "upload": "held"}

RECIPES: dict[str, LayerRecipe] = {
    "isw": LayerRecipe(
        source="isw",
        name="isw-control-and-advances",
        layers=("control", "advances"),
        description=(
            "ISW assessed Russian control of terrain ∪ assessed Russian advances. ISW folds "
            "advances into the control layer only now and then, so control alone moves in lumps; "
            "the union follows the front and agrees with DeepStateMap's occupied area within "
            "about 0.4 %. Claimed layers are never counted."
        ),
        attribution=ISW_ATTRIBUTION,
    ),
    "deepstate": LayerRecipe(
        source="deepstate",
        name="deepstate-occupied",
        layers=("occupied", "crimea", "ordlo"),
        description=(
            "DeepStateMap occupied ∪ occupied Crimea ∪ ORDLO (the pre-2022 occupied parts of "
            "Donetsk and Luhansk), selected by the i18n key in each polygon's name, never by a "
            "substring (places outside Ukraine are also tagged 'Occupied'); the grey 'unknown "
            "status' zone is not counted. Parts are repaired, unioned and closed with a "
            "±0.000009° mitre buffer exactly as the processed daily files are."
        ),
        attribution=DEEPSTATE_ATTRIBUTION,
    ),
    "upload": LayerRecipe(
        source="upload",
        name="upload-as-given",
        layers=("held",),
        description="The polygons of the uploaded file, taken as the Russian-held ground.",
        attribution=UPLOAD_ATTRIBUTION,
    ),
}

# File and service layer names → canonical layer names. Layers absent from HELD_LAYERS are read
# (so a file holding them is recognised) but never counted.
LAYER_ALIASES: dict[str, str] = {
    "control_map": "control",
    "assessed_russian_control": "control",
    "view_russiacotinukraine_v3": "control",
    "control": "control",
    "russian_advances": "advances",
    "assessed_russian_advances": "advances",
    "mds_assessedrussianadvanceinukraine_view": "advances",
    "advances": "advances",
    "assessed_russian_infiltration": "infiltration",
    "infiltration": "infiltration",
    "claimed_russian_control": "claimed_russian_control",
    "view_claimedrussianterritoryinukraine_v2": "claimed_russian_control",
    "claimed_ukrainian_counteroffensives": "claimed_ukrainian_counteroffensives",
    "view_claimedukrainiancounteroffensives_v2": "claimed_ukrainian_counteroffensives",
    "reported_ukrainian_partisan_warfare": "reported_ukrainian_partisan_warfare",
    "kursk_ukrainian_advance": "kursk_ukrainian_advance",
    "occupied": "occupied",
    "crimea": "crimea",
    "ordlo": "ordlo",
}


def canonical_layer(name: str) -> str:
    """Canonical layer name for a file or service layer name (unknown names pass through)."""
    key = name.strip().lower()
    return LAYER_ALIASES.get(key, key)


# How a user may count ISW's maps: "assessed" (the recipe's layers) or "claimed", which adds
# ISW's layer of ground Russia claims, as AFP's monthly totals from ISW's maps count it. It is a
# named choice, never a --layers value: no recipe counts a claimed layer by accident.
COUNTINGS = ("assessed", "claimed")
CLAIMED_LAYER = "claimed_russian_control"


def recipe_for(
    source: str,
    layers: str | tuple[str, ...] | list[str] | None = None,
    counting: str = "assessed",
) -> LayerRecipe:
    """The default recipe of `source`, or one made of the given held layers; with
    counting="claimed" (ISW only) the claimed-control layer is added.

    Raises ValueError naming the layer and the allowed ones when a layer cannot be counted as
    held ground (e.g. ISW's claimed layers given in `layers`), or naming the counting choice.
    """
    if counting not in COUNTINGS:
        raise ValueError(f"counting {counting!r} is not one of {', '.join(COUNTINGS)}")
    recipe = _recipe_for_layers(source, layers)
    if counting == "assessed":
        return recipe
    if source != "isw":
        raise ValueError(f"counting 'claimed' needs ISW's claimed layer; {source} has none")
    return LayerRecipe(
        source=source,
        name=f"{recipe.name}-with-claimed",
        layers=(*recipe.layers, CLAIMED_LAYER),
        description=f"{recipe.description} With ISW's claimed Russian control added, as the "
        "press counts it (AFP's monthly totals).",
        attribution=recipe.attribution,
    )


def _recipe_for_layers(
    source: str, layers: str | tuple[str, ...] | list[str] | None
) -> LayerRecipe:
    if source not in RECIPES:
        raise ValueError(f"unknown source {source!r}; expected one of {sorted(RECIPES)}")
    default = RECIPES[source]
    if layers is None:
        return default
    if isinstance(layers, str):
        layers = [part for part in re.split(r"[,+\s]+", layers) if part]
    chosen = tuple(dict.fromkeys(canonical_layer(layer) for layer in layers))
    allowed = HELD_LAYERS[source]
    for layer in chosen:
        if layer not in allowed:
            raise ValueError(
                f"layer {layer!r} cannot be counted as {source} held ground; "
                f"choose from {', '.join(allowed)}"
            )
    if BASE_LAYER[source] not in chosen:
        raise ValueError(f"a {source} recipe needs the {BASE_LAYER[source]!r} layer")
    if chosen == default.layers:
        return default
    return LayerRecipe(
        source=source,
        name=f"{source}-{'-'.join(chosen)}",
        layers=chosen,
        description=f"{source} layers {' ∪ '.join(chosen)} (chosen with --layers).",
        attribution=default.attribution,
    )


_I18N_KEY_LAYERS = {
    "geojson.territories.crimea": "crimea",
    "geojson.territories.ordlo": "ordlo",
}
# Old DeepState names without an i18n key (2022-05 → 2023): the English part, matched whole.
_ENGLISH_NAME_LAYERS = {
    "occupied": "occupied",
    "occupied crimea": "crimea",
    "cadr and calr": "ordlo",
}
_ENGLISH_OCCUPIED_SINCE = re.compile(r"^occupied \d")  # "Occupied 24.03"
# Ukrainian-only names (2022-04 → 2022-05): whole names, or "Окуповано" with a date after it, plus
# the named local annotations inside Ukraine that DeepState drew outside its main polygon then.
_UKRAINIAN_NAME_LAYERS = {
    "окуповано": "occupied",
    "окуповані циркуни": "occupied",
    "ізюм. окуповано": "occupied",
    "крим": "crimea",
    "окупований крим": "crimea",
    "ордло": "ordlo",
}
_UKRAINIAN_OCCUPIED_SINCE = re.compile(r"^окуповано[ .]+\d")  # "Окуповано. 01.04"
_UKRAINIAN_LOCAL_OCCUPATION = re.compile(
    r"^(рубіжне\. території зайняті ворогом|сєвєродонецьк\. території, що окуповано)"
)


def normalise_name(name: str) -> str:
    """Lower-case, single-spaced, without non-breaking spaces or trailing dots."""
    return re.sub(r"\s+", " ", name.replace("\xa0", " ")).strip().rstrip(".").lower()


def deepstate_layer(name: str | None) -> str | None:
    """Canonical layer of a DeepStateMap polygon from its `name`, or None when it is not held.

    Uses the i18n key (`geoJSON.status.occupied*`, `geoJSON.territories.crimea|ordlo`) when the
    name has one; older names are matched whole against explicit lists, never by substring, so
    "Occupied Abkhazia" or "Occupied Tuzla Island" are never counted.
    """
    if not name:
        return None
    parts = [normalise_name(part) for part in name.split("///")]
    keys = [part for part in parts if part.startswith("geojson.")]
    if keys:
        key = keys[-1].split()[0]
        if key.startswith("geojson.status.occupied"):
            return "occupied"
        return _I18N_KEY_LAYERS.get(key)
    if len(parts) >= 2:
        english = parts[1]
        if english in _ENGLISH_NAME_LAYERS:
            return _ENGLISH_NAME_LAYERS[english]
        return "occupied" if _ENGLISH_OCCUPIED_SINCE.match(english) else None
    ukrainian = parts[0]
    if ukrainian in _UKRAINIAN_NAME_LAYERS:
        return _UKRAINIAN_NAME_LAYERS[ukrainian]
    if _UKRAINIAN_OCCUPIED_SINCE.match(ukrainian) or _UKRAINIAN_LOCAL_OCCUPATION.match(ukrainian):
        return "occupied"
    return None


GREY_ZONE_LAYER = "unknown"
# DeepStateMap's grey "unknown status" zone (called "contested" in 2022): the i18n key, or the
# English part of older names, or a whole Ukrainian-only name.
_GREY_ENGLISH = re.compile(r"^(\d[\d.\s-]*)?(unknown status|contested|contensed)$")
_GREY_UKRAINIAN = {"статус невідомий", "під питанням"}


def is_grey_zone(name: str | None) -> bool:
    """True for a DeepStateMap polygon of the grey "unknown status" zone, judged by its name."""
    if not name:
        return False
    parts = [normalise_name(part) for part in name.split("///")]
    keys = [part for part in parts if part.startswith("geojson.")]
    if keys:
        return keys[-1].split()[0] == "geojson.status.unknown"
    if len(parts) >= 2:
        return bool(_GREY_ENGLISH.match(parts[1]))
    return parts[0] in _GREY_UKRAINIAN
