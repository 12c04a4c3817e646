"""A module in plugins/, a folder without __init__.py: a namespace package."""
GREETING = "hello"
