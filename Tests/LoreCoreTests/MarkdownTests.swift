import Foundation
import Testing
import LoreCore

// MARK: - Escaping

@Test func escapeHandlesAllFiveCharacters() {
    #expect(Markdown.escape(#"& < > " '"#) == "&amp; &lt; &gt; &quot; &#39;")
    #expect(Markdown.escape("<a href='x'>") == "&lt;a href=&#39;x&#39;&gt;")
}

@Test func escapeLeavesOtherTextAlone() {
    #expect(Markdown.escape("plain text, ünïcödé 🚒") == "plain text, ünïcödé 🚒")
    #expect(Markdown.escape("") == "")
    #expect(Markdown.escape("&amp;") == "&amp;amp;")
}

// MARK: - Blocks

@Test func emptyInputRendersNothing() {
    #expect(Markdown.html("") == "")
    #expect(Markdown.html("\n  \n\t\n") == "")
}

@Test func paragraphsAndLineBreaks() {
    #expect(Markdown.html("Hello") == "<p>Hello</p>")
    #expect(Markdown.html("one\ntwo\n\nthree") == "<p>one<br>\ntwo</p>\n<p>three</p>")
    #expect(Markdown.html("  padded  \n\n\n\nnext") == "<p>padded</p>\n<p>next</p>")
    #expect(Markdown.html("crlf\r\nline\rend") == "<p>crlf<br>\nline<br>\nend</p>")
}

@Test func headingsAreShiftedDownTwoLevels() {
    #expect(Markdown.html("# Summary") == "<h3>Summary</h3>")
    #expect(Markdown.html("## Impact") == "<h4>Impact</h4>")
    #expect(Markdown.html("### Detail") == "<h5>Detail</h5>")
    #expect(Markdown.html("#### Deeper") == "<h6>Deeper</h6>")
    #expect(Markdown.html("###### Deepest") == "<h6>Deepest</h6>")
    #expect(Markdown.html("## Closed ##") == "<h4>Closed</h4>")
    #expect(Markdown.html("# *Emphasis* in `code`") == "<h3><em>Emphasis</em> in <code>code</code></h3>")
}

@Test func notQuiteHeadingsAreParagraphs() {
    #expect(Markdown.html("####### seven") == "<p>####### seven</p>")
    #expect(Markdown.html("#hashtag") == "<p>#hashtag</p>")
    #expect(Markdown.html("text\n# Heading") == "<p>text</p>\n<h3>Heading</h3>")
}

@Test func unorderedLists() {
    let expected = "<ul>\n<li>one</li>\n<li>two</li>\n</ul>"
    #expect(Markdown.html("- one\n- two") == expected)
    #expect(Markdown.html("* one\n* two") == expected)
    #expect(Markdown.html("+ one\n+ two") == expected)
    #expect(Markdown.html("Intro:\n- one\n- two") == "<p>Intro:</p>\n" + expected)
}

@Test func orderedLists() {
    #expect(Markdown.html("1. first\n2. second") == "<ol>\n<li>first</li>\n<li>second</li>\n</ol>")
    #expect(Markdown.html("3. third\n4. fourth") == "<ol start=\"3\">\n<li>third</li>\n<li>fourth</li>\n</ol>")
    // Only "1." may interrupt a paragraph, so times and counts in prose stay prose.
    #expect(Markdown.html("at 09:40\n2. retry failed") == "<p>at 09:40<br>\n2. retry failed</p>")
}

@Test func listDetails() {
    // Continuation lines, lazy lines and inline markup inside items.
    #expect(Markdown.html("- **bold** item\n  continued\nlazy") == "<ul>\n<li><strong>bold</strong> item<br>\ncontinued<br>\nlazy</li>\n</ul>")
    // Nested lists.
    #expect(Markdown.html("- a\n  - b\n  - c\n- d")
        == "<ul>\n<li>a\n<ul>\n<li>b</li>\n<li>c</li>\n</ul>\n</li>\n<li>d</li>\n</ul>")
    // Blank lines between items make a loose list, with paragraphs.
    #expect(Markdown.html("- a\n\n- b") == "<ul>\n<li>\n<p>a</p>\n</li>\n<li>\n<p>b</p>\n</li>\n</ul>")
    // A different bullet starts a new list.
    #expect(Markdown.html("- a\n* b") == "<ul>\n<li>a</li>\n</ul>\n<ul>\n<li>b</li>\n</ul>")
    // A list ends at an unindented paragraph after a blank line.
    #expect(Markdown.html("- a\n\nafter") == "<ul>\n<li>a</li>\n</ul>\n<p>after</p>")
}

