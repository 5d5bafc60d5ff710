import Foundation
import LoreCore
import LoreStore

/// Everything a review page or API response shows about one review, gathered
/// once so that the HTML and JSON say the same thing.
struct ReviewFacts: Sendable {
    var review: Review
    var incident: Incident
    var followUps: [FollowUp]
    var alignments: [UUID: Alignment]
    var completeness: Completeness
    var window: ReviewWindow?
    var ballot: BallotView?
    var findings: [Finding]
    var parent: Review?
    var children: [Review]

    static func gather(_ review: Review, incident: Incident, viewer: Viewer, store: LoreStore, settings: OrganisationSettings) async throws -> ReviewFacts {
        let followUps = try await store.followUps(reviewID: review.id)
        let catalog = try await CatalogNames.load(store)
        let focus = try await store.focus(reviewID: review.id)
        var alignments: [UUID: Alignment] = [:]
        for f in followUps { alignments[f.id] = catalog.alignment(of: f, incident: incident) }
        return ReviewFacts(
            review: review, incident: incident, followUps: followUps, alignments: alignments,
            completeness: ReviewCompletenessCheck.evaluate(rule: settings.practice.completenessRule, reviewStatus: review.status, followUps: followUps, focus: focus),
            window: ReviewWindow(incident: incident, hours: settings.reviewWindowHours),
            ballot: try await store.ballot(reviewID: review.id, viewer: viewer),
            findings: try await store.findings(reviewID: review.id, viewer: viewer),
            parent: try await review.parentReviewID.asyncMap { try await store.review(id: $0, viewer: viewer) } ?? nil,
            children: try await store.childReviews(of: review.id, viewer: viewer))
    }
}

/// Names and paging of the catalog, for labels and ownership checks.
struct CatalogNames: Sendable {
    var teams: [String: String]
    var services: [String: String]
    var paged: [String: [String]]
    var users: [UUID: String]

    static func load(_ store: LoreStore) async throws -> CatalogNames {
        CatalogNames(
            teams: Dictionary(uniqueKeysWithValues: try await store.teams().map { ($0.slug, $0.name) }),
            services: Dictionary(uniqueKeysWithValues: try await store.services().map { ($0.slug, $0.name) }),
            paged: try await store.pagedTeams(),
            users: Dictionary(uniqueKeysWithValues: try await store.users().map { ($0.id, $0.displayName) }))
    }

    func alignment(of f: FollowUp, incident: Incident) -> Alignment {
        OwnershipAlignment.check(followUp: f, incidentServices: incident.services, pagedTeams: paged, teamNames: teams, serviceNames: services)
    }

    func team(_ slug: String) -> String { teams[slug] ?? slug }
    func service(_ slug: String) -> String { services[slug] ?? slug }
    func user(_ id: UUID?) -> String? { id.flatMap { users[$0] } }
}

