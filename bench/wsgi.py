"""The application as gunicorn serves it in the benchmark (configured by the runner's environment)."""

from app import create_app

app = create_app()
