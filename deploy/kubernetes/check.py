"""Offline checks of deploy/kubernetes/*.yaml: what a cluster would refuse or a drain would break.

No API server is needed (kubectl --dry-run=client still asks one for its API list, and kubeconform is not
packaged for Debian). Checks every container has liveness and readiness probes on a declared port, resource
requests; the silo serves health on the pod IP; each preStop + drain fits terminationGracePeriodSeconds;
each Deployment has a PodDisruptionBudget that selects it; the Ingress keeps WebSockets open.
Usage: /usr/bin/python3 deploy/kubernetes/check.py   (needs python3-yaml)
"""
import glob
import os
import sys

import yaml

SHUTDOWN_TIMEOUT = 30  # .NET's HostOptions.ShutdownTimeout, the longest a silo or front end drains after SIGTERM
KNOWN_KINDS = {"Deployment", "Service", "Secret", "ServiceAccount", "Role", "RoleBinding", "PodDisruptionBudget", "Ingress"}
errors: list[str] = []


def check(condition: bool, message: str) -> None:
    if not condition:
        errors.append(message)


def probe_port(probe: dict) -> object:
    for kind in ("httpGet", "tcpSocket", "grpc"):
        if kind in probe:
            return probe[kind]["port"]
    return None


def check_container(name: str, grace: int, container: dict) -> None:
    where = f"{name}/{container['name']}"
    ports = {port.get("name") for port in container.get("ports", [])} | {port["containerPort"] for port in container.get("ports", [])}
    for kind in ("livenessProbe", "readinessProbe"):
        probe = container.get(kind)
        check(probe is not None, f"{where}: no {kind}")
        if probe and (port := probe_port(probe)) is not None:
            check(port in ports, f"{where}: {kind} port {port} is not a declared container port")
        if probe:
            check("exec" in probe or probe_port(probe) is not None, f"{where}: {kind} has no handler")
    requests = container.get("resources", {}).get("requests", {})
    check({"cpu", "memory"} <= requests.keys(), f"{where}: resource requests need cpu and memory")
    pre_stop = container.get("lifecycle", {}).get("preStop", {}).get("sleep", {}).get("seconds", 0)
    if container["image"].startswith("sessions-"):
        check(pre_stop + SHUTDOWN_TIMEOUT <= grace, f"{where}: preStop {pre_stop} s + drain {SHUTDOWN_TIMEOUT} s exceeds the {grace} s grace period")
        env = {e["name"]: e.get("value") for e in container.get("env", [])}
        check(env.get("Urls", "").startswith("http://0.0.0.0:"), f"{where}: Urls must bind the pod IP for probes and scrapers")
        check(env.get("AllowedHosts") is not None, f"{where}: AllowedHosts must admit the pod IP the kubelet probes")


def main() -> int:
    directory = os.path.dirname(os.path.abspath(__file__))
    documents = [d for f in sorted(glob.glob(f"{directory}/*.yaml")) for d in yaml.safe_load_all(open(f)) if d]
    for d in documents:
        check(d.get("kind") in KNOWN_KINDS, f"unexpected kind {d.get('kind')}")
        check("apiVersion" in d and "name" in d.get("metadata", {}), f"{d['kind']}: apiVersion and metadata.name are required")
    deployments = [d for d in documents if d["kind"] == "Deployment"]
    budgets = [d for d in documents if d["kind"] == "PodDisruptionBudget"]
    for d in deployments:
        name, spec = d["metadata"]["name"], d["spec"]
        labels = spec["template"]["metadata"]["labels"]
        check(spec["selector"]["matchLabels"].items() <= labels.items(), f"{name}: selector does not match the pod labels")
        pod = spec["template"]["spec"]
        for container in pod["containers"]:
            check_container(name, pod.get("terminationGracePeriodSeconds", 30), container)
        if name != "sessions-redis":  # a single Redis cannot keep one replica through a drain
            check(any(b["spec"]["selector"]["matchLabels"].items() <= labels.items() for b in budgets), f"{name}: no PodDisruptionBudget")
    for b in budgets:
        check(("minAvailable" in b["spec"]) != ("maxUnavailable" in b["spec"]), f"{b['metadata']['name']}: set one of minAvailable, maxUnavailable")
    services = {d["metadata"]["name"]: d for d in documents if d["kind"] == "Service"}
    ingresses = [d for d in documents if d["kind"] == "Ingress"]
    check(len(ingresses) == 1, "one Ingress expected")
    for ingress in ingresses:
        notes = ingress["metadata"].get("annotations", {})
        check(int(notes.get("nginx.ingress.kubernetes.io/proxy-read-timeout", 60)) >= 3600, "Ingress: WebSockets need proxy-read-timeout >= 3600")
        for rule in ingress["spec"]["rules"]:
            for path in rule["http"]["paths"]:
                check(path["backend"]["service"]["name"] in services, f"Ingress: no Service {path['backend']['service']['name']}")
    silo = next(d for d in deployments if d["metadata"]["name"] == "sessions-silo")
    silo_ports = {p["name"]: p["containerPort"] for p in silo["spec"]["template"]["spec"]["containers"][0]["ports"]}
    check(silo_ports.get("http") == 11180, "silo: health and metrics port 11180 must be declared as http")
    for error in errors:
        print("FAIL", error)
    print(f"{len(documents)} documents, {len(errors)} problems")
    return 1 if errors else 0


sys.exit(main())
