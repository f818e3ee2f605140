"""surveykit.reporting: see ARCHITECTURE.md for what lives here."""

__all__: list[str] = []
