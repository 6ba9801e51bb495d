"""Translation helpers for the domains, so course and contest code needs no Flask import.

Strings are English in the code and Russian in translations/<room>/ru; `_` translates now (in the
caller's language), `lazy_` when first shown (for module-level labels).
"""

from __future__ import annotations

from flask_babel import force_locale, gettext, lazy_gettext, ngettext

_ = gettext
lazy_ = lazy_gettext

__all__ = ["_", "force_locale", "lazy_", "ngettext"]
