"""The pages through streamlit.testing.v1.AppTest, always from app.py, on a temporary SQLite store.

Expectations are read from the same bundled monthly table and seeded store the app uses, so the
tests hold whatever months and statements the data has.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import socket
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest
from markdown_support import links_in, shown_text
from streamlit.testing.v1 import AppTest

from app_pages.chart_focus import MARKER_CLASS
from app_pages.statement_cards import CARD_SEPARATOR
from lib import config, freshness, sources, territory
from lib import statements as store
from lib.months import month_label
from lib.sources import compare
from lib.territory import countings, narrative
from lib.view_state import DEFAULT_RANGE_MONTHS, MONTH_KEY

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PAGES = [
    "app.py",
    "pages/map.py",
    "pages/statements.py",
    "pages/data.py",
]
TIMEOUT_SECONDS = 120
SOURCES = ("isw", "deepstate")
CLAIM_CHECK_HEADING = "**Claim check.**"


OFFLINE_BANNER = "Offline: the start-up check for live data got no answer"


def closed_port() -> int:
    """A loopback port nothing listens on: a live source there is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def database_url(tmp_path, monkeypatch) -> str:
    """A fresh seeded SQLite store per test; no editor password and no snapshot folder; an empty
    fetch cache and live sources on a closed loopback port, so no test touches the internet."""
    url = f"sqlite:///{tmp_path / 'statements.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    port = closed_port()
    monkeypatch.setenv("FRONTLINE_ISW_URL", f"http://127.0.0.1:{port}/arcgis")
    monkeypatch.setenv("FRONTLINE_DEEPSTATE_URL", f"http://127.0.0.1:{port}/api")
    monkeypatch.setenv("FRONTLINE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("FRONTLINE_EDITOR_PASSWORD", raising=False)
    monkeypatch.delenv("FRONTLINE_EDITORS", raising=False)
    monkeypatch.delenv("FRONTLINE_SNAPSHOTS", raising=False)
    return url


@pytest.fixture
def seeded(database_url) -> pd.DataFrame:
    return store.query_statements(store.get_engine(database_url))


@pytest.fixture(scope="module")
def isw_monthly() -> pd.DataFrame:
    return territory.read_bundled_monthly("isw")


def run_app(params: dict | None = None, page: str | None = None) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=TIMEOUT_SECONDS)
    for key, value in (params or {}).items():
        app.query_params[key] = value
    if page:
        app.switch_page(page)
    app.run()
    assert not app.exception, [exception.value for exception in app.exception]
    return app


def chart_spec(app: AppTest, index: int = 0) -> dict:
    return json.loads(app.get("plotly_chart")[index].proto.spec)


def bar_months(spec: dict) -> list[str]:
    bars = next(trace for trace in spec["data"] if trace.get("type") == "bar")
    return [custom[0] for custom in bars["customdata"]]


def stance_traces(spec: dict) -> set[str]:
    """The stances that have a statement marker on the chart."""
    return {stance for trace in spec["data"] if trace.get("yaxis") == "y2" for stance in trace["y"]}


def markdown_parts(app: AppTest) -> list[str]:
    """The page's markdown, a month's statement cards (one element) split into cards."""
    return [part for block in app.markdown for part in block.value.split(CARD_SEPARATOR)]


def statement_cards(app: AppTest) -> list[str]:
    """Each statement card under the Overview chart (its claim check included)."""
    return [
        part
        for part in markdown_parts(app)
        if " · " in part and "**" in part and not part.startswith(CLAIM_CHECK_HEADING)
    ]


def in_month(statements: pd.DataFrame, month: str) -> pd.Series:
    return pd.Series(
        [f"{day:%Y-%m}" == month for day in statements["date"]], index=statements.index
    )


def month_with_statements(statements: pd.DataFrame, months: pd.Series) -> str:
    counts = pd.Series([f"{day:%Y-%m}" for day in statements["date"]]).value_counts()
    candidates = [month for month in counts.index if month in set(months)]
    assert candidates, "the seed has no statement inside the bundled months"
    return max(candidates, key=lambda month: (counts[month], month))


def focused_heading(app: AppTest) -> str:
    """The month named in the Overview's heading ("May 2025: territory and talks")."""
    return app.header[0].value.split(":")[0]


def button(app: AppTest, label: str):
    return next(widget for widget in app.button if widget.label == label)


def unlock(app: AppTest, password: str, name: str = "Test Editor") -> None:
    """Give the editor password and a name in the first unlock form on the page."""
    next(box for box in app.text_input if box.label == "Editor password").input(password)
    next(box for box in app.text_input if box.label.startswith("Your name")).input(name)
    button(app, "Unlock editing").click().run()
    assert not app.exception


def sidebar_value(app: AppTest, label: str):
    return next(widget.value for widget in app.sidebar.selectbox if widget.label == label)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_without_exception(database_url, page):
    app = run_app(page=page)
    assert app.title or app.header, f"{page} shows no heading"


