"""read_metadata on small pages: which statement wins for title, authors and date."""

from __future__ import annotations

import json

from lxml.html import fromstring

from cleanwire.extraction.metadata import Image, Metadata, read_metadata


def meta(head: str, body: str = "", url: str = "https://news.example.test/story") -> Metadata:
    return read_metadata(fromstring(f"<html><head>{head}</head><body>{body}</body></html>"), url)


def ld(data: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def test_the_printed_headline_beats_the_seo_title() -> None:
    found = meta('<meta property="og:title" content="Tram Fares Rise | City Ledger"><title>Tram fares</title>',
                 "<h1>Ledger</h1><h1>Tram fares rise for the first time in a decade</h1>")
    assert found.title == "Tram fares rise for the first time in a decade"


def test_a_heading_agreeing_with_the_stated_title_wins_over_an_earlier_one() -> None:
    found = meta('<meta property="og:title" content="Tram fares rise - City Ledger">',
                 "<h1>City Ledger</h1><h1>Tram fares rise</h1>")
    assert found.title == "Tram fares rise"


def test_without_a_heading_the_stated_title_loses_its_site_name_and_entities() -> None:
    found = meta('<meta property="og:site_name" content="City Ledger">'
                 '<meta property="og:title" content="Fares &amp;#8216;up&amp;#8217; again &amp;amp; soon | City Ledger">')
    assert found.title == "Fares ‘up’ again & soon"


def test_site_name_from_the_host_when_none_is_stated() -> None:
    found = meta("<title>Night buses return - Example News</title>", url="https://www.examplenews.test/a")
    assert found.title == "Night buses return"


def test_graph_author_reference_is_resolved_and_organisations_come_last() -> None:
    graph = {"@graph": [
        {"@type": "WebPage", "@id": "#page"},
        {"@type": "NewsArticle", "headline": "H", "author": [{"@id": "#p1"}, {"@type": "Organization", "name": "Desk"}],
         "datePublished": "2024-05-02T09:00:00+02:00", "dateModified": "2024-06-01T10:00:00+02:00"},
        {"@type": "Person", "@id": "#p1", "name": "By Ana Ruiz"},
    ]}
    found = meta(ld(graph))
    assert found.authors == ["Ana Ruiz"]
    assert found.published == "2024-05-02T09:00:00+02:00"


def test_organisation_author_only_when_the_page_names_no_person() -> None:
    article = {"@type": "Article", "author": {"@type": "Organization", "name": "City Ledger"}}
    assert meta(ld(article)).authors == ["City Ledger"]
    assert meta(ld(article), '<p class="byline">By Tom Hale</p>').authors == ["Tom Hale"]


def test_byline_is_read_without_its_date() -> None:
    found = meta("", '<div class="post-author">By Mia Park <time datetime="2024-01-02">2 Jan 2024</time></div>')
    assert found.authors == ["Mia Park"]


def test_post_nominals_and_job_titles_stay_on_the_name_they_follow() -> None:
    article = {"@type": "Article", "author": [{"@type": "Person", "name": "Jana Kovac, MS, RD"},
                                              {"@type": "Person", "name": "Tom Hale, Ph.D."}]}
    assert meta(ld(article)).authors == ["Jana Kovac, MS, RD", "Tom Hale, Ph.D."]
    head = '<meta name="author" content="By Nora Field, Master Gardener &amp; Garden Educator">'
    assert meta(head).authors == ["Nora Field, Master Gardener & Garden Educator"]
    assert meta('<meta name="author" content="Ana Ruiz, Tom Hale and Mia Park">').authors == [
        "Ana Ruiz", "Tom Hale", "Mia Park"]
    assert meta('<meta name="author" content="Ana Ruiz, AP">').authors == ["Ana Ruiz", "AP"]
    assert meta('<meta name="author" content="ANA RUIZ, TOM HALE">').authors == ["ANA RUIZ", "TOM HALE"]


def test_a_link_to_the_authors_profile_names_the_author_when_nothing_else_does() -> None:
    body = ('<nav class="menu"><a href="/authors/">Our authors</a><a href="/author/ed-stone/">Ed Stone</a></nav>'
            '<h1>Ferry timetable changes</h1><p><span>Dec 4, 2025</span> <a href="/authors/a._b._lane/">A. B. Lane</a></p>'
            '<p>The ferry runs twice a day.</p><a href="/authors/a._b._lane/">More from A. B. Lane</a>')
    assert meta("", body).authors == ["A. B. Lane"]
    forum = ('<body class="has-sidebar"><p>Thread starter <a href="/members/tissuebox.529/">TissueBox</a></p>'
             '<div class="comment"><a href="/members/other.7/">other</a></div></body>')
    assert read_metadata(fromstring(f"<html>{forum}</html>"), "https://forum.example.test/t/1").authors == ["TissueBox"]


def test_a_byline_written_out_in_the_text_names_the_author_when_nothing_marks_one() -> None:
    assert meta("", "<h1>Ferry timetable</h1><p>By Hanna Hollis • March 3, 2025</p>").authors == ["Hanna Hollis"]
    assert meta("", "<h1>Ferry timetable</h1><div><span>Written by</span><p>Eli Tamar</p></div>").authors == [
        "Eli Tamar"]
    not_bylines = ('<p>By clicking Subscribe you agree to our terms.</p><h3>By car</h3>'
                   '<div class="related-posts"><p>By Ana Ruiz</p></div>')
    assert meta("", not_bylines).authors == []


def test_labels_before_a_name_and_dates_after_it_are_no_part_of_it() -> None:
    names = ["Author: Alice Bianco", "Recipe by PJ Harlow", "Leo Kim December 18", "Written By", "October",
             "Theresa May", "Sponsored by ShopCo"]
    article = {"@type": "Article", "author": [{"@type": "Person", "name": n} for n in names]}
    assert meta(ld(article)).authors == ["Alice Bianco", "PJ Harlow", "Leo Kim", "Theresa May",
                                         "Sponsored by ShopCo"]
    byline = '<div class="author-name">Cazzy Magennis <span>Last Updated August 1, 2025</span></div>'
    assert meta("", byline).authors == ["Cazzy Magennis"]


def test_a_job_title_printed_beside_the_byline_name_is_not_read_as_part_of_it() -> None:
    marked = ('<div class="author-info"><span class="author__name">Mateusz Haberny</span>'
              '<span class="author__position">Founder at Oakywood</span></div>')
    assert meta("", marked).authors == ["Mateusz Haberny"]
    worded = '<div class="author-name-wrap"><div>Stephen Jesudunsin</div><div>AI Writer, Embarque</div></div>'
    assert meta("", worded).authors == ["Stephen Jesudunsin"]


def test_a_byline_person_beats_the_site_itself_stated_as_the_author() -> None:
    head = '<meta property="og:site_name" content="CITY DAILY"><meta name="author" content="CITY DAILY">'
    assert meta(head, '<div class="byline">Brian Tully Monday, Dec 8</div>').authors == ["Brian Tully"]
    assert meta(head, '<div class="byline">CITY DAILY Sponsored</div>').authors == ["CITY DAILY"]
    assert meta(head).authors == ["CITY DAILY"]


def test_a_byline_is_read_whatever_the_body_classes_say_about_the_template() -> None:
    page = ('<html><body class="single has-sidebar comments-open"><div class="author-details">'
            '<span class="author-name">Dana Hebb</span><span class="published-date">July 3, 2025</span>'
            '</div><div class="comments"><span class="author-name">Sam</span></div></body></html>')
    assert read_metadata(fromstring(page), "https://blog.example.test/post").authors == ["Dana Hebb"]


def test_a_forum_threads_opening_post_gives_its_author_where_no_article_is_typed() -> None:
    posting = {"@type": "DiscussionForumPosting", "headline": "Which lens for birds?", "datePublished": "2025-10-02",
               "author": {"@type": "Person", "name": "felixen"}}
    body = '<p>Latest reply by <a href="/members/birdfan.12/" itemprop="author">birdfan</a></p>'
    found = meta(ld([{"@type": "WebPage"}, posting]), body)
    assert (found.authors, found.published) == (["felixen"], "2025-10-02")


def test_utility_classes_that_only_place_a_box_do_not_mark_it_a_sidebar() -> None:
    body = ('<article><div class="mb-6 md:[grid-area:sidebar]"><p>Written by</p><p>Eli Tamar</p></div>'
            '<div class="sidebar"><p>By Ana Ruiz</p></div></article>')
    assert meta("", body).authors == ["Eli Tamar"]


def test_author_urls_are_not_names() -> None:
    found = meta(ld({"@type": "BlogPosting", "author": ["https://example.test/staff/ana", "Ana Ruiz"]}))
    assert found.authors == ["Ana Ruiz"]


def test_web_page_date_when_no_article_is_typed() -> None:
    found = meta(ld([{"@type": "WebPage", "datePublished": "2023-11-20"}, {"@type": "BreadcrumbList"}]))
    assert found.published == "2023-11-20"


def test_a_date_time_a_day_off_the_urls_date_keeps_the_local_date() -> None:
    head = '<meta property="article:published_time" content="2024-03-09T01:30:00+00:00">'
    assert meta(head, url="https://blog.example.test/2024/03/08/late-post").published == "2024-03-08"
    assert meta(head, url="https://blog.example.test/late-post").published == "2024-03-09T01:30:00+00:00"


def test_og_published_time_is_a_stated_publication_date() -> None:
    head = ('<meta property="og:published_time" content="2024-10-08T00:00:00-04:00">'
            '<meta property="og:modified_time" content="2024-10-14T16:46:33-04:00">')
    assert meta(head, "<p>Chart: pricing, 2016 to 2024</p>").published == "2024-10-08T00:00:00-04:00"


def test_an_unstated_date_is_the_first_time_element_outside_teasers_and_comments() -> None:
    body = ('<aside class="trending"><time datetime="2025-12-01">Dec 1</time></aside>'
            '<div class="post-card"><time datetime="2025-11-30T08:00:00Z">Nov 30</time></div>'
            '<article><header><h1>Allotment waiting lists grow</h1><p class="meta">'
            '<time datetime="2023-10-12T19:38:01Z">10/12/2023 7:38 PM</time></p></header><p>Text.</p>'
            '<section id="comments"><time datetime="2025-12-18">Dec 18</time></section></article>')
    assert meta("", body).published == "2023-10-12T19:38:01+00:00"
    stated = '<meta property="article:published_time" content="2023-10-11">'
    assert meta(stated, body).published == "2023-10-11"


def test_an_unstated_unmarked_date_is_read_from_the_dateline() -> None:
    body = ('<div class="related"><span>Published: March 1, 2026</span></div><h1>Fasting, explained</h1>'
            '<div class="meta"><span>By Daryl Austin</span> <span>Updated March 12, 2026</span>'
            ' <span>Published March 9, 2026</span></div>'
            '<p>This guide was first published on the 21st of June 2017 and has been updated many times since.</p>')
    assert meta("", body).published == "2026-03-09"
    assert meta("", "<div>Sweat August 16, 2019 - Updated July 9, 2025</div>").published == "2019-08-16"
    assert meta("", "<p>Last updated: 12/12/2025</p>").published == "2025-12-12"


def test_modified_from_json_ld_before_meta_and_none_when_unstated() -> None:
    both = ld({"@type": "NewsArticle", "dateModified": "2024-06-01T10:00:00+02:00"}) + \
        '<meta property="article:modified_time" content="2024-06-02T08:00:00Z">'
    assert meta(both).modified == "2024-06-01T10:00:00+02:00"
    assert meta('<meta property="article:modified_time" content="2024-06-02T08:00:00Z">').modified == \
        "2024-06-02T08:00:00+00:00"
    assert meta('<meta property="article:modified_time" content="last Tuesday">').modified is None
    assert meta(ld({"@type": "NewsArticle", "datePublished": "2024-06-01"})).modified is None


def test_lead_image_from_json_ld_og_or_the_first_figure_with_its_caption_but_not_its_credit() -> None:
    figure = ('<article><p>Lead.</p><figure><img src="/img/quay.jpg"><figcaption>The north quay at dawn. '
              '<span class="credit">Photo: Ann Lee</span></figcaption></figure></article>')
    image_object = {"@type": "ImageObject", "url": "https://cdn.example.test/a.jpg", "caption": "A caption"}
    found = meta(ld({"@type": "NewsArticle", "image": [image_object]}) + '<meta property="og:image" content="/b.jpg">')
    assert (found.image and (found.image.url, found.image.caption)) == ("https://cdn.example.test/a.jpg", "A caption")
    assert found.sources["image"] == "json-ld image"
    og = meta('<meta property="og:image" content="/img/quay.jpg">', figure).image
    assert og and (og.url, og.caption) == ("https://news.example.test/img/quay.jpg", "The north quay at dawn.")
    first = meta("", figure).image
    assert first and (first.url, first.caption) == ("https://news.example.test/img/quay.jpg", "The north quay at dawn.")
    assert meta("", "<p>No picture.</p>").image is None
    credit_only = {"@type": "NewsArticle", "image": {"url": "/c.jpg", "caption": "Photo: Ann Lee"}}
    assert (meta(ld(credit_only)).image or Image("", "?")).caption is None


def test_section_from_meta_json_ld_or_the_breadcrumb_before_the_article() -> None:
    assert meta('<meta property="article:section" content="Politics">').section == "Politics"
    assert meta(ld({"@type": "NewsArticle", "articleSection": ["Sport", "Football"]})).section == "Sport"
    crumbs = {"@type": "BreadcrumbList", "itemListElement": [
        {"@type": "ListItem", "position": 3, "name": "Tram fares rise", "item": "https://news.example.test/story"},
        {"@type": "ListItem", "position": 1, "name": "Home", "item": "https://news.example.test/"},
        {"@type": "ListItem", "position": 2, "name": "Transport", "item": "https://news.example.test/transport/"}]}
    assert meta(ld(crumbs)).section == "Transport"
    trail = ('<nav aria-label="Breadcrumb"><ol><li><a href="/">Home</a></li><li><a href="/city/">City</a></li>'
             '<li>Tram fares rise</li></ol></nav><h1>Tram fares rise</h1>')
    found = meta("", trail)
    assert (found.section, found.sources["section"]) == ("City", "breadcrumb")
    assert meta("", "<p>No trail.</p>").section is None
    home_only = '<ol class="breadcrumbs"><li><a href="/">Home</a></li><li>Tram fares rise</li></ol><h1>Tram fares rise</h1>'
    assert meta("", home_only).section is None  # the site's home is no section


def test_tags_from_the_first_statement_that_has_any_trimmed_and_deduplicated() -> None:
    tags = ('<meta property="article:tag" content=" Trams "><meta property="article:tag" content="trams">'
            '<meta property="article:tag" content="City budget"><meta name="keywords" content="seo, words">')
    assert meta(tags).tags == ["Trams", "City budget"]
    assert meta(ld({"@type": "NewsArticle", "keywords": "Trams, Fares,, trams"})).tags == ["Trams", "Fares"]
    assert meta('<meta name="keywords" content="Trams,Fares">').tags == ["Trams", "Fares"]
    assert meta("").tags == []


def test_paywalled_when_declared_not_free_false_when_declared_free_else_none() -> None:
    part = {"@type": "WebPageElement", "isAccessibleForFree": "False", "cssSelector": ".locked"}
    assert meta(ld({"@type": "NewsArticle", "isAccessibleForFree": False})).paywalled is True
    assert meta(ld({"@type": "NewsArticle", "hasPart": [part]})).paywalled is True
    assert meta(ld({"@type": "NewsArticle", "isAccessibleForFree": "true"})).paywalled is False
    assert meta('<meta property="article:content_tier" content="locked">').paywalled is True
    assert meta(ld({"@type": "NewsArticle"})).paywalled is None
