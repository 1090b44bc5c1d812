"""The interface language: the per-user switch and the catalogue commands (English, Chinese)."""

LOCALES = {"en": "English", "zh": "中文"}
