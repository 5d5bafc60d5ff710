import Foundation
import LoreCore
import Testing

// 230 cross-site-scripting payloads from payloadbox/xss-payload-list
// (Tests/Fixtures/xss, MIT, see its LICENSE), each put in every place Markdown
// lets text go: alone, as a link label, as a link destination, as an image's
// alt text and source, in a table cell, a code span and a heading.

struct XSSPayload: Decodable, Sendable {
    let id: Int
    let payload: String
}

let xssPayloads: [XSSPayload] = {
    let url = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/xss/payloadbox-230.json")
    return try! JSONDecoder().decode([XSSPayload].self, from: Data(contentsOf: url))
}()

/// The attribute names inside every tag of `html`, read as a browser would:
/// a quoted value is skipped whole, whatever it contains.
private func attributeNames(in html: String) -> [String] {
    var names: [String] = []
    let chars = Array(html.unicodeScalars)
    var i = 0
    while i < chars.count {
        guard chars[i] == "<", i + 1 < chars.count, chars[i + 1].properties.isAlphabetic else {
            i += 1
            continue
        }
        i += 1
        while i < chars.count, chars[i] != " ", chars[i] != ">", chars[i] != "/" { i += 1 }
        while i < chars.count, chars[i] != ">" {
            while i < chars.count, chars[i] == " " || chars[i] == "/" || chars[i] == "\n" { i += 1 }
            var name = ""
            while i < chars.count, !" =>/\n".unicodeScalars.contains(chars[i]) {
                name.unicodeScalars.append(chars[i])
                i += 1
            }
            if !name.isEmpty { names.append(name.lowercased()) }
            if i < chars.count, chars[i] == "=" {
                i += 1
                if i < chars.count, chars[i] == "\"" || chars[i] == "'" {
                    let quote = chars[i]
                    i += 1
                    while i < chars.count, chars[i] != quote { i += 1 }
                    i += 1
                } else {
                    while i < chars.count, chars[i] != " ", chars[i] != ">" { i += 1 }
                }
            }
        }
        i += 1
    }
    return names
}

/// Every `href` and `src` value in `html`.
private func urls(in html: String) -> [String] {
    let regex = try! NSRegularExpression(pattern: #"(?:href|src)="([^"]*)""#, options: [.caseInsensitive])
    return regex.matches(in: html, range: NSRange(html.startIndex..., in: html)).map {
        String(html[Range($0.range(at: 1), in: html)!])
    }
}

@Test func xssPayloadsNeverBecomeMarkup() {
    #expect(xssPayloads.count == 230)
    for item in xssPayloads {
        let p = item.payload
        let contexts = [
            p, "[\(p)](https://a.example)", "[x](\(p))", "[x](<\(p)>)", "![\(p)](\(p))", "![\(p)](https://a.example/i.png)",
            "| h |\n| - |\n| \(p) |", "`\(p)`", "# \(p)", "- \(p)", "> \(p)", "[x]\n\n[x]: \(p)", "**\(p)** _\(p)_ ~~\(p)~~",
        ]
        for input in contexts {
            let html = Markdown.html(input)
            #expect(!html.lowercased().contains("<script"), "payload \(item.id): \(html)")
            for name in attributeNames(in: html) {
                #expect(!name.hasPrefix("on"), "payload \(item.id): event handler \(name) in \(html)")
            }
            for url in urls(in: html) {
                #expect(isAllowedAsBrowserSees(url), "payload \(item.id): \(url) in \(html)")
            }
            expectOnlyRendererMarkup(html, input)
        }
    }
}
