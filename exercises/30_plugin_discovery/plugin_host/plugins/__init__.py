"""The plugins. Each public module here is one plugin and defines `transform(text) -> str`.

Modules whose name starts with an underscore (like _helpers.py) are shared code, not plugins.
"""
