"""The facts of the machine and the software versions a report is read against."""
import os
import platform

from .layout import APP, ROOT, aot_cache, java_home
from .process import run_quietly


def facts(postgres):
    from importlib import metadata
    java = run_quietly([os.path.join(java_home(), "bin", "java"), "-version"]).stdout.splitlines()
    jdbc = [name for name in os.listdir(os.path.join(APP, "lib", "main")) if "duckdb_jdbc" in name]
    commit = run_quietly(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"]).stdout.strip()
    dirty = run_quietly(["git", "-C", ROOT, "status", "--porcelain", "--", "src", "pom.xml"]).stdout.strip()
    with open("/proc/meminfo") as handle:
        memory = int(next(line for line in handle if line.startswith("MemTotal")).split()[1]) * 1024
    cpu = "?"
    with open("/proc/cpuinfo") as handle:
        for line in handle:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    facts = [
        ("cores (nproc)", str(os.cpu_count())),
        ("CPU", cpu),
        ("memory", f"{memory / 2 ** 30:.1f} GiB"),
        ("OS", f"{platform.system()} {platform.release()}"),
        ("load average at start", " ".join(f"{value:.2f}" for value in os.getloadavg())),
        ("JDK", java[0] if java else "?"),
        ("Sluice", f"commit {commit}{' (with uncommitted changes)' if dirty else ''}"
                   f"{', AOT cache trained' if aot_cache() else ', no AOT cache'}"),
        ("DuckDB (Sluice's JDBC driver)", jdbc[0].removesuffix(".jar").split("-", 1)[-1] if jdbc else "?"),
        ("Python", platform.python_version()),
    ]
    for package in ("dlt", "duckdb", "pyarrow", "connectorx", "psycopg2-binary", "SQLAlchemy"):
        try:
            facts.append((package + (" (Python)" if package == "duckdb" else ""), metadata.version(package)))
        except metadata.PackageNotFoundError:
            facts.append((package, "not installed"))
    if postgres.port:
        facts.append(("PostgreSQL", postgres.version()))
    return facts
