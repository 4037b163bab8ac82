"""Map: the focused month's change, drawn from snapshot geometries when some are configured."""

import streamlit as st

from lib import cached, charts, config
from lib import view_state as vs

context: vs.PageContext = st.session_state[vs.VIEW_SESSION_KEY]
view = context.view

st.title("Map")
if view.focused_month is None:
    st.error(f"No monthly figures for {vs.SOURCE_NAMES[view.source]}: run `make data`.")
    st.stop()
focused_label = vs.month_label(view.focused_month)
st.caption(f"{vs.SOURCE_NAMES[view.source]} · {focused_label} · pick the month in the sidebar")

folder = config.snapshots_dir()
if folder is None or not folder.is_dir():
    st.info(
        "No snapshot geometries are configured, so there is no map to draw; the monthly figures "
        "on the Overview come from the bundled table and need none.\n\n"
        "To draw the map, point `FRONTLINE_SNAPSHOTS` at a folder of snapshot files and restart, "
        "for example:\n\n"
        "`FRONTLINE_SNAPSHOTS=../shared/data/territory/isw/lemonde_weekly_topojson make run`"
        + (f"\n\n(`{folder}` is not a folder.)" if folder is not None else "")
    )
    st.stop()

try:
    geometries = cached.month_change(
        str(folder), view.source, cached.folder_signature(folder), view.focused_month
    )
except (FileNotFoundError, ValueError) as error:
    st.warning(
        f"No map for {focused_label} from {vs.SOURCE_NAMES[view.source]}: {error}. "
        "Choose another month or source, or add snapshot files that cover it."
    )
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
    charts.change_map(geometries, month=view.focused_month),
    config={"displayModeBar": False, "scrollZoom": True},
    theme=None,
)
st.caption(
    f"Geometries from `{folder}`. Red: gained by Russia; blue: regained by Ukraine; pale red: "
    "held by Russia. The basemap needs a connection; offline the shapes still draw on white."
)
