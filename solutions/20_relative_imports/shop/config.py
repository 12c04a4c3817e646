"""Settings for the whole shop."""

TAX = 0.20
CURRENCY = "EUR"
