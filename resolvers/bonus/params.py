"""The inputs of a bonus run as the use cases see them. Their definition, defaults and checks
live in ``rules.bonus.params`` (pure); this turns its problems into user errors."""

from __future__ import annotations

from resolvers.errors import ErrorCode, Problem, UserFacingError
from rules.bonus.params import BonusRunParams


def check(params: BonusRunParams) -> None:
    """Raises with every problem that can be found without the database (code ``INVALID``)."""
    problems = params.problems()
    if problems:
        raise UserFacingError(*(Problem(ErrorCode.INVALID, p.message, p.field)
                                for p in problems))

