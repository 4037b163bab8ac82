"""Official and news feeds into a review queue, and GDELT's monthly diplomacy series.

`refresh` lists the Kremlin's, the UN's and GDELT's feeds, reads each new article, runs the
extractor and queues candidates not already in the store or the queue; editors `approve`,
`review` (reject, off-topic) them. CLI: `python -m lib.feeds refresh|status|queue`.
"""

from lib.feeds.gdelt import CITATION, GDELT_PAUSE_SECONDS, GdeltClient
from lib.feeds.queue import (
    APPROVED,
    OFF_TOPIC,
    PENDING,
    QUEUE_COLUMNS,
    REJECTED,
    STATUSES,
    Approval,
    QueueError,
    approve,
    article_context,
    list_queue,
    review,
)
from lib.feeds.refresh import FeedReport, RefreshSettings, refresh
from lib.feeds.series import read_series, series_path
from lib.feeds.sources import FEED_NAMES

__all__ = [
    "APPROVED",
    "CITATION",
    "FEED_NAMES",
    "GDELT_PAUSE_SECONDS",
    "OFF_TOPIC",
    "PENDING",
    "QUEUE_COLUMNS",
    "REJECTED",
    "STATUSES",
    "Approval",
    "FeedReport",
    "GdeltClient",
    "QueueError",
    "RefreshSettings",
    "approve",
    "article_context",
    "list_queue",
    "read_series",
    "refresh",
    "review",
    "series_path",
]
