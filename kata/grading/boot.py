"""What a graded run executes: `python -I -S -B boot.py SITE_PACKAGES`, its pytest arguments on stdin.

A file of the grader's snapshot, not `python -c`: the audit hook of kata/harness/verdict.py trusts code by
the file it comes from, and this frame is at the bottom of every stack. The arguments (the results pipe,
the test files) are read inside a function, so they are never a global that learner code could read, and
are never in argv, which /proc shows.
"""
import json
import sys


def main() -> int:
    sys.path.append(sys.argv[1])
    del sys.argv[1:]
    import pytest

    return pytest.main(json.loads(sys.stdin.readline()))


if __name__ == "__main__":
    sys.exit(main())
