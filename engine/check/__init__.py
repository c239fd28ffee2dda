"""Checking one draft: derive facts, run the compiled rules, accountability, the trace, read → check pipeline,
deadlines ahead."""
