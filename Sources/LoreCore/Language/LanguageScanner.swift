import Foundation

/// One pass over the UTF-8 bytes of a text: splits it into word tokens
/// (skipping code, URLs and quotations as the options say) and runs the
/// compiled automaton over them.
///
/// Tokens are matched a clause-group at a time: whenever a token follows
/// punctuation and enough tokens have piled up, the buffer is matched and
/// emptied. No match crosses punctuation, so nothing is lost, and the buffer
/// stays small and in cache whatever the size of the text.
struct TextScan {
    struct Token {
        var word: Int32
        var flags: UInt8
        var start: Int
        var end: Int
    }

    struct Hit {
        var terminal: Int32
        var start: Int
        var end: Int
    }

    let program: CompiledProgram
    // Hot parts of the program, held directly so that the loops do not go
    // through the class on every access.
    private let slots: [Int32]
    private let slotMask: Int
    private let entryHash: [UInt64]
    private let entryStart: [Int32]
    private let entryLength: [Int32]
    private let entryBytes: [UInt8]
    private let entryWord0: [Int32]
    private let entryWord1: [Int32]
    private let entryFlags: [UInt8]
    private let maxSpellingLength: Int
    private let root: Int32
    private let rootLiteral: [Int32]
    private let literal: [[Int32: Int32]]
    private let terminals: [[Int32]]
    private let nameEdge: [Int32]
    private let participleEdge: [Int32]
    private let anyEdge: [Int32]
    private let gapEdge: [Int32]
    private let subEdge: [[Int32]]
    private let subRoots: [Int32]
    private let canStart: [Bool]
    private let startFlags: UInt8
    let p: UnsafeBufferPointer<UInt8>
    let n: Int
    let options: CheckOptions

    var tokens: [Token] = []
    var hits: [Hit] = []
    private var ends: [Int] = []
    /// The normalised current word. A raw buffer so that the scanner can read
    /// the text and write the word without exclusivity checks.
    private let scratch: UnsafeMutablePointer<UInt8>

    private var pendingBreak = true
    private var pendingGlue = false
    private var inFence = false
    private var fenceByte: UInt8 = 0
    private var fenceLength = 0
    /// For inline code spans opened by a run of k backticks (k < 16): no
    /// closing run exists before this offset. Makes unmatched backticks cost
    /// one search per paragraph, not one per backtick.
    private var codeFail = [Int](repeating: -1, count: 16)
    private var straightQuoteFail = -1
    private var curlyQuoteFail = -1

    private static let flushThreshold = 256
    private static let scratchCapacity = 64

