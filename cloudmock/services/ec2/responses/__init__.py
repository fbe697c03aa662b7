"""Handlers, one module per resource family: parsed params in, output-shape dict out."""
