"""A tiny offline installer: put a wheel into the site-packages of a chosen Python."""
import json
import subprocess
import zipfile

# Only `python` itself knows its prefix and its sys.path, so ask it: this is what `python -m pip` does.
QUESTION = ("import json, sys, sysconfig; print(json.dumps({'executable': sys.executable, 'prefix': sys.prefix, "
            "'base_prefix': sys.base_prefix, 'site_packages': sysconfig.get_path('purelib'), 'path': sys.path}))")


def ask(python):
    done = subprocess.run([python, "-c", QUESTION], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def describe(python):
    """What the interpreter `python` (the path of its executable, a str) says about itself."""
    info = ask(python)
    del info["path"]
    info["in_venv"] = info["prefix"] != info["base_prefix"]
    return info


def install(wheel, python):
    """Unpack the wheel (a .whl file) into the site-packages of `python`; return that folder."""
    target = describe(python)["site_packages"]
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(target)
    return target


def looks_in(python, folder):
    """Whether `import` in the interpreter `python` searches `folder` (a str)."""
    return folder in ask(python)["path"]
