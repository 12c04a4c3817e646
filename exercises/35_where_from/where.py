"""where(name): where `import name` would load a module from, and what kind of module it is."""
import importlib


def where(name):
    module = importlib.import_module(name)
    origin = module.__file__
    if origin.endswith(".py"):
        kind = "source"
    else:
        kind = "extension"
    return {"kind": kind, "origin": origin}


if __name__ == "__main__":
    import sys

    for name in sys.argv[1:]:
        print(f"{name}: {where(name)}")
