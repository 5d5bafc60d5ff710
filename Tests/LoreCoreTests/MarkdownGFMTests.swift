import Foundation
import LoreCore
import Testing

// GitHub's extensions to CommonMark, and CommonMark features the old renderer
// lacked (setext headings, reference links, images).

@Test func tablesWithAlignmentAndInlineContent() {
    let input = "| Left | Center | Right | None |\n|:-----|:------:|------:|------|\n| *a* | `b \\| c` | [l](/x) | d \\| e |"
    #expect(Markdown.html(input) == """
        <table>
        <thead>
        <tr>
        <th align="left">Left</th>
        <th align="center">Center</th>
        <th align="right">Right</th>
        <th>None</th>
        </tr>
        </thead>
        <tbody>
        <tr>
        <td align="left"><em>a</em></td>
        <td align="center"><code>b | c</code></td>
        <td align="right"><a href="/x" rel="nofollow noopener">l</a></td>
        <td>d | e</td>
        </tr>
        </tbody>
        </table>
        """)
}

@Test func tableEndsAtABlankLineAndPadsRows() {
    let html = Markdown.html("a | b\n--|--\n1\n3 | 4 | 5\n\nafter")
    #expect(html == """
        <table>
        <thead>
        <tr>
        <th>a</th>
        <th>b</th>
        </tr>
        </thead>
        <tbody>
        <tr>
        <td>1</td>
        <td></td>
        </tr>
        <tr>
        <td>3</td>
        <td>4</td>
        </tr>
        </tbody>
        </table>
        <p>after</p>
        """)
    // No body rows: no <tbody>. A header whose cell count differs is no table.
    #expect(Markdown.html("| a |\n| - |") == "<table>\n<thead>\n<tr>\n<th>a</th>\n</tr>\n</thead>\n</table>")
    #expect(Markdown.html("| a | b |\n| - |") == "<p>| a | b |<br>\n| - |</p>")
}

@Test func reviewTablePastedIntoAReviewRendersAsATable() {
    let review = """
        ## Timeline

        Summary of the outage.
        | Time (UTC) | Event | Owner |
        |------------|-------|-------|
        | 09:40 | `payments-api` 502s begin | **on-call** |
        | 09:52 | Rolled back [release 2024.11.3](https://deploy.example.com/r/3) | @sam |

        > Follow-up: add a canary.
        """
    let html = Markdown.html(review)
    #expect(html.contains("<p>Summary of the outage.</p>\n<table>"))
    #expect(html.contains("<th>Time (UTC)</th>"))
    #expect(html.contains("<td><code>payments-api</code> 502s begin</td>"))
    #expect(html.contains("<td><strong>on-call</strong></td>"))
    #expect(html.contains("</table>\n<blockquote>"))
    expectOnlyRendererMarkup(html, review)
}

@Test func strikethrough() {
    #expect(Markdown.html("~~gone~~ and ~also~") == "<p><del>gone</del> and <del>also</del></p>")
    #expect(Markdown.html("a ~~~not~~~ and ~~b~") == "<p>a ~~~not~~~ and ~~b~</p>")
    #expect(Markdown.html("**~~both~~**") == "<p><strong><del>both</del></strong></p>")
}

@Test func taskLists() {
    #expect(Markdown.html("- [ ] todo\n- [x] done\n- [X] also\n- [y] not")
        == "<ul>\n<li><input type=\"checkbox\" disabled> todo</li>\n<li><input type=\"checkbox\" checked disabled> done</li>\n<li><input type=\"checkbox\" checked disabled> also</li>\n<li>[y] not</li>\n</ul>")
    #expect(Markdown.html("1. [x] loose\n\n2. [ ] list")
        == "<ol>\n<li>\n<p><input type=\"checkbox\" checked disabled> loose</p>\n</li>\n<li>\n<p><input type=\"checkbox\" disabled> list</p>\n</li>\n</ol>")
}

@Test func bareAutolinksAndTrailingPunctuation() {
    func link(_ href: String, _ text: String? = nil) -> String {
        "<a href=\"\(href)\" rel=\"nofollow noopener\">\(text ?? href)</a>"
    }
    #expect(Markdown.html("Visit www.commonmark.org.") == "<p>Visit \(link("http://www.commonmark.org", "www.commonmark.org")).</p>")
    #expect(Markdown.html("See https://a.example/x?y=1, then!") == "<p>See \(link("https://a.example/x?y=1")), then!</p>")
    #expect(Markdown.html("(https://en.wikipedia.org/wiki/Foo_(bar))") == "<p>(\(link("https://en.wikipedia.org/wiki/Foo_(bar)")))</p>")
    #expect(Markdown.html("https://a.example/a&amp;") == "<p>\(link("https://a.example/a"))&amp;</p>")
    #expect(Markdown.html("mail oncall@example.com.") == "<p>mail \(link("mailto:oncall@example.com", "oncall@example.com")).</p>")
    #expect(Markdown.html("`https://a.example` https://a_b.example") == "<p><code>https://a.example</code> https://a_b.example</p>")
}

@Test func setextHeadingsReferenceLinksAndImages() {
    #expect(Markdown.html("Title\n=====\n\nSub\n---") == "<h3>Title</h3>\n<h4>Sub</h4>")
    #expect(Markdown.html("[runbook][rb] and [RB] and [rb][]\n\n[rb]: /runbooks/db \"DB\"")
        == "<p><a href=\"/runbooks/db\" title=\"DB\" rel=\"nofollow noopener\">runbook</a> and <a href=\"/runbooks/db\" title=\"DB\" rel=\"nofollow noopener\">RB</a> and <a href=\"/runbooks/db\" title=\"DB\" rel=\"nofollow noopener\">rb</a></p>")
    #expect(Markdown.html("![graph *p99*](/img/p99.png \"latency\")")
        == "<p><img src=\"/img/p99.png\" alt=\"graph p99\" title=\"latency\"></p>")
    #expect(Markdown.html("    indented code\n\n***\n\n> quote") == "<pre><code>indented code\n</code></pre>\n<hr>\n<blockquote>\n<p>quote</p>\n</blockquote>")
    #expect(Markdown.html("line  \nbreak\\\nagain") == "<p>line<br>\nbreak<br>\nagain</p>")
}
