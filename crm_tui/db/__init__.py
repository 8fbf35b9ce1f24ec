"""Persistence: Peewee models, the database factory and migrations."""
