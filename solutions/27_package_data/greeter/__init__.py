"""greeter: builds greetings from a template file shipped inside the package (greeter/data/greeting.txt)."""
