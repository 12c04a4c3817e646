"""The instructor's tools: grading learners' submissions."""
