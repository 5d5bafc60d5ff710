// Shared by the YAML targets (catalog-yaml, rules-yaml): where a reader's
// problems may point.

/// The last line of `text`, with line breaks as libyaml counts them (LF,
/// CR LF, CR, NEL, LS, PS) or as `Character.isNewline` does, whichever gives
/// more; an empty line after a final break does not count.
func lastLine(_ text: String) -> Int {
    var yaml = 0, yamlEndsWithBreak = false, previousCR = false
    for u in text.unicodeScalars {
        switch u {
        case "\n":
            if !previousCR { yaml += 1 }
            yamlEndsWithBreak = true
        case "\r", "\u{85}", "\u{2028}", "\u{2029}":
            yaml += 1
            yamlEndsWithBreak = true
        default:
            yamlEndsWithBreak = false
        }
        previousCR = u == "\r"
    }
    var characters = 0, charactersEndWithBreak = false
    for c in text {
        if c.isNewline { characters += 1 }
        charactersEndWithBreak = c.isNewline
    }
    return max(1, yamlEndsWithBreak ? yaml : yaml + 1, charactersEndWithBreak ? characters : characters + 1)
}

/// A rejected file has at least one problem, and each problem with a line
/// names a line of the file.
func checkProblemLines(_ problems: [(line: Int?, message: String)], in text: String) {
    if problems.isEmpty { fatalError("rejected with no problem: \(text.debugDescription)") }
    let lines = lastLine(text)
    for problem in problems {
        if let line = problem.line, !(1...lines).contains(line) {
            fatalError("problem on line \(line) of a \(lines)-line file: \(problem.message.debugDescription) for \(text.debugDescription)")
        }
    }
}
