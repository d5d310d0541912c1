"""signoff_restart: recomputing sends the sign-off chain back to its first level

Revision ID: 0036
Revises: 0035

Issue 17: a ``restarted`` step of ``signoff_steps`` (the proposals were recomputed while the
chain was under way) and the notice that tells the levels (``signoff_restarted``). Both are
closed vocabularies stored as text with a CHECK: the checks take the new values.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0036"
down_revision: str | tuple[str, ...] | None = "0035"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

EVENTS_BEFORE = ("stage_opened", "deadline_approaching", "ratings_pending", "interview_recorded",
                 "results_published", "objection_answered", "points_confirmed",
                 "points_refused", "job_finished", "test_message")
EVENTS_AFTER = (*EVENTS_BEFORE, "signoff_restarted")
ACTIONS_BEFORE = ("passed", "returned")
ACTIONS_AFTER = (*ACTIONS_BEFORE, "restarted")


def _in(column: str, values: Sequence[str]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _checks(events: Sequence[str], actions: Sequence[str]) -> None:
    op.drop_constraint(op.f("ck_notifications_event"), "notifications", type_="check")
    op.create_check_constraint(op.f("ck_notifications_event"), "notifications",
                               _in("event", events))
    op.drop_constraint(op.f("ck_signoff_steps_action"), "signoff_steps", type_="check")
    op.create_check_constraint(op.f("ck_signoff_steps_action"), "signoff_steps",
                               _in("action", actions))


def upgrade() -> None:
    _checks(EVENTS_AFTER, ACTIONS_AFTER)


def downgrade() -> None:
    op.execute("DELETE FROM signoff_steps WHERE action = 'restarted'")
    op.execute("DELETE FROM notifications WHERE event = 'signoff_restarted'")
    _checks(EVENTS_BEFORE, ACTIONS_BEFORE)
