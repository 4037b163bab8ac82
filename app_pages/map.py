"""Map: the focused month's change, drawn from a configured snapshot folder or the fetch cache."""

import streamlit as st

from lib import cached, config, map_figures, sources
from lib import view_state as vs
from lib.markdown_text import literal
from lib.months import month_label
from lib.source_registry import long_label

context: vs.PageContext = st.session_state[vs.VIEW_SESSION_KEY]
view = context.view
source_name = long_label(view.source)

st.title("Map")
if view.focused_month is None:
    st.error(f"No monthly figures for {source_name}: run `make data`.")
    st.stop()
focused_label = month_label(view.focused_month)
st.caption(f"{source_name} · {focused_label} · pick the month in the sidebar")

folder = config.snapshots_dir()
if folder is not None and not folder.is_dir():
    st.error(f"`FRONTLINE_SNAPSHOTS` is set to `{folder}`, which is not a folder.")
    st.stop()
if folder is None and not sources.has_cached_data(view.source):
    st.info(
        f"The map needs snapshot geometries, and none of {source_name} are cached yet; the "
        "monthly figures on the Overview come from the bundled table and need none.\n\n"
        "Fetch them with **Refresh now** on the Data page, or add snapshot files there "
        "(GeoJSON, KML/KMZ, zipped Shapefile, GeoParquet; a file named like the archive's, e.g. "
        "`2025-06-01_control_map.topojson`, joins that source). Or point `FRONTLINE_SNAPSHOTS` "
        "at a folder of snapshot files and restart, for example "
        "`FRONTLINE_SNAPSHOTS=../shared/data/territory/isw/lemonde_weekly_topojson make run`.",
        icon=":material/map:",
    )
    st.page_link("app_pages/data.py", label="Refresh or upload on the Data page", icon="➡️")
    st.stop()

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
    st.page_link("app_pages/data.py", label="Refresh or upload on the Data page", icon="➡️")
    st.stop()

areas = geometries.groupby("kind")["area_km2"].sum()
gained, regained, held = st.columns(3)
gained.metric("Gained by Russia", f"{areas.get('gained_by_russia', 0):,.0f} km²", border=True)
regained.metric(
    "Regained by Ukraine", f"{areas.get('regained_by_ukraine', 0):,.0f} km²", border=True
)
held.metric(
    "Held by Russia, end of month", f"{areas.get('held_by_russia', 0):,.0f} km²", border=True
)
st.plotly_chart(
    map_figures.change_map(geometries, month=view.focused_month),
    config={"displayModeBar": False, "scrollZoom": True},
    theme=None,
)
st.caption(
    f"Geometries from {origin}. Red: gained by Russia; blue: regained by Ukraine; pale red: "
    "held by Russia. The basemap needs a connection; offline the shapes still draw on white."
)
