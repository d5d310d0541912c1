"""The Helm chart (helm/jixiao), rendered offline by Helm's own library (helm-python-sdk) with
the default values and with every option on (helm/jixiao/ci/full-values.yaml); every manifest
is validated strictly against the Kubernetes schema of the version the chart targets.

Then what makes an install and an upgrade work: the migration Job's inputs exist before it
runs, restricted pod security with the image's user, PodDisruptionBudgets, the standard labels,
config checksums that roll the pods, no fixed replica count under autoscaling, and a values
schema that refuses a mistyped key.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import helm_python as helm
import kubernetes_validate
import pytest
import yaml

from jixiao.settings import Settings
from workers import liveness

ROOT = Path(__file__).resolve().parent.parent
CHART = ROOT / "helm" / "jixiao"
KUBERNETES = "1.30.0"
# Custom resources of optional operators: not in the Kubernetes schema, checked by hand below.
CUSTOM = {("keda.sh/v1alpha1", "ScaledObject"), ("monitoring.coreos.com/v1", "ServiceMonitor")}
UID = 10001
STANDARD_LABELS = ("app.kubernetes.io/name", "app.kubernetes.io/instance",
                   "app.kubernetes.io/version", "app.kubernetes.io/component",
                   "app.kubernetes.io/part-of", "app.kubernetes.io/managed-by", "helm.sh/chart")
SECRETS = {"databaseUrl": "postgresql+psycopg://jixiao_app:a@db:5432/jixiao",
           "ownerDatabaseUrl": "postgresql+psycopg://jixiao_owner:o@db:5432/jixiao",
           "redisUrl": "redis://redis:6379/0", "secretKey": "k" * 40}
# Settings a deployment does not set: the image fixes them, a test hook, or another value
# turns them on (worker.metrics.enabled).
NOT_VALUES = {"data_dir", "portal_dir", "job_test_delay_seconds"}

Doc = dict[str, Any]


def full_values() -> dict[str, Any]:
    values: dict[str, Any] = yaml.safe_load((CHART / "ci" / "full-values.yaml").read_text())
    return values


VALUES: dict[str, dict[str, Any]] = {
    "defaults, existing secret": {"existingSecret": "jixiao-secrets"},
    "defaults, secrets in values": {"secrets": SECRETS},
    "full": full_values(),
    "no /tmp limit": {"existingSecret": "jixiao-secrets", "tmpSizeLimit": ""},
}


def render(values: dict[str, Any], *, upgrade: bool = False) -> dict[str, str]:
    chart = helm.Chart.load(CHART)
    return chart.render(values=values, name="jx", namespace="jixiao", revision=2 if upgrade else 1,
                        is_install=not upgrade, is_upgrade=upgrade)


def documents(manifests: dict[str, str]) -> list[Doc]:
    return [doc for text in manifests.values() for doc in yaml.safe_load_all(text) if doc]


def of_kind(docs: list[Doc], kind: str) -> list[Doc]:
    return [d for d in docs if d["kind"] == kind]


def pod_specs(docs: list[Doc]) -> Iterator[tuple[Doc, Doc]]:
    for doc in docs:
        if doc["kind"] in ("Deployment", "Job", "StatefulSet", "DaemonSet"):
            yield doc, doc["spec"]["template"]


def hook(doc: Doc) -> tuple[set[str], int] | None:
    annotations = doc["metadata"].get("annotations") or {}
    if "helm.sh/hook" not in annotations:
        return None
    return (set(annotations["helm.sh/hook"].split(",")),
            int(annotations.get("helm.sh/hook-weight", "0")))


@pytest.fixture(scope="module", params=list(VALUES))
def case(request: pytest.FixtureRequest) -> tuple[dict[str, Any], list[Doc], dict[str, str]]:
    values = VALUES[request.param]
    manifests = render(values)
    return values, documents(manifests), manifests


def test_every_manifest_validates_strictly(case: tuple[dict[str, Any], list[Doc],
                                                       dict[str, str]]) -> None:
    _, docs, _ = case
    assert docs
    for doc in docs:
        if (doc["apiVersion"], doc["kind"]) in CUSTOM:
            assert doc["metadata"]["name"]
            assert doc["spec"]
            continue
        kubernetes_validate.validate(doc, KUBERNETES, strict=True)


@pytest.mark.parametrize("name", list(VALUES))
def test_helm_lint_strict(name: str) -> None:
    report = helm.lint(CHART, VALUES[name], strict=True, kube_version=f"v{KUBERNETES}")
    problems = [m for m in report["messages"] if m["severity"] >= 2]  # warnings and errors
    assert report["errors"] == []
    assert problems == []


def test_full_values_render_every_optional_object() -> None:
    kinds = {d["kind"] for d in documents(render(full_values()))}
    assert {"Ingress", "NetworkPolicy", "ServiceMonitor", "ScaledObject", "PodDisruptionBudget",
            "HorizontalPodAutoscaler", "ServiceAccount", "Job", "Secret", "ConfigMap"} <= kinds


def test_the_migration_jobs_inputs_exist_before_it(
        case: tuple[dict[str, Any], list[Doc], dict[str, str]]) -> None:
    """A pre-install hook runs before the release's objects exist: everything the Job reads is
    a hook of the same phases with a lower weight, or made by the operator beforehand."""
    values, docs, _ = case
    external = {("Secret", values.get("existingSecret", ""))} - {("Secret", "")}
    hooks = {(d["kind"], d["metadata"]["name"]): hook(d) for d in docs}
    jobs = [(d, t) for d, t in pod_specs(docs) if d["kind"] == "Job"]
    assert jobs
    for job, template in jobs:
        job_hook = hook(job)
        assert job_hook is not None
        assert {"pre-install", "pre-upgrade"} <= job_hook[0]
        phases, weight = job_hook
        for needed in references(template["spec"]):
            if needed in external:
                continue
            assert needed in hooks, f"{job['metadata']['name']} reads {needed}, not rendered"
            needed_hook = hooks[needed]
            assert needed_hook is not None, f"{needed} is created only after the Job"
            assert phases <= needed_hook[0], needed
            assert needed_hook[1] < weight, needed


def references(pod: Doc) -> set[tuple[str, str]]:
    """The ConfigMaps, Secrets and ServiceAccount a pod reads."""
    found = {("ServiceAccount", pod.get("serviceAccountName", "default"))} - {
        ("ServiceAccount", "default")}
    for container in pod.get("initContainers", []) + pod["containers"]:
        for source in container.get("envFrom", []):
            for key, kind in (("configMapRef", "ConfigMap"), ("secretRef", "Secret")):
                if key in source:
                    found.add((kind, source[key]["name"]))
        for env in container.get("env", []):
            ref = env.get("valueFrom", {})
            for key, kind in (("configMapKeyRef", "ConfigMap"), ("secretKeyRef", "Secret")):
                if key in ref and not ref[key].get("optional"):
                    found.add((kind, ref[key]["name"]))
    for volume in pod.get("volumes", []):
        if "secret" in volume:
            found.add(("Secret", volume["secret"]["secretName"]))
        if "configMap" in volume:
            found.add(("ConfigMap", volume["configMap"]["name"]))
    return found


def test_every_pod_runs_restricted_as_the_images_user(
        case: tuple[dict[str, Any], list[Doc], dict[str, str]]) -> None:
    _, docs, _ = case
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert f"--uid {UID}" in dockerfile
    assert re.search(rf"^USER {UID}\b", dockerfile, re.M)
    for owner, template in pod_specs(docs):
        pod = template["spec"]
        name = owner["metadata"]["name"]
        assert pod["automountServiceAccountToken"] is False, name
        security = pod["securityContext"]
        assert security["runAsNonRoot"] is True, name
        assert security["runAsUser"] == UID, name
        assert security["seccompProfile"] == {"type": "RuntimeDefault"}, name
        tmp = {v["name"] for v in pod["volumes"] if isinstance(v.get("emptyDir"), dict)}
        for container in pod.get("initContainers", []) + pod["containers"]:
            c = container["securityContext"]
            assert c["allowPrivilegeEscalation"] is False, name
            assert c["readOnlyRootFilesystem"] is True, name
            assert c["capabilities"] == {"drop": ["ALL"]}, name
            assert c["runAsNonRoot"] is True, name
            assert c.get("runAsUser", UID) == UID, name
            assert any(m["mountPath"] == "/tmp" and m["name"] in tmp
                       for m in container["volumeMounts"]), f"{name}: no writable /tmp"


def test_every_deployment_has_a_disruption_budget(
        case: tuple[dict[str, Any], list[Doc], dict[str, str]]) -> None:
    _, docs, _ = case
    budgets = of_kind(docs, "PodDisruptionBudget")
    for deployment in of_kind(docs, "Deployment"):
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        matching = [b for b in budgets
                    if b["spec"]["selector"]["matchLabels"].items() <= labels.items()]
        assert len(matching) == 1, deployment["metadata"]["name"]
        assert "maxUnavailable" in matching[0]["spec"]


def test_standard_labels_everywhere(
        case: tuple[dict[str, Any], list[Doc], dict[str, str]]) -> None:
    _, docs, _ = case
    for doc in docs:
        labels = doc["metadata"]["labels"]
        assert all(label in labels for label in STANDARD_LABELS), doc["metadata"]["name"]
        assert labels["app.kubernetes.io/instance"] == "jx"
        assert labels["app.kubernetes.io/managed-by"] == "Helm"
    for owner, template in pod_specs(docs):
        labels = template["metadata"]["labels"]
        assert all(label in labels for label in STANDARD_LABELS), owner["metadata"]["name"]
        if owner["kind"] == "Deployment":
            assert owner["spec"]["selector"]["matchLabels"].items() <= labels.items()
            # a selector is immutable: it holds no label that changes between releases
            assert not {"app.kubernetes.io/version", "helm.sh/chart"} & set(
                owner["spec"]["selector"]["matchLabels"])
    for service in of_kind(docs, "Service"):
        selected = [d for d in of_kind(docs, "Deployment") if service["spec"]["selector"].items()
                    <= d["spec"]["template"]["metadata"]["labels"].items()]
        assert len(selected) == 1, service["metadata"]["name"]


def test_a_config_change_rolls_the_pods() -> None:
    manifests = render({"secrets": SECRETS})
    config = hashlib.sha256(manifests["jixiao/templates/configmap.yaml"].encode()).hexdigest()
    secret = hashlib.sha256(manifests["jixiao/templates/secret.yaml"].encode()).hexdigest()
    deployments = of_kind(documents(manifests), "Deployment")
    assert len(deployments) == 2
    for deployment in deployments:
        annotations = deployment["spec"]["template"]["metadata"]["annotations"]
        assert annotations["checksum/config"] == config
        assert annotations["checksum/secret"] == secret
    changed = render({"secrets": {**SECRETS, "secretKey": "s" * 40},
                      "config": {"tokenTtlSeconds": 3600}})
    for before, after in zip(deployments, of_kind(documents(changed), "Deployment"), strict=True):
        old = before["spec"]["template"]["metadata"]["annotations"]
        new = after["spec"]["template"]["metadata"]["annotations"]
        assert old["checksum/config"] != new["checksum/config"]
        assert old["checksum/secret"] != new["checksum/secret"]


def deployment(docs: list[Doc], component: str) -> Doc:
    (found,) = [d for d in of_kind(docs, "Deployment")
                if d["metadata"]["labels"]["app.kubernetes.io/component"] == component]
    return found


@pytest.mark.parametrize(("values", "api_scaled", "worker_scaler"), [
    ({}, True, None),
    ({"api": {"autoscaling": {"enabled": False}}}, False, None),
    ({"worker": {"autoscaling": {"mode": "cpu"}}}, True, "HorizontalPodAutoscaler"),
    ({"worker": {"autoscaling": {"mode": "keda", "keda": {"redisAddress": "redis:6379"}}}},
     True, "ScaledObject"),
])
def test_no_fixed_replicas_under_autoscaling(values: dict[str, Any], api_scaled: bool,
                                             worker_scaler: str | None) -> None:
    docs = documents(render({"existingSecret": "s", **values}))
    api, worker = deployment(docs, "api"), deployment(docs, "worker")
    targets = {d["kind"]: d for d in docs if d["kind"] in ("HorizontalPodAutoscaler",
                                                         "ScaledObject")}
    scalers = {(d["kind"], d["spec"]["scaleTargetRef"]["name"]) for d in docs
               if d["kind"] in ("HorizontalPodAutoscaler", "ScaledObject")}
    assert ("replicas" in api["spec"]) is not api_scaled
    assert (("HorizontalPodAutoscaler", api["metadata"]["name"]) in scalers) is api_scaled
    assert ("replicas" in worker["spec"]) is (worker_scaler is None)
    if worker_scaler:
        assert (worker_scaler, worker["metadata"]["name"]) in scalers
    if "ScaledObject" in targets:  # the lists Dramatiq keeps its job queues in
        lists = {t["metadata"]["listName"] for t in targets["ScaledObject"]["spec"]["triggers"]}
        assert lists == {"dramatiq:bonus", "dramatiq:exports"}


def test_the_keda_queues_are_the_jobs_queues() -> None:
    from models.jobs import JOB_ACTORS

    schema = helm.Chart.load(CHART).schema
    assert schema is not None
    keda = schema["properties"]["worker"]["properties"]["autoscaling"]["properties"]["keda"]
    assert set(keda["properties"]["queues"]["items"]["enum"]) == {
        queue for queue, _ in JOB_ACTORS.values()}


@pytest.mark.parametrize("values", [
    {"api": {"replicaz": 3}},
    {"replicas": 2},
    {"worker": {"autoscaling": {"mode": "sometimes"}}},
    {"config": {"tokenTtlSeconds": "8h"}},
    {"config": {"extra": {"LOG_LEVEL": "debug"}}},
])
def test_the_schema_refuses_a_wrong_value(values: dict[str, Any]) -> None:
    with pytest.raises(helm.HelmValuesError):
        render({"existingSecret": "s", **values})


def test_missing_secrets_are_named() -> None:
    with pytest.raises(helm.HelmError, match=r"secrets\.databaseUrl is required"):
        render({})


def test_every_setting_is_settable_and_every_variable_is_a_setting() -> None:
    docs = documents(render(full_values()))
    extra = set(full_values()["config"]["extra"])
    (config,) = of_kind(docs, "ConfigMap")
    given = set(config["data"])
    for _, template in pod_specs(docs):
        for container in template["spec"]["containers"]:
            given |= {e["name"] for e in container.get("env", [])
                      if e["name"].startswith("JIXIAO_")}
    fields = {f"JIXIAO_{name.upper()}" for name in Settings.model_fields}
    assert given - extra <= fields
    assert fields - {f"JIXIAO_{n.upper()}" for n in NOT_VALUES} <= given


def test_probes_and_metrics() -> None:
    docs = documents(render(full_values()))
    (api,) = deployment(docs, "api")["spec"]["template"]["spec"]["containers"]
    assert api["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert api["livenessProbe"]["httpGet"]["path"] == "/healthz"
    worker_pod = deployment(docs, "worker")["spec"]["template"]
    (worker,) = worker_pod["spec"]["containers"]
    assert worker["livenessProbe"]["exec"]["command"][:3] == ["python", "-m", "workers.liveness"]
    env = {e["name"]: e.get("value") for e in worker["env"]}
    assert env["JIXIAO_WORKER_METRICS"] == "1"
    assert {p["containerPort"] for p in worker["ports"]} == {int(env["dramatiq_prom_port"])}
    assert worker_pod["metadata"]["annotations"]["prometheus.io/port"] == env["dramatiq_prom_port"]
    # the chart runs the image's command (Dockerfile CMD) on the chart's port
    cmd = re.search(r"^CMD (\[.*\])", (ROOT / "Dockerfile").read_text(), re.M)
    assert cmd is not None
    assert yaml.safe_load(cmd.group(1))[:2] == api["command"][:2] == ["uvicorn", "jixiao.asgi:app"]


def test_the_worker_may_reach_only_postgres_redis_and_dns() -> None:
    docs = documents(render({"existingSecret": "s"}))
    (policy,) = [p for p in of_kind(docs, "NetworkPolicy")
                 if p["metadata"]["labels"]["app.kubernetes.io/component"] == "worker"]
    assert policy["spec"]["ingress"] == []
    ports = {p["port"] for rule in policy["spec"]["egress"] for p in rule["ports"]}
    assert ports == {53, 5432, 6379}


def test_the_liveness_probe_follows_the_beats(tmp_path: Path) -> None:
    assert liveness.stale(60, tmp_path) is None  # nobody has beaten: not alive
    liveness.beat(tmp_path)
    assert liveness.stale(60, tmp_path) == []
    import time

    assert liveness.stale(60, tmp_path, now=time.time() + 120)  # this process went quiet
    (tmp_path / "999999999").touch()  # a process that is gone is forgotten
    assert liveness.stale(60, tmp_path) == []
    assert not (tmp_path / "999999999").exists()
    # a file older than its process is an earlier process's (its pid came back): no beat
    mine = tmp_path / str(os.getpid())
    started = liveness._started(os.getpid())
    assert started is not None
    os.utime(mine, (started - 3600, started - 3600))
    assert liveness.stale(60, tmp_path, now=started + 10) is None
    assert liveness.stale(60, tmp_path, now=started + 120)


@pytest.mark.parametrize(("ingress_from", "metrics_from", "sources"), [
    ([], [], None),
    ([], [{"podSelector": {}}], None),  # the metrics peers do not shut the ingress out
    ([{"podSelector": {"matchLabels": {"a": "b"}}}], [{"podSelector": {}}], 2),
])
def test_who_may_reach_the_api(ingress_from: list[Doc], metrics_from: list[Doc],
                               sources: int | None) -> None:
    docs = documents(render({"existingSecret": "s", "networkPolicy": {
        "ingressFrom": ingress_from, "metricsFrom": metrics_from}}))
    (policy,) = [p for p in of_kind(docs, "NetworkPolicy")
                 if p["metadata"]["labels"]["app.kubernetes.io/component"] == "api"]
    (rule,) = policy["spec"]["ingress"]
    assert rule["ports"] == [{"port": "http", "protocol": "TCP"}]
    assert (len(rule["from"]) if "from" in rule else None) == sources


def test_an_upgrade_migrates_first_with_a_fresh_job() -> None:
    """Each revision has its own Job (a Job's pod template cannot change), made after the
    previous one is deleted; the hook Secret is made anew before it."""
    docs = documents(render({"secrets": SECRETS}, upgrade=True))
    (job,) = of_kind(docs, "Job")
    assert job["metadata"]["name"].endswith("-migrate-2")
    for doc in docs:
        found = hook(doc)
        if found is not None:
            assert "pre-upgrade" in found[0]
            policy = doc["metadata"]["annotations"]["helm.sh/hook-delete-policy"]
            assert "before-hook-creation" in policy
