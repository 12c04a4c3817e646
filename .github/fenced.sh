#!/usr/bin/env bash
# `bash .github/fenced.sh COMMAND...`: runs COMMAND with GitHub's workflow commands turned off for its output.
# The tests run learner code, whose output must not issue commands (::add-mask::, ::error::, ::stop-commands::
# of its own...): ::stop-commands:: with a random token it cannot guess, turned back on after it.
token=$(python -c 'import secrets; print(secrets.token_hex(16))')
echo "::stop-commands::${token}"
"$@"
status=$?
echo "::${token}::"
# The kata's own annotation was silenced with the rest; the summary page has its text (kata/commands/runner.py).
if [ -n "${GITHUB_STEP_SUMMARY:-}" ] && grep -q "test machinery differs" "$GITHUB_STEP_SUMMARY" 2>/dev/null; then
  echo "::warning title=Kata test machinery changed::The kata's tests or harness differ from what was shipped: see the run's summary."
fi
exit "$status"
