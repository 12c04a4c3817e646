"""calculations: a package of arithmetic modules. This file is empty on purpose: importing the package
does not import the modules inside it."""
