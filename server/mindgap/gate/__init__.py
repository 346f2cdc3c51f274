"""The gate: quiz, explain or hand-write foreign code before it counts as understood."""
