"""The baseline: a bare Flask page of similar size, served by the same gunicorn settings.

The ratio app/baseline says what the platform costs over Flask itself on this machine."""

from flask import Flask

app = Flask(__name__)
PAGE = (
    "<!doctype html><html lang=ru><head><title>Вместе</title></head><body>"
    + "<p>Вместе</p>" * 200
    + "</body></html>"
)


@app.get("/")
def index() -> str:
    return PAGE
