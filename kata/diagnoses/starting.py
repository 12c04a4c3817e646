"""K5xx: how code is started. `python file.py`, `python -m module`, an import, a child process."""
from __future__ import annotations

import ast

from kata.diagnoses.catalogue import Example, entry
from kata.diagnoses.facts import Facts

_PROCESS_STARTERS = {"Process", "Pool", "ProcessPoolExecutor"}


def _guarded(node: ast.stmt) -> bool:
    """Whether a top-level statement is the `if __name__ == "__main__":` block."""
    return isinstance(node, ast.If) and "__name__" in ast.unparse(node.test) and "__main__" in ast.unparse(node.test)


@entry("K501", "multiprocessing without a main guard", example=Example(
    files={"main.py": ("import multiprocessing\n\n\ndef work():\n    print('working')\n\n\n"
                       "context = multiprocessing.get_context('spawn')\nworker = context.Process(target=work)\n"
                       "worker.start()\nworker.join()\n")},
    run="script main.py",
    fix={"main.py": ("import multiprocessing\n\n\ndef work():\n    print('working')\n\n\n"
                     "if __name__ == '__main__':\n    context = multiprocessing.get_context('spawn')\n"
                     "    worker = context.Process(target=work)\n    worker.start()\n    worker.join()\n")}),
    explanation="""
    A child process started with "spawn" (the default on Windows and macOS, and "forkserver" on Linux since
    Python 3.14, work alike) is a fresh Python that imports your main module to find the function it must run.
    Importing runs the module's top level again, so a process started there starts a process of its own, and
    multiprocessing refuses ("An attempt has been made to start a new process before the current process has
    finished its bootstrapping phase"). Put the code that starts processes under `if __name__ == "__main__":`,
    which runs when the file is the program and not when a child imports it.""",
    seen_in=("https://github.com/thuml/Time-Series-Library/issues/9",
             "https://github.com/utkusen/jeopardize/issues/2",
             "https://github.com/huggingface/lerobot/pull/236",
             "https://github.com/thampiman/reverse-geocoder/issues/31",))
def multiprocessing_unguarded(f: Facts):
    # A child's RuntimeError, or a program that never ends: a Pool replaces each worker that dies that way.
    if "RuntimeError" in f.kinds and f.where:
        script = f.where[0]
    elif f.kind == "Timeout" and f.started == "script" and f.target:
        script = f.target
    else:
        return None
    tree = f.tree(script)
    if tree is None:
        return None
    for node in tree.body:
        if _guarded(node) or isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        for sub in ast.walk(node):
            name = getattr(sub.func, "attr", getattr(sub.func, "id", "")) if isinstance(sub, ast.Call) else ""
            if name in _PROCESS_STARTERS:
                return (f"Line {node.lineno} of {f.show(script)} starts a process at the top level of the "
                        f"module, outside `if __name__ == \"__main__\":`. A child process imports the main module "
                        f"to find its function, which runs that line again in the child: code that starts "
                        f"processes belongs under the main guard.")


@entry("K502", "`python -m` given a file name instead of a module name", example=Example(
    files={"shop/__init__.py": "", "shop/cart.py": "print('cart')\n"},
    run="module shop/cart.py", fix={}, fix_run="module shop.cart"),
    explanation="""
    `python -m` takes a module's name, as an import writes it: dots between packages, no .py, no slashes
    (`python -m shop.cart`). It finds the module on sys.path and runs it as __main__ with its package known.
    A file path (shop/cart.py) is what `python` without -m takes.""",
    seen_in=("https://github.com/YingtongDou/CARE-GNN/issues/1",
             "https://github.com/brettcannon/mnfy/issues/25",
             "https://github.com/facebookresearch/motif/pull/6",
             "https://github.com/python/cpython/pull/140035",))
def dash_m_with_path(f: Facts):
    if f.started != "module" or not (f.target.endswith(".py") or "/" in f.target or "\\" in f.target):
        return None
    dotted = f.target.removesuffix(".py").replace("\\", "/").strip("/").replace("/", ".")
    return (f"`python -m {f.target}` was given a file name: -m takes a module's name, as an import writes it "
            f"(here `{dotted}`: dots between packages, no .py, no slashes).")
