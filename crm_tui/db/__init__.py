"""Persistence: Peewee models, the database factory and migrations."""

from crm_tui.db.drivers import import_peewee

import_peewee()  # before any module here imports it: without PostgreSQL's driver (drivers.py)
