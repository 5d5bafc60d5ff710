extension Markdown.Inlines {
    typealias Byte = Markdown.Byte

    // MARK: Emphasis and strikethrough runs

    /// Records a run of `*`, `_` or `~`. CommonMark's flanking rules decide
    /// whether it may open or close (`_` inside a word does neither, so
    /// `snake_case_names` stay as typed); `~` runs longer than two are text.
    mutating func handleDelimiters(_ char: UInt8) {
        var end = position
        while end < s.count, s[end] == char { end += 1 }
        let count = end - position
        let before = Markdown.CharacterClass.before(s, position)
        let after = Markdown.CharacterClass.after(s, end)
        let leftFlanking = after != .whitespace
            && (after != .punctuation || before == .whitespace || before == .punctuation)
        let rightFlanking = before != .whitespace
            && (before != .punctuation || after == .whitespace || after == .punctuation)
        var canOpen = leftFlanking
        var canClose = rightFlanking
        if char == Byte.underscore {
            canOpen = leftFlanking && (!rightFlanking || before == .punctuation)
            canClose = rightFlanking && (!leftFlanking || after == .punctuation)
        } else if char == Byte.tilde, count > 2 {
            canOpen = false
            canClose = false
        }
        // A run that can neither open nor close (`snake_case`, `a * b`) is plain
        // text and stays in the text around it, so a bare email such as
        // `a.b-c_d@a.b` is still seen whole.
        guard canOpen || canClose else {
            position = end
            return
        }
        flushText(to: position)
        let node = append(Node(kind: .delimiter, start: Int(char), length: count))
        let index = delimiters.count
        delimiters.append(Delimiter(node: node, char: char, count: count, originalCount: count,
                                    canOpen: canOpen, canClose: canClose, previous: lastDelimiter))
        if lastDelimiter != -1 { delimiters[lastDelimiter].next = index }
        lastDelimiter = index
        position = end
        textStart = end
    }

    private mutating func removeDelimiter(_ index: Int) {
        let previous = delimiters[index].previous
        let next = delimiters[index].next
        if previous != -1 { delimiters[previous].next = next }
        if next != -1 {
            delimiters[next].previous = previous
        } else {
            lastDelimiter = previous
        }
    }

    /// Pairs openers and closers above `bottom` in the delimiter list
    /// (CommonMark's "process emphasis"), then drops them from the list.
    /// `openersBottom` remembers, per kind of closer, how far down a search
    /// already failed, so no opener is walked past more than a few times.
    mutating func processEmphasis(above bottom: Int) {
        var openersBottom = [Int](repeating: bottom, count: 14)
        var closer = lastDelimiter == bottom ? -1 : lastDelimiter
        while closer != -1, delimiters[closer].previous != bottom { closer = delimiters[closer].previous }
        while closer != -1 {
            let current = delimiters[closer]
            guard current.canClose else {
                closer = current.next
                continue
            }
            let key: Int
            switch current.char {
            case Byte.star: key = (current.canOpen ? 3 : 0) + current.originalCount % 3
            case Byte.underscore: key = 6 + (current.canOpen ? 3 : 0) + current.originalCount % 3
            default: key = 12 + (current.originalCount - 1)
            }
            var opener = current.previous
            var found = -1
            while opener != -1, opener != bottom, opener != openersBottom[key] {
                let candidate = delimiters[opener]
                if candidate.char == current.char, candidate.canOpen {
                    if current.char == Byte.tilde {
                        if candidate.originalCount == current.originalCount {
                            found = opener
                            break
                        }
                    } else {
                        // The "rule of 3": "*a**b*" must not pair "*" with "**".
                        let oddMatch = (current.canOpen || candidate.canClose) && current.originalCount % 3 != 0
                            && (candidate.originalCount + current.originalCount) % 3 == 0
                        if !oddMatch {
                            found = opener
                            break
                        }
                    }
                }
                opener = candidate.previous
            }
            guard found != -1 else {
                openersBottom[key] = current.previous
                let next = current.next
                if !current.canOpen { removeDelimiter(closer) }
                closer = next
                continue
            }
            let kind: Kind
            let used: Int
            if current.char == Byte.tilde {
                kind = .strikethrough
                used = current.count
            } else {
                used = current.count >= 2 && delimiters[found].count >= 2 ? 2 : 1
                kind = used == 2 ? .strong : .emphasis
            }
            delimiters[found].count -= used
            delimiters[closer].count -= used
            let openerNode = delimiters[found].node
            let closerNode = current.node
            nodes[openerNode].length -= used
            nodes[closerNode].length -= used
            wrap(between: openerNode, and: closerNode, kind: kind)
            // Runs between the pair can no longer match anything.
            delimiters[found].next = closer
            delimiters[closer].previous = found
            if delimiters[found].count == 0 { removeDelimiter(found) }
            if delimiters[closer].count == 0 {
                let next = delimiters[closer].next
                removeDelimiter(closer)
                closer = next
            }
        }
        while lastDelimiter != -1, lastDelimiter != bottom { removeDelimiter(lastDelimiter) }
    }

    /// Puts the siblings strictly between two nodes into a new node of `kind`,
    /// in constant time: only the ends of the run are relinked.
    private mutating func wrap(between opener: Int, and closer: Int, kind: Kind) {
        let index = nodes.count
        var node = Node(kind: kind)
        let first = nodes[opener].next
        if first != closer {
            let last = nodes[closer].previous
            node.firstChild = first
            node.lastChild = last
            nodes[first].previous = -1
            nodes[last].next = -1
        }
        node.previous = opener
        node.next = closer
        nodes.append(node)
        nodes[opener].next = index
        nodes[closer].previous = index
    }

    // MARK: Links and images

    mutating func openBracket(image: Bool, length: Int) {
        if !brackets.isEmpty { brackets[brackets.count - 1].bracketAfter = true }
        let start = store.count
        store.append(contentsOf: s[position..<(position + length)])
        // Its own kind, so following text is not merged into it: if a link
        // closes, this node becomes the link.
        let node = append(Node(kind: .bracket, start: start, length: length))
        position += length
        textStart = position
        brackets.append(Bracket(node: node, previousDelimiter: lastDelimiter, labelStart: position, isImage: image))
    }

    mutating func handleCloseBracket() {
        flushText(to: position)
        let closeAt = position
        position += 1
        textStart = position
        guard let opener = brackets.last else {
            appendText(CollectionOfOne(Byte.closeBracket))
            return
        }
        let active = opener.isActive && (opener.isImage || brackets.count - 1 >= linkFloor)
        guard active else {
            popBracket()
            appendText(CollectionOfOne(Byte.closeBracket))
            return
        }
        var target: Markdown.LinkTarget?
        var end = position
        if position < s.count, s[position] == Byte.openParen {
            if let inline = inlineLinkTail(from: position + 1) {
                target = inline.target
                end = inline.end
            }
        }
        if target == nil {
            var label: ArraySlice<UInt8>?
            var labelEnd = position
            if let after = Markdown.LinkReferences.scanLabel(s, at: position) {
                if after - position > 2 {
                    label = s[(position + 1)..<(after - 1)]
                } else if !opener.bracketAfter {
                    label = s[opener.labelStart..<closeAt]
                }
                labelEnd = after
            } else if !opener.bracketAfter {
                label = s[opener.labelStart..<closeAt]
            }
            // Each use of a reference copies its destination and title, so
            // `[x]` repeated after one long definition would multiply the
            // input. As in cmark, once the copies pass the document's budget,
            // further references stay text.
            if let label, label.count <= Markdown.LinkReferences.maxLabelLength, referenceBudget > 0,
                let found = references.target(forLabel: label)
            {
                referenceBudget -= found.destination.count + found.title.count
                target = found
                end = labelEnd
            }
        }
        guard let target else {
            popBracket()
            appendText(CollectionOfOne(Byte.closeBracket))
            return
        }
        targets.append(target)
        let node = opener.node
        nodes[node].kind = opener.isImage ? .image : .link
        nodes[node].start = targets.count - 1
        nodes[node].length = 0
        adoptTail(into: node)
        processEmphasis(above: opener.previousDelimiter)
        popBracket()
        if !opener.isImage { linkFloor = brackets.count }
        position = end
        textStart = end
    }

    private mutating func popBracket() {
        brackets.removeLast()
        linkFloor = min(linkFloor, brackets.count)
    }

    /// `(destination "title")` after `](`; nil if it is not well formed.
    private mutating func inlineLinkTail(from start: Int) -> (target: Markdown.LinkTarget, end: Int)? {
        typealias Refs = Markdown.LinkReferences
        var i = Refs.skipSpaceAndOneNewline(s, from: start)
        guard let destination = Refs.scanDestination(s, at: i) else { return nil }
        i = destination.end
        let beforeTitle = i
        i = Refs.skipSpaceAndOneNewline(s, from: i)
        var title: [UInt8] = []
        if i > beforeTitle, i < s.count, let close = Self.titleCloser(s[i]) {
            guard i < lastIndex(ofTitleCloser: close), let scanned = Refs.scanTitle(s, at: i) else { return nil }
            title = scanned.title
            i = Refs.skipSpaceAndOneNewline(s, from: scanned.end)
        }
        guard i < s.count, s[i] == Byte.closeParen else { return nil }
        return (Markdown.LinkTarget(destination: destination.url, title: title), i + 1)
    }

    /// Where `close` (a title closer) last occurs in the text, -1 if nowhere.
    /// One backward scan per closer per parse, then constant time.
    private mutating func lastIndex(ofTitleCloser close: UInt8) -> Int {
        let last: (quote: Int, apostrophe: Int, paren: Int)
        if let known = lastTitleCloser {
            last = known
        } else {
            last = (s.lastIndex(of: Byte.quote) ?? -1, s.lastIndex(of: Byte.apostrophe) ?? -1,
                    s.lastIndex(of: Byte.closeParen) ?? -1)
            lastTitleCloser = last
        }
        switch close {
        case Byte.quote: return last.quote
        case Byte.apostrophe: return last.apostrophe
        default: return last.paren
        }
    }

    private static func titleCloser(_ b: UInt8) -> UInt8? {
        switch b {
        case Byte.quote, Byte.apostrophe: return b
        case Byte.openParen: return Byte.closeParen
        default: return nil
        }
    }
}