@Test func blockquotes() {
    #expect(Markdown.html("> quoted\n> more") == "<blockquote>\n<p>quoted<br>\nmore</p>\n</blockquote>")
    #expect(Markdown.html("> quoted\nlazy") == "<blockquote>\n<p>quoted<br>\nlazy</p>\n</blockquote>")
    #expect(Markdown.html(">a\n>\n>b") == "<blockquote>\n<p>a</p>\n<p>b</p>\n</blockquote>")
    #expect(Markdown.html("> > nested") == "<blockquote>\n<blockquote>\n<p>nested</p>\n</blockquote>\n</blockquote>")
    #expect(Markdown.html("> - item") == "<blockquote>\n<ul>\n<li>item</li>\n</ul>\n</blockquote>")
}

@Test func fencedCodeBlocks() {
    #expect(Markdown.html("```swift\nlet x = a < b && c\n```")
        == "<pre><code class=\"language-swift\">let x = a &lt; b &amp;&amp; c\n</code></pre>")
    #expect(Markdown.html("```\n**not bold** [no](https://link)\n\n# no heading\n```")
        == "<pre><code>**not bold** [no](https://link)\n\n# no heading\n</code></pre>")
    #expect(Markdown.html("~~~\ntilde\n~~~") == "<pre><code>tilde\n</code></pre>")
    // An unclosed fence runs to the end.
    #expect(Markdown.html("```\nopen\nstill open") == "<pre><code>open\nstill open\n</code></pre>")
    // A shorter run does not close a longer fence.
    #expect(Markdown.html("````\n```\n````") == "<pre><code>```\n</code></pre>")
    #expect(Markdown.html("text\n```\ncode\n```") == "<p>text</p>\n<pre><code>code\n</code></pre>")
}

@Test func fenceLanguageCannotInjectAttributes() {
    // The info string's first word becomes the class, escaped like any value.
    let html = Markdown.html("```x\"onmouseover=\"alert(1)\ncode\n```")
    #expect(html == "<pre><code class=\"language-x&quot;onmouseover=&quot;alert(1)\">code\n</code></pre>")
    expectOnlyRendererMarkup(html, "")
    #expect(Markdown.html("```c++\nx\n```") == "<pre><code class=\"language-c++\">x\n</code></pre>")
}

@Test func thematicBreaks() {
    #expect(Markdown.html("a\n\n---\n\nb") == "<p>a</p>\n<hr>\n<p>b</p>")
    #expect(Markdown.html("* * *") == "<hr>")
    #expect(Markdown.html("___") == "<hr>")
}

// MARK: - Inline

@Test func inlineCode() {
    #expect(Markdown.html("run `make test` now") == "<p>run <code>make test</code> now</p>")
    #expect(Markdown.html("`**raw** _text_`") == "<p><code>**raw** _text_</code></p>")
    #expect(Markdown.html("`` a ` b ``") == "<p><code>a ` b</code></p>")
    #expect(Markdown.html("`unclosed") == "<p>`unclosed</p>")
    #expect(Markdown.html("`a\nb`") == "<p><code>a b</code></p>")
}

@Test func strongAndEmphasis() {
    #expect(Markdown.html("**bold** and *italic* and _also_")
        == "<p><strong>bold</strong> and <em>italic</em> and <em>also</em></p>")
    #expect(Markdown.html("__strong__") == "<p><strong>strong</strong></p>")
    #expect(Markdown.html("***both***") == "<p><em><strong>both</strong></em></p>")
    #expect(Markdown.html("**bold *nested* bold**") == "<p><strong>bold <em>nested</em> bold</strong></p>")
    #expect(Markdown.html("*spans\nlines*") == "<p><em>spans<br>\nlines</em></p>")
}

@Test func unmatchedOrIntrawordMarkersStayText() {
    #expect(Markdown.html("snake_case_name") == "<p>snake_case_name</p>")
    #expect(Markdown.html("2 * 3 * 4") == "<p>2 * 3 * 4</p>")
    #expect(Markdown.html("**unclosed") == "<p>**unclosed</p>")
    #expect(Markdown.html("a **b") == "<p>a **b</p>")
    #expect(Markdown.html(#"\*not em\*"#) == "<p>*not em*</p>")
}

