"""Synthetic annual reports: a model, a random generator and renderers (HTML, DOCX, PDF, text)."""
