"""Use cases: each checks the acting user's role, runs in one transaction, writes the audit
trail and returns plain dataclasses."""
