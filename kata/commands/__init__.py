"""The learner's commands: test, watch, hint, list, reset (one module each)."""
