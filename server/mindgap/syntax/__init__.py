"""Tree-sitter: the language registry, incremental documents and position conversion."""