@Test func links() {
    #expect(Markdown.html("[Lore](https://example.com/a?b=1&c=2)")
        == "<p><a href=\"https://example.com/a?b=1&amp;c=2\" rel=\"nofollow noopener\">Lore</a></p>")
    #expect(Markdown.html("[runbook](/runbooks/db)")
        == "<p><a href=\"/runbooks/db\" rel=\"nofollow noopener\">runbook</a></p>")
    #expect(Markdown.html("[timeline](#timeline)")
        == "<p><a href=\"#timeline\" rel=\"nofollow noopener\">timeline</a></p>")
    #expect(Markdown.html("[mail](mailto:ops@example.com)")
        == "<p><a href=\"mailto:ops@example.com\" rel=\"nofollow noopener\">mail</a></p>")
    #expect(Markdown.html("[HTTP](HTTP://EXAMPLE.COM)")
        == "<p><a href=\"HTTP://EXAMPLE.COM\" rel=\"nofollow noopener\">HTTP</a></p>")
    #expect(Markdown.html("[**bold** link](http://a.example)")
        == "<p><a href=\"http://a.example\" rel=\"nofollow noopener\"><strong>bold</strong> link</a></p>")
    #expect(Markdown.html("[wiki](https://en.wikipedia.org/wiki/Foo_(bar))")
        == "<p><a href=\"https://en.wikipedia.org/wiki/Foo_(bar)\" rel=\"nofollow noopener\">wiki</a></p>")
    #expect(Markdown.html("[t](https://a.example \"The title\")")
        == "<p><a href=\"https://a.example\" title=\"The title\" rel=\"nofollow noopener\">t</a></p>")
    #expect(Markdown.html("[no link] here") == "<p>[no link] here</p>")
}

@Test func autolinks() {
    #expect(Markdown.html("<https://status.example.com/x>")
        == "<p><a href=\"https://status.example.com/x\" rel=\"nofollow noopener\">https://status.example.com/x</a></p>")
    #expect(Markdown.html("mail <oncall@example.com>")
        == "<p>mail <a href=\"mailto:oncall@example.com\" rel=\"nofollow noopener\">oncall@example.com</a></p>")
}

@Test func bareURLs() {
    #expect(Markdown.html("see https://example.com/x.")
        == "<p>see <a href=\"https://example.com/x\" rel=\"nofollow noopener\">https://example.com/x</a>.</p>")
    #expect(Markdown.html("(http://example.com/a)")
        == "<p>(<a href=\"http://example.com/a\" rel=\"nofollow noopener\">http://example.com/a</a>)</p>")
    #expect(Markdown.html("**https://example.com**")
        == "<p><strong><a href=\"https://example.com\" rel=\"nofollow noopener\">https://example.com</a></strong></p>")
    // As on GitHub, a bare URL runs to whitespace; quotes inside it are
    // percent-encoded in the href and escaped in the text.
    #expect(Markdown.html("https://a.example/q?x=1&y=\"2\"")
        == "<p><a href=\"https://a.example/q?x=1&amp;y=%222\" rel=\"nofollow noopener\">https://a.example/q?x=1&amp;y=&quot;2</a>&quot;</p>")
    #expect(Markdown.html("www.example.com/a, and more")
        == "<p><a href=\"http://www.example.com/a\" rel=\"nofollow noopener\">www.example.com/a</a>, and more</p>")
    #expect(Markdown.html("xhttps://example.com") == "<p>xhttps://example.com</p>")
    #expect(Markdown.html("https://") == "<p>https://</p>")
    // A URL as a link label does not become a link inside a link.
    #expect(Markdown.html("[https://a.example](https://b.example)")
        == "<p><a href=\"https://b.example\" rel=\"nofollow noopener\">https://a.example</a></p>")
}

// MARK: - Security

