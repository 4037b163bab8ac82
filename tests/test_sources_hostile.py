"""Live sources and the HTTP client against a misbehaving service on loopback
(tests/hostile_server.py): every answer is bounded in time and memory, one bad snapshot fails
alone, redirects stay within the origin asked."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator

import pytest
from fixture_server import serving
from hostile_server import GOOD_ID, HostileHandler

from lib.http import ARTICLE_SETTINGS, FetchError, HttpClient, HttpSettings
from lib.sources import updater
from lib.sources.cache import open_store
from lib.sources.isw import MAX_FEATURES_PER_QUERY, IswSource

FAST = HttpSettings(attempts=1, min_interval_seconds=0, read_timeout_seconds=5)


@pytest.fixture
def hostile(monkeypatch) -> Iterator[str]:
    monkeypatch.setattr(HostileHandler, "trickle_interval", 0.05)
    monkeypatch.setattr(HostileHandler, "trickle_seconds", 30.0)
    monkeypatch.setattr(HostileHandler, "bomb_bytes", 1024**3)
    monkeypatch.setattr(HostileHandler, "deep_levels", 100_000)
    with serving(HostileHandler) as base_url:
        yield base_url


def test_a_trickling_answer_ends_at_the_deadline(hostile):
    client = HttpClient(dataclasses.replace(FAST, deadline_seconds=1.0))
    with pytest.raises(FetchError, match=r"/trickle: no complete response within the 1-second"):
        client.get_json(hostile + "/trickle")


def test_a_refresh_of_a_trickling_service_ends_at_its_deadline_and_is_recorded(
    hostile, tmp_path, monkeypatch
):
    monkeypatch.setenv("FRONTLINE_DEEPSTATE_URL", hostile + "/trickle")
    summary = updater.refresh(
        "deepstate", client=HttpClient(FAST), cache_root=tmp_path, deadline_seconds=1.0
    )
    assert summary.unreachable == ["deepstate"]
    assert "the refresh's deadline" in " ".join(summary.problems)
    assert open_store("deepstate", tmp_path).contents().last_refresh["failed"] == 1


def test_a_gzip_bomb_stops_at_the_cap(hostile):
    client = HttpClient(ARTICLE_SETTINGS)
    with pytest.raises(FetchError, match=r"over the 10,485,760-byte cap"):
        client.get_html(hostile + "/gzip-bomb")


def test_json_nested_a_hundred_thousand_deep_is_a_fetch_error(hostile):
    with pytest.raises(FetchError, match="nested too deeply"):
        HttpClient(FAST).get_json(hostile + "/deep")


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        pytest.param(
            "integer-host",
            r"redirected to 'http://2130706433:\d+/deep', outside",
            id="integer-host",
        ),
        pytest.param("file", r"redirected to 'file:///etc/passwd'; only http\(s\)", id="file"),
        pytest.param("malformed", "redirected to a malformed address", id="malformed"),
    ],
)
def test_redirects_leaving_the_origin_are_refused(hostile, kind, message):
    with pytest.raises(FetchError, match=message):
        HttpClient(FAST).get_json(f"{hostile}/redirect/{kind}")


def test_a_redirect_within_the_origin_is_followed(hostile):
    assert HttpClient(FAST).get_json(hostile + "/redirect/same-origin") == {"arrived": True}


def test_endless_arcgis_paging_is_cut_per_snapshot(hostile, tmp_path):
    HostileHandler.pages_served = 0
    source = IswSource(
        HttpClient(FAST), base_url=hostile + "/arcgis", history_layer="H/0", live_layer=None
    )
    [remote] = source.list_dates()
    with pytest.raises(FetchError, match="still says there are more; stopped"):
        source.fetch_snapshot(remote)
    pages_allowed = MAX_FEATURES_PER_QUERY // HostileHandler.features_per_page
    assert HostileHandler.pages_served <= pages_allowed


def test_a_bad_snapshot_fails_alone_and_the_refresh_is_recorded(hostile, tmp_path, monkeypatch):
    """NaN coordinates, JSON nested 100,000 deep and an id of 1e300 each fail their own snapshot;
    the good one is stored and the last refresh is written."""
    monkeypatch.setenv("FRONTLINE_DEEPSTATE_URL", hostile + "/api")
    summary = updater.refresh("deepstate", client=HttpClient(FAST), cache_root=tmp_path)
    problems = " ".join(summary.problems)
    assert (summary.fetched, summary.failed) == (1, 2), summary.problems
    assert "not numbers or lie off any map" in problems
    assert "nested too deeply" in problems
    assert "is not a time; skipped" in problems
    contents = open_store("deepstate", tmp_path).contents()
    good_day = dt.datetime.fromtimestamp(GOOD_ID, dt.UTC).date()
    assert list(contents.accepted) == [good_day]
    assert contents.last_refresh["failed"] == 2
