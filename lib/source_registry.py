"""Every territory source the app knows, once: its id, how pages name it, its terms and its recipe.

Pages, the URL, the live-source updater and the caches all look sources up here instead of keeping
their own tuple of ids or dict of labels. The terms and the layers counted as held ground belong
to the territory engine's layer recipes (`lib/territory/recipes.py`); an entry points at its
source's default recipe rather than copying them.
"""

from __future__ import annotations

from dataclasses import dataclass

from lib.territory.recipes import RECIPES, LayerRecipe


@dataclass(frozen=True)
class TerritorySource:
    """One source of Russian-held ground.

    `live`: fetched over HTTP by `lib.sources`; `bundled`: has bundled monthly figures, so a view
    (the URL's `source=`) may choose it.
    """

    id: str
    short_label: str
    long_label: str
    recipe: LayerRecipe
    live: bool
    bundled: bool

    @property
    def attribution(self) -> str:
        """The credit and terms that travel with the source's figures."""
        return self.recipe.attribution

    @property
    def recipe_id(self) -> str:
        """The name of the source's default layer recipe, e.g. "isw-control-and-advances"."""
        return self.recipe.name


SOURCES: dict[str, TerritorySource] = {
    entry.id: entry
    for entry in (
        TerritorySource(
            id="isw",
            short_label="ISW",
            long_label="ISW (Institute for the Study of War)",
            recipe=RECIPES["isw"],
            live=True,
            bundled=True,
        ),
        TerritorySource(
            id="deepstate",
            short_label="DeepStateMap",
            long_label="DeepStateMap",
            recipe=RECIPES["deepstate"],
            live=True,
            bundled=True,
        ),
        TerritorySource(
            id="upload",
            short_label="Uploads",
            long_label="Uploaded snapshots",
            recipe=RECIPES["upload"],
            live=False,
            bundled=False,
        ),
    )
}

# In the order pages list them: ISW first, the default view's source.
LIVE_SOURCE_IDS = tuple(entry.id for entry in SOURCES.values() if entry.live)
VIEW_SOURCE_IDS = tuple(entry.id for entry in SOURCES.values() if entry.bundled)


def short_label(source_id: str) -> str:
    """ "isw" → "ISW"; an id the registry does not know is shown as it is."""
    entry = SOURCES.get(source_id)
    return entry.short_label if entry else source_id


def long_label(source_id: str) -> str:
    """ "isw" → "ISW (Institute for the Study of War)"; an unknown id is shown as it is."""
    entry = SOURCES.get(source_id)
    return entry.long_label if entry else source_id
