"""The shared sidebar every page draws first: the filters bound to the URL, once, here.

Streamlit runs a top-level `pages/` folder as its classic multipage app: `app.py` is the Overview
and each file in `pages/` a page of its own, run alone, so a share link opened first on a fresh
server runs just that file. Each page therefore starts with `page_context(...)`, which draws the
navigation (links that carry the view's query string), the filters and the share link, and
returns the view. The sidebar widgets own the view: each is bound to its query parameter
(`bind="query-params"`), so changing a filter updates the URL and opening a link restores the
filters. The raw URL is read once before the widgets seed from it, only to warn about values
they will drop.
"""

from dataclasses import replace
from pathlib import Path
from urllib.parse import parse_qs

import pandas as pd
import streamlit as st

from app_pages.startup_notice import startup_notice
from lib import cached, config, sources, territory
from lib import statements as store
from lib import view_state as vs
from lib.markdown_text import literal
from lib.source_registry import VIEW_SOURCE_IDS, long_label
from lib.territory import countings

# The pages, as (script, label, icon); the script's name is its URL path ("" for app.py).
OVERVIEW, MAP, STATEMENTS, DATA = "app.py", "pages/map.py", "pages/statements.py", "pages/data.py"
PAGES = [
    (OVERVIEW, "Overview", ":material/bar_chart:"),
    (MAP, "Map", ":material/map:"),
    (STATEMENTS, "Statements", ":material/format_quote:"),
    (DATA, "Data & method", ":material/menu_book:"),
]


def latest_placeholder(months: list[str], all_dates: bool) -> str:
    if not months:
        return "No months"
    return "Latest statement" if all_dates else f"Latest ({months[-1]})"


def earliest_placeholder(default_from: str | None, all_dates: bool) -> str:
    if default_from is None:
        return "No months"
    if all_dates:
        return "Earliest statement"
    return f"{vs.DEFAULT_RANGE_MONTHS} months back ({default_from})"