@pytest.mark.parametrize("page", PAGES)
def test_missing_bundled_figures_are_reported_not_raised(database_url, tmp_path, monkeypatch, page):
    monkeypatch.setattr(config, "DATA_DIR", tmp_path / "no-data")
    app = run_app(page=page)
    errors = [error.value for error in app.error]
    assert any("monthly_isw.csv: missing" in error for error in errors), errors


def view_months(source_monthly: pd.DataFrame) -> list[str]:
    """The default range of a view: the 24 months up to the latest month of either source."""
    latest = max(territory.read_bundled_monthly(source)["month"].max() for source in SOURCES)
    first = source_monthly["month"].min()
    return [str(month) for month in pd.period_range(first, latest, freq="M")][
        -DEFAULT_RANGE_MONTHS:
    ]


def test_default_view_focuses_the_latest_month_of_the_recent_months(database_url, isw_monthly):
    app = run_app()
    latest = isw_monthly["month"].max()
    assert focused_heading(app) == month_label(latest)
    months = view_months(isw_monthly)
    spec = chart_spec(app)
    assert bar_months(spec) == [month for month in months if month <= latest]
    without = next(trace for trace in spec["data"] if trace["name"] == "No figures")
    assert [custom[0] for custom in without["customdata"]] == [m for m in months if m > latest]
    assert [w.value for w in app.warning if not w.value.startswith(OFFLINE_BANNER)] == []


@pytest.mark.parametrize("page", PAGES)
def test_offline_start_shows_the_bundled_figures_with_their_date_and_a_retry(
    database_url, isw_monthly, page
):
    app = run_app(page=page)
    as_of = isw_monthly["as_of"].dropna().max()
    banners = [w.value for w in app.warning if w.value.startswith(OFFLINE_BANNER)]
    assert banners == [f"{OFFLINE_BANNER}; showing the bundled ISW figures as of {as_of}."]
    button(app, "Retry").click().run()
    assert not app.exception
    assert len([w for w in app.warning if w.value.startswith(OFFLINE_BANNER)]) == 1


def test_offline_banner_names_the_source_in_view(database_url):
    deepstate = territory.read_bundled_monthly("deepstate")
    app = run_app({"source": "deepstate"})
    as_of = deepstate["as_of"].dropna().max()
    banner = f"{OFFLINE_BANNER}; showing the bundled DeepStateMap figures as of {as_of}."
    assert banner in [w.value for w in app.warning]
    assert not [w for w in app.warning if "ISW" in w.value], "no other source named"


def test_statements_after_the_latest_figures_are_pointed_out(database_url, seeded, isw_monthly):
    latest = view_months(isw_monthly)[-1]
    store.add_statement(
        store.get_engine(database_url),
        {
            "date": (pd.Period(latest, freq="M") + 1).start_time.date(),
            "speaker": "Test Speaker",
            "affiliation": "Testland",
            "stance": "proposal",
            "quote": "A statement made after the latest month with figures.",
            "source_url": "https://example.org/later",
        },
        added_by="test",
    )
    later = [day for day in seeded["date"] if f"{day:%Y-%m}" > latest] + [latest]
    app = run_app()
    notes = [caption.value for caption in app.caption if "more statement" in caption.value]
    assert notes == [
        f"{len(later)} more statement(s) date from after {month_label(latest)}, the latest "
        "month with figures: see the Statements page."
    ]
    narrowed = run_app({"to": sorted(isw_monthly["month"])[-2]})
    assert not [caption for caption in narrowed.caption if "more statement" in caption.value]


def test_link_reproduces_the_view(database_url, seeded, isw_monthly):
    month = month_with_statements(seeded, isw_monthly["month"])
    months = sorted(isw_monthly["month"])
    position = months.index(month)
    first, last = months[max(position - 3, 0)], months[min(position + 2, len(months) - 1)]
    stance = seeded[in_month(seeded, month)]["stance"].iloc[0]
    params = {"from": first, "to": last, "month": month, "stance": [stance]}
    app = run_app(params)

    assert sidebar_value(app, "From month") == first
    assert sidebar_value(app, "To month") == last
    assert sidebar_value(app, "Focused month") == month
    assert app.sidebar.multiselect[1].value == [stance]
    spec = chart_spec(app)
    assert bar_months(spec) == months[months.index(first) : months.index(last) + 1]
    assert stance_traces(spec) == {stance.replace("_", " ")}
    expected = seeded[in_month(seeded, month) & (seeded["stance"] == stance)]
    cards = statement_cards(app)
    assert len(cards) == len(expected)
    assert all(stance.replace("_", r"\_") in card for card in cards)
    share = parse_qs(urlsplit(app.sidebar.code[0].value).query)
    assert share == {
        key: value if isinstance(value, list) else [value] for key, value in params.items()
    }


