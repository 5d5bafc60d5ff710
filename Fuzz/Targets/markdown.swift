// libFuzzer target: Markdown.html / Markdown.escape
// (Sources/LoreCore/Markdown/*.swift).
// Any input must render without crashing, in bounded time and memory, and
// the output must keep Markdown's safety promise (checked below): every `<`
// opens one of the renderer's own tags with only the attributes it writes,
// every attribute value is quoted and escaped, and every link or image
// target is allowed as a browser reads it (http:, https:, mailto:, or no
// scheme at all, after entity and percent decoding and with control
// characters and spaces removed). The same rule as `expectOnlyRendererMarkup`
// in Tests/LoreCoreTests/MarkdownTests.swift.
import Foundation

private let allowedTags: Set<String> = [
    "p", "br", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "pre", "code",
    "strong", "em", "del", "a", "img", "hr", "input", "table", "thead", "tbody", "tr", "th", "td",
]
private let allowedAttributes: Set<String> = ["href", "title", "rel", "class", "start", "src", "alt", "align", "type"]
private let booleanAttributes: Set<String> = ["checked", "disabled"]

private func allowedAsBrowserSees(_ attributeValue: String) -> Bool {
    var url = attributeValue
    for (entity, char) in [("&quot;", "\""), ("&#39;", "'"), ("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&")] {
        url = url.replacingOccurrences(of: entity, with: char)
    }
    url = url.removingPercentEncoding ?? url
    let kept = url.unicodeScalars.filter { $0.value > 0x20 && $0.value != 0x7F }
    let cleaned = String(String.UnicodeScalarView(kept)).lowercased()
    guard let stop = cleaned.firstIndex(where: { ":/?#\\".contains($0) }), cleaned[stop] == ":" else { return true }
    return ["http", "https", "mailto"].contains(String(cleaned[..<stop]))
}

private func checkHTML(_ html: String, input: String) {
    func fail(_ why: String) -> Never {
        fatalError("Markdown.html: \(why) in \(html.prefix(300).debugDescription) for input \(input.prefix(300).debugDescription)")
    }
    let b = Array(html.utf8)
    var i = 0
    while i < b.count {
        guard b[i] == UInt8(ascii: "<") else {
            if b[i] == UInt8(ascii: ">") || b[i] == UInt8(ascii: "\"") { fail("stray \(UnicodeScalar(b[i]))") }
            i += 1
            continue
        }
        i += 1
        if i < b.count, b[i] == UInt8(ascii: "/") { i += 1 }
        var name = ""
        while i < b.count, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(b[i]) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b[i]) {
            name.append(Character(UnicodeScalar(b[i])))
            i += 1
        }
        guard allowedTags.contains(name) else { fail("a tag it does not own <\(name)") }
        while i < b.count, b[i] != UInt8(ascii: ">") {
            guard b[i] == UInt8(ascii: " ") else { fail("a malformed tag") }
            i += 1
            var attribute = ""
            while i < b.count, b[i] != UInt8(ascii: "="), b[i] != UInt8(ascii: " "), b[i] != UInt8(ascii: ">") {
                attribute.append(Character(UnicodeScalar(b[i])))
                i += 1
            }
            if booleanAttributes.contains(attribute), i < b.count, b[i] != UInt8(ascii: "=") { continue }
            guard allowedAttributes.contains(attribute) else { fail("an attribute it does not write: \(attribute)") }
            guard i + 1 < b.count, b[i + 1] == UInt8(ascii: "\"") else { fail("an unquoted attribute") }
            i += 2
            var value: [UInt8] = []
            while i < b.count, b[i] != UInt8(ascii: "\"") {
                if b[i] == UInt8(ascii: "<") || b[i] == UInt8(ascii: ">") || b[i] == UInt8(ascii: "'") { fail("an unescaped character in an attribute") }
                value.append(b[i])
                i += 1
            }
            guard i < b.count else { fail("an unterminated attribute") }
            i += 1
            if attribute == "href" || attribute == "src", !allowedAsBrowserSees(String(decoding: value, as: UTF8.self)) {
                fail("a link outside the allowlist: \(String(decoding: value, as: UTF8.self).debugDescription)")
            }
        }
        i += 1
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let html = Markdown.html(text)
    checkHTML(html, input: text)
    let escaped = Markdown.escape(text)
    if escaped.utf8.contains(where: { $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "'") }) {
        fatalError("Markdown.escape left a markup character in \(text.debugDescription)")
    }
    return 0
}
