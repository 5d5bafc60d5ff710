extension String {
    /// Without leading and trailing white space: the characters of
    /// Foundation's `.whitespacesAndNewlines`, which are Unicode's White_Space
    /// plus U+200B ZERO WIDTH SPACE. Not `trimmingCharacters(in:)`: on Linux
    /// it goes through UTF-16 and was the largest single cost of reading a
    /// PagerDuty event; this returns the string itself when neither end can
    /// be white space.
    var trimmed: String {
        let u = utf8
        if let f = u.first, let l = u.last, f > 0x20, f < 0x80, l > 0x20, l < 0x80 { return self }
        func isSpace(_ c: Unicode.Scalar) -> Bool { c.properties.isWhitespace || c == "\u{200B}" }
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !isSpace($0) }), let last = scalars.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(scalars[first...last])
    }

    /// Trimmed, or nil when blank.
    var nonBlank: String? {
        let t = trimmed
        return t.isEmpty ? nil : t
    }
}
