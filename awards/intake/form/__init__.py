"""The entry form of a category: field types, the form definition, the rubric, the form builder."""
