"""Diagnoses: what went wrong in a learner's code, decided from facts, and what to learn from it."""
