"""The API fuzzed from its own OpenAPI document with schemathesis, in-process over WSGI.

Bounded and seeded so that it runs in every `make test` (SQLite and PostgreSQL): a fixed number of
examples per operation and mode, Hypothesis derandomised, and an overall time budget. The gate:
no answer is a server error, and every status an operation answers is documented for it. The
figures go to the terminal (even under -q) and to test-artifacts/fuzz-<database>.json.
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from app.account_services import issue_token
from app.extensions import db
from tests.factories import courses as course_factory
from tests.factories.accounts import admin, student, teacher
from tests.factories.jury import jury_stage

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
BUDGET_SECONDS = 120  # the whole run, generation included; what is left unrun is reported
# (mode, examples per operation, whether path ids point at the seeded rows)
ROUNDS = (
    (GenerationMode.POSITIVE, 15, True),
    (GenerationMode.NEGATIVE, 10, True),
    (GenerationMode.POSITIVE, 4, False),
)
SKIPPED = {("DELETE", "/api/v1/auth/token")}  # would revoke the fuzzer's own token


@dataclass
class Figures:
    operations: int = 0
    requests: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    server_errors: list[str] = field(default_factory=list)
    undocumented: list[str] = field(default_factory=list)
    unrun: list[str] = field(default_factory=list)
    ungenerated: list[str] = field(default_factory=list)
    wrong_methods: int = 0
    no_allow: list[str] = field(default_factory=list)

    def as_dict(self, seconds: float) -> dict[str, Any]:
        return {
            "operations": self.operations,
            "requests": self.requests,
            "seconds": round(seconds, 1),
            "server_errors": len(self.server_errors),
            "undocumented_statuses": len(self.undocumented),
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "undocumented_method_requests": self.wrong_methods,
            "without_405_and_allow": len(self.no_allow),
            "operations_not_run_for_time": self.unrun,
            "no_cases_generated": self.ungenerated,
            "examples": {
                "server_errors": self.server_errors[:20],
                "undocumented": self.undocumented[:20],
                "without_405_and_allow": self.no_allow[:20],
            },
        }


def seed() -> tuple[str, dict[str, int]]:
    """An admin's token and realistic rows to aim path ids at: a course with a module and an
    assignment, a contest with a jury stage, entries, jurors and a division."""
    caller = admin()
    built = jury_stage(entries=2, jurors=2)
    course = course_factory.course(author=teacher())
    module = course_factory.module(course)
    item = course_factory.assignment(module, due_at=datetime.now(UTC) + timedelta(days=7))
    enrolled = course_factory.enrolled(course, student())
    db.session.commit()
    ids = {
        "contest_id": built.contest.id,
        "stage_id": built.stage.id,
        "entry_id": built.entries[0].id,
        "course_id": course.id,
        "module_id": module.id,
        "assignment_id": item.id,
        "user_id": enrolled.id,
    }
    return issue_token(caller), ids


def test_api_fuzz_has_no_server_errors_and_no_undocumented_statuses(
    app: Flask, capsys: pytest.CaptureFixture[str]
) -> None:
    token, ids = seed()
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    figures = Figures()
    started = time.monotonic()
    operations = [result.ok() for result in schema.get_all_operations()]
    for mode, examples, seeded in ROUNDS:
        for operation in operations:
            key = (operation.method.upper(), operation.path)
            if key in SKIPPED:
                continue
            if time.monotonic() - started > BUDGET_SECONDS:
                figures.unrun.append(f"{mode.value} {key[0]} {key[1]}")
                continue
            documented = set(document["paths"][operation.path][operation.method.lower()]["responses"])
            fixed = {name: value for name, value in ids.items() if seeded and f"{{{name}}}" in operation.path}
            _fuzz(operation, mode, examples, fixed, documented, token, figures)
    figures.operations = len(operations) - len(SKIPPED)
    _try_undocumented_methods(app, document, ids, token, figures)
    report = figures.as_dict(time.monotonic() - started)
    database = db.engine.dialect.name
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"fuzz-{database}.json").write_text(json.dumps(report, ensure_ascii=False, indent=2))
    with capsys.disabled():
        print(
            f"\nAPI fuzz ({database}): {report['operations']} operations, {report['requests']} requests, "
            f"{report['server_errors']} server errors (5xx), {report['undocumented_statuses']} undocumented "
            f"statuses, {report['undocumented_method_requests']} requests with undocumented methods "
            f"({report['without_405_and_allow']} without 405 and Allow), {report['seconds']} s; "
            f"statuses {report['statuses']}"
        )
    assert not figures.server_errors, "\n".join(figures.server_errors[:20])
    assert not figures.undocumented, "\n".join(figures.undocumented[:20])
    assert not figures.no_allow, "\n".join(figures.no_allow[:20])


def _fuzz(
    operation: Any,
    mode: GenerationMode,
    examples: int,
    fixed: dict[str, int],
    documented: set[str],
    token: str,
    figures: Figures,
) -> None:
    strategy = operation.as_strategy(generation_mode=mode, path_parameters=fixed or None)

    @settings(
        max_examples=examples,
        derandomize=True,
        deadline=None,
        database=None,
        print_blob=False,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate],
    )
    @given(case=strategy)
    def run(case: Any) -> None:
        label = f"{case.method} {case.formatted_path} {mode.value}"
        figures.requests += 1
        try:
            response = case.call(headers={"Authorization": f"Bearer {token}"})
        except Exception as error:  # noqa: BLE001 - a crash is what we are counting
            db.session.rollback()
            figures.statuses[500] += 1
            figures.server_errors.append(f"{label}: {type(error).__name__}: {str(error)[:300]}")
            return
        status = response.status_code
        figures.statuses[status] += 1
        if status >= 500:
            figures.server_errors.append(f"{label}: {status} {response.text[:300]}")
        elif str(status) not in documented:
            figures.undocumented.append(
                f"{label}: {status} not in {sorted(documented)}: {response.text[:200]}"
            )

    try:
        run()
    except Unsatisfiable:  # e.g. no negative case exists for an operation whose only input is fixed
        figures.ungenerated.append(f"{mode.value} {operation.method.upper()} {operation.path}")


def _try_undocumented_methods(
    app: Flask, document: dict[str, Any], ids: dict[str, int], token: str, figures: Figures
) -> None:
    """Every path answers a method it does not document with 405 and an `Allow` header."""
    client = app.test_client()
    for template, operations in document["paths"].items():
        path = template
        for name in re.findall(r"{(\w+)}", template):
            path = path.replace(f"{{{name}}}", str(ids.get(name, 1)))
        for method in sorted({"get", "post", "put", "patch", "delete"} - set(operations)):
            response = client.open(path, method=method.upper(), headers={"Authorization": f"Bearer {token}"})
            figures.wrong_methods += 1
            if response.status_code != 405 or not response.headers.get("Allow"):
                figures.no_allow.append(
                    f"{method.upper()} {path}: {response.status_code} Allow={response.headers.get('Allow')!r}"
                )
