"""04 broken imports: ModuleNotFoundError (no such module) and ImportError (no such name in a module)."""


def test_main_imports_and_runs(ex):
    ex.load("main")  # a misspelled import fails here, with Python's error explained
    printed = ex.output().out
    expected = "HELLO!\nhello...\n"
    assert printed == expected, (
        f"main.py should print the two lines {expected.splitlines()}, but it printed {printed.splitlines()}. "
        f"Fix only the import lines of {ex.show(ex.path('main.py'))}; keep its two print() calls as they were.")


def test_the_fix_is_in_main_py_not_in_helpers(ex):
    ex.require_file("helpers.py")
    extra = sorted(p.name for p in ex.dir.glob("*.py") if p.name not in ("main.py", "helpers.py"))
    assert not extra, (
        f"{ex.show(ex.dir)}/ should hold only main.py and helpers.py, but it also has {', '.join(extra)}. "
        f"Delete {'it' if len(extra) == 1 else 'them'}: the module that exists is `helpers`, so fix the "
        f"spelling in main.py instead.")
    helpers = ex.load("helpers")
    names = sorted(n for n in ex.names(helpers) if not n.startswith("_"))
    assert names == ["shout", "whisper"], (
        f"helpers.py should define exactly `shout` and `whisper`, but it defines {names}. Leave helpers.py as it "
        f"was and correct the names in main.py's imports.")


def test_imports_name_the_real_module_and_function(ex):
    ex.assert_import("main.py", "helpers")
    ex.assert_from_import("main.py", "helpers", {"whisper"})
    main = ex.load("main")
    helpers = ex.modules["helpers"]
    assert getattr(main, "helpers", None) is helpers and getattr(main, "whisper", None) is helpers.whisper, (
        f"In main.py, `helpers` should be the module helpers.py and `whisper` its function `helpers.whisper`. "
        f"Do not assign other values to those names in {ex.show(ex.path('main.py'))}.")
