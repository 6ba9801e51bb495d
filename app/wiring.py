"""The web shell's wiring: every blueprint, attempt policy, tick job, dashboard panel and demo part
the rooms contribute, registered by `register_rooms(app)` in the order written here.

Nothing registers itself when its module is imported: a new hook is one line below. Each
registry is idempotent (a second app built in the same process, as the tests do, changes nothing).
"""

from __future__ import annotations

from flask import Blueprint, Flask

from app import model_registry  # noqa: F401 - every table known before anything queries
from app.account_upkeep import prune_accounts
from app.admin import bp as admin_bp
from app.api import bp as api_bp
from app.auth import bp as auth_bp
from app.contests import bp as contests_bp
from app.contests.panel import contests_panel
from app.courses import bp as courses_bp
from app.courses.catalogue import courses_panel
from app.demo import demo_part
from app.documents.sources import register_paper_source
from app.events import bp as events_bp
from app.forums import bp as forums_bp
from app.forums.backfill import open_missing_forums
from app.forums.subscription_links import WebPlaceAccess
from app.jury import bp as jury_bp
from app.jury.panels import participant_panel, queue_panel
from app.library import bp as library_bp
from app.library.moderation import library_queue_panel
from app.mail_delivery import deliver_due_mail
from app.main import bp as main_bp
from app.main.dashboard import panel
from app.markdown_preview import bp as markdown_bp
from app.messaging import bp as messaging_bp
from app.monitoring import bp as monitoring_bp
from app.monitoring_tick import monitoring_job
from app.permissions.forums import can_read_forum, shows_names
from app.portfolio import bp as portfolio_bp
from app.quiz import bp as quiz_bp
from app.ticks import tick_job
from app.verify import bp as verify_bp
from community.events import demo as events_demo
from community.events.certificate_issuing import issue_earned_certificates
from community.events.event_certificates import event_certificate_paper
from community.events.feed_items import register_feed_provider
from community.events.reminders import send_reminders
from community.forums import demo as forums_demo
from community.forums import demo_history as forum_history
from community.forums.notices import register_audience as register_forum_audience
from community.forums.search_schema import register_search_schema as register_forum_search
from community.library import demo as library_demo
from community.library.certificates import issue_missing_certificates, publication_certificate_paper
from community.library.search_schema import register_search_schema
from community.subscriptions.access import register_place_access
from community.subscriptions.digest import send_digests
from contest_engine import calendar_items as contest_calendar_items
from contest_engine import clock, diplomas, olympiad
from contest_engine import demo as contests_demo
from contest_engine import demo_history as contest_history
from contest_engine.jury import demo as jury_demo
from courses import calendar_items as course_calendar_items
from courses import demo as courses_demo
from courses import demo_history as course_history
from courses import demo_news as course_news_demo
from courses import quiz_items
from courses.certificates import course_certificate_paper
from courses.quiz import attempts
from courses.quiz.policies import register_attempt_policy
from monitoring import demo as monitoring_demo

BLUEPRINTS: tuple[Blueprint, ...] = (
    main_bp,
    auth_bp,
    admin_bp,
    courses_bp,
    quiz_bp,
    contests_bp,
    jury_bp,
    library_bp,
    forums_bp,
    messaging_bp,
    portfolio_bp,
    events_bp,
    monitoring_bp,
    markdown_bp,  # the Markdown editor's preview (app/markdown_preview.py)
    verify_bp,  # the public check of a document (/verify, app/verify.py)
    api_bp,
)

# Who may start a quiz is asked of the room owning its bank (courses.quiz.policies.policy_for).
ATTEMPT_POLICIES = (
    (quiz_items.POLICY_OWNER, quiz_items.course_attempt_policy),
    ("contest", olympiad.contest_attempt_policy),
)

# `flask contests tick` runs them in this order: overdue attempts are finished before their stage
# closes, and the letters the stages wrote go out in the same tick.
TICK_JOBS = (
    ("quiz.finish_overdue", attempts.finish_overdue),
    ("contest stages", clock.clock_job),
    ("forum digests", send_digests),
    ("event reminders", send_reminders),
    ("event certificates", issue_earned_certificates),  # of conducting once begun; older attendance
    ("mail", deliver_due_mail),
    ("accounts", prune_accounts),
    ("forums", open_missing_forums),  # the network's, and those of places older than forums
    ("library certificates", issue_missing_certificates),  # of older publications
    ("monitoring", monitoring_job),
)

# What a person's calendar feed holds besides their events (community.events.feed_items).
FEED_PROVIDERS = (
    ("courses", course_calendar_items.course_deadlines),
    ("contests", contest_calendar_items.contest_dates),
)

# What each kind of verifiable document states, by its certificate rows' source type (app.documents).
PAPER_SOURCES = (
    ("award", diplomas.award_certificate_paper),
    ("jury_stage", diplomas.jury_paper),
    ("course", course_certificate_paper),
    ("material", publication_certificate_paper),
    ("event", event_certificate_paper),
)

# Shown sorted by each Panel's `order`; equal orders keep this order.
DASHBOARD_PANELS = (courses_panel, contests_panel, queue_panel, participant_panel, library_queue_panel)

# `flask demo` loads the accounts, then these parts in this order.
DEMO_PARTS = (
    contests_demo.load_contests,
    jury_demo.load_jury_final,
    jury_demo.load_open_final,  # its demo lessons opened to colleagues (events)
    courses_demo.load_course_demo,
    library_demo.load_library,
    forums_demo.load_forums,
    course_news_demo.load_course_news,
    events_demo.load_events,  # a term's calendar, after the associations it files events under
    contest_history.load_contest_history,  # the previous academic year, for monitoring's comparisons
    course_history.load_course_history,
    forum_history.load_forum_history,
    monitoring_demo.load_monitoring,  # last: the summary tables from everything above
)


def register_rooms(app: Flask) -> None:
    """Register every blueprint and hook; called once by create_app."""
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    for owner_type, policy in ATTEMPT_POLICIES:
        register_attempt_policy(owner_type, policy)
    for name, job in TICK_JOBS:
        tick_job(name)(job)
    for name, feed_provider in FEED_PROVIDERS:
        register_feed_provider(name, feed_provider)
    for source_type, paper_source in PAPER_SOURCES:
        register_paper_source(source_type, paper_source)
    for provider in DASHBOARD_PANELS:
        panel(provider)
    for part in DEMO_PARTS:
        demo_part(part)
    register_search_schema()  # the library's full-text index is created and dropped with its table
    register_forum_search()  # so is the forums' index of posts, with the post table
    register_place_access(WebPlaceAccess())  # who reads a forum and the links, for subscriptions
    register_forum_audience(can_read_forum, shows_names)  # who hears of replies and @mentions
