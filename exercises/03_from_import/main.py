# Exercise 03: bring greet and PI into main.py with a from-import. See README.md in this folder.
import mymodule

print(greet("Grace"))
print("PI is about", PI)
