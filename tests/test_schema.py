"""The schema versioning policy (README "Schema versions"): each published schema ships in the
package and never changes; today's records are valid under the current one."""

from __future__ import annotations

import hashlib
import re
from importlib import resources
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from cleanwire.extraction import ExtractionOptions, extract_article
from cleanwire.items import SCHEMA_VERSION, article_item, utc_now
from cleanwire.pipelines.validate import load_schema, schema_file

from .conftest import ROOT, read_jsonl

# The SHA-256 of each schema file as published. A published schema is never edited: a change to
# what a line may hold is a new version, in a new file, with its pin added here.
PUBLISHED = {
    1: "05155ba066677b81269ee6026582435dde9e36d221a89a0737b120e39aa4266d",  # git blob 21429ee, 2026-11-25
    2: "b484f0fe712cf38680db166917f2bba58a86c1d2f8657d500a0ac5a381b9ea4f",  # first published with this change set
}
DEMO = ROOT / "demo" / "site"
TRUTH = read_jsonl(ROOT / "demo" / "truth.jsonl")
EVERYTHING = ExtractionOptions(body_formats=frozenset({"markdown", "html"}))


def test_every_published_schema_ships_unchanged() -> None:
    assert set(PUBLISHED) == set(range(1, SCHEMA_VERSION + 1)), "pin the new version's schema once it is published"
    shipped = {path.name for path in resources.files("cleanwire.pipelines").joinpath("schema").iterdir()}
    assert shipped == {f"article-v{version}.schema.json" for version in PUBLISHED}
    for version, digest in PUBLISHED.items():
        assert hashlib.sha256(schema_file(version).read_bytes()).hexdigest() == digest, (
            f"schema version {version} was published: leave it as it is, and write version {SCHEMA_VERSION + 1}")
        schema = load_schema(version)
        Draft202012Validator.check_schema(schema)
        assert schema["properties"]["schema_version"]["const"] == version


def test_the_readme_documents_the_current_version_and_every_schema_file() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"## Output: schema version {SCHEMA_VERSION}\n" in readme
    for version in PUBLISHED:
        assert f"pipelines/schema/article-v{version}.schema.json" in readme
    listed = {int(v) for v in re.findall(r"^\| (\d+) \| \d{4}-\d{2}-\d{2} \|", readme, re.MULTILINE)}
    assert listed == set(PUBLISHED), "each version has its line in the table of schema versions"


def _records() -> list[dict[str, Any]]:
    """Records as a crawl and ``cleanwire extract`` write them today, with every optional field."""
    records = []
    for truth in TRUTH:
        page = (DEMO / truth["path"].lstrip("/")).read_bytes()
        url = truth["url"].replace("__BASE__", "http://news.example")
        extraction = extract_article(page, url, EVERYTHING)
        records.append(article_item(extraction, url, utc_now(), "sitemap", published_hint="2026-12-01", explain=True))
    file_uri = (DEMO / TRUTH[0]["path"].lstrip("/")).as_uri()
    records.append(article_item(extract_article((DEMO / TRUTH[0]["path"].lstrip("/")).read_bytes(), file_uri),
                                file_uri, utc_now(), "file"))
    update = dict(records[0], update=True, previous_sha256="0" * 64,
                  duplicate_of="https://elsewhere.example/story", duplicate_similarity=0.9)
    return [*records, update]


def test_todays_records_are_valid_under_the_current_schema() -> None:
    validator = Draft202012Validator(load_schema())
    records = _records()
    assert {record["source"] for record in records} == {"sitemap", "file"}
    assert any("markdown" in record and "removed" in record and "sources" in record for record in records)
    for record in records:
        assert record["schema_version"] == SCHEMA_VERSION
        errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(record)]
        assert not errors, (record["url"], errors)


@pytest.mark.parametrize("version", sorted(set(PUBLISHED) - {SCHEMA_VERSION}))
def test_an_earlier_schema_refuses_todays_records_by_their_version(version: int) -> None:
    """A consumer that validates with an earlier schema is told the version changed, at the
    ``schema_version`` field, instead of meeting fields it cannot know."""
    record = _records()[0]
    errors = list(Draft202012Validator(load_schema(version)).iter_errors(record))
    assert any(list(error.absolute_path) == ["schema_version"] for error in errors)
