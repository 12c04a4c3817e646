"""The project's own test: `python -m pytest` and `pytest` should both run it (in this folder)."""
from shop.report import lines


def test_lines():
    assert lines() == ["pen: 1.80", "notebook: 3.90"]
