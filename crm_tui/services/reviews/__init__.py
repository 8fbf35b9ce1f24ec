"""Reviews — the policy's yearly review of every restriction (continue, lift, or propose an
extension and invite the customer's comments), review sessions that step through the reviews
due, appeals decided by someone who took no part in the decision, and the calendar of every
dated obligation."""
