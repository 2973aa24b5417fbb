#!/usr/bin/env python3
"""Checks deploy/ against the binaries it runs (ctest: deploy.manifests).

Kubernetes (deploy/kubernetes, all areas in one Deployment, and deploy/kubernetes/per-area, one
Deployment per area, written by its generate.py): every file parses and is listed by its
kustomization, the generated files are up to date; every
program a container runs is one we build, and every REGIE_* variable it sets is a flag of that
program (its --help); the listen ports agree with the container ports, the probes ask the health
port for grpc.health.v1 (liveness for the service the server keeps SERVING while it lives); every
Service, PodDisruptionBudget, HorizontalPodAutoscaler and NetworkPolicy points at a Deployment's
pods and at ports they have; every mounted path the server reads lies in a volume. The database
(CloudNativePG `Cluster`): Guaranteed QoS (requests equal to limits), shared_buffers at most 40% of
its memory, and max_connections enough for every Deployment's pool at its autoscaler's maximum
with a rolling update's surge, the migration Job and a reserve.

systemd (deploy/systemd): `systemd-analyze verify` accepts every unit without a word, with the
built binaries installed where the units expect them; the example environment file names flags.

Usage: check_deploy.py SOURCE_DIR BINARY_DIR
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile

import yaml

PROGRAMS = {
    "regie-server": "services/regie-server",
    "regie-migrate": "services/regie-migrate",
    "regie-covenantsd": "services/regie-covenantsd",
    "regie-providersd": "services/regie-providersd",
    "regie-outcomesd": "services/regie-outcomesd",
    "regie-reportsd": "services/regie-reportsd",
}

problems = []


def problem(where, what):
    problems.append(f"{where}: {what}")


def help_text(binary_dir, program):
    path = os.path.join(binary_dir, PROGRAMS[program])
    return subprocess.run([path, "--help"], capture_output=True, text=True, check=True).stdout


def env_names(help_output):
    return set(re.findall(r"\(Env:(REGIE_[A-Z0-9_]+)\)", help_output))


def port_of(address):
    return int(address.rsplit(":", 1)[1])


def selects(selector, labels):
    return all(labels.get(k) == v for k, v in (selector or {}).items())


def load_kustomization(folder, root):
    """The objects of the kustomization in `folder` and of the folders it lists, as (file, object)
    with the file relative to `root`; every YAML file of a folder must be listed."""
    where = os.path.relpath(folder, root)
    with open(os.path.join(folder, "kustomization.yaml")) as f:
        kustomization = yaml.safe_load(f)
    listed = kustomization.get("resources", [])
    files = {n for n in listed if n.endswith(".yaml")}
    present = {n for n in os.listdir(folder) if n.endswith(".yaml") and n != "kustomization.yaml"}
    for name in sorted(present - files):
        problem(os.path.join(where, name), "not listed in kustomization.yaml")
    objects = []
    for name in listed:
        path = os.path.normpath(os.path.join(folder, name))
        if os.path.isdir(path):
            objects += load_kustomization(path, root)
            continue
        if not os.path.isfile(path):
            problem(os.path.join(where, "kustomization.yaml"), f"lists {name}, which does not exist")
            continue
        with open(path) as f:
            try:
                objects += [(os.path.relpath(path, root), o) for o in yaml.safe_load_all(f) if o]
            except yaml.YAMLError as e:
                problem(os.path.relpath(path, root), f"not valid YAML: {e}")
    return objects


def check_generated(source_dir):
    """The per-area manifests are what their generator writes now."""
    folder = os.path.join(source_dir, "deploy", "kubernetes", "per-area")
    sys.path.insert(0, folder)
    sys.dont_write_bytecode = True  # no __pycache__ in the source tree
    import generate  # pylint: disable=import-outside-toplevel
    for name, text in generate.manifests().items():
        path = os.path.join(folder, name)
        written = None
        if os.path.isfile(path):
            with open(path) as f:
                written = f.read()
        if written != text:
            problem(f"deploy/kubernetes/per-area/{name}",
                    "differs from what generate.py writes: run python3 "
                    "deploy/kubernetes/per-area/generate.py")


def check_kubernetes(source_dir, binary_dir):
    """Each way of running Regie on Kubernetes: all areas in one Deployment, or one per area."""
    root = os.path.join(source_dir, "deploy", "kubernetes")
    for variant in (root, os.path.join(root, "per-area")):
        check_objects(load_kustomization(variant, root), binary_dir)
    check_generated(source_dir)


# Connections the database keeps beyond Regie's pools: PostgreSQL's superuser reserve (3),
# CloudNativePG's own and its monitoring, and an operator's psql.
DATABASE_RESERVED_CONNECTIONS = 10
# PostgreSQL's documentation: more than 40% of the memory for shared_buffers is unlikely to help.
SHARED_BUFFERS_MAX_SHARE = 0.40


def quantity_bytes(text):
    """A Kubernetes memory quantity ("4Gi", "512Mi", "1G") in bytes."""
    units = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40,
             "K": 10**3, "M": 10**6, "G": 10**9, "T": 10**12, "": 1}
    number, unit = re.fullmatch(r"([0-9.]+)([A-Za-z]*)", str(text)).groups()
    return float(number) * units[unit]


def setting_bytes(text):
    """A PostgreSQL memory setting ("1GB", "128MB", or a bare number of 8 kB pages) in bytes."""
    units = {"kB": 2**10, "MB": 2**20, "GB": 2**30, "TB": 2**40, None: 8192}
    number, unit = re.fullmatch(r"([0-9]+)\s*(kB|MB|GB|TB)?", str(text)).groups()
    return int(number) * units[unit]


def check_database(objects, pool_users):
    """The CloudNativePG Cluster against the pods that connect to it. `pool_users` lists
    (where, most pods at once, connections per pod)."""
    clusters = [(n, o) for n, o in objects if o["kind"] == "Cluster"]
    if len(clusters) != 1:
        problem("deploy/kubernetes", f"{len(clusters)} database Clusters, not one")
        return
    name, cluster = clusters[0]
    where = f"{name} Cluster/{cluster['metadata']['name']}"
    spec = cluster["spec"]
    resources = spec.get("resources", {})
    for resource in ("cpu", "memory"):
        request = resources.get("requests", {}).get(resource)
        limit = resources.get("limits", {}).get(resource)
        if request is None or request != limit:
            problem(where, f"{resource} request {request} and limit {limit} differ "
                    "(Guaranteed QoS needs both, equal)")
    parameters = spec.get("postgresql", {}).get("parameters", {})
    memory = resources.get("limits", {}).get("memory")
    if "shared_buffers" not in parameters:
        problem(where, "sets no shared_buffers (PostgreSQL's default is 128MB)")
    elif memory and setting_bytes(parameters["shared_buffers"]) > (
            SHARED_BUFFERS_MAX_SHARE * quantity_bytes(memory)):
        problem(where, f"shared_buffers {parameters['shared_buffers']} is more than "
                f"{SHARED_BUFFERS_MAX_SHARE:.0%} of its memory {memory}")
    needed = DATABASE_RESERVED_CONNECTIONS
    for _, pods, per_pod in pool_users:
        needed += pods * per_pod
    have = int(parameters.get("max_connections", 100))
    if have < needed:
        users = ", ".join(f"{w} {p} x {c}" for w, p, c in pool_users)
        problem(where, f"max_connections {have} is less than the {needed} its clients may open "
                f"({users}, and {DATABASE_RESERVED_CONNECTIONS} reserved)")


def check_objects(objects, binary_dir):
    for name, o in objects:
        for key in ("apiVersion", "kind", "metadata"):
            if key not in o:
                problem(name, f"an object without {key}")

    workloads = {}  # Deployment name -> (pod labels, container ports by name)
    pools = {}  # Deployment name -> database connections per pod
    pool_users = []  # (where, pods at most, connections per pod), for check_database
    for name, o in objects:
        if o["kind"] not in ("Deployment", "Job"):
            continue
        where = f"{name} {o['kind']}/{o['metadata']['name']}"
        pod = o["spec"]["template"]
        labels = pod["metadata"].get("labels", {})
        if o["kind"] == "Deployment" and not selects(o["spec"]["selector"]["matchLabels"], labels):
            problem(where, "its selector does not match its pod labels")
        volumes = {v["name"] for v in pod["spec"].get("volumes", [])}
        ports = {}
        for c in pod["spec"]["containers"]:
            program = os.path.basename(c["command"][0])
            if program not in PROGRAMS:
                problem(where, f"runs {c['command'][0]}, which is not a Regie program")
                continue
            flags = env_names(help_text(binary_dir, program))
            env = {}
            for e in c.get("env", []):
                if e["name"].startswith("REGIE_") and e["name"] not in flags:
                    problem(where, f"sets {e['name']}, which {program} does not read")
                env[e["name"]] = e.get("value")
            if o["kind"] == "Job":
                pool_users.append((where, 1, 1))  # regie-migrate: one connection
            elif env.get("REGIE_DB_POOL_SIZE") is None:
                problem(where, "sets no REGIE_DB_POOL_SIZE, on which the database's "
                        "max_connections depends")
            else:
                pools[o["metadata"]["name"]] = int(env["REGIE_DB_POOL_SIZE"])
            ports = {p["name"]: p["containerPort"] for p in c.get("ports", [])}
            for variable, port_name in (("REGIE_LISTEN", "grpc"), ("REGIE_HEALTH_LISTEN", "health"),
                                        ("REGIE_METRICS_LISTEN", "metrics")):
                if env.get(variable) and port_of(env[variable]) != ports.get(port_name):
                    problem(where, f"{variable} {env[variable]} is not container port {port_name}")
            mounts = [m["mountPath"] for m in c.get("volumeMounts", [])]
            for m in c.get("volumeMounts", []):
                if m["name"] not in volumes:
                    problem(where, f"mounts volume {m['name']}, which is not declared")
            for variable in ("REGIE_TLS_CA", "REGIE_TLS_CERT", "REGIE_TLS_KEY"):
                path = env.get(variable)
                if path and not any(path.startswith(m.rstrip("/") + "/") for m in mounts):
                    problem(where, f"{variable} {path} is in no mounted volume")
            if o["kind"] == "Deployment":
                health = ports.get("health")
                for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
                    grpc_probe = c.get(probe, {}).get("grpc")
                    if not grpc_probe:
                        problem(where, f"{probe} does not use grpc.health.v1")
                    elif grpc_probe["port"] != health:
                        problem(where, f"{probe} asks port {grpc_probe['port']}, not health")
                liveness = c.get("livenessProbe", {}).get("grpc", {}).get("service")
                if liveness != LIVENESS_SERVICE:
                    problem(where, f"livenessProbe asks for {liveness!r}, not {LIVENESS_SERVICE!r}")
        if o["kind"] == "Deployment":
            workloads[o["metadata"]["name"]] = (labels, ports)

    most_replicas = {o["spec"]["scaleTargetRef"]["name"]: o["spec"]["maxReplicas"]
                     for _, o in objects if o["kind"] == "HorizontalPodAutoscaler"}
    for _, o in objects:
        deployment = o["metadata"]["name"]
        if o["kind"] != "Deployment" or deployment not in pools:
            continue
        pods = most_replicas.get(deployment, o["spec"].get("replicas", 1))
        surge = o["spec"].get("strategy", {}).get("rollingUpdate", {}).get("maxSurge", "25%")
        if isinstance(surge, str):  # a share of the replicas, rounded up, as Kubernetes does
            surge = -(-pods * int(surge.rstrip("%")) // 100)
        pool_users.append((f"Deployment/{deployment}", pods + surge, pools[deployment]))
    check_database(objects, pool_users)

    def pods_of(selector):
        return [(n, ports) for n, (labels, ports) in workloads.items() if selects(selector, labels)]

    for name, o in objects:
        kind = o["kind"]
        where = f"{name} {kind}/{o['metadata']['name']}"
        if kind == "Service":
            targets = pods_of(o["spec"]["selector"])
            if not targets:
                problem(where, "selects no Deployment's pods")
            for p in o["spec"]["ports"]:
                for _, ports in targets:
                    if p["targetPort"] not in ports:
                        problem(where, f"targets port {p['targetPort']}, which the pods lack")
        elif kind == "PodDisruptionBudget":
            if not pods_of(o["spec"]["selector"]["matchLabels"]):
                problem(where, "selects no Deployment's pods")
        elif kind == "HorizontalPodAutoscaler":
            if o["spec"]["scaleTargetRef"]["name"] not in workloads:
                problem(where, "scales no Deployment of these manifests")
        elif kind == "NetworkPolicy":
            targets = pods_of(o["spec"]["podSelector"]["matchLabels"])
            if not targets:
                problem(where, "selects no Deployment's pods")
            for rule in o["spec"].get("ingress", []):
                for p in rule.get("ports", []):
                    for _, ports in targets:
                        if isinstance(p["port"], str) and p["port"] not in ports:
                            problem(where, f"admits port {p['port']}, which the pods lack")


def check_systemd(source_dir, binary_dir):
    folder = os.path.join(source_dir, "deploy", "systemd")
    units = sorted(n for n in os.listdir(folder) if n.endswith(".service"))
    if not shutil.which("systemd-analyze"):
        problem("deploy/systemd", "systemd-analyze is not installed (scripts/install-deps.sh)")
        return
    with tempfile.TemporaryDirectory() as root:
        os.makedirs(os.path.join(root, "usr/local/bin"))
        for program, path in PROGRAMS.items():
            shutil.copy(os.path.join(binary_dir, path), os.path.join(root, "usr/local/bin"))
        shutil.copytree("/usr/lib/systemd/system", os.path.join(root, "usr/lib/systemd/system"),
                        symlinks=True)
        unit_dir = os.path.join(root, "etc/systemd/system")
        os.makedirs(unit_dir)
        to_verify = []
        for unit in units:
            shutil.copy(os.path.join(folder, unit), unit_dir)
            if unit.endswith("@.service"):
                for area in ("covenants", "providers", "outcomes", "reports"):
                    instance = unit.replace("@.service", f"@{area}.service")
                    shutil.copy(os.path.join(folder, unit), os.path.join(unit_dir, instance))
                    to_verify.append(instance)
            else:
                to_verify.append(unit)
        for unit in to_verify:
            result = subprocess.run(
                ["systemd-analyze", "verify", "--man=no", f"--root={root}",
                 os.path.join(unit_dir, unit)], capture_output=True, text=True)
            said = (result.stdout + result.stderr).strip()
            if result.returncode != 0 or said:
                problem(f"deploy/systemd/{unit}", said or f"systemd-analyze exit {result.returncode}")
    flags = env_names(help_text(binary_dir, "regie-server"))
    with open(os.path.join(folder, "regie.env.example")) as f:
        for line in f:
            name = line.split("=", 1)[0].strip()
            if name.startswith("REGIE_") and name not in flags:
                problem("deploy/systemd/regie.env.example", f"{name} is not a regie-server flag")


def liveness_service(source_dir):
    with open(os.path.join(source_dir, "services/common/rpc/server_host.hpp")) as f:
        return re.search(r'kLivenessService = "([^"]+)"', f.read()).group(1)


if __name__ == "__main__":
    source, binaries = sys.argv[1], sys.argv[2]
    LIVENESS_SERVICE = liveness_service(source)
    check_kubernetes(source, binaries)
    check_systemd(source, binaries)
    for p in problems:
        print(p)
    print(f"deploy: {len(problems)} problems")
    sys.exit(1 if problems else 0)
