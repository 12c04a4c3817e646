# Exercise 27: read the template with importlib.resources, not with a path relative to the cwd. See README.md.


def greeting(name):
    """Fill the template in greeter/data/greeting.txt: greeting("Ada") -> "Hello, Ada! Welcome aboard." """
    # Works when I run Python from inside the greeter/ folder...
    with open("data/greeting.txt", encoding="utf-8") as f:
        template = f.read()
    return template.strip().format(name=name)
