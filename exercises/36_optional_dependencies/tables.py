"""Rows as a text table: drawn by the optional package fancytable when it is installed, plain otherwise."""
try:
    import fancytable
except ImportError:
    fancytable = None  # optional: without it, tables are plain text


def render(rows):
    """rows: a list of rows, each a list of cells. Returns the table as one string."""
    if fancytable is not None:
        return fancytable.table(rows)
    return "\n".join(" | ".join(str(cell) for cell in row) for row in rows)
