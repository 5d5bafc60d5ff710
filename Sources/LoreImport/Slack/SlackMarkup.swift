import Foundation

/// Turns Slack's message markup into the text a person would have seen.
///
/// Slack stores `<@U0BMQB6JE>` where the reader saw "@Hamza Faran", and
/// escapes `&`, `<` and `>` as `&amp;`, `&lt;` and `&gt;`. A timeline full of
/// user ids is unreadable in a review, so every form Slack documents is
/// rewritten:
///
/// | in the export | on the timeline |
/// | --- | --- |
/// | `<@U123>` / `<@U123\|name>` | `@Real Name` / `@name` |
/// | `<#C123>` / `<#C123\|name>` | `#channel-name` / `#name` |
/// | `<https://x\|label>` / `<https://x>` | `label (https://x)` / `https://x` |
/// | `<mailto:a@b\|a@b>` / `<mailto:a@b\|Ann>` | `a@b` / `Ann (a@b)` |
/// | `<!here>`, `<!channel>`, `<!everyone>` | `@here`, `@channel`, `@everyone` |
/// | `<!subteam^S1\|@oncall>` | `@oncall` |
/// | `<!date^…\|fallback>` | `fallback` |
/// | anything else: `<x\|label>` / `<x>` | `label` / `x` |
///
/// Only `&amp;`, `&lt;` and `&gt;` are unescaped (the only three Slack
/// escapes), in one pass over the export's own text, so `&amp;lt;` becomes
/// `&lt;`, and names looked up in `users.json` are never unescaped.
///
/// Works on bytes: this runs for every message of an import.
struct SlackMarkup {
    /// User id → the name shown for them (see `SlackExport.userNames`).
    var userNames: [String: String]
    /// Channel id → channel name.
    var channelNames: [String: String]

    func readable(_ text: String) -> String {
        var text = text
        return text.withUTF8 { readable($0) }
    }

