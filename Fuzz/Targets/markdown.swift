// libFuzzer target: Markdown.html / Markdown.escape
// (Sources/LoreCore/Markdown/Markdown.swift).
// Any input must render without crashing, in bounded time and memory, and
// the output must keep Markdown's safety promise (checked below): every `<`
// opens one of the renderer's own fixed tags, and every link target is on
// the allowlist (http:, https:, mailto:, `#…`, or a single-slash path).
import Foundation

private let tags: [[UInt8]] = [
    "a href=\"", "/a>", "blockquote>", "/blockquote>", "br>", "code>", "/code>", "em>", "/em>",
    "h1>", "h2>", "h3>", "h4>", "h5>", "h6>", "/h1>", "/h2>", "/h3>", "/h4>", "/h5>", "/h6>",
    "hr>", "li>", "/li>", "ol>", "ol start=\"", "/ol>", "p>", "/p>", "pre><code", "/pre>",
    "strong>", "/strong>", "ul>", "/ul>",
].map { Array($0.utf8) }

private func hasPrefix(_ b: [UInt8], at i: Int, _ p: [UInt8], caseInsensitive: Bool = false) -> Bool {
    guard i + p.count <= b.count else { return false }
    for k in 0..<p.count {
        var c = b[i + k]
        if caseInsensitive, c >= 0x41, c <= 0x5A { c |= 0x20 }
        if c != p[k] { return false }
    }
    return true
}

private func checkHTML(_ html: String, input: String) {
    let b = Array(html.utf8)
    var i = 0
    while let lt = b[i...].firstIndex(of: UInt8(ascii: "<")) {
        guard let tag = tags.first(where: { hasPrefix(b, at: lt + 1, $0) }) else {
            fatalError("Markdown.html emitted a tag it does not own at byte \(lt): \(String(decoding: b[lt..<min(b.count, lt + 40)], as: UTF8.self).debugDescription) for input \(input.debugDescription)")
        }
        i = lt + 1 + tag.count
        if tag == tags[0] {
            guard let close = b[i...].firstIndex(of: UInt8(ascii: "\"")) else { fatalError("unterminated href") }
            let href = Array(b[i..<close])
            let ok = !href.isEmpty && !href.contains(where: { $0 <= 0x20 || $0 == 0x7F })
                && (hasPrefix(href, at: 0, Array("http://".utf8), caseInsensitive: true)
                    || hasPrefix(href, at: 0, Array("https://".utf8), caseInsensitive: true)
                    || hasPrefix(href, at: 0, Array("mailto:".utf8), caseInsensitive: true)
                    || href[0] == UInt8(ascii: "#")
                    || (href[0] == UInt8(ascii: "/") && (href.count == 1 || (href[1] != UInt8(ascii: "/") && href[1] != UInt8(ascii: "\\")))))
            if !ok { fatalError("Markdown.html emitted a link outside the allowlist: \(String(decoding: href, as: UTF8.self).debugDescription) for input \(input.debugDescription)") }
            i = close + 1
        }
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
