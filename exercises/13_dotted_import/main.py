# Exercise 13: import the submodule calculations.math_operations. See README.md in this folder.
import calculations

print("2 + 3 =", calculations.math_operations.add(2, 3))
print("7 - 4 =", calculations.math_operations.subtract(7, 4))
