"""Feeds into the review queue, against a real HTTP server on 127.0.0.1 (tests/feed_server.py).

Every fault case checks what the refresh reports for the feed and that the store and the queue
are left consistent (`assert_consistent`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import json
from collections.abc import Iterator

import pandas as pd
import pytest
import sqlalchemy as sa

from lib import feeds
from lib import statements as store
from lib.charts import net_gains
from lib.diplomacy_chart import diplomacy_volume
from lib.feeds import gdelt, queue
from lib.feeds.__main__ import main
from lib.feeds.web import FEED_SETTINGS, PAGE_SETTINGS
from lib.statements import migrations
from lib.statements.engines import create_engine, preparing
from tests.feed_server import (
    GDELT,
    GDELT_RATE_LIMIT,
    HUGE_PATH,
    KREMLIN_NEWS,
    KREMLIN_TRANSCRIPTS,
    PDF_PATH,
    UN_FEED,
    Fault,
    FeedServer,
    closed_port,
    serving_feeds,
)

TODAY = dt.date(2026, 11, 24)
PAUSE_SECONDS = 0.2
FAST = feeds.RefreshSettings(
    feed_http=dataclasses.replace(
        FEED_SETTINGS, backoff_base_seconds=0.01, read_timeout_seconds=0.5, min_interval_seconds=0
    ),
    page_http=dataclasses.replace(
        PAGE_SETTINGS, backoff_base_seconds=0.01, read_timeout_seconds=0.5, min_interval_seconds=0
    ),
    gdelt_pause_seconds=PAUSE_SECONDS,
)
# What the served feeds hold: the candidates a first refresh queues, by feed.
EXPECTED = {
    "kremlin": {
        ("Vladimir Putin", "proposal"),
        ("Dmitry Peskov", "condition"),
        ("Dmitry Peskov", "other"),
    },
    "un": {("António Guterres", "openness"), ("Andrii Sybiha", "rejection")},
    # Putin's words reported again by the news site are a duplicate of the Kremlin's candidate.
    "gdelt": {("Hakan Fidan", "proposal")},
}
# GDELT refreshed on its own: the news site's report of Putin's words is the first one queued.
GDELT_ALONE = EXPECTED["gdelt"] | {("Vladimir Putin", "proposal")}


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with serving_feeds() as server:
        yield server


@pytest.fixture
def feeds_on_server(server, tmp_path, monkeypatch) -> FeedServer:
    """Every feed pointed at the local server; the fetch cache in a temporary folder."""
    monkeypatch.setenv("FRONTLINE_KREMLIN_FEED_URL", server.kremlin_urls)
    monkeypatch.setenv("FRONTLINE_UN_FEED_URL", server.un_url)
    monkeypatch.setenv("FRONTLINE_GDELT_URL", server.gdelt_url)
    monkeypatch.setenv("FRONTLINE_CACHE_DIR", str(tmp_path / "cache"))
    return server


@pytest.fixture
def engine(feeds_on_server, tmp_path, monkeypatch) -> sa.Engine:
    """An empty store on a temporary SQLite file."""
    url = f"sqlite:///{tmp_path / 'statements.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    return store.get_engine(url, seed=False)


def refresh(engine: sa.Engine, *feed_names: str) -> dict[str, feeds.FeedReport]:
    reports = feeds.refresh(
        engine, feeds=feed_names or feeds.FEED_NAMES, settings=FAST, today=lambda: TODAY
    )
    return {report.feed: report for report in reports}


def queued(engine: sa.Engine, feed: str | None = None) -> set[tuple[str, str]]:
    table = feeds.list_queue(engine, statuses=())
    if feed:
        table = table[table["feed"] == feed]
    return set(zip(table["speaker"], table["stance"], strict=True))


def assert_consistent(engine: sa.Engine, statements_before: int) -> None:
    """Refreshes never write statements; every candidate has its article and valid offsets;
    approved ones point at a stored statement; no statement is pending twice."""
    stored = store.query_statements(engine)
    approved = feeds.list_queue(engine, statuses=(feeds.APPROVED,))
    assert len(stored) == statements_before + len(approved)
    assert set(approved["statement_id"]) <= set(stored["id"])
    with engine.connect() as connection:
        rows = connection.execute(
            sa.select(
                queue.feed_candidates.c.char_start,
                queue.feed_candidates.c.char_end,
                queue.feed_candidates.c.quote,
                queue.feed_articles.c.text,
            ).join(
                queue.feed_articles,
                queue.feed_articles.c.id == queue.feed_candidates.c.article_id,
                isouter=True,
            )
        ).all()
    for start, end, quote, text in rows:
        assert text is not None, "a candidate without its article"
        assert text[start:end] == quote
    pending = feeds.list_queue(engine).to_dict("records")
    for index, first in enumerate(pending):
        for second in pending[index + 1 :]:
            assert not queue.same_statement(first, second), (first["quote"], second["quote"])


def test_a_refresh_queues_the_expected_candidates_once(engine):
    reports = refresh(engine)
    for feed, expected in EXPECTED.items():
        assert queued(engine, feed) == expected, feed
        assert reports[feed].queued == len(expected)
    assert reports["kremlin"].repeated == 1  # the transcript is in both Kremlin feeds
    assert reports["kremlin"].not_about_war == 1
    assert reports["gdelt"].duplicates == 1
    assert reports["un"].unreadable == 1 and reports["un"].failed == 1  # the PDF, the 10 MB page
    before = feeds.list_queue(engine, statuses=())
    again = refresh(engine)
    assert sum(report.queued for report in again.values()) == 0
    pd.testing.assert_frame_equal(feeds.list_queue(engine, statuses=()), before)
    assert_consistent(engine, 0)


@pytest.mark.postgres
def test_the_queue_on_postgresql(feeds_on_server, postgres_schema_url):
    engine = store.get_engine(postgres_schema_url, seed=False)
    refresh(engine)
    assert refresh(engine)["kremlin"].queued == 0
    assert queued(engine) == EXPECTED["kremlin"] | EXPECTED["un"] | EXPECTED["gdelt"]
    first = feeds.list_queue(engine).iloc[0]
    approval = feeds.approve(engine, int(first["id"]), reviewer="PG Editor")
    assert list(store.query_statements(engine)["added_by"]) == ["PG Editor"]
    assert approval.newly_added
    assert_consistent(engine, 0)


def test_an_existing_database_gains_the_queue_through_its_migration(feeds_on_server, tmp_path):
    """A store made before the queue (revision 0002) keeps its rows and gets the queue tables."""
    url = f"sqlite:///{tmp_path / 'older.db'}"
    older = create_engine(url)
    with preparing(older) as connection:
        migrations.upgrade(connection, "0002")
    older.dispose()
    with sa.create_engine(url).begin() as connection:
        assert not sa.inspect(connection).has_table("feed_candidates")
    engine = store.get_engine(url)
    seeded = len(store.query_statements(engine))
    with engine.connect() as connection:
        assert migrations.current_revision(connection) == migrations.head_revision()
    assert refresh(engine, "un")["un"].queued == 2
    assert_consistent(engine, seeded)


def test_approving_a_candidate_adds_exactly_one_statement_with_the_approver(engine):
    refresh(engine)
    pending = feeds.list_queue(engine)
    putin = pending[pending["speaker"] == "Vladimir Putin"].iloc[0]
    approval = feeds.approve(engine, int(putin["id"]), reviewer="Desk Editor")
    stored = store.query_statements(engine)
    assert len(stored) == 1 and approval.newly_added
    row = stored.iloc[0]
    assert (row["id"], row["added_by"]) == (approval.statement_id, "Desk Editor")
    assert (row["speaker"], row["quote"]) == (putin["speaker"], putin["quote"])
    assert row["source_url"].endswith("/kremlin/events/president/news/70001")
    reviewed = feeds.list_queue(engine, statuses=(feeds.APPROVED,)).iloc[0]
    assert (reviewed["reviewed_by"], reviewed["statement_id"]) == ("Desk Editor", row["id"])
    with pytest.raises(feeds.QueueError, match="already approved by Desk Editor"):
        feeds.approve(engine, int(putin["id"]), reviewer="Second Editor")
    assert len(store.query_statements(engine)) == 1
    assert_consistent(engine, 0)


def test_an_approval_is_validated_by_the_store_and_may_carry_edits(engine):
    refresh(engine, "un")
    guterres = feeds.list_queue(engine).iloc[0]
    with pytest.raises(store.StatementError, match="stance"):
        feeds.approve(engine, int(guterres["id"]), reviewer="Editor", changes={"stance": "vague"})
    assert store.query_statements(engine).empty
    assert int(guterres["id"]) in set(feeds.list_queue(engine)["id"])  # still pending
    feeds.approve(
        engine,
        int(guterres["id"]),
        reviewer="Editor",
        changes={"stance": "proposal", "mediators": ["United Nations"]},
    )
    stored = store.query_statements(engine).iloc[0]
    assert (stored["stance"], stored["mediators"]) == ("proposal", ["United Nations"])
    assert_consistent(engine, 0)


def test_an_approval_of_a_statement_already_stored_links_to_it(engine):
    refresh(engine, "un")
    sybiha = feeds.list_queue(engine).to_dict("records")[1]
    record = {name: sybiha[name] for name in store.RECORD_FIELDS}
    existing = store.add_statement(engine, record, added_by="Hand Editor")
    approval = feeds.approve(engine, int(sybiha["id"]), reviewer="Queue Editor")
    assert (approval.statement_id, approval.newly_added) == (existing, False)
    assert len(store.query_statements(engine)) == 1


def test_reviewed_statements_are_never_queued_again(engine, server):
    refresh(engine, "kremlin", "un")
    pending = feeds.list_queue(engine).set_index("speaker")
    feeds.approve(engine, int(pending.loc["Vladimir Putin", "id"]), reviewer="A")
    feeds.review(engine, int(pending.loc["António Guterres", "id"]), feeds.REJECTED, reviewer="B")
    feeds.review(engine, int(pending.loc["Andrii Sybiha", "id"]), feeds.OFF_TOPIC, reviewer="C")
    # The same pages again under new URLs (tracking parameters), listed by GDELT: read again,
    # but their statements are the reviewed ones, so nothing is queued.
    server.extra_gdelt_articles = [
        {
            "url": f"{server.base}{path}?utm_source=wire",
            "title": "Republished",
            "seendate": "20261123T090000Z",
            "domain": "wire.test",
        }
        for path in ("/kremlin/events/president/news/70001", "/un/press/2026/sgsm30001")
    ]
    report = refresh(engine, "gdelt")["gdelt"]
    assert report.read == 3
    assert queued(engine, "gdelt") == EXPECTED["gdelt"]
    assert report.duplicates == 1 + 1 + 2  # Putin via the news site and the copy; Guterres, Sybiha
    assert len(feeds.list_queue(engine, statuses=(feeds.REJECTED,))) == 1
    assert_consistent(engine, 0)


def test_statements_already_in_the_store_are_not_queued(engine):
    """Same speaker, a date within three days and a similar quote count as the same statement."""
    store.add_statement(
        engine,
        {
            "date": "2026-11-19",
            "speaker": "Andrii Sybiha",
            "stance": "rejection",
            "quote": "Ukraine rejects any talks held under the threat of new strikes",
            "source_url": "https://example.test/earlier",
        },
        added_by="Hand Editor",
    )
    report = refresh(engine, "un")["un"]
    assert queued(engine, "un") == {("António Guterres", "openness")}
    assert report.duplicates == 1
    assert_consistent(engine, 1)


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        (
            "a ceasefire could only follow a written agreement",
            "A ceasefire could only follow a written agreement on monitoring",
            True,
        ),
        (
            "Russia was ready to resume talks in Istanbul",
            "Russia is ready to resume the talks in Istanbul soon",
            True,
        ),
        (
            "Russia was ready to resume talks in Istanbul",
            "The harvest in Tula was good this year",
            False,
        ),
    ],
    ids=["contained", "reworded", "different"],
)
def test_similar_quotes(first, second, same):
    assert queue.similar_quotes(first, second) is same


def test_a_repeating_feed_queues_each_item_once(engine, server):
    server.repeat_items = True
    reports = refresh(engine, "kremlin", "un")
    # The first entry of each document twice, and the transcript in both Kremlin documents.
    assert reports["kremlin"].repeated == 3 and reports["un"].repeated == 1
    assert queued(engine) == EXPECTED["kremlin"] | EXPECTED["un"]
    assert_consistent(engine, 0)


def test_a_pdf_is_unreadable_and_a_10_mb_page_is_abandoned_then_given_up(engine, server):
    first = refresh(engine, "un")["un"]
    assert any(f"{PDF_PATH}: the page is a PDF document" in p for p in first.problems)
    assert any(f"{HUGE_PATH}: response is over the 5,242,880-byte cap" in p for p in first.problems)
    for _ in range(queue.MAX_ARTICLE_ATTEMPTS - 1):
        refresh(engine, "un")
    pages_read = [path for path in server.paths("/un/press/") if HUGE_PATH in path]
    assert len(pages_read) == queue.MAX_ARTICLE_ATTEMPTS
    last = refresh(engine, "un")["un"]
    assert (last.read, last.failed, last.seen_before) == (0, 0, 3)
    assert (
        queue.known_articles(engine, [f"{server.base}{HUGE_PATH}"])[f"{server.base}{HUGE_PATH}"][0]
        == queue.UNREADABLE
    )
    assert_consistent(engine, 0)


def test_an_article_that_fails_now_is_queued_by_a_later_refresh(engine, server):
    server.faults.append(Fault("status", "/un/press/2026/sgsm30001", times=2, status=503))
    report = refresh(engine, "un")["un"]
    assert report.failed == 2 and "HTTP 503" in " ".join(report.problems)
    assert queued(engine, "un") == set()
    assert refresh(engine, "un")["un"].queued == 2
    assert_consistent(engine, 0)


FEED_FAULTS = [
    pytest.param(
        "un",
        [Fault("delay", UN_FEED, times=5, seconds=1.5)],
        "no response within 0.5 s (gave up after 3 attempts)",
        id="timeout",
    ),
    pytest.param(
        "kremlin",
        [Fault("status", KREMLIN_NEWS, times=5, status=500)],
        "HTTP 500 Internal Server Error (gave up after 3 attempts)",
        id="500s",
    ),
    pytest.param(
        "un",
        [Fault("truncate", UN_FEED)],
        "the feed's XML breaks off at line",
        id="truncated-xml",
    ),
    pytest.param(
        "kremlin",
        [Fault("html", KREMLIN_TRANSCRIPTS)],
        "got an HTML page instead of a feed ('502 Bad Gateway')",
        id="html-as-200",
    ),
    pytest.param(
        "gdelt",
        [Fault("status", GDELT, times=5, status=429, body=GDELT_RATE_LIMIT)],
        "HTTP 429 Too Many Requests (gave up after 3 attempts)",
        id="gdelt-429-throughout",
    ),
    pytest.param(
        "gdelt",
        [Fault("truncate", "mode=artlist")],
        "JSON ends early",
        id="gdelt-truncated-json",
    ),
    pytest.param(
        "gdelt",
        [Fault("html", "mode=artlist")],
        "got an HTML page instead of JSON",
        id="gdelt-html-as-200",
    ),
]


@pytest.mark.parametrize(("feed", "faults", "message"), FEED_FAULTS)
def test_a_feed_that_cannot_be_read_is_reported_and_changes_nothing(
    engine, server, feed, faults, message
):
    server.faults.extend(faults)
    report = refresh(engine, feed)[feed]
    assert not report.ok
    assert any(message in problem for problem in report.problems), report.problems
    assert_consistent(engine, 0)
    # What was listed still comes in from the other Kremlin document; the failed one next time.
    server.faults.clear()
    refresh(engine, feed)
    assert queued(engine, feed) == (GDELT_ALONE if feed == "gdelt" else EXPECTED[feed])
    assert_consistent(engine, 0)


def test_a_refused_connection_is_reported_per_feed(engine, monkeypatch):
    monkeypatch.setenv("FRONTLINE_UN_FEED_URL", f"http://127.0.0.1:{closed_port()}/rss.xml")
    reports = refresh(engine, "un", "kremlin")
    assert "cannot connect (Connection refused)" in " ".join(reports["un"].problems)
    assert reports["kremlin"].ok and queued(engine) == EXPECTED["kremlin"]
    assert_consistent(engine, 0)


def test_one_kremlin_document_failing_does_not_stop_the_other(engine, server):
    server.faults.append(Fault("status", KREMLIN_NEWS, times=5, status=500))
    report = refresh(engine, "kremlin")["kremlin"]
    assert len(report.problems) == 1
    assert queued(engine) == {("Dmitry Peskov", "condition"), ("Dmitry Peskov", "other")}


@pytest.mark.parametrize(
    "fault",
    [
        Fault(
            "status",
            "mode=artlist",
            status=429,
            body=GDELT_RATE_LIMIT,
            headers={"Retry-After": "1"},
        ),
        Fault("status", "mode=artlist", status=429, body=GDELT_RATE_LIMIT),
        Fault("rate_limit_200", "mode=artlist"),
    ],
    ids=["429-retry-after", "429-without-retry-after", "slow-down-text-as-200"],
)
def test_gdelt_rate_limits_are_waited_out(engine, server, fault):
    server.faults.append(fault)
    report = refresh(engine, "gdelt")["gdelt"]
    assert report.ok and queued(engine) == GDELT_ALONE
    calls = [stamp for stamp, path in server.requests if path.startswith(GDELT)]
    assert len(calls) == 3  # the refused list, the list again, the timeline
    wait = float(fault.headers.get("Retry-After", PAUSE_SECONDS))
    assert calls[1] - calls[0] >= wait
    assert calls[2] - calls[1] >= PAUSE_SECONDS


def test_gdelt_calls_keep_the_pause_and_a_full_list_is_walked_on(engine, server):
    """250 records is GDELT's most per call: the next call starts where the last one ended."""
    server.extra_gdelt_articles = [
        {
            "url": f"{server.base}/news/other-{number}",
            "title": f"Other {number}",
            "seendate": f"202611{21 + number // 200:02d}T{number % 24:02d}{number % 60:02d}00Z",
            "domain": "other.test",
        }
        for number in range(300)
    ]
    report = refresh(engine, "gdelt")["gdelt"]
    assert report.listed == 301 and report.not_about_war == 300
    calls = [stamp for stamp, path in server.requests if path.startswith(GDELT)]
    assert len(calls) == 3
    assert all(later - earlier >= PAUSE_SECONDS for earlier, later in itertools.pairwise(calls))
    assert gdelt.GDELT_PAUSE_SECONDS == 5.0


