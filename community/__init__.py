"""The network's own life: the methodical library, methodical associations, and (as they land) forums,
subscriptions and the events calendar. `courses` and `contest_engine` may use it; it uses neither."""
