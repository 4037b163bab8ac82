"""Where fetched snapshots are kept: the `SnapshotStore` interface and its file implementation.

Callers (the updater, uploads, the app's caches) open a source's store with `open_store` and ask
it what it holds, for its snapshots and for a signature that changes when it does; none of them
knows the layout below, so the store shared through PostgreSQL (lib/sources/shared_store.py,
chosen when DATABASE_URL is PostgreSQL) stands in for the files on a team's replicas.
Whether an arriving snapshot is believable is `lib.sources.plausibility`'s call.

File layout under `config.cache_dir()`::

    <source>/index.json                  what is cached, what is quarantined, the last refresh
    <source>/snapshots/<date>-<v>.parquet   one accepted snapshot (the engine's snapshot row);
                                         <v> hashes the source's version of that date
    <source>/quarantine/<date>-<v>.parquet  a snapshot that failed the integrity checks
    <source>/.lock                       held (flock) while a refresh writes

Every file is written to a temporary name in the same folder, flushed to disk and renamed over the
target (`os.replace` is atomic), and the index is written last. A crash at any point therefore
leaves either the old index with its old files or the new index with complete files; files the
index does not name are ignored and swept at the next refresh.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import geopandas as gpd
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from lib import config
from lib.sources.normalise import empty_snapshots
from lib.sources.plausibility import snapshot_problem
from lib.territory import EQUAL_AREA_CRS

INDEX_FORMAT = 1


class CacheError(Exception):
    """The cache cannot be used as asked (locked by another refresh, unreadable index)."""


@dataclass(frozen=True)
class StoreResult:
    """What happened to one arriving snapshot: "stored" or "quarantined" (with the reason)."""

    outcome: str
    reason: str = ""


@dataclass(frozen=True)
class StoreContents:
    """What a store holds for its source, read at one moment.

    `accepted` and `quarantined` map each date to its entry (`area_km2`, `layers`, `version`,
    `stored_at` and the rest of the provenance; quarantined ones add `reason`); `last_refresh`
    is the report of the last refresh, or None.
    """

    accepted: dict[dt.date, dict[str, Any]]
    quarantined: dict[dt.date, dict[str, Any]]
    last_refresh: dict[str, Any] | None


class SnapshotStore(Protocol):
    """The snapshots of one source, as the updater, uploads and the app use them.

    Reads never raise on damaged data: they skip it and add a line to `problems`. Writes happen
    under `lock()`, and a store that cannot be written safely raises CacheError.
    """

    source: str
    problems: list[str]

    def exists(self) -> bool:
        """Whether anything was ever stored for the source (accepted or not)."""
        ...

    def contents(self) -> StoreContents: ...

    def entry(self, date: dt.date) -> dict[str, Any] | None:
        """The entry of the accepted snapshot of `date`, or None."""
        ...

    def signature(self) -> str:
        """A short text that changes whenever the store changes (a cache key)."""
        ...

    def snapshots(self) -> gpd.GeoDataFrame:
        """Every accepted snapshot, the engine's snapshots frame, oldest first."""
        ...

    def store(self, snapshot: gpd.GeoDataFrame, **provenance: Any) -> StoreResult: ...

    def reject(self, date: dt.date, reason: str, **provenance: Any) -> StoreResult: ...

    def record_refresh(self, report: dict[str, Any]) -> None: ...

    def lock(self) -> AbstractContextManager[None]: ...


def open_store(source: str, cache_root: Path | None = None) -> SnapshotStore:
    """The store of `source`: in PostgreSQL when DATABASE_URL names one and no `cache_root` is
    given (every replica of a team shares it, lib/sources/shared_store.py), else the file cache
    under `cache_root` (default FRONTLINE_CACHE_DIR)."""
    if cache_root is None:
        engine = shared_engine()
        if engine is not None:
            from lib.sources.shared_store import PostgresSnapshotStore

            return PostgresSnapshotStore(engine, source)
    return SnapshotCache(cache_root or config.cache_dir(), source)


