"""The public side of the results: winners, history, methodology, charts, naik kelas, feedback,
Open Graph images, caching and the static export. Every read goes through
:mod:`awards.results.visibility`; nothing here reads score sheets for a public page."""
