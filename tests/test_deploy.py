"""The team deployment: the plain-process topology of `make serve-team` (real HAProxy, real
replicas, real PostgreSQL), and the container and Kubernetes files checked offline against their
schemas (images cannot be pulled on these machines)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
import urllib.request
from importlib import resources
from pathlib import Path

import jsonschema
import kubernetes_validate
import pytest
import yaml
from browser_support import offline_sources
from conftest import REPO_ROOT, require

from lib.team import TeamPlan, haproxy_config, plan_team, start_team, stop_team, team_status

KUBERNETES_VERSION = "1.37.0"
HAPROXY = shutil.which("haproxy") or shutil.which("haproxy", path="/usr/sbin:/sbin")


def _get(url: str, cookie: str | None = None) -> tuple[int, dict[str, str]]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=5) as response:
        return response.status, {key.lower(): value for key, value in response.headers.items()}


@pytest.mark.parametrize(
    "manifest", sorted((REPO_ROOT / "deploy" / "kubernetes").glob("*.yaml")), ids=lambda p: p.name
)
def test_kubernetes_manifests_match_the_schemas(manifest: Path) -> None:
    documents = [doc for doc in yaml.safe_load_all(manifest.read_text()) if doc]
    assert documents
    for document in documents:
        kubernetes_validate.validate(document, KUBERNETES_VERSION, strict=True)


def test_the_deployment_probes_the_health_endpoint_and_runs_unprivileged() -> None:
    deployment = yaml.safe_load((REPO_ROOT / "deploy/kubernetes/deployment.yaml").read_text())
    pod = deployment["spec"]["template"]["spec"]
    (app,) = pod["containers"]
    for probe in ("readinessProbe", "livenessProbe"):
        assert app[probe]["httpGet"]["path"] == "/_stcore/health"
    assert pod["securityContext"]["runAsNonRoot"] is True
    ingress = yaml.safe_load((REPO_ROOT / "deploy/kubernetes/ingress.yaml").read_text())
    assert ingress["metadata"]["annotations"]["nginx.ingress.kubernetes.io/affinity"] == "cookie"
    cronjobs = list(yaml.safe_load_all((REPO_ROOT / "deploy/kubernetes/cronjob.yaml").read_text()))
    commands = [
        job["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]["command"]
        for job in cronjobs
    ]
    assert [command[2:4] for command in commands] == [
        ["lib.sources", "refresh"],
        ["lib.feeds", "refresh"],
    ]
    assert all(job["spec"]["concurrencyPolicy"] == "Forbid" for job in cronjobs)


def test_compose_file_matches_the_compose_specification() -> None:
    schema_file = resources.files("check_jsonschema") / "builtin_schemas/vendor/compose-spec.json"
    schema = json.loads(schema_file.read_text())
    compose = yaml.safe_load((REPO_ROOT / "compose.yaml").read_text())
    jsonschema.validate(compose, schema)
    services = compose["services"]
    assert set(services) >= {"db", "app", "proxy", "refresh"}
    assert "db-data" in compose["volumes"]


def test_dockerfile_runs_as_a_user_and_checks_health() -> None:
    instructions = [
        line.split(maxsplit=1)
        for line in (REPO_ROOT / "Dockerfile").read_text().replace("\\\n", " ").splitlines()
        if line and not line.startswith((" ", "#"))
    ]
    keywords = dict(instructions)
    assert keywords["FROM"].endswith("-slim")
    assert keywords["USER"] not in {"root", "0"}
    assert "/_stcore/health" in keywords["HEALTHCHECK"]


@pytest.mark.parametrize("which", ["serve-team", "compose"])
def test_haproxy_accepts_the_configurations(which: str, tmp_path: Path) -> None:
    require(HAPROXY is not None, "haproxy not found: install Debian's haproxy package")
    if which == "compose":
        config = REPO_ROOT / "deploy/haproxy/haproxy.cfg"
    else:
        config = tmp_path / "haproxy.cfg"
        config.write_text(haproxy_config(TeamPlan(8080, (9001, 9002, 9003), tmp_path)))
    checked = subprocess.run([HAPROXY, "-c", "-f", str(config)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr


@pytest.mark.postgres
def test_serve_team_pins_sessions_and_survives_a_replica_dying(
    postgres_schema_url: str, tmp_path: Path
) -> None:
    require(HAPROXY is not None, "haproxy not found: install Debian's haproxy package")
    plan = plan_team(2, _free_port(), tmp_path / "run")
    environment = {
        **dict(os.environ),
        "DATABASE_URL": postgres_schema_url,
        **offline_sources(tmp_path / "cache"),
    }
    start_team(plan, environment)
    try:
        assert set(team_status(plan.run_dir)) == {"app1", "app2", "proxy"}
        status, headers = _get(plan.proxy_url + "/_stcore/health")
        assert status == 200
        first = headers["x-frontline-replica"]
        cookie = headers["set-cookie"].split(";")[0]
        assert cookie.startswith("FRONTLINE_REPLICA=")
        # The cookie pins the browser: every request goes to the same replica.
        for _ in range(5):
            assert _get(plan.proxy_url + "/_stcore/health", cookie)[1]["x-frontline-replica"] == (
                first
            )
        pid = team_status(plan.run_dir)[first]
        os.killpg(pid, signal.SIGKILL)
        killed_at = time.monotonic()
        answered_by = None
        while time.monotonic() - killed_at < 10:
            try:
                status, headers = _get(plan.proxy_url + "/_stcore/health", cookie)
            except OSError:
                time.sleep(0.2)
                continue
            if status == 200:
                answered_by = headers["x-frontline-replica"]
                break
        assert answered_by is not None and answered_by != first, "no failover within 10 s"
    finally:
        stop_team(plan.run_dir)
    assert team_status(plan.run_dir) == {}
    with pytest.raises(OSError):
        _get(plan.proxy_url + "/_stcore/health")


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
