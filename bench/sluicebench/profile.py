"""One extra Sluice run of a scenario with Java Flight Recorder: the hottest frames, the innermost Sluice method on
each sample's stack, self time by package and by thread."""
import json
import os
import re
import shutil

from .layout import java_home
from .process import fresh_dir, run_quietly


def profile(bench, scenario):
    pipeline = bench.pipelines[scenario][None]
    data_dir = fresh_dir(os.path.join(bench.work, f"sluice-{scenario}-profile"))
    recording = os.path.join(bench.logs, f"{scenario}-sluice.jfr")
    print(f"bench: profiling Sluice on {scenario}", flush=True)
    bench.sluice.run(pipeline, data_dir, bench.log(scenario, "sluice-profile", 0),
                     f"-XX:StartFlightRecording=filename={recording},settings=profile,jdk.ExecutionSample#period=1ms")
    printed = run_quietly([os.path.join(java_home(), "bin", "jfr"), "print", "--json", "--stack-depth", "64",
                           "--events", "jdk.ExecutionSample", recording])
    events = json.loads(printed.stdout)["recording"]["events"]
    self_frames, sluice_frames, threads, packages = {}, {}, {}, {}
    for event in events:
        frames = event["values"]["stackTrace"]["frames"] if event["values"].get("stackTrace") else []
        names = [re.sub(r"[./]0x[0-9a-f]+", "", f'{frame["method"]["type"]["name"]}.{frame["method"]["name"]}')
                 .replace("/", ".") for frame in frames]
        if not names:
            continue
        self_frames[names[0]] = self_frames.get(names[0], 0) + 1
        package = ".".join(names[0].split(".")[:3])
        packages[package] = packages.get(package, 0) + 1
        for name in names:
            if name.startswith("io.sluice."):
                sluice_frames[name] = sluice_frames.get(name, 0) + 1
                break
        thread = (event["values"].get("sampledThread") or {}).get("javaName") or "?"
        thread = re.sub(r"\d+", "N", thread)
        threads[thread] = threads.get(thread, 0) + 1
    shutil.rmtree(data_dir, ignore_errors=True)
    return {"samples": len(events), "self": self_frames, "sluice": sluice_frames, "threads": threads,
            "packages": packages}
