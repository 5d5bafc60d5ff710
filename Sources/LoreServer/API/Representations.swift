import Foundation
import LoreCore
import LoreStore

// How Lore's values look in the JSON API: typed values that the OpenAPI
// document (`Public/openapi.yaml`) describes field for field, so that a field
// added on one side only fails `OpenAPIContractTests` and schemathesis. Times
// are RFC 3339 UTC with milliseconds; absent values are `null`, never omitted,
// so clients can rely on the documented shape.

/// A value written as JSON `null` when absent, rather than left out (which is
/// what synthesized `Encodable` does with optionals).
@propertyWrapper
public struct Nullable<Value: Encodable>: Encodable {
    public var wrappedValue: Value?

    public init(wrappedValue: Value?) { self.wrappedValue = wrappedValue }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        if let wrappedValue { try c.encode(wrappedValue) } else { try c.encodeNil() }
    }
}

/// `{"items": [...]}`: the lists the API answers without pages.
public struct ItemsJSON<Item: Encodable>: Encodable {
    public var items: [Item]
    public init(_ items: [Item]) { self.items = items }
}

/// One page of a longer list.
public struct PageJSON<Item: Encodable>: Encodable {
    public var items: [Item]
    public var page: Int
    public var perPage: Int
    public var total: Int
    public var pageCount: Int
}

public struct ReviewWindowJSON: Encodable {
    public var opensAt: String
    public var closesAt: String
    public var open: Bool
    public var description: String
    public var kept: Bool
}

public struct ExternalReferenceJSON: Encodable {
    public var system: String
    public var id: String
    @Nullable public var url: String?
}

public struct DurationsJSON: Encodable {
    @Nullable public var toDetectSeconds: Double?
    @Nullable public var toAcknowledgeSeconds: Double?
    @Nullable public var toMitigateSeconds: Double?
    @Nullable public var toResolveSeconds: Double?
}

public struct IncidentJSON: Encodable {
    public var id: String
    public var key: String
    public var number: Int
    public var title: String
    public var severity: String
    public var status: String
    public var services: [String]
    public var teams: [String]
    public var detectionSource: String
    @Nullable public var impactStartedAt: String?
    @Nullable public var detectedAt: String?
    @Nullable public var acknowledgedAt: String?
    @Nullable public var mitigatedAt: String?
    @Nullable public var resolvedAt: String?
    public var durations: DurationsJSON
    public var customerImpact: String
    public var labels: [String]
    public var externalReferences: [ExternalReferenceJSON]
    public var createdAt: String
    public var updatedAt: String
    /// Null while impact is ongoing.
    @Nullable public var reviewWindow: ReviewWindowJSON?
}

public struct TimelineEntryJSON: Encodable {
    public var id: String
    public var incidentKey: String
    public var occurredAt: String
    public var recordedAt: String
    public var author: String
    @Nullable public var authorUserId: String?
    public var source: String
    public var kind: String
    public var text: String
    @Nullable public var reflection: String?
    @Nullable public var marker: String?
    @Nullable public var externalId: String?
    @Nullable public var sourceUrl: String?
    public var recalledLater: Bool
    @Nullable public var removedAt: String?
    @Nullable public var removedBy: String?
}

public struct ParticipantJSON: Encodable {
    public var userId: String
    public var role: String
}

public struct ReviewJSON: Encodable {
    public var id: String
    public var incidentKey: String
    public var practiceName: String
    public var title: String
    public var level: String
    public var visibility: String
    public var teams: [String]
    public var withoutManagers: Bool
    @Nullable public var parentReviewId: String?
    public var status: String
    @Nullable public var facilitatorId: String?
    public var participants: [ParticipantJSON]
    @Nullable public var meetingAt: String?
    /// Markdown per section, keyed by `ReviewSection.rawValue`.
    public var sections: [String: String]
    public var createdAt: String
    public var updatedAt: String
    @Nullable public var heldAt: String?
    @Nullable public var publishedAt: String?
}

