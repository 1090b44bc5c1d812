"""Route x role access matrix: agents see only their own calls."""

from __future__ import annotations

import pytest

ROLES = ["anonymous", "agent_own", "agent_other", "manager_team", "manager_other", "qa", "admin"]

# expected status per route for each role, in ROLES order
MATRIX = {
    "/": [302, 200, 200, 200, 200, 200, 200],
    "/calls/upload": [302, 403, 403, 403, 403, 200, 200],
    "/admin/users": [302, 403, 403, 403, 403, 403, 200],
    "/admin/teams": [302, 403, 403, 403, 403, 403, 200],
    "/admin/users/{agent_id}": [302, 403, 403, 403, 403, 403, 200],
    "/calls/{call_id}": [302, 200, 404, 200, 404, 200, 200],
    "/calls/{call_id}/status": [302, 200, 404, 200, 404, 200, 200],
    "/calls/{call_id}/audio": [302, 200, 404, 200, 404, 200, 200],
}


@pytest.fixture
def world(make_user, make_call):
    agent = make_user("agent", team="Harbour")
    return {
        "agent_own": agent,
        "agent_other": make_user("agent", team="Summit"),
        "manager_team": make_user("manager", team="Harbour"),
        "manager_other": make_user("manager", team="Summit"),
        "qa": make_user("qa", team=None),
        "admin": make_user("admin", team=None),
        "call": make_call(agent),
    }


@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
@pytest.mark.parametrize("route", list(MATRIX))
def test_access_matrix(client, login, world, route, role_index):
    role = ROLES[role_index]
    if role != "anonymous":
        login(world[role])
    url = route.format(call_id=world["call"].id, agent_id=world["agent_own"].id)
    assert client.get(url).status_code == MATRIX[route][role_index]


def test_agent_list_shows_only_own_calls(client, login, make_user, make_call):
    mine, theirs = make_user("agent"), make_user("agent")
    own_call = make_call(mine, filename="mine.flac")
    other_call = make_call(theirs, filename="theirs.flac")
    login(mine)
    page = client.get("/").get_data(as_text=True)
    assert f'href="/calls/{own_call.id}"' in page
    assert f'href="/calls/{other_call.id}"' not in page


def test_anonymous_is_sent_to_login(client):
    response = client.get("/calls/upload")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
