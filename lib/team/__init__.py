"""Serve the app to a team on one machine: N Streamlit replicas on loopback behind HAProxy.

The same topology as `compose.yaml` and `deploy/`, run as plain processes because container images
cannot be pulled everywhere. HAProxy pins each browser to one replica with a cookie (a Streamlit
session lives in one process: its WebSocket and its media files must reach the same replica) and
sends it elsewhere when that replica stops answering `/_stcore/health`; Streamlit's front end then
reconnects and the URL-bound filters restore the view.

Every replica reads and writes the store of `DATABASE_URL` (PostgreSQL for a team), so they agree.
What the processes are lives in a run folder (`.team/` by default): the generated HAProxy config,
one PID file per process and their logs, so `stop` needs nothing but that folder.
"""

from lib.team.processes import (
    TeamError,
    TeamPlan,
    haproxy_config,
    plan_team,
    start_team,
    stop_team,
    team_status,
)

__all__ = [
    "TeamError",
    "TeamPlan",
    "haproxy_config",
    "plan_team",
    "start_team",
    "stop_team",
    "team_status",
]
