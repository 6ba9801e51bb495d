"""API endpoints of associations, forums, subscriptions, notifications and direct messages (see
shared/API.md, «Associations, forums, subscriptions»), one module per use case: forums (a place's
forums), posting (topics, posts, reports), subscriptions, notifications, messages."""

from app.api.community import forums, messages, notifications, posting, subscriptions  # noqa: F401
