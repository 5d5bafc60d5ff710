import Foundation

/// One labelled sentence of an evaluation corpus.
public struct EvaluationCase: Sendable, Equatable, Codable {
    public var sentence: String
    /// Every category the sentence should be flagged for; empty for a clean
    /// sentence.
    public var categories: Set<String>

    public init(sentence: String, categories: Set<String>) {
        self.sentence = sentence
        self.categories = categories
    }
}

/// Precision and recall for one category (or, as `overall`, for all of them
/// together, micro-averaged).
public struct CategoryScore: Sendable, Equatable {
    public var category: String
    public var truePositives: Int
    public var falsePositives: Int
    public var falseNegatives: Int

    public init(category: String, truePositives: Int, falsePositives: Int, falseNegatives: Int) {
        self.category = category
        self.truePositives = truePositives
        self.falsePositives = falsePositives
        self.falseNegatives = falseNegatives
    }

    /// Of the flags raised, the share that were right; 1 when nothing was
    /// flagged (no flag was wrong).
    public var precision: Double {
        let flagged = truePositives + falsePositives
        return flagged == 0 ? 1 : Double(truePositives) / Double(flagged)
    }

    /// Of the flags expected, the share that were raised; 1 when none were
    /// expected.
    public var recall: Double {
        let expected = truePositives + falseNegatives
        return expected == 0 ? 1 : Double(truePositives) / Double(expected)
    }
}

/// A sentence where the checker and the corpus disagree about one category,
/// kept so that rule authors can see what to fix.
public struct EvaluationMiss: Sendable, Equatable {
    public var sentence: String
    public var category: String
    /// For a false positive, the words that were flagged; empty for a false
    /// negative.
    public var matchedText: [String]

    public init(sentence: String, category: String, matchedText: [String] = []) {
        self.sentence = sentence
        self.category = category
        self.matchedText = matchedText
    }
}

public struct EvaluationReport: Sendable, Equatable {
    /// One score per category seen in the corpus or in the findings, by name.
    public var perCategory: [CategoryScore]
    /// All categories together (micro-average), category "overall".
    public var overall: CategoryScore
    /// Flagged, but the corpus says the category does not apply.
    public var falsePositives: [EvaluationMiss]
    /// Expected by the corpus, but not flagged.
    public var falseNegatives: [EvaluationMiss]
    public var sentenceCount: Int

    public init(perCategory: [CategoryScore], overall: CategoryScore, falsePositives: [EvaluationMiss], falseNegatives: [EvaluationMiss], sentenceCount: Int) {
        self.perCategory = perCategory
        self.overall = overall
        self.falsePositives = falsePositives
        self.falseNegatives = falseNegatives
        self.sentenceCount = sentenceCount
    }
}

/// Measures a checker against a labelled corpus.
///
/// Scoring is per (sentence, category): the prediction for a sentence is the
/// set of categories of its findings, however many findings there are. That
/// matches how a writer experiences the checker (is this sentence flagged
/// for blame?) and does not reward a rule for firing twice.
public enum LanguageEvaluation {
    public static func run(_ checker: LanguageChecker, cases: [EvaluationCase], options: CheckOptions = .default) -> EvaluationReport {
        var tp: [String: Int] = [:], fp: [String: Int] = [:], fn: [String: Int] = [:]
        var falsePositives: [EvaluationMiss] = []
        var falseNegatives: [EvaluationMiss] = []
        var categories: Set<String> = []
        for c in cases {
            let findings = checker.check(c.sentence, options: options)
            let predicted = Set(findings.map(\.category))
            categories.formUnion(predicted)
            categories.formUnion(c.categories)
            for category in predicted.union(c.categories).sorted() {
                switch (predicted.contains(category), c.categories.contains(category)) {
                case (true, true):
                    tp[category, default: 0] += 1
                case (true, false):
                    fp[category, default: 0] += 1
                    let words = findings.filter { $0.category == category }.map(\.matchedText)
                    falsePositives.append(EvaluationMiss(sentence: c.sentence, category: category, matchedText: words))
                case (false, true):
                    fn[category, default: 0] += 1
                    falseNegatives.append(EvaluationMiss(sentence: c.sentence, category: category))
                case (false, false):
                    break
                }
            }
        }
        let scores = categories.sorted().map {
            CategoryScore(category: $0, truePositives: tp[$0] ?? 0, falsePositives: fp[$0] ?? 0, falseNegatives: fn[$0] ?? 0)
        }
        let overall = CategoryScore(
            category: "overall",
            truePositives: scores.reduce(0) { $0 + $1.truePositives },
            falsePositives: scores.reduce(0) { $0 + $1.falsePositives },
            falseNegatives: scores.reduce(0) { $0 + $1.falseNegatives }
        )
        return EvaluationReport(perCategory: scores, overall: overall, falsePositives: falsePositives, falseNegatives: falseNegatives, sentenceCount: cases.count)
    }

    /// Reads a JSON-lines corpus: one `{"sentence": …, "categories": [...]}`
    /// per line; blank lines are skipped. Errors name the line.
    public static func parseCorpus(_ text: String) throws(EvaluationCorpusError) -> [EvaluationCase] {
        struct Row: Decodable { var sentence: String; var categories: [String] }
        var cases: [EvaluationCase] = []
        let decoder = JSONDecoder()
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { continue }
            do {
                let row = try decoder.decode(Row.self, from: Data(trimmed.utf8))
                cases.append(EvaluationCase(sentence: row.sentence, categories: Set(row.categories)))
            } catch {
                throw EvaluationCorpusError(line: index + 1, message: "expected {\"sentence\": \"…\", \"categories\": [\"…\"]}")
            }
        }
        return cases
    }
}

/// A corpus line that cannot be read.
public struct EvaluationCorpusError: Error, Equatable, Sendable, CustomStringConvertible {
    public var line: Int
    public var message: String

    public init(line: Int, message: String) {
        self.line = line
        self.message = message
    }

    public var description: String { "line \(line): \(message)" }
}
