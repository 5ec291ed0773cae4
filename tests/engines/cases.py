"""Test data both backends' tests use: a glossary with nested and one-word terms."""

from __future__ import annotations

from translate import Glossary

GLOSSARY = Glossary.from_entries(
    [
        ("Amerika Serikat", "United States"),
        ("Beograd", "Belgrade"),
        ("Damaskus", "Damascus"),
        ("Lavrov", "Lavrov"),
        ("AS", "US"),
        ("PBB", "UN"),
        ("Dewan Keamanan PBB", "UN Security Council"),
        ("Suriah", "Syria"),
        ("Rusia", "Russia"),
    ]
)