    init(program: CompiledProgram, bytes: UnsafeBufferPointer<UInt8>, options: CheckOptions) {
        self.program = program
        slots = program.slots
        slotMask = program.slotMask
        entryHash = program.entryHash
        entryStart = program.entryStart
        entryLength = program.entryLength
        entryBytes = program.entryBytes
        entryWord0 = program.entryWord0
        entryWord1 = program.entryWord1
        entryFlags = program.entryFlags
        maxSpellingLength = program.maxSpellingLength
        root = program.root
        rootLiteral = program.rootLiteral
        literal = program.literal
        terminals = program.terminals
        nameEdge = program.nameEdge
        participleEdge = program.participleEdge
        anyEdge = program.anyEdge
        gapEdge = program.gapEdge
        subEdge = program.subEdge
        subRoots = program.subRoots
        canStart = program.canStart
        startFlags = program.startFlags
        self.p = bytes
        self.n = bytes.count
        self.options = options
        self.scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: TextScan.scratchCapacity)
        tokens.reserveCapacity(TextScan.flushThreshold * 2)
    }

    /// Frees the word buffer; call once, after `run`.
    func release() { scratch.deallocate() }

    // MARK: Bytes

    /// ASCII letter or digit. Arithmetic rather than a table: a static table
    /// costs a lazy-initialisation check on every byte.
    @inline(__always) private static func alnum(_ b: UInt8) -> Bool {
        (b &- 0x30) < 10 || ((b | 0x20) &- 0x61) < 26
    }

    @inline(__always) private func isAlnum(_ b: UInt8) -> Bool { TextScan.alnum(b) }

    /// Whether a non-ASCII character starting at `j` is part of a word.
    /// Latin-1 symbols (C2 xx), general punctuation and symbols (E2 xx xx),
    /// emoji (F0 9F …) and the byte-order mark are not; letters of every
    /// script are.
    @inline(__always) private func isWordLead(_ j: Int) -> Bool {
        let b = p[j]
        if b == 0xC2 || b == 0xE2 { return false }
        if b == 0xF0, j + 1 < n, p[j + 1] == 0x9F { return false }
        if b == 0xEF, j + 2 < n, p[j + 1] == 0xBB, p[j + 2] == 0xBF { return false }
        return b >= 0xC0
    }

    @inline(__always) private func isWordStart(_ j: Int) -> Bool {
        guard j < n else { return false }
        let b = p[j]
        return b < 0x80 ? isAlnum(b) : isWordLead(j)
    }

    @inline(__always) private func sequenceLength(_ b: UInt8) -> Int {
        b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4
    }

    // MARK: Main loop

    mutating func run() {
        var i = 0
        var atLineStart = true
        while i < n {
            if atLineStart {
                atLineStart = false
                i = lineStart(i)
                continue
            }
            let b = p[i]
            if b < 0x80 {
                if isAlnum(b) {
                    i = word(i)
                    continue
                }
                switch b {
                case 0x20, 0x09, 0x0C, 0x0B: // space, tab, form feed, vertical tab
                    i += 1
                case 0x0A:
                    i += 1
                    atLineStart = true
                case 0x0D:
                    if i + 1 < n, p[i + 1] == 0x0A {
                        i += 1
                    } else {
                        i += 1
                        atLineStart = true
                    }
                case 0x2A, 0x5F, 0x7E: // * _ ~ : Markdown emphasis
                    i += 1
                case 0x60: // `
                    i = options.skipCode ? codeSpan(i) : punctuation(i, 1)
                case 0x22: // "
                    i = options.skipQuotedSpeech ? straightQuote(i) : punctuation(i, 1)
                default:
                    i = punctuation(i, 1)
                }
            } else if b == 0xE2, i + 2 < n, p[i + 1] == 0x80 {
                let d = p[i + 2]
                if d <= 0x8B || d == 0xAF {
                    i += 3 // typographic spaces, zero-width space
                } else if d == 0x9C, options.skipQuotedSpeech {
                    i = curlyQuote(i)
                } else {
                    i = punctuation(i, 3)
                }
            } else if b == 0xC2, i + 1 < n, p[i + 1] == 0xA0 {
                i += 2 // no-break space
            } else if isWordLead(i) {
                i = word(i)
            } else {
                i = punctuation(i, sequenceLength(b))
            }
        }
        flush()
    }

    @inline(__always) private mutating func punctuation(_ i: Int, _ length: Int) -> Int {
        pendingBreak = true
        pendingGlue = false
        return i + length
    }

    /// The end of the line that `i` is on (the offset of its line break).
    private func endOfLine(_ i: Int) -> Int {
        var j = i
        while j < n, p[j] != 0x0A, p[j] != 0x0D { j += 1 }
        return j
    }

    /// Block structure at the start of a line: blank lines end a paragraph,
    /// fences open and close code blocks, `>` starts a block quote.
    private mutating func lineStart(_ i0: Int) -> Int {
        var i = i0
        var indent = 0
        while i < n, p[i] == 0x20 || p[i] == 0x09 {
            indent += p[i] == 0x09 ? 4 : 1
            i += 1
        }
        guard i < n else { return n }
        let c = p[i]
        if c == 0x0A || c == 0x0D {
            pendingBreak = true
            pendingGlue = false
            return i
        }
        if options.skipCode, indent <= 3, c == 0x60 || c == 0x7E {
            var k = 0
            while i + k < n, p[i + k] == c { k += 1 }
            if k >= 3 {
                let end = endOfLine(i)
                if inFence {
                    if c == fenceByte, k >= fenceLength, (i + k..<end).allSatisfy({ p[$0] == 0x20 || p[$0] == 0x09 }) {
                        inFence = false
                    }
                    return end
                }
                // A backtick fence's info string cannot contain a backtick.
                if c == 0x7E || !(i + k..<end).contains(where: { p[$0] == 0x60 }) {
                    inFence = true
                    fenceByte = c
                    fenceLength = k
                    pendingBreak = true
                    pendingGlue = false
                    return end
                }
            }
        }
        if inFence { return endOfLine(i) }
        if options.skipQuotes, indent <= 3, c == 0x3E {
            pendingBreak = true
            pendingGlue = false
            return endOfLine(i)
        }
        return i
    }

    /// Whether a blank line starts at `j` (which is just after a line break).
    private func blankLineAt(_ j: Int) -> Bool {
        var k = j
        while k < n, p[k] == 0x20 || p[k] == 0x09 { k += 1 }
        return k >= n || p[k] == 0x0A || p[k] == 0x0D
    }

    /// An inline code span: a run of k backticks up to the next run of exactly
    /// k backticks in the same paragraph. Unclosed, the backticks are literal.
    private mutating func codeSpan(_ i: Int) -> Int {
        var k = 0
        while i + k < n, p[i + k] == 0x60 { k += 1 }
        let from = i + k
        pendingBreak = true
        pendingGlue = false
        if k < 16, from < codeFail[k] { return from }
        var j = from
        while j < n {
            let b = p[j]
            if b == 0x60 {
                var r = 0
                while j + r < n, p[j + r] == 0x60 { r += 1 }
                if r == k { return j + r }
                j += r
                continue
            }
            if b == 0x0A || b == 0x0D {
                let next = (b == 0x0D && j + 1 < n && p[j + 1] == 0x0A) ? j + 2 : j + 1
                if blankLineAt(next) { break }
            }
            j += 1
        }
        if k < 16 { codeFail[k] = j }
        return from
    }

    /// Quoted speech between straight double quotes in one paragraph.
    private mutating func straightQuote(_ i: Int) -> Int {
        pendingBreak = true
        pendingGlue = false
        if i < straightQuoteFail { return i + 1 }
        let bytes = p
        if let close = findInParagraph(from: i + 1, { bytes[$0] == 0x22 ? 1 : 0 }) { return close }
        return i + 1
    }

    /// Quoted speech between “ and ” in one paragraph.
    private mutating func curlyQuote(_ i: Int) -> Int {
        pendingBreak = true
        pendingGlue = false
        if i < curlyQuoteFail { return i + 3 }
        let bytes = p, count = n
        if let close = findInParagraph(from: i + 3, { j in
            bytes[j] == 0xE2 && j + 2 < count && bytes[j + 1] == 0x80 && bytes[j + 2] == 0x9D ? 3 : 0
        }) { return close }
        return i + 3
    }

    /// The offset after the first closer (`length(j) > 0`) before the end of
    /// the paragraph; records a failure so later openers do not search again.
    private mutating func findInParagraph(from start: Int, _ length: (Int) -> Int) -> Int? {
        var j = start
        while j < n {
            let l = length(j)
            if l > 0 { return j + l }
            let b = p[j]
            if b == 0x0A || b == 0x0D {
                let next = (b == 0x0D && j + 1 < n && p[j + 1] == 0x0A) ? j + 2 : j + 1
                if blankLineAt(next) { break }
            }
            j += 1
        }
        if p[start - 1] == 0x22 { straightQuoteFail = j } else { curlyQuoteFail = j }
        return nil
    }

    /// Skips a URL: up to white space or a delimiter that cannot end a URL in
    /// prose (`<>"`)]`, curly quotes).
    private func urlEnd(_ i: Int) -> Int {
        var j = i
        while j < n {
            let b = p[j]
            if b <= 0x20 || b == 0x3C || b == 0x3E || b == 0x22 || b == 0x60 || b == 0x29 || b == 0x5D || b == 0xE2 || b == 0xC2 { break }
            j += 1
        }
        return j
    }

    // MARK: Words

    /// Reads one word starting at `start`, normalising it into `scratch`
    /// (ASCII lowercased, apostrophes straightened), and appends its tokens.
    private mutating func word(_ start: Int) -> Int {
        var i = start
        var length = 0
        var overflow = false
        var apostrophe = -1
        var hasDot = false
        var hyphenAfter = false
        var end = start
        let capacity = TextScan.scratchCapacity

        let s = scratch
        scan: while i < n {
                let b = p[i]
                if b < 0x80 {
                    if TextScan.alnum(b) {
                        if length < capacity { s[length] = (b >= 0x41 && b <= 0x5A) ? b | 0x20 : b; length += 1 } else { overflow = true }
                        i += 1
                        continue
                    }
                    switch b {
                    case 0x27: // '
                        guard length > 0, isWordStart(i + 1) else { break scan }
                        if length < capacity { s[length] = 0x27; apostrophe = length; length += 1 } else { overflow = true }
                        i += 1
                    case 0x2E: // . inside a word: "e.g", "v1.2", "example.com"
                        guard length > 0, i + 1 < n, TextScan.alnum(p[i + 1]) else { break scan }
                        if length < capacity { s[length] = 0x2E; length += 1 } else { overflow = true }
                        hasDot = true
                        i += 1
                    case 0x5F: // _ inside a word: snake_case
                        guard length > 0, isWordStart(i + 1) else { break scan }
                        if length < capacity { s[length] = 0x5F; length += 1 } else { overflow = true }
                        i += 1
                    case 0x2D: // - joins two words
                        if length > 0, isWordStart(i + 1) {
                            hyphenAfter = true
                            end = i
                            i += 1
                        }
                        break scan
                    default:
                        break scan
                    }
                } else if b == 0xE2 {
                    guard i + 2 < n, p[i + 1] == 0x80 else { break scan }
                    let d = p[i + 2]
                    if d == 0x98 || d == 0x99, length > 0, isWordStart(i + 3) { // ‘ ’ as apostrophe
                        if length < capacity { s[length] = 0x27; apostrophe = length; length += 1 } else { overflow = true }
                        i += 3
                        continue
                    }
                    if d == 0x90 || d == 0x91, length > 0, isWordStart(i + 3) { // ‐ ‑ hyphens
                        hyphenAfter = true
                        end = i
                        i += 3
                    }
                    break scan
                } else {
                    guard isWordLead(i) else { break scan }
                    let l = sequenceLength(b)
                    for k in 0..<l where i + k < n {
                        if length < capacity { s[length] = p[i + k]; length += 1 } else { overflow = true }
                    }
                    i += l
                }
        }
        if !hyphenAfter { end = i }

        if options.skipURLs, let skipTo = urlSkip(wordEnd: i, length: length, hasDot: hasDot, hyphenAfter: hyphenAfter) {
            pendingBreak = true
            pendingGlue = false
            return skipTo
        }

        emit(start: start, end: end, length: overflow ? -1 : length, apostrophe: apostrophe, hyphenAfter: hyphenAfter)
        return i
    }

    /// Where to continue when the word just read begins a URL, or nil.
    private func urlSkip(wordEnd i: Int, length: Int, hasDot: Bool, hyphenAfter: Bool) -> Int? {
        if !hyphenAfter, i + 2 < n, p[i] == 0x3A, p[i + 1] == 0x2F, p[i + 2] == 0x2F, length <= 12 {
            return urlEnd(i + 3) // scheme://
        }
        if length >= 4, scratch[0] == 0x77, scratch[1] == 0x77, scratch[2] == 0x77, scratch[3] == 0x2E {
            return urlEnd(i) // www.
        }
        if hasDot, !hyphenAfter, i < n, p[i] == 0x2F {
            return urlEnd(i) // example.com/path
        }
        return nil
    }

    /// Looks a normalised spelling up in the lexicon.
    @inline(__always) private func lookup(_ from: Int, _ to: Int) -> Int {
        let length = to - from
        guard length > 0, length <= maxSpellingLength else { return -1 }
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for k in from..<to { h = (h ^ UInt64(scratch[k])) &* 0x0000_0100_0000_01b3 }
        var slot = Int(truncatingIfNeeded: h) & slotMask
        while true {
            let entry = Int(slots[slot])
            if entry < 0 { return -1 }
            if entryHash[entry] == h, Int(entryLength[entry]) == length {
                let base = Int(entryStart[entry])
                var same = true
                for k in 0..<length where entryBytes[base + k] != scratch[from + k] {
                    same = false
                    break
                }
                if same { return entry }
            }
            slot = (slot + 1) & slotMask
        }
    }

    /// Flags for one known or unknown spelling: name (if capitalised in the
    /// text) and participle.
    @inline(__always) private func spellingFlags(entry: Int, from: Int, to: Int, textStart: Int) -> UInt8 {
        var flags: UInt8 = 0
        var participleKnown = false
        if entry >= 0 {
            let e = entryFlags[entry]
            if e & SpellingFlag.name != 0, isCapitalised(textStart) { flags |= TokenFlag.name }
            if e & SpellingFlag.participleKnown != 0 {
                participleKnown = true
                if e & SpellingFlag.participle != 0 { flags |= TokenFlag.participle }
            }
        }
        if !participleKnown {
            let length = to - from
            if length >= 4, scratch[to - 2] == 0x65, scratch[to - 1] == 0x64 || scratch[to - 1] == 0x6E, scratch[to - 3] != 0x65 {
                flags |= TokenFlag.participle
            }
        }
        return flags
    }

    private func isCapitalised(_ j: Int) -> Bool {
        let b = p[j]
        if b < 0x80 { return b >= 0x41 && b <= 0x5A }
        let l = sequenceLength(b)
        guard j + l <= n else { return false }
        let s = String(decoding: UnsafeBufferPointer(rebasing: p[j..<(j + l)]), as: UTF8.self)
        return s.unicodeScalars.first?.properties.isUppercase ?? false
    }

    /// Appends the tokens of one word: one, or two for a contraction.
    private mutating func emit(start: Int, end: Int, length: Int, apostrophe: Int, hyphenAfter: Bool) {
        var first: UInt8 = 0
        if pendingBreak { first |= TokenFlag.breakBefore }
        if pendingGlue { first |= TokenFlag.gluedBefore }
        if pendingBreak, tokens.count >= TextScan.flushThreshold { flush() }
        pendingBreak = false
        pendingGlue = hyphenAfter
        let last: UInt8 = hyphenAfter ? (TokenFlag.gluedAfter | TokenFlag.hyphenAfter) : 0

        guard length > 0 else {
            tokens.append(Token(word: -1, flags: first | last, start: start, end: end))
            return
        }
        let entry = lookup(0, length)
        if entry >= 0 {
            let w1 = entryWord1[entry]
            let flags = spellingFlags(entry: entry, from: 0, to: length, textStart: start)
            if w1 < 0 {
                tokens.append(Token(word: entryWord0[entry], flags: first | flags | last, start: start, end: end))
            } else {
                tokens.append(Token(word: entryWord0[entry], flags: first | TokenFlag.gluedAfter, start: start, end: end))
                tokens.append(Token(word: w1, flags: TokenFlag.gluedBefore | last, start: start, end: end))
            }
            return
        }
        if apostrophe > 0 {
            // "didn't" → did + not; "they'd" → they + 'd; "Tom's" → Tom + 's.
            var baseEnd = apostrophe
            var second: Int32 = -1
            let suffixLength = length - apostrophe - 1
            if suffixLength == 1, scratch[length - 1] == 0x74, scratch[apostrophe - 1] == 0x6E, apostrophe > 1 {
                baseEnd = apostrophe - 1
                second = program.notWord
            } else if let word = suffixWord(apostrophe + 1, length) {
                second = word
            }
            if second >= 0 {
                let baseEntry = lookup(0, baseEnd)
                let flags = spellingFlags(entry: baseEntry, from: 0, to: baseEnd, textStart: start)
                let word = baseEntry >= 0 ? entryWord0[baseEntry] : -1
                tokens.append(Token(word: word, flags: first | flags | TokenFlag.gluedAfter, start: start, end: end))
                tokens.append(Token(word: second, flags: TokenFlag.gluedBefore | last, start: start, end: end))
                return
            }
        }
        let flags = spellingFlags(entry: -1, from: 0, to: length, textStart: start)
        tokens.append(Token(word: -1, flags: first | flags | last, start: start, end: end))
    }

    private func suffixWord(_ from: Int, _ to: Int) -> Int32? {
        let l = to - from
        let a = scratch[from]
        switch l {
        case 1:
            switch a {
            case 0x73: return program.suffixWords["s"]
            case 0x64: return program.suffixWords["d"]
            case 0x6D: return program.suffixWords["m"]
            default: return nil
            }
        case 2:
            let b = scratch[from + 1]
            if a == 0x76, b == 0x65 { return program.suffixWords["ve"] }
            if a == 0x6C, b == 0x6C { return program.suffixWords["ll"] }
            if a == 0x72, b == 0x65 { return program.suffixWords["re"] }
            return nil
        default:
            return nil
        }
    }

    // MARK: Matching

    /// Runs the automaton from every token that can start a pattern.
    private mutating func flush() {
        let count = tokens.count
        guard count > 0 else { return }
        for s in 0..<count {
            let t = tokens[s]
            if t.flags & TokenFlag.gluedBefore != 0 { continue }
            if (t.word >= 0 && canStart[Int(t.word)]) || t.flags & startFlags != 0 {
                walk(root, s, s)
            }
        }
        tokens.removeAll(keepingCapacity: true)
    }

    private mutating func walk(_ node: Int32, _ pos: Int, _ start: Int) {
        let nd = Int(node)
        if pos > start, !terminals[nd].isEmpty, tokens[pos - 1].flags & TokenFlag.gluedAfter == 0 {
            for terminal in terminals[nd] {
                hits.append(Hit(terminal: terminal, start: tokens[start].start, end: tokens[pos - 1].end))
            }
        }
        guard pos < tokens.count else { return }
        let t = tokens[pos]
        if pos > start, t.flags & TokenFlag.breakBefore != 0 { return }

        if t.word >= 0 {
            let child = node == root ? rootLiteral[Int(t.word)] : (literal[nd][t.word] ?? -1)
            if child >= 0 { walk(child, pos + 1, start) }
        }
        let nameChild = nameEdge[nd]
        if nameChild >= 0, t.flags & TokenFlag.name != 0 {
            var q = pos + 1
            walk(nameChild, q, start)
            while q < tokens.count, q - pos < 4, tokens[q].flags & TokenFlag.name != 0, tokens[q].flags & TokenFlag.breakBefore == 0 {
                q += 1
                walk(nameChild, q, start)
            }
        }
        let participleChild = participleEdge[nd]
        if participleChild >= 0, let q = participleEnd(pos) {
            walk(participleChild, q, start)
        }
        let anyChild = anyEdge[nd]
        if anyChild >= 0 { walk(anyChild, pos + 1, start) }
        let gapChild = gapEdge[nd]
        if gapChild >= 0 {
            var q = pos
            while true {
                walk(gapChild, q, start)
                if q >= tokens.count || q - pos >= PatternGap.maxWords { break }
                if q + 1 < tokens.count, tokens[q + 1].flags & TokenFlag.breakBefore != 0 { break }
                q += 1
            }
        }
        for k in 0..<subRoots.count {
            let child = subEdge[k][nd]
            guard child >= 0 else { continue }
            let base = ends.count
            subWalk(subRoots[k], pos, pos)
            var e = base
            while e < ends.count {
                let end = ends[e]
                // Several paths can reach the same end; follow each end once.
                var seen = false
                for f in base..<e where ends[f] == end { seen = true; break }
                if !seen { walk(child, end, start) }
                e += 1
            }
            ends.removeSubrange(base...)
        }
    }

    /// The end of a participle at `pos`, taking a hyphenated compound as one
    /// word ("double-checked").
    @inline(__always) private func participleEnd(_ pos: Int) -> Int? {
        var q = pos
        while tokens[q].flags & TokenFlag.hyphenAfter != 0, q + 1 < tokens.count { q += 1 }
        return tokens[q].flags & TokenFlag.participle != 0 ? q + 1 : nil
    }

    /// Walks a class automaton, collecting where its phrases end.
    private mutating func subWalk(_ node: Int32, _ pos: Int, _ start: Int) {
        let nd = Int(node)
        if pos > start, !terminals[nd].isEmpty {
            ends.append(pos)
        }
        guard pos < tokens.count else { return }
        let t = tokens[pos]
        if pos > start, t.flags & TokenFlag.breakBefore != 0 { return }
        if t.word >= 0, let child = literal[nd][t.word] { subWalk(child, pos + 1, start) }
        let nameChild = nameEdge[nd]
        if nameChild >= 0, t.flags & TokenFlag.name != 0 {
            var q = pos + 1
            subWalk(nameChild, q, start)
            while q < tokens.count, q - pos < 4, tokens[q].flags & TokenFlag.name != 0, tokens[q].flags & TokenFlag.breakBefore == 0 {
                q += 1
                subWalk(nameChild, q, start)
            }
        }
        let anyChild = anyEdge[nd]
        if anyChild >= 0 { subWalk(anyChild, pos + 1, start) }
    }
}