/// One review as `GET /api/v1/reviews/{id}` answers it: the review's fields
/// and, beside them, what Lore knows about it.
public struct ReviewDetailJSON: Encodable {
    public var review: ReviewJSON
    public var complete: Bool
    public var completeness: String
    @Nullable public var window: ReviewWindowJSON?
    public var childReviewIds: [String]
    public var languageFindings: [LanguageFindingJSON]
    public var openLanguageFindings: Int

    enum CodingKeys: String, CodingKey {
        case complete, completeness, window, childReviewIds, languageFindings, openLanguageFindings
    }

    /// The review's own fields at the top level, next to the others.
    public func encode(to encoder: any Encoder) throws {
        try review.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(complete, forKey: .complete)
        try c.encode(completeness, forKey: .completeness)
        try c.encode(_window, forKey: .window)
        try c.encode(childReviewIds, forKey: .childReviewIds)
        try c.encode(languageFindings, forKey: .languageFindings)
        try c.encode(openLanguageFindings, forKey: .openLanguageFindings)
    }
}

public struct FindingJSON: Encodable {
    public var id: String
    public var reviewId: String
    public var kind: String
    public var text: String
    @Nullable public var createdBy: String?
    public var createdAt: String
    public var promoted: Bool
    /// Null when the viewer may not see the review it came from.
    @Nullable public var promotedFromId: String?
    @Nullable public var promotedFromReviewId: String?
}

public struct BallotJSON: Encodable {
    public struct Candidate: Encodable {
        public var followUpId: String
        public var title: String
    }

    public struct TallyRow: Encodable {
        public var followUpId: String
        public var title: String
        public var rank: Int
        public var points: Int
        public var pickers: Int
        public var picksByPosition: [Int]
        public var focus: Bool
    }

    public struct Reading: Encodable {
        public var day: Int
        public var takenAt: String
        public var focusClosed: Int
        public var focusTotal: Int
        public var othersClosed: Int
        public var othersTotal: Int
        public var sentence: String
    }

    public var id: String
    public var reviewId: String
    public var status: String
    public var picksPerVoter: Int
    public var focusSize: Int
    public var openedAt: String
    @Nullable public var closedAt: String?
    public var candidates: [Candidate]
    /// Who has voted, never what.
    public var voterIds: [String]
    public var myPicks: [String]
    public var readings: [Reading]
    /// Null until the ballot closes: no running tally.
    @Nullable public var tally: [TallyRow]?
    @Nullable public var focus: [String]?
}

public struct FollowUpChangeJSON: Encodable {
    public var at: String
    @Nullable public var byUserId: String?
    @Nullable public var from: String?
    public var to: String
    @Nullable public var reason: String?
}

public struct FollowUpJSON: Encodable {
    public var id: String
    public var incidentKey: String
    @Nullable public var reviewId: String?
    public var title: String
    public var description: String
    public var ownerTeam: String
    @Nullable public var ownerUserId: String?
    @Nullable public var service: String?
    @Nullable public var dueDate: String?
    @Nullable public var trackerReference: String?
    public var status: String
    @Nullable public var decisionReason: String?
    @Nullable public var decidedBy: String?
    @Nullable public var decidedAt: String?
    /// Decided in the tracker: where and by whom.
    @Nullable public var decidedIn: String?
    @Nullable public var plan: String?
    public var misaligned: Bool
    @Nullable public var alignment: String?
    public var createdAt: String
    @Nullable public var closedAt: String?
}

public struct TeamJSON: Encodable {
    public var id: String
    public var name: String
    public var slug: String
}

public struct ServiceJSON: Encodable {
    public var id: String
    public var name: String
    public var slug: String
    @Nullable public var owningTeam: String?
    @Nullable public var onCallTeam: String?
    public var pagedTeams: [String]
    @Nullable public var pagerDutyServiceId: String?
}

public struct UserJSON: Encodable {
    public var id: String
    public var displayName: String
    public var handle: String
    public var email: String
    public var role: String
    public var timeZone: String
}

public struct SettingsJSON: Encodable {
    public var organisationName: String
    public var practiceName: String
    public var practiceNamePlural: String
    public var reviewWindowHours: Int
    public var severities: [String]
    public var detectionSources: [String]
}

