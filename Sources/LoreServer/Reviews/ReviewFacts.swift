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
    /// The phrases kept as written.
    var marks: [LanguageMark]
    /// Contributing factors' tags, by finding.
    var findingTags: [UUID: [String]]
    var parent: Review?
    var children: [Review]
    /// Every review of the incident the viewer may see, oldest first.
    var incidentReviews: [Review]
    /// The catalog and people's names, read once for the alignments and the labels.
    var names: CatalogNames

    static func gather(_ seen: SeenReview, incident: Incident, viewer: Viewer, store: LoreStore, settings: OrganisationSettings) async throws -> ReviewFacts {
        let review = seen.review
        let followUps = try await store.followUps(reviewID: review.id)
        let ballot = try await store.ballot(of: seen)
        // The names of the people the page shows, not of everyone.
        let people: [UUID?] = review.participants.map(\.userID) + [review.facilitatorID] + followUps.map(\.ownerUserID) + (ballot?.voters ?? [])
        let catalog = try await CatalogNames.load(store, people: people)
        let focus = try await store.focus(reviewID: review.id)
        // A wider review is always of the same incident (`FindingPromotion.checkParent`),
        // so the parent and the children are among the incident's reviews: one read.
        let siblings = try await store.reviews(incidentID: incident.id, viewer: viewer)
        var alignments: [UUID: Alignment] = [:]
        for f in followUps { alignments[f.id] = catalog.alignment(of: f, incident: incident) }
        return ReviewFacts(
            review: review, incident: incident, followUps: followUps, alignments: alignments,
            completeness: ReviewCompletenessCheck.evaluate(rule: settings.practice.completenessRule, reviewStatus: review.status, followUps: followUps, focus: focus),
            window: ReviewWindow(incident: incident, hours: settings.reviewWindowHours),
            ballot: ballot,
            findings: try await store.findings(of: seen),
            marks: try await store.languageMarks(of: seen),
            findingTags: try await store.findingTags(reviewID: review.id),
            parent: review.parentReviewID.flatMap { id in siblings.first { $0.id == id } },
            children: siblings.filter { $0.parentReviewID == review.id },
            incidentReviews: siblings,
            names: catalog)
    }
}

/// Names and paging of the catalog, for labels and ownership checks.
struct CatalogNames: Sendable {
    var teams: [String: String]
    var services: [String: String]
    var paged: [String: [String]]
    var users: [UUID: String]

    /// The catalog, and the names of `people` only: a page names a few
    /// people, and reading everyone's made pages grow with the organisation.
    static func load(_ store: LoreStore, people: some Sequence<UUID?> = [UUID?]()) async throws -> CatalogNames {
        // Services carry their paged teams, so paging is not read a second time.
        let services = try await store.services()
        return CatalogNames(
            teams: Dictionary(uniqueKeysWithValues: try await store.teams().map { ($0.slug, $0.name) }),
            services: Dictionary(uniqueKeysWithValues: services.map { ($0.slug, $0.name) }),
            paged: Dictionary(uniqueKeysWithValues: services.filter { !$0.pagedTeams.isEmpty }.map { ($0.slug, $0.pagedTeams) }),
            users: Dictionary(uniqueKeysWithValues: try await store.users(ids: people.compactMap { $0 }).map { ($0.id, $0.displayName) }))
    }

    func alignment(of f: FollowUp, incident: Incident) -> Alignment {
        OwnershipAlignment.check(followUp: f, incidentServices: incident.services, pagedTeams: paged, teamNames: teams, serviceNames: services)
    }

    func team(_ slug: String) -> String { teams[slug] ?? slug }
    func service(_ slug: String) -> String { services[slug] ?? slug }
    func user(_ id: UUID?) -> String? { id.flatMap { users[$0] } }
}

