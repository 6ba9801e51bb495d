"""Notifications by kind: who hears of what (replies, mentions, the library's decisions and comments,
moderation), where (in the app, by e-mail, in the daily digest) by each person's settings, the
notifications list and its read marks."""
