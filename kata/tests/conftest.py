import shutil
import tempfile
from pathlib import Path

import pytest


def pytest_collection_modifyitems(items):
    # The harness's own tests run whole katas in subprocesses: give them far more than the 5 s that
    # pytest.ini gives one exercise check, so a loaded machine cannot turn them into timeouts.
    for item in items:
        item.add_marker(pytest.mark.timeout(180), append=False)


_HOSTILE: dict = {}


def pytest_collection_finish(session):
    """Start grading the hostile class (kata/tests/hostile.py) now if its tests were collected."""
    if any(item.nodeid.startswith(("kata/tests/test_attacks.py", "kata/tests/test_forgeries.py"))
           for item in session.items):
        from kata.grading import sandbox
        from kata.tests import hostile

        if sandbox.problem() is None:
            _HOSTILE["base"] = Path(tempfile.mkdtemp(prefix="kata-hostile-"))
            _HOSTILE["started"] = hostile.start(_HOSTILE["base"])


def pytest_unconfigure(config):
    if "base" in _HOSTILE:
        if "started" in _HOSTILE and "result" not in _HOSTILE:
            _HOSTILE["started"][0].kill()
            _HOSTILE["started"][0].wait()
        shutil.rmtree(_HOSTILE["base"], ignore_errors=True)


@pytest.fixture(scope="session")
def hostile():
    """The hostile class's grading, for test_attacks.py and test_forgeries.py."""
    if "started" not in _HOSTILE:
        pytest.skip("bubblewrap cannot run here (.ci/run installs it)")
    if "result" not in _HOSTILE:
        from kata.tests import hostile as module

        _HOSTILE["result"] = module.finish(_HOSTILE["started"])
    return _HOSTILE["result"]
