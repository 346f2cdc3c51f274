"""When to offer a quiz by itself, after code is accepted: a setting, a cooldown and a
daily cap, so that the offer helps and never nags."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

DAY_S = 24 * 3600


@dataclass
class QuizPolicy:
    mode: str = "unfamiliar"  # "always" | "unfamiliar" | "never"
    cooldown_s: float = 600.0
    daily_cap: int = 5
    offers: list[float] = field(default_factory=list)  # when offers were made

    def should_offer(self, holds_unfamiliar: bool, now: float | None = None) -> bool:
        now = time.time() if now is None else now
        if self.mode == "never" or (self.mode == "unfamiliar" and not holds_unfamiliar):
            return False
        recent = [t for t in self.offers if now - t < DAY_S]
        if len(recent) >= self.daily_cap:
            return False
        return not recent or now - max(recent) >= self.cooldown_s

    def offered(self, now: float | None = None) -> None:
        self.offers.append(time.time() if now is None else now)
        self.offers = self.offers[-max(self.daily_cap, 1) * 2 :]
