"""Running a command to its end and measuring it: wall time, the peak RSS of its whole process tree, and when its
output lines came."""
import dataclasses
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time

from .layout import ROOT


class Pending(Exception):
    """A tool cannot run a scenario yet; the message says why and goes into the table."""


class Failed(Exception):
    """A tool ran and failed: the table says so and the checks fail."""


@dataclasses.dataclass
class Measurement:
    """One run of a tool: what the timer saw, then what the scenario read back from the destination."""
    seconds: float
    rss: int
    log: str
    marks: dict = dataclasses.field(default_factory=dict)  # "first output", "summary": seconds since launch
    stages: dict = dataclasses.field(default_factory=dict)  # the stage times Sluice prints
    counts: dict = dataclasses.field(default_factory=dict)  # rows per table
    merged: dict = dataclasses.field(default_factory=dict)  # a merge's column sums (destinations.MERGED_SQL)
    work: float = None  # the native engine's own work, timed inside its process (engine.py)
    memory: int = None  # the memory its work took (engine.py)
    least_memory: dict = None  # the least memory limit it worked under, and the memory it took there (tools.least_memory)
    idle_rss: int = None  # serve's RSS once idle after its first call (startup.sample_idle_rss)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fresh_dir(path):
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    return path


def _children(pid):
    children = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                children.extend(int(child) for child in handle.read().split())
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        pass
    return children


def _rss(pid):
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except (FileNotFoundError, ProcessLookupError):
        pass
    return 0


def tree_rss(pid):
    """Resident memory of a process and all its descendants, now."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        total += _rss(current)
        todo.extend(_children(current))
    return total


class Sampler(threading.Thread):
    """Samples the RSS of a process tree every 20 ms until stopped; keeps the peak."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.peak, self.stopped = pid, 0, threading.Event()

    def run(self):
        while not self.stopped.is_set():
            self.peak = max(self.peak, tree_rss(self.pid))
            self.stopped.wait(0.02)

    def stop(self):
        self.stopped.set()
        self.join()
        return self.peak


CHILDREN = set()  # process groups of running commands, ended if the harness is stopped


def stop_children(signum, frame):
    for group in list(CHILDREN):
        try:
            os.killpg(group, signal.SIGKILL)
        except ProcessLookupError:
            pass
    sys.exit(128 + signum)


def measure(command, log_path, env=None, cwd=ROOT, timeout=3600):
    """Runs a command to its end: wall seconds, peak RSS of its process tree, and when its output lines came (each
    log line is prefixed with seconds since launch). Raises Failed on a non-zero exit."""
    os.makedirs(os.path.dirname(log_path), exist_ok=True)
    marks = {}
    with open(log_path, "w") as log:
        log.write("$ " + " ".join(command) + "\n")
        log.flush()
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
        CHILDREN.add(process.pid)

        def copy_output():
            for line in iter(process.stdout.readline, b""):
                elapsed = time.perf_counter() - start
                text = line.decode(errors="replace")
                marks.setdefault("first output", elapsed)
                if text.startswith("Rows loaded per table:"):
                    marks["summary"] = elapsed
                log.write(f"[{elapsed:8.3f}] {text}")

        reader = threading.Thread(target=copy_output, daemon=True)
        reader.start()
        sampler = Sampler(process.pid)
        sampler.start()
        timer = threading.Timer(timeout, lambda: os.killpg(process.pid, signal.SIGKILL))
        timer.start()
        _, status = os.waitpid(process.pid, 0)
        seconds = time.perf_counter() - start
        timer.cancel()
        # Sampled only: the kernel's ru_maxrss of a child keeps the high-water mark of the process it was forked
        # from (this harness, with DuckDB files read back), so it would report the harness, not the tool.
        peak = sampler.stop()
        process.returncode = os.waitstatus_to_exitcode(status)
        try:
            os.killpg(process.pid, signal.SIGKILL)  # anything the command left behind
        except ProcessLookupError:
            pass
        CHILDREN.discard(process.pid)
        reader.join(timeout=5)
    if process.returncode != 0:
        raise Failed(f"exit {process.returncode}, see {os.path.relpath(log_path, ROOT)}")
    return Measurement(seconds, peak, log_path, marks)


def run_quietly(command, **kwargs):
    return subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **kwargs)
