# Exercise 27: read the template with importlib.resources, not with a path relative to the cwd. See README.md.
from importlib.resources import files


def greeting(name):
    """Fill the template in greeter/data/greeting.txt: greeting("Ada") -> "Hello, Ada! Welcome aboard." """
    template = (files(__package__) / "data" / "greeting.txt").read_text(encoding="utf-8")
    return template.strip().format(name=name)
