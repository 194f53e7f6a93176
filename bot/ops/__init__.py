"""The operators' review page (FastAPI + Jinja2, server-rendered)."""
