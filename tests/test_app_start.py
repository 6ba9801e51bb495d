"""Start-up: outside the test suite the objects create_app built are frozen out of the garbage
collector's walks; the test suite's app is not (tests build many apps)."""

from __future__ import annotations

import gc
from pathlib import Path

from flask import Flask

from app import create_app


def test_a_served_app_freezes_its_start_up_objects(tmp_path: Path) -> None:
    gc.unfreeze()
    try:
        create_app(
            {
                "CONFIG_NAME": "development",
                "SECRET_KEY": "k" * 40,
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'start.db'}",
                "UPLOAD_DIR": str(tmp_path / "uploads"),
                "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"),
            }
        )
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()


def test_the_test_suites_app_is_not_frozen(app: Flask) -> None:
    assert app.testing and gc.get_freeze_count() == 0
