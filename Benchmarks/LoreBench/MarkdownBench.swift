import Foundation
import LoreCore

/// The Markdown renderer on 100 KB inputs built to provoke quadratic work
/// (the cases a unit test used to time), against escaping the same text as
/// HTML in the same run: a linear pass any renderer must at least make. A
/// ratio that grows with the input's size would show a quadratic path.
func markdownBench() {
    func repeated(_ unit: String, bytes: Int = 100_000) -> String { String(repeating: unit, count: bytes / unit.utf8.count) }
    let cases: [(String, String)] = [
        ("brackets", repeated("[")), ("stars", repeated("*a")), ("backticks", (1...400).map { String(repeating: "`", count: $0) + "x" }.joined()),
        ("lessThans", repeated("<a")), ("quotes", repeated(">")), ("lists", repeated("- ")), ("underscores", repeated("_a_b")),
        ("parens", "[x](" + repeated("(")), ("titles", repeated("[a](b \"")), ("urls", repeated("https://a.example/(")),
        ("mixed", repeated("**[x](https://a.example) `c` _e_ <b> \\* ")),
    ]
    var sink = 0
    print("input (100 KB)   render ms   escape ms   ratio   ratio at 400 KB")
    for (name, input) in cases {
        let bigger = String(repeating: input, count: 4)
        func escape(_ s: String) -> Int {
            var n = 0
            for b in s.utf8 { n &+= (b == 0x3C || b == 0x3E || b == 0x26 || b == 0x22) ? 4 : 1 }
            return n
        }
        let render = best(5) { sink &+= Markdown.html(input).utf8.count }
        let base = best(5) { sink &+= escape(input) }
        let render4 = best(3) { sink &+= Markdown.html(bigger).utf8.count }
        let base4 = best(3) { sink &+= escape(bigger) }
        print(String(format: "%-14@   %8.2f   %9.3f   %5.0f×   %5.0f×", name as NSString, render * 1000, base * 1000, render / base, render4 / base4))
    }
    if sink == 42 { print("") }
}