public struct AuditEventJSON: Encodable {
    public var id: String
    public var at: String
    @Nullable public var actorId: String?
    public var actorName: String
    public var action: String
    public var subjectType: String
    @Nullable public var subjectId: String?
    @Nullable public var from: String?
    @Nullable public var to: String?
    @Nullable public var detail: String?
    @Nullable public var address: String?
}

public struct WebhookJSON: Encodable {
    public var id: String
    public var name: String
    public var url: String
    public var format: String
    public var active: Bool
    public var createdAt: String
    /// Only in the answer that creates it; never shown again.
    public var secret: String?
}

public struct LanguageMarkJSON: Encodable {
    public var section: String
    public var ruleId: String
    public var matchedText: String
    public var note: String
    public var markedAt: String
}

public struct LanguageFindingJSON: Encodable {
    public struct Kept: Encodable {
        public var note: String
        public var markedAt: String
    }

    public var ruleId: String
    public var category: String
    public var level: String
    public var line: Int
    public var column: Int
    /// UTF-16 offsets.
    public var start: Int
    public var end: Int
    public var matchedText: String
    public var message: String
    public var suggestions: [String]
    @Nullable public var section: String?
    @Nullable public var keptAsWritten: Kept?
}

/// `{"error": {...}}`: what every failed API request answers.
public struct ErrorJSON: Encodable {
    public struct Issue: Encodable {
        public var field: String
        public var code: String
        public var message: String
    }

    public struct Detail: Encodable {
        public var code: String
        public var message: String
        @Nullable public var field: String?
        /// Every problem found, when there was more than one kind; left out otherwise.
        public var issues: [Issue]?
    }

    public var error: Detail
}

/// Builds the API's values from Lore's.
public enum Representation {
    static func time(_ d: Date?) -> String? { d.map(LoreTime.iso) }

    static func related(_ r: RelatedIncident) -> RelatedIncidentJSON {
        RelatedIncidentJSON(
            key: r.key, title: r.title, happenedAt: time(r.happenedAt), reason: r.reason(), sharedServices: r.sharedServices,
            sharedLabels: r.sharedLabels, sameDetectionSource: r.sameDetectionSource, sharedWords: r.sharedWords)
    }

    public static func incident(_ i: Incident, settings: OrganisationSettings, now: Date = Date()) -> IncidentJSON {
        let d = i.times.durations
        return IncidentJSON(
            id: i.id.uuidString, key: i.key, number: i.number, title: i.title, severity: i.severity, status: i.status.rawValue,
            services: i.services, teams: i.teams, detectionSource: i.detectionSource,
            impactStartedAt: time(i.times.impactStartedAt), detectedAt: time(i.times.detectedAt),
            acknowledgedAt: time(i.times.acknowledgedAt), mitigatedAt: time(i.times.mitigatedAt), resolvedAt: time(i.times.resolvedAt),
            durations: DurationsJSON(toDetectSeconds: d.toDetect, toAcknowledgeSeconds: d.toAcknowledge, toMitigateSeconds: d.toMitigate, toResolveSeconds: d.toResolve),
            customerImpact: i.customerImpact, labels: i.labels,
            externalReferences: i.externalReferences.map { ExternalReferenceJSON(system: $0.system, id: $0.id, url: $0.url) },
            createdAt: LoreTime.iso(i.createdAt), updatedAt: LoreTime.iso(i.updatedAt),
            reviewWindow: window(ReviewWindow(incident: i, hours: settings.reviewWindowHours), heldAt: nil, now: now)
        )
    }

    /// The review window with the time left or since it closed, or nil while
    /// impact is ongoing.
    static func window(_ w: ReviewWindow?, heldAt: Date?, now: Date) -> ReviewWindowJSON? {
        guard let w else { return nil }
        return ReviewWindowJSON(opensAt: LoreTime.iso(w.opensAt), closesAt: LoreTime.iso(w.closesAt), open: w.isOpen(at: now),
                                description: w.describe(at: now), kept: w.wasKept(heldAt: heldAt))
    }

