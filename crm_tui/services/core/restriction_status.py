"""The stored status of a restriction row: drafted in the builder, put in force by a decision,
or ended. Its own module so that the queries over them (in_force) and the case's steps
(case_steps) can both read them without importing each other."""

from __future__ import annotations

DRAFT, IN_FORCE, ENDED = "draft", "in_force", "ended"
