import Foundation
import LoreCore

/// The Markdown renderer on inputs built to provoke quadratic work (nested
/// emphasis, brackets, block quotes, unclosed runs, and output amplification:
/// wide tables, reused references) and on ordinary text,
/// at 100 KB and 1 MB, against escaping the same text as HTML in the same
/// run (a linear pass any renderer must at least make). Rendering is linear
/// when 1 MB takes about ten times 100 KB; a quadratic path would take a
/// hundred.
///
/// The ordinary text is the CommonMark specification's own examples, as
/// written by its authors (the fixture in Tests/Fixtures/commonmark), one
/// after another.
func markdownBench() {
    func sized(_ unit: String, bytes: Int) -> String { String(repeating: unit, count: max(1, bytes / unit.utf8.count)) }
    func nested(_ open: String, _ middle: String, _ close: String, bytes: Int) -> String {
        let depth = bytes / (open.utf8.count + close.utf8.count) / 2
        return String(repeating: open, count: depth) + middle + String(repeating: close, count: depth)
    }
    let specExamples: String = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Tests/Fixtures/commonmark/spec-0.31.2.json")
        struct Example: Decodable { var markdown: String }
        guard let data = try? Data(contentsOf: url), let examples = try? JSONDecoder().decode([Example].self, from: data) else { return "" }
        return examples.map(\.markdown).joined(separator: "\n")
    }()
    let cases: [(String, (Int) -> String)] = [
        ("ordinary: spec examples", { bytes in String(String(repeating: specExamples + "\n", count: bytes / max(1, specExamples.utf8.count) + 1).utf8.prefix(bytes))! }),
        ("ordinary: review prose", { sized("## Impact\n\nCheckout **failed** for *12 minutes*; see [the runbook](https://wiki.example/rb) and `orders-db`.\n\n- one\n- two\n\n| a | b |\n|---|:-:|\n| 1 | 2 |\n\n", bytes: $0) }),
        ("nested emphasis", { sized("*a **a ", bytes: $0) }),
        ("nested brackets", { nested("[", "a", "]", bytes: $0) }),
        ("unclosed brackets", { sized("[", bytes: $0) }),
        ("nested quotes", { sized("> ", bytes: $0 - 1) + "a" }),
        ("stars", { sized("*a", bytes: $0) }), ("underscores", { sized("_a_b", bytes: $0) }),
        ("backticks", { bytes in var s = "", n = 1; while s.utf8.count < bytes { s += String(repeating: "`", count: n % 400 + 1) + "x"; n += 1 }; return s }),
        ("less-thans", { sized("<a", bytes: $0) }), ("nested lists", { sized("- ", bytes: $0) }),
        ("link openers", { sized("[a](", bytes: $0) }), ("titles", { sized("[a](b \"", bytes: $0) }),
        ("bare URLs", { sized("https://a.example/(", bytes: $0) }), ("entities", { sized("&amp;&#x41;&bogus;&", bytes: $0) }),
        // Amplification shapes (see Tests/LoreCoreTests/MarkdownAmplificationTests.swift).
        // Wide table: one column per 10 bytes over one-cell rows; padding is budgeted.
        ("wide table, short rows", { bytes in
            let columns = bytes / 10
            return String(repeating: "|a", count: columns) + "\n" + String(repeating: "|-", count: columns) + "\n"
                + sized("x\n", bytes: bytes - 4 * columns)
        }),
        // One long reference used again and again; expansions are budgeted.
        ("reused long reference", { "[x]: /" + String(repeating: "a", count: $0 / 2) + "\n\n" + sized("[x]", bytes: $0 / 2) }),
        ("unclosed ( titles", { sized("[a](b (", bytes: $0 - 1) + ")" }),
        ("delimiter-row lookalikes", { "x\n" + sized("|-|-\n|-\n", bytes: $0 - 2) }),
    ]
    func escape(_ s: String) -> Int {
        var n = 0
        for b in s.utf8 { n &+= (b == 0x3C || b == 0x3E || b == 0x26 || b == 0x22) ? 4 : 1 }
        return n
    }
    print("input                      100 KB ms   1 MB ms   1 MB/100 KB   MB/s at 1 MB   × escape at 1 MB")
    for (name, make) in cases {
        let small = make(100_000), large = make(1_000_000)
        let renderSmall = best(3) { consume(Markdown.html(opaque(small)).utf8.count) }
        let renderLarge = best(2) { consume(Markdown.html(opaque(large)).utf8.count) }
        let escapeLarge = best(3) { consume(escape(opaque(large))) }
        let mb = Double(large.utf8.count) / 1e6
        print(name.padding(toLength: 25, withPad: " ", startingAt: 0) + String(format: "  %9.2f  %8.1f  %12.1f  %13.1f  %16.0f", renderSmall * 1000, renderLarge * 1000,
                     renderLarge / renderSmall, mb / renderLarge, renderLarge / escapeLarge))
    }
    // Keeps every result alive, so the optimiser cannot drop the work.
    print("(\(benchSink) bytes written)")
}
