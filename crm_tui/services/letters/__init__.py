"""Letters — the policy's written notice to the customer: what each kind of letter must say
(duration, reasons, how to still make contact, the right of appeal), prepared, checked, signed
with the signer's own key and registered; and the signing keys themselves."""
