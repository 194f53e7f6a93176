"""Pages, filters, transcript, verdicts, replies, dashboard, gaps, and exports."""

from __future__ import annotations

import csv
import io
import json

from fastapi.testclient import TestClient

from bot.store.records import MessageFilter, MessageRow
from bot.store.store import LogStore
from tests.ops.conftest import Outbox, csrf_of


def questions(client: TestClient, query: str = "") -> set[str]:
    response = client.get(f"/api/messages?{query}")
    assert response.status_code == 200, response.text
    return {row["question"] for row in response.json()}


def test_filters(client: TestClient, ids: dict[str, str]) -> None:
    assert len(questions(client)) == 4
    assert questions(client, "lang=en") == {"how to open a shopee store"}
    assert questions(client, "refused=1") == {"cuaca besok jakarta", "cuaca jakarta besok pagi"}
    assert len(questions(client, "low_confidence=on")) == 3
    assert questions(client, "thumbs_down=1") == {"pajak olshop berapa persen?"}
    assert questions(client, "handoff_open=1") == {"how to open a shopee store"}
    assert questions(client, "q=PAJAK&lang=") == {"pajak olshop berapa persen?"}
    assert questions(client, "date_from=2000-01-01&date_to=2000-01-02") == set()
    assert client.get("/api/messages?date_from=yesterday").status_code == 400


def test_list_page_shows_filtered_rows(client: TestClient, ids: dict[str, str]) -> None:
    page = client.get("/?refused=1")
    assert page.status_code == 200
    assert "cuaca besok jakarta" in page.text and "pajak olshop" not in page.text
    assert 'href="/export/messages.csv?refused=1"' in page.text
    assert client.get("/?lang=xx").text.count("No conversations match") == 1


def test_transcript_shows_sources_and_takes_a_verdict(
    client: TestClient, store: LogStore, ids: dict[str, str]
) -> None:
    conv = store.messages(MessageFilter(q="pajak"))[0].conversation_id
    page = client.get(f"/conversations/{conv}")
    assert page.status_code == 200
    assert '<a href="https://x.org" rel="noopener noreferrer">T</a>' in page.text
    assert "pajak olshop berapa persen?" in page.text
    done = client.post(
        f"/messages/{ids['tax']}/verdict",
        data={"value": "fine", "csrf": csrf_of(client), "next": "https://evil.example/"},
    )
    assert done.status_code == 303 and done.headers["location"] == "/"
    assert client.get("/conversations/nope").status_code == 404


def test_reply_goes_to_the_seller_of_an_open_handoff(
    client: TestClient, store: LogStore, outbox: Outbox, ids: dict[str, str]
) -> None:
    waiting = store.messages(MessageFilter(handoff_open=True))[0].conversation_id
    token = csrf_of(client)
    done = client.post(
        f"/conversations/{waiting}/reply", data={"text": "Halo, saya Rina", "csrf": token}
    )
    assert done.status_code == 303
    assert outbox.sent == [(12, "Halo, saya Rina")]
    assert "<b>operator</b>: Halo, saya Rina" in client.get(f"/conversations/{waiting}").text
    other = store.messages(MessageFilter(q="pajak"))[0].conversation_id
    refused = client.post(f"/conversations/{other}/reply", data={"text": "x", "csrf": token})
    assert refused.status_code == 409


def test_dashboard(client: TestClient, ids: dict[str, str]) -> None:
    figures = client.get("/api/dashboard").json()
    assert figures["total"] == 4 and figures["refusal_rate"] == 0.5
    assert figures["thumbs_down"] == 1 and figures["open_handoffs"] == 1
    assert figures["top_topics"] == [["tax", 4]]
    page = client.get("/dashboard")
    assert "Refusal rate<b>50%</b>" in page.text and "<progress" in page.text


def test_gaps_page_and_exports(client: TestClient, ids: dict[str, str]) -> None:
    groups = client.get("/api/gaps").json()
    assert [g["count"] for g in groups] == [2, 1]
    assert "2×</b> [id] cuaca besok jakarta" in client.get("/gaps").text
    table = list(csv.DictReader(io.StringIO(client.get("/export/gaps.csv").text)))
    assert table[0]["questions"] == "cuaca besok jakarta | cuaca jakarta besok pagi"
    lines = client.get("/export/gaps.jsonl").text.splitlines()
    assert json.loads(lines[1])["label"] == "how to open a shopee store"


def test_message_exports_follow_the_filter(client: TestClient, ids: dict[str, str]) -> None:
    csv_response = client.get("/export/messages.csv?refused=1")
    assert csv_response.headers["content-type"].startswith("text/csv")
    assert 'filename="messages.csv"' in csv_response.headers["content-disposition"]
    table = list(csv.DictReader(io.StringIO(csv_response.text)))
    assert {r["question"] for r in table} == {"cuaca besok jakarta", "cuaca jakarta besok pagi"}
    assert {r["refused"] for r in table} == {"True"}
    assert table[0]["sources"] == "https://x.org" and table[0]["topics"] == "tax"
    jsonl = client.get("/export/messages.jsonl?lang=en").text.splitlines()
    [row] = [MessageRow.model_validate_json(line) for line in jsonl]
    assert row.question == "how to open a shopee store" and row.confidence == 0.3


def test_pages_render_for_an_empty_store(client: TestClient) -> None:
    for path in ("/", "/dashboard", "/gaps", "/export/messages.csv", "/export/gaps.jsonl"):
        assert client.get(path).status_code == 200, path
