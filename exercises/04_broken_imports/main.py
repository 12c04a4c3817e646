# Exercise 04: `python main.py` crashes on its imports. Fix them. See README.md in this folder.
import helpres
from helpers import wisper

print(helpers.shout("hello"))
print(whisper("HELLO"))
