import pytest


def pytest_collection_modifyitems(items):
    # The harness's own tests run whole katas in subprocesses: give them far more than the 5 s that
    # pytest.ini gives one exercise check, so a loaded machine cannot turn them into timeouts.
    for item in items:
        item.add_marker(pytest.mark.timeout(180), append=False)