    public static func entry(_ e: TimelineEntry, incident: Incident, settings: OrganisationSettings) -> TimelineEntryJSON {
        TimelineEntryJSON(
            id: e.id.uuidString, incidentKey: incident.key, occurredAt: LoreTime.iso(e.occurredAt), recordedAt: LoreTime.iso(e.recordedAt),
            author: e.author, authorUserId: e.authorUserID?.uuidString, source: e.source.rawValue, kind: e.kind.rawValue,
            text: e.text, reflection: e.reflection, marker: e.marker?.rawValue, externalId: e.externalID, sourceUrl: e.sourceURL,
            recalledLater: e.isRecalledLater(resolvedAt: incident.times.resolvedAt, reviewWindow: settings.reviewWindow),
            removedAt: e.removal.map { LoreTime.iso($0.at) }, removedBy: e.removal?.byName
        )
    }

    public static func review(_ r: Review, incident: Incident, settings: OrganisationSettings) -> ReviewJSON {
        var sections: [String: String] = [:]
        for s in ReviewSection.allCases { sections[s.rawValue] = r.text(s) }
        return ReviewJSON(
            id: r.id.uuidString, incidentKey: incident.key, practiceName: settings.practiceName,
            title: r.title, level: r.level.rawValue, visibility: r.visibility.rawValue, teams: r.teams,
            withoutManagers: r.withoutManagers, parentReviewId: r.parentReviewID?.uuidString,
            status: r.status.rawValue, facilitatorId: r.facilitatorID?.uuidString,
            participants: r.participants.map { ParticipantJSON(userId: $0.userID.uuidString, role: $0.role.rawValue) },
            meetingAt: time(r.meetingAt), sections: sections, createdAt: LoreTime.iso(r.createdAt), updatedAt: LoreTime.iso(r.updatedAt),
            heldAt: time(r.heldAt), publishedAt: time(r.publishedAt)
        )
    }

    static func reviewDetail(_ f: ReviewFacts, settings: OrganisationSettings, language: [SectionFinding], now: Date) -> ReviewDetailJSON {
        ReviewDetailJSON(
            review: review(f.review, incident: f.incident, settings: settings),
            complete: f.completeness.isComplete, completeness: f.completeness.reason,
            window: window(f.window, heldAt: f.review.heldAt, now: now), childReviewIds: f.children.map(\.id.uuidString),
            languageFindings: language.map { languageFinding($0.finding, section: $0.section, kept: $0.kept) },
            openLanguageFindings: language.filter { $0.kept == nil }.count
        )
    }

    static func finding(_ f: Finding) -> FindingJSON {
        FindingJSON(id: f.id.uuidString, reviewId: f.reviewID.uuidString, kind: f.kind.rawValue, text: f.text,
                    createdBy: f.createdBy?.uuidString, createdAt: LoreTime.iso(f.createdAt),
                    promoted: f.isPromoted, promotedFromId: f.promotedFromID?.uuidString, promotedFromReviewId: f.promotedFromReviewID?.uuidString)
    }

    /// Until the ballot closes this holds who voted and the viewer's own
    /// picks only: no one else's picks, no running tally.
    static func ballot(_ b: BallotView) -> BallotJSON {
        BallotJSON(
            id: b.id.uuidString, reviewId: b.reviewID.uuidString, status: b.status.rawValue,
            picksPerVoter: b.rules.picksPerVoter, focusSize: b.rules.focusSize,
            openedAt: LoreTime.iso(b.openedAt), closedAt: time(b.closedAt),
            candidates: b.candidates.map { BallotJSON.Candidate(followUpId: $0.followUpID.uuidString, title: $0.title) },
            voterIds: b.voters.map(\.uuidString), myPicks: b.myPicks.map(\.uuidString),
            readings: b.readings.map {
                BallotJSON.Reading(day: $0.day, takenAt: LoreTime.iso($0.takenAt), focusClosed: $0.focusClosed, focusTotal: $0.focusTotal,
                                   othersClosed: $0.othersClosed, othersTotal: $0.othersTotal, sentence: $0.sentence)
            },
            tally: b.tally.map { t in
                t.rows.map {
                    BallotJSON.TallyRow(followUpId: $0.followUpID.uuidString, title: $0.title, rank: $0.rank, points: $0.points,
                                        pickers: $0.pickers, picksByPosition: $0.picksByPosition, focus: $0.isFocus)
                }
            },
            focus: b.tally.map { $0.focus.map(\.uuidString) }
        )
    }

