"""The organizer console for intake: edition set-up, form builder, rubric, screening."""
