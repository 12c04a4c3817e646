# Exercise 23: make this script find libs/ from any working folder. See README.md in this folder.
import sys
from pathlib import Path

LIBS = Path(__file__).resolve().parent.parent / "libs"
sys.path.insert(0, str(LIBS))

import textkit  # noqa: E402  (this import needs the sys.path change above)

print(textkit.shout("hello from the app"))
