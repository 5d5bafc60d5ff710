import Foundation

/// A PagerDuty webhook v3 subscription: deliveries to
/// `/hooks/pagerduty/<name>` are checked against its signing secret.
///
/// PagerDuty generates the secret when the subscription is created on its
/// side, after it has been given the URL — so a subscription can exist here
/// without a secret for a while, and every delivery is refused until one is set.
public struct PagerDutySubscription: Equatable, Sendable, Identifiable {
    public var id: UUID
    public var name: String
    public var hasSecret: Bool
    public var createdAt: Date
    public var lastDeliveryAt: Date?

    public init(id: UUID, name: String, hasSecret: Bool, createdAt: Date, lastDeliveryAt: Date?) {
        self.id = id
        self.name = name
        self.hasSecret = hasSecret
        self.createdAt = createdAt
        self.lastDeliveryAt = lastDeliveryAt
    }

    /// The path PagerDuty delivers to.
    public var path: String { "/hooks/pagerduty/\(name)" }

    /// Checks a subscription name (it becomes part of a URL) and a secret.
    public static func validate(name: String?, secret: String?) throws(ValidationError) -> (name: String, secret: String?) {
        var v = Validator()
        let name = (name ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        if name.isEmpty {
            v.add("name", "required", "A subscription name is required (it becomes part of the delivery URL).")
        } else if name.count > Limits.slug || !name.allSatisfy({ ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" || $0 == "_" }) {
            v.add("name", "invalid", "The name may use a–z, 0–9, - and _ (at most \(Limits.slug) characters); got \"\(name.prefix(40))\".")
        }
        let secret = (secret ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if secret.count > 500 {
            v.add("secret", "too_long", "The signing secret is longer than 500 characters.")
        } else if secret.contains(where: { $0.isWhitespace }) {
            v.add("secret", "invalid", "The signing secret has spaces in it; paste it exactly as PagerDuty shows it.")
        }
        try v.check()
        return (name, secret.isEmpty ? nil : secret)
    }
}
