"""The one registry of sources agrees with what the engine, the bundle and the updater hold."""

from __future__ import annotations

import pytest

from lib import territory
from lib.source_registry import (
    LIVE_SOURCE_IDS,
    SOURCES,
    VIEW_SOURCE_IDS,
    long_label,
    short_label,
)
from lib.sources.updater import FETCHER_NAMES, make_source
from lib.territory.bundle import bundled_path
from lib.view_state import DEFAULT_SOURCE


def test_every_layer_recipe_has_one_entry_and_the_terms_are_the_recipes():
    assert set(SOURCES) == set(territory.RECIPES)
    for source_id, entry in SOURCES.items():
        assert entry.recipe is territory.RECIPES[source_id]
        assert entry.attribution == territory.RECIPES[source_id].attribution
        assert entry.recipe_id == territory.RECIPES[source_id].name


def test_view_sources_are_those_with_bundled_figures_and_the_default_comes_first():
    assert VIEW_SOURCE_IDS[0] == DEFAULT_SOURCE
    for source_id in VIEW_SOURCE_IDS:
        assert bundled_path(source_id).is_file()


@pytest.mark.parametrize("source_id", LIVE_SOURCE_IDS)
def test_every_live_source_has_a_fetcher_of_that_name(source_id):
    assert source_id in FETCHER_NAMES
    assert make_source(source_id, client=None).name == source_id  # type: ignore[arg-type]


def test_labels_are_distinct_and_unknown_ids_show_as_they_are():
    assert len({entry.short_label for entry in SOURCES.values()}) == len(SOURCES)
    assert short_label("isw") == "ISW"
    assert long_label("isw") == "ISW (Institute for the Study of War)"
    assert short_label("elsewhere") == long_label("elsewhere") == "elsewhere"
