// Limits shared by the YAML readers (catalog and language rules).

import Foundation
import Yams

enum YAMLLines {
    /// The number of the last line of `text` as libyaml numbers lines (its
    /// breaks are LF, CR LF, CR, NEL, LS and PS), not counting the empty
    /// line after a final break; at least 1. An error at the end of the file
    /// is reported by libyaml on the line after it.
    static func last(in text: String) -> Int {
        var breaks = 0
        var endsWithBreak = false
        var previousCR = false
        for u in text.unicodeScalars {
            switch u {
            case "\n":
                if !previousCR { breaks += 1 }
                endsWithBreak = true
            case "\r", "\u{85}", "\u{2028}", "\u{2029}":
                breaks += 1
                endsWithBreak = true
            default:
                endsWithBreak = false
            }
            previousCR = u == "\r"
        }
        return max(1, endsWithBreak ? breaks : breaks + 1)
    }
}

/// How much a YAML file's aliases stand for, sized before the real parse.
///
/// Yams resolves an alias (`*name`) to the very node its anchor (`&name`)
/// names, so a few lines of aliases of aliases stand for exponentially many
/// nodes ("billion laughs"). Yams hashes every node of a mapping key, and the
/// readers walk (and report problems in) what aliases stand for: each line of
/// `aN: &aN [*aN-1, ×10]` made the parse five to ten times slower, so a file
/// of well under a kilobyte could keep Lore busy for days. The sizing works on
/// a copy of the text in which every `*` is a `;`: a plain scalar cannot start
/// with `*`, and `;` is allowed wherever `*` is, so in the copy each alias is a
/// plain scalar starting with `;`, there are no aliases (the copy parses in
/// linear time), and lines and offsets are those of the text.
enum YAMLAliasLimit {
    /// The most that all the aliases of a file together may stand for: one
    /// per node plus the UTF-8 bytes of each scalar, roughly the characters
    /// of YAML that writing them out would take. An alias inside a mapping key
    /// counts once more for each key it is in, since Yams hashes keys whole.
    static let limit = 100_000

    /// The alias that takes the total over `limit` (its line and name), or
    /// nil. Throws what Yams throws for the copy: the syntax errors of the
    /// text, on the same lines.
    static func aliasOverLimit(in text: String) throws -> (line: Int?, name: String)? {
        guard text.utf8.contains(UInt8(ascii: "*")) else { return nil }
        let copy = String(decoding: text.utf8.map { $0 == UInt8(ascii: "*") ? UInt8(ascii: ";") : $0 }, as: UTF8.self)
        // What Yams.compose does, keeping the parser: nodes hold their anchors
        // weakly, and the parser holds them.
        let parser = try Yams.Parser(yaml: copy)
        guard let root = try parser.singleRoot() else { return nil }
        return withExtendedLifetime(parser) {
            var sizer = Sizer()
            _ = sizer.size(root, keyDepth: 0)
            return sizer.over
        }
    }

    static func message(_ name: String) -> String {
        "the alias *\(name) goes over the limit for aliases: with it, the aliases in the file stand for more than \(limit) characters; write the values out, or use fewer aliases"
    }

    private struct Sizer {
        /// The size of each anchored node so far, by anchor: as in Yams, an
        /// anchor counts once its node is complete, and a later one with the
        /// same name replaces it.
        var anchors: [String: Int] = [:]
        var total = 0
        var over: (line: Int?, name: String)?

        /// The size of `node` with its aliases written out; adds what its
        /// aliases stand for to `total`, and stops at the first one over the limit.
        mutating func size(_ node: Node, keyDepth: Int) -> Int {
            if over != nil { return 0 }
            var size = 1
            switch node {
            case .scalar(let scalar):
                let bytes = scalar.string.utf8
                if scalar.style == .plain, bytes.first == UInt8(ascii: ";") {
                    // An alias (or text that starts with ";": counted too if it
                    // names an anchor, which only overestimates). libyaml's
                    // anchor names are ASCII letters, digits, "_" and "-".
                    let name = String(decoding: bytes.dropFirst().prefix { b in
                        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || b == 0x2D
                    }, as: UTF8.self)
                    if let anchored = anchors[name] {
                        total += anchored * (keyDepth + 1)
                        if total > limit {
                            over = (scalar.mark?.line, name)
                            return 0
                        }
                        return anchored
                    }
                }
                size += bytes.count
            case .mapping(let mapping):
                for (key, value) in mapping {
                    size += self.size(key, keyDepth: keyDepth + 1)
                    size += self.size(value, keyDepth: keyDepth)
                }
            case .sequence(let sequence):
                for element in sequence { size += self.size(element, keyDepth: keyDepth) }
            case .alias:
                break
            }
            if let anchor = node.anchor { anchors[anchor.rawValue] = size }
            return size
        }
    }
}
