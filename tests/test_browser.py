"""What only a browser shows: a share link opened in Debian's Chromium, the chart drawn, the
focused month's statements listed, no exception box, a click on the chart changing the URL (and
one tap on a phone; a swipe over it scrolls a phone's page, a mouse drag moves no axis), the
Data page of an app started offline (banner with the as-of date; no Refresh now for a reader of
a read-only server), and markdown in a link parameter shown as text, not as a link.

Starts `streamlit run app.py` on a free loopback port (stopped afterwards) and saves screenshots
into test-artifacts/ (gitignored).
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from urllib.parse import parse_qs, urlencode, urlsplit

import pandas as pd
import pytest
from browser_support import (
    CHROMIUM,
    REPO_ROOT,
    launch_chromium,
    read_only_offline_app,
    streamlit_server,
)
from conftest import require

from lib import statements as store
from lib import territory
from lib.months import month_label

ARTIFACTS = REPO_ROOT / "test-artifacts"
CHART_TIMEOUT_MS = 90_000
PHISHING = "[Session expired - sign in again](http://203.0.113.9/login) or www.evil.example"


@contextmanager
def offline_app_page(tmp_path, database_url: str | None = None, **chromium_options):
    """A page of Chromium (`chromium_options` as launch_chromium takes them) and the address of a
    fresh read-only offline server of the app: (page, base_url)."""
    require(CHROMIUM.exists(), f"{CHROMIUM} not found: install Debian's chromium package")
    from playwright.sync_api import sync_playwright

    database_url = database_url or f"sqlite:///{tmp_path / 'statements.db'}"
    environment = read_only_offline_app(database_url, tmp_path)
    with (
        streamlit_server(
            REPO_ROOT / "app.py", env=environment, log_path=tmp_path / "server.log"
        ) as base_url,
        sync_playwright() as playwright,
    ):
        context = launch_chromium(playwright, tmp_path / "profile", **chromium_options)
        try:
            yield context.new_page(), base_url
        finally:
            context.close()


def busiest_month(statements: pd.DataFrame, months: list[str]) -> str:
    """The month with figures that has the most statements (latest on a tie)."""
    counts = pd.Series([f"{day:%Y-%m}" for day in statements["date"]]).value_counts()
    candidates = [month for month in counts.index if month in set(months)]
    assert candidates, "no statement falls in a month with figures"
    return max(candidates, key=lambda month: (counts[month], month))


@pytest.mark.browser
def test_share_link_opens_the_view_with_its_statements(tmp_path):
    from playwright.sync_api import expect

    database_url = f"sqlite:///{tmp_path / 'statements.db'}"
    statements = store.query_statements(store.get_engine(database_url))
    isw_monthly = territory.read_bundled_monthly("isw")
    months = sorted(isw_monthly["month"])
    as_of = isw_monthly["as_of"].dropna().max()
    month = busiest_month(statements, months)
    first = months[max(months.index(month) - 5, 0)]
    last = months[min(months.index(month) + 6, len(months) - 1)]
    expected = statements[[f"{day:%Y-%m}" == month for day in statements["date"]]]
    query = urlencode({"from": first, "to": last, "month": month})
    ARTIFACTS.mkdir(exist_ok=True)

    with offline_app_page(tmp_path, database_url) as (page, base_url):
        page.goto(f"{base_url}/?{query}")
        page.wait_for_selector(".main-svg", timeout=CHART_TIMEOUT_MS)
        expect(page.get_by_text(f"Statements in {month_label(month)}")).to_be_visible(
            timeout=CHART_TIMEOUT_MS
        )
        for quote in expected["quote"]:
            fragment = " ".join(str(quote).split()[:6])
            expect(page.get_by_text(fragment, exact=False).first).to_be_visible()
        expect(page.get_by_test_id("stException")).to_have_count(0)
        assert parse_qs(urlsplit(page.url).query)["month"] == [month]
        page.wait_for_timeout(500)
        page.screenshot(path=str(ARTIFACTS / "overview-1280x800.png"))

        page.set_viewport_size({"width": 390, "height": 844})
        page.wait_for_timeout(800)
        page.screenshot(path=str(ARTIFACTS / "overview-390x844.png"))
        page.set_viewport_size({"width": 1280, "height": 800})

        first_bar = page.locator(".main-svg g.trace.bars g.point path").first
        first_bar.scroll_into_view_if_needed()
        first_bar.click(force=True)
        page.wait_for_url(re.compile(rf"[?&]month={first}(&|$)"), timeout=CHART_TIMEOUT_MS)
        expect(page.get_by_text(f"Statements in {month_label(first)}")).to_be_visible(
            timeout=CHART_TIMEOUT_MS
        )
        expect(page.get_by_test_id("stException")).to_have_count(0)

        page.goto(f"{base_url}/data")
        expect(page.get_by_text("ISW and DeepStateMap side by side")).to_be_visible(
            timeout=CHART_TIMEOUT_MS
        )
        expect(page.get_by_text(f"bundled ISW figures as of {as_of}")).to_be_visible()
        # Read-only server: the writes (Refresh now, upload) are not drawn for a reader.
        expect(page.get_by_text("Read-only: editing is off").first).to_be_visible()
        expect(page.get_by_role("button", name="Refresh now")).to_have_count(0)
        expect(page.get_by_test_id("stException")).to_have_count(0)
        page.wait_for_timeout(800)
        for heading, name in [
            ("Live sources", "data-live-sources"),
            ("ISW and DeepStateMap side by side", "data-comparison"),
        ]:
            page.get_by_role("heading", name=heading).evaluate(
                "element => element.scrollIntoView({block: 'start'})"
            )
            page.wait_for_timeout(300)
            page.screenshot(path=str(ARTIFACTS / f"{name}-1280x800.png"))

        # Markdown in a link parameter is shown as text: no phishing link in the warning.
        page.goto(f"{base_url}/?" + urlencode({"source": PHISHING}))
        alert = page.get_by_test_id("stAlert").filter(has_text="Session expired")
        expect(alert).to_be_visible(timeout=CHART_TIMEOUT_MS)
        expect(alert.locator("a")).to_have_count(0)


BARS = ".main-svg g.trace.bars g.point path"
# Whether the point [x, y] of the viewport is on a subplot's drag area, where Plotly takes the
# pointer (not in the gap between the bars' and the statements' rows).
ON_PLOT_DRAG_AREA = "([x, y]) => document.elementFromPoint(x, y).classList.contains('nsewdrag')"


@contextmanager
def last_twelve_months_overview(tmp_path, **chromium_options):
    """The Overview of the last twelve months, focused on the latest, drawn in a fresh server
    and Chromium (`chromium_options` as launch_chromium takes them): (page, first, last)."""
    from playwright.sync_api import expect

    months = sorted(territory.read_bundled_monthly("isw")["month"])
    first, last = months[-12], months[-1]
    with offline_app_page(tmp_path, **chromium_options) as (page, base_url):
        page.goto(f"{base_url}/?" + urlencode({"from": first, "to": last, "month": last}))
        page.locator(BARS).first.wait_for(timeout=CHART_TIMEOUT_MS)
        expect(page.get_by_role("heading", name=f"{month_label(last)}: territory")).to_be_visible(
            timeout=CHART_TIMEOUT_MS
        )
        yield page, first, last


@pytest.mark.browser
def test_one_tap_on_a_bar_focuses_its_month_on_a_phone(tmp_path):
    """Issue 12: on a 390 px touch screen one tap on a month's bar focuses that month (Plotly
    alone selects only on a second tap: app_pages/chart_touch.py)."""
    from playwright.sync_api import expect

    with last_twelve_months_overview(tmp_path, width=390, height=844, phone=True) as (
        page,
        first,
        _,
    ):
        first_bar = page.locator(BARS).first
        first_bar.scroll_into_view_if_needed()
        page.wait_for_timeout(500)
        box = first_bar.bounding_box()
        assert box is not None and box["width"] > 0 and box["height"] > 0
        page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)

        page.wait_for_url(re.compile(rf"[?&]month={first}(&|$)"), timeout=CHART_TIMEOUT_MS)
        expect(page.get_by_role("heading", name=f"{month_label(first)}: territory")).to_be_visible(
            timeout=CHART_TIMEOUT_MS
        )
        expect(page.get_by_test_id("stException")).to_have_count(0)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "overview-after-one-tap-390x844.png"))


# The band's place against the bars: [band's left, band's right, bar's centre] in the viewport, or
# None while no band names the month.
BAND_AND_BAR = """([month, barIndex]) => {
  const band = document.querySelector(`.frontline-focus-band[data-month="${month}"] rect`);
  const bar = document.querySelectorAll(".main-svg g.trace.bars")[0]
    .querySelectorAll("g.point path")[barIndex];
  if (!band || !bar) return null;
  const b = band.getBoundingClientRect(), r = bar.getBoundingClientRect();
  return [b.left, b.right, r.left + r.width / 2];
}"""


@pytest.mark.browser
def test_the_focused_months_band_follows_the_month_and_the_chart_is_not_redrawn(tmp_path):
    """The chart's figure leaves the focus out (app_pages/chart_focus.py draws the band), so a
    month change keeps the drawn chart; the band lies over the focused month's bar, moves with a
    click or the sidebar, and a click on the bar Plotly last selected focuses its month again."""
    from playwright.sync_api import expect

    with last_twelve_months_overview(tmp_path) as (page, first, last):

        def band_is_over_bar(month: str, bar_index: int) -> None:
            page.wait_for_function(
                f"(args) => ({BAND_AND_BAR})(args) !== null", arg=[month, bar_index]
            )
            left, right, centre = page.evaluate(BAND_AND_BAR, [month, bar_index])
            assert left < centre < right, (month, left, centre, right)

        def choose_in_sidebar(month: str) -> None:
            box = page.get_by_test_id("stSelectbox").filter(has_text="Focused month")
            box.locator("input").click()
            page.keyboard.type(month)
            page.keyboard.press("Enter")
            page.wait_for_url(re.compile(rf"[?&]month={month}(&|$)"), timeout=CHART_TIMEOUT_MS)

        band_is_over_bar(last, 11)
        page.evaluate("document.querySelector('.main-svg').frontlineKept = true")

        page.locator(BARS).first.click(force=True)
        page.wait_for_url(re.compile(rf"[?&]month={first}(&|$)"), timeout=CHART_TIMEOUT_MS)
        band_is_over_bar(first, 0)

        choose_in_sidebar(last)
        expect(page.get_by_text(f"Statements in {month_label(last)}")).to_be_visible(
            timeout=CHART_TIMEOUT_MS
        )
        band_is_over_bar(last, 11)
        assert page.evaluate("document.querySelector('.main-svg').frontlineKept === true"), (
            "the chart was drawn again on a month change"
        )

        # Plotly still holds the first bar as selected: this click deselects it in Plotly.
        page.locator(BARS).first.click(force=True)
        page.wait_for_url(re.compile(rf"[?&]month={first}(&|$)"), timeout=CHART_TIMEOUT_MS)
        band_is_over_bar(first, 0)
        expect(page.get_by_test_id("stException")).to_have_count(0)


SWIPE_PX = 250


@pytest.mark.browser
def test_a_swipe_over_the_chart_scrolls_the_page_on_a_phone(tmp_path):
    """Issue 12: on a 390 px touch screen a one-finger swipe up over the Overview's chart scrolls
    the page (Plotly cancels the touch, so app_pages/chart_touch.py scrolls) and focuses no
    month."""
    from playwright.sync_api import expect

    with last_twelve_months_overview(tmp_path, width=390, height=844, phone=True) as (
        page,
        _,
        last,
    ):
        chart = page.locator(".stPlotlyChart").first
        chart.evaluate("element => element.scrollIntoView({block: 'start'})")
        page.wait_for_timeout(500)
        before = chart.bounding_box()
        assert before is not None and before["height"] > 2 * SWIPE_PX

        # Up from the statements' row, in ten steps, as a finger does.
        x, y = before["x"] + before["width"] / 2, before["y"] + before["height"] * 0.8
        assert page.evaluate(ON_PLOT_DRAG_AREA, [x, y])
        touch = page.context.new_cdp_session(page)
        touch.send(
            "Input.dispatchTouchEvent",
            {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]},
        )
        for step in range(1, 11):
            point = {"x": x, "y": y - SWIPE_PX * step / 10}
            touch.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [point]})
        touch.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
        page.wait_for_timeout(1000)

        after = chart.bounding_box()
        assert after is not None
        assert before["y"] - after["y"] >= 0.8 * SWIPE_PX
        assert parse_qs(urlsplit(page.url).query)["month"] == [last]
        expect(page.get_by_test_id("stException")).to_have_count(0)


@pytest.mark.browser
def test_a_mouse_drag_over_the_chart_moves_no_axis_on_a_desktop(tmp_path):
    """Streamlit makes a selectable chart's drag mode "pan": the Overview's axes are fixed, so a
    drag across the plot leaves the months (and the km² scale) where they are."""
    axis_ranges = """element => {
        const layout = element.querySelector(".js-plotly-plot")._fullLayout;
        return [layout.xaxis.range, layout.yaxis.range, layout.yaxis2.range];
    }"""
    with last_twelve_months_overview(tmp_path) as (page, _, last):
        chart = page.locator(".stPlotlyChart").first
        chart.scroll_into_view_if_needed()
        page.wait_for_timeout(500)
        before = chart.evaluate(axis_ranges)
        box = chart.bounding_box()
        assert box is not None
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] * 0.3
        assert page.evaluate(ON_PLOT_DRAG_AREA, [x, y])
        page.mouse.move(x, y)
        page.mouse.down()
        page.mouse.move(x + 200, y - 100, steps=10)
        page.mouse.up()
        page.wait_for_timeout(500)

        assert chart.evaluate(axis_ranges) == before
        assert parse_qs(urlsplit(page.url).query)["month"] == [last]


FIRST_REQUEST_LINKS = [
    pytest.param(
        "",
        {"month": "2025-05", "stance": "proposal"},
        "May 2025: territory and talks",
        id="overview",
    ),
    pytest.param(
        "map",
        {"month": "2025-05", "source": "deepstate"},
        "DeepStateMap · May 2025",
        id="map",
    ),
    pytest.param(
        "statements", {"q": "Istanbul", "from": "2025-01"}, 'matching "Istanbul"', id="statements"
    ),
    pytest.param(
        "data",
        {"source": "deepstate", "from": "2025-01", "to": "2025-06"},
        "Jun 2025 compares the snapshots 2025-05-31",
        id="data",
    ),
]


@pytest.mark.browser
@pytest.mark.parametrize(("path", "params", "shown"), FIRST_REQUEST_LINKS)
def test_each_pages_share_link_works_as_the_first_request_to_a_fresh_server(
    tmp_path, path, params, shown
):
    """Issue 12 item 6: with the pages in pages/, a share link opened first on a fresh server
    runs that page with the link's filters (the shared sidebar drawn by the page itself)."""
    from playwright.sync_api import expect

    with offline_app_page(tmp_path) as (page, base_url):
        page.goto(f"{base_url}/{path}?{urlencode(params)}")
        expect(page.get_by_text(shown, exact=False).first).to_be_visible(timeout=CHART_TIMEOUT_MS)
        share_link = page.get_by_test_id("stSidebar").locator("code").first
        for key, value in params.items():
            expect(share_link).to_contain_text(urlencode({key: value}), timeout=CHART_TIMEOUT_MS)
        expect(page.get_by_test_id("stException")).to_have_count(0)
        assert parse_qs(urlsplit(page.url).query) == {key: [value] for key, value in params.items()}
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"first-request-{path or 'overview'}.png"))


