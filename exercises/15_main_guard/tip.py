# Exercise 15: put the interactive part in main() and guard it with if __name__ == "__main__". See README.md in this folder.


def tip(bill, percent):
    """The tip on `bill` at `percent` per cent, rounded to cents."""
    return round(bill * percent / 100, 2)


print("Tip calculator")
bill = float(input("Bill: "))
percent = float(input("Tip in percent: "))
print(f"Tip: {tip(bill, percent):.2f}")