/// Whether a URL, as a browser would read it from an `href` or `src` (HTML
/// entities and percent-escapes decoded, control characters and whitespace
/// dropped), is one Lore allows: http(s), mailto, or no scheme at all.
func isAllowedAsBrowserSees(_ attributeValue: String) -> Bool {
    var url = attributeValue
    for (entity, char) in [("&quot;", "\""), ("&#39;", "'"), ("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&")] {
        url = url.replacingOccurrences(of: entity, with: char)
    }
    url = url.removingPercentEncoding ?? url
    let kept = url.unicodeScalars.filter { $0.value > 0x20 && $0.value != 0x7F }
    let cleaned = String(String.UnicodeScalarView(kept)).lowercased()
    guard let stop = cleaned.firstIndex(where: { ":/?#".contains($0) }), cleaned[stop] == ":" else { return true }
    return ["http", "https", "mailto"].contains(String(cleaned[..<stop]))
}

/// Every tag in `html` is one the renderer writes, with only the attributes it
/// writes, and every link and image points somewhere allowed.
func expectOnlyRendererMarkup(_ html: String, _ input: String,
                              sourceLocation: SourceLocation = #_sourceLocation) {
    let allowedTags: Set<String> = [
        "p", "br", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "pre", "code",
        "strong", "em", "del", "a", "img", "hr", "input", "table", "thead", "tbody", "tr", "th", "td",
    ]
    let allowedAttributes: Set<String> = ["href", "title", "rel", "class", "start", "src", "alt", "align", "type"]
    let booleanAttributes: Set<String> = ["checked", "disabled"]
    let bytes = Array(html.utf8)
    var i = 0
    func fail(_ why: String) {
        Issue.record("\(why) in \(html.debugDescription) from \(input.debugDescription)", sourceLocation: sourceLocation)
    }
    while i < bytes.count {
        guard bytes[i] == UInt8(ascii: "<") else {
            if bytes[i] == UInt8(ascii: ">") || bytes[i] == UInt8(ascii: "\"") {
                return fail("stray \(UnicodeScalar(bytes[i]))")
            }
            i += 1
            continue
        }
        i += 1
        if i < bytes.count, bytes[i] == UInt8(ascii: "/") { i += 1 }
        var name = ""
        while i < bytes.count, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(bytes[i]) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[i]) {
            name.append(Character(UnicodeScalar(bytes[i])))
            i += 1
        }
        guard allowedTags.contains(name) else { return fail("unexpected tag <\(name)") }
        while i < bytes.count, bytes[i] != UInt8(ascii: ">") {
            guard bytes[i] == UInt8(ascii: " ") else { return fail("malformed tag") }
            i += 1
            var attribute = ""
            while i < bytes.count, bytes[i] != UInt8(ascii: "="), bytes[i] != UInt8(ascii: " "), bytes[i] != UInt8(ascii: ">") {
                attribute.append(Character(UnicodeScalar(bytes[i])))
                i += 1
            }
            if booleanAttributes.contains(attribute), i < bytes.count, bytes[i] != UInt8(ascii: "=") { continue }
            guard allowedAttributes.contains(attribute) else { return fail("unexpected attribute \(attribute)") }
            guard i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "\"") else { return fail("unquoted attribute") }
            i += 2
            var value: [UInt8] = []
            while i < bytes.count, bytes[i] != UInt8(ascii: "\"") {
                if bytes[i] == UInt8(ascii: "<") || bytes[i] == UInt8(ascii: ">") || bytes[i] == UInt8(ascii: "'") {
                    return fail("unescaped character in attribute")
                }
                value.append(bytes[i])
                i += 1
            }
            guard i < bytes.count else { return fail("unterminated attribute") }
            i += 1
            let text = String(decoding: value, as: UTF8.self)
            if attribute == "href" || attribute == "src" {
                guard isAllowedAsBrowserSees(text) else { return fail("disallowed \(attribute) \(text)") }
            }
            if attribute == "rel", text != "nofollow noopener" {
                return fail("wrong rel")
            }
        }
        i += 1
    }
}

