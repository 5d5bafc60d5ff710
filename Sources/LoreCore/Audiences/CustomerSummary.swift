import Foundation

/// What the customer-facing teams (support, account managers, sales) need to
/// know about an incident, in their words: what customers saw and for how
/// long, who was affected, what was done, what will change, and what to tell
/// a customer who asks.
///
/// It is written in Lore beside the review, checked by the audience rules
/// (no internal names, no unexplained jargon, no person named, no blame),
/// approved by someone who may see the incident's reviews, and then shared:
/// a summary is for people outside the review, so nobody's draft reaches
/// them. Editing an approved or shared summary returns it to draft.
public struct CustomerSummary: Equatable, Sendable, Codable {
    public enum Status: String, Codable, Sendable, CaseIterable {
        case draft, approved, shared

        public var label: String {
            switch self {
            case .draft: "Draft"
            case .approved: "Approved"
            case .shared: "Shared"
            }
        }
    }

    /// A follow-up the author chose to tell customers about, in plain words.
    public struct Change: Equatable, Sendable, Codable {
        public var followUpID: UUID?
        public var text: String

        public init(followUpID: UUID?, text: String) {
            self.followUpID = followUpID
            self.text = text
        }
    }

    public var incidentID: UUID
    /// The card's title, written for customers: the incident's own title is
    /// the responders' ("orders-db-03 failover") and never reaches them.
    public var headline: String
    public var whatCustomersSaw: String
    public var whoWasAffected: String
    public var whatWeDid: String
    public var whatWillChange: [Change]
    public var whatToTell: String
    public var status: Status
    public var updatedAt: Date
    public var updatedBy: String
    public var approvedBy: String?
    public var approvedAt: Date?
    public var sharedAt: Date?

    public init(incidentID: UUID, headline: String = "", whatCustomersSaw: String, whoWasAffected: String, whatWeDid: String, whatWillChange: [Change], whatToTell: String,
                status: Status, updatedAt: Date, updatedBy: String, approvedBy: String? = nil, approvedAt: Date? = nil, sharedAt: Date? = nil) {
        self.incidentID = incidentID
        self.headline = headline
        self.whatCustomersSaw = whatCustomersSaw
        self.whoWasAffected = whoWasAffected
        self.whatWeDid = whatWeDid
        self.whatWillChange = whatWillChange
        self.whatToTell = whatToTell
        self.status = status
        self.updatedAt = updatedAt
        self.updatedBy = updatedBy
        self.approvedBy = approvedBy
        self.approvedAt = approvedAt
        self.sharedAt = sharedAt
    }

    /// The written parts, each with its heading, in the order a reader meets them.
    public var sections: [(key: String, heading: String, text: String)] {
        [("whatCustomersSaw", "What customers saw", whatCustomersSaw),
         ("whoWasAffected", "Who was affected", whoWasAffected),
         ("whatWeDid", "What we did", whatWeDid),
         ("whatWillChange", "What will change", whatWillChange.map { "- " + $0.text }.joined(separator: "\n")),
         ("whatToTell", "What to tell a customer who asks", whatToTell)]
    }

    /// "From 2026-03-01 14:02 CET to 14:47 CET (45 min)": the incident's own
    /// times in the reader's zone, so nobody converts them by hand. Nil when
    /// the incident does not say when the impact started.
    public static func impactWindow(_ incident: Incident, timeZone: TimeZone) -> String? {
        let t = incident.times
        guard let start = t.impactStartedAt ?? t.detectedAt else { return nil }
        guard let end = t.mitigatedAt ?? t.resolvedAt, end > start else {
            return "Since \(LoreTime.display(start, timeZone: timeZone)) (still ongoing when this was written)"
        }
        let sameDay = LoreTime.formatter("yyyy-MM-dd", timeZone).string(from: start) == LoreTime.formatter("yyyy-MM-dd", timeZone).string(from: end)
        let endText = sameDay ? LoreTime.formatter("HH:mm zzz", timeZone).string(from: end) : LoreTime.display(end, timeZone: timeZone)
        return "From \(LoreTime.display(start, timeZone: timeZone)) to \(endText) (\(LoreTime.duration(end.timeIntervalSince(start))))"
    }

    /// The card as plain text, to paste into an email or a ticket reply.
    public func plainText(incident: Incident, timeZone: TimeZone) -> String {
        var out = "\(headline)\n"
        if let window = Self.impactWindow(incident, timeZone: timeZone) { out += "\(window)\n" }
        for s in sections where !s.text.isEmpty { out += "\n\(s.heading)\n\(s.text)\n" }
        return out
    }

    /// The card as Markdown, for a status page or a chat message; what
    /// people wrote is escaped, so it reads as they wrote it.
    public func markdown(incident: Incident, timeZone: TimeZone) -> String {
        var out = "## \(ReviewExport.escapeText(headline))\n\n"
        if let window = Self.impactWindow(incident, timeZone: timeZone) { out += "*\(ReviewExport.escapeText(window))*\n" }
        for s in sections where !s.text.isEmpty {
            out += "\n### \(s.heading)\n\n"
            if s.key == "whatWillChange" {
                out += whatWillChange.map { "- " + ReviewExport.escapeText($0.text) }.joined(separator: "\n") + "\n"
            } else {
                out += Self.markdownLines(s.text) + "\n"
            }
        }
        return out
    }

