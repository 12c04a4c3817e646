"""The progress view: the watch's layout fits 80x24, paths are links where asked, a subset run reports on
its subset, and a passed exercise names the next one."""
import re

from kata import EXERCISES, manifest
from kata.harness import report
from kata.maintainer import fixture_kata as fk

OSC8 = re.compile(r"\x1b\]8;;[^\x1b]*\x1b\\")


def test_the_watch_view_fits_80x24_with_links_and_long_messages():
    ordered = manifest.load()
    results = {e.name: {"passed": 3, "failed": 0, "messages": []} for e in ordered[:4]}
    results[ordered[4].name] = {"passed": 0, "failed": 5, "messages": [
        f"message {i}: " + "a long explanation of what went wrong " * 8 + "\nwith a second line" for i in range(5)]}
    header = (f"make watch  12:00:00  ran 05_public_names in 0.12 s, {len(ordered) - 1} from cache",)
    footer = ("File events from exercises/ do not arrive here: watching by looking every 0.5 s.",
              "Enter: run again  a: run all  h: hint  q: quit  (run 3)")
    text = report.render(ordered, results, EXERCISES, {e.name for e in ordered[:3]}, header=header,
                         footer=footer, height=23, links=True, compact=True)
    lines = text.rstrip("\n").split("\n")
    assert len(lines) <= 23, text
    assert max(len(OSC8.sub("", line)) for line in lines) <= 80, text
    assert lines[0] == header[0] and lines[-2:] == list(footer), text  # time of run and keys: always shown
    assert "Progress: " in lines[1] and f"4/{len(ordered)} complete" in lines[1]
    assert "Just completed: 04_broken_imports. Well done! Next: 05" in text
    assert "\x1b]8;;file://" in text and (EXERCISES / ordered[4].name).as_uri() in text
    assert "message 0" in text and "make test EX=05" in text  # the rest is one command away
    assert "\x1b" not in report.render(ordered, dict(results), EXERCISES, height=23, compact=True)


def test_a_run_of_one_test_file_reports_on_that_exercise_only(tmp_path):
    root = fk.make(tmp_path / "kata", {"01_a": {"m.py": "X = 1\n"}, "02_b": {"m.py": "X = 1\n"}},
                   {n: "def test_x(ex):\n    assert ex.load('m').X == 2, 'X should be 2'\n" for n in ("01_a", "02_b")})
    run = fk.run(root, "tests/test_02_b.py")
    assert "No test ran" not in run.output and "this run: 1 of 2 exercises" in run.output, run.output
    assert "Current exercise: 02" in run.output and "X should be 2" in run.output, run.output
    (root / "exercises" / "02_b" / "m.py").write_text("X = 2\n")
    run = fk.run(root, "tests/test_02_b.py", "--kata-report=full")  # as `make test EX=02` runs it
    assert "02_b is complete. Next: 01 01_a" in run.output, run.output
