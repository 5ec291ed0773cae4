"""File formats: reading articles, writing translations, publishing and CAT exchange."""
