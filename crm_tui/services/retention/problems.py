"""What a backup or a restore refuses with: a module of its own, so that the start's check for
a restore cut short (restore_swap.settle) does not load the backup's services (issue 17)."""

from __future__ import annotations


class BackupProblem(Exception):
    """A backup or a restore refused, saying why; nothing was changed."""
