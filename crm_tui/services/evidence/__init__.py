"""Evidence — what the policy asks a decision to rest on: documents in a hash-addressed store,
the customer's log sheet (logged, corrected, imported), the matters raised and when each was
dealt with, behaviour tags and links, the analysis of contacts over a period, and the PDF
bundle for the Head of Service, an appeal or the Ombudsman."""