def test_changing_filters_changes_the_figures_and_the_statements(database_url, seeded, isw_monthly):
    app = run_app()
    month = month_with_statements(seeded, isw_monthly["month"])
    app.sidebar.selectbox(key="month").select(month).run()
    assert not app.exception
    row = isw_monthly[isw_monthly["month"] == month].iloc[0]
    assert focused_heading(app) == month_label(month)
    assert app.metric[0].value == f"{row['gained_by_russia_km2']:,.0f} km²"
    assert app.metric[1].value == f"{row['regained_by_ukraine_km2']:,.0f} km²"
    in_month_rows = seeded[in_month(seeded, month)]
    assert len(statement_cards(app)) == len(in_month_rows)

    stance = in_month_rows["stance"].value_counts().index[-1]
    app.sidebar.multiselect(key="stance").select(stance).run()
    assert len(statement_cards(app)) == int((in_month_rows["stance"] == stance).sum())
    assert stance_traces(chart_spec(app)) == {stance.replace("_", " ")}


def test_moving_the_end_of_the_range_moves_the_default_start_with_it(database_url, isw_monthly):
    months = sorted(isw_monthly["month"])
    app = run_app()
    end = months[-13]
    app.sidebar.selectbox(key="to").select(end).run()
    assert not app.exception
    expected = months[: months.index(end) + 1][-DEFAULT_RANGE_MONTHS:]
    assert bar_months(chart_spec(app)) == expected
    assert focused_heading(app) == month_label(end)


def test_actor_filter_matches_an_affiliation(database_url, seeded, isw_monthly):
    month = month_with_statements(seeded, isw_monthly["month"])
    in_month_rows = seeded[in_month(seeded, month)]
    affiliation = in_month_rows["affiliation"].value_counts().index[0]
    app = run_app({"month": month, "actor": affiliation})
    assert app.sidebar.multiselect[0].value == [affiliation]
    assert len(statement_cards(app)) == int((in_month_rows["affiliation"] == affiliation).sum())


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        pytest.param({"month": "2025-13"}, "month='2025-13' is not a month", id="month-13"),
        pytest.param({"month": "garbage"}, "expected YYYY-MM", id="month-word"),
        pytest.param({"from": "1990-01"}, "from=1990-01", id="from-before-data"),
        pytest.param({"to": "2999-12"}, "to=2999-12", id="to-after-data"),
        pytest.param({"source": "bbc"}, "source='bbc'", id="unknown-source"),
        pytest.param({"stance": ["peace"]}, "stance='peace'", id="unknown-stance"),
        pytest.param({"actor": ["Nobody at all"]}, "actor='Nobody at all'", id="unknown-actor"),
        pytest.param({"counting": "sideways"}, "is not a counting", id="unknown-counting"),
        pytest.param({"counting": "claimed"}, "has no claimed layer", id="claimed-not-bundled"),
    ],
)
def test_bad_params_give_a_visible_warning_and_the_default_view(
    database_url, isw_monthly, params, fragment
):
    app = run_app(params)
    warnings = [shown_text(warning.value) for warning in app.warning]
    assert any(fragment in warning for warning in warnings), warnings
    assert focused_heading(app) == month_label(isw_monthly["month"].max())


def test_markdown_in_a_link_parameter_is_shown_as_text(database_url):
    phishing = "[Session expired - sign in again](http://203.0.113.9/login)"
    app = run_app({"source": phishing, "actor": ["visit www.evil.example"]})
    warnings = [warning.value for warning in app.warning]
    assert any(phishing in shown_text(warning) for warning in warnings), warnings
    assert [links_in(warning) for warning in warnings] == [[]] * len(warnings)


@pytest.mark.parametrize("page", PAGES)
def test_bad_params_on_every_page_warn_without_exception(database_url, page):
    app = run_app({"month": "13-2025", "stance": ["nonsense"]}, page=page)
    assert len(app.warning) >= 2


def test_month_after_the_range_falls_back_to_the_range_end(database_url, isw_monthly):
    months = sorted(isw_monthly["month"])
    app = run_app({"to": months[-3], "month": months[-1]})
    assert focused_heading(app) == month_label(months[-3])
    assert any("after the end of the range" in warning.value for warning in app.warning)


def test_deepstate_source_switches_the_figures(database_url):
    deepstate = territory.read_bundled_monthly("deepstate")
    app = run_app({"source": "deepstate"})
    assert bar_months(chart_spec(app)) == view_months(deepstate)


def test_statements_page_searches_and_offers_the_csv(database_url, seeded):
    app = run_app(page="pages/statements.py")
    table = app.dataframe[0].value
    assert len(table) == len(seeded)
    word = seeded["speaker"].value_counts().index[0]
    app.text_input(key="q").input(word).run()
    searched = app.dataframe[0].value
    assert 0 < len(searched) < len(seeded)
    assert app.get("download_button")
    assert any("Read-only" in info.value for info in app.info)


def test_statements_page_follows_the_sidebar_filters(database_url, seeded):
    stance = seeded["stance"].value_counts().index[0]
    app = run_app({"stance": stance}, page="pages/statements.py")
    assert set(app.dataframe[0].value["stance"]) == {stance}


