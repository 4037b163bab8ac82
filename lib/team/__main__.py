"""`python -m lib.team serve|stop|status`: the plain-process team deployment (`make serve-team`).

Exit status: 0 done, 1 could not start or stop (the message says why), 2 bad arguments.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lib import config
from lib.team.processes import (
    TeamError,
    plan_team,
    start_team,
    stop_team,
    team_status,
)

DEFAULT_RUN_DIR = config.REPO_ROOT / ".team"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lib.team", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="start N replicas behind HAProxy on PORT")
    serve.add_argument("--replicas", type=int, default=3)
    serve.add_argument("--port", type=int, default=8080)
    for command in (serve, commands.add_parser("stop"), commands.add_parser("status")):
        command.add_argument("--run-dir", type=Path, default=DEFAULT_RUN_DIR)
    arguments = parser.parse_args(argv)

    try:
        if arguments.command == "serve":
            plan = plan_team(arguments.replicas, arguments.port, arguments.run_dir)
            start_team(plan)
            print(
                f"serving on {plan.proxy_url} with {len(plan.app_ports)} replicas "
                f"(ports {', '.join(map(str, plan.app_ports))}); stop with `make stop-team`"
            )
        elif arguments.command == "stop":
            stopped = stop_team(arguments.run_dir)
            print(f"stopped {', '.join(stopped)}" if stopped else "nothing was running")
        else:
            running = team_status(arguments.run_dir)
            for name, pid in running.items():
                print(f"{name} pid {pid}")
            if not running:
                print("nothing is running")
    except TeamError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
