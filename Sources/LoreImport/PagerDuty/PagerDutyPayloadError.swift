import Foundation

/// Why a PagerDuty webhook body or REST export was not read, said so that the
/// person who sent it can fix it: where (file, JSON path or line and column)
/// and what was expected there.
///
/// `export.json: log_entries[3].created_at: expected a date and time such as "2026-04-01T02:18:59.674Z", found "yesterday"`
///
/// One flavour is not a failure: `.notAnIncidentEvent` is a genuine
/// PagerDuty event that Lore has no use for (`service.updated`,
/// `pagey.ping`). The webhook endpoint should answer 2xx and drop it;
/// answering 4xx would make PagerDuty retry and eventually disable the
/// subscription. `isIgnorable` says which is which.
public struct PagerDutyPayloadError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Reason: String, Equatable, Sendable {
        /// Not JSON (or cut short): `line` and `column` say where reading stopped.
        case invalidJSON
        /// JSON, but not what PagerDuty sends: a field is missing, blank or of
        /// the wrong type, or a time is not a time. `path` says which.
        case unexpectedContent
        /// A well-formed webhook event about something other than an incident.
        /// Not an error for the sender: acknowledge it and ignore it.
        case notAnIncidentEvent
    }

    public var reason: Reason
    /// The uploaded file's name; nil for webhook bodies.
    public var fileName: String?
    /// Where in the document: `event.occurred_at`, `log_entries[3].created_at`,
    /// `[1].incidents[0].id` (second page of a concatenated array). Nil when
    /// the problem is the document as a whole.
    public var path: String?
    /// 1-based, for `.invalidJSON`.
    public var line: Int?
    /// 1-based, counted in characters, for `.invalidJSON`.
    public var column: Int?
    /// What was expected, and what was found.
    public var message: String
    /// The webhook's `event.event_type` when it was read (always set for
    /// `.notAnIncidentEvent`), for logging what was dropped.
    public var eventType: String?

    public init(
        reason: Reason, fileName: String? = nil, path: String? = nil, line: Int? = nil, column: Int? = nil,
        message: String, eventType: String? = nil
    ) {
        self.reason = reason
        self.fileName = fileName
        self.path = path
        self.line = line
        self.column = column
        self.message = message
        self.eventType = eventType
    }

    /// True for events Lore deliberately ignores: answer 2xx, record nothing.
    public var isIgnorable: Bool { reason == .notAnIncidentEvent }

    public var description: String {
        var parts: [String] = []
        if let fileName { parts.append(fileName) }
        if let line {
            parts.append(column.map { "line \(line), column \($0)" } ?? "line \(line)")
        }
        if let path { parts.append(path) }
        parts.append(message)
        return parts.joined(separator: ": ")
    }

    /// The same error, naming the file it came from.
    func inFile(_ name: String?) -> PagerDutyPayloadError {
        var copy = self
        copy.fileName = name
        return copy
    }
}
