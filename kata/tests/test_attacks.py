"""`make grade` against submissions written to harm the instructor (issue 15): each attack sits in a
submission's exercises/ only, as a student would put it, and each is shown blocked. The class is built and
graded once, with the forgeries of test_forgeries.py: kata/tests/hostile.py.
"""
from __future__ import annotations

import json
import os

import pytest

from kata.grading import sandbox

pytestmark = pytest.mark.timeout(400)


@pytest.fixture
def graded(hostile):
    return hostile


def message(graded, name: str, exercise: str = "01_first_module") -> str:
    entries = {e["name"]: e for e in graded["data"]["submissions"][name]["exercises"]}
    return entries[exercise]["message"]


def test_the_class_is_graded_and_the_report_written(graded):
    done = graded["done"]
    assert done.returncode == 1, done.stdout + done.stderr  # 1: not all complete; 2 would be "cannot trust"
    names = {"writes", "neighbour", "environment", "network", "daemon", "limits", "escapes", "victim", "loops", "huge",
             "empty"}
    assert names <= set(graded["data"]["submissions"]), done.stdout[-3000:] + done.stderr[-3000:]


def test_nothing_of_the_instructor_is_written(graded):
    # (what the attack wrote under the instructor's paths went to the sandbox's private /tmp, thrown away)
    assert graded["after"] == graded["before"]
    text = message(graded, "writes")
    assert "writes:[" in text and "zz_kata_attack" not in text, text  # the venv is read-only


def test_other_submissions_and_the_shared_bytecode_are_out_of_reach(graded):
    victim = graded["data"]["submissions"]["victim"]
    assert victim["complete"] == victim["total"] == 1, victim
    assert "neighbour:[" in message(graded, "neighbour") and "prefix" not in message(graded, "neighbour")


def test_no_secret_of_the_environment_reaches_learner_code(graded):
    assert "env:{}" in message(graded, "environment")
    everything = graded["done"].stdout + graded["report"].read_text(encoding="utf-8")
    assert graded["token"] not in everything


def test_no_network_and_no_view_of_the_graders_processes(graded):
    text = message(graded, "network")
    assert "net:" in text and "connected" not in text and "LEAK" not in text, text
    assert graded["accepted"] == []


def test_nothing_outlives_grading_and_the_report_is_the_graders(graded):
    assert "daemon:started" in message(graded, "daemon")
    assert graded["survivors"] == []
    assert not graded["report"].is_symlink()
    assert graded["victim"].read_text() == "the instructor's file\n"  # the planted link was replaced, not followed
    assert json.loads(graded["report"].read_text(encoding="utf-8"))["submissions"]


def test_memory_processes_and_disk_are_limited(graded):
    text = message(graded, "limits")
    assert "limits:MemoryError" in text, text
    forks = int(text.split("forks:")[1].split()[0])
    assert forks <= sandbox.LIMITS["processes"] + 5 or os.getuid() != 0 and forks < 300, text
    assert "disk:" in text and "disk:wrote" not in text, text


def test_escape_codes_never_reach_the_terminal_or_the_report(graded):
    assert "escapes:" in message(graded, "escapes")
    for text in (graded["done"].stdout, graded["report"].read_text(encoding="utf-8")):
        assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text and "\\u001b" not in text


def test_bad_submissions_fail_alone(graded):
    submissions = graded["data"]["submissions"]
    assert "no exercises/ folder" in submissions["empty"]["problem"], submissions["empty"]
    assert "larger than" in submissions["huge"]["exercises"][0]["message"], submissions["huge"]
    loops = submissions["loops"]
    assert loops["complete"] == loops["total"] == 1, loops  # graded despite the loops and the undecodable name
