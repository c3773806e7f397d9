"""Render: `Briefing` -> files. Only this package imports python-docx."""
