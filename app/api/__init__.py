"""JSON API v1 (see shared/API.md): bearer-token auth, the error shape, pagination, OpenAPI.

Each room's endpoints live in their own module here and register through `core.endpoint`.
"""

from flask import Blueprint

from app.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # bearer tokens only: a browser's cookies never authenticate an API call

from app.api import core  # noqa: E402

core.init_blueprint(bp)

from app.api import (  # noqa: E402,F401
    accounts,
    community,
    contests,
    courses,
    events,
    jury,
    library,
    monitoring,
    openapi,  # noqa: E402,F401
    quiz,
)
