"""crm_tui: the Complaints Resolution Team's tool for the Unreasonably Persistent or
Vexatious Customer Behaviour Policy."""

__version__ = "0.1.0"
