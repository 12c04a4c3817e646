# Python Modules & Packages Kata. Every target is a thin call to `python -m kata <command>` inside .venv,
# which the first use creates from the pinned requirements (no activation needed).
# Without make (e.g. on Windows): `python -m kata <command>` does the same, venv included (README.md).

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
READY := $(VENV)/.kata-requirements
WATCH_READY := $(VENV)/.kata-watch-requirements
LINT_VENV := .venv-lint
EX ?=
ID ?=
LEVEL ?=
ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help test watch verify hint explain list reset reset-all restore compare grade bench versions lint-ci clean

help:
	@echo "Python Modules & Packages Kata"
	@echo ""
	@echo "  make test            run every exercise; shows your progress and the current exercise"
	@echo "  make test EX=07      run one exercise (a number like 07, or a folder name), with full detail"
	@echo "  make test ARGS=...   extra pytest options, e.g. ARGS=--junitxml=kata-junit.xml"
	@echo "  make watch           re-run the tests every time you save a file (FULL=1: ignore its cache)"
	@echo "  make hint [EX=07]    the next hint for an exercise, the current one by default (LEVEL=1..3;"
	@echo "                       SOLUTION=1 shows the finished code: try the hints first)"
	@echo "  make explain ID=K101 what a diagnosis id in a message means, with an example (no ID: list them)"
	@echo "  make list            every exercise with its state"
	@echo "  make reset EX=07     restore an exercise as shipped (your attempt is backed up first)"
	@echo "  make reset-all       restore every exercise as shipped (backed up first)"
	@echo "  make restore EX=07   put back your attempt from the latest backup that make reset made"
	@echo "  make compare [EX=07] once an exercise passes: your files next to the reference solution"
	@echo ""
	@echo "  make verify          maintainers: solutions pass, stubs fail, metadata agrees, harness tests pass"
	@echo "  make grade SUBMISSION=path REPORT=file.json   instructors: grade a learner's clone (in a sandbox: bwrap)"
	@echo "                      CSV=grades.csv also writes a gradebook: one row per learner, 1/0 per exercise"
	@echo "  make bench           maintainers: measure speed (ARGS=--quick: a shorter run)"
	@echo "  make versions        maintainers: make verify on every Python 3.10-3.15 found"
	@echo "  make lint-ci         maintainers: zizmor and actionlint on .github/workflows/"
	@echo "  make clean           remove .venv and caches (never your exercises)"

# The venv is (re)built when missing, broken, or when requirements.txt changes; kata/bootstrap.py does it,
# with the same stamps as `python -m kata <command>`, so both use one .venv.
$(READY): requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "The kata needs Python 3.10 or newer; found " + sys.version.split()[0] + ". Try: make PYTHON=python3.12 test")'
	@$(PYTHON) -m kata.bootstrap --venv $(VENV) requirements.txt

# The watcher's file events (watchdog) are installed on first use only (and by verify, best-effort): a
# failure here can never break test or verify, and watch then polls.
$(WATCH_READY): requirements-watch.txt | $(READY)
	@$(PY) -m kata.bootstrap --venv $(VENV) requirements-watch.txt

test: $(READY)
	@$(PY) -m kata test $(EX) $(ARGS)

watch: $(READY)
	@$(MAKE) -s --no-print-directory $(WATCH_READY) || echo "Could not install watchdog: watch will poll."
	@$(PY) -m kata watch $(EX) $(if $(FULL),--full)

hint: $(READY)
	@$(PY) -m kata hint $(EX) $(if $(LEVEL),--level $(LEVEL)) $(if $(SOLUTION),--solution)

explain: $(READY)
	@$(PY) -m kata explain $(ID)

list: $(READY)
	@$(PY) -m kata list

reset: $(READY)
	@$(PY) -m kata reset $(EX)

reset-all: $(READY)
	@$(PY) -m kata reset --all

restore: $(READY)
	@$(PY) -m kata reset --restore $(EX)

compare: $(READY)
	@$(PY) -m kata compare $(EX)

# The watch check needs the watcher: installed here best-effort (verify says loudly if it could not run).
verify: $(READY)
	@$(MAKE) -s --no-print-directory $(WATCH_READY) || echo "Could not install the watcher (requirements-watch.txt)."
	@$(PY) -m kata verify

# Started -I -S -B from a script (kata/grading/launch.py): no bytecode, .pth file or PYTHON* variable can
# take over the grader.
grade: $(READY)
	@$(PY) -I -S -B kata/grading/launch.py $(SUBMISSION) $(if $(REPORT),--report $(REPORT)) $(if $(CSV),--csv $(CSV)) $(if $(JOBS),--jobs $(JOBS)) $(if $(NO_SANDBOX),--no-sandbox) $(ARGS)

bench: $(READY)
	@$(MAKE) -s --no-print-directory $(WATCH_READY) || echo "Could not install watchdog: (4) is skipped."
	@$(PY) -m kata bench $(ARGS)

versions:
	@$(PYTHON) -m kata.maintainer.versions

# zizmor and actionlint on the workflow; a linter that is not installed is skipped with a loud note (exit 0),
# a finding fails. zizmor goes into its own venv: it is no requirement of the kata's.
$(LINT_VENV)/.kata-lint-requirements: requirements-lint.txt
	@$(PYTHON) -m kata.bootstrap --venv $(LINT_VENV) requirements-lint.txt

lint-ci:
	@$(MAKE) -s --no-print-directory $(LINT_VENV)/.kata-lint-requirements || echo "Could not install zizmor."
	@status=0; \
	if [ -x $(LINT_VENV)/bin/zizmor ]; then $(LINT_VENV)/bin/zizmor .github/workflows/ || status=1; \
	else echo "*** lint-ci: zizmor is NOT installed: the workflow was NOT audited (requirements-lint.txt) ***"; fi; \
	if command -v actionlint >/dev/null 2>&1; then actionlint -version | head -1 && actionlint && echo "actionlint: no problems" || status=1; \
	else echo "*** lint-ci: actionlint is NOT installed: the workflow was NOT linted (see requirements-lint.txt) ***"; fi; \
	exit $$status

clean:
	rm -rf $(VENV) .pytest_cache
	find . -name __pycache__ -type d -not -path './.git/*' -prune -exec rm -rf {} +
