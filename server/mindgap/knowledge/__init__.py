"""What a developer knows: the construct catalogue, extraction, and familiarity profiles."""
