"""The generator's parameter file (grip/reference/seed/parameters.toml), loaded and checked."""

from __future__ import annotations

import bisect
import math
import random
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from grip.core.reference import read_reference, reference_file

PARAMETER_FILE = reference_file("seed/parameters.toml")


class ParameterError(ValueError):
    pass


@dataclass(frozen=True)
class QuantileTable:
    """A distribution given as [probability, value] points; values in between are interpolated."""

    probabilities: tuple[float, ...]
    values: tuple[float, ...]

    @classmethod
    def from_points(cls, name: str, points: list[list[float]]) -> QuantileTable:
        probs = tuple(float(p) for p, _ in points)
        values = tuple(float(v) for _, v in points)
        if probs[0] != 0.0 or probs[-1] != 1.0 or list(probs) != sorted(probs):
            raise ParameterError(f"{name}: probabilities must rise from 0 to 1")
        if list(values) != sorted(values):
            raise ParameterError(f"{name}: values must not fall as probability rises")
        return cls(probs, values)

    def value_at(self, u: float) -> float:
        i = bisect.bisect_right(self.probabilities, u)
        if i >= len(self.probabilities):
            return self.values[-1]
        p0, p1 = self.probabilities[i - 1], self.probabilities[i]
        v0, v1 = self.values[i - 1], self.values[i]
        return v0 + (v1 - v0) * (u - p0) / (p1 - p0) if p1 > p0 else v1

    def draw(self, rng: random.Random) -> int:
        """A whole number of days, rounded up so that P(draw <= v) is the table's probability at v."""
        return math.ceil(self.value_at(rng.random()) - 1e-9)


@dataclass(frozen=True)
class Shares:
    """A categorical distribution: codes with shares that add up to 1."""

    codes: tuple[str, ...]
    cumulative: tuple[float, ...]

    @classmethod
    def from_mapping(cls, name: str, mapping: dict[str, float], *, renormalise: bool = False) -> Shares:
        """`renormalise` is for a subset of a list of shares, scaled back up to 1."""
        total = sum(mapping.values())
        if not renormalise and abs(total - 1.0) > 0.011:
            raise ParameterError(f"{name}: shares add up to {total:.3f}, not 1")
        running, cumulative = 0.0, []
        for share in mapping.values():
            running += share / total
            cumulative.append(running)
        return cls(tuple(mapping), tuple(cumulative))

    def draw(self, rng: random.Random) -> str:
        i = bisect.bisect_left(self.cumulative, rng.random())
        return self.codes[min(i, len(self.codes) - 1)]

    def share(self, code: str) -> float:
        i = self.codes.index(code)
        return self.cumulative[i] - (self.cumulative[i - 1] if i else 0.0)


class Parameters:
    """Typed access to the parameter file: `p.rate("referrals", "referral_nfa")`, `p.durations[...]`."""

    def __init__(self, raw: dict[str, Any]):
        self.raw = raw
        self.durations = {name: QuantileTable.from_points(name, points) for name, points in raw["durations"].items()}

    def section(self, name: str) -> dict[str, Any]:
        return self.raw[name]

    def rate(self, section: str, key: str) -> float:
        value = float(self.raw[section][key])
        if not 0.0 <= value <= 1.0:
            raise ParameterError(f"{section}.{key} must be a proportion between 0 and 1")
        return value

    def shares(self, section: str, key: str) -> Shares:
        return Shares.from_mapping(f"{section}.{key}", self.raw[section][key])

    def profile(self, name: str) -> dict[str, Any]:
        try:
            return self.raw["profiles"][name]
        except KeyError:
            known = ", ".join(self.raw["profiles"])
            raise ParameterError(f"No profile {name!r}; the profiles are: {known}") from None


@cache
def load_parameters(path: Path = PARAMETER_FILE) -> Parameters:
    return Parameters(read_reference(path, error=ParameterError))