def test_the_diplomacy_series_sums_gdelt_days_into_months(engine):
    report = refresh(engine, "gdelt")["gdelt"]
    series = feeds.read_series()
    assert report.series_months == len(series) == 58  # Feb 2022 … Nov 2026
    november = series.set_index("month").loc["2026-11"]
    days = range(1, TODAY.day + 1)
    assert november["articles"] == sum(day % 5 for day in days)
    assert november["all_articles"] == 100_000 * len(days)
    assert november["per_10k"] == pytest.approx(november["articles"] / len(days) / 10)


def test_a_failed_series_refresh_keeps_the_cached_series(engine, server):
    refresh(engine, "gdelt")
    before = feeds.read_series()
    server.faults.append(Fault("status", "mode=timelinevolraw", times=5, status=500))
    report = refresh(engine, "gdelt")["gdelt"]
    assert any("diplomacy series not updated" in problem for problem in report.problems)
    pd.testing.assert_frame_equal(feeds.read_series(), before)


def test_the_series_chart_shares_the_territorial_month_axis(engine):
    refresh(engine, "gdelt")
    months = [f"2025-{month:02d}" for month in range(1, 13)]
    monthly = pd.DataFrame(
        {
            "month": months,
            "gained_by_russia_km2": 1.0,
            "regained_by_ukraine_km2": 1.0,
            "net_change_russia_km2": 0.0,
        }
    )
    territorial = net_gains(monthly, store.query_statements(engine))
    figure = diplomacy_volume(feeds.read_series(), months)
    assert list(figure.data[0].x) == list(territorial.data[0].x)
    assert list(figure.layout.xaxis.range) == list(territorial.layout.xaxis.range)
    assert figure.layout.margin.l == territorial.layout.margin.l
    assert "GDELT" in " ".join(annotation.text for annotation in figure.layout.annotations)


def test_cli_refresh_status_and_queue(engine, capsys):
    assert main(["refresh", "--feed", "un", "--since", "2026-11-01"]) == 1  # PDF, 10 MB page
    output = capsys.readouterr().out
    assert output.startswith("un: listed 3 (0 repeated, 0 seen before), read 1: queued 2")
    assert "problem:" in output
    assert main(["queue", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {row["speaker"] for row in rows} == {"António Guterres", "Andrii Sybiha"}
    assert main(["queue", "--format", "csv", "--status", "approved"]) == 0
    assert capsys.readouterr().out.splitlines() == [",".join(queue.QUEUE_COLUMNS)]
    assert main(["status"]) == 0
    status = capsys.readouterr().out
    assert "un (" in status and "2 pending" in status and "never refreshed" in status
    with pytest.raises(SystemExit) as exit_status:
        main(["refresh", "--since", "November"])
    assert exit_status.value.code == 2
    assert "'November' is not a date in the form YYYY-MM-DD" in capsys.readouterr().err