def test_editor_password_unlocks_adding_a_statement(database_url, monkeypatch, isw_monthly):
    monkeypatch.setenv("FRONTLINE_EDITOR_PASSWORD", "open sesame")
    app = run_app(page="pages/statements.py")
    unlock(app, "wrong")
    assert any("Wrong password" in error.value for error in app.error)
    unlock(app, "open sesame", "Test Editor")
    month = isw_monthly["month"].max()
    app.date_input(key="add_date").set_value(pd.Timestamp(f"{month}-15").date())
    app.text_input(key="add_speaker").input("A. Tester")
    app.text_area(key="add_quote").input("We propose a test ceasefire.")
    app.selectbox(key="add_stance").select("proposal")
    button(app, "Add statement").click().run()
    assert not app.exception
    assert any("Added statement" in success.value for success in app.success)
    stored = store.query_statements(store.get_engine(database_url), text="test ceasefire")
    assert list(stored["speaker"]) == ["A. Tester"]
    assert list(stored["added_by"]) == ["Test Editor"]


def test_editor_changes_a_statement_and_the_change_is_stored(database_url, monkeypatch, seeded):
    monkeypatch.setenv("FRONTLINE_EDITOR_PASSWORD", "pw")
    app = run_app(page="pages/statements.py")
    unlock(app, "pw", "Desk Editor")
    target = seeded.iloc[0]
    new_stance = "other" if target["stance"] != "other" else "proposal"
    app.selectbox(key="edit_choice").select(int(target["id"])).run()
    app.selectbox(key=f"edit_{target['id']}_stance").select(new_stance)
    button(app, "Save changes").click().run()
    assert not app.exception
    assert any(f"Saved statement #{target['id']}" in success.value for success in app.success)
    engine = store.get_engine(database_url)
    stored = store.query_statements(engine, text=str(target["quote"])[:40])
    assert list(stored["stance"]) == [new_stance]
    assert store.statement_history(engine, int(target["id"]))[-1]["edited_by"] == "Desk Editor"


@pytest.mark.realdata
def test_editor_reviews_an_article_and_saves_the_accepted_statements(
    database_url, monkeypatch, articles_dir
):
    text = (articles_dir / "2025-03-12_jeddah-ceasefire.txt").read_text()
    monkeypatch.setenv("FRONTLINE_EDITOR_PASSWORD", "pw")
    engine = store.get_engine(database_url)
    before = len(store.query_statements(engine))
    app = run_app(page="pages/statements.py")
    unlock(app, "pw", "Reviewer")
    app.text_area(key="article_source").input(text)
    button(app, "Extract candidates").click().run()
    assert not app.exception
    assert any("candidate(s) from" in caption.value for caption in app.caption)
    button(app, "Save the accepted statements").click().run()
    assert not app.exception
    summary_line = next(success.value for success in app.success if "added" in success.value)
    added = int(re.search(r"(\d+) added", summary_line).group(1))
    after = store.query_statements(engine)
    assert len(after) == before + added
    assert (after["added_by"] == "Reviewer").sum() == added


def test_csv_import_is_all_or_nothing(database_url, monkeypatch):
    monkeypatch.setenv("FRONTLINE_EDITOR_PASSWORD", "pw")
    app = run_app(page="pages/statements.py")
    unlock(app, "pw", "Importer")
    bad = (
        "date,speaker,stance,quote\n"
        "2025-05-01,Good Speaker,proposal,A fine quote\n"
        "2025-13-01,Bad Date,proposal,Another quote\n"
    )
    app.file_uploader(key="import_file").upload("bad.csv", bad.encode(), "text/csv").run()
    assert any("nothing can be imported" in error.value for error in app.error)
    assert app.button(key="import_go").disabled
    engine = store.get_engine(database_url)
    assert store.query_statements(engine, text="A fine quote").empty


def test_map_page_without_geometries_offers_refresh_or_upload(database_url):
    app = run_app(page="pages/map.py")
    info = " ".join(block.value for block in app.info)
    assert "none of ISW (Institute for the Study of War) are cached yet" in info
    assert "Refresh now" in info and "FRONTLINE_SNAPSHOTS" in info
    links = app.main.get("page_link")
    assert [link.proto.label for link in links] == ["Refresh or upload on the Data page"]
    assert links[0].proto.page.endswith("data")
    # Issue 12: the page has geography on a fresh, offline machine.
    spec = chart_spec(app)
    layers = spec["layout"]["map"]["layers"]
    assert [layer.get("type") for layer in layers if layer["sourcetype"] == "geojson"] == [
        "fill",
        "line",
    ]
    assert len(layers[-1]["source"]["features"]) == 27
    assert "Kyiv City" in spec["data"][0]["text"]


def store_archive_weeks(territory_archive: Path, days: list[str]) -> None:
    """Add ISW weekly control maps of the shared archive to the fetch cache, as an upload does."""
    archive = territory_archive / "isw" / "lemonde_weekly_topojson"
    for day in days:
        path = archive / f"{day}_control_map.topojson"
        outcome = sources.store_upload(path.read_bytes(), path.name)
        assert [result.outcome for result in outcome.results.values()] == ["stored"], path


def map_areas(app: AppTest) -> list[str]:
    return [metric.value for metric in app.metric]


