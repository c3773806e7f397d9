"""The local web app over the library and the memory: `briefing review` (see session.py, app.py)."""