    static func change(_ c: FollowUpChange) -> FollowUpChangeJSON {
        FollowUpChangeJSON(at: LoreTime.iso(c.at), byUserId: c.by?.uuidString, from: c.from?.rawValue, to: c.to.rawValue, reason: c.reason)
    }

    public static func followUp(_ f: FollowUp, incidentKey: String, alignment: Alignment? = nil) -> FollowUpJSON {
        FollowUpJSON(
            id: f.id.uuidString, incidentKey: incidentKey, reviewId: f.reviewID?.uuidString,
            title: f.title, description: f.description, ownerTeam: f.ownerTeam,
            ownerUserId: f.ownerUserID?.uuidString, service: f.service, dueDate: time(f.dueDate), trackerReference: f.trackerReference,
            status: f.status.rawValue, decisionReason: f.decisionReason, decidedBy: f.decidedBy?.uuidString, decidedAt: time(f.decidedAt),
            decidedIn: f.decidedIn, plan: f.plan, misaligned: alignment?.isMisaligned ?? false, alignment: alignment?.explanation,
            createdAt: LoreTime.iso(f.createdAt), closedAt: time(f.closedAt)
        )
    }

    static func team(_ t: Team) -> TeamJSON { TeamJSON(id: t.id.uuidString, name: t.name, slug: t.slug) }

    static func service(_ s: Service) -> ServiceJSON {
        ServiceJSON(id: s.id.uuidString, name: s.name, slug: s.slug, owningTeam: s.owningTeam, onCallTeam: s.onCallTeam,
                    pagedTeams: s.pagedTeams, pagerDutyServiceId: s.pagerDutyServiceID)
    }

    public static func user(_ u: User) -> UserJSON {
        UserJSON(id: u.id.uuidString, displayName: u.displayName, handle: u.handle, email: u.email, role: u.role.rawValue, timeZone: u.timeZone)
    }

    public static func settings(_ s: OrganisationSettings) -> SettingsJSON {
        SettingsJSON(organisationName: s.organisationName, practiceName: s.practiceName, practiceNamePlural: s.practiceNamePlural,
                     reviewWindowHours: s.reviewWindowHours, severities: s.severities, detectionSources: s.detectionSources)
    }

    static func auditEvent(_ e: AuditEvent) -> AuditEventJSON {
        AuditEventJSON(id: e.id.uuidString, at: LoreTime.iso(e.at), actorId: e.actorID?.uuidString, actorName: e.actorName,
                       action: e.action.rawValue, subjectType: e.subjectType, subjectId: e.subjectID, from: e.from, to: e.to,
                       detail: e.detail, address: e.address)
    }

    static func webhook(_ e: WebhookEndpoint, secret: String? = nil) -> WebhookJSON {
        WebhookJSON(id: e.id.uuidString, name: e.name, url: e.url, format: e.format.rawValue, active: e.active,
                    createdAt: LoreTime.iso(e.createdAt), secret: secret)
    }

    static func languageFinding(_ f: LanguageFinding, section: ReviewSection?, kept: LanguageMark?) -> LanguageFindingJSON {
        LanguageFindingJSON(
            ruleId: f.ruleID, category: f.category, level: f.level.rawValue, line: f.line, column: f.column,
            start: f.range.lowerBound, end: f.range.upperBound, matchedText: f.matchedText, message: f.message,
            suggestions: f.suggestions, section: section?.rawValue,
            keptAsWritten: kept.map { LanguageFindingJSON.Kept(note: $0.note, markedAt: LoreTime.iso($0.markedAt)) }
        )
    }

    static func languageMark(_ m: LanguageMark) -> LanguageMarkJSON {
        LanguageMarkJSON(section: m.section, ruleId: m.ruleID, matchedText: m.matchedText, note: m.note, markedAt: LoreTime.iso(m.markedAt))
    }

