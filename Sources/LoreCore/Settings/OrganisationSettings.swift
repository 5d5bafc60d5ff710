import Foundation

/// Organisation-wide choices: what the practice is called, how long the
/// review window is, and the scales incidents are described with.
///
/// The practice name matters: teams that call it a "retrospective" or a
/// "learning review" often do so deliberately, to move away from the blame
/// that "postmortem" can carry. Lore uses the chosen word everywhere.
public struct OrganisationSettings: Equatable, Sendable, Codable {
    public var organisationName: String
    public var practiceName: String
    public var reviewWindowHours: Int
    public var severities: [String]
    public var detectionSources: [String]
    public var practice: ReviewPracticeSettings = .default
    /// The organisation's words for contributing factors (capacity,
    /// configuration change, …): tagged on a review's contributing factors,
    /// so that what keeps recurring can be counted across incidents and
    /// argued for when maintenance is funded.
    public var factorTags: [String] = defaultFactorTags

    public static let standardPracticeNames = [
        "Postmortem", "Post-mortem", "Retrospective", "Learning review", "After-action review",
    ]
    public static let defaultSeverities = ["SEV1", "SEV2", "SEV3", "SEV4"]
    public static let defaultFactorTags = ["capacity", "configuration change", "dependency", "alerting gap", "runbook gap"]
    public static let defaultDetectionSources = [
        "monitoring alert", "customer support", "call centre", "employee report",
        "synthetic check", "third party", "other",
    ]

    public static let `default` = OrganisationSettings(
        organisationName: "Lore",
        practiceName: "Postmortem",
        reviewWindowHours: 72,
        severities: defaultSeverities,
        detectionSources: defaultDetectionSources
    )

    public init(
        organisationName: String, practiceName: String, reviewWindowHours: Int,
        severities: [String], detectionSources: [String]
    ) {
        self.organisationName = organisationName
        self.practiceName = practiceName
        self.reviewWindowHours = reviewWindowHours
        self.severities = severities
        self.detectionSources = detectionSources
    }

    /// The review window as a duration.
    public var reviewWindow: TimeInterval { TimeInterval(reviewWindowHours) * 3600 }

    /// "Retrospectives", "After-action reviews": for headings and menus.
    public var practiceNamePlural: String {
        practiceName.hasSuffix("s") ? practiceName : practiceName + "s"
    }

    /// "retrospective": for use inside a sentence. Acronyms ("PIR") keep their
    /// capitals.
    public var practiceNameLowercased: String {
        practiceName.split(separator: " ").map { word in
            word.count > 1 && word == word.uppercased() ? String(word) : word.lowercased()
        }.joined(separator: " ")
    }

    /// Checks a proposed settings value; all problems at once.
    public func validated() throws(ValidationError) -> OrganisationSettings {
        var v = Validator()
        var copy = self
        copy.organisationName = v.requireText(organisationName, field: "organisationName", label: "Organisation name", max: Limits.name)
        copy.practiceName = v.requireText(practiceName, field: "practiceName", label: "Name of the practice", max: 40)
        if reviewWindowHours < 1 || reviewWindowHours > 24 * 60 {
            v.add("reviewWindowHours", "out_of_range", "Review window must be between 1 and 1440 hours; got \(reviewWindowHours).")
        }
        copy.severities = Self.cleanList(severities)
        copy.detectionSources = Self.cleanList(detectionSources)
        if copy.severities.isEmpty {
            v.add("severities", "required", "At least one severity is required.")
        } else if copy.severities.count > 10 {
            v.add("severities", "too_many", "At most 10 severities; got \(copy.severities.count).")
        } else if let long = copy.severities.first(where: { $0.count > 30 }) {
            v.add("severities", "too_long", "Severity \"\(long)\" is longer than 30 characters.")
        }
        if Set(copy.severities.map { $0.lowercased() }).count != copy.severities.count {
            v.add("severities", "duplicate", "Severities must be unique.")
        }
        if copy.detectionSources.isEmpty {
            v.add("detectionSources", "required", "At least one detection source is required.")
        } else if copy.detectionSources.count > 30 {
            v.add("detectionSources", "too_many", "At most 30 detection sources; got \(copy.detectionSources.count).")
        } else if let long = copy.detectionSources.first(where: { $0.count > 60 }) {
            v.add("detectionSources", "too_long", "Detection source \"\(long)\" is longer than 60 characters.")
        }
        if Set(copy.detectionSources.map { $0.lowercased() }).count != copy.detectionSources.count {
            v.add("detectionSources", "duplicate", "Detection sources must be unique.")
        }
        copy.factorTags = Self.cleanList(factorTags)
        if copy.factorTags.count > 40 {
            v.add("factorTags", "too_many", "At most 40 contributing-factor tags; got \(copy.factorTags.count).")
        } else if let long = copy.factorTags.first(where: { $0.count > 40 }) {
            v.add("factorTags", "too_long", "Tag \"\(long)\" is longer than 40 characters.")
        }
        if Set(copy.factorTags.map { $0.lowercased() }).count != copy.factorTags.count {
            v.add("factorTags", "duplicate", "Contributing-factor tags must be unique.")
        }
        if (1...1440).contains(reviewWindowHours) {
            do { copy.practice = try practice.validated(windowHours: reviewWindowHours) } catch { for i in error.issues { v.add(i.field, i.code, i.message) } }
        }
        try v.check()
        return copy
    }

    /// Trims entries and drops empty ones (forms send one per line).
    public static func cleanList(_ list: [String]) -> [String] {
        list.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    }
}

extension OrganisationSettings {
    /// What changed, in a line for the audit log: `review window 72 → 48 h;
    /// severities SEV1, SEV2 → SEV1, SEV2, SEV3; review practice`.
    public static func describeChanges(from old: OrganisationSettings, to new: OrganisationSettings) -> String {
        var parts: [String] = []
        if old.organisationName != new.organisationName { parts.append("organisation name \(old.organisationName) → \(new.organisationName)") }
        if old.practiceName != new.practiceName { parts.append("practice name \(old.practiceName) → \(new.practiceName)") }
        if old.reviewWindowHours != new.reviewWindowHours { parts.append("review window \(old.reviewWindowHours) → \(new.reviewWindowHours) h") }
        if old.severities != new.severities { parts.append("severities \(old.severities.joined(separator: ", ")) → \(new.severities.joined(separator: ", "))") }
        if old.detectionSources != new.detectionSources { parts.append("detection sources \(old.detectionSources.joined(separator: ", ")) → \(new.detectionSources.joined(separator: ", "))") }
        if old.factorTags != new.factorTags { parts.append("contributing-factor tags \(old.factorTags.joined(separator: ", ")) → \(new.factorTags.joined(separator: ", "))") }
        if old.practice != new.practice { parts.append("review practice (completeness, reminders, ballot, who sees reviews)") }
        return parts.joined(separator: "; ")
    }
}