def expected_areas(month: str) -> list[str]:
    change = territory.month_change_geometries(sources.cached_snapshots("isw"), month)
    areas = change.groupby("kind")["area_km2"].sum()
    return [
        f"{areas.get(kind, 0):,.0f} km²"
        for kind in ("gained_by_russia", "regained_by_ukraine", "held_by_russia")
    ]


@pytest.mark.realdata
@pytest.mark.parametrize("page", PAGES)
def test_offline_banner_stays_after_an_upload_while_offline(database_url, territory_archive, page):
    """Issue 12: an upload made the banner vanish on every page though still offline."""
    app = run_app(page=page)
    assert [w for w in app.warning if w.value.startswith(OFFLINE_BANNER)]
    store_archive_weeks(territory_archive, ["2025-05-11"])
    app.run()
    assert not app.exception
    assert len([w for w in app.warning if w.value.startswith(OFFLINE_BANNER)]) == 1


@pytest.mark.realdata
def test_map_page_draws_from_the_fetch_cache_and_follows_new_snapshots(
    database_url, territory_archive
):
    store_archive_weeks(territory_archive, ["2025-04-27", "2025-05-11"])
    app = run_app({"month": "2025-05"}, page="pages/map.py")
    first = expected_areas("2025-05")
    assert map_areas(app) == first
    assert any("cached on this server" in caption.value for caption in app.caption)

    store_archive_weeks(territory_archive, ["2025-05-25"])
    app.run()
    assert not app.exception
    assert map_areas(app) == expected_areas("2025-05") != first
    traces = [trace for trace in chart_spec(app)["data"] if trace["name"] != "Oblasts"]
    assert [trace["name"].split(":")[0] for trace in traces] == [
        "Held by Russia (end of month)",
        "Gained by Russia",
        "Regained by Ukraine",
    ]


@pytest.mark.realdata
def test_a_month_with_one_snapshot_is_a_gap_not_zero(database_url, territory_archive):
    store_archive_weeks(territory_archive, ["2025-05-25"])
    app = run_app({"month": "2025-05"}, page="pages/map.py")
    assert map_areas(app)[:2] == ["—", "—"]
    assert map_areas(app)[2].endswith(" km²") and map_areas(app)[2] != "0 km²"
    assert any("May 2025 is a gap" in info.value for info in app.info)


@pytest.fixture
def snapshot_folder(territory_archive, tmp_path, monkeypatch) -> Path:
    """Three months of ISW weekly snapshot files (links into the shared archive)."""
    archive = territory_archive / "isw" / "lemonde_weekly_topojson"
    folder = tmp_path / "snapshots"
    folder.mkdir()
    for file in sorted(archive.glob("2025-0[4-6]-*")):
        (folder / file.name).symlink_to(file)
    assert any(folder.iterdir()), f"{archive}: no 2025 Q2 files"
    monkeypatch.setenv("FRONTLINE_SNAPSHOTS", str(folder))
    monkeypatch.setenv("FRONTLINE_CACHE_DIR", str(tmp_path / "cache"))
    return folder


@pytest.mark.realdata
def test_map_page_draws_the_focused_month_from_snapshot_files(database_url, snapshot_folder):
    app = run_app({"month": "2025-05"}, page="pages/map.py")
    expected = territory.month_change_geometries(
        territory.load_snapshots(snapshot_folder, source="isw"), "2025-05"
    )
    areas = expected.groupby("kind")["area_km2"].sum()
    assert app.metric[0].value == f"{areas['gained_by_russia']:,.0f} km²"
    assert app.metric[1].value == f"{areas['regained_by_ukraine']:,.0f} km²"
    traces = [trace for trace in chart_spec(app)["data"] if trace["name"] != "Oblasts"]
    assert {trace["type"] for trace in traces} == {"choroplethmap"}
    assert [trace["name"].split(":")[0] for trace in traces] == [
        "Held by Russia (end of month)",
        "Gained by Russia",
        "Regained by Ukraine",
    ]


@pytest.mark.realdata
def test_map_page_explains_a_month_the_snapshots_do_not_cover(database_url, snapshot_folder):
    app = run_app({"month": "2024-12", "to": "2025-01"}, page="pages/map.py")
    assert any("No map for Dec 2024" in warning.value for warning in app.warning)
    app = run_app({"source": "deepstate", "month": "2025-05"}, page="pages/map.py")
    assert any("DeepStateMap" in warning.value for warning in app.warning)


def test_data_page_lists_both_sources_and_offers_the_monthly_table(database_url, isw_monthly):
    app = run_app(page="pages/data.py")
    coverage = app.dataframe[0].value
    assert list(coverage["source"]) == ["isw", "deepstate"]
    assert coverage.iloc[0]["as_of"] == str(isw_monthly["as_of"].dropna().max())
    assert len(app.get("download_button")) == 2


def test_data_page_shows_the_focused_window_and_published_figures(database_url):
    app = run_app({"source": "deepstate", "from": "2025-01", "to": "2025-06"}, page="pages/data.py")
    assert not app.exception
    assert any(
        "Jun 2025 compares the snapshots 2025-05-31 → 2025-06-30" in c.value for c in app.caption
    )
    published = next(frame.value for frame in app.dataframe if "reason" in frame.value.columns)
    may = published[(published["publisher"] == "DeepStateMap") & (published["month"] == "2025-05")]
    assert may["published_km2"].iloc[0] == 449
    assert may["difference_km2"].iloc[0] == pytest.approx(may["app_net_km2"].iloc[0] - 449)


