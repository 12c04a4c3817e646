"""My helpers for dice.py."""


def format_roll(values):
    """[3, 5] -> '3 + 5 = 8'"""
    return " + ".join(str(v) for v in values) + f" = {sum(values)}"
