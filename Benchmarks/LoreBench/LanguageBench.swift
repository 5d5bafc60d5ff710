import Foundation
import LoreCore
import LoreImport

/// The language checker on a 100 KB review and a 10 MB corpus, against a
/// newline-counting byte scan of the same text (and proselint when present).
func languageBench(corpusPath: String) throws {
    guard let corpusText = try? String(contentsOfFile: corpusPath, encoding: .utf8) else {
        FileHandle.standardError.write(Data("LoreBench: cannot read \(corpusPath); run from the repository root or pass the corpus path.\n".utf8))
        exit(2)
    }
    let sentences = corpusText.split(separator: "\n").compactMap { line -> String? in
        ((try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any])?["sentence"] as? String
    }

    /// Review-like text: headings, paragraphs of corpus sentences, a code block
    /// and a quote now and then, deterministic.
    func makeText(bytes: Int) -> String {
        var out = ""
        var rng: UInt64 = 0x9E3779B97F4A7C15
        func next() -> Int { rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17; return Int(rng % UInt64(sentences.count)) }
        var section = 0
        while out.utf8.count < bytes {
            section += 1
            out += "## Section \(section)\n\n"
            for _ in 0..<6 {
                out += (0..<5).map { _ in sentences[next()] }.joined(separator: " ") + "\n\n"
            }
            if section % 4 == 0 { out += "```\nkubectl rollout undo deployment/checkout\n```\n\n> “\(sentences[next()])”\n\n" }
        }
        return out
    }

    let review = makeText(bytes: 100 * 1024)
    let big = makeText(bytes: 10 * 1024 * 1024)
    let names = ["Priya", "Tom", "Alex", "Jordan", "Maria", "Chen", "Sam", "Fatima", "Lukas", "Aisha"]
    let checker = try LanguageChecker(rules: try LanguageRuleFile.defaultRules(), knownNames: names)

    // Baseline: one pass over the same bytes counting newlines, the least any
    // checker has to do.
    let baseline = best(5) {
        var text = opaque(big)
        text.withUTF8 { bytes in
            var n = 0
            for b in bytes where b == 10 { n &+= 1 }
            consume(n)
        }
    }
    _ = checker.check(review)
    let reviewTime = best(20) { consume(checker.check(opaque(review)).count) }
    let bigTime = best(3) { consume(checker.check(opaque(big)).count) }
    let mb = Double(big.utf8.count) / 1_048_576
    print(String(format: "100 KB review:   %.2f ms   (%d findings)", reviewTime * 1000, checker.check(review).count))
    print(String(format: "10 MB corpus:    %.1f MB/s  (%.3f s)", mb / bigTime, bigTime))
    print(String(format: "byte-scan baseline (count newlines, same text, same run): %.0f MB/s; Lore takes %.1f× its time", mb / baseline, bigTime / baseline))

    // proselint on the same 100 KB, if present.
    let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("lore-bench-review.md")
    try review.write(to: tmp, atomically: true, encoding: .utf8)
    let which = Process()
    which.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    which.arguments = ["proselint", "version"]
    which.standardOutput = FileHandle.nullDevice
    which.standardError = FileHandle.nullDevice
    if (try? which.run()) != nil, ({ which.waitUntilExit(); return which.terminationStatus == 0 })() {
        let proselint = best(3) {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = ["proselint", "check", tmp.path]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try? p.run()
            p.waitUntilExit()
        }
        print(String(format: "proselint on the same 100 KB: %.0f ms; Lore is %.0f× faster", proselint * 1000, proselint / reviewTime))
    } else {
        print("proselint not installed (pip install proselint); skipped the comparison")
    }
    print(benchSink == 42 ? "" : "", terminator: "")
}
