"""where(name): where `import name` would load a module from, and what kind of module it is."""
import importlib.machinery
import importlib.util


def where(name):
    try:
        spec = importlib.util.find_spec(name)  # finds, does not run (only a dotted name's parents are imported)
    except ModuleNotFoundError:  # a parent package of a dotted name does not exist
        return None
    if spec is None:
        return None
    if spec.origin in ("built-in", "frozen"):
        return {"kind": spec.origin, "origin": None}
    if spec.origin is None and spec.submodule_search_locations is not None:
        return {"kind": "namespace", "origin": list(spec.submodule_search_locations)}
    if spec.origin.endswith(tuple(importlib.machinery.EXTENSION_SUFFIXES)):
        kind = "extension"
    elif spec.origin.endswith(".pyc"):
        kind = "bytecode"
    else:
        kind = "source"
    return {"kind": kind, "origin": spec.origin}


if __name__ == "__main__":
    import sys

    for name in sys.argv[1:]:
        print(f"{name}: {where(name)}")
