"""API endpoints of the contests room (see shared/API.md, "Contests"), one module per concern:
setting a contest up, a stage (its clock and entries), and outcomes (advancement, results,
awards); the jury room adds jurors, conflicts, allocation, scores and appeals. Importing the
package registers them (like every room's API module)."""

from app.api.contests import contest_results, contest_setup, contest_stages  # noqa: F401
