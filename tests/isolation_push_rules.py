"""Tenant-isolation cases of the rules on pushed data and their proposals (issue 17, part 6)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.conftest import Api
from tests.isolation_checks import Check, none_of_b, refused

PUSH_RULE_TABLES = ["push_rules", "point_proposals"]
PUSH_RULE_SNAPSHOT = ("pushRules { id name active points } "
                      "proposedPointRecords(first: 50) { nodes { id status recordId } }")

RULE_INPUT = "{name:\"x\", kind:error_notice, indicatorId:$n, points:\"1\"}"


def push_rule_ids(api: Api, code: str, plan: dict[str, str], person: str) -> dict[str, str]:
    """A rule of tenant B and the proposal its pushed error notice made."""
    made = api.as_(code, "admin", "mutation($n:ID!){ createPushRule(input:" + RULE_INPUT + ")"
                   " { rule { id } userErrors { code } } }", {"n": plan["deduction"]})
    rule = made["data"]["createPushRule"]["rule"]["id"]
    token = api.as_(code, "admin", "mutation{ createApiToken(name:\"OA错情\",roles:[office]) "
                    "{ token } }")["data"]["createApiToken"]["token"]
    pushed = api.call("mutation($p:ID!){ pushErrorNotice(externalId:\"iso-1\", personId:$p, "
                      "occurredOn:\"2026-05-06\", description:\"错情\") { result } }",
                      {"p": person}, token)
    [proposal] = pushed["data"]["pushErrorNotice"]["result"]["proposalIds"]
    return {"push_rule": rule, "proposal": proposal}


PUSH_RULE_CASES: dict[str, tuple[str, Callable[[Any], dict[str, Any]], Check]] = {
    "pushRules": ("{ pushRules { id indicatorId } }", lambda t: {}, none_of_b("pushRules")),
    "proposedPointRecords": ("{ proposedPointRecords { nodes { id personId } } }",
                             lambda t: {}, none_of_b("proposedPointRecords.nodes")),
    "createPushRule": ("mutation($n:ID!){ createPushRule(input:" + RULE_INPUT + ") "
                       "{ rule { id } userErrors { code } } }", lambda t: {"n": t.ids["node"]},
                       refused("createPushRule", result="rule")),
    "updatePushRule": ("mutation($id:ID!,$n:ID!){ updatePushRule(id:$id, input:" + RULE_INPUT
                       + ") { rule { id } userErrors { code } } }",
                       lambda t: {"id": t.ids["push_rule"], "n": t.ids["node"]},
                       refused("updatePushRule", result="rule")),
    "disablePushRule": ("mutation($id:ID!){ disablePushRule(id:$id) { rule { id } "
                        "userErrors { code } } }", lambda t: {"id": t.ids["push_rule"]},
                        refused("disablePushRule", result="rule")),
    "confirmProposal": ("mutation($id:ID!){ confirmProposal(id:$id) { proposal { id } "
                        "userErrors { code } } }", lambda t: {"id": t.ids["proposal"]},
                        refused("confirmProposal", result="proposal")),
    "refuseProposal": ("mutation($id:ID!){ refuseProposal(id:$id, reason:\"不属实\") "
                       "{ proposal { id } userErrors { code } } }",
                       lambda t: {"id": t.ids["proposal"]},
                       refused("refuseProposal", result="proposal")),
    "pushErrorNotice": ("mutation($p:ID!){ pushErrorNotice(externalId:\"iso-2\", personId:$p, "
                        "occurredOn:\"2026-05-06\", description:\"x\") { userErrors { code } } }",
                        lambda t: {"p": t.ids["person"]},
                        refused("pushErrorNotice", "FORBIDDEN", "NOT_FOUND")),
}
