"""29 deprecation shim: a module-level __getattr__ keeps old names working, with a DeprecationWarning."""
import ast
from pathlib import Path

RENAMED = {"convert_km": "km_to_miles", "KM_FACTOR": "MILES_PER_KM"}


def test_new_names_work_without_warnings(ex):
    with ex.warnings() as caught:
        units = ex.load("units")
        new = [getattr(units, name, None) for name in RENAMED.values()]
    assert not caught, (
        f"`import units` or using the new names warned: {[str(w.message) for w in caught]}. Only the OLD names "
        f"(convert_km, KM_FACTOR) should warn; keep the warning inside __getattr__.")
    assert None not in new, "units.py must still define km_to_miles and MILES_PER_KM; leave them as they are."
    assert abs(units.km_to_miles(10) - 6.21371) < 1e-9, (
        f"km_to_miles(10) should be about 6.21371, not {units.km_to_miles(10)!r}; leave it as it was.")


def test_old_names_are_not_plain_attributes(ex):
    units = ex.load("units")
    units_py = ex.show(ex.path("units.py"))
    plain = [old for old in RENAMED if old in ex.names(units)]
    assert not plain, (
        f"{' and '.join(plain)} {'is an ordinary name' if len(plain) == 1 else 'are ordinary names'} of the "
        f"module, so using {'it' if len(plain) == 1 else 'them'} can "
        f"never warn: Python finds the name itself and never calls __getattr__. Remove the alias "
        f"line{'' if len(plain) == 1 else 's'} {', '.join(f'`{n} = ...`' for n in plain)} from {units_py}.")
    functions = {n.name for n in ex.tree("units.py").body if isinstance(n, ast.FunctionDef)}
    assert "__getattr__" in functions, (
        f"{units_py} needs a top-level function `def __getattr__(name):`. Python calls it for names the module "
        f"does not have, such as the old ones: there it can warn, then return the new object.")


def test_old_names_warn_and_return_the_new_objects(ex):
    units = ex.load("units")
    units_py = ex.show(ex.path("units.py"))
    for old, new in RENAMED.items():
        try:
            seen = ex.access(units, old)
        except AttributeError as e:
            raise AssertionError(
                f"`units.{old}` raised AttributeError: {e}\nOld code still uses `{old}`: __getattr__ in "
                f"{units_py} should warn, then return the object now called `{new}` "
                f"(e.g. `return globals()[\"{new}\"]`).") from None
        except Warning as e:
            raise AssertionError(
                f"{ex.where(e, 'units.py')}\n`units.{old}` raised {type(e).__name__}: {e}\nRaising it stops the "
                f"old code at once; warnings.warn(...) only reports it and lets the code go on: "
                f"`warnings.warn(\"{old} is deprecated; use {new}\", DeprecationWarning, stacklevel=2)`, then "
                f"return the new object.") from None
        value, caught = seen.value, seen.warnings
        assert value is getattr(units, new), (
            f"`units.{old}` should give the very same object as `units.{new}`, but gave {value!r}."
            + (f" That is the new NAME, a string; return the object it names: `globals()[\"{new}\"]` (globals() is "
               f"the module's own dictionary of names)." if value == new else ""))
        deprecations = [w for w in caught if "DeprecationWarning" in w.kinds]
        others = [f"{w.category.__name__}: {w.message}" for w in caught if w not in deprecations]
        assert deprecations, (
            f"Using `units.{old}` should emit a DeprecationWarning, but it emitted "
            f"{others or 'no warning at all'}. In __getattr__, call "
            f"`warnings.warn(\"{old} is deprecated; use {new}\", DeprecationWarning, stacklevel=2)`.")
        warning = deprecations[0]
        assert old in str(warning.message) and new in str(warning.message), (
            f"The warning for `units.{old}` says {str(warning.message)!r}. Name both the old and the new name, "
            f"so the reader knows what to write instead, e.g. \"{old} is deprecated; use {new}\".")
        if (Path(warning.filename).resolve(), warning.lineno) != (Path(seen.at[0]).resolve(), seen.at[1]):
            inside = Path(warning.filename).resolve() == ex.path("units.py").resolve()
            ex.fail(f"The warning for `units.{old}` points at "
                    + (f"{units_py}, line {warning.lineno}, inside units.py" if inside else
                       f"{warning.filename}, line {warning.lineno}, beyond the code that used it")
                    + f", instead of at the line that asked for `units.{old}`.\nstacklevel counts frames from "
                    f"warnings.warn(): 1 is its own line, each more one caller further out. "
                    + ("Raise it by one for each function between __getattr__ and warn() (stacklevel=2 when "
                       "__getattr__ calls warnings.warn() itself)." if inside else
                       "Lower it: stacklevel=2 when __getattr__ calls warnings.warn() itself."))
        again = ex.access(units, old)
        assert any("DeprecationWarning" in w.kinds for w in again.warnings), (
            f"The first `units.{old}` warned, the second did not: {units_py} made `{old}` an ordinary name of "
            f"the module after the first use (in globals()), so Python no longer calls __getattr__ for it. Every "
            f"use of an old name should warn (Python's filters decide how often a warning is shown).")
    try:
        missing = ex.access(units, "no_such_name").value
    except AttributeError:
        pass
    else:
        raise AssertionError(
            f"`units.no_such_name` returned {missing!r}; for a name that is neither new nor old, __getattr__ must "
            f"`raise AttributeError(f\"module {{__name__!r}} has no attribute {{name!r}}\")`.")
