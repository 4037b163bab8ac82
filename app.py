"""Entry point: navigation, and the shared filters bound to the URL once, here, for every page.

The sidebar widgets own the view: each is bound to its query parameter (`bind="query-params"`),
so changing a filter updates the URL and opening a link restores the filters. The raw URL is
read once before the widgets seed from it, only to warn about values they will drop.
"""

import pandas as pd
import streamlit as st

from app_pages.startup_notice import startup_notice
from lib import cached, config, heap, sources, territory
from lib import statements as store
from lib import view_state as vs
from lib.markdown_text import literal
from lib.source_registry import VIEW_SOURCE_IDS, long_label

st.set_page_config(
    page_title="Frontline and diplomacy",
    page_icon=":material/map:",
    layout="wide",
    initial_sidebar_state="auto",
)

PAGES = [
    st.Page("app_pages/overview.py", title="Overview", icon=":material/bar_chart:", default=True),
    st.Page("app_pages/map.py", title="Map", icon=":material/map:", url_path="map"),
    st.Page(
        "app_pages/statements.py",
        title="Statements",
        icon=":material/format_quote:",
        url_path="statements",
    ),
    st.Page(
        "app_pages/data.py", title="Data & method", icon=":material/menu_book:", url_path="data"
    ),
]
page = st.navigation(PAGES)

database_url = config.database_url()
monthly_by_source = {}
for source_id in VIEW_SOURCE_IDS:
    try:
        monthly_by_source[source_id] = cached.monthly(
            source_id, cached.bundled_signature(source_id)
        )
    except (FileNotFoundError, ValueError) as error:
        st.error(f"Bundled figures of {source_id} unavailable: {error}")
        monthly_by_source[source_id] = pd.DataFrame(columns=territory.BUNDLED_COLUMNS)
choices = vs.Choices(
    months_by_source={
        source: list(monthly["month"]) for source, monthly in monthly_by_source.items()
    },
    stances=store.STANCES,
    actors=cached.actors(database_url),
)
url_warnings = vs.parse_view(
    {key: st.query_params.get_all(key) for key in vs.URL_KEYS}, choices
).warnings

with st.sidebar:
    st.header("View")
    source = st.selectbox(
        "Territory source",
        VIEW_SOURCE_IDS,
        key=vs.SOURCE_KEY,
        bind="query-params",
        help=" · ".join(f"{source_id}: {long_label(source_id)}" for source_id in VIEW_SOURCE_IDS),
    )
    months = choices.months(source)
    # `to` is decided first (the default range ends there) but shown below `from`.
    from_slot, to_slot = st.container(), st.container()
    to_month = to_slot.selectbox(
        "To month",
        months,
        index=None,
        placeholder=f"Latest ({months[-1]})" if months else "No months",
        key=vs.TO_KEY,
        bind="query-params",
    )
    from_options = [month for month in months if to_month is None or month <= to_month]
    default_from = vs.default_from_month(from_options)
    from_month = from_slot.selectbox(
        "From month",
        from_options,
        index=None,
        placeholder=f"{vs.DEFAULT_RANGE_MONTHS} months back ({default_from})"
        if default_from
        else "No months",
        key=vs.FROM_KEY,
        bind="query-params",
        help=f"By default the {vs.DEFAULT_RANGE_MONTHS} months up to the end of the range.",
    )
    range_start = from_month or default_from
    focus_options = [month for month in from_options if range_start is None or month >= range_start]
    focused_month = st.selectbox(
        "Focused month",
        focus_options,
        index=None,
        placeholder=f"Latest in range ({focus_options[-1]})" if focus_options else "No months",
        key=vs.MONTH_KEY,
        bind="query-params",
        help="Also set by clicking a month on the Overview chart.",
    )
    selected_actors = st.multiselect(
        "Actors (speaker or affiliation)",
        choices.actors,
        key=vs.ACTOR_KEY,
        bind="query-params",
        placeholder="All actors",
    )
    selected_stances = st.multiselect(
        "Stances",
        choices.stances,
        key=vs.STANCE_KEY,
        bind="query-params",
        placeholder="All stances",
    )

view = vs.parse_view(
    {
        vs.SOURCE_KEY: source,
        vs.FROM_KEY: from_month or "",
        vs.TO_KEY: to_month or "",
        vs.MONTH_KEY: focused_month or "",
        vs.STANCE_KEY: selected_stances,
        vs.ACTOR_KEY: selected_actors,
    },
    choices,
).view
st.session_state[vs.VIEW_SESSION_KEY] = vs.PageContext(
    view=view, choices=choices, monthly_by_source=monthly_by_source, database_url=database_url
)

for warning in url_warnings:
    st.warning(f"In the link: {literal(warning)}", icon=":material/warning:")
startup_notice(view.source, monthly_by_source[view.source])
if config.refresh_interval_seconds():
    cached.scheduled_refreshes(config.refresh_interval_seconds(), sources.store_location())

with st.sidebar:
    base_url = st.context.url or f"/{page.url_path}"
    st.caption("**Share this view**: copy the link (it holds the page and every filter).")
    st.code(vs.share_link(base_url, view, choices), language=None, wrap_lines=True)

page.run()
heap.freeze_long_lived_objects()
