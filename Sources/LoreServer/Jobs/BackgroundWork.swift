import AsyncHTTPClient
import Crypto
import Foundation
import Logging
import LoreCore
import LoreStore
import NIOCore
import NIOHTTP1
import ServiceLifecycle

/// Lore's background work: review-window reminders, follow-through
/// checkpoints and each team's weekly digest, delivered to the configured
/// webhooks.
///
/// Each tick (1) plans: writes the jobs that should exist, keyed so that
/// planning twice — or in two processes — adds nothing; and (2) drains: claims
/// due jobs one at a time and runs them. An event job fans out into one
/// delivery job per endpoint, so a failing receiver is retried (with backoff)
/// without re-sending to the others.
public final class BackgroundWork: ServiceLifecycle.Service, Sendable {
    let store: LoreStore
    let worker: String
    let interval: Duration
    let clock: @Sendable () -> Date
    let http: HTTPClient
    let logger: Logger
    /// Audit rows older than this many days are deleted.
    let auditRetentionDays: Int
    /// Lore's public address, for links in digests (none when unknown).
    let publicURL: String?
    /// The server's language checker, to keep each review's count of open
    /// wording findings current (none: the dashboard counts on its own).
    let language: LanguageSupport?
    /// Where delivery outcomes are counted (the server's `/metrics`).
    let metrics: LoreMetrics?

    public convenience init(store: LoreStore, worker: String = "lore-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))",
                interval: Duration = .seconds(5), clock: @escaping @Sendable () -> Date = { Date() }, logger: Logger = Logger(label: "lore.jobs"),
                auditRetentionDays: Int = AuditRetention.defaultDays, publicURL: String? = nil, language: LanguageSupport? = nil) {
        self.init(store: store, worker: worker, interval: interval, clock: clock, logger: logger, auditRetentionDays: auditRetentionDays,
                  publicURL: publicURL, language: language, metrics: nil)
    }

