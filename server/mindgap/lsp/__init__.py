"""pygls wiring only: handlers translate LSP messages to engine calls and back."""