SEED_ISW_SENTENCE = "Ukraine has retaken more territory than it has lost for two consecutive months"


def check_a_claim(app: AppTest, sentence: str, said_on: dt.date | None = None) -> AppTest:
    app.text_area(key="claim_check_sentence").input(sentence)
    if said_on is not None:
        app.date_input(key="claim_check_date").set_value(said_on)
    button(app, "Check").click().run()
    assert not app.exception
    return app


def claim_check_blocks(app: AppTest) -> list[str]:
    """The claim checks: the Check-a-claim box's, and each card's (the end of the card)."""
    return [
        part[part.index(CLAIM_CHECK_HEADING) :]
        for part in markdown_parts(app)
        if CLAIM_CHECK_HEADING in part
    ]


def test_check_a_claim_box_gives_both_sources_verdicts_with_months_and_km2(database_url):
    app = check_a_claim(run_app(), SEED_ISW_SENTENCE, dt.date(2026, 6, 3))
    [result] = claim_check_blocks(app)
    lines = result.splitlines()
    assert "Ukraine gained more ground than it lost" in lines[0]
    assert "Apr 2026–May 2026" in lines[0]
    isw = next(line for line in lines if line.startswith("- **ISW**"))
    assert ":gray-badge[cannot be checked]" in isw
    assert r"No ISW figures yet for 2026\-05 \(ISW figures as of 2026\-04\-12\)" in isw
    deepstate = next(line for line in lines if line.startswith("- **DeepStateMap**"))
    assert ":orange-badge[contradicted]" in deepstate
    assert "net Russia ahead by 142 km²" in deepstate
    assert "grey 'unknown status' zone cannot be separated" in deepstate


def test_a_claim_the_reader_cannot_parse_says_so_and_shows_what_was_understood(database_url):
    app = check_a_claim(run_app(), "The front is holding firm in May.")
    assert any("could not be read in full" in warning.value for warning in app.warning)
    [result] = claim_check_blocks(app)
    assert "whose ground and which way\\: ?" in result
    assert "in May" in result
    assert "cannot be checked] against any source" in result


def test_a_battlefield_claim_card_shows_the_verdicts_of_both_sources(database_url, seeded):
    claims_in_june = seeded[(seeded["stance"] == "battlefield_claim") & in_month(seeded, "2026-06")]
    assert SEED_ISW_SENTENCE in " ".join(claims_in_june["quote"])
    app = run_app({"source": "deepstate", "month": "2026-06"})
    blocks = claim_check_blocks(app)
    assert len(blocks) == len(claims_in_june)
    checked = next(block for block in blocks if "Apr 2026–May 2026" in block)
    assert "- **ISW** :gray-badge[cannot be checked]" in checked
    assert "- **DeepStateMap** :orange-badge[contradicted]" in checked


def test_statements_table_has_a_claim_check_column_for_battlefield_claims(database_url, seeded):
    app = run_app(page="pages/statements.py")
    table = app.dataframe[0].value
    claims = table[table["stance"] == "battlefield_claim"]
    assert len(claims) == (seeded["stance"] == "battlefield_claim").sum() > 0
    assert set(table.loc[table["stance"] != "battlefield_claim", "claim_check"]) == {""}
    seed_claim = claims[claims["quote"].str.startswith(SEED_ISW_SENTENCE)]
    assert list(seed_claim["claim_check"]) == [
        "ISW: cannot be checked · DeepStateMap: contradicted"
    ]
    assert all(value.startswith("ISW: ") for value in claims["claim_check"])


def totals_table(app: AppTest) -> dict[str, list[str]]:
    """The totals table as {row name: [ISW cell, DeepStateMap cell]}."""
    block = next(block.value for block in app.markdown if block.value.startswith("| | ISW |"))
    rows = [line.strip("|").split("|") for line in block.splitlines()[2:]]
    return {cells[0].strip(): [cell.strip() for cell in cells[1:]] for cells in rows}


def test_period_totals_of_both_sources_side_by_side_with_the_months_each_lacks(database_url):
    deepstate = territory.read_bundled_monthly("deepstate").set_index("month")
    app = run_app({"from": "2026-04", "to": "2026-05"})
    assert "Totals, Apr 2026–May 2026: both sources" in [s.value for s in app.subheader]
    table = totals_table(app)
    gained = deepstate.loc[["2026-04", "2026-05"], "gained_by_russia_km2"].sum()
    assert table["Gained by Russia"][1] == f"{gained:,.0f} km²"
    assert table["Months without figures"] == ["May 2026", "none"]
    assert table["Months with figures"][0] == "1 of 2 (Apr 2026 partial)"
    assert table["Figures as of"][0] == (
        f"2026-04-12 ({freshness.age_in_words(dt.date(2026, 4, 12))})"
    )


