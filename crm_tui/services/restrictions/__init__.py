"""Restrictions — the policy's proportionate contact restrictions: the builder (each restriction
with its evidence, proportionality and the customer's contact needs), decisions to impose, vary,
lift or let them expire, contact compliance with recorded breaches, and the staff register of who
is under restriction."""
