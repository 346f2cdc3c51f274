"""Foreign regions: detection, moving with edits, persistence, re-anchoring."""
