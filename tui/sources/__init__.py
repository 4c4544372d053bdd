"""Data sources: one module per API (DESIGN §3), the replay source and the live source."""

SOURCE_IDS: tuple[str, ...] = (
    "yahoo",
    "cboe",
    "stooq",
    "coingecko",
    "binance",
    "alternative_me",
    "cnn",
    "fred",
    "cme",
    "kalshi",
    "polymarket",
    "news",
)
"""Every live source (DESIGN §3): config keys, key names and URL overrides use these ids."""
