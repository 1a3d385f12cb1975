"""The container files stay consistent with the repository: no Docker engine runs here, so we check
that the Dockerfile copies only files that exist and that the compose file is well-formed."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
DOCKER = ROOT / "docker"


def _copy_sources(dockerfile: str) -> list[str]:
    sources = []
    for line in dockerfile.splitlines():
        parts = line.split()
        if not parts or parts[0] != "COPY" or any(p.startswith("--from") for p in parts):
            continue
        args = [p for p in parts[1:] if not p.startswith("--")]
        sources.extend(args[:-1])
    return sources


def test_dockerfile_copies_only_files_that_exist():
    """Every local COPY source in docker/Dockerfile exists relative to the build context (root)."""
    sources = _copy_sources((DOCKER / "Dockerfile").read_text())
    assert sources, "expected COPY instructions"
    missing = [s for s in sources if not (ROOT / s).exists()]
    assert missing == []


def test_dockerfile_runs_as_non_root_and_syncs_frozen():
    """The image installs with the committed lock file and drops root before serving."""
    text = (DOCKER / "Dockerfile").read_text()
    assert "uv sync --frozen" in text
    assert text.count("FROM ") >= 2, "multi-stage build expected"
    users = re.findall(r"^USER\s+(\S+)", text, flags=re.MULTILINE)
    assert users
    assert users[-1] not in {"root", "0"}


def test_runtime_image_installs_pango_and_no_browser():
    """The runtime stage installs Pango and the PostgreSQL client tools; Chromium stays out."""
    runtime = (DOCKER / "Dockerfile").read_text().rsplit("\nFROM ", 1)[1]
    logical_lines = runtime.replace("\\\n", " ")
    installs = " ".join(re.findall(r"apt-get install[^\n]*", logical_lines))
    wanted = {"libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0", "postgresql-client"}
    assert wanted <= set(installs.split())
    assert "chromium" not in runtime


def test_entrypoint_migrates_before_serving():
    """The entrypoint applies migrations and then executes the anugerah command."""
    text = (DOCKER / "entrypoint.sh").read_text()
    assert text.index("anugerah migrate") < text.index('exec anugerah "$@"')
    assert os.access(DOCKER / "entrypoint.sh", os.X_OK)


def test_compose_defines_app_and_postgres_with_healthchecks_and_volume():
    """compose.yaml has postgres + app, both health-checked, the app waiting for a healthy DB."""
    compose = yaml.safe_load((DOCKER / "compose.yaml").read_text())
    services = compose["services"]
    assert set(services) == {"postgres", "app"}
    assert all("healthcheck" in s for s in services.values())
    assert services["app"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert services["app"]["environment"]["ANUGERAH_DATABASE_URL"].startswith("postgresql://")
    assert "pgdata" in compose["volumes"]
    assert (ROOT / services["app"]["build"]["dockerfile"]).exists()


def _compose_command() -> list[str] | None:
    if shutil.which("docker"):
        probe = subprocess.run(["docker", "compose", "version"], capture_output=True, check=False)
        if probe.returncode == 0:
            return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    return None


def test_compose_config_parses_with_docker_compose():
    """`docker compose config` (or docker-compose) accepts the file when the tool is installed."""
    command = _compose_command()
    if command is None:
        pytest.skip("neither `docker compose` nor `docker-compose` is installed")
    env = {**os.environ, "ANUGERAH_SECRET_KEY": "x" * 40}
    result = subprocess.run(
        [*command, "-f", str(DOCKER / "compose.yaml"), "config"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "postgres" in result.stdout
