"""The benchmark harness of bench/run.py: Sluice against dlt on the same data and machine (bench/README.md).

Modules by job: layout (where things are), venv (the bootstrap into bench/.venv), process (running and timing a
command: wall time, peak RSS of its process tree), postgres (the benchmark's own server), destinations (reading rows
back), tools (Sluice's and dlt's command lines), scenarios (the scenarios as data), runner (running them), startup,
profile (JFR), machine (facts), results (one JSON record per run), checks (on the JSON) and render (Markdown from
the JSON). Importing any of them needs only the standard library; the venv's packages are imported where used.
"""
