# Exercise 30: find the plugins instead of listing them by hand. See README.md in this folder.
"""Finds the plugins in plugin_host.plugins and applies them."""
import importlib
import pkgutil

from plugin_host import plugins


def discover():
    """Return {plugin name: plugin module} for every plugin module in plugin_host/plugins/."""
    found = {}
    for info in pkgutil.iter_modules(plugins.__path__):
        if info.name.startswith("_"):
            continue  # shared code, not a plugin
        found[info.name] = importlib.import_module(f"{plugins.__name__}.{info.name}")
    return found


def transform_all(text):
    """Apply every plugin to text: {plugin name: result}."""
    return {name: plugin.transform(text) for name, plugin in discover().items()}
