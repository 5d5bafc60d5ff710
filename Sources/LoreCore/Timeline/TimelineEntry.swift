import Foundation

/// Where a timeline entry came from.
public enum TimelineSource: String, CaseIterable, Codable, Sendable {
    case manual, api, pagerduty, slack, csv, markdown

    public var label: String {
        switch self {
        case .manual: "Lore"
        case .api: "the API"
        case .pagerduty: "PagerDuty"
        case .slack: "Slack"
        case .csv: "a CSV file"
        case .markdown: "a Markdown table"
        }
    }
}

/// What kind of moment an entry records.
public enum TimelineKind: String, CaseIterable, Codable, Sendable {
    case alert, action, observation, decision, communication, note
}

/// A moment that matters for the analysis. Reviews use these to measure time
/// to detect, diagnose and repair, and to find the turning points.
public enum TimelineMarker: String, CaseIterable, Codable, Sendable {
    case detection, diagnosis, repair
    case keyMoment = "key_moment"

    public var label: String {
        switch self {
        case .detection: "Detection"
        case .diagnosis: "Diagnosis"
        case .repair: "Repair"
        case .keyMoment: "Key moment"
        }
    }
}

/// One line of an incident's timeline.
///
/// `recordedAt` is kept apart from `occurredAt` on purpose: an entry written
/// while the incident happened is evidence; one written days later is memory,
/// shaped by hindsight. The review should be able to tell them apart.
public struct TimelineEntry: Equatable, Sendable, Codable, Identifiable {
    public var id: UUID
    public var incidentID: UUID
    public var occurredAt: Date
    public var recordedAt: Date
    public var author: String
    public var authorUserID: UUID?
    public var source: TimelineSource
    public var kind: TimelineKind
    public var text: String
    /// "What I was seeing / what made sense at the time."
    public var reflection: String?
    public var marker: TimelineMarker?
    /// Unique per source, so that importing the same thing twice adds nothing.
    public var externalID: String?
    /// Where the entry can be seen in the system it came from (the PagerDuty
    /// incident, the Slack message), when a link can be built.
    public var sourceURL: String?
    /// Set when the entry was removed (it is then left out of the timeline).
    public var removal: TimelineRemoval?

    public init(
        id: UUID = .timeOrdered(), incidentID: UUID, occurredAt: Date, recordedAt: Date, author: String,
        authorUserID: UUID? = nil, source: TimelineSource, kind: TimelineKind, text: String,
        reflection: String? = nil, marker: TimelineMarker? = nil, externalID: String? = nil, sourceURL: String? = nil,
        removal: TimelineRemoval? = nil
    ) {
        self.removal = removal
        self.id = id
        self.incidentID = incidentID
        self.occurredAt = occurredAt
        self.recordedAt = recordedAt
        self.author = author
        self.authorUserID = authorUserID
        self.source = source
        self.kind = kind
        self.text = text
        self.reflection = reflection
        self.marker = marker
        self.externalID = externalID
        self.sourceURL = sourceURL
    }

    /// True when the entry was written down more than the review window after
    /// the incident was resolved: it is recollection, not a record.
    /// Messages from the pager or chat were written when they happened,
    /// however late they were imported, so they are never "recalled".
    public func isRecalledLater(resolvedAt: Date?, reviewWindow: TimeInterval) -> Bool {
        guard let resolvedAt, source != .pagerduty, source != .slack else { return false }
        return recordedAt.timeIntervalSince(resolvedAt) > reviewWindow
    }
}

/// Who removed a timeline entry, and when. Removal keeps the entry as a
/// tombstone rather than deleting it: it can be put back, and an imported
/// entry removed once is not brought back by importing the same source again.
public struct TimelineRemoval: Equatable, Sendable, Codable {
    public var at: Date
    public var byUserID: UUID?
    public var byName: String

    public init(at: Date, byUserID: UUID?, byName: String) {
        self.at = at
        self.byUserID = byUserID
        self.byName = byName
    }
}

/// Who may remove (or put back) a timeline entry.
///
/// The timeline is shared evidence. A person may take back what they wrote
/// themselves; removing someone else's entry, or one that came from the
/// pager or chat, is an editorial decision about the record, so it belongs
/// to the people running the incident's reviews (a facilitator of one of its
/// reviews) or an admin.
public enum TimelineEntryRemovalRule {
    public static func canRemove(_ entry: TimelineEntry, viewer: Viewer, facilitatesAReviewOfTheIncident: Bool) -> Bool {
        if viewer.isAdmin || facilitatesAReviewOfTheIncident { return true }
        let writtenByHand = entry.source == .manual || entry.source == .api
        return writtenByHand && entry.authorUserID != nil && entry.authorUserID == viewer.userID
    }
}

/// A new timeline entry as submitted by a person or a tool.
public struct TimelineEntryInput: Equatable, Sendable {
    public var occurredAt: Date?
    public var kind: TimelineKind?
    public var text: String?
    public var reflection: String?
    public var marker: TimelineMarker?
    public var author: String?
    public var externalID: String?

    public init(occurredAt: Date?, kind: TimelineKind? = nil, text: String?, reflection: String? = nil, marker: TimelineMarker? = nil, author: String? = nil, externalID: String? = nil) {
        self.occurredAt = occurredAt
        self.kind = kind
        self.text = text
        self.reflection = reflection
        self.marker = marker
        self.author = author
        self.externalID = externalID
    }

    /// Validates and builds the entry. `defaultAuthor` is the signed-in person.
    public func entry(
        incidentID: UUID, source: TimelineSource, defaultAuthor: String, authorUserID: UUID?, now: Date
    ) throws(ValidationError) -> TimelineEntry {
        var v = Validator()
        if occurredAt == nil {
            v.add("occurredAt", "required", "When it happened is required.")
        } else if let o = occurredAt, o > now.addingTimeInterval(24 * 3600) {
            v.add("occurredAt", "in_future", "When it happened is more than a day in the future.")
        }
        let text = v.requireText(text, field: "text", label: "Text", max: Limits.longText)
        let reflection = v.optionalText(reflection, field: "reflection", label: "Reflection", max: Limits.longText)
        let author = v.optionalText(author, field: "author", label: "Author", max: Limits.name)
        let ext = v.optionalText(externalID, field: "externalId", label: "External id", max: Limits.externalId)
        try v.check()
        return TimelineEntry(
            incidentID: incidentID, occurredAt: LoreTime.milliseconds(occurredAt!), recordedAt: LoreTime.milliseconds(now),
            author: author.isEmpty ? defaultAuthor : author, authorUserID: author.isEmpty ? authorUserID : nil,
            source: source, kind: kind ?? .note, text: text,
            reflection: reflection.isEmpty ? nil : reflection, marker: marker, externalID: ext.isEmpty ? nil : ext
        )
    }
}
