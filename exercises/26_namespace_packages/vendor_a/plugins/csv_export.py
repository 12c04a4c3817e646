"""Vendor A's plugin: export rows as comma-separated text. It is one portion of the namespace package `plugins`."""


def export(rows):
    """[["a", 1], ["b", 2]] -> "a,1\\nb,2" """
    return "\n".join(",".join(str(cell) for cell in row) for row in rows)
