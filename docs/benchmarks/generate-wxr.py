#!/usr/bin/env python3
"""Writes a WordPress export (WXR 1.2) of about SIZE_MB megabytes for the import benchmark.

Usage: python3 docs/benchmarks/generate-wxr.py OUTPUT SIZE_MB

Each post has categories, a tag, 20 comments (chains of answers, one held for approval, one spam, e-mail and IP on
each) and a pingback, in CDATA as WordPress writes them. The file is written as it is generated, so the generator
needs no more memory than one post.
"""
import sys

out, size_mb = sys.argv[1], float(sys.argv[2])
limit = int(size_mb * 1024 * 1024)
paragraph = "Lorem ipsum dolor sit amet, <em>consectetur</em> adipiscing elit &amp; more&#8230; " * 6

with open(out, "w", encoding="utf-8", newline="\n") as f:
    f.write('<?xml version="1.0" encoding="UTF-8" ?>\n'
            '<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n<title>Generated</title>\n'
            '<link>https://generated.example</link>\n<wp:wxr_version>1.2</wp:wxr_version>\n'
            '<wp:base_site_url>https://generated.example</wp:base_site_url>\n'
            '<wp:author><wp:author_id>1</wp:author_id><wp:author_login><![CDATA[admin]]></wp:author_login>'
            '<wp:author_display_name><![CDATA[Ada Admin]]></wp:author_display_name></wp:author>\n')
    post = comment = 0
    while f.tell() < limit:
        post += 1
        f.write(f'<item><title>Post {post}</title><dc:creator><![CDATA[admin]]></dc:creator>'
                f'<content:encoded><![CDATA[<!-- wp:paragraph --><p>{paragraph}</p><!-- /wp:paragraph -->\n\n{paragraph}]]></content:encoded>'
                f'<wp:post_id>{post}</wp:post_id><wp:post_date_gmt><![CDATA[2019-03-04 05:06:07]]></wp:post_date_gmt>'
                f'<wp:comment_status><![CDATA[open]]></wp:comment_status><wp:post_name><![CDATA[post-{post}]]></wp:post_name>'
                f'<wp:status><![CDATA[publish]]></wp:status><wp:post_type><![CDATA[post]]></wp:post_type>'
                f'<category domain="category" nicename="c{post % 7}"><![CDATA[Category {post % 7}]]></category>'
                f'<category domain="post_tag" nicename="t{post % 13}"><![CDATA[tag {post % 13}]]></category>\n')
        first = comment + 1
        for c in range(20):
            comment += 1
            parent = 0 if c % 5 == 0 else comment - 1
            approved = "0" if c == 7 else "spam" if c == 13 else "1"
            f.write(f'<wp:comment><wp:comment_id>{comment}</wp:comment_id>'
                    f'<wp:comment_author><![CDATA[Guest {c}]]></wp:comment_author>'
                    f'<wp:comment_author_email><![CDATA[guest{c}@mail.example]]></wp:comment_author_email>'
                    f'<wp:comment_author_IP><![CDATA[192.0.2.{c}]]></wp:comment_author_IP>'
                    f'<wp:comment_date_gmt><![CDATA[2019-03-05 05:06:{c:02}]]></wp:comment_date_gmt>'
                    f'<wp:comment_content><![CDATA[{paragraph}\n{paragraph}]]></wp:comment_content>'
                    f'<wp:comment_approved><![CDATA[{approved}]]></wp:comment_approved>'
                    f'<wp:comment_type><![CDATA[comment]]></wp:comment_type>'
                    f'<wp:comment_parent>{parent}</wp:comment_parent><wp:comment_user_id>0</wp:comment_user_id></wp:comment>\n')
        comment += 1
        f.write(f'<wp:comment><wp:comment_id>{comment}</wp:comment_id>'
                f'<wp:comment_author><![CDATA[Another blog]]></wp:comment_author>'
                f'<wp:comment_author_url>https://elsewhere.example/{post}</wp:comment_author_url>'
                f'<wp:comment_date_gmt><![CDATA[2019-03-06 00:00:00]]></wp:comment_date_gmt>'
                f'<wp:comment_content><![CDATA[[&#8230;] linked [&#8230;]]]></wp:comment_content>'
                f'<wp:comment_approved><![CDATA[1]]></wp:comment_approved><wp:comment_type><![CDATA[pingback]]></wp:comment_type>'
                f'<wp:comment_parent>0</wp:comment_parent></wp:comment>\n</item>\n')
    f.write('</channel>\n</rss>\n')
print(f"{out}: {post} posts, {comment} comments and pingbacks")
