"""30 plugin discovery: pkgutil.iter_modules lists a package's modules, importlib.import_module loads them."""
import ast
import shutil
from pathlib import Path

LOADER = "plugin_host/loader.py"
PLUGINS = {"reverse": "olleh", "shout": "HELLO!", "upper": "HELLO"}  # name -> transform("hello")
BROKEN_PLUGIN = '"""Plugin that cannot load. (Added by the tests, in a copy.)"""\nimport kata_no_such_module  # noqa\n'
NEW_PLUGIN = (
    '"""Plugin: title case. (Added by the tests, in a copy.)"""\n\n\ndef transform(text):\n    return text.title()\n'
)


def innermost(error):
    tb = error.__traceback__
    while tb.tb_next:
        tb = tb.tb_next
    return tb.tb_frame.f_code.co_filename


def call_discover(ex, loader, where=""):
    try:
        found = loader.discover()
    except ModuleNotFoundError as e:
        if not e.name or "." in e.name or not (Path(loader.__file__).parent / "plugins" / f"{e.name}.py").is_file():
            raise
        raise AssertionError(
            f"discover() raised ModuleNotFoundError: {e}\nimportlib.import_module({e.name!r}) looks for a "
            f"top-level module `{e.name}`; the plugin's full name is `plugin_host.plugins.{e.name}`. In "
            f"{ex.show(ex.path(LOADER))}, import f\"{{plugins.__name__}}.{{info.name}}\".") from None
    except ValueError as e:
        if "pkgutil" not in innermost(e):
            raise
        raise AssertionError(
            f"{ex.where(e, LOADER)}\ndiscover() raised ValueError: {e}\npkgutil.iter_modules() takes a list of "
            f"folders, not one folder as a string: give it the package's own list of folders, "
            f"`pkgutil.iter_modules(plugins.__path__)`.") from None
    except Exception as e:
        if Path(loader.__file__).resolve().is_relative_to(ex.dir):
            raise  # the harness points at the failing line of the learner's file
        raise AssertionError(
            f"discover() raised {type(e).__name__}: {e}\n(in a copy of plugin_host/{where}). Fix "
            f"{ex.show(ex.path(LOADER))}.") from None
    assert isinstance(found, dict), (
        f"discover() should return a dict {{plugin name: module}}, not {type(found).__name__} {found!r}.")
    return found


def test_discover_finds_every_plugin(ex):
    loader = ex.load("plugin_host.loader")
    found = call_discover(ex, loader)
    loader_py = ex.show(ex.path(LOADER))
    assert "_helpers" not in found, (
        f"discover() returned `_helpers` as a plugin. Names that start with an underscore are shared code, not "
        f"plugins: skip them (`if info.name.startswith(\"_\"): continue`).")
    missing = sorted(set(PLUGINS) - set(found))
    extra = sorted(set(found) - set(PLUGINS))
    assert not missing and not extra, (
        f"discover() should find exactly the plugins {sorted(PLUGINS)} in plugin_host/plugins/, but it found "
        f"{sorted(found)}" + (f" (missing: {', '.join(missing)})" if missing else "")
        + (f" (not plugins: {', '.join(extra)})" if extra else "")
        + f". Let {loader_py} find them by itself with pkgutil.iter_modules(plugins.__path__), instead of a "
          f"hand-written list.")
    for name, module in found.items():
        full = f"plugin_host.plugins.{name}"
        assert module is ex.modules.get(full), (
            f"discover()[{name!r}] should be the module {full} itself (import it with "
            f"importlib.import_module({full!r})), but it is {module!r}.")
    result = ex.call(loader, "transform_all", "hello")
    assert ex.same(result, PLUGINS), f"transform_all('hello') should return {PLUGINS}, not {ex.plain(result)}."


