"""The policy as code: pure Python, no database and no user interface."""
