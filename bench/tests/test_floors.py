"""The section "Targets against this stack's floor" rendered from the fixed results, and the checks of its measures."""
import unittest

from support import fixture, problem, record
from sluicebench.checks import check
from sluicebench.render import render

HEADING = "## Targets against this stack's floor"


def section(document):
    lines = render(document).splitlines()
    start = lines.index(HEADING)
    return lines[start:lines.index("", start + 3) + 2]


class FloorsTest(unittest.TestCase):
    def test_speed_and_memory_targets_beside_the_floor(self):
        lines = section(fixture())
        self.assertIn("| P6 flat CSV → DuckDB | time ≥2× dlt, ≤1.5× `read_csv` | min(dlt / 2, 1.5 × `read_csv`) = 0.69 s | "
                      "1.52 s fixed + 0.25 s read = 1.77 s | 3.60 s | cannot be reached on this stack: target below floor | "
                      "1.2× dlt, 3.87× `read_csv` | 0.6× dlt, 7.88× `read_csv` |", lines)
        self.assertIn("| P6 flat CSV → DuckDB | peak RSS ≤⅓ dlt's | 463 MiB × ⅓ = 154 MiB | 200 MiB (fixed cost) | "
                      "454 MiB | cannot be reached on this stack: target below floor | 0.43× dlt's | 0.98× dlt's |", lines)

    def test_a_floor_of_several_parts_and_sluice_pending(self):
        lines = section(fixture())
        self.assertIn("| P2 PostgreSQL table → DuckDB | time ≥3× dlt | dlt / 3 = 0.62 s | 1.52 s fixed + 0.12 s extract + "
                      "0.09 s load = 1.73 s | pending | pending; target below floor | 1.1× dlt | — |", lines)
        self.assertIn("| P4 merge, 50% updates → DuckDB | time ≥3× dlt | dlt / 3 = 0.73 s | 1.52 s fixed + 0.15 s merge = "
                      "1.67 s | pending | pending; target below floor | 1.3× dlt | — |", lines)

    def test_rows_that_differ_are_not_compared(self):
        self.assertIn("| P1 nested JSONL → DuckDB | time ≥15× dlt, ≤1.5× `read_json` | min(dlt / 15, 1.5 × `read_json`) = "
                      "0.35 s | 1.52 s fixed + 0.30 s read + 0.20 s normalize = 2.02 s | 1.91 s | not comparable until the "
                      "rows match | 2.6× dlt, 3.88× `read_json` | 2.7× dlt, 3.67× `read_json` |", section(fixture()))

    def test_start_up_targets_against_the_fixed_cost(self):
        lines = section(fixture())
        self.assertIn("| one-shot run of bench/tiny.yaml | time ≤0.35× dlt's | 0.35 × 1.80 s = 0.63 s | 1.52 s (fixed cost) | "
                      "2.43 s | cannot be reached on this stack: target below floor | 0.84× dlt's | 1.35× dlt's |", lines)
        self.assertIn("| `sluice serve` → first gRPC call | time ≤ `import dlt` | 0.41 s | 1.20 s (fixed cost to its first "
                      "output) | 1.37 s | cannot be reached on this stack: target below floor | 2.93× `import dlt` | "
                      "3.34× `import dlt` |", lines)

    def test_serves_idle_rss_against_the_fixed_cost(self):
        lines = section(fixture())
        self.assertIn("| `sluice serve` idle, 10 s after its first call | RSS ≤100 MiB | 100 MiB | 200 MiB (fixed cost) | "
                      "205 MiB | cannot be reached on this stack: target below floor | 200 MiB | 205 MiB |", lines)
        document = fixture()
        record(document, "fixed-cost", "sluice")["peak_rss_bytes"] = 90 * 2 ** 20
        self.assertIn("| `sluice serve` idle, 10 s after its first call | RSS ≤100 MiB | 100 MiB | 90 MiB (fixed cost) | "
                      "205 MiB | not met; floor below target (reachable in principle) | 90 MiB | 205 MiB |",
                      section(document))

    def test_serve_without_its_idle_rss_has_no_idle_target(self):
        document = fixture()
        for run in document["runs"]:
            run.pop("idle_rss_bytes", None)  # a results file from before it was measured
        self.assertFalse(any("idle" in line for line in section(document)[:-1]))
        _, failures = check(document, ["fixed-cost", "startup"])
        self.assertEqual(["start-up: Sluice: `sluice serve` → first gRPC health call (plain JVM) has its idle RSS in "
                          "every try", "start-up: Sluice: `sluice serve` → first gRPC health call (AOT cache) has its "
                          "idle RSS in every try"], failures)

    def test_met_and_reachable_in_principle(self):
        document = fixture()
        record(document, "fixed-cost", "sluice")["wall_seconds"] = 0.3  # floor 0.55 s, below P6's 0.69 s
        lines = section(document)
        self.assertIn("| P6 flat CSV → DuckDB | time ≥2× dlt, ≤1.5× `read_csv` | min(dlt / 2, 1.5 × `read_csv`) = 0.69 s | "
                      "0.30 s fixed + 0.25 s read = 0.55 s | 3.60 s | not met; floor below target (reachable in "
                      "principle) | 3.9× dlt, 1.20× `read_csv` | 0.6× dlt, 7.88× `read_csv` |", lines)
        record(document, "p6", "sluice")["wall_seconds"] = 0.6
        self.assertTrue(any(line.startswith("| P6 flat CSV → DuckDB | time") and "| 0.60 s | met |" in line
                            for line in section(document)))

    def test_the_fixed_cost_is_the_least_of_its_tries(self):
        document = fixture()
        slower = dict(record(document, "fixed-cost", "sluice"), wall_seconds=2.52, peak_rss_bytes=300 * 2 ** 20,
                      marks={"first output": 2.2})
        document["runs"].append(slower)  # a busier try adds time and memory; the floor stays at the quicker one's
        lines = section(document)
        self.assertIn("| one-shot run of bench/tiny.yaml | time ≤0.35× dlt's | 0.35 × 1.80 s = 0.63 s | 1.52 s (fixed cost) | "
                      "2.43 s | cannot be reached on this stack: target below floor | 0.84× dlt's | 1.35× dlt's |", lines)
        self.assertIn("| `sluice serve` → first gRPC call | time ≤ `import dlt` | 0.41 s | 1.20 s (fixed cost to its first "
                      "output) | 1.37 s | cannot be reached on this stack: target below floor | 2.93× `import dlt` | "
                      "3.34× `import dlt` |", lines)
        self.assertIn("the least of 2 in this run: 1.52 s and 200 MiB peak RSS", lines[-1])

    def test_a_result_below_the_floor_says_the_run_was_noisy(self):
        document = fixture()
        record(document, "fixed-cost", "sluice")["marks"]["first output"] = 2.9  # above serve's 1.37 s
        self.assertIn("| `sluice serve` → first gRPC call | time ≤ `import dlt` | 0.41 s | 2.90 s (fixed cost to its first "
                      "output) | 1.37 s | not met; Sluice below the floor measured in this run (a noisy run: measure "
                      "again) | 7.07× `import dlt` | 3.34× `import dlt` |", section(document))

    def test_a_failed_sluice_run_is_judged_by_the_floor_alone(self):
        document = fixture()
        problem(document, "p6", "sluice", "failed", "exit 1")
        self.assertIn("| P6 flat CSV → DuckDB | peak RSS ≤⅓ dlt's | 463 MiB × ⅓ = 154 MiB | 200 MiB (fixed cost) | "
                      "failed | failed; target below floor | 0.43× dlt's | — |", section(document))

    def test_the_paragraph_says_what_the_floor_is(self):
        paragraph = section(fixture())[-1]
        self.assertTrue(paragraph.startswith("The floor is the least any loader on this stack can take."), paragraph)
        self.assertIn("the least of 1 in this run: 1.52 s and 200 MiB peak RSS", paragraph)
        self.assertIn("because Sluice stages a durable load package between extract and load", paragraph)

    def test_older_results_render_without_it_or_without_the_engine(self):
        document = fixture()
        document["scenarios"] = [entry for entry in document["scenarios"] if entry["name"] != "fixed-cost"]
        document["runs"] = [run for run in document["runs"] if run["scenario"] != "fixed-cost"]
        self.assertNotIn(HEADING, render(document).splitlines())
        document = fixture()
        del record(document, "p6", "duckdb")["work_seconds"]
        self.assertIn("| P6 flat CSV → DuckDB | time ≥2× dlt, ≤1.5× `read_csv` | min(dlt / 2, 1.5 × `read_csv`) = 0.69 s | "
                      "— | 3.60 s | — | — | 0.6× dlt, 7.88× `read_csv` |", section(document))

    def test_a_failed_fixed_cost_is_said(self):
        document = fixture()
        problem(document, "fixed-cost", "sluice", "failed", "exit 1")
        self.assertEqual([HEADING, "", "The fixed cost (`bin/sluice --version`) did not run: failed: exit 1.", ""],
                         section(document)[:4])


