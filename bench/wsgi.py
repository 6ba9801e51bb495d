"""The application as gunicorn serves it in the benchmark (configured by the runner's environment).

gunicorn runs it with the repository's gunicorn.conf.py, which freezes the start-up objects out of
the garbage collector's reach in each worker once this module is loaded, as in production."""

from app import create_app

app = create_app()
