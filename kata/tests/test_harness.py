"""The harness's own tests: isolation, bytecode safety, teaching messages, timeouts.

Each test writes a small kata into a temporary folder and runs the learner's run on it in a subprocess,
so what is tested is exactly what a learner gets.
"""
import os

import pytest

from kata.maintainer import fixture_kata as fk


def test_same_named_modules_never_leak_between_exercises(tmp_path):
    exercises = {
        "01_a": {"mymodule.py": "VALUE = 'a'\n", "mypackage/__init__.py": "", "mypackage/extra.py": "X = 1\n"},
        "02_b": {"mymodule.py": "VALUE = 'b'\n", "mypackage/__init__.py": ""},
        # changes the interpreter for everyone after it, if the harness let it
        "03_meddler": {"meddler.py": """
            import builtins, os, sys
            sys.path.insert(0, "/nonexistent")
            sys.modules["json"] = "fake"
            builtins.len = lambda x: 42
            os.chdir("/")
            os.environ["MEDDLED"] = "1"
        """},
        "04_c": {"mymodule.py": "VALUE = 'c'\n"},
    }
    tests = {
        "01_a": """
            def test_a(ex):
                assert ex.load("mymodule").VALUE == "a"
                assert ex.load("mypackage.extra").X == 1
        """,
        "02_b": """
            import pytest
            def test_b(ex):
                assert ex.load("mymodule").VALUE == "b"
                assert ex.load("mypackage").__file__.endswith("02_b/mypackage/__init__.py")
            def test_no_stale_submodule(ex):
                ex.load("mypackage")
                with pytest.raises(ModuleNotFoundError):
                    import mypackage.extra  # exists only in 01_a
        """,
        "03_meddler": """
            def test_meddle(ex):
                ex.load("meddler")
        """,
        "04_c": """
            import json, os, sys
            def test_c(ex):
                assert ex.load("mymodule").VALUE == "c"
                assert len([1]) == 1 and "/nonexistent" not in sys.path
                assert sys.modules["json"] is json and "MEDDLED" not in os.environ
                assert os.getcwd() != "/"
        """,
    }
    root = fk.make(tmp_path / "kata", exercises, tests)
    run = fk.run(root, "-p", "no:randomly")
    assert run.returncode == 0, run.output
    assert all(run.complete(name) for name in tests), run.results


def test_an_edit_in_the_same_second_with_the_same_size_is_seen(tmp_path):
    # The classic stale-.pyc trap: the .pyc records the source's mtime (in seconds) and size only.
    tests = {"01_edit": """
        def test_value(ex):
            assert ex.load("mymodule").VALUE == 2, "VALUE should be 2"
        def test_value_in_a_subprocess(ex):
            assert ex.run_code("import mymodule; print(mymodule.VALUE)").stdout.strip() == "2"
    """}
    root = fk.make(tmp_path / "kata", {"01_edit": {"mymodule.py": "VALUE = 1\n"}}, tests)
    source = root / "exercises" / "01_edit" / "mymodule.py"
    stat = source.stat()
    first = fk.run(root)
    assert not first.complete("01_edit")
    source.write_text("VALUE = 2\n", encoding="utf-8")
    os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same second, same size
    assert source.stat().st_size == stat.st_size
    second = fk.run(root)
    assert second.complete("01_edit"), second.output
    # nothing was written next to the learner's sources
    assert not list((root / "exercises").rglob("__pycache__")), list((root / "exercises").rglob("*"))


def test_a_learners_stale_pycache_is_ignored(tmp_path):
    # A learner who ran `python -c "import mymodule"` themselves leaves a __pycache__ behind.
    root = fk.make(tmp_path / "kata", {"01_edit": {"mymodule.py": "VALUE = 1\n"}},
                   {"01_edit": "def test_value(ex):\n    assert ex.load('mymodule').VALUE == 2\n"
                               "def test_in_a_subprocess(ex):\n"
                               "    assert ex.run_code('import mymodule; print(mymodule.VALUE)').stdout == '2\\n'\n"})
    folder = root / "exercises" / "01_edit"
    import subprocess
    import sys
    subprocess.run([sys.executable, "-c", "import mymodule"], cwd=folder, env=fk.learner_env(), check=True)
    assert list(folder.glob("__pycache__/*.pyc"))
    source = folder / "mymodule.py"
    stat = source.stat()
    source.write_text("VALUE = 2\n", encoding="utf-8")
    os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert fk.run(root).complete("01_edit")


