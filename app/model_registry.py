"""Every models module, imported once so SQLAlchemy's metadata (and Alembic) sees all tables."""

from app import accounts, audit, certificates, mail, notifications, uploads  # noqa: F401
from contest_engine import models as contest_models  # noqa: F401,E402
from contest_engine.jury import models as jury_models  # noqa: F401,E402
from courses import models as course_models  # noqa: F401,E402
from courses.quiz import models as quiz_models  # noqa: F401,E402