SEED_ISW_SENTENCE = "Ukraine has retaken more territory than it has lost for two consecutive months"


@pytest.mark.browser
def test_claim_check_and_both_sources_totals_at_desktop_and_phone_widths(tmp_path):
    """The April–May 2026 totals of both sources and the seed's ISW sentence checked in the
    Overview's box, screenshotted at 1280 and 390 px."""
    from playwright.sync_api import expect

    ARTIFACTS.mkdir(exist_ok=True)
    with offline_app_page(tmp_path) as (page, base_url):
        page.goto(f"{base_url}/?from=2026-04&to=2026-05")
        page.wait_for_selector(".main-svg", timeout=CHART_TIMEOUT_MS)
        totals = page.get_by_role("heading", name="Totals, Apr 2026–May 2026: both sources")
        expect(totals).to_be_visible(timeout=CHART_TIMEOUT_MS)
        table = page.locator("table").filter(has_text="Months without figures")
        expect(table).to_contain_text("DeepStateMap")
        expect(table.locator("tr").filter(has_text="Months without figures")).to_contain_text(
            "May 2026"
        )

        box = page.get_by_test_id("stForm")
        box.get_by_role("textbox").first.fill(SEED_ISW_SENTENCE)
        date_box = box.get_by_test_id("stDateInput").locator("input")
        date_box.fill("2026-06-03")
        date_box.press("Enter")
        box.get_by_role("button", name="Check").click()
        result = page.get_by_text("Claim check.", exact=False).last
        expect(result).to_be_visible(timeout=CHART_TIMEOUT_MS)
        expect(page.get_by_text("No ISW figures yet for 2026-05")).to_be_visible()
        expect(page.get_by_text("contradicted").last).to_be_visible()
        expect(page.get_by_test_id("stException")).to_have_count(0)

        for width, height in ((1280, 800), (390, 844)):
            page.set_viewport_size({"width": width, "height": height})
            page.wait_for_timeout(800)
            totals.evaluate("element => element.scrollIntoView({block: 'start'})")
            page.wait_for_timeout(300)
            page.screenshot(path=str(ARTIFACTS / f"totals-apr-may-2026-{width}px.png"))
            box.evaluate("element => element.scrollIntoView({block: 'start'})")
            page.wait_for_timeout(300)
            page.screenshot(
                path=str(ARTIFACTS / f"claim-check-isw-sentence-{width}px.png"),
                full_page=False,
            )
