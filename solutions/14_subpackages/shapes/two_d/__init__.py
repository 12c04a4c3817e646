"""shapes.two_d: flat shapes."""
