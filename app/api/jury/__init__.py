"""API endpoints of the jury room (see shared/API.md, "Contests"), one module per audience: the
organiser's jurors and allocation, scoring, appeals, the demo-lesson schedule. Importing the
package registers them (like every room's API module)."""

from app.api.jury import appeals, jurors, scoring, slots  # noqa: F401
