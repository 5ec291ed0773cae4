"""Test data both backends' tests use: plain sentences, a glossary with nested and one-word
terms, and sentences with the English each one wants (name, Indonesian, target → count)."""

from __future__ import annotations

from translate import Glossary

SENTENCES = [
    "Menteri Luar Negeri Rusia mengatakan pembicaraan buntu.",
    "Halo.",
    "Tentara Suriah membuat kemajuan baru pada Senin setelah mengambil alih kawasan itu.",
    "Harga gula pasir tercatat Rp16.500 per kilogram.",
    "Presiden memberikan keterangan pers kepada wartawan di Istana Merdeka.",
]

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

CASES = [
    ("one term", "Lavrov tiba di Beograd kemarin.", {"Belgrade": 1, "Lavrov": 1}),
    (
        "five terms",
        "Rusia, Suriah, Damaskus, Beograd dan Amerika Serikat bertemu.",
        {"Russia": 1, "Syria": 1, "Damascus": 1, "Belgrade": 1, "United States": 1},
    ),
    ("after quotes", "“Lavrov” bicara soal “Damaskus” hari ini.", {"Lavrov": 1, "Damascus": 1}),
    ("in brackets", "Perserikatan Bangsa-Bangsa (PBB) dan (AS) hadir.", {"UN": 1, "US": 1}),
    ("repeated", "Lavrov bertemu Lavrov di Beograd dan Beograd.", {"Lavrov": 2, "Belgrade": 2}),
    ("longest wins", "Dewan Keamanan PBB bersidang.", {"UN Security Council": 1}),
]
