"""38 load a file by its path: spec_from_file_location + module_from_spec, registered in sys.modules before
exec_module (dataclasses, pickle and a second import need the entry), removed again if the file raises."""
import ast
import pickle

FILE = "loader.py"
GREET = 'def hello(name):\n    return f"hello, {name}"\n'
SHAPES = '''from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Shape:
    name: str
    sides: int = 0
'''
COUNTER = 'print("running counter_tasks")\nruns = 1\n'
BROKEN = 'raise RuntimeError("broken_tasks.py: a bad setting")\n'
# A task file that records, while it runs, whether sys.modules holds it under its name.
SELF_CHECK = "import sys\n\nregistered_while_running = vars(sys.modules.get(__name__, sys)) is globals()\n"


def task_file(ex, name, text):
    """A task file in a folder that is NOT on sys.path."""
    folder = ex.tmp_path / "elsewhere" / "tasks"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.py"
    path.write_text(text, encoding="utf-8")
    return path


def load_file(ex, path, *, shown_as=None):
    """loader.load_file(path); an exception from it (or from the task file it runs) becomes a teaching failure."""
    loader = ex.load("loader")
    try:
        return ex.call(loader, "load_file", shown_as if shown_as is not None else path)
    except Exception as e:  # the task file is the test's: the cause is in loader.py
        error = e
    hint = ""
    if ex.type_name(error) == "AttributeError" and "__dict__" in str(error):
        hint = ("\n@dataclass looked the module of class Shape up in sys.modules while the file ran, and found "
                "nothing. Store the module in sys.modules[name] BEFORE spec.loader.exec_module(module).")
    ex.fail(f"load_file({str(path)!r}) raised {ex.type_name(error)}: {error}\n({ex.where(error, FILE)}){hint}")


def test_a_file_is_loaded_by_its_path_under_its_own_name(ex):
    path = task_file(ex, "greet_tasks", GREET)
    before = ex.sys_path()
    module = load_file(ex, path, shown_as=str(path))
    assert ex.type_name(module) == "module" and callable(getattr(module, "hello", None)), (
        f"load_file() should return the module object of the file (with its function hello), not {module!r}.")
    assert module.__name__ == "greet_tasks", (
        f"load_file({str(path)!r}) returned a module named {module.__name__!r}. Name it after the file, without "
        f".py (`Path(path).stem`, here 'greet_tasks'): with one name for every file, each load replaces the "
        f"last one in sys.modules.")
    assert module.hello("Ada") == "hello, Ada"
    assert ex.sys_path() == before, (
        f"load_file() changed sys.path. Loading by path needs no folder on sys.path; an added folder lets every "
        f"file in it hide a module of the same name for the whole program.")
    other = load_file(ex, task_file(ex, "shapes", SHAPES))  # a Path this time
    assert other.__name__ == "shapes" and ex.modules.get("greet_tasks") is module, (
        "Loading a second file (shapes.py, given as a Path) should give a module `shapes` and leave "
        "greet_tasks in sys.modules.")


def test_a_dataclass_of_the_file_can_be_pickled(ex):
    module = load_file(ex, task_file(ex, "shapes", SHAPES))
    square = module.Shape("square", 4)
    try:
        restored = pickle.loads(pickle.dumps(square))
    except Exception as e:  # PicklingError, or the import pickle tried
        error = e
    else:
        error = None
    if error is not None:
        ex.fail(f"pickle.dumps() of a Shape from shapes.py failed: {ex.type_name(error)}: {error}\npickle stores "
                f"'class Shape of module shapes' and finds the class again in sys.modules['shapes']. Store the "
                f"module there in load_file(), before it runs.")
    assert type(restored) is module.Shape and restored == square, (
        f"A Shape unpickled should be an instance of the very class shapes.Shape that load_file() returned, "
        f"not {type(restored)} from a second copy of the module.")


