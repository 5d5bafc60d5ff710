import Foundation

/// Everything Lore knows about one service, as its page shows it: the page an
/// engineer reads before their first on-call week. What came from reviews
/// (findings, follow-ups raised in a review) holds only what the viewer may
/// see; incidents are open to every signed-in person.
public struct ServiceHistory: Sendable {
    /// An incident of the service, as a dot on its time axis.
    public struct IncidentMark: Sendable, Equatable {
        public var number: Int
        public var title: String
        public var severity: String
        public var status: IncidentStatus
        public var happenedAt: Date
        public var key: String { Incident.key(for: number) }

        public init(number: Int, title: String, severity: String, status: IncidentStatus, happenedAt: Date) {
            self.number = number
            self.title = title
            self.severity = severity
            self.status = status
            self.happenedAt = happenedAt
        }
    }

    /// A finding of a review of one of the service's incidents.
    public struct Learned: Sendable, Equatable {
        public var incidentNumber: Int
        public var incidentTitle: String
        public var reviewID: UUID
        public var kind: FindingKind
        public var text: String
        public var at: Date

        public init(incidentNumber: Int, incidentTitle: String, reviewID: UUID, kind: FindingKind, text: String, at: Date) {
            self.incidentNumber = incidentNumber
            self.incidentTitle = incidentTitle
            self.reviewID = reviewID
            self.kind = kind
            self.text = text
            self.at = at
        }
    }

    /// A team and how many of the service's incidents in the period named it.
    public struct TeamCount: Sendable, Equatable {
        public var team: String
        public var incidents: Int
        public init(team: String, incidents: Int) {
            self.team = team
            self.incidents = incidents
        }
    }

    /// A word that comes back in the contributing factors of several
    /// incidents, with those incidents (numbers, newest first).
    public struct RecurringFactor: Sendable, Equatable {
        public var word: String
        public var incidents: [Int]
        public init(word: String, incidents: [Int]) {
            self.word = word
            self.incidents = incidents
        }
    }

    public var service: Service
    /// Every incident of the service, ever.
    public var incidentCount: Int
    /// The period the dots and team counts cover.
    public var since: Date
    public var until: Date
    /// Incidents of the period, newest first (at most `markLimit`).
    public var incidents: [IncidentMark]
    /// Incidents of the period; more than `incidents.count` when capped.
    public var incidentsInPeriod: Int
    /// Findings (learnings, contributing factors, surprises), newest first.
    public var learned: [Learned]
    public var openFollowUps: [FollowUp]
    public var recentlyClosedFollowUps: [FollowUp]
    /// The incident number of each follow-up's incident.
    public var incidentNumbers: [UUID: Int]
    /// Teams on the period's incidents, most often first.
    public var teams: [TeamCount]
    public var recurringFactors: [RecurringFactor]

    public init(service: Service, incidentCount: Int, since: Date, until: Date, incidents: [IncidentMark], incidentsInPeriod: Int, learned: [Learned],
                openFollowUps: [FollowUp], recentlyClosedFollowUps: [FollowUp], incidentNumbers: [UUID: Int], teams: [TeamCount], recurringFactors: [RecurringFactor]) {
        self.service = service
        self.incidentCount = incidentCount
        self.since = since
        self.until = until
        self.incidents = incidents
        self.incidentsInPeriod = incidentsInPeriod
        self.learned = learned
        self.openFollowUps = openFollowUps
        self.recentlyClosedFollowUps = recentlyClosedFollowUps
        self.incidentNumbers = incidentNumbers
        self.teams = teams
        self.recurringFactors = recurringFactors
    }

    /// How far back the page looks for dots and teams.
    public static let period: TimeInterval = 365 * 86_400
    /// At most this many dots: a busy service's year stays one readable strip.
    public static let markLimit = 1_000
    public static let learnedLimit = 20
    public static let followUpLimit = 30
    /// Closed follow-ups are "recent" for this long.
    public static let recentlyClosed: TimeInterval = 90 * 86_400

    /// The distinctive words (see `RelatedIncidents.distinctiveWords`) that
    /// the contributing factors of at least `minimum` different incidents
    /// use, most incidents first: "retry" in four reviews is a pattern worth
    /// a look, in one it is a detail.
    public static func recurring(_ factors: [(incident: Int, text: String)], minimum: Int = 2, limit: Int = 8) -> [RecurringFactor] {
        var byWord: [String: Set<Int>] = [:]
        for f in factors {
            for w in RelatedIncidents.distinctiveWords(f.text) { byWord[w, default: []].insert(f.incident) }
        }
        return byWord.filter { $0.value.count >= minimum }
            .map { RecurringFactor(word: $0.key, incidents: $0.value.sorted(by: >)) }
            .sorted { ($0.incidents.count, $1.word) > ($1.incidents.count, $0.word) }
            .prefix(limit).map { $0 }
    }
}