def page_context(script: str) -> vs.PageContext:
    """Draw the shared sidebar for the page `script` (one of PAGES) and return its view."""
    st.set_page_config(
        page_title="Frontline and diplomacy",
        page_icon=":material/map:",
        layout="wide",
        initial_sidebar_state="auto",
    )
    # The Statements page lists every date unless the range is narrowed (vs.statement_range),
    # so the range's placeholders say so there rather than naming the charts' default months.
    listing_statements = script == STATEMENTS
    navigation = st.sidebar.container()
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
    # The other countings' bundled tables (ISW with Kursk oblast); one that cannot be read is left
    # out of the choices, so a link asking for it warns and shows the default.
    counted_monthly = {}
    for source_id in VIEW_SOURCE_IDS:
        for counting_id in countings.bundled_countings(source_id)[1:]:
            try:
                counted_monthly[source_id, counting_id] = cached.monthly(
                    source_id, cached.bundled_signature(source_id, counting_id), counting_id
                )
            except (FileNotFoundError, ValueError) as error:
                st.error(f"Bundled figures of {source_id} {counting_id} unavailable: {error}")
    choices = vs.Choices(
        months_by_source={
            source: list(monthly["month"]) for source, monthly in monthly_by_source.items()
        },
        stances=store.STANCES,
        actors=cached.actors(database_url),
        countings_by_source={
            source_id: [
                counting_id
                for counting_id in countings.bundled_countings(source_id)
                if counting_id == vs.DEFAULT_COUNTING or (source_id, counting_id) in counted_monthly
            ]
            for source_id in VIEW_SOURCE_IDS
        },
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
            help=" · ".join(
                f"{source_id}: {long_label(source_id)}" for source_id in VIEW_SOURCE_IDS
            ),
        )
        # Options are the URL's own values: a bound selectbox writes the shown text into the link.
        counting = st.selectbox(
            "Counting",
            choices.countings(source),
            key=vs.COUNTING_KEY,
            bind="query-params",
            disabled=len(choices.countings(source)) < 2,
            help=" · ".join(
                f"{counting_id}: {countings.LABELS[counting_id]}"
                for counting_id in countings.BUNDLED_COUNTINGS["isw"]
            )
            + ". With Kursk oblast, the change of the Ukrainian salient there is counted too, as "
            "ISW's own monthly counts do (ISW only). ISW's claimed layer, as AFP counts it, is not "
            f"offered: {countings.CLAIMED_NOT_BUNDLED}.",
        )
        st.caption(countings.LABELS[counting or vs.DEFAULT_COUNTING])
        months = choices.months(source)
        # `to` is decided first (the default range ends there) but shown below `from`.
        from_slot, to_slot = st.container(), st.container()
        to_month = to_slot.selectbox(
            "To month",
            months,
            index=None,
            placeholder=latest_placeholder(months, listing_statements),
            key=vs.TO_KEY,
            bind="query-params",
        )
        from_options = [month for month in months if to_month is None or month <= to_month]
        default_from = vs.default_from_month(from_options)
        from_month = from_slot.selectbox(
            "From month",
            from_options,
            index=None,
            placeholder=earliest_placeholder(default_from, listing_statements),
            key=vs.FROM_KEY,
            bind="query-params",
            help="The Statements page lists every date unless a month is chosen here; the other "
            f"pages show the {vs.DEFAULT_RANGE_MONTHS} months up to the end of the range.",
        )
        range_start = from_month or default_from
        focus_options = [
            month for month in from_options if range_start is None or month >= range_start
        ]
        default_focus = vs.default_focused_month(source, focus_options, choices)
        focused_month = st.selectbox(
            "Focused month",
            focus_options,
            index=None,
            placeholder=f"Latest with figures ({default_focus})" if default_focus else "No months",
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
        chart_scale = st.selectbox(
            "Chart scale",
            vs.SCALES,
            index=None,
            placeholder="Automatic",
            key=vs.SCALE_KEY,
            bind="query-params",
            help="The Overview chart's km² axis: full (every bar whole) or clipped (the tallest "
            "bars cut and labelled with their value). Automatic clips it when one month dwarfs "
            "the others, as spring 2022 does 2023–2026.",
        )

    # The search box is the Statements page's own widget (bound to the URL there); its value reaches
    # the view, hence the share link, from the widget's state, or from the link on a first run.
    search_text = ""
    if listing_statements:
        search_text = st.session_state.get(vs.SEARCH_KEY)
        if search_text is None:
            search_text = st.query_params.get(vs.SEARCH_KEY, "")
    view = vs.parse_view(
        {
            vs.SOURCE_KEY: source,
            vs.COUNTING_KEY: counting or "",
            vs.FROM_KEY: from_month or "",
            vs.TO_KEY: to_month or "",
            vs.MONTH_KEY: focused_month or "",
            vs.STANCE_KEY: selected_stances,
            vs.ACTOR_KEY: selected_actors,
            vs.SEARCH_KEY: search_text,
            vs.SCALE_KEY: chart_scale or "",
        },
        choices,
    ).view
    context = vs.PageContext(
        view=view,
        choices=choices,
        monthly_by_source=monthly_by_source,
        database_url=database_url,
        counted_monthly=counted_monthly,
    )

    for warning in url_warnings:
        st.warning(f"In the link: {literal(warning)}", icon=":material/warning:")
    startup_notice(view.source, monthly_by_source[view.source])
    if config.refresh_interval_seconds():
        cached.scheduled_refreshes(config.refresh_interval_seconds(), sources.store_location())

    # Streamlit's own page list would drop the query string; these links carry the view (the
    # search stays with the Statements page).
    carried = parse_qs(vs.share_query(replace(view, search=""), choices))
    with navigation:
        for page_script, label, icon in PAGES:
            st.page_link(
                page_script,
                label=label,
                icon=icon,
                query_params=carried,
                disabled=page_script == script,
            )
    with st.sidebar:
        base_url = st.context.url or f"/{url_path(script)}"
        st.caption("**Share this view**: copy the link (it holds the page and every filter).")
        st.code(vs.share_link(base_url, view, choices), language=None, wrap_lines=True)

    return context


def url_path(script: str) -> str:
    """The page's path in the URL: "" for the Overview, else the file's name ("map")."""
    return "" if script == OVERVIEW else Path(script).stem
