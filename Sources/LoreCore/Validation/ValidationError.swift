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

/// Which characters Lore stores in text. Control characters other than tab,
/// line feed and carriage return are refused where text comes in: a NUL
/// byte would be stored by one database and cut off by the other (or by C
/// code reading it back), and no person types a bell or an escape on
/// purpose. Refusing them, with the field named, means what is returned is
/// always what was stored.
public enum TextCharacters {
    /// The first refused character and its position (in characters), or nil.
    public static func firstControlCharacter(in text: String) -> (scalar: Unicode.Scalar, offset: Int)? {
        var offset = 0
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if (v < 0x20 && v != 0x09 && v != 0x0A && v != 0x0D) || v == 0x7F {
                return (scalar, offset)
            }
            offset += 1
        }
        return nil
    }

    /// The issue for a field holding a refused character, or nil.
    public static func issue(field: String, text: String) -> FieldIssue? {
        guard let (scalar, offset) = firstControlCharacter(in: text) else { return nil }
        let code = String(scalar.value, radix: 16, uppercase: true)
        return FieldIssue(
            field: field, code: "control_character",
            message: "\"\(field)\" contains the control character U+\(String(repeating: "0", count: max(0, 4 - code.count)) + code) at position \(offset + 1); only tab and line breaks are accepted.")
    }
}
