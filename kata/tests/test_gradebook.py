"""`make grade ... CSV=grades.csv`: the gradebook a course platform imports (kata/grading/grade.py)."""
import csv
import io

from kata.grading import grade


def report(*exercises: tuple[str, bool]) -> dict:
    entries = [{"name": n, "complete": c, "passed": 3 if c else 1, "total": 3, "message": ""} for n, c in exercises]
    return {"complete": sum(c for _, c in exercises), "total": len(exercises), "exercises": entries,
            "machinery_differs": []}


def test_one_row_per_learner_with_one_or_zero_per_exercise():
    reports = {"ada": report(("01_first_module", True), ("02_import_module", True)),
               "bob": report(("01_first_module", True), ("02_import_module", False))}
    assert grade.gradebook(reports) == [["name", "complete", "total", "01_first_module", "02_import_module"],
                                        ["ada", 2, 2, 1, 1], ["bob", 1, 2, 1, 0]]


def test_the_csv_reads_back_and_a_name_is_never_a_formula():
    reports = {"=HYPERLINK(\"x\")": report(("01_first_module", False)), "li, wei\n": report(("01_first_module", True))}
    rows = list(csv.reader(io.StringIO(grade.csv_text(grade.gradebook(reports)))))
    assert rows == [["name", "complete", "total", "01_first_module"], ["'=HYPERLINK(\"x\")", "0", "1", "0"],
                    ["li, wei", "1", "1", "1"]]
