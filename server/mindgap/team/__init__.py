"""Team sharing: attestations as git notes, and the team debt computed from them."""
