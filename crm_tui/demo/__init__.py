"""The demo database and synthetic data at scale. It uses the services as any caller does;
nothing in the services or the UI imports it — only the commands that build a demo or seed a
benchmark database (a contract in pyproject.toml says so)."""
