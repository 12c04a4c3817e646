"""`python -m kata list` (`make list`): every exercise with its state and title.
`--markdown` prints the exercise table that README.md carries (make verify checks it is current);
`--update-readme` writes it into README.md."""
from __future__ import annotations

from kata import ROOT, manifest
from kata.commands import runner
from kata.harness.report import is_complete


def markdown(exercises: list[manifest.Exercise]) -> str:
    lines = ["| # | Exercise | Part | Topic |", "| --- | --- | --- | --- |"]
    lines += [f"| {e.number} | [{e.name}](exercises/{e.name}/README.md) | {e.part} | {e.title} |"
              for e in exercises]
    return "\n".join(lines)


def update_readme(exercises: list[manifest.Exercise]):
    """Replace the table between README.md's exercise-list markers."""
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    start = text.index("<!-- exercises:start")
    start = text.index("-->", start) + len("-->")
    end = text.index("<!-- exercises:end -->")
    readme.write_text(text[:start] + "\n" + markdown(exercises) + "\n" + text[end:], encoding="utf-8")
    print("Updated the exercise list in README.md.")


def main(argv: list[str]) -> int:
    exercises = manifest.load()
    if "--markdown" in argv:
        print(markdown(exercises))
        return 0
    if "--update-readme" in argv:
        update_readme(exercises)
        return 0
    results = runner.results()
    done = sum(is_complete(results.get(e.name)) for e in exercises)
    part = None
    for e in exercises:
        if e.part != part:
            part = e.part
            print(f"\n{part}")
        entry = results.get(e.name)
        if entry is None:
            state = "not run"
        elif is_complete(entry):
            state = "done"
        else:
            state = f"{entry['passed']}/{entry['passed'] + entry['failed']} checks"
        mark = "✔" if is_complete(entry) else "✘"
        print(f"  {mark} {e.name:<26} {state:<11} {e.title}")
    print(f"\n{done}/{len(exercises)} complete. `make test` shows the current exercise.")
    return 0
