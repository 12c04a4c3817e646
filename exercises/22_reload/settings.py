"""Settings you may change while the program runs; edit them to try reloading."""
GREETING = "Hello"
PUNCTUATION = "!"
