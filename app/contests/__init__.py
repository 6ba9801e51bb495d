"""Contest pages, one module per audience: public (everyone), participant (registering, a stage
and its entries), organiser (setting up), running (stage actions, advancement, audit), results
(rankings, exports, awards, diplomas) and the dashboard panel."""

from flask import Blueprint

bp = Blueprint("contests", __name__, url_prefix="/contests")

# Each module adds its routes to `bp` when imported (Flask's blueprint pattern).
from app.contests import organiser, panel, participant, public, results, running, stage_setup  # noqa: E402,F401
