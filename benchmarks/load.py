"""Load and failover of the team deployment: N concurrent sessions against HAProxy, on 1 and on
3 replicas in the same run, then one replica killed mid-run.

Each session speaks Streamlit's own WebSocket protocol, as the page does: it takes the proxy's
sticky cookie, opens `/_stcore/stream`, asks for a run of a share link and then, every few
seconds, for the same view with another focused month (a history navigation: the URL-bound
filters seed from the link, the whole script reruns on the replica, as on a month change). A
change is timed from the request to the replica's "script finished" message. Sessions cut off by
the killed replica reconnect through the proxy (which moves them to a live replica) and
`failover_s` is the longest time from the kill to a reconnected session's next finished run.
Editors on different replicas write statements throughout (each a store write made by a process
pinned next to one replica); the rows are counted afterwards.

Usage: python benchmarks/load.py [--sessions 30] [--seconds 45] [--interval 3]
Last line: sessions=N p95_1=… p95_3=… errors=… failover_s=… lost_writes=…
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import resource
import signal
import statistics
import sys
import tempfile
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))
sys.path.insert(0, str(REPO_ROOT / "tests"))

from browser_support import offline_sources  # noqa: E402

from lib import statements as store  # noqa: E402
from lib import territory  # noqa: E402
from lib.team import plan_team, start_team, stop_team, team_status  # noqa: E402

DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
RUN_TIMEOUT_S = 30.0


@dataclass
class Results:
    """What the sessions of one phase measured."""

    change_seconds: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    reconnect_seconds: list[float] = field(default_factory=list)
    opened: int = 0
    idle_rss_mib: float = 0.0


def _cookie(proxy_url: str) -> str:
    with urllib.request.urlopen(proxy_url + "/_stcore/health", timeout=10) as response:
        return response.headers["Set-Cookie"].split(";")[0]


async def _run(socket, query: str) -> float:
    """Ask for a run of the view `query`; seconds until the replica says the run finished."""
    message = BackMsg()
    message.rerun_script.query_string = query
    message.rerun_script.is_history_navigation = True
    started = time.perf_counter()
    await socket.send(message.SerializeToString())
    deadline = started + RUN_TIMEOUT_S
    while True:
        raw = await asyncio.wait_for(socket.recv(), timeout=max(deadline - time.perf_counter(), 0))
        forward = ForwardMsg()
        forward.ParseFromString(raw)
        if forward.WhichOneof("type") == "script_finished":
            if forward.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY:
                return time.perf_counter() - started
            if forward.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                raise RuntimeError(f"run ended with status {forward.script_finished}")
        elif forward.WhichOneof("type") == "delta" and forward.delta.new_element.HasField(
            "exception"
        ):
            raise RuntimeError("exception box: " + forward.delta.new_element.exception.message)


async def _session(
    proxy_url: str,
    months: list[str],
    until: float,
    interval_s: float,
    results: Results,
    killed_at: list[float],
    opened: asyncio.Event | None = None,
) -> None:
    """One reader: open a share link, then change the focused month every few seconds until
    `until`; a session cut off reconnects through the proxy, as Streamlit's page does."""
    cookie = await asyncio.to_thread(_cookie, proxy_url)
    address = proxy_url.replace("http://", "ws://") + "/_stcore/stream"
    view = f"from={months[0]}&to={months[-1]}"
    connected_before = False
    while True:
        try:
            async with websockets.connect(
                address,
                subprotocols=["streamlit"],
                additional_headers={"Cookie": cookie},
                max_size=None,
                open_timeout=15,
            ) as socket:
                await _run(socket, f"{view}&month={random.choice(months)}")
                if connected_before and killed_at:
                    results.reconnect_seconds.append(time.monotonic() - killed_at[0])
                if not connected_before:
                    results.opened += 1
                connected_before = True
                if opened is not None:
                    await opened.wait()
                while time.monotonic() < until:
                    await asyncio.sleep(interval_s * random.uniform(0.7, 1.3))
                    seconds = await _run(socket, f"{view}&month={random.choice(months)}")
                    results.change_seconds.append(seconds)
                return
        except (
            OSError,
            websockets.ConnectionClosed,
            websockets.InvalidHandshake,
            TimeoutError,
        ) as error:
            if not killed_at:
                results.errors.append(f"{type(error).__name__}: {error}")
            if time.monotonic() >= until:
                return
            await asyncio.sleep(0.5)
        except RuntimeError as error:
            results.errors.append(str(error))
            return


def _writer(database_url: str, writer: int, count: int) -> int:
    """One editor's statements, written one by one; how many the store accepted."""
    engine = store.get_engine(database_url)
    written = 0
    for number in range(count):
        record = {
            "date": "2025-03-11",
            "speaker": f"Load test editor {writer}",
            "role": "editor",
            "affiliation": "Benchmark",
            "stance": "other",
            "quote": f"benchmark write {writer}-{number}",
            "quote_is_paraphrase": True,
            "mediators": [],
            "source_name": "benchmark",
            "source_url": "https://example.org/benchmark",
        }
        for _attempt in range(20):
            try:
                store.add_statement(engine, record, added_by=f"editor-{writer}")
                written += 1
                break
            except sa.exc.OperationalError:
                time.sleep(0.25)
        time.sleep(0.05)
    engine.dispose()
    return written


def _replicas_rss_mib(run_dir: Path) -> float:
    total = 0
    for name, pid in team_status(run_dir).items():
        if name.startswith("app"):
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
    return total / 1024


