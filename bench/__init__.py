"""`make bench`: the app under gunicorn with generated data, measured beside a bare Flask page."""