BROKEN = {
    "01_syntax": {"mymodule.py": "def greet(name)\n    return name\n"},
    "02_raises": {"mymodule.py": "X = 1\nY = 1 / 0\n"},
    "03_exits": {"mymodule.py": "import sys\nsys.exit('bye')\n"},
    "04_input": {"mymodule.py": "name = input('Your name? ')\n"},
    "05_loops": {"mymodule.py": "while True:\n    pass\n"},
    "06_fine": {"mymodule.py": "VALUE = 6\n"},
    "07_no_init": {"mypackage/mathutils.py": "def add(a, b):\n    return a + b\n"},
    "08_typo_module": {"main.py": "import mymodul\n", "mymodule.py": ""},
    "09_typo_name": {"main.py": "from mymodule import gret\n", "mymodule.py": "def greet(): pass\n"},
    "10_loop_in_call": {"mymodule.py": "def spin():\n    while True:\n        pass\n"},
    "11_script_relative": {"pkg/__init__.py": "", "pkg/helpers.py": "X = 1\n",
                           "pkg/tool.py": "from .helpers import X\nprint(X)\n"},
    "12_beyond_top": {"pkg/__init__.py": "", "pkg/tool.py": "from .. import config\n"},
    "13_shadow": {"random.py": "def helper():\n    return 4\n",
                  "dice.py": "import random\nprint(random.randint(1, 6))\n"},
    "14_circular": {"models.py": "from services import save\nclass User: pass\n",
                    "services.py": "from models import User\ndef save(u): pass\n"},
    "15_same_mistake": {"main.py": "import mymodul\n", "mymodule.py": ""},
}
BROKEN_TESTS = {
    "01_syntax": "def test_it(ex):\n    ex.load('mymodule')\n",
    "02_raises": "def test_it(ex):\n    ex.load('mymodule')\n",
    "03_exits": "def test_it(ex):\n    ex.load('mymodule')\n",
    "04_input": "def test_it(ex):\n    ex.load('mymodule')\n",
    # three tests: one infinite loop must cost one timeout, not three
    "05_loops": "def test_1(ex):\n    ex.load('mymodule')\ndef test_2(ex):\n    ex.load('mymodule')\n"
                "def test_3(ex):\n    ex.load('mymodule')\n",
    "06_fine": "def test_it(ex):\n    assert ex.load('mymodule').VALUE == 6\n",
    "07_no_init": "def test_it(ex):\n    ex.assert_regular_package('mypackage')\n",
    "08_typo_module": "def test_it(ex):\n    ex.load('main')\n",
    "09_typo_name": "def test_it(ex):\n    ex.load('main')\n",
    "10_loop_in_call": "def test_it(ex):\n    ex.load('mymodule').spin()\n",
    "11_script_relative": "def test_it(ex):\n    ex.run('pkg/tool.py')\n",
    "12_beyond_top": "def test_it(ex):\n    ex.load('pkg.tool')\n",
    "13_shadow": "def test_it(ex):\n    ex.run('dice.py')\n",
    "14_circular": "def test_it(ex):\n    ex.load('models')\n",
    "15_same_mistake": "def test_1(ex):\n    ex.load('main')\ndef test_2(ex):\n    ex.load('main')\n"
                       "def test_3(ex):\n    ex.run('main.py')\n",
}
EXPECTED = {
    "01_syntax": ["exercises/01_syntax/mymodule.py, line 1", "expected ':'"],
    "02_raises": ["exercises/02_raises/mymodule.py, line 2", "ZeroDivisionError", "runs when it is imported"],
    "03_exits": ["exercises/03_exits/mymodule.py, line 2", "ended the program", "__main__"],
    "04_input": ["exercises/04_input/mymodule.py, line 1", "called input()"],
    "05_loops": ["exercises/05_loops/mymodule.py, line", "did not finish within 2 s", "loop"],
    "07_no_init": ["exercises/07_no_init/mypackage/ has no __init__.py", "namespace package",
                   "exercises/07_no_init/mypackage/__init__.py", "[K406]"],
    "08_typo_module": ["exercises/08_typo_module/main.py, line 1", "No module named `mymodul`",
                       "the closest module there is `mymodule`", "[K110]"],
    "09_typo_name": ["exercises/09_typo_name/main.py, line 1", "has no name `gret`; it defines `greet`", "[K203]"],
    "10_loop_in_call": ["exercises/10_loop_in_call/mymodule.py, line", "did not finish within 2 s"],
    "11_script_relative": ["exercises/11_script_relative/pkg/tool.py, line 1", "it was run as a script",
                           "run it with -m as `pkg.tool` from the folder above the package", "[K402]"],
    "12_beyond_top": ["exercises/12_beyond_top/pkg/tool.py, line 1", "above the top-level package", "[K404]"],
    "13_shadow": ["exercises/13_shadow/random.py has the same name as the standard library's `random`",
                  "Rename it", "[K301]"],
    "14_circular": ["exercises/14_circular/services.py, line 1", "Circular import: services -> models -> services",
                    "read the name through the module when it is used", "[K202]"],
}


