"""A tiny offline installer: put a wheel into the site-packages of a chosen Python."""
import sys
import sysconfig
import zipfile


def describe(python):
    """What the interpreter `python` (the path of its executable, a str) says about itself."""
    return {
        "executable": sys.executable,
        "prefix": sys.prefix,
        "base_prefix": sys.base_prefix,
        "in_venv": sys.prefix != sys.base_prefix,
        "site_packages": sysconfig.get_path("purelib"),
    }


def install(wheel, python):
    """Unpack the wheel (a .whl file) into the site-packages of `python`; return that folder."""
    target = describe(python)["site_packages"]
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(target)
    return target


def looks_in(python, folder):
    """Whether `import` in the interpreter `python` searches `folder` (a str)."""
    return folder in sys.path