def test_months_where_the_sources_disagree_are_marked_on_the_chart(database_url):
    isw = territory.read_bundled_monthly("isw")
    deepstate = territory.read_bundled_monthly("deepstate")
    months = sorted(isw["month"])[-6:]
    expected = compare.months_with_opposite_leaders(
        compare.side_by_side(isw, deepstate).query("month in @months")
    )
    assert expected, "the bundled figures are expected to disagree in a recent month"
    app = run_app({"from": months[0], "to": months[-1]})
    marks = next(
        trace
        for trace in chart_spec(app)["data"]
        if trace["name"] == "Sources disagree on who was ahead"
    )
    assert [custom[0] for custom in marks["customdata"]] == expected
    assert any("disagree on who came out ahead" in caption.value for caption in app.caption)


@pytest.mark.parametrize("page", ["app.py", "pages/data.py"])
def test_the_age_of_the_figures_is_shown(database_url, isw_monthly, page):
    app = run_app(page=page)
    as_of = freshness.as_of_date(isw_monthly)
    expected = f"ISW figures as of {as_of:%Y-%m-%d} ({freshness.age_in_words(as_of)})"
    assert any(expected in caption.value for caption in app.caption)


def test_a_month_past_the_sources_last_snapshot_shows_no_figures_yet(database_url, isw_monthly):
    after = str(pd.Period(isw_monthly["month"].max(), freq="M") + 1)
    app = run_app({"month": after})
    assert focused_heading(app) == month_label(after)
    assert any(
        info.value.startswith(f"No ISW figures yet for {month_label(after)}: ISW figures as of")
        for info in app.info
    )
    assert not app.metric
    assert [w.value for w in app.warning if not w.value.startswith(OFFLINE_BANNER)] == []


def test_switching_source_keeps_the_focused_month(database_url, isw_monthly):
    after = str(pd.Period(isw_monthly["month"].max(), freq="M") + 1)
    app = run_app({"source": "deepstate", "month": after})
    assert app.metric
    app.sidebar.selectbox(key="source").set_value("isw").run()
    assert not app.exception
    assert focused_heading(app) == month_label(after)
    assert sidebar_value(app, "Focused month") == after


def test_partial_months_are_hatched_on_the_chart(database_url, isw_monthly):
    app = run_app()
    spec = chart_spec(app)
    bars = next(trace for trace in spec["data"] if trace["name"] == "Gained by Russia")
    statuses = isw_monthly.set_index("month")["status"]
    shapes = dict(zip(bar_months(spec), bars["marker"]["pattern"]["shape"], strict=True))
    assert {month for month, shape in shapes.items() if shape == "/"} == {
        month for month in shapes if statuses[month] == "partial"
    }
    assert any(shape == "/" for shape in shapes.values())


def test_the_whole_war_gets_a_clipped_scale_kept_in_the_link(database_url, isw_monthly):
    first = isw_monthly["month"].min()
    app = run_app({"from": first})
    spec = chart_spec(app)
    top = spec["layout"]["yaxis"]["range"][1]
    assert top < isw_monthly["gained_by_russia_km2"].max() / 10
    labels = [a["text"] for a in spec["layout"]["annotations"] if a.get("textangle") == -90]
    assert f"▲ {isw_monthly['gained_by_russia_km2'].max():,.0f}" in labels
    assert "clipped at" in spec["layout"]["yaxis"]["title"]["text"]

    app.sidebar.selectbox(key="scale").select("full").run()
    assert not app.exception
    spec = chart_spec(app)
    assert spec["layout"]["yaxis"]["range"][1] > isw_monthly["gained_by_russia_km2"].max()
    assert parse_qs(urlsplit(app.sidebar.code[0].value).query)["scale"] == ["full"]

    linked = run_app({"from": first, "scale": "full"})
    assert chart_spec(linked)["layout"]["yaxis"]["range"][1] > top


def test_a_bad_scale_in_the_link_warns_and_chooses_automatically(database_url):
    app = run_app({"scale": "logarithmic"})
    assert any("scale='logarithmic' is not a scale" in w.value for w in app.warning)
    assert chart_spec(app)["layout"]["yaxis"]["title"]["text"] == "km²"


def test_hundreds_of_statements_are_one_marker_per_month_and_stance(database_url, seeded):
    assert len(seeded) >= 400
    app = run_app({"source": "deepstate", "from": "2022-04"})
    last = view_months(territory.read_bundled_monthly("deepstate"))[-1]
    months = [f"{day:%Y-%m}" for day in seeded["date"]]
    shown = seeded[[("2022-04" <= month <= last) for month in months]]
    pairs = {
        (f"{day:%Y-%m}", stance) for day, stance in zip(shown["date"], shown["stance"], strict=True)
    }
    markers = next(trace for trace in chart_spec(app)["data"] if trace["name"] == "Statements")
    assert len(markers["x"]) == len(pairs) < len(shown)
    counts = [custom[2] for custom in markers["customdata"]]
    assert sum(counts) == len(shown)
    assert all(
        f"({count})</b>" in custom[1]
        for count, custom in zip(counts, markers["customdata"], strict=True)
    )
    busiest = pd.Series([f"{day:%Y-%m}" for day in shown["date"]]).value_counts().index[0]
    app.sidebar.selectbox(key="month").select(busiest).run()
    assert not app.exception
    assert len(statement_cards(app)) == in_month(shown, busiest).sum()