    /// Text as written, line for line: inline syntax escaped, a line that
    /// would start a list, quote or heading escaped too, line breaks kept
    /// (a backslash at the end of a line) and blank lines as paragraphs.
    static func markdownLines(_ text: String) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            let escaped = ReviewExport.escapeText(String(line))
            guard let first = escaped.first else { return escaped }
            if "-+>=".contains(first) { return "\\" + escaped }
            // "1. " or "1) " would start a numbered list: escape the mark after the digits.
            let digits = escaped.prefix { $0.isASCII && $0.isNumber }
            if !digits.isEmpty, let mark = escaped.dropFirst(digits.count).first, mark == "." || mark == ")" {
                return digits + "\\" + escaped.dropFirst(digits.count)
            }
            return escaped
        }
        var out = ""
        for (i, line) in lines.enumerated() {
            out += line
            guard i < lines.count - 1 else { break }
            out += (line.isEmpty || lines[i + 1].isEmpty) ? "\n" : "\\\n"
        }
        return out
    }
}

/// A summary as its author submits it.
public struct CustomerSummaryInput: Equatable, Sendable, Codable {
    public var headline: String
    public var whatCustomersSaw: String
    public var whoWasAffected: String
    public var whatWeDid: String
    public var whatWillChange: [CustomerSummary.Change]
    public var whatToTell: String

    public init(headline: String = "", whatCustomersSaw: String = "", whoWasAffected: String = "", whatWeDid: String = "", whatWillChange: [CustomerSummary.Change] = [], whatToTell: String = "") {
        self.headline = headline
        self.whatCustomersSaw = whatCustomersSaw
        self.whoWasAffected = whoWasAffected
        self.whatWeDid = whatWeDid
        self.whatWillChange = whatWillChange
        self.whatToTell = whatToTell
    }

    public static let maxSection = 4000
    public static let maxChanges = 12

    /// Trimmed; every problem at once, each naming its field. A change
    /// must name one of `followUps` (the incident's) when it names one.
    public func validated(followUps: [UUID]) throws(ValidationError) -> CustomerSummaryInput {
        var v = Validator()
        func text(_ value: String, _ field: String, _ label: String) -> String {
            let t = value.trimmingCharacters(in: .whitespacesAndNewlines)
            if t.count > Self.maxSection { v.add(field, "too_long", "\(label) is \(t.count) characters; at most \(Self.maxSection).") }
            return t
        }
        let headline = text(headline, "headline", "The headline")
        if headline.count > 200 { v.add("headline", "too_long", "The headline is \(headline.count) characters; at most 200.") }
        var out = CustomerSummaryInput(
            headline: headline,
            whatCustomersSaw: text(whatCustomersSaw, "whatCustomersSaw", "What customers saw"),
            whoWasAffected: text(whoWasAffected, "whoWasAffected", "Who was affected"),
            whatWeDid: text(whatWeDid, "whatWeDid", "What we did"),
            whatToTell: text(whatToTell, "whatToTell", "What to tell a customer"))
        if whatWillChange.count > Self.maxChanges { v.add("whatWillChange", "too_many", "At most \(Self.maxChanges) changes; customers read the few that matter.") }
        let known = Set(followUps)
        for (i, change) in whatWillChange.enumerated() {
            let t = change.text.trimmingCharacters(in: .whitespacesAndNewlines)
            if let id = change.followUpID, !known.contains(id) {
                v.add("whatWillChange[\(i)].followUpId", "unknown", "Change \(i + 1) names a follow-up that is not this incident's.")
            }
            if t.isEmpty {
                if change.followUpID != nil { v.add("whatWillChange[\(i)].text", "required", "Change \(i + 1) needs its plain-words description.") }
                continue
            }
            if t.count > 500 { v.add("whatWillChange[\(i)].text", "too_long", "Change \(i + 1) is \(t.count) characters; at most 500.") }
            out.whatWillChange.append(.init(followUpID: change.followUpID, text: t))
        }
        if !v.issues.isEmpty { throw ValidationError(v.issues) }
        return out
    }

    /// A first draft from what Lore knows: the incident's own account of the
    /// customer impact, and the follow-ups as candidates for "what will
    /// change" (their titles, which the author rewrites in plain words).
    public static func template(for incident: Incident, followUps: [FollowUp]) -> CustomerSummaryInput {
        CustomerSummaryInput(
            headline: "",
            whatCustomersSaw: incident.customerImpact,
            whoWasAffected: "",
            whatWeDid: "",
            whatWillChange: followUps.prefix(3).map { .init(followUpID: $0.id, text: $0.title) },
            whatToTell: "")
    }
}