def test_a_second_import_finds_the_same_module(ex):
    module = load_file(ex, task_file(ex, "counter_tasks", COUNTER))
    ex.output()  # what loading printed, checked below
    kept = ex.modules.get("counter_tasks") is module
    try:
        again = ex.execute("import counter_tasks")["counter_tasks"]
    except ImportError as e:
        error = e
    else:
        error = None
    if error is not None:
        ex.fail(f"After load_file(), `import counter_tasks` elsewhere in the program should find the module that "
                f"is already loaded, but it raised {ex.type_name(error)}: {error}. `import` looks in sys.modules "
                f"first: store the module there under its name"
                + ("." if kept else ", and leave it there once the file has run without an error (remove it only "
                   "when exec_module raises): after load_file() returned, sys.modules had no entry counter_tasks."))
    printed = ex.output().out.count("running counter_tasks")
    assert again is module and printed == 0, (
        f"After load_file(), `import counter_tasks` ran the file again (a second copy, with its own objects). "
        f"It should get the very module load_file() returned, from sys.modules.")


def test_a_file_that_raises_leaves_nothing_behind(ex):
    path = task_file(ex, "broken_tasks", BROKEN)
    loader = ex.load("loader")
    try:
        ex.call(loader, "load_file", path)
    except RuntimeError as e:
        error = e
    else:
        error = None
    assert error is not None and "a bad setting" in str(error), (
        f"broken_tasks.py raises RuntimeError when it runs; load_file() should let that error through (a bare "
        f"`raise` after the clean-up), not swallow it.")
    assert "broken_tasks" not in ex.modules, (
        f"broken_tasks.py raised while it ran, and its half-run module is still in sys.modules['broken_tasks']: "
        f"a later `import broken_tasks` would get it without an error. In {ex.show(ex.path(FILE))}, delete the "
        f"entry when exec_module() raises (try/except, `del sys.modules[name]`, `raise`), as import does.")
    path.write_text('setting = "fixed"\n', encoding="utf-8")
    fixed = load_file(ex, path)
    assert getattr(fixed, "setting", None) == "fixed", "Once the file is fixed, load_file() should load it."


def test_the_module_is_registered_before_it_runs(ex):
    shown = ex.show(ex.path(FILE))
    tree = ex.tree(FILE)
    calls = {getattr(n.func, "attr", getattr(n.func, "id", "")): n.lineno for n in ast.walk(tree)
             if isinstance(n, ast.Call)}
    assert "load_module" not in calls, (
        f"{shown}, line {calls.get('load_module')}: load_module() is the old, deprecated way (it warns with a "
        f"DeprecationWarning). Build the module with importlib.util.module_from_spec(spec), store it in "
        f"sys.modules, and run it with spec.loader.exec_module(module).")
    for needed in ("module_from_spec", "exec_module"):
        assert needed in calls, (
            f"{shown} should build the module with importlib.util.module_from_spec(spec) and run it with "
            f"spec.loader.exec_module(module) (no `{needed}` call found).")
    # Whether the module is in sys.modules while its file runs is asked of the file itself, as it runs: a fact
    # of the run, whatever the shape of loader.py (a helper, a context manager) and whatever the Python version.
    module = load_file(ex, task_file(ex, "selfcheck_tasks", SELF_CHECK))
    if getattr(module, "registered_while_running", None) is True:
        return
    stores = [n.lineno for n in ast.walk(tree)
              if isinstance(n, ast.Subscript) and isinstance(n.ctx, ast.Store) and "modules" in ast.unparse(n.value)
              or isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr in ("setdefault", "update")
              and "modules" in ast.unparse(n.func.value)]
    ex.fail(f"While selfcheck_tasks.py ran, sys.modules['selfcheck_tasks'] was not its module (the file looked). "
            f"{shown} should store the module in sys.modules[name] before exec_module runs it (line "
            f"{calls['exec_module']}): while the file runs, its own code may look itself up there (dataclasses do)."
            + (f" It stores it only afterwards, on line {min(stores)}."
               if stores and min(stores) > calls["exec_module"] else ""))
