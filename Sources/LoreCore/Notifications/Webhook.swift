import Foundation

/// The body format an outgoing webhook expects.
public enum WebhookFormat: String, CaseIterable, Codable, Sendable {
    /// Lore's own JSON: `{"id","type","occurredAt","text","data"}`.
    case json
    /// A Slack incoming webhook: `{"text": "…"}`.
    case slack

    public var label: String {
        switch self {
        case .json: "Generic JSON"
        case .slack: "Slack incoming webhook"
        }
    }
}

/// Where Lore sends events (review-window reminders, follow-through
/// checkpoints). Every body is signed with the endpoint's secret, so the
/// receiver can tell it came from Lore.
public struct WebhookEndpoint: Equatable, Sendable, Codable, Identifiable {
    public var id: UUID
    public var name: String
    public var url: String
    public var format: WebhookFormat
    public var active: Bool
    public var createdAt: Date

    public init(id: UUID = UUID(), name: String, url: String, format: WebhookFormat, active: Bool = true, createdAt: Date) {
        self.id = id
        self.name = name
        self.url = url
        self.format = format
        self.active = active
        self.createdAt = createdAt
    }
}

/// A new endpoint as an admin enters it.
public struct WebhookEndpointInput: Equatable, Sendable {
    public var name: String?
    public var url: String?
    public var format: WebhookFormat?
    public var secret: String?

    public init(name: String?, url: String?, format: WebhookFormat?, secret: String?) {
        self.name = name
        self.url = url
        self.format = format
        self.secret = secret
    }

    /// Checks the input; an empty secret is replaced by a generated one by the caller.
    public func validated() throws(ValidationError) -> (name: String, url: String, format: WebhookFormat, secret: String) {
        var v = Validator()
        let name = v.requireText(name, field: "name", label: "Name", max: Limits.name)
        let url = v.requireText(url, field: "url", label: "URL", max: Limits.shortText)
        if !url.isEmpty {
            let lower = url.lowercased()
            if !(lower.hasPrefix("https://") || lower.hasPrefix("http://")) || URL(string: url)?.host == nil {
                v.add("url", "invalid", "The URL must be an http(s) address, for example https://hooks.slack.com/services/…")
            }
        }
        if format == nil { v.add("format", "required", "Choose a format: json or slack.") }
        let secret = v.optionalText(secret, field: "secret", label: "Secret", max: Limits.shortText)
        if !secret.isEmpty && secret.count < 16 {
            v.add("secret", "too_short", "A signing secret should be at least 16 characters (or leave it empty to have one generated).")
        }
        try v.check()
        return (name, url, format!, secret)
    }
}

/// Something worth telling people about, in both a machine-readable and a
/// human form.
public struct WebhookEvent: Equatable, Sendable {
    /// `review.window_reminder`, `review.window_closed`, `ballot.follow_through`.
    public var type: String
    /// Stable id of the event (the same across retries and endpoints).
    public var id: String
    public var occurredAt: Date
    /// One sentence a person can act on.
    public var text: String
    /// JSON-compatible values (String, Int, Double, Bool, arrays, dictionaries, NSNull).
    public var data: [String: any Sendable]

    public init(type: String, id: String, occurredAt: Date, text: String, data: [String: any Sendable]) {
        self.type = type
        self.id = id
        self.occurredAt = occurredAt
        self.text = text
        self.data = data
    }

    public static func == (a: WebhookEvent, b: WebhookEvent) -> Bool {
        a.type == b.type && a.id == b.id && a.occurredAt == b.occurredAt && a.text == b.text
    }

    /// The request body for `format`.
    public func body(for format: WebhookFormat) -> Data {
        let object: [String: Any]
        switch format {
        case .json:
            object = ["id": id, "type": type, "occurredAt": LoreTime.iso(occurredAt), "text": text, "data": data]
        case .slack:
            // Slack reads <…> as links and mentions (<!channel>) and & as an
            // entity: the text is people's words, so all three are escaped.
            object = ["text": text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")]
        }
        return (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
    }
}

/// Retry timing for deliveries: quick at first, then backing off, so that a
/// receiver that is down for a while is not hammered and a short blip costs
/// little delay.
public enum DeliveryBackoff {
    public static let maxAttempts = 8

    /// Delay before attempt `attempt + 1` after `attempt` failed (1-based).
    public static func delay(afterAttempt attempt: Int) -> TimeInterval {
        min(30 * pow(2, Double(max(0, attempt - 1))), 6 * 3600)
    }
}
