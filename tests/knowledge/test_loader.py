"""The loader names file, line and field for every problem; bad files never stop the rest."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.knowledge import KnowledgeError, load_knowledge
from tests.knowledge.helpers import front, new_folder, write

TODAY = dt.date(2026, 11, 25)
BODY = "# Title\n\nIntro text.\n\n## A section\n\nSection text.\n"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = new_folder(tmp_path / "knowledge")
    write(root, "en/good.md", front("good-en", "en", "good-id") + BODY)
    write(root, "id/good.md", front("good-id", "id", "good-en") + BODY)
    return root


def messages(root: Path) -> list[str]:
    return [str(i) for i in load_knowledge(root, TODAY).issues]


def test_valid_folder_has_no_issues(folder: Path) -> None:
    kb = load_knowledge(folder, TODAY)
    assert kb.issues == []
    assert set(kb.documents) == {"good-en", "good-id"}


def test_bad_yaml_names_file_and_line(folder: Path) -> None:
    path = write(folder, "en/bad.md", "---\nid: bad-en\ntitle: [unclosed\nlang: en\n---\nx\n")
    kb = load_knowledge(folder, TODAY)
    [issue] = kb.errors
    assert issue.path == path and issue.field == "front matter"
    assert issue.line is not None and issue.line >= 3
    assert "good-en" in kb.documents, "one bad file must not stop the others"


def test_missing_front_matter(folder: Path) -> None:
    write(folder, "en/plain.md", "# Just markdown\n")
    assert any(
        "plain.md:1: front matter: file must start with '---'" in m for m in messages(folder)
    )


def test_unknown_topic_points_at_its_line(folder: Path) -> None:
    text = front("t-en").replace("topics: [regulation]", "topics:\n  - regulation\n  - weather")
    write(folder, "en/topic.md", text + BODY)
    assert any("topic.md:7: topics: unknown topic 'weather'" in m for m in messages(folder))


def test_missing_source_and_bad_url(folder: Path) -> None:
    no_sources = front("ns-en").replace(
        "sources:\n  - title: A source\n    url: https://example.org/source\n"
        "    date: 2023-10-04\n",
        "sources: []\n",
    )
    write(folder, "en/ns.md", no_sources + BODY)
    write(
        folder, "en/url.md", front("url-en").replace("https://example.org/source", "ftp:x") + BODY
    )
    found = messages(folder)
    assert any("ns.md:6: sources:" in m and "at least 1" in m for m in found)
    assert any("url.md:8: sources.0.url: Value error, must be an http(s) URL" in m for m in found)


def test_unknown_field_and_wrong_lang(folder: Path) -> None:
    write(folder, "en/x.md", front("x-en", "fr", colour="blue") + BODY)
    found = messages(folder)
    assert any("x.md:4: lang:" in m for m in found)
    assert any("x.md" in m and "colour: Extra inputs are not permitted" in m for m in found)


def test_duplicate_id(folder: Path) -> None:
    write(folder, "en/copy.md", front("good-en", "en") + BODY)
    [dup] = [m for m in messages(folder) if "duplicate id 'good-en'" in m]
    assert ":2: id: " in dup and "copy.md" in dup and "good.md" in dup


def test_broken_translation_link_is_an_error(folder: Path) -> None:
    write(folder, "en/lonely.md", front("lonely-en", "en", "missing-id") + BODY)
    kb = load_knowledge(folder, TODAY)
    assert any("translation: links to unknown document 'missing-id'" in str(i) for i in kb.errors)
    assert "lonely-en" in kb.documents, "a broken link does not stop indexing"


def test_translation_in_same_language_is_an_error(folder: Path) -> None:
    write(folder, "en/a.md", front("a-en", "en", "b-en") + BODY)
    write(folder, "en/b.md", front("b-en", "en", "a-en") + BODY)
    assert any("is in the same language" in m for m in messages(folder))


def test_warnings_for_past_review_missing_translation_and_draft(folder: Path) -> None:
    old = front("old-en").replace("review_by: 2027-05-25", "review_by: 2024-01-01")
    write(folder, "en/old.md", old + BODY)
    write(folder, "en/draft.md", front("draft-en", draft="true") + BODY)
    kb = load_knowledge(folder, TODAY)
    assert kb.errors == []
    warned = {(i.path.name, i.field) for i in kb.warnings}
    assert ("old.md", "review_by") in warned
    assert ("old.md", "translation") in warned
    assert ("draft.md", "draft") in warned
    assert "draft-en" not in {c.doc_id for c in kb.chunks()}, "drafts are not indexed"


def test_empty_section_is_an_error(folder: Path) -> None:
    write(folder, "en/e.md", front("e-en") + "# T\n\nIntro.\n\n## Empty\n\n## Full\n\nText.\n")
    assert any("e.md" in m and "section 'Empty' is empty" in m for m in messages(folder))


def test_parent_heading_without_text_is_fine(folder: Path) -> None:
    write(folder, "en/p.md", front("p-en") + "# T\n\n## Parent\n\n### Child\n\nText.\n")
    assert not load_knowledge(folder, TODAY).errors


def test_missing_folder_and_vocabulary(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeError, match="not found"):
        load_knowledge(tmp_path / "nope")
    (tmp_path / "k").mkdir()
    with pytest.raises(KnowledgeError, match="topic vocabulary"):
        load_knowledge(tmp_path / "k")


def test_real_knowledge_folder_passes_check() -> None:
    from bot.settings import PROJECT_ROOT

    kb = load_knowledge(PROJECT_ROOT / "knowledge")
    assert kb.errors == [], "\n".join(map(str, kb.errors))
    assert len(kb.documents) >= 10
