import Foundation

/// "Seen before": earlier incidents that look like this one, each with the
/// reason in words, so the responder paged tonight finds what was learned the
/// last time the same service broke the same way. The store finds candidates
/// (incidents of the same services, incidents whose titles share words or
/// whose labels match); this rule decides which are related and in what
/// order, so the page, the API and the benchmark agree.
public enum RelatedIncidents {
    /// What the rule needs to know about an incident.
    public struct Facts: Sendable, Equatable {
        public var id: UUID
        public var number: Int
        public var title: String
        public var customerImpact: String
        public var services: [String]
        public var labels: [String]
        public var detectionSource: String
        /// When it happened (impact started, else detected, else recorded).
        public var happenedAt: Date

        public init(id: UUID, number: Int, title: String, customerImpact: String = "", services: [String], labels: [String],
                    detectionSource: String, happenedAt: Date) {
            self.id = id
            self.number = number
            self.title = title
            self.customerImpact = customerImpact
            self.services = services
            self.labels = labels
            self.detectionSource = detectionSource
            self.happenedAt = happenedAt
        }

        public init(_ incident: Incident) {
            self.init(id: incident.id, number: incident.number, title: incident.title, customerImpact: incident.customerImpact,
                      services: incident.services, labels: incident.labels, detectionSource: incident.detectionSource,
                      happenedAt: incident.times.impactStartedAt ?? incident.times.detectedAt ?? incident.createdAt)
        }
    }

    /// How many related incidents a page shows.
    public static let shown = 5

    /// Detection sources too generic to be a reason on their own or together.
    static let vagueSources: Set<String> = ["", "other", "unknown"]

    /// The words of `text` worth matching on: lower-cased runs of letters and
    /// digits, without English function words and the words every incident
    /// title uses ("error", "outage", "incident"). Tokens with a digit are
    /// kept at any length (`503`, `v2`); others need three letters. The same
    /// split as the search index (letters and digits), so a word found there
    /// is a word named here.
    public static func distinctiveWords(_ text: String) -> [String] {
        var seen = Set<String>(), out: [String] = []
        for w in IndexedText.tokens(text) where isDistinctive(w) && seen.insert(w).inserted { out.append(w) }
        return out
    }


    static func isDistinctive(_ w: String) -> Bool {
        if stopWords.contains(w) { return false }
        return w.contains(where: \.isNumber) ? !w.allSatisfy({ $0 == "0" }) : w.count >= 3
    }

    /// Ranks `candidates` as "seen before" for `subject`: only incidents that
    /// happened before it, and only with a reason a person would accept — a
    /// shared service, a shared label, or at least two shared distinctive
    /// words (one common word is a coincidence). The same detection source
    /// adds weight but is never a reason alone. Most relevant first, the
    /// more recent first among equals.
    public static func rank(_ subject: Facts, among candidates: [Facts], limit: Int = shown) -> [RelatedIncident] {
        let subjectWords = IndexedText.tokens(subject.title + " " + subject.customerImpact)
        let subjectServices = Set(subject.services), subjectLabels = Set(subject.labels.map { $0.lowercased() })
        var out: [RelatedIncident] = []
        for c in candidates where c.id != subject.id && c.happenedAt < subject.happenedAt {
            let services = c.services.filter { subjectServices.contains($0) }
            let labels = c.labels.filter { subjectLabels.contains($0.lowercased()) }
            let mentions = sharedMentions(subjectWords, IndexedText.tokens(c.title + " " + c.customerImpact))
            let wordCount = wordCount(mentions)
            var score = 3 * services.count + 2 * labels.count + (wordCount >= 2 ? wordCount : 0)
            guard score > 0 else { continue }
            let sameSource = !vagueSources.contains(subject.detectionSource) && c.detectionSource == subject.detectionSource
            if sameSource { score += 1 }
            out.append(RelatedIncident(
                id: c.id, number: c.number, title: c.title, happenedAt: c.happenedAt, sharedServices: services, sharedLabels: labels,
                sameDetectionSource: sameSource ? c.detectionSource : nil, sharedWords: wordCount >= 2 ? mentions : [], score: score))
        }
        out.sort { ($0.score, $0.happenedAt, $0.number) > ($1.score, $1.happenedAt, $1.number) }
        return Array(out.prefix(limit))
    }

