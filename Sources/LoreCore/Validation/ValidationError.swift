import Foundation

/// One problem with one field of a submitted form or API body.
///
/// `field` uses the JSON name (`detectedAt`, `title`) so that both the API
/// and the HTML forms can put the message next to the right input.
public struct FieldIssue: Equatable, Sendable, Codable {
    public var field: String
    public var code: String
    public var message: String

    public init(field: String, code: String, message: String) {
        self.field = field
        self.code = code
        self.message = message
    }
}

/// A rejected input: every problem found, not only the first, so a person can
/// fix a form in one pass.
public struct ValidationError: Error, Equatable, Sendable, CustomStringConvertible {
    public var issues: [FieldIssue]

    public init(_ issues: [FieldIssue]) { self.issues = issues }
    public init(field: String, code: String, message: String) {
        self.issues = [FieldIssue(field: field, code: code, message: message)]
    }

    public var description: String {
        issues.map { "\($0.field): \($0.message)" }.joined(separator: "; ")
    }

    /// The message for a field, if any (used by forms).
    public func message(for field: String) -> String? {
        issues.first { $0.field == field }?.message
    }
}

/// Collects issues while checking an input, then throws them all at once.
public struct Validator: Sendable {
    public private(set) var issues: [FieldIssue] = []
    public init() {}

    public mutating func add(_ field: String, _ code: String, _ message: String) {
        issues.append(FieldIssue(field: field, code: code, message: message))
    }

    /// Required, trimmed, at most `max` characters. Returns the trimmed text.
    @discardableResult
    public mutating func requireText(_ value: String?, field: String, label: String, max: Int) -> String {
        let trimmed = (value ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty {
            add(field, "required", "\(label) is required.")
        } else if trimmed.count > max {
            add(field, "too_long", "\(label) is \(trimmed.count) characters; the limit is \(max).")
        }
        return trimmed
    }

    /// Optional text, at most `max` characters. Returns the trimmed text.
    @discardableResult
    public mutating func optionalText(_ value: String?, field: String, label: String, max: Int) -> String {
        let trimmed = (value ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.count > max {
            add(field, "too_long", "\(label) is \(trimmed.count) characters; the limit is \(max).")
        }
        return trimmed
    }

    public func check() throws(ValidationError) {
        if !issues.isEmpty { throw ValidationError(issues) }
    }
}

/// Length limits for stored text. Generous for prose, tight for names, so that
/// a pasted log file does not become a title.
public enum Limits {
    public static let title = 200
    public static let name = 120
    public static let slug = 60
    public static let shortText = 500
    public static let longText = 20_000
    public static let markdown = 100_000
    public static let label = 60
    public static let labelsPerIncident = 30
    public static let externalId = 200
    public static let email = 254
    public static let password = 200
    public static let minPassword = 10
}
