"""Load a task file that the user names by its path, wherever it is: it need not be on sys.path."""
import importlib.util
import sys
from pathlib import Path


def load_file(path):
    """Import the Python file at `path` (a str or a Path) and return it as a module."""
    name = Path(path).stem
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # before it runs: the file's own code may look itself up (dataclasses, pickle)
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]  # as import does: no half-run module left behind
        raise
    return module
