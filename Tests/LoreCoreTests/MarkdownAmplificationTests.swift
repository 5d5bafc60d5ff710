import LoreCore
import Testing

// Inputs shaped to make the renderer's output (or work) grow faster than the
// input. Each is rendered at two sizes four times apart, and the tests check
// OUTPUT SIZE only, never time, so they are deterministic on any machine:
//
// - output(4n) <= 4.5 × output(n): the output grows at most linearly;
// - output <= k × input (+ a stated floor): the constant is bounded.
//
// A and B (and the extra shapes) blew up the output itself: before the fix
// A at 20 KB wrote 120 MB and B at 20 KB 16.5 MB. C and D were quadratic in
// time with linear output, so here they only pin the output to linear; the
// time side is measured by Benchmarks/LoreBench/MarkdownBench.swift, whose
// 1 MB / 100 KB column must stay near 10.

/// One amplification shape: its input at about `bytes` bytes, and the bound
/// `output <= perByte × input + floor` it must stay under.
struct AmplificationShape: Sendable, CustomTestStringConvertible {
    let name: String
    let make: @Sendable (Int) -> String
    let perByte: Int
    var floor = 0
    /// The two sizes, four times apart. The table shapes use smaller ones so
    /// that a regression (output rows × columns) still finishes in seconds.
    var sizes = (10_000, 40_000)

    var testDescription: String { name }
}

private func repeated(_ unit: String, bytes: Int) -> String {
    String(repeating: unit, count: max(1, bytes / unit.utf8.count))
}

/// A wide header (one column per 10 input bytes) over one-cell body rows.
private func wideTable(_ bytes: Int, delimiter: String) -> String {
    let columns = max(1, bytes / 10)
    return String(repeating: "|a", count: columns) + "\n" + String(repeating: delimiter, count: columns) + "\n"
        + repeated("x\n", bytes: bytes - (2 + delimiter.utf8.count) * columns)
}

private let amplificationShapes: [AmplificationShape] = [
    // A. Short rows padded to the header's width. Padding is budgeted at one
    // empty cell per input byte; each is `<td></td>\n` (10 bytes), and the
    // header writes `<th>a</th>\n` per two input bytes: about 18 per byte.
    AmplificationShape(name: "A: wide table, one-cell rows", make: { wideTable($0, delimiter: "|-") }, perByte: 20,
                       sizes: (5_000, 20_000)),
    // B. One long reference used again and again. Expansions stop after
    // max(input, 100 KB) bytes of destination; the rest is `[x]` as text.
    AmplificationShape(name: "B: long reference reused",
                       make: { "[x]: /" + String(repeating: "a", count: $0 / 2) + "\n\n" + repeated("[x]", bytes: $0 / 2) },
                       perByte: 3, floor: 200_000),
    // C. Parenthesised titles that never close until the very end.
    AmplificationShape(name: "C: unclosed ( titles", make: { repeated("[a](b (", bytes: $0) + ")" }, perByte: 3),
    // D. Lines that each look like a delimiter row under the one before.
    AmplificationShape(name: "D: delimiter-row lookalikes", make: { "x\n" + repeated("|-|-\n|-\n", bytes: $0) }, perByte: 3),
    // The review's other shapes: a centred wide table (the longest padded
    // cell, `<td align="center"></td>\n`, is 26 bytes, plus each one-cell
    // row's own markup: about 35 per byte), a reference with a long title
    // instead of a long URL, and an image reference.
    AmplificationShape(name: "A': wide table, centred columns", make: { wideTable($0, delimiter: "|:-:") }, perByte: 40,
                       sizes: (5_000, 20_000)),
    AmplificationShape(name: "B': long reference title reused",
                       make: { "[x]: / \"" + String(repeating: "t", count: $0 / 2) + "\"\n\n" + repeated("[x]", bytes: $0 / 2) },
                       perByte: 3, floor: 200_000),
    AmplificationShape(name: "B'': long image reference reused",
                       make: { "[x]: /" + String(repeating: "a", count: $0 / 2) + "\n\n" + repeated("![x]", bytes: $0 / 2) },
                       perByte: 3, floor: 200_000),
]

@Test(arguments: amplificationShapes)
func markdownOutputGrowsLinearly(_ shape: AmplificationShape) {
    let small = shape.make(shape.sizes.0), large = shape.make(shape.sizes.1)
    let smallOut = Markdown.html(small).utf8.count, largeOut = Markdown.html(large).utf8.count
    #expect(Double(largeOut) <= 4.5 * Double(smallOut), "\(shape.name): \(smallOut) -> \(largeOut) bytes")
    for (input, output) in [(small, smallOut), (large, largeOut)] {
        #expect(output <= shape.perByte * input.utf8.count + shape.floor,
                "\(shape.name): \(input.utf8.count) bytes in, \(output) out")
    }
}

/// Padding is what GitHub does, and ordinary tables keep it; only past the
/// budget do short rows keep just the cells they have.
@Test func shortTableRowsArePaddedUntilTheBudgetIsSpent() {
    #expect(Markdown.html("|a|b|c|\n|-|-|-|\n|x|\n").contains("<td>x</td>\n<td></td>\n<td></td>\n</tr>"))
    // Compared in parts: on a regression the whole output is 120 MB, too
    // much for a failure message.
    let html = Markdown.html(wideTable(20_000, delimiter: "|-"))
    #expect(html.contains("<tr>\n<td>x</td>\n<td></td>"))  // early rows padded
    #expect(String(html.suffix(100)).hasSuffix("<tr>\n<td>x</td>\n</tr>\n</tbody>\n</table>"))  // late rows not
}

/// Past the budget a reference is text, brackets and all; before it, a link.
@Test func referencesPastTheBudgetAreText() {
    let html = Markdown.html("[x]: /" + String(repeating: "a", count: 60_000) + "\n\n" + repeated("[x] ", bytes: 4_000))
    #expect(String(html.prefix(100)).hasPrefix("<p><a href=\"/aaa"))
    #expect(String(html.suffix(100)).hasSuffix("[x] [x] [x]</p>"))
    #expect(Markdown.html("[x]: /u\n\n[x] [x] [x]") == "<p><a href=\"/u\" rel=\"nofollow noopener\">x</a> "
        + "<a href=\"/u\" rel=\"nofollow noopener\">x</a> <a href=\"/u\" rel=\"nofollow noopener\">x</a></p>")
}

// CommonMarkSpecTests turns every `&#39;` in the output back into `'` before
// comparing, so the spec run cannot notice if `'` stops being escaped. These
// pin the escape down where the normalisation does not reach.

@Test func apostropheInTextIsEscaped() {
    let html = Markdown.html("it's")
    #expect(html.contains("it&#39;s"))
    #expect(!html.contains("'"))
}

@Test func apostropheInLinkTitleIsEscaped() {
    for input in ["[a](/u \"it's\")", "[a](/u (it's))", "[a]\n\n[a]: /u \"it's\""] {
        let html = Markdown.html(input)
        #expect(html.contains(" title=\"it&#39;s\""), "\(input) -> \(html)")
        #expect(!html.contains("'"), "\(input) -> \(html)")
    }
}
