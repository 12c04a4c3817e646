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


def _enclosing_function(f: Facts, where) -> str | None:
    """The name of the function (def) whose body holds the line `where`, from the file's AST."""
    tree = f.tree(where[0]) if where else None
    best = None
    for node in ast.walk(tree) if tree else ():
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) \
                and node.lineno < where[1] <= (node.end_lineno or node.lineno):
            if best is None or node.lineno > best.lineno:
                best = node
    return best.name if best else None


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
    if not (_calls_input(f) and _at_import(f)):
        return None
    function = _enclosing_function(f, f.where)
    if function and f.top and f.top != f.where and _enclosing_function(f, f.top) is None:
        # input() sits in a function already; what runs on import is the top-level line that calls it
        return (f"Importing this module called input(): {function}() asks for it, and line {f.top[1]} of "
                f"{f.show(f.top[0])} (`{f.top[2]}`) calls it at the top level, which runs on import. An import must "
                f"never wait for the keyboard: make that call only under {GUARD}.")
    return (f"Importing this module called input(). Code at the top level of a module runs on import, and an "
            f"import must never wait for the keyboard: move it into a function, or under {GUARD}.")


@entry("K702", "input() in a function the tests call", example=Example(
    files={"main.py": "def age():\n    return int(input('Age? '))\n"},
    run="call main.age", fix={"main.py": "def age(text='41'):\n    return int(text)\n"}),
    explanation="""
    A function that asks the keyboard for its input cannot be used by other code: a test, or a program that
    already has the value, cannot answer the question. Take the value as a parameter and let the caller (the
    main program, under the main guard) ask for it.""",
    seen_in=("https://github.com/exercism/python-test-runner/issues/101",))
def input_in_call(f: Facts):
    if _calls_input(f) and not _at_import(f):
        return "This calls input(), but the tests cannot type. Take the value as a parameter instead."


def _in_function(f: Facts) -> bool:
    """Whether the failing line lies inside a function of its file (else it is the module's top level)."""
    tree = f.tree(f.where[0]) if f.where else None
    return tree is not None and any(
        isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)) and
        n.lineno < f.where[1] <= (n.end_lineno or n.lineno) for n in ast.walk(tree))


@entry("K703", "sys.exit() at the top level of a module", example=Example(
    files={"main.py": "import sys\n\nprint('done')\nsys.exit(0)\n"}, run="import main",
    fix={"main.py": "print('done')\n"}),
    explanation="""
    sys.exit() (or `raise SystemExit`) ends the whole program. At the top level of a module it runs whenever the
    module is imported, so importing the module ends the program that imported it, also when the import is
    made by a function of yours (importlib.import_module(name) in a function): code that only needs to find a
    module can ask importlib.util.find_spec, which does not run it. A program ends by itself
    when its last line has run; if it must end early, do it in the main function, under the main guard.""",
    seen_in=("https://github.com/adobe-type-tools/python-modules/issues/31",))
def exit_at_import(f: Facts):
    if "SystemExit" not in f.kinds or "LearnerExit" in f.kinds:
        return None
    if not _at_import(f) and f.where and f.top and f.top[0] != f.where[0] and not _in_function(f):
        # a function the test called imported a module whose top level stops the program
        line = f" (`{f.top[2]}`)" if f.top[2] else ""
        return (f"{f.show(f.where[0])} ends the program at its top level, and that ran because "
                f"{f.show(f.top[0])}, line {f.top[1]}{line} imported it: importing a module runs its top level. "
                f"Either do not import it (importlib.util.find_spec finds a module without running it), or "
                f"keep its top level from stopping Python (a function, or {GUARD}).")
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


def _function(f: Facts):
    """The learner function that returned None (ex.explain_none): its AST node."""
    tree = f.tree(f.where[0]) if f.kind == "ReturnedNone" and f.where else None
    name = f.extra.get("function")
    return next((n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.name == name),
                None) if tree else None


_IN_PLACE = {"sort", "reverse", "append", "extend", "insert", "remove", "clear", "update", "add", "setdefault"}


@entry("K708", "returning the result of a method that changes a list in place", example=Example(
    files={"main.py": "import os\n\n\ndef list_here():\n    return os.listdir().sort()\n"},
    run="call main.list_here", fix={"main.py": "import os\n\n\ndef list_here():\n    return sorted(os.listdir())\n"}),
    explanation="""
    Methods that change their object in place (list.sort, list.append, list.reverse, dict.update, set.add...)
    return None, by design: they do not make a new object, so there is nothing to hand back. `return
    names.sort()` therefore returns None, whatever the list held. Change the list, then return it on a line of
    its own, or use the function that builds a new one: sorted(names), reversed(...), a + b.""")
def returned_in_place(f: Facts):
    function = _function(f)
    for node in ast.walk(function) if function else ():
        if isinstance(node, ast.Return) and isinstance(node.value, ast.Call) and \
                isinstance(node.value.func, ast.Attribute) and node.value.func.attr in _IN_PLACE:
            return (f"Line {node.lineno}: `{ast.unparse(node.value)}` changes the object in place and returns None, "
                    f"so that is what {function.name}() returns. A method that changes its object returns "
                    f"nothing; return the object itself, or use a function that builds a new one.")


@entry("K709", "print() instead of return", example=Example(
    files={"main.py": "def greet(name='Ada'):\n    print('Hello, ' + name)\n"},
    run="call main.greet", fix={"main.py": "def greet(name='Ada'):\n    return 'Hello, ' + name\n"}),
    explanation="""
    print() writes a text on the screen for a person to read; `return` hands a value back to the code that
    called the function. A function that only prints returns None, so its caller (a test, another function)
    gets nothing to work with. Return the value, and let the caller decide whether to print it.""",
    seen_in=("https://github.com/swcarpentry/python-novice-inflammation/pull/524",
             "https://github.com/swcarpentry/python-novice-inflammation/issues/864",
             "https://github.com/python-discord/bot/pull/2325",
             "https://github.com/IIC2233/syllabus-2019-2/issues/40",))
def printed_not_returned(f: Facts):
    function = _function(f)
    if function is None or any(isinstance(n, ast.Return) and n.value is not None for n in ast.walk(function)):
        return None
    prints = [n for n in ast.walk(function) if isinstance(n, ast.Call) and getattr(n.func, "id", "") == "print"]
    if prints or f.extra.get("printed"):
        shown = f" It printed {f.extra['printed'].strip()!r} instead." if f.extra.get("printed") else ""
        return (f"{function.name}() returns None: it shows its result with print() but never returns it.{shown} "
                f"A function hands its result to the caller with `return`; print() only shows it on the screen.")


@entry("K710", "a function with no return statement", example=Example(
    files={"main.py": "def double(x=2):\n    x * 2\n"},
    run="call main.double", fix={"main.py": "def double(x=2):\n    return x * 2\n"}),
    explanation="""
    A function's value is what its `return` statement hands back. A function whose body computes a value but
    never returns it (or returns on only some paths) returns None: the result is computed, then thrown away
    when the function ends.""",
    seen_in=("https://github.com/sggottlieb/cmfieldguide/issues/5",))
def no_return(f: Facts):
    function = _function(f)
    if function is None:
        return None
    returns = [n for n in ast.walk(function) if isinstance(n, ast.Return) and n.value is not None]
    if not returns:
        return (f"{function.name}() has no `return` with a value, so it returns None: what it computes is thrown "
                f"away when it ends. A function's result is what its `return` statement hands back.")
    return None
