"""mathkit: small statistics helpers and a report."""