@Test func rawHTMLIsAlwaysEscaped() {
    #expect(Markdown.html("<script>alert(1)</script>") == "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>")
    #expect(Markdown.html("<img src=x onerror=alert(1)>") == "<p>&lt;img src=x onerror=alert(1)&gt;</p>")
    #expect(Markdown.html("<img src=\"x\" onerror=\"alert('1')\">")
        == "<p>&lt;img src=&quot;x&quot; onerror=&quot;alert(&#39;1&#39;)&quot;&gt;</p>")
    #expect(Markdown.html("<svg/onload=alert(1)>") == "<p>&lt;svg/onload=alert(1)&gt;</p>")
    #expect(Markdown.html("<a href=\"javascript:alert(1)\">x</a>")
        == "<p>&lt;a href=&quot;javascript:alert(1)&quot;&gt;x&lt;/a&gt;</p>")
    #expect(Markdown.html("<div>\n<script>x</script>\n</div>")
        == "<p>&lt;div&gt;<br>\n&lt;script&gt;x&lt;/script&gt;<br>\n&lt;/div&gt;</p>")
    #expect(Markdown.html("# <script>x</script>") == "<h3>&lt;script&gt;x&lt;/script&gt;</h3>")
    #expect(Markdown.html("- <b onclick=x>") == "<ul>\n<li>&lt;b onclick=x&gt;</li>\n</ul>")
    #expect(Markdown.html("> <iframe src=//evil>") == "<blockquote>\n<p>&lt;iframe src=//evil&gt;</p>\n</blockquote>")
    #expect(Markdown.html("<!-- comment --><![CDATA[x]]>") == "<p>&lt;!-- comment --&gt;&lt;![CDATA[x]]&gt;</p>")
}

@Test func htmlInsideCodeIsEscaped() {
    #expect(Markdown.html("`<script>alert(1)</script>`") == "<p><code>&lt;script&gt;alert(1)&lt;/script&gt;</code></p>")
    #expect(Markdown.html("`<img src=x onerror=alert(1)>`") == "<p><code>&lt;img src=x onerror=alert(1)&gt;</code></p>")
    #expect(Markdown.html("```html\n<script>alert(\"x\")</script>\n```")
        == "<pre><code class=\"language-html\">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;\n</code></pre>")
}

@Test func entitiesAreDecodedThenEscapedAgain() {
    // A character reference stands for its character, which then leaves
    // through the same escaping as any other text: it can never become markup.
    #expect(Markdown.html("&lt;script&gt;") == "<p>&lt;script&gt;</p>")
    #expect(Markdown.html("&#60;script&#62;") == "<p>&lt;script&gt;</p>")
    #expect(Markdown.html("&#x3C;img src=x onerror=alert(1)&#x3E;") == "<p>&lt;img src=x onerror=alert(1)&gt;</p>")
    #expect(Markdown.html("&copy; &frac34; &ThickSpace; &bogus; &#0;") == "<p>© ¾ \u{205F}\u{200A} &amp;bogus; \u{FFFD}</p>")
    #expect(Markdown.html("\\&amp;") == "<p>&amp;amp;</p>")
}

@Test(arguments: [
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](JAVASCRIPT:alert(1))",
    "[x]( javascript:alert(1))",
    "[x](<javascript:alert(1)>)",
    "[x](java&#115;cript:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](javascript&colon;alert(1))",
    "[x](java\tscript:alert(1))",
    "[x](\u{1}javascript:alert(1))",
    "[x](\u{0}javascript:alert(1))",
    "[x](<java script:alert(1)>)",
    "[x](\\javascript:alert(1))",
    "[x](vbscript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](file:///etc/passwd)",
    "[x](ftp://example.com)",
    "[x](java%73cript:alert(1))",
    "[x](javascript%3Aalert(1))",
    "![x](javascript:alert(1))",
    "![x](data:image/svg+xml;base64,PHN2Zz4=)",
    "[x][r]\n\n[r]: javascript:alert(1)",
    "[r]\n\n[r]: <vbscript:x>",
    "<javascript:alert(1)>",
    "<JavaScript:alert(1)>",
    "<data:text/html,<script>alert(1)</script>>",
    "<vbscript:msgbox(1)>",
    "javascript:alert(1)",
])
func dangerousLinksAreNotLinks(_ input: String) {
    let html = Markdown.html(input)
    #expect(!html.contains("<a"), "\(input) became \(html)")
    #expect(!html.contains("href"), "\(input) became \(html)")
    expectOnlyRendererMarkup(html, input)
}

@Test func refusedLinksShowTheirText() {
    #expect(Markdown.html("[click](javascript:alert(1))") == "<p>click</p>")
    #expect(Markdown.html("[**x**](javascript:alert(\"1\"))") == "<p><strong>x</strong></p>")
    #expect(Markdown.html("![the \"alt\"](javascript:alert(1))") == "<p>the &quot;alt&quot;</p>")
    #expect(Markdown.html("<irc://example.com/x>") == "<p>irc://example.com/x</p>")
}