def test_a_new_plugin_file_is_found_without_code_changes(ex):
    """A copy of plugin_host under tmp_path gets one more plugin file; the repository is never touched."""
    source = ex.path("plugin_host")
    assert source.is_dir(), f"The folder {ex.show(source)}/ is missing. Restore it with `make reset EX=30`."
    copy = ex.tmp_path / "copy"
    shutil.copytree(source, copy / "plugin_host", ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "plugin_host" / "plugins" / "title.py").write_text(NEW_PLUGIN, encoding="utf-8")
    loader = ex.load("plugin_host.loader", path=[copy])
    assert Path(loader.__file__).resolve().is_relative_to(copy.resolve()), (
        f"plugin_host.loader came from {loader.__file__}, not from the copy the test made.")
    found = call_discover(ex, loader, " with a new plugin title.py")
    assert "title" in found, (
        f"A new file plugins/title.py was added (in a copy of plugin_host/), but discover() found only "
        f"{sorted(found)}. A plugin must be found without editing {ex.show(ex.path(LOADER))}: loop over "
        f"pkgutil.iter_modules(plugins.__path__) and import each name with importlib.import_module().")
    title = found["title"]
    assert Path(title.__file__).resolve().parent == (copy / "plugin_host" / "plugins").resolve(), (
        f"discover()['title'] came from {title.__file__}, not from the plugins folder of the copy.")
    assert ex.same(title.transform("hello world"), "Hello World")


def test_a_plugin_that_fails_to_import_is_not_hidden(ex):
    """A plugin that cannot be imported must not vanish in silence: discover() may raise, or warn or log
    naming it, but a user must be able to learn why a feature is missing."""
    copy = ex.tmp_path / "copy"
    shutil.copytree(ex.path("plugin_host"), copy / "plugin_host", ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "plugin_host" / "plugins" / "broken.py").write_text(BROKEN_PLUGIN, encoding="utf-8")
    loader = ex.load("plugin_host.loader", path=[copy])
    ex.output()
    with ex.warnings() as caught:
        try:
            found = loader.discover()
        except ImportError:
            return  # the failure reaches the caller: nothing hidden
        except Exception:  # noqa: BLE001  (explained by call_discover, outside this block)
            found = None
    if found is None:
        call_discover(ex, loader, " with a plugin broken.py that cannot be imported")
    told = " ".join(str(w.message) for w in caught) + ex.output().err
    if "broken" in found or "broken" in told:
        return
    handlers = [h for h in ast.walk(ex.tree(LOADER)) if isinstance(h, ast.ExceptHandler)]
    assert not handlers, (
        f"A plugin file plugins/broken.py that cannot be imported (it imports a module that does not exist) was "
        f"dropped by discover() without a word: {ex.show(ex.path(LOADER))}, line {handlers[0].lineno if handlers else 0}, "
        f"swallows the ImportError.\nLet the error propagate (or at least warn or log naming the plugin): a silent "
        f"`except ImportError: pass` hides why a feature is missing, and hides typos in plugin code too.")
    ex.fail(f"A plugin file plugins/broken.py was added (in a copy of plugin_host/), and discover() did not even try "
            f"to import it: let it find every module of the package with pkgutil.iter_modules(plugins.__path__).")


def test_loader_uses_pkgutil_and_importlib(ex):
    loader_py = ex.show(ex.path(LOADER))
    tree = ex.tree(LOADER)
    hand_written = [
        ast.unparse(node) for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
        and ((node.level == 0 and node.module == "plugin_host.plugins")
             or (node.level == 1 and node.module == "plugins"))
        and any(a.name in PLUGINS for a in node.names)
    ]
    assert not hand_written, (
        f"{loader_py} still imports plugins by name: `{hand_written[0]}`. Remove it: discover() imports every "
        f"plugin it finds, whatever its name.")
    calls = {node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
             for node in ast.walk(tree) if isinstance(node, ast.Call)}
    assert "iter_modules" in calls, (
        f"{loader_py} should list the plugin modules with pkgutil.iter_modules(plugins.__path__) (add "
        f"`import pkgutil`). It reads the folders of the package, so a new plugin file is found by itself.")
    assert "import_module" in calls, (
        f"{loader_py} should import each plugin it finds with importlib.import_module(full_name) (add "
        f"`import importlib`), e.g. importlib.import_module(f\"{{plugins.__name__}}.{{info.name}}\").")
