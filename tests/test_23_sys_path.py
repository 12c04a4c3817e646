"""23 sys.path: a script finds its libraries through a path built from __file__, not from the current folder."""
import ast

from kata.diagnoses import catalogue, facts


CWD_CALLS = {
    "getcwd": "os.getcwd() is the folder Python was started in, which the user chooses",
    "cwd": "Path.cwd() is the folder Python was started in, which the user chooses",
    "chdir": "os.chdir() changes the working folder of the whole program, a surprise for everything else in it",
}


def is_sys_path_change(node):
    """sys.path.append(...) or sys.path.insert(...)"""
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("append", "insert") and isinstance(node.func.value, ast.Attribute)
            and node.func.value.attr == "path" and isinstance(node.func.value.value, ast.Name)
            and node.func.value.value.id == "sys")


def path_object_entry(tree):
    """The line of a sys.path.append/insert whose entry is a pathlib.Path (`... / "libs"`, `.parent`, `Path(...)`)
    not wrapped in str(): the import system skips entries that are not strings. None if there is none."""
    for node in ast.walk(tree):
        if is_sys_path_change(node) and node.args:
            entry = node.args[-1]
            if isinstance(entry, ast.Call) and getattr(entry.func, "id", None) in ("str", "fspath") \
                    or isinstance(entry, ast.Call) and getattr(entry.func, "attr", None) in ("fspath", "as_posix"):
                continue
            if any(isinstance(n, ast.BinOp) and isinstance(n.op, ast.Div)
                   or isinstance(n, ast.Attribute) and n.attr in ("parent", "parents", "resolve")
                   or isinstance(n, ast.Name) and n.id == "Path" for n in ast.walk(entry)):
                return node.lineno
    return None


def test_runs_from_another_folder(ex):
    result = ex.run("app/main.py", check=False)  # the working folder is a temporary one, not the exercise's
    main_py = ex.show(ex.path("app/main.py"))
    failure = facts.from_stderr(result.stderr, ex.dir, ex.root, started="script", target="app/main.py",
                                sys_path=[]) if result.returncode else None
    if failure and "ModuleNotFoundError" in failure.kinds and failure.name == "textkit":
        # This exercise's own explanation: the general one (a module in a subfolder) is not its lesson.
        line = path_object_entry(ex.tree("app/main.py"))
        if line:
            ex.fail(
                f"`python {main_py}`, started from another folder, fails:\nModuleNotFoundError: No module named "
                f"'textkit'.\n{main_py}, line {line} puts a Path object on sys.path, and the import system skips "
                f"every entry that is not a str. Wrap the path in str(): "
                f"`str(Path(__file__).resolve().parent.parent / \"libs\")`.")
        known = catalogue.diagnose(failure)
        if known and known.id in ("K104", "K114"):  # os.chdir(), or a relative entry: the catalogue names it
            ex.fail(f"`python {main_py}`, started from another folder, fails:\nModuleNotFoundError: No module "
                    f"named 'textkit'.\n{known}")
        ex.fail(
            f"`python {main_py}`, started from another folder, fails:\nModuleNotFoundError: No module named "
            f"'textkit'.\nA relative sys.path entry such as \"libs\" is looked up from the folder Python was "
            f"started in, not from the script's folder; an entry that is a Path object, not a str, is "
            f"ignored; and an absolute path must lead to the folder that holds textkit.py.\nIn app/main.py, "
            f"build the absolute path from __file__ (`Path(__file__).resolve().parent.parent / \"libs\"`: the "
            f"first .parent is app/, the second the folder that holds libs/) and put it on sys.path as a str.")
    ex.expect_success(result)
    out = result.stdout.strip()
    assert out == "HELLO FROM THE APP!", (f"`python {main_py}` should print HELLO FROM THE APP!, not {out!r}.\n"
                                          f"Keep the last line of app/main.py as it was given.")


def test_path_is_built_from_file(ex):
    tree = ex.tree("app/main.py")
    main_py = ex.show(ex.path("app/main.py"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
            if name in CWD_CALLS:
                ex.fail(f"{main_py}, line {node.lineno}: {CWD_CALLS[name]}.\nBuild the path of libs/ from "
                             f"__file__ instead.")
        if is_sys_path_change(node) and any(isinstance(a, ast.Constant) and isinstance(a.value, str)
                                            for a in node.args):
            ex.fail(f"{main_py}, line {node.lineno}: a path written as a string, such as \"libs\" or "
                         f"\"../libs\", is looked up from the current folder (or only exists on your machine).\n"
                         f"Put the absolute path `Path(__file__).resolve().parent.parent / \"libs\"` on sys.path "
                         f"(as a str).")
    uses_file = any(isinstance(n, ast.Name) and n.id == "__file__" for n in ast.walk(tree))
    quoted = next((n for n in ast.walk(tree) if isinstance(n, ast.Constant) and n.value == "__file__"), None)
    if not uses_file and quoted is not None:
        ex.fail(f"{main_py}, line {quoted.lineno}: \"__file__\" in quotes is the text '__file__', not the variable "
                f"__file__ (the script's own path): os.path.dirname(\"__file__\") is '', so the path is built from "
                f"the current folder after all.\nWrite __file__ without quotes.")
    assert uses_file, (f"{main_py} never uses __file__.\nThe path of libs/ should be built from the script's own "
                       f"location: `Path(__file__).resolve().parent.parent / \"libs\"`.")
