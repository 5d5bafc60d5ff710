import Foundation

/// Whether a follow-up's owner is the team that gets paged for what it
/// hardens.
///
/// A follow-up is misaligned when its owner team is not paged for the
/// service it hardens (or, without a service, for any of the incident's
/// services). Whoever decides to defer the work should be the one woken up
/// by its absence; otherwise the cost of deferring lands on someone else.
/// It is a flag to look at, not a rule: Lore shows it and blocks nothing.
public struct Alignment: Equatable, Sendable {
    public var isMisaligned: Bool
    /// Set when misaligned, e.g. "Owned by Storefront, but Platform is paged
    /// for Product search." or "Owned by Payments, which is not paged for any
    /// of this incident's services (Ledger, Search)."
    public var explanation: String?

    public init(isMisaligned: Bool, explanation: String? = nil) {
        self.isMisaligned = isMisaligned
        self.explanation = explanation
    }

    public static let aligned = Alignment(isMisaligned: false)
}

public enum OwnershipAlignment {
    /// Checks one follow-up.
    ///
    /// - `incidentServices`: the incident's service slugs, used when the
    ///   follow-up names no service of its own; the owner being paged for
    ///   any one of them is enough.
    /// - `pagedTeams`: service slug -> team slugs paged for it.
    /// - `teamNames` / `serviceNames`: slug -> display name (falling back to
    ///   the slug).
    ///
    /// Unknown cases are not flagged, because a false alarm teaches people to
    /// ignore the flag: a follow-up without an owner team, a service with no
    /// paged team recorded, no service and an incident with no services, or
    /// an incident with any service whose paged teams are not recorded (the
    /// owner might be paged for that one) are all reported as aligned.
    public static func check(
        followUp: FollowUp, incidentServices: [String], pagedTeams: [String: [String]],
        teamNames: [String: String], serviceNames: [String: String]
    ) -> Alignment {
        let owner = followUp.ownerTeam.trimmingCharacters(in: .whitespaces)
        guard !owner.isEmpty else { return .aligned }
        func team(_ slug: String) -> String { teamNames[slug] ?? slug }
        func service(_ slug: String) -> String { serviceNames[slug] ?? slug }
        func paged(_ slug: String) -> [String] { unique((pagedTeams[slug] ?? []).filter { !$0.isEmpty }) }

        if let slug = followUp.service, !slug.isEmpty {
            let teams = paged(slug)
            if teams.isEmpty || teams.contains(owner) { return .aligned }
            let verb = teams.count == 1 ? "is" : "are"
            return Alignment(
                isMisaligned: true,
                explanation: "Owned by \(team(owner)), but \(list(teams.map(team))) \(verb) paged for \(service(slug))."
            )
        }

        let services = unique(incidentServices.filter { !$0.isEmpty })
        guard !services.isEmpty else { return .aligned }
        var anyUnknown = false
        for slug in services {
            let teams = paged(slug)
            if teams.isEmpty { anyUnknown = true }
            if teams.contains(owner) { return .aligned }
        }
        if anyUnknown { return .aligned }
        let explanation = services.count == 1
            ? "Owned by \(team(owner)), which is not paged for this incident's service, \(service(services[0]))."
            : "Owned by \(team(owner)), which is not paged for any of this incident's services (\(services.map(service).joined(separator: ", ")))."
        return Alignment(isMisaligned: true, explanation: explanation)
    }

    /// "A", "A and B", "A, B and C".
    static func list(_ names: [String]) -> String {
        guard names.count > 1 else { return names.first ?? "" }
        return names.dropLast().joined(separator: ", ") + " and " + names.last!
    }

    private static func unique(_ list: [String]) -> [String] {
        var seen = Set<String>()
        return list.filter { seen.insert($0).inserted }
    }
}
