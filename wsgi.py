"""The WSGI entry point: `gunicorn wsgi:app`."""

from coordination import create_app

app = create_app()
