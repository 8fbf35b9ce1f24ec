"""Retention — the end of a file's life under the policy: archived when restrictions end,
destroyed six years later leaving only a tombstone; and what a person and the council are
owed while it is kept: a subject access request answered, backups taken and restored."""
