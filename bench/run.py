#!/usr/bin/env python3
"""Sluice against dlt, side by side on the same data and machine (bench/README.md).

Usage: python3 bench/run.py [--quick | --tiny] [--scenarios p1,p1x10,p2,p3,p4,p6,p7,p8,startup] [--runs N] [--output FILE]
       [--no-profile | --profile] [--seed N]
       python3 bench/run.py render RESULTS.json [--output FILE.md]
       python3 bench/run.py check RESULTS.json

The harness is the package bench/sluicebench; this file is its entry point (and what it re-runs inside bench/.venv).
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from sluicebench.cli import main  # noqa: E402 (after the path it is found on)

if __name__ == "__main__":
    sys.exit(main(__file__, sys.argv[1:]))
