"""The host: the session server that every screen talks to (FastAPI on uvicorn, Qt-free)."""
