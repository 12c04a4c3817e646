"""mypackage: a regular package, because this file exists."""
