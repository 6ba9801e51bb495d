"""Subscriptions to forums, topics and associations (off, each post by e-mail, daily digest), and the
digest job of the tick command."""