@Test func relativeLinksAreAllowed() {
    // No scheme: a path, a fragment or a query on this site (or a bare name).
    #expect(Markdown.html("[x](example.com)") == "<p><a href=\"example.com\" rel=\"nofollow noopener\">x</a></p>")
    #expect(Markdown.html("[x](?page=2)") == "<p><a href=\"?page=2\" rel=\"nofollow noopener\">x</a></p>")
    #expect(Markdown.html("[x]()") == "<p><a href=\"\" rel=\"nofollow noopener\">x</a></p>")
    #expect(Markdown.html("[x](a/b:c)") == "<p><a href=\"a/b:c\" rel=\"nofollow noopener\">x</a></p>")
}

@Test func attributeInjectionThroughTheURLIsImpossible() {
    // Quotes in a URL are escaped inside the attribute...
    #expect(Markdown.html("[x](https://a.example/\"onclick=\"alert(1))")
        == "<p><a href=\"https://a.example/%22onclick=%22alert(1)\" rel=\"nofollow noopener\">x</a></p>")
    // ...and a space ends the URL, so this is not a link at all (the URL in it is).
    let spaced = Markdown.html("[x](https://a.com\" onclick=\"x)")
    #expect(!spaced.contains("onclick=\""))
    expectOnlyRendererMarkup(spaced, "")
    let single = Markdown.html("[x](https://a.com/'onmouseover='alert(1))")
    #expect(single == "<p><a href=\"https://a.com/&#39;onmouseover=&#39;alert(1)\" rel=\"nofollow noopener\">x</a></p>")
    let title = Markdown.html("[x](https://a.com \"t\\\" onclick=\\\"alert(1)\")")
    #expect(title == "<p><a href=\"https://a.com\" title=\"t&quot; onclick=&quot;alert(1)\" rel=\"nofollow noopener\">x</a></p>")
    let autolink = Markdown.html("<https://a.com/\"onclick=\"alert(1)>")
    #expect(autolink.contains("href=\"https://a.com/%22onclick=%22alert(1)\""))
}

@Test func attributeInjectionThroughTheLabelIsImpossible() {
    #expect(Markdown.html("[\" onmouseover=\"alert(1)](https://a.com)")
        == "<p><a href=\"https://a.com\" rel=\"nofollow noopener\">&quot; onmouseover=&quot;alert(1)</a></p>")
    #expect(Markdown.html("[<img src=x onerror=alert(1)>](https://a.com)")
        == "<p><a href=\"https://a.com\" rel=\"nofollow noopener\">&lt;img src=x onerror=alert(1)&gt;</a></p>")
    #expect(Markdown.html("[`<script>`](/x)")
        == "<p><a href=\"/x\" rel=\"nofollow noopener\"><code>&lt;script&gt;</code></a></p>")
}

@Test(arguments: [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](https://a.com\" onclick=\"x)",
    "[x](https://a.com' onclick='x)",
    "[a](https://x.com \"b\" onclick=\"c\")",
    "[<b>](https://a.com)",
    "**<b>**`<i>`_<u>_",
    "<https://a.com/<script>>",
    "https://a.com/<script>alert(1)</script>",
    "https://a.com/\"onmouseover=\"alert(1)",
    "[x](https://a.com)<script>",
    "```\"><script>\nx\n```",
    "- [x](javascript:alert(1))\n> [y](data:x)\n# [z](vbscript:x)",
    "[[x](javascript:a)](https://b.example)",
    "[x](https://a.com)](javascript:alert(1))",
    "<a@b.c\"onmouseover=\"x>",
])
func outputContainsOnlyRendererMarkup(_ input: String) {
    expectOnlyRendererMarkup(Markdown.html(input), input)
}

