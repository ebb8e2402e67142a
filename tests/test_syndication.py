"""Syndicated copies in real crawls of the demo site: flagged within a run, across runs and hosts."""

from __future__ import annotations

import zlib
from pathlib import Path

from datasketch import MinHash

from cleanwire.extraction import tuning
from cleanwire.extraction.fingerprint import _TOKEN_RE, fingerprint
from demo.server import DemoServer, serve_in_subprocess

from .conftest import DEMO_SITE, ROOT, read_jsonl, run_crawl

TRUTH = read_jsonl(ROOT / "demo" / "truth.jsonl")
COPIES = [t for t in TRUTH if t["duplicate_of"]]
ORIGINAL_PATHS = {t["duplicate_of"].replace("__BASE__", "") for t in COPIES}


def at(server: DemoServer, value: str) -> str:
    return value.replace("__BASE__", server.base_url)


def test_the_demo_site_has_copies_of_other_templates_stories() -> None:
    assert len(COPIES) == 2
    assert {t["template"] for t in COPIES} == {"aggregator"}
    assert all(path.startswith("/herald/") for path in ORIGINAL_PATHS)


def test_copies_in_one_run_point_at_one_another_and_nothing_else_is_flagged(demo_server: DemoServer,
                                                                           tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    result = run_crawl("-a", f"feed={demo_server.base_url}/feed.xml", "-O", str(out), workdir=tmp_path)
    items = read_jsonl(out)
    flagged = {frozenset((i["canonical_url"], i["duplicate_of"])) for i in items if i["duplicate_of"]}
    expected = {frozenset((at(demo_server, t["canonical"]), at(demo_server, t["duplicate_of"]))) for t in COPIES}
    assert flagged == expected  # which of a pair came first follows download order
    assert result.stat("cleanwire/duplicates") == len(COPIES)
    for item in items:
        assert (item["duplicate_similarity"] is None) == (item["duplicate_of"] is None)
        if item["duplicate_similarity"] is not None:
            assert 0.6 <= item["duplicate_similarity"] <= 1


def test_a_copy_on_another_host_in_a_later_run_points_at_the_original(demo_server: DemoServer,
                                                                     tmp_path: Path) -> None:
    state = ["-a", f"state={tmp_path / 'state.sqlite'}", "-a", f"output={tmp_path / 'out'}"]
    originals = ",".join(demo_server.base_url + path for path in sorted(ORIGINAL_PATHS))
    first = run_crawl("-a", f"url={originals}", *state, workdir=tmp_path)
    assert all(item["duplicate_of"] is None for item in first.items)
    with serve_in_subprocess(DEMO_SITE) as other_host:  # another port: another host for the crawl
        copies = ",".join(at(other_host, t["url"]) for t in COPIES)
        second = run_crawl("-a", f"url={copies}", *state, workdir=tmp_path)
        found = {item["canonical_url"]: item["duplicate_of"] for item in second.items}
        assert found == {at(other_host, t["canonical"]): at(demo_server, t["duplicate_of"]) for t in COPIES}


def test_copies_can_be_dropped_and_are_counted_either_way(demo_server: DemoServer, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    originals = ",".join(demo_server.base_url + path for path in sorted(ORIGINAL_PATHS))
    copies = ",".join(at(demo_server, t["url"]) for t in COPIES)
    state = ["-a", f"state={tmp_path / 'state.sqlite'}"]
    run_crawl("-a", f"url={originals}", *state, "-o", str(tmp_path / "first.jsonl"), workdir=tmp_path)
    result = run_crawl("-a", f"url={copies}", *state, "-O", str(out), "-s", "CLEANWIRE_SYNDICATION_DROP=1",
                       workdir=tmp_path)
    assert not out.exists() or read_jsonl(out) == []
    assert result.stat("cleanwire/duplicates") == len(COPIES)


def test_fingerprints_are_datasketchs_minhash_signatures() -> None:
    """Signatures made with numpy alone equal datasketch's MinHash (affine32, seed 1, crc32): the
    fingerprints stored by earlier runs stay comparable."""
    compared = 0
    for page in sorted(DEMO_SITE.rglob("*.html")):
        text = " ".join(_TOKEN_RE.findall(page.read_text(encoding="utf-8")))
        tokens = [token.casefold() for token in _TOKEN_RE.findall(text)]
        size = tuning.SYNDICATION_SHINGLE_WORDS
        shingles = {" ".join(tokens[i:i + size]).encode() for i in range(len(tokens) - size + 1)}
        ours = fingerprint(text)
        if ours is None:
            assert len(shingles) < tuning.SYNDICATION_MIN_SHINGLES
            continue
        reference = MinHash(num_perm=tuning.SYNDICATION_PERMUTATIONS, seed=1, hashfunc=zlib.crc32)
        reference.update_batch(list(shingles))
        assert (ours.signature, ours.shingles) == (reference.hashvalues.astype("<u4").tobytes(), len(shingles))
        compared += 1
    assert compared >= 30
