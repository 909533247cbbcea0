"""What the seed article states, as the tests at every layer expect it (extraction, store, bot)."""

# Every person the seed article names, with the role it gives them (None: named without a role).
SEED_PEOPLE: dict[str, str | None] = {
    "Khalifa Haftar": "Libyan National Army leader",
    "Fayez al-Serraj": "UN-recognized GNA Prime Minister",
    "Andrei Kortunov": "director general of the Russian International Affairs Council",
    "Sergei Shoigu": "Russian Minister of Defense",
    "Yevgeny Prigozhin": "Wagner Group chairman",
    "Grigory Lukyanov": "expert on Libya at Moscow’s Higher School of Economics",
    "Elena Suponina": "Moscow-based Middle East expert",
    "Mikhail Bogdanov": "Russian Deputy Minister of Foreign Affairs",
    "Ahmed Maiteeq": "GNA’s deputy prime minister",
    "Mohamed Siala": "GNA Minister of Foreign Affairs",
    "Bashar al-Assad": "Syrian President",
    "Lev Dengov": "businessman",
    "Maria Zakharova": "Russian Ministry of Foreign Affairs spokeswoman",
    "Khaled al-Meshri": "president of Libya’s State Council",
    "Aguila Saleh": "speaker of the Haftar-aligned, Tobruk-based parliament",
    "Lavrov": None,
}
