"""deploy/: the compose file and the Kubernetes manifests parse, set only settings that exist,
run real commands, and probe /readyz and /healthz."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from service.cli import build_parser
from service.store.settings import Settings

DEPLOY = Path(__file__).resolve().parents[1] / "deploy"
COMPOSE = DEPLOY / "compose.yaml"
KUBERNETES = DEPLOY / "kubernetes" / "claimdesk.yaml"
ENV_EXAMPLE = DEPLOY / "claimdesk.env.example"
# Variables of other software that a claimdesk container may set, and what reads them.
THIRD_PARTY = {
    "PYTHONDONTWRITEBYTECODE": "python",
    "PYTHONUNBUFFERED": "python",
    "FORWARDED_ALLOW_IPS": "uvicorn: proxies trusted for X-Forwarded-Proto",
}


def setting_names() -> set[str]:
    """Every environment variable ``Settings`` reads."""
    prefix = Settings.model_config.get("env_prefix", "")
    names = set()
    for name, field in Settings.model_fields.items():
        aliases = getattr(field.validation_alias, "choices", None)
        if aliases:
            names.update(str(alias) for alias in aliases)
        else:
            names.add(f"{prefix}{name}".upper())
    return names


def env_file_names(path: Path) -> dict[str, str]:
    values = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = value.strip()
    return values


def compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def manifests() -> list[dict[str, Any]]:
    return [doc for doc in yaml.safe_load_all(KUBERNETES.read_text(encoding="utf-8")) if doc]


def claimdesk_services() -> dict[str, dict[str, Any]]:
    """The compose services that run our image."""
    return {name: service for name, service in compose()["services"].items()
            if "build" in service}


def pod_containers(kind: str = "Deployment") -> dict[str, dict[str, Any]]:
    """``deployment/container`` -> container, init containers included."""
    found = {}
    for doc in manifests():
        if doc["kind"] == kind:
            spec = doc["spec"]["template"]["spec"]
            for container in spec.get("initContainers", []) + spec["containers"]:
                found[f"{doc['metadata']['name']}/{container['name']}"] = container
    return found


def unknown(names: set[str]) -> set[str]:
    return {n for n in names if n not in setting_names() and n not in THIRD_PARTY}


def test_the_env_example_sets_only_settings_and_they_validate(
        monkeypatch: pytest.MonkeyPatch) -> None:
    values = env_file_names(ENV_EXAMPLE)
    assert {"DATABASE_URL", "REDIS_URL"} <= set(values)
    assert not unknown(set(values))
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    settings = Settings()
    assert settings.database_url and settings.database_url.startswith("postgresql+psycopg://")
    assert not settings.embedded_redis


def test_the_compose_file_sets_only_settings() -> None:
    services = claimdesk_services()
    assert {"api", "worker", "migrate"} <= set(services)
    for name, service in services.items():
        environment = service.get("environment", {})
        names = set(environment) if isinstance(environment, dict) else {
            item.split("=", 1)[0] for item in environment}
        for env_file in _as_list(service.get("env_file")):
            names |= set(env_file_names(COMPOSE.parent / env_file))
        assert not unknown(names), (name, unknown(names))
    dockerfile = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    image_env = {m.group(1) for line in dockerfile.splitlines() if line.startswith("ENV ")
                 for m in re.finditer(r"([A-Z_][A-Z0-9_]*)=", line)}
    assert image_env and not unknown(image_env)


def test_the_kubernetes_manifests_set_only_settings() -> None:
    docs = manifests()
    assert {d["kind"] for d in docs} >= {"Deployment", "Service", "ConfigMap"}
    config_maps = {d["metadata"]["name"]: d["data"] for d in docs if d["kind"] == "ConfigMap"}
    for name, container in pod_containers().items():
        names = {item["name"] for item in container.get("env", [])}
        for source in container.get("envFrom", []):
            if "configMapRef" in source:
                names |= set(config_maps[source["configMapRef"]["name"]])
        assert not unknown(names), (name, unknown(names))


def test_every_command_is_a_claimdesk_command() -> None:
    commands = [s["command"] for s in claimdesk_services().values() if "command" in s]
    commands += [c["command"] for c in pod_containers().values()]
    assert len(commands) >= 5
    for command in commands:
        assert command[0] == "claimdesk"
        build_parser().parse_args(command[1:])  # exits 2 on an unknown command or option


def test_the_api_is_probed_on_readyz_and_healthz() -> None:
    containers = pod_containers()
    api = containers["claimdesk-api/api"]
    port = api["ports"][0]["containerPort"]
    assert api["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": port}
    assert api["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": port}
    assert api["command"][-2:] == ["--port", str(port)]
    (service,) = [d for d in manifests() if d["kind"] == "Service"]
    assert service["spec"]["ports"][0]["targetPort"] == port
    healthcheck = " ".join(claimdesk_services()["api"]["healthcheck"]["test"])
    assert "http://127.0.0.1:8000/readyz" in healthcheck
    assert "8000:8000" in claimdesk_services()["api"]["ports"]


def test_workers_scale_apart_from_the_api() -> None:
    worker = claimdesk_services()["worker"]
    assert worker["command"] == ["claimdesk", "worker"] and worker["deploy"]["replicas"] >= 2
    assert "migrate" in worker["depends_on"] and "ports" not in worker
    (deployment,) = [d for d in manifests() if d["metadata"]["name"] == "claimdesk-worker"]
    assert deployment["spec"]["replicas"] >= 2


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def test_a_stopped_worker_gets_longer_than_the_shutdown_grace() -> None:
    grace = Settings().shutdown_grace
    compose_grace = claimdesk_services()["worker"]["stop_grace_period"]
    assert compose_grace.endswith("s") and float(compose_grace[:-1]) > grace
    (deployment,) = [d for d in manifests() if d["metadata"]["name"] == "claimdesk-worker"]
    assert deployment["spec"]["template"]["spec"]["terminationGracePeriodSeconds"] > grace
