"""Readers: one per file format, each turning bytes into a parsers.grid.Document."""
