"""`make grade` against generic forgeries (issue 16): stubs whose exercise code knows none of the expected
answers and tries to make the grader count tests as passed (kata/tests/hostile.py: exiting "cleanly" after
faking results, reaching the harness through frames, the garbage collector, signal handlers, trace functions
or the object graph, lying builtins, blinded helpers, forged code objects, code the scan never reads,
copying the instructor's solutions). Every one must score 0 complete; the solved submission graded in the same
run scores full marks. What stops them: kata/harness/verdict.py.
"""
from __future__ import annotations

import pytest

from kata.grading import grade
from kata.tests.hostile import GROUPED, PAYLOADS, grouped_payload, payload

pytestmark = pytest.mark.timeout(400)


def test_the_payloads_pass_the_static_scan():
    """So that what stops them below is the verdict's protection, not the scan."""
    for name, code in PAYLOADS.items():
        assert grade.scan_source(payload(name, code)) == [], name
    assert grade.scan_source(grouped_payload()) == []


@pytest.mark.parametrize("name", sorted(set(PAYLOADS) - set(GROUPED)) + ["grouped", "exec_text", "sourceless"])
def test_a_generic_forgery_scores_nothing(hostile, name):
    done, submissions = hostile["done"], hostile["data"].get("submissions", {})
    assert f"forgery-{name}" in submissions, done.stdout[-2000:] + done.stderr[-2000:]
    report = submissions[f"forgery-{name}"]
    assert report["complete"] == 0, report
    assert all(e["passed"] < e["total"] for e in report["exercises"]), report


def test_each_grouped_forgery_ran_and_was_stopped(hostile):
    """The grouped submission tried them all; its log (what `greet` returned) says how each one ended."""
    message = hostile["data"]["submissions"]["forgery-grouped"]["exercises"][0]["message"]
    for name in GROUPED:
        assert f"{name}:" in message, (name, message)
    # those that need a frame, the garbage collector, ctypes, code objects or /proc were refused outright
    for name in ("frames", "traceback_frames", "inspect_stack", "logging_frame", "gc_walk", "trace_new_threads",
                 "forged_filename", "ctypes", "code_objects", "proc_snoop"):
        assert f"{name}:Refused" in message, (name, message)


def test_the_correct_submission_scores_full_marks(hostile):
    done, submissions = hostile["done"], hostile["data"].get("submissions", {})
    assert done.returncode == 1, done.stdout[-2000:] + done.stderr[-2000:]  # 1: the forgeries are incomplete
    correct = submissions["victim"]  # the solutions, graded in the same run as the forgeries
    assert correct["complete"] == correct["total"] == 1, correct