    func readable(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return "" }
        let n = bytes.count
        // Most messages have no markup at all.
        if memchr(base, Int32(UInt8(ascii: "<")), n) == nil, memchr(base, Int32(UInt8(ascii: "&")), n) == nil {
            return String(decoding: bytes, as: UTF8.self)
        }
        var out: [UInt8] = []
        out.reserveCapacity(n + 32)
        var i = 0
        while i < n {
            // Copy the plain run up to the next "<" or "&" in one go.
            var j = i
            while j < n, bytes[j] != UInt8(ascii: "<"), bytes[j] != UInt8(ascii: "&") { j += 1 }
            if j > i { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[i..<j])) }
            i = j
            guard i < n else { break }
            if bytes[i] == UInt8(ascii: "&") {
                i = SlackMarkup.appendEntity(bytes, at: i, to: &out)
                continue
            }
            var close = i + 1
            while close < n, bytes[close] != UInt8(ascii: ">") { close += 1 }
            if close < n {
                appendToken(UnsafeBufferPointer(rebasing: bytes[(i + 1)..<close]), to: &out)
                i = close + 1
            } else {
                // A lone "<" (Slack would have escaped it): keep it.
                out.append(UInt8(ascii: "<"))
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The readable form of one `<…>` (the part between the brackets).
    private func appendToken(_ inner: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        let bar = inner.firstIndex(of: UInt8(ascii: "|"))
        let target = UnsafeBufferPointer(rebasing: inner[..<(bar ?? inner.count)])
        var label: UnsafeBufferPointer<UInt8>?
        if let bar, bar + 1 < inner.count { label = UnsafeBufferPointer(rebasing: inner[(bar + 1)...]) }
        func add(_ s: StaticString) { out.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount)) }
        func addText(_ b: UnsafeBufferPointer<UInt8>) { SlackMarkup.appendUnescaped(b, to: &out) }
        /// `@label` / `#label`, not doubling a sigil the label already has.
        func addLabel(_ label: UnsafeBufferPointer<UInt8>, sigil: UInt8) {
            if label.first != sigil { out.append(sigil) }
            addText(label)
        }

        guard let first = target.first else {
            if let label { addText(label) }
            return
        }
        let rest = UnsafeBufferPointer(rebasing: target[1...])
        switch first {
        case UInt8(ascii: "@"):
            if let label { return addLabel(label, sigil: UInt8(ascii: "@")) }
            out.append(UInt8(ascii: "@"))
            if let name = userNames[String(decoding: rest, as: UTF8.self)] { out.append(contentsOf: name.utf8) } else { addText(rest) }
        case UInt8(ascii: "#"):
            if let label { return addLabel(label, sigil: UInt8(ascii: "#")) }
            out.append(UInt8(ascii: "#"))
            if let name = channelNames[String(decoding: rest, as: UTF8.self)] { out.append(contentsOf: name.utf8) } else { addText(rest) }
        case UInt8(ascii: "!"):
            if SlackMarkup.equal(rest, "here") || SlackMarkup.equal(rest, "channel") || SlackMarkup.equal(rest, "everyone") || SlackMarkup.equal(rest, "group") {
                out.append(UInt8(ascii: "@"))
                addText(rest)
            } else if SlackMarkup.hasPrefix(rest, "subteam^") {
                if let label { return addLabel(label, sigil: UInt8(ascii: "@")) }
                out.append(UInt8(ascii: "@"))
                addText(UnsafeBufferPointer(rebasing: rest[8...]))
            } else if let label {
                addText(label)
            } else if SlackMarkup.hasPrefix(rest, "date^") {
                addText(rest)
            } else {
                out.append(UInt8(ascii: "@"))
                addText(rest)
            }
        default:
            if SlackMarkup.hasPrefix(target, "mailto:") {
                let mail = UnsafeBufferPointer(rebasing: target[7...])
                guard let label, !label.elementsEqual(mail) else { return addText(mail) }
                addText(label)
                add(" (")
                addText(mail)
                add(")")
                return
            }
            guard let label, !label.elementsEqual(target) else { return addText(target) }
            addText(label)
            // A URL has a scheme; other forms (`<tel:…|…>`, anything new) show their label alone.
            if SlackMarkup.contains(target, "://") {
                add(" (")
                addText(target)
                add(")")
            }
        }
    }

    private static func equal(_ b: UnsafeBufferPointer<UInt8>, _ s: StaticString) -> Bool {
        b.count == s.utf8CodeUnitCount && memcmp(b.baseAddress!, s.utf8Start, b.count) == 0
    }

    private static func hasPrefix(_ b: UnsafeBufferPointer<UInt8>, _ s: StaticString) -> Bool {
        b.count >= s.utf8CodeUnitCount && memcmp(b.baseAddress!, s.utf8Start, s.utf8CodeUnitCount) == 0
    }

    private static func contains(_ b: UnsafeBufferPointer<UInt8>, _ s: StaticString) -> Bool {
        let n = s.utf8CodeUnitCount
        guard b.count >= n else { return false }
        for start in 0...(b.count - n) where memcmp(b.baseAddress! + start, s.utf8Start, n) == 0 { return true }
        return false
    }

    /// Appends `bytes` with `&amp;` `&lt;` `&gt;` unescaped.
    private static func appendUnescaped(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "&") {
                i = appendEntity(bytes, at: i, to: &out)
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
    }

    /// Appends the `&…` at `bytes[i]` unescaped and returns the next index.
    private static func appendEntity(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int, to out: inout [UInt8]) -> Int {
        func has(_ s: StaticString) -> Bool {
            let count = s.utf8CodeUnitCount
            return i + 1 + count <= bytes.count && memcmp(bytes.baseAddress! + i + 1, s.utf8Start, count) == 0
        }
        if has("amp;") { out.append(UInt8(ascii: "&")); return i + 5 }
        if has("lt;") { out.append(UInt8(ascii: "<")); return i + 4 }
        if has("gt;") { out.append(UInt8(ascii: ">")); return i + 4 }
        out.append(UInt8(ascii: "&"))
        return i + 1
    }
}