    init(store: LoreStore, worker: String = "lore-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))",
         interval: Duration = .seconds(5), clock: @escaping @Sendable () -> Date = { Date() }, logger: Logger = Logger(label: "lore.jobs"),
         auditRetentionDays: Int = AuditRetention.defaultDays, publicURL: String? = nil, language: LanguageSupport? = nil, metrics: LoreMetrics?) {
        self.metrics = metrics
        self.store = store
        self.language = language
        self.publicURL = publicURL
        self.auditRetentionDays = auditRetentionDays
        self.worker = worker
        self.interval = interval
        self.clock = clock
        self.http = HTTPClient(eventLoopGroupProvider: .singleton)
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await self.tick()
                } catch {
                    self.logger.error("Background work failed: \(String(reflecting: error))")
                }
                try? await Task.sleep(for: self.interval)
            }
        }
        try? await http.shutdown()
    }

    /// Plans and runs everything due now. Tests call this directly.
    public func tick() async throws {
        try await plan()
        // Cheap (an indexed range), and idempotent if two servers do it at once.
        try await store.pruneAudit(olderThanDays: auditRetentionDays, now: clock())
        // A large import indexed behind itself and was cut short (the process
        // stopped): finish it. Nothing to do, and one read, otherwise.
        try await store.catchUpSearchIndex()
        while let job = try await store.claimJob(worker: worker, now: clock()) {
            await run(job)
        }
        // After the people or the rules change every review is counted again
        // (about 0.3 ms per review): here, not in the first dashboard view.
        // Otherwise one indexed read.
        try await language?.refreshWordingCounts(store: store)
    }

    public func shutdown() async {
        try? await http.shutdown()
    }

    // MARK: Planning

    func plan() async throws {
        let now = clock()
        let settings = try await store.settings()
        // Reminders: one job per incident, window and reminder point. Points
        // long past (the server was down, or the window is from old data) are
        // not planned: a reminder a day late helps nobody.
        for incident in try await store.incidentsWithWindow(closingAfter: now.addingTimeInterval(-86400), windowHours: settings.reviewWindowHours) {
            guard let window = ReviewWindow(incident: incident, hours: settings.reviewWindowHours) else { continue }
            for (hours, at) in window.reminderTimes(hoursBefore: settings.practice.reminderHoursBefore) where at > now.addingTimeInterval(-6 * 3600) {
                let payload = Self.encode(["incidentId": incident.id.uuidString, "hoursBefore": String(hours), "closesAt": LoreTime.iso(window.closesAt)])
                try await store.enqueueJob(kind: "reminder", dedupeKey: "reminder:\(incident.id):\(Int(window.closesAt.timeIntervalSince1970)):\(hours)", payload: payload, dueAt: at, now: now)
            }
        }
        // Follow-through checkpoints after each closed ballot.
        for ballot in try await store.closedBallots() {
            for (day, at) in settings.practice.followThrough.dueDates(closedAt: ballot.closedAt) {
                let payload = Self.encode(["ballotId": ballot.ballotID.uuidString, "reviewId": ballot.reviewID.uuidString, "day": String(day)])
                try await store.enqueueJob(kind: "checkpoint", dedupeKey: "checkpoint:\(ballot.ballotID):\(day)", payload: payload, dueAt: at, now: now)
            }
        }
        // Weekly digests: this week's (unless more than six hours past, as
        // for reminders) and next week's, for each team that chose a time.
        for (team, schedule) in try await store.digestSchedules() {
            let latest = schedule.latestWeek(atOrBefore: now)
            for week in [latest, latest.next] {
                let at = schedule.sendMoment(of: week)
                guard at > now.addingTimeInterval(-6 * 3600) else { continue }
                try await store.enqueueJob(kind: "digest", dedupeKey: "digest:\(team):\(week)", payload: Self.encode(["team": team, "week": week.description]), dueAt: at, now: now)
            }
        }
    }

    // MARK: Running

    func run(_ job: Job) async {
        do {
            switch job.kind {
            case "reminder": try await runReminder(job)
            case "checkpoint": try await runCheckpoint(job)
            case "digest": try await runDigest(job)
            case "deliver": try await deliver(job)
            case "tracker.push": try await pushToTracker(job)
            case "tracker.state": try await sendStateToTracker(job)
            case "tracker.event": try await applyTrackerEvent(job)
            default:
                try await store.failJob(job.id, worker: worker, error: "unknown job kind \(job.kind)", retryAt: nil, now: clock())
            }
        } catch {
            logger.warning("Job \(job.kind) \(job.dedupeKey) failed (attempt \(job.attempts)): \(error)")
            var retry = job.attempts >= DeliveryBackoff.maxAttempts ? nil : clock().addingTimeInterval(DeliveryBackoff.delay(afterAttempt: job.attempts))
            // A tracker that says how long to wait (Retry-After) is waited for;
            // what trying again cannot mend (a bad token, a refused request,
            // a reason too long) fails at once, with its reason kept.
            if let failure = error as? TrackerFailure {
                if failure.permanent { retry = nil } else if let wait = failure.retryAfter, retry != nil { retry = clock().addingTimeInterval(max(wait, 1)) }
            }
            if error is ValidationError { retry = nil }
            if job.kind == "deliver" { metrics?.webhookDelivery(retry == nil ? "failed" : "retrying") }
            try? await store.failJob(job.id, worker: worker, error: "\(error)", retryAt: retry, now: clock())
        }
    }

    func runReminder(_ job: Job) async throws {
        let p = Self.decode(job.payload)
        let now = clock()
        guard let id = p["incidentId"].flatMap(UUID.init(uuidString:)), let incident = try await store.incident(id: id),
              let hours = p["hoursBefore"].flatMap(Int.init) else {
            try await store.completeJob(job.id, worker: worker, now: now, note: "incident gone")
            return
        }
        let settings = try await store.settings()
        guard let window = ReviewWindow(incident: incident, hours: settings.reviewWindowHours),
              LoreTime.iso(window.closesAt) == p["closesAt"] else {
            try await store.completeJob(job.id, worker: worker, now: now, note: "window moved")
            return
        }
        if let held = try await store.firstHeldAt(incidentID: incident.id), held <= now {
            try await store.completeJob(job.id, worker: worker, now: now, note: "review already held")
            return
        }
        let name = settings.practiceNameLowercased
        let text = hours == 0
            ? "The \(settings.reviewWindowHours)-hour window for a \(name) of \(incident.key) “\(incident.title)” has closed without a \(name) held. It can still be held; later recollection is less reliable."
            : "\(hours) h left to hold the \(name) of \(incident.key) “\(incident.title)” within its \(settings.reviewWindowHours)-hour window (closes \(LoreTime.iso(window.closesAt)))."
        let event = WebhookEvent(
            type: hours == 0 ? "review.window_closed" : "review.window_reminder", id: job.dedupeKey, occurredAt: job.dueAt, text: text,
            data: ["incidentKey": incident.key, "incidentTitle": incident.title, "closesAt": LoreTime.iso(window.closesAt), "hoursBefore": hours])
        try await fanOut(event, job: job)
    }

    func runCheckpoint(_ job: Job) async throws {
        let p = Self.decode(job.payload)
        let now = clock()
        guard let ballotID = p["ballotId"].flatMap(UUID.init(uuidString:)), let day = p["day"].flatMap(Int.init),
              let reading = try await store.takeFollowThroughReading(ballotID: ballotID, day: day, now: job.dueAt) else {
            try await store.completeJob(job.id, worker: worker, now: now, note: "ballot gone")
            return
        }
        let event = WebhookEvent(
            type: "ballot.follow_through", id: job.dedupeKey, occurredAt: job.dueAt, text: "Day \(day) after ranking: \(reading.sentence)",
            data: ["reviewId": p["reviewId"] ?? "", "day": day, "focusClosed": reading.focusClosed, "focusTotal": reading.focusTotal,
                   "othersClosed": reading.othersClosed, "othersTotal": reading.othersTotal, "sentence": reading.sentence])
        try await fanOut(event, job: job)
    }

    /// A team's weekly digest. One job per team and week (its key), so two
    /// servers send it once. When the team moved its time after the job was
    /// planned, the job waits for the new time rather than a second job
    /// being planned for the same week.
    func runDigest(_ job: Job) async throws {
        let p = Self.decode(job.payload)
        let now = clock()
        guard let team = p["team"], let week = p["week"].flatMap(DigestWeek.parse), let schedule = try await store.digestSchedule(teamSlug: team) else {
            try await store.completeJob(job.id, worker: worker, now: now, note: "digest stopped")
            return
        }
        let moment = schedule.sendMoment(of: week)
        if moment > now {
            try await store.failJob(job.id, worker: worker, error: "the team moved its digest to \(LoreTime.iso(moment))", retryAt: moment, now: now)
            return
        }
        guard let digest = try await store.teamDigest(teamSlug: team, week: week, now: now) else {
            try await store.completeJob(job.id, worker: worker, now: now, note: "team gone")
            return
        }
        let names = Dictionary(uniqueKeysWithValues: try await store.services().map { ($0.slug, $0.name) })
        let base = publicURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        let text = digest.text(serviceName: { names[$0] ?? $0 }, link: { path in base.map { $0 + path } })
        var data = digest.data
        if let base { data["url"] = base + "/teams/\(team)/digest?week=\(week)" }
        try await fanOut(WebhookEvent(type: "team.weekly_digest", id: job.dedupeKey, occurredAt: moment, text: text, data: data), job: job)
    }

    /// One delivery job per active endpoint, then the event job is done.
    func fanOut(_ event: WebhookEvent, job: Job) async throws {
        let now = clock()
        try await Self.enqueueDeliveries(of: event, store: store, now: now)
        try await store.completeJob(job.id, worker: worker, now: now)
    }

    /// One delivery job per active endpoint, in the endpoint's format; the
    /// background work sends them (and retries a failing receiver alone).
    static func enqueueDeliveries(of event: WebhookEvent, store: LoreStore, now: Date) async throws {
        for endpoint in try await store.webhookEndpoints() where endpoint.active {
            let body = String(decoding: event.body(for: endpoint.format), as: UTF8.self)
            let payload = encode(["endpointId": endpoint.id.uuidString, "eventType": event.type, "eventId": event.id, "body": body])
            try await store.enqueueJob(kind: "deliver", dedupeKey: "deliver:\(event.id):\(endpoint.id)", payload: payload, dueAt: now, now: now)
        }
    }

    func deliver(_ job: Job) async throws {
        let p = Self.decode(job.payload)
        guard let id = p["endpointId"].flatMap(UUID.init(uuidString:)), let (endpoint, secret) = try await store.webhookEndpointForDelivery(id: id), endpoint.active else {
            try await store.completeJob(job.id, worker: worker, now: clock(), note: "endpoint removed")
            metrics?.webhookDelivery("dropped")
            return
        }
        let body = Data((p["body"] ?? "").utf8)
        var request = HTTPClientRequest(url: endpoint.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "Lore-Webhooks/1")
        request.headers.add(name: "X-Lore-Event", value: p["eventType"] ?? "")
        request.headers.add(name: "X-Lore-Delivery", value: job.id.uuidString)
        request.headers.add(name: "X-Lore-Signature", value: WebhookSignature.header(body: body, secret: secret))
        request.body = .bytes(ByteBuffer(data: body))
        let response = try await http.execute(request, timeout: .seconds(10))
        _ = try? await response.body.collect(upTo: 64 * 1024)
        guard (200..<300).contains(Int(response.status.code)) else {
            throw DeliveryError(message: "\(endpoint.url) answered \(response.status.code)")
        }
        try await store.completeJob(job.id, worker: worker, now: clock())
        metrics?.webhookDelivery("delivered")
    }

    struct DeliveryError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    static func encode(_ fields: [String: String]) -> String {
        String(decoding: (try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])) ?? Data("{}".utf8), as: UTF8.self)
    }

    static func decode(_ text: String) -> [String: String] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: String] ?? [:]
    }
}

/// `X-Lore-Signature: sha256=<hex>`: HMAC-SHA256 of the raw body with the
/// endpoint's secret. Receivers recompute it and compare in constant time.
public enum WebhookSignature {
    public static func header(body: Data, secret: String) -> String {
        "sha256=" + hmacHex(body: body, secret: secret)
    }

    /// Lowercase hex HMAC-SHA256 of `body` keyed with `secret`; the same
    /// construction PagerDuty uses for the deliveries Lore receives.
    public static func hmacHex(body: Data, secret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8)))
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for byte in mac {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