class FloorChecksTest(unittest.TestCase):
    def test_the_engine_rows_are_checked(self):
        document = fixture()
        record(document, "p1", "sluice")["rows"] = dict(record(document, "p1", "dlt")["rows"])
        record(document, "p4", "engine")["merged"]["sum(version)"] = 150000
        _, failures = check(document, ["fixed-cost", "p1", "p2", "p4", "p6", "startup"])
        self.assertEqual(["p4: every tool that ran it loaded the generator's rows and merged values; engine run 1: "
                          "after the merge sum(version) is 150000, expected 250000"], failures)
        # P1's engine builds all four tables, not only the root its reader loads
        record(document, "p4", "engine")["merged"]["sum(version)"] = 250000
        del record(document, "p1", "engine")["rows"]["orders__tags"]
        _, failures = check(document, ["fixed-cost", "p1"])
        self.assertEqual(1, len(failures), failures)
        self.assertTrue(failures[0].startswith("p1: ") and "engine run 1" in failures[0] and "orders__tags" in failures[0], failures)

    def test_the_engine_must_run_unless_the_results_predate_the_floor(self):
        document = fixture()
        record(document, "p1", "sluice")["rows"] = dict(record(document, "p1", "dlt")["rows"])
        document["runs"] = [run for run in document["runs"] if not (run["scenario"] == "p2" and run["tool"] == "engine")]
        _, failures = check(document, ["fixed-cost", "p2"])
        self.assertEqual(["p2: engine ran it, got no runs"], failures)
        document["scenarios"] = [entry for entry in document["scenarios"] if entry["name"] != "fixed-cost"]
        document["runs"] = [run for run in document["runs"] if run["scenario"] != "fixed-cost"]
        self.assertEqual([], check(document, ["p2"])[1])

    def test_the_fixed_cost_needs_every_try(self):
        document = fixture()
        document["scenarios"][0]["tries"] = 3
        record(document, "p1", "sluice")["rows"] = dict(record(document, "p1", "dlt")["rows"])
        _, failures = check(document, ["fixed-cost", "p1"])
        self.assertEqual(["the fixed cost took every try, got 1"], failures)


if __name__ == "__main__":
    unittest.main()
