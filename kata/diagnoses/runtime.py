"""K7xx: code that runs. A module's top level runs the moment it is imported; a function when it is called."""
from __future__ import annotations

import ast

from kata.diagnoses.catalogue import Example, entry
from kata.diagnoses.facts import Facts

GUARD = "`if __name__ == \"__main__\":`"


def _calls_input(f: Facts) -> bool:
    if "InputCalled" in f.kinds:
        return True
    statement = f.statement() if "EOFError" in f.kinds else None
    return statement is not None and any(isinstance(n, ast.Call) and getattr(n.func, "id", "") == "input"
                                         for n in ast.walk(statement))


def _at_import(f: Facts) -> bool:
    """Whether the failure happened while a module's top level ran (not in a function a test called)."""
    return f.started != "call"


@entry("K701", "input() at the top level of a module", example=Example(
    files={"main.py": "name = input('Your name? ')\nprint('Hello, ' + name)\n"},
    run="import main",
    fix={"main.py": ("def ask():\n    name = input('Your name? ')\n    print('Hello, ' + name)\n\n\n"
                     "if __name__ == '__main__':\n    ask()\n")}),
    explanation="""
    The top level of a module runs the moment it is imported, by a test, a tool or another module. An import
    must never wait for the keyboard: whoever imports the module has no one to type the answer (the tests type
    nothing). Keep the question in a function, and call it under the main guard (`if __name__ == "__main__":`),
    which runs only when the file is the program; better still, take the value as a parameter.""")
def input_at_import(f: Facts):
    if _calls_input(f) and _at_import(f):
        return (f"Importing this module called input(). Code at the top level of a module runs on import, and an "
                f"import must never wait for the keyboard: move it into a function, or under {GUARD}.")


@entry("K702", "input() in a function the tests call", example=Example(
    files={"main.py": "def age():\n    return int(input('Age? '))\n"},
    run="call main.age", fix={"main.py": "def age(text='41'):\n    return int(text)\n"}),
    explanation="""
    A function that asks the keyboard for its input cannot be used by other code: a test, or a program that
    already has the value, cannot answer the question. Take the value as a parameter and let the caller (the
    main program, under the main guard) ask for it.""")
def input_in_call(f: Facts):
    if _calls_input(f) and not _at_import(f):
        return "This calls input(), but the tests cannot type. Take the value as a parameter instead."


@entry("K703", "sys.exit() at the top level of a module", example=Example(
    files={"main.py": "import sys\n\nprint('done')\nsys.exit(0)\n"}, run="import main",
    fix={"main.py": "print('done')\n"}),
    explanation="""
    sys.exit() (or `raise SystemExit`) ends the whole program. At the top level of a module it runs whenever the
    module is imported, so importing the module ends the program that imported it. A program ends by itself
    when its last line has run; if it must end early, do it in the main function, under the main guard.""")
def exit_at_import(f: Facts):
    if "SystemExit" not in f.kinds or "LearnerExit" in f.kinds:
        return None
    if _at_import(f):
        return (f"Importing this module ended the program (sys.exit() or `raise SystemExit`). Importing a module "
                f"must not stop Python: move that code into a function, or under {GUARD}.")
    return "This ends the program (sys.exit()). A function the tests call must return instead."


@entry("K704", "os._exit(): the program stopped on the spot", example=Example(
    files={"main.py": "import os\n\nprint('bye')\nos._exit(0)\n"}, run="import main", fix={"main.py": "print('bye')\n"}),
    explanation="""
    os._exit() stops Python on the spot: no cleanup, no error message, no flushing of output, and an exit status
    that can say all went well (0). It exists for child processes after fork(); a program never needs it. To end
    a program, return from your main function, or call sys.exit() under the main guard.""")
def os_exit(f: Facts):
    if "LearnerExit" in f.kinds:
        return ("This calls os._exit(). os._exit() stops Python on the spot: no cleanup, no error message, and an "
                "exit status that can say all went well. Remove it; to end a program, return from your main "
                f"function or call sys.exit() under {GUARD}.")


@entry("K705", "a loop that never ends", example=Example(
    files={"main.py": "import time\n\nready = False\nwhile not ready:\n    time.sleep(0.1)\n"}, run="script main.py",
    fix={"main.py": "import time\n\nready = False\nwhile not ready:\n    time.sleep(0.1)\n    ready = True\n"},
    seconds=1.0),
    explanation="""
    A `while` loop runs as long as its condition holds; when nothing in the body changes what the condition
    reads (or the condition is `True` with no `break` that can run), it never ends. At the top level of a
    module, such a loop also makes every import of the module hang. Check what each turn of the loop changes.""")
def endless(f: Facts):
    if f.kind != "Timeout":
        return None
    if f.started == "call":
        return f"This code did not finish within {f.msg or 'the time limit'}: is there a loop that never ends?"
    if f.started == "import" and f.extra.get("input"):
        return ("It called input(), which fails in the tests (they cannot type), and a loop with `try`/`except` "
                "asked again and again. Code at the top level of a module runs the moment it is imported: move "
                f"the question into a function, or under {GUARD}.")
    if f.started == "import":
        return ("Code at the top level of a module runs the moment it is imported. Look for a loop that never "
                "ends there, or move the work into a function.")
    return "Look for an endless loop, or an input() the program waits on (the tests type nothing)."


@entry("K706", "a recursion with no case that stops", example=Example(
    files={"main.py": "def countdown(n):\n    return countdown(n - 1)\n\n\ncountdown(3)\n"}, run="import main",
    fix={"main.py": "def countdown(n):\n    return 0 if n == 0 else countdown(n - 1)\n\n\ncountdown(3)\n"}),
    explanation="""
    A function that calls itself needs a case where it does not (the base case), reached after a finite number
    of calls. Without one, every call makes another, until Python's recursion limit stops the program
    (RecursionError). The same happens when two functions call each other, or when a property or __getattr__
    reads itself.""")
def recursion(f: Facts):
    if "RecursionError" in f.kinds:
        return ("RecursionError: a function calls itself (or two call each other) with no case that stops, so the "
                "calls never end until Python's recursion limit is reached.")


@entry("K707", "an error while the module's top level runs", example=Example(
    files={"main.py": "SETTINGS = {}\nTIMEOUT = SETTINGS['timeout']\n"}, run="import main",
    fix={"main.py": "SETTINGS = {'timeout': 5}\nTIMEOUT = SETTINGS['timeout']\n"}),
    explanation="""
    Importing a module runs every line of its top level, in order. An exception on any of them stops the
    import: the module is not created, and the statement that imported it fails with that exception. The line
    named is where it happened; what Python says after the exception's type is why.""")
def error_at_import(f: Facts):
    if f.kind and f.kind != "Timeout" and _at_import(f) and f.where and f.started == "import":
        return (f"Importing this module raised {f.kind}: {f.msg}\nCode at the top level of a module runs when it "
                f"is imported; fix the line above so the import succeeds.")
