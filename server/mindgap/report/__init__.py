"""Renderings of the understanding debt report: the JSON model, text and HTML."""
