"""The smoke checks on results documents: what passes, and that a failure names the scenario and what differed."""
import unittest

from support import fixture, problem, record
from sluicebench.checks import check

ALL = ["p1", "p2", "p4", "p6", "startup"]


def passing():
    """The fixture with Sluice's P1 loading every table."""
    document = fixture()
    sluice = record(document, "p1", "sluice")
    sluice["rows"] = dict(record(document, "p1", "dlt")["rows"])
    return document


class ChecksTest(unittest.TestCase):
    def test_complete_results_pass(self):
        passed, failures = check(passing(), ALL)
        self.assertEqual([], failures)
        self.assertGreater(passed, 0)

    def test_the_base_size_runs_beside_a_scaling_scenario_are_checked_against_the_base_scenarios_rows(self):
        document = passing()
        sluice = record(document, "p1", "sluice")
        document["runs"].append(dict(sluice, tool="sluice-1x"))
        self.assertEqual([], check(document, ALL)[1])
        document["runs"].append(dict(sluice, tool="sluice-1x", run=2, rows={**sluice["rows"], "orders": 1}))
        _, failures = check(document, ALL)
        self.assertEqual(1, len(failures), failures)
        self.assertIn("sluice-1x run 2: `orders` has 1 rows", failures[0])

    def test_missing_child_rows_name_the_scenario_table_and_counts(self):
        _, failures = check(fixture(), ALL)
        self.assertEqual(1, len(failures), failures)
        self.assertTrue(failures[0].startswith("p1: every tool that ran it loaded the generator's rows; "), failures[0])
        self.assertIn("sluice run 1: `orders__items` has 0 rows, expected 60,157", failures[0])

    def test_a_merge_that_keeps_the_old_values_fails_though_the_count_is_right(self):
        document = passing()
        record(document, "p4", "dlt")["merged"]["sum(version)"] = 150000
        _, failures = check(document, ALL)
        self.assertEqual(["p4: every tool that ran it loaded the generator's rows and merged values; dlt run 1: after "
                          "the merge sum(version) is 150000, expected 250000"], failures)

    def test_a_scenario_that_must_run_on_both_tools_fails_when_pending(self):
        document = passing()
        problem(document, "p6", "sluice", "pending", "source not yet available")
        _, failures = check(document, ALL)
        self.assertIn("p6: sluice ran it, got pending: source not yet available", failures)

    def test_a_failed_tool_fails(self):
        document = passing()
        problem(document, "p2", "dlt", "failed", "exit 1, see p2-dlt-0.log")
        problem(document, "p2", "engine", "failed", "exit 1, see p2-engine-0.log")
        _, failures = check(document, ALL)
        self.assertEqual(["p2: dlt ran it, got failed: exit 1, see p2-dlt-0.log",
                          "p2: engine ran it, got failed: exit 1, see p2-engine-0.log",
                          "p2: every tool that ran it loaded the generator's rows; verdict 'no rows'"], failures)

    def test_a_scenario_asked_for_but_absent_fails(self):
        _, failures = check(passing(), ALL + ["p7"])
        self.assertEqual(["p7: results for it"], failures)

    def test_start_up_needs_every_try_of_every_measure(self):
        document = passing()
        document["runs"] = [run for run in document["runs"] if not run["tool"].startswith("dlt: `python")]
        _, failures = check(document, ALL)
        self.assertEqual([], failures)  # five measures are still at least four
        document["scenarios"][-1]["tries"] = 2
        _, failures = check(document, ALL)
        self.assertEqual(5, len(failures), failures)
        self.assertIn("start-up: dlt: the same tiny pipeline (5,000 CSV rows → DuckDB) took 2 tries, got 1", failures)


if __name__ == "__main__":
    unittest.main()