@pytest.mark.parametrize("page", PAGES)
def test_every_page_draws_the_shared_sidebar_and_links_that_keep_the_view(database_url, page):
    """Issue 12 item 6: the pages sit in pages/ (Streamlit's classic layout, app.py the
    Overview), each drawing the shared sidebar itself, and the page links carry the view."""
    params = {"month": "2025-05", "stance": ["proposal", "rejection"]}
    app = run_app(params, page=page)
    assert sidebar_value(app, "Focused month") == "2025-05"
    links = app.sidebar.get("page_link")
    assert [link.proto.label for link in links] == [
        "Overview",
        "Map",
        "Statements",
        "Data & method",
    ]
    assert [link.proto.page for link in links] == ["", "map", "statements", "data"]
    assert {link.proto.query_string for link in links} == {
        "month=2025-05&stance=proposal&stance=rejection"
    }
    assert [link.proto.disabled for link in links] == [name == page for name in PAGES]


def test_counting_kursk_in_the_link_shows_isw_with_kursk(database_url):
    with_kursk = territory.read_bundled_monthly("isw", counting="kursk")
    row = with_kursk[with_kursk["month"] == "2024-08"].iloc[0]
    params = {"counting": "kursk", "from": "2024-01", "to": "2024-12", "month": "2024-08"}
    app = run_app(params)
    assert sidebar_value(app, "Counting") == "kursk"
    assert app.metric[0].value == f"{row['gained_by_russia_km2']:,.0f} km²"
    assert app.metric[1].value == f"{row['regained_by_ukraine_km2']:,.0f} km²"
    assert app.metric[2].label == narrative.net_label(row["net_change_russia_km2"])
    assert any("Ukraine took" in caption.value for caption in app.caption)
    share = parse_qs(urlsplit(app.sidebar.code[0].value).query)
    assert share == {key: [value] for key, value in params.items()}


def test_choosing_the_counting_in_the_sidebar_changes_the_figures(database_url):
    default = territory.read_bundled_monthly("isw").set_index("month")
    with_kursk = territory.read_bundled_monthly("isw", counting="kursk").set_index("month")
    app = run_app({"from": "2024-01", "to": "2024-12", "month": "2024-09"})
    assert app.metric[1].value == f"{default.loc['2024-09', 'regained_by_ukraine_km2']:,.0f} km²"
    app.sidebar.selectbox(key="counting").select("kursk").run()
    assert not app.exception
    assert app.metric[1].value == (
        f"{with_kursk.loc['2024-09', 'regained_by_ukraine_km2']:,.0f} km²"
    )
    assert "counting=kursk" in app.sidebar.code[0].value


def test_data_page_compares_isw_own_counts_with_the_with_kursk_figures(database_url):
    app = run_app({"counting": "kursk", "from": "2025-10", "to": "2026-04"}, page="pages/data.py")
    assert any("With Kursk oblast (as ISW counts)" in block.value for block in app.markdown)
    published = next(frame.value for frame in app.dataframe if "reason" in frame.value.columns)
    isw = published[published["publisher"] == "ISW"]
    assert len(isw) and (isw["app_counting"] == countings.LABELS["kursk"]).all()
    afp_or_deepstate = published[published["publisher"] != "ISW"]
    assert (afp_or_deepstate["app_counting"] == countings.LABELS["assessed"]).all()
    assert any("no claimed layer" in block.value for block in app.markdown)


def focus_marker(app: AppTest) -> str:
    """The page's marker of the focused month (app_pages/chart_focus.py), as HTML."""
    [marker] = [
        element.proto.body for element in app.get("html") if MARKER_CLASS in element.proto.body
    ]
    return marker


def test_a_month_change_leaves_the_chart_as_it_was_and_moves_the_band(database_url, isw_monthly):
    """The Overview chart's figure does not depend on the focused month, so Streamlit keeps the
    drawn chart on a month change (its element and spec are the same); only the page's marker of
    the focused month, which the band follows, changes."""
    months = sorted(isw_monthly["month"])
    app = run_app({"month": months[-1]})
    before = app.get("plotly_chart")[0].proto
    assert f'data-month="{months[-1]}"' in focus_marker(app)
    app.sidebar.selectbox(key=MONTH_KEY).set_value(months[-3]).run()
    assert not app.exception
    assert focused_heading(app) == month_label(months[-3])
    after = app.get("plotly_chart")[0].proto
    assert (after.id, after.spec) == (before.id, before.spec)
    marker = focus_marker(app)
    start = pd.Period(months[-3], freq="M").start_time
    assert f'data-month="{months[-3]}"' in marker
    assert f'data-start="{start:%Y-%m-%d}"' in marker
    assert f'data-end="{start + pd.offsets.MonthBegin(1):%Y-%m-%d}"' in marker
