# Exercise 23: make this script find libs/ from any working folder. See README.md in this folder.
import sys

sys.path.append("libs")  # so that Python finds libs/textkit.py

import textkit  # noqa: E402  (this import needs the sys.path change above)

print(textkit.shout("hello from the app"))
