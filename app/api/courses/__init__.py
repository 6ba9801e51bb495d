"""API endpoints of the courses room (see shared/API.md, "Courses"), one module per concern: setting a
course up, the graded items in its modules, and students' work with its grades (plus the public
certificate check). Importing the package registers them (like every room's API module)."""

from app.api.courses import course_items, course_restore, course_setup, course_work  # noqa: F401
