"""Intake — the policy's sections on dealing with a customer's contact locally and referring
it: local resolution by the service area, the referral with its evidence (from the form or an
imported file), the Complaints Resolution Manager's triage and consideration, the Head of
Service's view, and the inbox, case file and home counts the team works from."""
