# The kata's harness is a pytest plugin in kata/harness/plugin.py; this file only loads it, so that plain
# `python -m pytest` at the root behaves exactly like `make test`.
pytest_plugins = ["kata.harness.plugin"]
