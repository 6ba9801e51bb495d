"""The application as the quiz benchmark serves it: the real app plus an attempt policy for the
benchmark's own bank owner ("bench": any student may start), so the load needs no course."""

from app import create_app
from courses.quiz.policies import AttemptPolicy, register_attempt_policy

OWNER = "bench"


def bench_policy(user, quiz, now):  # type: ignore[no-untyped-def]
    allowed = str(user.role) == "student"
    return AttemptPolicy(allowed, "" if allowed else "Only students take the benchmark quiz.")


register_attempt_policy(OWNER, bench_policy)
app = create_app()