    static func page<Item: Encodable>(_ items: [Item], _ p: ListPage<some Sendable>) -> PageJSON<Item> {
        PageJSON(items: items, page: p.page, perPage: p.perPage, total: p.total, pageCount: p.pageCount)
    }
}

/// An incident's timeline as a download (`lore timeline export --format json`
/// prints the same).
public struct TimelineExportJSON: Encodable {
    public var incident: String
    public var items: [TimelineEntryJSON]

    public init(incident: Incident, entries: [TimelineEntry], settings: OrganisationSettings) {
        self.incident = incident.key
        items = entries.map { Representation.entry($0, incident: incident, settings: settings) }
    }
}

/// `GET /api/v1/dashboard`: the dashboard page's facts.
public struct DashboardJSON: Encodable {
    public struct DueReview: Encodable {
        public var incidentKey: String
        public var title: String
        public var closesAt: String
        /// "1 d 17 h left", "closed 3 d ago".
        public var window: String
        @Nullable public var heldAt: String?
        public var reviewIds: [String]
    }

    public struct Keeping: Encodable {
        public var kept: Int
        public var missed: Int
        public var pending: Int
        /// Kept among kept and missed; null when none closed yet.
        @Nullable public var share: Double?
        public var summary: String
    }

    public struct FollowThrough: Encodable {
        public var incidentKey: String
        public var reviewId: String
        public var day: Int
        public var sentence: String
    }

    public struct MisalignedFollowUp: Encodable {
        public var incidentKey: String
        public var followUpId: String
        public var title: String
        public var alignment: String
    }

    /// The first open windows, soonest to close first (at most 20).
    public var openWindows: [DueReview]
    /// The newest windows missed in the last 90 days (at most 20).
    public var missedWindows: [DueReview]
    /// How many of each there are in all.
    public var openWindowCount: Int
    public var missedWindowCount: Int
    public var misalignedFollowUpCount: Int
    public var keeping: Keeping
    public var followThrough: [FollowThrough]
    /// The newest open follow-ups owned by a team not paged (at most 20).
    public var misalignedFollowUps: [MisalignedFollowUp]
}

/// What `POST /hooks/pagerduty/{name}` answers PagerDuty.
public struct PagerDutyDeliveryJSON: Encodable {
    /// Set when the event was not about an incident and was dropped.
    public var ignored: Bool?
    public var reason: String?
    public var incident: String?
    public var createdIncident: Bool?
    public var duplicate: Bool?
}

/// `GET /healthz`.
public struct HealthJSON: Encodable {
    public var status: String
    public var database: String
}

/// `POST /api/v1/language/check` and `GET /api/v1/reviews/{id}/language`.
public struct LanguageCheckJSON: Encodable {
    public var findings: [LanguageFindingJSON]
    /// Findings not kept as written (the review's only).
    public var open: Int?
}

/// One incident with everything recorded about it (`lore incidents show --json`).
public struct IncidentDetailJSON: Encodable {
    public var incident: IncidentJSON
    public var timeline: [TimelineEntryJSON]
    public var reviews: [ReviewJSON]
    public var followUps: [FollowUpJSON]

    public init(incident: IncidentJSON, timeline: [TimelineEntryJSON], reviews: [ReviewJSON], followUps: [FollowUpJSON]) {
        self.incident = incident
        self.timeline = timeline
        self.reviews = reviews
        self.followUps = followUps
    }

    enum CodingKeys: String, CodingKey { case timeline, reviews, followUps }

    /// The incident's own fields at the top level, next to the lists.
    public func encode(to encoder: any Encoder) throws {
        try incident.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(timeline, forKey: .timeline)
        try c.encode(reviews, forKey: .reviews)
        try c.encode(followUps, forKey: .followUps)
    }
}

/// An earlier incident shown as "seen before", with the reason in words and
/// its parts.
struct RelatedIncidentJSON: Encodable {
    var key: String
    var title: String
    @Nullable var happenedAt: String?
    var reason: String
    var sharedServices: [String]
    var sharedLabels: [String]
    @Nullable var sameDetectionSource: String?
    var sharedWords: [String]
}
