"""The territorial-change engine: control-of-terrain snapshots → km² gained and lost per month.

The public names are those in `__all__` below; the README section "How the territorial figures
are defined" gives the recipes, the projection and the monthly definition.
"""

from lib.territory.bundle import BUNDLED_COLUMNS, read_bundled_monthly
from lib.territory.change import (
    MONTHLY_COLUMNS,
    MONTHLY_STATUS_COLUMNS,
    month_change_geometries,
    monthly_change,
    snapshot_series,
)
from lib.territory.recipes import EQUAL_AREA_CRS, RECIPES, LayerRecipe, recipe_for
from lib.territory.snapshots import (
    ENGINE_VERSION,
    SNAPSHOT_COLUMNS,
    load_snapshots,
    snapshots_from_layers,
)
from lib.territory.upload import MAX_UPLOAD_BYTES, UploadError, load_uploaded

__all__ = [
    "BUNDLED_COLUMNS",
    "ENGINE_VERSION",
    "EQUAL_AREA_CRS",
    "MAX_UPLOAD_BYTES",
    "MONTHLY_COLUMNS",
    "MONTHLY_STATUS_COLUMNS",
    "RECIPES",
    "SNAPSHOT_COLUMNS",
    "LayerRecipe",
    "UploadError",
    "load_snapshots",
    "load_uploaded",
    "month_change_geometries",
    "monthly_change",
    "read_bundled_monthly",
    "recipe_for",
    "snapshot_series",
    "snapshots_from_layers",
]
