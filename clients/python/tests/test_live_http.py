"""Against the demo's REST routes (`chat-demo-server`, same address as
gRPC): every REST scenario of demo/rest_scenarios.json, its error body
decoded strictly with from_http_error and checked against the table."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

import pytest

import chat_errors
from chat_errors import ErrorCode
from conftest import REPO, ROWS

pytestmark = pytest.mark.needs_rust
SCENARIOS = REPO / "demo" / "rest_scenarios.json"
RUN = "pyhttp"


def request(base: str, method: str, path: str, body: bytes,
            authorization: str | None) -> tuple[int, bytes]:
    headers = {"content-type": "application/json"} if body else {}
    if authorization is not None:
        headers["authorization"] = authorization
    req = urllib.request.Request(base + path, data=body or None, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_every_rest_scenario_decodes_strictly(demo_addr: str) -> None:
    doc: dict[str, Any] = json.loads(SCENARIOS.read_text(encoding="utf-8"))
    base = f"http://{demo_addr}"
    tokens: dict[str, str] = {}
    for user in doc["users"]:
        user_id = f"{user}-{RUN}"
        _, signed_up = request(base, "POST", "/v1/users", json.dumps({"userId": user_id}).encode(), None)
        login = {"userId": user_id, "loginToken": json.loads(signed_up)["loginToken"]}
        _, session = request(base, "POST", "/v1/sessions", json.dumps(login).encode(), None)
        tokens[user] = "Bearer " + json.loads(session)["sessionToken"]
    reached = set()
    for step in doc["steps"]:
        who = step["as"]
        authorization = None if who is None else tokens.get(who, who)
        body = step["body"].replace("{run}", RUN).encode()
        for _ in range(step.get("repeat", 1)):
            status, payload = request(base, step["method"], step["path"].replace("{run}", RUN),
                                      body, authorization)
        expected = step["expect"]
        if expected is None:
            assert status == 200, (step["id"], payload)
            continue
        row = ROWS[expected]
        error = chat_errors.from_http_error(payload, http_status=status, strict=True)
        assert error is not None, (step["id"], payload)
        assert status == row.http_status, step["id"]
        assert error.code is ErrorCode(expected), step["id"]
        assert (error.number, error.reason, error.name) == (row.code, row.reason, row.name)
        assert error.grpc_code is row.grpc_code
        assert error.localized_message is not None
        reached.add(expected)
    assert len(reached) >= 15
