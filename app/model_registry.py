"""Every models module, imported once so SQLAlchemy's metadata (and Alembic) sees all tables."""

from app import accounts, audit, cache_versions, certificates, mail, notifications, uploads  # noqa: F401
from community import subjects as community_subjects  # noqa: F401,E402
from community.associations import models as association_models  # noqa: F401,E402
from community.events import models as event_models  # noqa: F401,E402
from community.forums import models as forum_models  # noqa: F401,E402
from community.library import models as library_models  # noqa: F401,E402
from community.messaging import models as messaging_models  # noqa: F401,E402
from community.portfolio import models as portfolio_models  # noqa: F401,E402
from community.subscriptions import models as subscription_models  # noqa: F401,E402
from contest_engine import models as contest_models  # noqa: F401,E402
from contest_engine.jury import models as jury_models  # noqa: F401,E402
from courses import models as course_models  # noqa: F401,E402
from courses.quiz import models as quiz_models  # noqa: F401,E402
from monitoring import models as monitoring_models  # noqa: F401,E402
