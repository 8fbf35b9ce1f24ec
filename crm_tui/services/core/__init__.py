"""The shared core every stage uses: the one transaction, the audit trail, users and the acting
user, what a user gives a service and what it gets back, validation, settings, the steps every
case shares (load, move, summarise) and deadlines as the council counts them. It imports no
stage."""
