"""Plainly fictitious names and addresses, drawn from pools made once per seed with Faker (en_GB).

Postcodes use the area letters "ZX", which no real UK postcode area has, so no generated
address can be mistaken for a real one.
"""

from __future__ import annotations

import random

from faker import Faker

STREET_SUFFIXES = ("Road", "Street", "Lane", "Close", "Grove", "Avenue", "Way", "Crescent")


class NamePools:
    def __init__(self, seed: int, size: int = 800):
        fake = Faker("en_GB")
        fake.seed_instance(seed)
        self.female = [fake.first_name_female() for _ in range(size)]
        self.male = [fake.first_name_male() for _ in range(size)]
        self.last = [fake.last_name() for _ in range(size)]
        self.streets = [f"{fake.last_name()} {STREET_SUFFIXES[i % len(STREET_SUFFIXES)]}" for i in range(size)]

    def first_name(self, rng: random.Random, sex: str) -> str:
        return rng.choice(self.female if sex == "F" else self.male)

    def last_name(self, rng: random.Random) -> str:
        return rng.choice(self.last)

    def address(self, rng: random.Random) -> tuple[str, str]:
        street = rng.choice(self.streets)
        number = rng.randint(1, 240)
        district = rng.randint(1, 40)
        postcode = (
            f"ZX{district} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
        )
        return f"{number} {street}, Demo Borough", postcode
