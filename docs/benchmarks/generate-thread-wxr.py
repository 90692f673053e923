#!/usr/bin/env python3
"""Writes a WordPress export (WXR 1.2) of one post with COMMENTS comments, for the large-thread benchmarks.

Usage: python3 docs/benchmarks/generate-thread-wxr.py OUTPUT COMMENTS

The comments form a tree as a busy comment section does: about a third answer the post, the rest answer an earlier
comment, mostly a recent one, up to eight levels deep; 36 commenters; bodies of one to four paragraphs, about 600
characters on average. Seeded, so the same COMMENTS gives the same file.
"""
import random
import sys

out, count = sys.argv[1], int(sys.argv[2])
rng = random.Random(2017)
words = ("public argument blog comment reader network solidarity media activism thread answer question evidence "
         "community moderation archive platform feed conversation link quote reply history protest campaign").split()


def paragraph():
    sentence_count = rng.randint(2, 5)
    return " ".join(" ".join(rng.choice(words) for _ in range(rng.randint(8, 16))).capitalize() + "."
                    for _ in range(sentence_count))


depth = {}
with open(out, "w", encoding="utf-8", newline="\n") as f:
    f.write('<?xml version="1.0" encoding="UTF-8" ?>\n'
            '<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n<title>Generated</title>\n'
            '<link>https://thread.example</link>\n<wp:wxr_version>1.2</wp:wxr_version>\n'
            '<wp:base_site_url>https://thread.example</wp:base_site_url>\n'
            '<wp:author><wp:author_id>1</wp:author_id><wp:author_login><![CDATA[admin]]></wp:author_login>'
            '<wp:author_display_name><![CDATA[Ada Admin]]></wp:author_display_name></wp:author>\n')
    f.write(f'<item><title>A thread of {count} comments</title><dc:creator><![CDATA[admin]]></dc:creator>'
            f'<content:encoded><![CDATA[{paragraph()}\n\n{paragraph()}]]></content:encoded>'
            f'<wp:post_id>1</wp:post_id><wp:post_date_gmt><![CDATA[2019-03-04 05:06:07]]></wp:post_date_gmt>'
            f'<wp:comment_status><![CDATA[open]]></wp:comment_status><wp:post_name><![CDATA[a-big-thread]]></wp:post_name>'
            f'<wp:status><![CDATA[publish]]></wp:status><wp:post_type><![CDATA[post]]></wp:post_type>\n')
    for comment in range(1, count + 1):
        parent = 0
        if comment > 1 and rng.random() > 0.33:
            candidate = max(1, comment - 1 - int(rng.expovariate(1 / 8)))
            if depth[candidate] < 7:
                parent = candidate
        depth[comment] = 0 if parent == 0 else depth[parent] + 1
        body = "\n\n".join(paragraph() for _ in range(rng.choice([1, 1, 2, 2, 3, 4])))
        minutes = comment * 3
        f.write(f'<wp:comment><wp:comment_id>{comment}</wp:comment_id>'
                f'<wp:comment_author><![CDATA[Commenter {rng.randint(1, 36)}]]></wp:comment_author>'
                f'<wp:comment_date_gmt><![CDATA[2019-03-{5 + minutes // 1440:02} {minutes // 60 % 24:02}:{minutes % 60:02}:00]]></wp:comment_date_gmt>'
                f'<wp:comment_content><![CDATA[{body}]]></wp:comment_content>'
                f'<wp:comment_approved><![CDATA[1]]></wp:comment_approved><wp:comment_type><![CDATA[comment]]></wp:comment_type>'
                f'<wp:comment_parent>{parent}</wp:comment_parent><wp:comment_user_id>0</wp:comment_user_id></wp:comment>\n')
    f.write('</item>\n</channel>\n</rss>\n')
print(f"{out}: one post, {count} comments, deepest level {max(depth.values()) + 1}")
