"""A module with side effects: importing it prints and then stops the program. where() must not run it."""
print("noisy.py ran: where() imported it instead of only finding it!")
raise SystemExit("noisy.py stops whoever imports it")
