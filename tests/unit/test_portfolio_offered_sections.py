"""The portfolio settings offer only sections that can hold a document (review finding: «Мероприятия»
was a switch that changed nothing until the events issue adds its document kind)."""

from __future__ import annotations

from community.portfolio import sections


def test_only_sections_with_a_kind_are_offered() -> None:
    assert sections.offered_sections() == ["publications", "courses", "diplomas", "jury"]


def test_a_save_keeps_the_choice_of_a_section_not_offered() -> None:
    kept = sections.merged_choice(["courses"], {"events": True, "publications": True})
    assert kept == {"courses", "events"}
    assert sections.merged_choice([], {"events": False}) == set()
    assert sections.merged_choice(["jury", "publications"], {}) == {"jury", "publications", "events"}
