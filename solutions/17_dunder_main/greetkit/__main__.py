"""`python -m greetkit NAME`: print a greeting."""
import sys

from greetkit import greeting

name = sys.argv[1] if len(sys.argv) > 1 else "world"
print(greeting(name))
