"""K6xx: reading the source. A file Python cannot decode or parse: nothing in it runs."""
from __future__ import annotations

import ast
import re
from pathlib import Path

from kata.diagnoses.catalogue import Example, entry
from kata.diagnoses.facts import Facts


def _syntax(f: Facts) -> bool:
    return "SyntaxError" in f.kinds


def _undecodable(f: Facts) -> Path | None:
    """The learner file that is not valid in the encoding Python reads it with."""
    from kata.harness import sources

    candidates = [f.failing_file] if f.failing_file else []
    candidates += [p for p in f.sources if p not in candidates]
    for path in candidates:
        try:
            sources.text(path)
        except (UnicodeDecodeError, SyntaxError):
            return path
        except (OSError, LookupError):
            continue
        if path == f.failing_file:
            return None
    return None


@entry("K601", "a source file that is not UTF-8", example=Example(
    files={"main.py": b"WELCOME = 'Bienvenue au caf\xe9'\n"}, run="import main",
    fix={"main.py": "WELCOME = 'Bienvenue au café'\n"}),
    explanation="""
    Python reads a source file as UTF-8 unless its first lines declare another encoding (`# coding: latin-1`).
    An editor that saved the file in another encoding (Latin-1, Windows-1252) wrote bytes such as é or ’ that
    are not valid UTF-8, and Python refuses the whole file: nothing in it runs. Save the file as UTF-8 in your
    editor (often under File > Save with Encoding), or retype the unusual characters.""",
    seen_in=("https://github.com/microsoft/PTVS/issues/7114",
             "https://github.com/jhao104/proxy_pool/issues/765",
             "https://github.com/OedoSoldier/chatglm_webui/issues/4",))
def not_utf8(f: Facts):
    if not _syntax(f):
        return None
    path = _undecodable(f)
    if path is None:
        return None
    line = f" (line {f.where[1]})" if f.where and Path(f.where[0]) == path else ""
    return (f"Python cannot read {f.show(path)}{line}: it is not UTF-8 text, the encoding Python expects in a "
            f"source file (a character such as é or ’ was saved in another encoding). Save the file as UTF-8 in "
            f"your editor, or retype the unusual characters.")


@entry("K602", "a Python 2 print statement", example=Example(
    files={"main.py": "print 'Hello'\n"}, run="import main", fix={"main.py": "print('Hello')\n"}),
    explanation="""
    In Python 3, print is a function: it is called with parentheses like any other. `print 'Hello'` is Python 2
    syntax, which Python 3 cannot parse, so the whole file fails before any line runs. Code copied from an old
    tutorial often has it.""",
    seen_in=("https://github.com/tatanus/apt2/issues/1",
             "https://github.com/magsol/pybot/issues/5",
             "https://github.com/wwyaiykycnf/e621dl/issues/41",))
def print_statement(f: Facts):
    line = f.where[2] if _syntax(f) and f.where else ""
    if re.match(r"print\s+[^\s(=.,)]", line):
        return ("This is a Python 2 print statement: in Python 3, print is a function, called with parentheses "
                "like any other. Nothing in the file runs until it parses.")


@entry("K603", "inconsistent indentation", example=Example(
    files={"main.py": "def greet(name):\n    text = 'Hello, ' + name\n      return text\n"},
    run="import main", fix={"main.py": "def greet(name):\n    text = 'Hello, ' + name\n    return text\n"}),
    explanation="""
    Indentation is part of Python's syntax: the lines of one block start at the same column, a block opened by a
    line ending in `:` is indented further, and a dedent must return to a column used before. Mixing tabs and
    spaces makes lines look aligned when they are not (TabError). Let your editor indent with 4 spaces.""")
def indentation(f: Facts):
    if "IndentationError" in f.kinds:
        return ("The indentation is inconsistent here: the lines of one block must start at the same column, and a "
                "line after a `:` must be indented further (do not mix tabs and spaces). Nothing in the file runs "
                "until it parses.")


@entry("K604", "a syntax error: the file cannot run at all", example=Example(
    files={"main.py": "def shout(text)\n    return text.upper()\n"}, run="import main",
    fix={"main.py": "def shout(text):\n    return text.upper()\n"}),
    fallback=True,
    explanation="""
    Before running a module, Python parses the whole file; one line it cannot parse stops everything, even the
    lines before it. The line named in the error, or the one just before, has the mistake: a missing `:` at the
    end of a def/if/for line, an unclosed bracket or quote, a keyword used as a name.""")
def syntax_error(f: Facts):
    if _syntax(f):
        detail = f.error.msg if isinstance(f.error, SyntaxError) else f.msg
        return (f"Python cannot read this file: {detail}. Fix the syntax there (look for a missing `:`, bracket or "
                f"quote on this line or the one before). Nothing in the exercise can run until the file parses.")


@entry("K605", "a `from __future__` import that is not at the top of the file", example=Example(
    files={"shop.py": "import dataclasses\nfrom __future__ import annotations\n\n\n@dataclasses.dataclass\n"
                      "class Order:\n    items: list[Item]\n"},
    run="import shop",
    fix={"shop.py": "from __future__ import annotations\n\nimport dataclasses\n\n\n@dataclasses.dataclass\n"
                    "class Order:\n    items: list[Item]\n"}),
    explanation="""
    A `from __future__ import ...` is not an ordinary import: it tells the compiler to read the whole file
    differently (`annotations`: every annotation is kept as text, not evaluated), so it must come before any
    code the compiler reads. Only the module's docstring, comments, blank lines and other __future__ imports
    may come before it; anything else, even another import, makes the file a syntax error.""")
def future_not_first(f: Facts):
    statement = f.statement() if _syntax(f) else None
    if isinstance(statement, ast.ImportFrom) and statement.module == "__future__":
        return ("A `from __future__ import` must be the first statement of the file: only the docstring, comments "
                "and other __future__ imports may come before it, because it changes how the compiler reads the "
                "whole file. Move it to the top. Nothing in the file runs until it parses.")
