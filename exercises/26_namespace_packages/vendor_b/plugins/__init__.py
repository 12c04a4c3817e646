# Exercise 26: should this file exist at all? See README.md in the exercise folder.
"""Vendor B's plugins. (Someone added this file "to make plugins a proper package".)"""
