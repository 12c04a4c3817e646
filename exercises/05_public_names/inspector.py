# Exercise 05: fix public_names(module) so it skips every private name. See README.md in this folder.


def public_names(module):
    """The sorted list of the names in `module` that do not start with an underscore."""
    names = []
    for name in dir(module):
        if not name.startswith("__"):
            names.append(name)
    return names
