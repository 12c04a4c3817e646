"""The grader's own start: `python -I -S -B kata/grading/launch.py SUBMISSION ...` (what `make grade` runs).

A script is always compiled from its source, and from here on no bytecode is read or written in this
checkout (a private, empty prefix), no .pth file of the venv has run (-S: the venv's site-packages is added
as a plain folder), and no PYTHON* variable or the working folder changes what is imported (-I). So a .pyc
or .pth planted by earlier code cannot take over the grader.
"""
import os
import shutil
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.dont_write_bytecode = True
sys.pycache_prefix = tempfile.mkdtemp(prefix="kata-grader-bytecode-")  # empty: every module from source
sys.path[:0] = [ROOT]

from kata.grading import sandbox  # noqa: E402

sys.path.append(sandbox.site_packages())
from kata.grading import grade  # noqa: E402

if __name__ == "__main__":
    try:
        code = grade.main(sys.argv[1:])
    finally:
        shutil.rmtree(sys.pycache_prefix, ignore_errors=True)
    sys.exit(code)
