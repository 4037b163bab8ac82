"""The snapshot store in PostgreSQL, so every replica of a team deployment sees the same cache.

`open_store` picks it when `DATABASE_URL` is a PostgreSQL URL; one machine on SQLite keeps the
file cache (lib/sources/cache.py). Three tables (lib/sources/tables.py), created by the store's
Alembic migrations (lib/statements/migrations, revision 0003):

    snapshot_sources    one row per source: `version`, raised by every write, is the signature
                        the app's caches are keyed on, so a refresh on one replica is seen by the
                        others on their next rerun
    snapshot_entries    one row per (source, accepted|quarantined, date): the index entry as JSON
                        and the snapshot row as GeoParquet bytes (none for a date rejected
                        without geometry)
    snapshot_refreshes  the refresh log: one row per refresh of a source, its report as JSON

**Nothing half-written.** Each stored or rejected snapshot is one transaction: the entry, its
bytes, the removal of an older quarantine entry and the version bump commit together or not at
all, so a replica killed mid-refresh leaves every snapshot it finished and none of the one it was
writing. The transaction first locks the source's row (`SELECT … FOR UPDATE`), so two writers of
one source judge plausibility against the same neighbours in turn.

**One refresh at a time.** `lock()` takes a PostgreSQL advisory lock on a connection of its own,
keyed by schema and source; a second refresh of the source, on any replica, gets CacheError at
once. PostgreSQL drops the lock with the connection, so a killed replica leaves no stale lock.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import json
import socket
from collections.abc import Iterator
from typing import Any

import geopandas as gpd
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Connection, Engine

from lib.sources.cache import CacheError, StoreContents, StoreResult
from lib.sources.normalise import empty_snapshots
from lib.sources.plausibility import snapshot_problem
from lib.sources.tables import (
    ACCEPTED,
    QUARANTINED,
    snapshot_entries,
    snapshot_refreshes,
    snapshot_sources,
)
from lib.territory import EQUAL_AREA_CRS

# The log keeps this many refreshes per source; older ones are deleted as new ones arrive.
REFRESH_LOG_LENGTH = 200


def is_postgresql(url: str) -> bool:
    """Whether `url` names a PostgreSQL database (whatever the driver)."""
    return sa.make_url(url).get_backend_name() == "postgresql"


class PostgresSnapshotStore:
    """`SnapshotStore` in PostgreSQL: the snapshots of one source, shared by every replica."""

    def __init__(self, engine: Engine, source: str) -> None:
        self.engine = engine
        self.source = source
        self.problems: list[str] = []

    def exists(self) -> bool:
        with self.engine.connect() as connection:
            return self._version(connection) is not None

    def signature(self) -> str:
        with self.engine.connect() as connection:
            version = self._version(connection)
        return "missing" if version is None else f"v{version}"

    def contents(self) -> StoreContents:
        accepted: dict[dt.date, dict[str, Any]] = {}
        quarantined: dict[dt.date, dict[str, Any]] = {}
        with self.engine.connect() as connection:
            columns = snapshot_entries.c
            rows = connection.execute(
                sa.select(columns.status, columns.date, columns.entry)
                .where(columns.source == self.source)
                .order_by(columns.date)
            )
            for status, date, entry in rows:
                (accepted if status == ACCEPTED else quarantined)[date] = json.loads(entry)
            last = connection.execute(
                sa.select(snapshot_refreshes.c.report)
                .where(snapshot_refreshes.c.source == self.source)
                .order_by(snapshot_refreshes.c.id.desc())
                .limit(1)
            ).scalar_one_or_none()
        return StoreContents(accepted, quarantined, json.loads(last) if last else None)

    def entry(self, date: dt.date) -> dict[str, Any] | None:
        with self.engine.connect() as connection:
            entry = connection.execute(
                sa.select(snapshot_entries.c.entry).where(
                    snapshot_entries.c.source == self.source,
                    snapshot_entries.c.status == ACCEPTED,
                    snapshot_entries.c.date == date,
                )
            ).scalar_one_or_none()
        return json.loads(entry) if entry else None

    def snapshots(self) -> gpd.GeoDataFrame:
        """Every accepted snapshot, oldest first; a row whose bytes do not read is skipped and
        noted in `problems`."""
        frames = []
        with self.engine.connect() as connection:
            rows = connection.execute(
                sa.select(snapshot_entries.c.date, snapshot_entries.c.geoparquet)
                .where(
                    snapshot_entries.c.source == self.source,
                    snapshot_entries.c.status == ACCEPTED,
                )
                .order_by(snapshot_entries.c.date)
            )
            for date, payload in rows:
                try:
                    frames.append(gpd.read_parquet(io.BytesIO(payload)))
                except (OSError, ValueError, TypeError) as error:
                    self.problems.append(
                        f"{self.source} {date}: stored snapshot unreadable ({error})"
                    )
        snapshots = (
            gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=EQUAL_AREA_CRS)
            if frames
            else empty_snapshots()
        )
        snapshots.attrs["problems"] = list(self.problems)
        return snapshots

    def store(self, snapshot: gpd.GeoDataFrame, **provenance: Any) -> StoreResult:
        """Check an arriving one-row snapshot; keep it, or quarantine it with the reason, in one
        transaction with the version bump."""
        if len(snapshot) != 1:
            raise ValueError(f"expected one snapshot row, got {len(snapshot)}")
        date = snapshot["date"].iloc[0]
        entry = {
            "area_km2": float(snapshot["area_km2"].iloc[0]),
            "layers": str(snapshot["layers"].iloc[0]),
            "stored_at": _now().isoformat(timespec="seconds"),
            **provenance,
        }
        geometry = snapshot.geometry.iloc[0]
        payload = None
        if geometry is not None and not geometry.is_empty:
            buffer = io.BytesIO()
            snapshot.to_parquet(buffer)
            payload = buffer.getvalue()
        with self.engine.begin() as connection:
            self._claim(connection)
            areas = {
                day: json.loads(text)["area_km2"]
                for day, text in connection.execute(
                    sa.select(snapshot_entries.c.date, snapshot_entries.c.entry).where(
                        snapshot_entries.c.source == self.source,
                        snapshot_entries.c.status == ACCEPTED,
                    )
                )
            }
            reason = snapshot_problem(snapshot, areas)
            if reason:
                self._put(connection, QUARANTINED, date, {**entry, "reason": reason}, payload)
                return StoreResult("quarantined", reason)
            self._put(connection, ACCEPTED, date, entry, payload)
            connection.execute(
                sa.delete(snapshot_entries).where(
                    snapshot_entries.c.source == self.source,
                    snapshot_entries.c.status == QUARANTINED,
                    snapshot_entries.c.date == date,
                )
            )
        return StoreResult("stored")

    def reject(self, date: dt.date, reason: str, **provenance: Any) -> StoreResult:
        """Quarantine a date whose answer held no usable snapshot at all (nothing to keep aside)."""
        entry = {"stored_at": _now().isoformat(timespec="seconds"), **provenance, "reason": reason}
        with self.engine.begin() as connection:
            self._claim(connection)
            self._put(connection, QUARANTINED, date, entry, None)
        return StoreResult("quarantined", reason)

    def record_refresh(self, report: dict[str, Any]) -> None:
        """Add the refresh's report to the shared log (the newest is `last_refresh`)."""
        with self.engine.begin() as connection:
            self._claim(connection)
            connection.execute(
                sa.insert(snapshot_refreshes).values(
                    source=self.source,
                    recorded_at=_now(),
                    host=socket.gethostname()[:255],
                    report=json.dumps(report, default=str),
                )
            )
            keep = (
                sa.select(snapshot_refreshes.c.id)
                .where(snapshot_refreshes.c.source == self.source)
                .order_by(snapshot_refreshes.c.id.desc())
                .limit(REFRESH_LOG_LENGTH)
                .scalar_subquery()
            )
            connection.execute(
                sa.delete(snapshot_refreshes).where(
                    snapshot_refreshes.c.source == self.source,
                    snapshot_refreshes.c.id.not_in(keep),
                )
            )

    def refresh_log(self, limit: int = 20) -> list[dict[str, Any]]:
        """The newest `limit` refreshes of the source: when, on which host, and the report."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                sa.select(
                    snapshot_refreshes.c.recorded_at,
                    snapshot_refreshes.c.host,
                    snapshot_refreshes.c.report,
                )
                .where(snapshot_refreshes.c.source == self.source)
                .order_by(snapshot_refreshes.c.id.desc())
                .limit(limit)
            )
            return [
                {"recorded_at": recorded_at, "host": host, **json.loads(report)}
                for recorded_at, host, report in rows
            ]

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Exclusive right to refresh the source, across replicas; CacheError when held."""
        with advisory_lock(self.engine, f"snapshots:{self.source}") as acquired:
            if not acquired:
                raise CacheError(
                    f"another refresh of {self.source!r} is running (on this or another "
                    "replica); try again later"
                )
            yield

    def _version(self, connection: Connection) -> int | None:
        return connection.execute(
            sa.select(snapshot_sources.c.version).where(snapshot_sources.c.source == self.source)
        ).scalar_one_or_none()

    def _claim(self, connection: Connection) -> None:
        """Create the source's row if missing, lock it for this transaction and raise its
        version: every write goes through here, so the version changes with every change."""
        connection.execute(
            postgresql.insert(snapshot_sources)
            .values(source=self.source, version=0, changed_at=_now())
            .on_conflict_do_nothing(index_elements=["source"])
        )
        connection.execute(
            sa.select(snapshot_sources.c.version)
            .where(snapshot_sources.c.source == self.source)
            .with_for_update()
        )
        connection.execute(
            sa.update(snapshot_sources)
            .where(snapshot_sources.c.source == self.source)
            .values(version=snapshot_sources.c.version + 1, changed_at=_now())
        )

    def _put(
        self,
        connection: Connection,
        status: str,
        date: dt.date,
        entry: dict[str, Any],
        payload: bytes | None,
    ) -> None:
        values = {"entry": json.dumps(entry, default=str), "geoparquet": payload}
        connection.execute(
            postgresql.insert(snapshot_entries)
            .values(source=self.source, status=status, date=date, **values)
            .on_conflict_do_update(index_elements=["source", "status", "date"], set_=values)
        )


@contextlib.contextmanager
def advisory_lock(engine: Engine, name: str) -> Iterator[bool]:
    """Try PostgreSQL's session advisory lock `name` (scoped to the connection's schema) on a
    connection held for the block; yields whether it was acquired. Never waits."""
    with engine.connect() as connection:
        schema = connection.execute(sa.text("SELECT current_schema()")).scalar_one()
        key = _lock_key(f"{schema}:{name}")
        acquired = connection.execute(
            sa.text("SELECT pg_try_advisory_lock(:key)"), {"key": key}
        ).scalar_one()
        connection.commit()
        try:
            yield bool(acquired)
        finally:
            if acquired:
                connection.execute(sa.text("SELECT pg_advisory_unlock(:key)"), {"key": key})
                connection.commit()


def _lock_key(name: str) -> int:
    """A signed 64-bit key for `name`: advisory locks are numbers, and database-wide."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
