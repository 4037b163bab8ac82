"""Map: Ukraine's oblasts (bundled), and the focused month's change drawn over them from a
configured snapshot folder or the fetch cache."""

import streamlit as st

from app_pages import view_sidebar
from lib import cached, config, geography, heap, map_figures, sources
from lib.markdown_text import literal
from lib.months import month_label
from lib.source_registry import long_label

context = view_sidebar.page_context(view_sidebar.MAP)
view = context.view
source_name = long_label(view.source)

st.title("Map")
if view.focused_month is None:
    st.error(f"No monthly figures for {source_name}: run `make data`.")
    st.stop()
focused_label = month_label(view.focused_month)
st.caption(f"{source_name} · {focused_label} · pick the month in the sidebar")

outline_path = geography.oblasts_path()
try:
    outline = cached.oblasts(str(outline_path), cached.file_signature(outline_path))
except (OSError, ValueError) as error:
    st.warning(f"The bundled oblast outline could not be read ({error}); the map has no borders.")
    outline = None


def outline_only(note: str) -> None:
    """The oblasts alone, with `note` saying why there is no change to draw, then stop."""
    st.plotly_chart(
        map_figures.change_map(None, month=view.focused_month, outline=outline, height=520),
        config={"displayModeBar": False, "scrollZoom": True},
        theme=None,
    )
    st.caption(note)
    st.stop()


folder = config.snapshots_dir()
if folder is not None and not folder.is_dir():
    st.error(f"`FRONTLINE_SNAPSHOTS` is set to `{folder}`, which is not a folder.")
    st.stop()
if folder is None and not sources.has_cached_data(view.source):
    st.info(
        f"The month's gains and losses need snapshot geometries, and none of {source_name} are "
        "cached yet; the monthly figures on the Overview come from the bundled table and need "
        "none.\n\n"
        "Fetch them with **Refresh now** on the Data page, or add snapshot files there "
        "(GeoJSON, KML/KMZ, zipped Shapefile, GeoParquet; a file named like the archive's, e.g. "
        "`2025-06-01_control_map.topojson`, joins that source). Or point `FRONTLINE_SNAPSHOTS` "
        "at a folder of snapshot files and restart, for example "
        "`FRONTLINE_SNAPSHOTS=../shared/data/territory/isw/lemonde_weekly_topojson make run`.",
        icon=":material/map:",
    )
    st.page_link(view_sidebar.DATA, label="Refresh or upload on the Data page", icon="➡️")
    outline_only("Ukraine's oblasts (Natural Earth); the change layers appear once snapshots are.")

try:
    if folder is not None:
        origin = f"the files in `{folder}`"
        geometries = cached.month_change(
            str(folder), view.source, cached.folder_signature(folder), view.focused_month
        )
    else:
        origin = f"the {source_name} snapshots cached on this server"
        geometries = cached.live_month_change(
            sources.store_location(),
            view.source,
            cached.live_cache_signature(view.source),
            view.focused_month,
        )
except (FileNotFoundError, ValueError) as error:
    st.warning(
        f"No map for {focused_label} from {source_name}: {literal(error)}. Choose another month or "
        "source, or fetch or add snapshots that cover it (Data page)."
    )
    st.page_link(view_sidebar.DATA, label="Refresh or upload on the Data page", icon="➡️")
    outline_only("Ukraine's oblasts (Natural Earth); no snapshots cover this month.")

areas = geometries.groupby("kind")["area_km2"].sum()
# A month with a snapshot at one end only is a gap: its gains are unknown, never 0 km².
is_gap = "gained_by_russia" not in areas


def km2(kind: str) -> str:
    return "—" if kind not in areas else f"{areas[kind]:,.0f} km²"


gained, regained, held = st.columns(3)
gained.metric("Gained by Russia", km2("gained_by_russia"), border=True)
regained.metric("Regained by Ukraine", km2("regained_by_ukraine"), border=True)
held.metric("Held by Russia, end of month", km2("held_by_russia"), border=True)
if is_gap:
    end = geometries["end_snapshot"].iloc[0]
    st.info(
        f"{focused_label} is a gap in these snapshots: only the one of {end} falls at its end, "
        "none at its start, so there is no change to measure. The map shows the ground held.",
        icon=":material/info:",
    )
st.plotly_chart(
    map_figures.change_map(geometries, month=view.focused_month, outline=outline),
    config={"displayModeBar": False, "scrollZoom": True},
    theme=None,
)
st.caption(
    f"Geometries from {origin}. Red: gained by Russia; blue: regained by Ukraine; pale red: "
    "held by Russia; grey lines: oblasts (Natural Earth). The street basemap needs a "
    "connection; offline the borders and shapes still draw."
)
# After the page's first complete run: what is alive now lives as long as the server (lib/heap.py).
heap.freeze_long_lived_objects()