async def _phase(proxy_url, months, sessions, seconds, interval_s, run_dir, kill=None) -> Results:
    """`sessions` readers for `seconds`; memory is read once all have opened and sit idle."""
    results = Results()
    killed_at: list[float] = []
    opened = asyncio.Event()
    until = time.monotonic() + seconds
    tasks = [
        asyncio.create_task(
            _session(proxy_url, months, until, interval_s, results, killed_at, opened)
        )
        for _ in range(sessions)
    ]
    while results.opened < sessions and time.monotonic() < until:
        await asyncio.sleep(0.1)
    await asyncio.sleep(1.0)
    results.idle_rss_mib = _replicas_rss_mib(run_dir)
    opened.set()
    if kill is not None:
        await asyncio.sleep(seconds / 3)
        kill()
        killed_at.append(time.monotonic())
    await asyncio.gather(*tasks)
    return results


async def _warm_up(proxy_url: str, months: list[str], replicas: int) -> None:
    """One run on every replica first, so memory per session leaves out the app's imports."""
    results = Results()
    await asyncio.gather(
        *(
            _session(proxy_url, months, time.monotonic(), 0, results, [])
            for _ in range(2 * replicas)
        )
    )


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 2 else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=45.0, help="per phase")
    parser.add_argument("--interval", type=float, default=3.0, help="seconds between changes")
    parser.add_argument("--writes", type=int, default=40, help="statements per editor")
    arguments = parser.parse_args()

    base = sa.make_url(os.environ.get("TEST_DATABASE_URL") or DEFAULT_POSTGRES)
    schema = f"load_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(base)
    with admin.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    database_url = base.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
        hide_password=False
    )
    months = sorted(territory.read_bundled_monthly("isw")["month"])[-24:]
    cpu_start = resource.getrusage(resource.RUSAGE_SELF)
    wall_start = time.monotonic()
    p95_by_replicas: dict[int, float] = {}
    errors = 0
    failover_s = float("nan")
    lost_writes = 0
    try:
        with tempfile.TemporaryDirectory() as scratch_name:
            scratch = Path(scratch_name)
            environment = {
                **os.environ,
                "DATABASE_URL": database_url,
                **offline_sources(scratch / "cache"),
            }
            for replicas in (1, 3):
                port = _free_port()
                plan = plan_team(replicas, port, scratch / f"run{replicas}")
                start_team(plan, environment)
                try:
                    asyncio.run(_warm_up(plan.proxy_url, months, replicas))
                    idle_before = _replicas_rss_mib(plan.run_dir)
                    results = asyncio.run(
                        _phase(
                            plan.proxy_url,
                            months,
                            arguments.sessions,
                            arguments.seconds,
                            arguments.interval,
                            plan.run_dir,
                        )
                    )
                    idle_after = results.idle_rss_mib
                    p95_by_replicas[replicas] = _p95(results.change_seconds)
                    errors += len(results.errors)
                    print(
                        f"{replicas} replica(s): {len(results.change_seconds)} month changes, "
                        f"p50 {statistics.median(results.change_seconds):.3f} s, "
                        f"p95 {p95_by_replicas[replicas]:.3f} s, "
                        f"max {max(results.change_seconds):.3f} s, errors {len(results.errors)}; "
                        f"replica memory {idle_before:.0f} → {idle_after:.0f} MiB "
                        f"({(idle_after - idle_before) / arguments.sessions:.1f} MiB "
                        "per idle session)"
                    )
                    for error in sorted(set(results.errors))[:5]:
                        print(f"  error: {error}")
                    if replicas == 3:
                        victim = team_status(plan.run_dir)["app1"]
                        writers = _start_writers(database_url, arguments.writes)

                        def kill(victim=victim):
                            os.killpg(victim, signal.SIGKILL)

                        results = asyncio.run(
                            _phase(
                                plan.proxy_url,
                                months,
                                arguments.sessions,
                                arguments.seconds,
                                arguments.interval,
                                plan.run_dir,
                                kill=kill,
                            )
                        )
                        written = sum(future.result() for future in writers)
                        engine = store.get_engine(database_url)
                        with engine.connect() as connection:
                            stored = connection.execute(
                                sa.text(
                                    "SELECT count(*) FROM statements "
                                    "WHERE speaker LIKE 'Load test editor %'"
                                )
                            ).scalar_one()
                        engine.dispose()
                        lost_writes = written - stored
                        errors += len(results.errors)
                        failover_s = max(results.reconnect_seconds, default=float("nan"))
                        print(
                            f"failover: app1 killed mid-run; {len(results.reconnect_seconds)} "
                            f"session(s) reconnected, slowest after {failover_s:.1f} s; "
                            f"{written} writes acknowledged, {stored} stored; "
                            f"errors {len(results.errors)}"
                        )
                finally:
                    stop_team(plan.run_dir)
    finally:
        with admin.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
    cpu = resource.getrusage(resource.RUSAGE_SELF)
    used = (cpu.ru_utime - cpu_start.ru_utime) + (cpu.ru_stime - cpu_start.ru_stime)
    print(
        f"load generator CPU: {used:.1f} s over {time.monotonic() - wall_start:.0f} s "
        f"({used / (time.monotonic() - wall_start):.0%} of one core)"
    )
    print(
        f"sessions={arguments.sessions} p95_1={p95_by_replicas.get(1, float('nan')):.3f} "
        f"p95_3={p95_by_replicas.get(3, float('nan')):.3f} errors={errors} "
        f"failover_s={failover_s:.1f} lost_writes={lost_writes}"
    )


def _start_writers(database_url: str, count: int):
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(max_workers=3)
    futures = [pool.submit(_writer, database_url, writer, count) for writer in range(3)]
    pool.shutdown(wait=False)
    return futures


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


if __name__ == "__main__":
    main()