    /// The distinctive words both texts use, with runs both use in the same
    /// order joined into a phrase ("connection pool"), in the subject's order.
    static func sharedMentions(_ subject: [String], _ other: [String]) -> [String] {
        let otherSet = Set(other)
        var pairs = Set<String>()
        for (a, b) in zip(other, other.dropFirst()) { pairs.insert(a + " " + b) }
        var out: [String] = [], run: [String] = []
        func flush() {
            // A phrase may carry a function word inside ("out of memory"),
            // never at its end.
            while let last = run.last, !isDistinctive(last) { run.removeLast() }
            let phrase = run.joined(separator: " ")
            if !run.isEmpty, !out.contains(phrase) { out.append(phrase) }
            run = []
        }
        for w in subject {
            guard otherSet.contains(w) else { flush(); continue }
            if let last = run.last, !pairs.contains(last + " " + w) { flush() }
            if run.isEmpty && !isDistinctive(w) { continue }
            run.append(w)
        }
        flush()
        // A word already said inside a phrase is not said again.
        let inPhrases = Set(out.filter { $0.contains(" ") }.flatMap { $0.split(separator: " ").map(String.init) })
        return out.filter { $0.contains(" ") || !inPhrases.contains($0) }
    }

    /// How many distinct distinctive words `mentions` holds.
    static func wordCount(_ mentions: [String]) -> Int {
        Set(mentions.flatMap { $0.split(separator: " ").map(String.init) }.filter(isDistinctive)).count
    }

    static let stopWords: Set<String> = [
        "the", "and", "for", "with", "from", "into", "onto", "over", "under", "after", "before", "during", "while", "when", "then",
        "than", "that", "this", "these", "those", "was", "were", "are", "is", "be", "been", "being", "has", "have", "had", "not", "but",
        "our", "their", "its", "all", "any", "some", "due", "via", "per", "out", "off", "one", "two", "new", "old", "more", "less",
        "some", "can", "could", "did", "does", "who", "what", "which", "why", "how", "too", "very", "about", "between", "across",
        // Words nearly every incident title uses: no evidence of sameness.
        "incident", "incidents", "error", "errors", "issue", "issues", "outage", "outages", "failure", "failures", "failed", "failing",
        "fails", "degraded", "degradation", "elevated", "increased", "high", "higher", "slow", "down", "partial", "customers",
        "customer", "users", "user", "some", "service", "services", "impact", "impacted", "unavailable", "problem", "problems",
    ]
}

/// An earlier incident shown as "seen before", and why.
public struct RelatedIncident: Sendable, Equatable {
    public var id: UUID
    public var number: Int
    public var title: String
    public var happenedAt: Date
    public var sharedServices: [String]
    public var sharedLabels: [String]
    /// The detection source both share, when it is specific enough to say.
    public var sameDetectionSource: String?
    /// Distinctive words and phrases both mention.
    public var sharedWords: [String]
    public var score: Int

    public var key: String { Incident.key(for: number) }

    /// The reason in words: "same service: Checkout API · both mention
    /// connection pool". `serviceName` turns a slug into its catalogue name.
    public func reason(serviceName: (String) -> String = { $0 }) -> String {
        var parts: [String] = []
        if !sharedServices.isEmpty {
            parts.append((sharedServices.count == 1 ? "same service: " : "same services: ") + sharedServices.map(serviceName).joined(separator: ", "))
        }
        if !sharedLabels.isEmpty {
            parts.append((sharedLabels.count == 1 ? "same label: " : "same labels: ") + sharedLabels.joined(separator: ", "))
        }
        if !sharedWords.isEmpty { parts.append("both mention " + Self.list(sharedWords)) }
        if let s = sameDetectionSource { parts.append("also detected by \(s)") }
        return parts.joined(separator: " · ")
    }

    static func list(_ items: [String]) -> String {
        items.count <= 1 ? items.joined() : items.dropLast().joined(separator: ", ") + " and " + items.last!
    }
}
