"""The Markdown rendered from the fixed results: the layout of bench/RESULTS*.md, line for line where it matters."""
import unittest

from support import fixture, record
from sluicebench.render import render


def with_p1_times_ten():
    """The fixture with Sluice's P1 loading every table, and P1 ×10 run by Sluice: (the document, Sluice's P1 run)."""
    document = fixture()
    sluice = record(document, "p1", "sluice")
    sluice["rows"] = dict(record(document, "p1", "dlt")["rows"])
    document["scenarios"].append({"name": "p1x10", "size": 200000, "merged": {},
                                  "expected": {table: count * 10 for table, count in sluice["rows"].items()}})
    document["runs"].append(dict(sluice, scenario="p1x10", size=200000, wall_seconds=9.55, peak_rss_bytes=451 * 2 ** 20,
                                 rows={table: count * 10 for table, count in sluice["rows"].items()}))
    return document, sluice


class RenderTest(unittest.TestCase):
    def setUp(self):
        self.lines = render(fixture()).splitlines()

    def assert_line(self, line):
        self.assertIn(line, self.lines)

    def test_header_and_sections_in_order(self):
        self.assertEqual("# Sluice vs dlt — benchmark results (quick size)", self.lines[0])
        self.assert_line("Command: `python3 bench/run.py --quick`  ")
        self.assert_line("Date: 2026-11-26 23:03 UTC, took 1 min 43 s  ")
        headings = [line for line in self.lines if line.startswith("## ")]
        self.assertEqual(["## Machine", "## Results", "## Targets against this stack's floor",
                          "## Throughput of appends and merges", "## Rows per table", "## Start-up",
                          "## Where Sluice's time goes", "## Notes"], headings)
        self.assert_line("| cores (nproc) | 2 |")

    def test_results_rows(self):
        self.assert_line("| P1 nested JSONL → DuckDB | 20,000 records | 1.91 s | 5.23 s | 0.52 s | 2.7× | 3.67× | 410 MiB | "
                         "485 MiB | 0.84× | rows differ | not comparable until the rows match |")
        self.assert_line("| P2 PostgreSQL table → DuckDB | 100,000 rows | pending: source not yet available | 1.85 s | "
                         "— | — | — | — | 482 MiB | — | dlt only: as expected | pending |")
        self.assert_line("| P6 flat CSV → DuckDB | 100,000 rows | 3.60 s | 2.12 s | 0.46 s | 0.6× | 7.88× | 454 MiB | "
                         "463 MiB | 0.98× | same | ≥2× dlt: not met; ≤1.5× DuckDB: not met; RSS ≤⅓ dlt: not met |")

    def test_throughput_rows(self):
        self.assert_line("| P4 merge, 50% updates → DuckDB | 100,000 rows merged | pending: merge not yet available "
                         "| 45,455 |")
        self.assert_line("| P6 flat CSV → DuckDB | 100,000 rows | 27,778 | 47,170 |")

    def test_rows_per_table_with_merged_values_in_their_order(self):
        self.assert_line("| P1 | `orders` | 20,000 | 20,000 | 20,000 | 20,000 |")
        self.assert_line("| P1 | `orders__items` | 60,157 | 0 | 60,157 | — |")
        self.assert_line("| P2 | `rows` | 100,000 | pending | 100,000 | — |")
        self.assert_line("| P6 | `rows` | 100,000 | 100,000 | 100,000 | 100,000 |")
        merged = [line for line in self.lines if line.startswith("| P4 | `accounts` after the merge")]
        self.assertEqual(["| P4 | `accounts` after the merge: rows at version 2 | 100,000 | pending | 100,000 | — |",
                          "| P4 | `accounts` after the merge: sum(version) | 250,000 | pending | 250,000 | — |",
                          "| P4 | `accounts` after the merge: sum(amount) in cents | 7,468,201,412 | pending | "
                          "7,468,201,412 | — |"], merged)

    def test_no_baseline_section_without_a_baseline(self):
        self.assertNotIn("## This build against the baseline build", self.lines)

    def test_baseline_build_beside_this_one(self):
        document = fixture()
        baseline = dict(record(document, "p6", "sluice"), tool="baseline", wall_seconds=7.2,
                        peak_rss_bytes=500 * 2 ** 20)
        document["runs"].append(baseline)
        document["baseline"] = "/tmp/before/quarkus-app"
        lines = render(document).splitlines()
        headings = [line for line in lines if line.startswith("## ")]
        self.assertEqual("## This build against the baseline build", headings[3])
        self.assertIn("| P6 flat CSV → DuckDB | 7.20 s | 3.60 s | 2.00× | 500 MiB | 454 MiB |", lines)
        self.assertIn("| P2 PostgreSQL table → DuckDB | — | pending: source not yet available | — | — | — |", lines)

    def test_start_up_and_where_the_time_goes(self):
        self.assert_line("| Sluice: one-shot `sluice run` of bench/tiny.yaml (AOT cache) | 2.43 s | 244 MiB | — | "
                         "customers 5,000 |")
        self.assert_line("| Sluice: `sluice serve` → first gRPC health call (AOT cache) | 1.37 s | 154 MiB | 205 MiB | — |")
        self.assert_line("| dlt: `python -c \"import dlt\"` | 0.41 s | 54 MiB | — | — |")
        self.assert_line("Tiny pipeline, dlt / Sluice (AOT cache): 0.74×")
        self.assert_line("| Sluice run | wall | start → first output | first output → summary | summary → exit | "
                         "stage extract | stage load |")
        self.assert_line("| P1 | 1.91 s | 1.09 s | 0.73 s | 0.09 s | 0.51 s | 0.21 s |")
        self.assert_line("| tiny, AOT cache | 2.43 s | 1.93 s | 0.30 s | 0.20 s | 0.10 s | 0.12 s |")
        self.assert_line("| `io.sluice.normalize.Csv.read` | 60% |")

    def test_a_failed_tool_and_the_median_of_several_runs(self):
        document = fixture()
        failed = record(document, "p2", "sluice")
        failed.update(status="failed", reason="exit 1, see bench/out/logs/quick/p2-sluice-0.log")
        second = dict(record(document, "p6", "dlt"), run=2, wall_seconds=2.5)
        third = dict(second, run=3, wall_seconds=1.0)
        document["runs"] += [second, third]
        lines = render(document).splitlines()
        self.assertIn("| P2 PostgreSQL table → DuckDB | 100,000 rows | failed: exit 1, see "
                      "bench/out/logs/quick/p2-sluice-0.log | 1.85 s | — | — | — | — | 482 MiB | — | "
                      "dlt only: as expected | pending |", lines)
        self.assertIn("| P2 | `rows` | 100,000 | failed | 100,000 | — |", lines)
        self.assertIn("| P6 flat CSV → DuckDB | 100,000 rows | 27,778 | 47,170 |", lines)  # median 2.12 s of three

    def test_no_start_up_no_profile_no_notes(self):
        document = fixture()
        document["scenarios"] = [entry for entry in document["scenarios"] if entry["name"] != "startup"]
        document["runs"] = [run for run in document["runs"] if run["scenario"] != "startup"]
        document["profiles"], document["notes"] = {}, []
        headings = [line for line in render(document).splitlines() if line.startswith("## ")]
        self.assertEqual(["## Machine", "## Results", "## Targets against this stack's floor",
                          "## Throughput of appends and merges", "## Rows per table", "## Where Sluice's time goes"],
                         headings)

    def test_both_targets_of_p1_when_the_rows_match(self):
        document = fixture()
        record(document, "p1", "sluice")["rows"] = dict(record(document, "p1", "dlt")["rows"])
        self.assertIn("| P1 nested JSONL → DuckDB | 20,000 records | 1.91 s | 5.23 s | 0.52 s | 2.7× | 3.67× | 410 MiB | "
                      "485 MiB | 0.84× | same | ≥15× dlt: not met; ≤1.5× DuckDB: not met; RSS ≤⅕ dlt: not met |",
                      render(document).splitlines())

    def test_how_cost_grows_sets_p1_times_ten_beside_p1(self):
        document, _ = with_p1_times_ten()
        lines = render(document).splitlines()
        self.assertIn("## How cost grows", lines)
        self.assertIn("| P1 nested JSONL → DuckDB → ×10 | 20,000 → 200,000 records | 1.91 s | 9.55 s | 5.00× | 410 MiB | "
                      "451 MiB | 1.10× | same | time ≤10.5×: met; RSS ≤1.2×: met |", lines)
        self.assertFalse(any(line.startswith("| P1 ×10") for line in lines))  # not a row of its own in the results
        self.assertTrue(any(line.endswith("the 1× runs are the scenario's own above.") for line in lines))

    def test_how_cost_grows_takes_the_1x_runs_that_alternated_with_the_scaled_ones(self):
        document, sluice = with_p1_times_ten()
        document["runs"].append(dict(sluice, tool="sluice-1x", wall_seconds=2.10, peak_rss_bytes=420 * 2 ** 20))
        lines = render(document).splitlines()
        self.assertIn("| P1 nested JSONL → DuckDB → ×10 | 20,000 → 200,000 records | 2.10 s | 9.55 s | 4.55× | 420 MiB | "
                      "451 MiB | 1.07× | same | time ≤10.5×: met; RSS ≤1.2×: met |", lines)
        self.assertTrue(any("the two sizes' runs alternating" in line for line in lines))
        self.assertIn("| P1 nested JSONL → DuckDB | 20,000 records | 1.91 s | 5.23 s | 0.52 s | 2.7× | 3.67× | 410 MiB | "
                      "485 MiB | 0.84× | same | ≥15× dlt: not met; ≤1.5× DuckDB: not met; RSS ≤⅕ dlt: not met |", lines,
                      "P1's own row keeps its own runs, side by side with dlt's")


if __name__ == "__main__":
    unittest.main()