@pytest.fixture(scope="module")
def broken_run(tmp_path_factory):
    base = tmp_path_factory.mktemp("broken")
    starts = base / "05_loops-starts.txt"  # outside the kata: one line each time 05_loops's module body starts
    loops = {"mymodule.py": f"open({str(starts)!r}, 'a').write('started\\n')\n" + BROKEN["05_loops"]["mymodule.py"]}
    root = fk.make(base / "kata", {**BROKEN, "05_loops": loops}, BROKEN_TESTS)
    before = fk.files_of(root)
    run = fk.run(root, "-o", "timeout=2")
    return root, before, run, starts


def test_each_mistake_fails_only_its_own_exercise(broken_run):
    root, before, run, _ = broken_run
    assert run.returncode == 1, run.output
    assert run.complete("06_fine"), run.results.get("06_fine")
    for name in EXPECTED:
        assert not run.complete(name), f"{name} should fail"
    assert set(run.results) == set(BROKEN_TESTS), "every exercise must be reported"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_mistake_gets_a_teaching_message(broken_run, name):
    _, _, run, _ = broken_run
    message = run.message(name)
    for phrase in EXPECTED[name]:
        assert phrase in message, f"{name}: {phrase!r} not in:\n{message}"
    assert "Traceback" not in message, message
    assert not any(f"kata/{m}.py" in message for m in ("learner", "isolation", "plugin")), message


def test_a_diagnosis_is_given_once_per_exercise(broken_run):
    run = broken_run[2]
    message = run.message("15_same_mistake")
    # test_1 and test_3 name the same line (in-process, then from the subprocess's traceback)
    assert message.count("[K110] more: `make explain ID=K110`") == 1, message
    assert message.count("The same mistake as above ([K110])") == 2, message


def test_an_endless_loop_costs_one_timeout_not_one_per_test(broken_run):
    _, _, run, starts = broken_run
    # 05_loops has three tests that import the looping module: its body is started once, then the
    # remembered timeout fails the other two at once (counted, not timed: the machine is shared)
    assert run.results["05_loops"]["failed"] == 3, run.results["05_loops"]
    assert starts.read_text(encoding="utf-8").splitlines() == ["started"], starts.read_text(encoding="utf-8")


def test_the_run_changes_nothing_in_the_repository(broken_run):
    root, before, _, _ = broken_run
    assert fk.files_of(root) == before


def test_a_collection_free_session_never_imports_learner_code(tmp_path):
    # `input()` at import would hang or crash collection if a test module imported learner code.
    root = fk.make(tmp_path / "kata", {"01_x": {"mymodule.py": "input()\n"}},
                   {"01_x": "def test_it(ex):\n    ex.load('mymodule')\n"})
    run = fk.run(root, "--collect-only", "-q")
    assert run.returncode == 0, run.output