/// Random mixtures of syntax and hostile fragments: the output must only ever
/// contain the renderer's own markup, and rendering must not crash.
@Test func fuzzedInputOnlyProducesRendererMarkup() {
    let pieces = [
        "*", "**", "_", "__", "`", "``", "```", "[", "]", "(", ")", "](", "<", ">", "\"", "'", "&",
        "#", "# ", "- ", "1. ", "> ", "\n", "\n\n", " ", "  ", "\\", "a", "word", "x_y",
        "https://a.example/p?q=1&r=2", "mailto:a@b.c", "javascript:alert(1)", "JaVaScRiPt:",
        "<script>", "</script>", "onerror=", "java&#115;cript:", "data:", "/path", "#frag",
        "<https://b.example>", "<a@b.c>", "\"t\"", "\t", "é", "🚒", "\u{0}", "\r\n", "---",
    ]
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    func next() -> Int {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Int(truncatingIfNeeded: state >> 33)
    }
    for _ in 0..<3000 {
        var input = ""
        for _ in 0..<(next() % 40) {
            input += pieces[next() % pieces.count]
        }
        expectOnlyRendererMarkup(Markdown.html(input), input)
    }
}

// MARK: - Robustness

@Test func deepNestingIsCapped() {
    let quotes = String(repeating: ">", count: 10_000) + " deep"
    let html = Markdown.html(quotes)
    #expect(html.contains("deep"))
    #expect(html.contains("&gt;"))
    let lists = String(repeating: "- ", count: 10_000) + "x"
    #expect(Markdown.html(lists).contains("x"))
    var indented = ""
    for level in 0..<200 { indented += String(repeating: " ", count: level * 2) + "- item\n" }
    #expect(Markdown.html(indented).contains("item"))
}

@Test func controlCharactersAndOddTextDoNotBreakAnything() {
    #expect(Markdown.html("a\u{0}b") == "<p>a\u{FFFD}b</p>")
    #expect(Markdown.html("-\ttabbed") == "<ul>\n<li>tabbed</li>\n</ul>")
    #expect(Markdown.html("🚒 *émphasis* 日本語") == "<p>🚒 <em>émphasis</em> 日本語</p>")
    #expect(Markdown.html("\\") == "<p>\\</p>")
    #expect(Markdown.html("[") == "<p>[</p>")
    #expect(Markdown.html("]") == "<p>]</p>")
    #expect(Markdown.html("<") == "<p>&lt;</p>")
    #expect(Markdown.html("*") == "<ul>\n<li></li>\n</ul>")
}

@Test(arguments: [
    "stars", "strongs", "alternating", "brackets", "closers", "linkOpenings", "backticks",
    "lessThans", "quotes", "lists", "underscores", "parens", "titles", "urls", "mixed",
])
func pathologicalInputRenders(_ kind: String) {
    let size = 100_000
    func repeated(_ piece: String) -> String {
        String(repeating: piece, count: size / piece.utf8.count)
    }
    let input: String
    switch kind {
    case "stars": input = repeated("*")
    case "strongs": input = repeated("**a ")
    case "alternating": input = repeated("*a _b ")
    case "brackets": input = repeated("[")
    case "closers": input = repeated("a* ")
    case "linkOpenings": input = repeated("[a](")
    case "backticks": input = (1...400).map { String(repeating: "`", count: $0) + "x" }.joined()
    case "lessThans": input = repeated("<a")
    case "quotes": input = repeated(">")
    case "lists": input = repeated("- ")
    case "underscores": input = repeated("_a_b")
    case "parens": input = "[x](" + repeated("(")
    case "titles": input = repeated("[a](b \"")
    case "urls": input = repeated("https://a.example/(")
    default: input = repeated("**[x](https://a.example) `c` _e_ <b> \\* ")
    }
    // How fast is measured by `LoreBench markdown` in release mode; here,
    // that pathological input still renders to something.
    let html = Markdown.html(input)
    #expect(!html.isEmpty)
}

@Test func typicalDocumentOf100KBRenders() {
    let section = """
        # Incident summary

        At **09:40 UTC** the `payments-api` started returning 502s. See https://status.example.com/incidents/42.

        - Detected by [alerting](https://grafana.example.com/d/abc?orgId=1&from=now-6h)
        - Mitigated by rolling back _release 2024.11.3_
          - follow-up: add canary
        1. Page on-call
        2. Roll back

        > Customer impact: ~3% of checkouts failed.

        ```sql
        SELECT * FROM payments WHERE status = 'failed' AND created_at > now() - interval '1 hour';
        ```


        """
    let input = String(repeating: section, count: 100_000 / section.utf8.count + 1)
    let html = Markdown.html(input)
    #expect(html.contains("<h3>Incident summary</h3>"))
}
