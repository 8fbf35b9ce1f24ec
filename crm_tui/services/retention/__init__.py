"""Retention — the end of a file's life under the policy: archived when restrictions end,
destroyed six years later leaving only a tombstone."""
