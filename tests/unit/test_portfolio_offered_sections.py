"""The portfolio settings offer only sections that can hold a document (review finding: «Мероприятия»
was a switch that changed nothing until the events issue added its document kinds; now it is offered)."""

from __future__ import annotations

from community.portfolio import sections


def test_only_sections_with_a_kind_are_offered() -> None:
    assert sections.offered_sections() == ["publications", "courses", "diplomas", "jury", "events"]
    assert sections.section_of("event_attendance") == sections.section_of("event_conducting") == "events"


def test_a_save_keeps_the_choice_of_a_section_not_offered() -> None:
    # Every section is offered now, so a save is exactly what was ticked.
    kept = sections.merged_choice(["courses"], {"events": True, "publications": True})
    assert kept == {"courses"}
    assert sections.merged_choice(["events"], {"events": False}) == {"events"}
