from mindgap.gate.policy import DAY_S, QuizPolicy


def test_modes() -> None:
    assert QuizPolicy("always").should_offer(holds_unfamiliar=False, now=0)
    assert not QuizPolicy("unfamiliar").should_offer(holds_unfamiliar=False, now=0)
    assert QuizPolicy("unfamiliar").should_offer(holds_unfamiliar=True, now=0)
    assert not QuizPolicy("never").should_offer(holds_unfamiliar=True, now=0)


def test_cooldown_and_daily_cap() -> None:
    policy = QuizPolicy("always", cooldown_s=600, daily_cap=2)
    policy.offered(now=1000)
    assert not policy.should_offer(True, now=1300)  # within the cooldown
    assert policy.should_offer(True, now=1600)
    policy.offered(now=1600)
    assert not policy.should_offer(True, now=5000)  # two offers today already
    assert policy.should_offer(True, now=1000 + DAY_S + 1)  # a new day
