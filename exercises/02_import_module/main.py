# Exercise 02: main.py uses mymodule without importing it. See README.md in this folder.
print(mymodule.greet("Ada"))
print("PI is about", PI)
