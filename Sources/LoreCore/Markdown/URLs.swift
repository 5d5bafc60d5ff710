extension Markdown {
    /// Which URLs may become links, how they are written into `href`/`src`,
    /// and the autolinks (`<…>`, and GitHub's bare URLs and addresses).
    enum URLs {
        /// Whether `url` (escapes and entities already decoded) may be a link
        /// or image: `http:`, `https:`, `mailto:`, or no scheme at all (a path,
        /// `#fragment` or `?query`). This is an allowlist, so nothing has to
        /// recognise `javascript:` in its many disguises. It looks at the URL as
        /// a browser would: percent-escapes decoded, and control characters and
        /// whitespace dropped ("java\tscript:" is javascript: to a browser).
        static func isAllowed(_ url: [UInt8]) -> Bool {
            var cleaned: [UInt8] = []
            cleaned.reserveCapacity(min(url.count, 64))
            var i = 0
            while i < url.count {
                var b = url[i]
                if b == UInt8(ascii: "%"), i + 2 < url.count, Byte.isHexDigit(url[i + 1]), Byte.isHexDigit(url[i + 2]) {
                    b = hexValue(url[i + 1]) << 4 | hexValue(url[i + 2])
                    i += 2
                }
                i += 1
                if b <= Byte.space || b == 0x7F { continue }
                // Only the part before the first ":", "/", "?" or "#" matters.
                if b == Byte.colon {
                    let scheme = String(decoding: cleaned, as: UTF8.self).lowercased()
                    return scheme == "http" || scheme == "https" || scheme == "mailto"
                }
                if b == Byte.slash || b == Byte.question || b == Byte.hash { return true }
                cleaned.append(b)
            }
            return true
        }

        private static func hexValue(_ b: UInt8) -> UInt8 {
            Byte.isDigit(b) ? b - 0x30 : Byte.lowercased(b) - 0x61 + 10
        }

        /// Percent-encodes what may not appear raw in a URL (spaces, non-ASCII,
        /// `<>"\` …), keeping existing `%XX` escapes, as CommonMark renderers do.
        /// The result still goes through HTML escaping (for `&` and `'`).
        static func encoded(_ url: [UInt8]) -> [UInt8] {
            var out: [UInt8] = []
            out.reserveCapacity(url.count)
            let hex = Array("0123456789ABCDEF".utf8)
            var i = 0
            while i < url.count {
                let b = url[i]
                if b == UInt8(ascii: "%"), i + 2 < url.count, Byte.isHexDigit(url[i + 1]), Byte.isHexDigit(url[i + 2]) {
                    out.append(contentsOf: url[i...(i + 2)])
                    i += 3
                    continue
                }
                if Byte.isAlphanumeric(b) || keptRaw.contains(b) {
                    out.append(b)
                } else {
                    out.append(UInt8(ascii: "%"))
                    out.append(hex[Int(b >> 4)])
                    out.append(hex[Int(b & 0x0F)])
                }
                i += 1
            }
            return out
        }

        private static let keptRaw: Set<UInt8> = Set(";/?:@&=+$,-_.!~*'()#".utf8)

        // MARK: Autolinks

        /// `<scheme:…>` or `<name@host>` at `start`: the href and the index
        /// after `>`. The scan stops at the first space, `<` or `>`.
        static func angleAutolink(_ s: [UInt8], at start: Int) -> (href: [UInt8], end: Int)? {
            var end = start + 1
            while end < s.count, s[end] != Byte.greaterThan, s[end] != Byte.lessThan, s[end] > Byte.space, s[end] != 0x7F {
                end += 1
            }
            guard end < s.count, s[end] == Byte.greaterThan else { return nil }
            let body = s[(start + 1)..<end]
            if isAbsoluteURI(body) { return (Array(body), end + 1) }
            if isEmailAddress(body) { return (Array("mailto:".utf8) + body, end + 1) }
            return nil
        }

        /// A scheme of 2–32 characters, a colon, and anything after it.
        private static func isAbsoluteURI(_ body: ArraySlice<UInt8>) -> Bool {
            guard let first = body.first, Byte.isLetter(first) else { return false }
            var i = body.startIndex + 1
            while i < body.endIndex, Byte.isAlphanumeric(body[i]) || body[i] == Byte.plus || body[i] == Byte.dot
                || body[i] == Byte.dash
            {
                i += 1
            }
            let length = i - body.startIndex
            return length >= 2 && length <= 32 && i < body.endIndex && body[i] == Byte.colon
        }

        private static let localSymbols: Set<UInt8> = Set(".!#$%&'*+/=?^_`{|}~-".utf8)

        static func isEmailAddress(_ body: ArraySlice<UInt8>) -> Bool {
            guard let at = body.firstIndex(of: Byte.at) else { return false }
            let local = body[..<at]
            guard !local.isEmpty, local.allSatisfy({ Byte.isAlphanumeric($0) || localSymbols.contains($0) }) else {
                return false
            }
            let domain = body[(at + 1)...]
            guard !domain.isEmpty else { return false }
            for label in domain.split(separator: Byte.dot, omittingEmptySubsequences: false) {
                guard let first = label.first, let last = label.last, label.count <= 63,
                    Byte.isAlphanumeric(first), Byte.isAlphanumeric(last),
                    label.allSatisfy({ Byte.isAlphanumeric($0) || $0 == Byte.dash })
                else { return false }
            }
            return true
        }

        /// GitHub starts a bare link only at a line start, after whitespace, or
        /// after `*`, `_`, `~` or `(`.
        /// What may stand before a bare `www.` link: a line's start, whitespace,
        /// `*`, `_`, `~` or `(` (GitHub's spec).
        static func isAutolinkBoundary(_ b: UInt8) -> Bool {
            Byte.isWhitespace(b) || b == Byte.star || b == Byte.underscore || b == Byte.tilde || b == Byte.openParen
        }

        /// A bare `http://`, `https://` or `www.` link at `start` (GitHub's
        /// extended autolink). It runs to whitespace or `<` (or `]` inside a
        /// link label); then trailing punctuation that is more likely prose
        /// ("see https://a.example/x.") and a `)` without its `(` are dropped.
        /// As on GitHub (cmark-gfm), a scheme may follow anything but a letter
        /// (`"https://a.example"`, `url=https://…`) and name a host without a dot
        /// (`http://localhost:8080`); `www.` needs a boundary and a dotted host.
        static func bareURL(_ s: [UInt8], at start: Int, stopAtBracket: Bool) -> (href: [UInt8], end: Int)? {
            let rest = s[start...]
            let previous: UInt8? = start > 0 ? s[start - 1] : nil
            var domainStart: Int
            var prefix: [UInt8] = []
            var minimumSegments = 1
            if Byte.hasPrefix(rest, "https://") || Byte.hasPrefix(rest, "http://") {
                if let previous, Byte.isLetter(previous) { return nil }
                domainStart = start + (Byte.hasPrefix(rest, "https://") ? 8 : 7)
            } else if Byte.hasPrefix(rest, "www.") {
                if let previous, !isAutolinkBoundary(previous) { return nil }
                domainStart = start
                prefix = Array("http://".utf8)
                minimumSegments = 2
            } else {
                return nil
            }
            var end = domainStart
            var segments = 1
            var underscoreInSegment = [false]
            while end < s.count {
                let b = s[end]
                if b == Byte.dot {
                    segments += 1
                    underscoreInSegment.append(false)
                } else if b == Byte.underscore {
                    underscoreInSegment[underscoreInSegment.count - 1] = true
                } else if !(Byte.isAlphanumeric(b) || b == Byte.dash || b >= 0x80) {
                    break
                }
                end += 1
                if segments > 127 { return nil }
            }
            guard end > domainStart, segments >= minimumSegments, !underscoreInSegment.suffix(2).contains(true) else { return nil }
            while end < s.count {
                let b = s[end]
                if Byte.isWhitespace(b) || b == Byte.lessThan || (stopAtBracket && b == Byte.closeBracket) { break }
                end += 1
            }
            end = trimmedEnd(s, from: domainStart, to: end)
            guard end > domainStart else { return nil }
            return (prefix + s[start..<end], end)
        }

        private static func trimmedEnd(_ s: [UInt8], from start: Int, to limit: Int) -> Int {
            var opens = 0
            var closes = 0
            for b in s[start..<limit] {
                if b == Byte.openParen { opens += 1 } else if b == Byte.closeParen { closes += 1 }
            }
            var end = limit
            while end > start {
                let last = s[end - 1]
                if "?!.,:*_~'\"".utf8.contains(last) {
                    end -= 1
                } else if last == Byte.closeParen, closes > opens {
                    closes -= 1
                    end -= 1
                } else if last == Byte.semicolon {
                    // "&amp;" at the end is an entity, not part of the URL.
                    var i = end - 2
                    while i >= start, Byte.isAlphanumeric(s[i]) { i -= 1 }
                    if i >= start, s[i] == Byte.ampersand, i < end - 2 {
                        end = i
                    } else {
                        break
                    }
                } else {
                    break
                }
            }
            return end
        }

        /// A bare `name@example.com` around the `@` at `at`, not reaching back
        /// before `floor`: its range.
        static func bareEmail(_ s: [UInt8], at: Int, notBefore floor: Int) -> (start: Int, end: Int)? {
            var start = at
            while start > floor, Byte.isAlphanumeric(s[start - 1]) || ".+-_".utf8.contains(s[start - 1]) { start -= 1 }
            guard start < at else { return nil }
            var end = at + 1
            var dots = 0
            while end < s.count, Byte.isAlphanumeric(s[end]) || s[end] == Byte.dash || s[end] == Byte.underscore
                || s[end] == Byte.dot
            {
                if s[end] == Byte.dot {
                    if end + 1 < s.count, Byte.isAlphanumeric(s[end + 1]) { dots += 1 } else { break }
                }
                end += 1
            }
            guard dots > 0, end > at + 1 else { return nil }
            let last = s[end - 1]
            guard last != Byte.dash, last != Byte.underscore else { return nil }
            return (start, end)
        }
    }
}