def shared_engine() -> Engine | None:
    """The engine of the shared store when DATABASE_URL is PostgreSQL (schema migrated once per
    process), else None: one machine on SQLite keeps the file cache."""
    url = config.database_url()
    if sa.make_url(url).get_backend_name() != "postgresql":
        return None
    from lib.statements import get_engine

    return get_engine(url, seed=False)


def store_location(cache_root: Path | None = None) -> str:
    """Where `open_store(source, cache_root)` keeps snapshots, as text: a key for the app's
    caches, and what the CLI names. The database's URL (password hidden) or the folder."""
    if cache_root is None and shared_engine() is not None:
        return sa.make_url(config.database_url()).render_as_string(hide_password=True)
    return str(cache_root or config.cache_dir())


def root_at(location: str) -> Path | None:
    """The `cache_root` that `store_location` turned into `location` (None: the database)."""
    return None if "://" in location else Path(location)


class SnapshotCache:
    """The file implementation of `SnapshotStore`: the cached snapshots of one source; reads
    never raise on a damaged file, they report it."""

    def __init__(self, root: Path, source: str) -> None:
        self.source = source
        self.folder = Path(root) / source
        self.index_path = self.folder / "index.json"
        self.problems: list[str] = []

    def exists(self) -> bool:
        return self.index_path.exists()

    def contents(self) -> StoreContents:
        index = self._read_index()
        return StoreContents(
            accepted=_by_date(index["snapshots"]),
            quarantined=_by_date(index["quarantine"]),
            last_refresh=index["last_refresh"],
        )

    def signature(self) -> str:
        # The index is rewritten on every stored snapshot, rejection and refresh.
        try:
            stat = self.index_path.stat()
        except FileNotFoundError:
            return "missing"
        return f"{stat.st_mtime_ns}:{stat.st_size}"

    def _read_index(self) -> dict[str, Any]:
        """The index as stored; an empty one (with a problem noted) when missing or unreadable."""
        empty: dict[str, Any] = {
            "source": self.source,
            "format": INDEX_FORMAT,
            "snapshots": {},
            "quarantine": {},
            "last_refresh": None,
        }
        if not self.index_path.exists():
            return empty
        try:
            index = json.loads(self.index_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            self.problems.append(f"{self.index_path}: unreadable index ({error}); cache ignored")
            return empty
        for key, value in empty.items():
            index.setdefault(key, value)
        return index

    def _index_for_writing(self) -> dict[str, Any]:
        """The index, or CacheError when it is unreadable: writing over it (or sweeping the files
        it no longer names) would throw away snapshots that may still be recoverable."""
        problems_before = len(self.problems)
        index = self._read_index()
        if len(self.problems) > problems_before:
            raise CacheError(
                f"{self.index_path}: unreadable, so nothing is written; move it aside to rebuild "
                "the cache from scratch"
            )
        return index

    def entry(self, date: dt.date) -> dict[str, Any] | None:
        """The index entry of the accepted snapshot of `date`, or None."""
        return self._read_index()["snapshots"].get(date.isoformat())

    def snapshots(self) -> gpd.GeoDataFrame:
        """Every accepted snapshot, oldest first; an unreadable file is skipped and noted."""
        index = self._read_index()
        frames = []
        for date_text, entry in sorted(index["snapshots"].items()):
            path = self.folder / entry["file"]
            try:
                frames.append(gpd.read_parquet(path))
            except (OSError, ValueError) as error:
                self.problems.append(
                    f"{path}: cached snapshot for {date_text} unreadable ({error})"
                )
        snapshots = (
            gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=EQUAL_AREA_CRS)
            if frames
            else empty_snapshots()
        )
        snapshots.attrs["problems"] = list(self.problems)
        return snapshots

    def store(self, snapshot: gpd.GeoDataFrame, **provenance: Any) -> StoreResult:
        """Check an arriving one-row snapshot; keep it, or quarantine it with the reason."""
        if len(snapshot) != 1:
            raise ValueError(f"expected one snapshot row, got {len(snapshot)}")
        date = snapshot["date"].iloc[0]
        index = self._index_for_writing()
        reason = snapshot_problem(
            snapshot,
            {date: entry["area_km2"] for date, entry in _by_date(index["snapshots"]).items()},
        )
        entry = {
            "area_km2": float(snapshot["area_km2"].iloc[0]),
            "layers": str(snapshot["layers"].iloc[0]),
            "stored_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            **provenance,
        }
        geometry = snapshot.geometry.iloc[0]
        has_geometry = geometry is not None and not geometry.is_empty
        if reason:
            if has_geometry:
                entry["file"] = f"quarantine/{_file_name(date, provenance)}"
                self._write_parquet(snapshot, self.folder / entry["file"])
            index["quarantine"][date.isoformat()] = {**entry, "reason": reason}
            self._write_index(index)
            return StoreResult("quarantined", reason)
        entry["file"] = f"snapshots/{_file_name(date, provenance)}"
        self._write_parquet(snapshot, self.folder / entry["file"])
        index["snapshots"][date.isoformat()] = entry
        index["quarantine"].pop(date.isoformat(), None)
        self._write_index(index)
        return StoreResult("stored")

    def reject(self, date: dt.date, reason: str, **provenance: Any) -> StoreResult:
        """Quarantine a date whose answer held no usable snapshot at all (nothing to keep aside)."""
        index = self._index_for_writing()
        index["quarantine"][date.isoformat()] = {
            "stored_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            **provenance,
            "reason": reason,
        }
        self._write_index(index)
        return StoreResult("quarantined", reason)

    def record_refresh(self, report: dict[str, Any]) -> None:
        """Remember the outcome of the last refresh (shown by `status`)."""
        index = self._index_for_writing()
        index["last_refresh"] = report
        self._write_index(index)

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Exclusive right to write; the OS drops it if the process dies, so no stale lock."""
        self.folder.mkdir(parents=True, exist_ok=True)
        with open(self.folder / ".lock", "w") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise CacheError(
                    f"{self.folder}: another refresh of {self.source!r} is running; try again later"
                ) from None
            try:
                self._sweep()
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _sweep(self) -> None:
        """Remove temp files and unindexed snapshot files left by an interrupted run."""
        index = self._index_for_writing()
        named = {entry.get("file") for entry in index["snapshots"].values()}
        named |= {entry.get("file") for entry in index["quarantine"].values()}
        for folder in ("snapshots", "quarantine", "."):
            for path in (self.folder / folder).glob("*"):
                relative = path.relative_to(self.folder).as_posix()
                if path.name.startswith(".tmp-") or (
                    path.suffix == ".parquet" and relative not in named
                ):
                    path.unlink(missing_ok=True)

    def _write_parquet(self, frame: gpd.GeoDataFrame, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with _atomic_target(path) as handle:
            frame.to_parquet(handle)

    def _write_index(self, index: dict[str, Any]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        text = json.dumps(index, indent=1, sort_keys=True, default=str)
        with _atomic_target(self.index_path) as handle:
            handle.write(text.encode("utf-8"))


def _file_name(date: dt.date, provenance: dict[str, Any]) -> str:
    """`<date>-<version hash>.parquet`: a republished date gets a new file, so the old one stays
    valid for the old index until the new index replaces it."""
    version = str(provenance.get("version", ""))
    return f"{date.isoformat()}-{hashlib.sha256(version.encode()).hexdigest()[:10]}.parquet"


def _by_date(entries: dict[str, dict[str, Any]]) -> dict[dt.date, dict[str, Any]]:
    """Index entries keyed by date instead of the index's ISO text."""
    return {dt.date.fromisoformat(day): entry for day, entry in entries.items()}


@contextlib.contextmanager
def _atomic_target(path: Path) -> Iterator[Any]:
    """A binary handle on a temp file in `path`'s folder that becomes `path` only on success."""
    descriptor, temporary = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
