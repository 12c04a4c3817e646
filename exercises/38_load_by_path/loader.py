"""Load a task file that the user names by its path, wherever it is: it need not be on sys.path."""
import importlib.util


def load_file(path):
    """Import the Python file at `path` (a str or a Path) and return it as a module."""
    spec = importlib.util.spec_from_file_location("plugin", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
