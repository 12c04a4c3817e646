# Exercise 04: `python main.py` crashes on its imports. Fix them. See README.md in this folder.
import helpers
from helpers import whisper

print(helpers.shout("hello"))
print(whisper("HELLO"))
