import Foundation

/// The two years behind the demo's featured incidents: a few hundred lighter
/// incidents (two to four timeline entries, a short review, a follow-up now
/// and then) with a story in them for Insights to find.
///
/// **The story.** Until `DemoData.escalationChange`, customer support put
/// reports of trouble into a triage queue that engineering worked through a
/// few times a day, and incidents that customers noticed first took a median
/// of about two and a half hours to reach an engineer (call centre: about
/// two hours). One of them, four weeks before the change, reached
/// engineering five hours after it began; its review (published, with a
/// follow-up closed on the day of the change) led support and engineering to
/// agree that three tickets with the same symptom within 30 minutes page the
/// on-call engineer directly. After the change, customer-noticed incidents
/// are detected in a median of about 40 minutes, and the first page through
/// the new path says so in its timeline. Over the same time monitoring
/// catches a growing share (alerts and synthetic checks from just under half
/// of all incidents to over half), while the incidents monitoring catches
/// take as long to detect as ever, a few minutes: the group that did not
/// change, where Insights should say it cannot tell. Reviews are held within
/// their window more often after the change (about 70 % before, 88 % after).
///
/// A quarter holds 12 to 18 incidents first noticed by customer support, so
/// comparing the quarter before the change with one after it shows the fall
/// with its interval; call centre, employee reports and third parties stay
/// below the ten a period needs, and Insights says so.
///
/// **Shapes.** Durations are log-normal, with a median and spread per
/// detection source and severity, and now and then a slow-burn incident that
/// took a day to notice; about 6 % have no recorded start of impact (so their
/// time to detect is "not measured"); a few recent ones are still open or
/// mitigated. Incidents arrive busier on weekdays and in working hours,
/// growing slowly over the two years and thinner over the last six months,
/// where the featured incidents are, so that the rate stays even.
///
/// Deterministic: its own SplitMix64 stream, derived from the seed.
struct DemoHistory {
    let now: Date
    let change: Date
    var rng: SplitMix64
    /// `referenceKey` of every external reference already given out.
    var taken: Set<String> = []
    /// The next tracker ticket number, growing with time.
    var ticket = 1180
    var firstPageAfterChange = true
    /// How far each detection source is behind its share (`pickSource`).
    var sourceCredit: [Double] = Array(repeating: 0, count: 7)

    /// How far back the history goes (two years for the demo).
    var days = 730
    /// Incidents per day against the demo's (about half a day); the
    /// benchmark's large organisations raise it.
    var scale = 1.0
    /// The span and density of the featured incidents, which the history
    /// makes room for.
    static let featuredDays = 178.0
    static let featuredPerDay = 30.0 / 176

    init(now: Date, seed: UInt64) {
        self.now = now
        change = DemoData.escalationChange(now: now)
        rng = SplitMix64(seed: seed ^ 0x5EED_0F41_5701_2101)
    }

    /// Oldest first.
    mutating func generate(taken: Set<String>) -> [DemoIncident] {
        self.taken = taken
        var starts: [Date] = []
        let today = Int((now.timeIntervalSince1970 / day).rounded(.down))
        // Each day adds its expected number of incidents, varied by a random
        // factor, to a running credit; whole incidents are taken out of it as
        // it fills. Days still differ (none, one, now and then two), but a
        // quarter holds close to its expected number, not the ±15 % of
        // independent draws.
        var credit = rng.unit()
        for age in stride(from: days, through: 1, by: -1) {
            let dayNumber = today - age
            // 1970-01-01 was a Thursday: 2 and 3 are Saturday and Sunday.
            let weekday = ((dayNumber % 7) + 7) % 7
            let busy = weekday == 2 || weekday == 3 ? 0.55 : 1.18
            var rate = 0.44 + 0.18 * (1 - Double(age) / Double(days))
            if Double(age) < Self.featuredDays { rate = max(0.08, rate - Self.featuredPerDay) }
            rate *= scale
            credit += rate * busy * rng.double(0.2 ... 1.8)
            let count = Int(credit.rounded(.down))
            credit -= Double(count)
            for _ in 0 ..< count {
                let u = rng.unit()
                let hourOfDay: Double = u < 0.12 ? rng.double(0 ... 8) : u < 0.74 ? rng.double(8 ... 18) : rng.double(18 ... 24)
                let start = Date(timeIntervalSince1970: Double(dayNumber) * day + hourOfDay * hour)
                if start < now.addingTimeInterval(-30 * hour) { starts.append(start) }
            }
        }
        // The incident that led to the change, and a few recent ones still
        // being worked on.
        let triggerStart = startOfDay(change.addingTimeInterval(-27 * day)).addingTimeInterval(10 * hour + 12 * minute)
        starts.removeAll { abs($0.timeIntervalSince(triggerStart)) < 2 * hour }
        var plan: [(start: Date, status: IncidentStatus?)] = starts.map { ($0, nil) }
        plan.append((triggerStart, nil))
        plan.append((now.addingTimeInterval(-rng.double(20 ... 40) * hour), .open))
        plan.append((now.addingTimeInterval(-rng.double(50 ... 90) * hour), .mitigated))
        plan.append((now.addingTimeInterval(-rng.double(100 ... 140) * hour), .mitigated))
        plan.sort { $0.start < $1.start }

        var incidents: [DemoIncident] = []
        for p in plan {
            ticket += rng.int(2 ... 7)
            if p.start == triggerStart {
                incidents.append(makeTrigger(start: triggerStart))
            } else {
                incidents.append(makeIncident(start: LoreTime.milliseconds(p.start), forced: p.status))
            }
        }
        return incidents
    }

    // MARK: One incident

    mutating func makeIncident(start: Date, forced: IncidentStatus?) -> DemoIncident {
        let before = start < change
        let source = pickSource(at: start)
        let customers = source == "customer support" || source == "call centre"
        let paged = source == "monitoring alert" || source == "synthetic check"
        let template = pickTemplate(for: source)
        let severity = OrganisationSettings.defaultSeverities[rng.weighted([0.04, 0.13, 0.43, 0.40])]
        let primary = service(template.services[0])

        // The moments, each after the one before, never later than `now`.
        let room = now.timeIntervalSince(start)
        let toDetect = min(timeToDetect(source, before: before), room * 0.3)
        let detected = start.addingTimeInterval(toDetect)
        var toAcknowledge: TimeInterval? = switch source {
        case _ where paged: logNormal(2.5 * minute, 0.7)
        case _ where customers: before ? logNormal(9 * minute, 0.8) : logNormal(3.5 * minute, 0.7)
        default: rng.chance(0.12) ? nil : logNormal(6 * minute, 0.9)
        }
        if forced == .open, toAcknowledge == nil { toAcknowledge = 4 * minute }
        let acknowledged = toAcknowledge.map { detected.addingTimeInterval(min($0, room * 0.05)) }
        let workFrom = acknowledged ?? detected
        let toMitigate: TimeInterval = switch severity {
        case "SEV1": logNormal(35 * minute, 0.6)
        case "SEV2": logNormal(50 * minute, 0.75)
        case "SEV3": logNormal(70 * minute, 0.95)
        default: logNormal(100 * minute, 1.05)
        }
        var status = forced ?? .resolved
        var mitigated: Date? = status == .open ? nil : min(workFrom.addingTimeInterval(toMitigate), now.addingTimeInterval(-40 * minute))
        if let m = mitigated, m <= workFrom { mitigated = workFrom.addingTimeInterval(min(toMitigate, now.timeIntervalSince(workFrom) * 0.5)) }
        var resolved: Date?
        if status == .resolved, let m = mitigated {
            let r = rng.chance(0.3) ? m : m.addingTimeInterval(min(logNormal(4 * hour, 1.2), 10 * day))
            if r > now.addingTimeInterval(-20 * minute) { status = .mitigated } else { resolved = r }
        }
        let impactKnown = !rng.chance(0.06)
        let times = IncidentTimes(
            impactStartedAt: impactKnown ? start : nil, detectedAt: t(detected), acknowledgedAt: acknowledged.map(t),
            mitigatedAt: mitigated.map(t), resolvedAt: resolved.map(t)
        )

        let responder = rng.pick(members(of: primary.onCall))
        let helperTeam = template.services.count > 1 ? service(template.services[1]).onCall : primary.owner
        let helperPool = members(of: helperTeam).filter { $0.handle != responder.handle }
        let helper = rng.pick(helperPool.isEmpty ? DemoCatalog.users.filter { $0.handle != responder.handle } : helperPool)

        var teams: [String] = []
        for slug in template.services.flatMap({ [service($0).onCall, service($0).owner] }) where !teams.contains(slug) {
            teams.append(slug)
        }
        var labels = template.labels
        if severity == "SEV1" || severity == "SEV2", !labels.contains("customer-facing") { labels.append("customer-facing") }

        var refs: [ExternalReference] = []
        // After the change, support's pages go through PagerDuty too.
        if paged || (customers && !before) || rng.chance(0.2) {
            let id = unique("pagerduty") { "Q" + $0.token(13) }
            refs.append(ExternalReference(system: "pagerduty", id: id, url: "https://example.pagerduty.com/incidents/\(id)"))
        }
        if severity == "SEV1" || severity == "SEV2" {
            let id = unique("statuspage") { $0.token(12, alphabet: "abcdefghijklmnopqrstuvwxyz0123456789") }
            refs.append(ExternalReference(system: "statuspage", id: id, url: "https://status.example.com/incidents/\(id)"))
        }
        if rng.chance(0.15) {
            while !taken.insert(Self.referenceKey(ExternalReference(system: "jira", id: "OPS-\(ticket)"))).inserted { ticket += 1 }
            refs.append(ExternalReference(system: "jira", id: "OPS-\(ticket)"))
        }

        let lasted = LoreTime.duration((mitigated ?? now).timeIntervalSince(impactKnown ? start : detected))
        let customerImpact = status == .open ? template.impact + " Ongoing at the time of writing."
            : impactKnown ? template.impact + " Impact lasted about \(lasted)."
            : template.impact + " Impact lasted at least \(lasted); when it began is not known."

        // Timeline: two to four entries.
        var timeline: [DemoTimelineEntry] = []
        let detection = detectionText(template, source: source, before: before, primary: primary)
        let viaPager = paged || (customers && !before)
        timeline.append(entry(times.detectedAt!, responder, viaPager ? .pagerduty : .slack, paged ? .alert : .communication, detection, marker: .detection))
        if let a = times.acknowledgedAt {
            timeline.append(entry(a, responder, .pagerduty, .action, fill(rng.pick(DemoCatalog.acknowledgements), primary.slug)))
        }
        if status == .open {
            let at = t(now.addingTimeInterval(-rng.double(20 ... 90) * minute))
            timeline.append(entry(max(at, times.acknowledgedAt!), helper, .slack, .observation, "Still investigating. " + template.impact))
        }
        if let m = times.mitigatedAt {
            timeline.append(entry(m, responder, .manual, .action, template.fix, marker: .repair))
        }
        if let r = times.resolvedAt, times.acknowledgedAt == nil || rng.chance(0.45) {
            timeline.append(entry(r, responder, .manual, .note, rng.pick(DemoCatalog.resolutions)))
        }

        Self.orderTies(&timeline, now: now)

        var review: DemoReview?
        var followUps: [DemoFollowUp] = []
        if status == .resolved, let r = times.resolvedAt {
            review = makeReview(template, severity: severity, source: source, times: times, resolvedAt: r, timeline: timeline,
                                responder: responder, helper: helper, customerImpact: customerImpact, onCall: primary.onCall)
            if let rv = review, rv.status == .held || rv.status == .published {
                followUps = makeFollowUps(template, after: rv.meetingAt ?? r, onCall: primary.onCall, primary: primary)
            }
        }

        return DemoIncident(
            title: rng.pick(template.titles), severity: severity, status: status, services: template.services, teams: teams,
            detectionSource: source, times: times, customerImpact: customerImpact, labels: labels,
            externalReferences: refs, timeline: timeline, review: review, followUps: followUps, isHistory: true
        )
    }

    /// Who noticed first. Before the change: monitoring (alerts and
    /// synthetic checks) 47 %, customers (support and call centre) 40 %.
    /// After it, monitoring grows from 58 % to 62 % over eight months and
    /// customers fall to about 30 %.
    ///
    /// Drawn so that every stretch of a few weeks holds close to these shares
    /// (the source furthest behind its share, with a little jitter, goes
    /// next), because a quarter holds only a dozen or so incidents from each
    /// customer channel: independent draws would leave some quarters with
    /// too few to compare, and the story would depend on luck.
    mutating func pickSource(at date: Date) -> String {
        let names = ["monitoring alert", "customer support", "call centre", "employee report", "synthetic check", "third party", "other"]
        let weights: [Double]
        if date < change {
            weights = [0.40, 0.31, 0.09, 0.07, 0.07, 0.04, 0.02]
        } else {
            let ramp = min(1, date.timeIntervalSince(change) / (240 * day))
            weights = [0.46 + 0.08 * ramp, 0.25, 0.055, 0.055, 0.09 + 0.02 * ramp, 0.03, 0.01]
        }
        let total = weights.reduce(0, +)
        for i in weights.indices { sourceCredit[i] += weights[i] / total }
        var best = 0, bestScore = -Double.infinity
        for i in weights.indices {
            let score = sourceCredit[i] + rng.double(0 ... 0.6)
            if score > bestScore { (best, bestScore) = (i, score) }
        }
        sourceCredit[best] -= 1
        return names[best]
    }

    /// Impact started → detected, by who noticed.
    mutating func timeToDetect(_ source: String, before: Bool) -> TimeInterval {
        var d: TimeInterval = switch source {
        // An alert is often the only record of when impact began.
        case "monitoring alert": rng.chance(0.15) ? 0 : logNormal(4 * minute, 0.8)
        case "synthetic check": logNormal(7 * minute, 0.6)
        // The triage queue was read a few times a day: customers' reports
        // waited hours. Paged directly, they reach an engineer in well under one.
        case "customer support": before ? logNormal(160 * minute, 0.6) : logNormal(40 * minute, 0.6)
        case "call centre": before ? logNormal(130 * minute, 0.6) : logNormal(38 * minute, 0.6)
        case "employee report": logNormal(45 * minute, 1.0)
        case "third party": logNormal(80 * minute, 1.1)
        default: logNormal(5 * hour, 1.2)
        }
        // Now and then something degrades quietly for most of a day.
        if source != "monitoring alert", source != "synthetic check", rng.chance(0.03) { d *= rng.double(4 ... 12) }
        return min(d, 36 * hour)
    }

    mutating func pickTemplate(for source: String) -> HistoryTemplate {
        let fits: [HistoryTemplate] = switch source {
        case "monitoring alert", "synthetic check": historyTemplates.filter { $0.alert != nil }
        case "customer support", "call centre": historyTemplates.filter { $0.complaint != nil }
        default: historyTemplates
        }
        return rng.pick(fits)
    }

    func detectionText(_ tpl: HistoryTemplate, source: String, before: Bool, primary: DemoService) -> String {
        let complaint = tpl.complaint ?? "\(primary.name) does not look right"
        switch source {
        case "monitoring alert": return "Triggered: " + (tpl.alert ?? "\(primary.name) error rate above threshold.")
        case "synthetic check": return "Triggered by a synthetic check: `\(primary.slug)-journey` failing from 2 of 5 locations. " + (tpl.alert ?? "")
        case "customer support":
            if before { return "Support escalated from the triage queue: \(complaint)." }
            return "Support paged on-call (three tickets with the same symptom within 30 minutes): \(complaint)."
        case "call centre":
            if before { return "Call centre escalated after the daily call review: \(complaint)." }
            return "Call centre team lead paged on-call: \(complaint)."
        case "employee report": return "Employee report in #help: \(complaint)."
        case "third party": return "Heads-up from a vendor contact: \(complaint)."
        default: return "Noticed while looking into something unrelated: \(complaint)."
        }
    }

    mutating func entry(
        _ at: Date, _ who: DemoUser, _ source: TimelineSource, _ kind: TimelineKind, _ text: String, marker: TimelineMarker? = nil
    ) -> DemoTimelineEntry {
        var text = text
        let paged = "Support paged on-call ("
        if marker == .detection, text.hasPrefix(paged), firstPageAfterChange {
            firstPageAfterChange = false
            text = "First page through the new support escalation path (" + text.dropFirst(paged.count)
        }
        let delay = source == .pagerduty ? rng.double(0.2 ... 5) : rng.double(10 ... 240)
        let recorded = min(at.addingTimeInterval(delay), now)
        return DemoTimelineEntry(
            occurredAt: t(at), recordedAt: t(max(recorded, at)), authorHandle: who.handle, source: source, kind: kind,
            text: text, reflection: nil, marker: marker
        )
    }

    // MARK: Review

    mutating func makeReview(
        _ tpl: HistoryTemplate, severity: String, source: String, times: IncidentTimes, resolvedAt: Date,
        timeline: [DemoTimelineEntry], responder: DemoUser, helper: DemoUser, customerImpact: String, onCall: String
    ) -> DemoReview? {
        let facilitatorPool = DemoCatalog.users.filter { $0.teamSlug != onCall && $0.handle != helper.handle }
        let facilitator = rng.pick(facilitatorPool.isEmpty ? DemoCatalog.users : facilitatorPool)
        let participants = unique([responder.handle, helper.handle]).filter { $0 != facilitator.handle }
        let sinceResolved = now.timeIntervalSince(resolvedAt)

        let summary = summaryText(tpl, severity: severity, source: source, times: times)
        // The window is still running: some teams have started notes.
        if sinceResolved < 4 * day {
            guard rng.chance(0.4) else { return nil }
            return DemoReview(status: .draft, facilitatorHandle: facilitator.handle, participantHandles: participants, meetingAt: nil,
                              sections: [.summary: summary, .openQuestions: "- " + rng.pick(historyQuestions)])
        }
        let reviewed: Double = switch severity {
        case "SEV1": 1
        case "SEV2": 0.97
        case "SEV3": 0.85
        default: 0.55
        }
        guard rng.chance(reviewed) else { return nil }
        // Held within the window more often once the practice settled.
        let late = rng.chance(resolvedAt < change ? 0.3 : 0.12)
        // In working hours, one or two days after the resolution (within
        // the 72-hour window), or four to twelve days after (past it).
        let days = late ? rng.int(4 ... 12) : rng.int(1 ... 2)
        var meeting = startOfDay(resolvedAt).addingTimeInterval(Double(days) * day + rng.double(9 ... 16.5) * hour)
        var status: ReviewStatus = rng.chance(sinceResolved > 60 * day ? 0.85 : 0.7) ? .published : .held
        if meeting > now.addingTimeInterval(-hour) {
            status = .scheduled
            meeting = now.addingTimeInterval(rng.double(18 ... 46) * hour)
        }

        var sections: [ReviewSection: String] = [.summary: summary, .whatHappened: whatHappened(timeline)]
        var factors = tpl.factors.map { "- \($0)" }
        let serviceName = service(tpl.services[0]).name
        if rng.chance(0.35) { factors.append("- " + fill(rng.pick(DemoCatalog.moreFactors), serviceName)) }
        sections[.openQuestions] = "- " + rng.pick(historyQuestions)
        if status == .scheduled {
            return DemoReview(status: status, facilitatorHandle: facilitator.handle, participantHandles: participants,
                              meetingAt: t(meeting), sections: sections)
        }
        sections[.contributingFactors] = "These conditions combined; none of them alone would have produced the incident.\n\n" + factors.joined(separator: "\n")
        sections[.customerImpact] = customerImpact + "\n\n" + measures(times)
        sections[.whatWentWell] = rng.shuffled(DemoCatalog.goodThings).prefix(rng.int(1 ... 2)).map { "- " + fill($0, serviceName) }.joined(separator: "\n")
        if status == .published {
            sections[.whereWeGotLucky] = rng.pick(historyLuck)
            sections[.surprises] = rng.pick(historySurprises)
            sections[.openQuestions] = "- " + rng.pick(historyQuestions) + "\n- " + rng.pick(DemoCatalog.moreQuestions)
        }
        return DemoReview(status: status, facilitatorHandle: facilitator.handle, participantHandles: participants,
                          meetingAt: t(meeting), sections: sections)
    }

    func summaryText(_ tpl: HistoryTemplate, severity: String, source: String, times: IncidentTimes) -> String {
        let detected = times.detectedAt!
        guard let start = times.impactStartedAt else {
            let mitigation = times.mitigatedAt.map { " and mitigated \(LoreTime.duration($0.timeIntervalSince(detected))) after it was noticed" } ?? ""
            return "\(tpl.impact) It was noticed through \(source)\(mitigation) (\(severity)). When impact began was not established."
        }
        let mitigation = times.mitigatedAt.map { " and mitigated \(LoreTime.duration($0.timeIntervalSince(start))) after impact began" } ?? ""
        return "\(tpl.impact) It was noticed through \(source) after \(LoreTime.duration(detected.timeIntervalSince(start)))\(mitigation) (\(severity))."
    }

    func whatHappened(_ timeline: [DemoTimelineEntry]) -> String {
        "### Timeline (UTC)\n\n" + timeline.map { e in
            "- **\(clock(e.occurredAt))** \(e.text)" + (e.marker.map { " _(\($0.label.lowercased()))_" } ?? "")
        }.joined(separator: "\n")
    }

    func measures(_ times: IncidentTimes) -> String {
        let d = times.durations
        func show(_ x: TimeInterval?) -> String { x.map(LoreTime.duration) ?? "not recorded" }
        return "| Measure | Value |\n|---|---|\n| Time to detect | \(show(d.toDetect)) |\n| Time to mitigate | \(show(d.toMitigate)) |\n| Time to resolve | \(show(d.toResolve)) |"
    }

    // MARK: Follow-ups

    mutating func makeFollowUps(_ tpl: HistoryTemplate, after: Date, onCall: String, primary: DemoService) -> [DemoFollowUp] {
        let count = rng.weighted([0.5, 0.38, 0.12])
        guard count > 0 else { return [] }
        var picked = [tpl.followUp]
        if count > 1 { picked.append(rng.pick(historyFollowUps)) }
        let created = t(min(after.addingTimeInterval(rng.double(0.5 ... 4) * hour), now))
        let age = now.timeIntervalSince(created)
        return picked.map { f in
            let owner: String? = rng.chance(0.7) ? rng.pick(members(of: onCall)).handle : nil
            let due: Date? = rng.chance(0.8) ? t(created.addingTimeInterval(rng.double(14 ... 60) * day)) : nil
            let tracker: String? = switch rng.int(0 ... 5) {
            case 0, 1: nil
            case 2: "https://tracker.example.com/browse/\(rng.pick(DemoCatalog.trackers))-\(ticket + rng.int(1 ... 40))"
            default: "\(rng.pick(DemoCatalog.trackers))-\(ticket + rng.int(1 ... 40))"
            }
            // Most are closed within a few weeks; some stay open for months.
            let takes = logNormal(24 * day, 1.0)
            var status: FollowUpStatus = takes < age && rng.chance(0.85) ? .done : rng.chance(0.45) ? .inProgress : .open
            var closed: Date?, reason: String?, plan: String?
            if status == .done {
                closed = t(min(created.addingTimeInterval(takes), now))
                switch rng.int(0 ... 5) {
                case 0:
                    status = .notNecessary
                    reason = rng.pick(DemoCatalog.notNecessary)
                case 1:
                    status = .foldedIntoPlan
                    plan = rng.pick(DemoCatalog.plans)
                default: break
                }
            }
            return DemoFollowUp(
                title: fill(f.title, primary.name), description: fill(f.description, primary.name), ownerTeam: onCall,
                ownerHandle: owner, service: primary.slug, dueDate: due, trackerReference: tracker, status: status,
                createdAt: created, closedAt: closed, reason: reason, plan: plan)
        }
    }

    // MARK: The incident that led to the change

    /// A saved-card outage that customers noticed at once and engineering
    /// heard of five hours later, through the support triage queue. Its
    /// review dates the escalation change.
    mutating func makeTrigger(start: Date) -> DemoIncident {
        let start = t(start)
        let detected = t(start.addingTimeInterval(5 * hour + 10 * minute))
        let acked = t(detected.addingTimeInterval(6 * minute + 12))
        let mitigated = t(acked.addingTimeInterval(48 * minute))
        let resolved = t(mitigated.addingTimeInterval(3 * hour + 20 * minute))
        let times = IncidentTimes(impactStartedAt: start, detectedAt: detected, acknowledgedAt: acked, mitigatedAt: mitigated, resolvedAt: resolved)
        let user = { (handle: String) in DemoCatalog.users.first { $0.handle == handle }! }
        let jonas = user("jonas"), priya = user("priya")
        let impact = "Customers paying with a saved card saw 'card declined' for about six hours; new cards and PayPal kept working. About 2,300 payments did not go through."
        let timeline = [
            entry(detected, jonas, .slack, .communication,
                  "Support escalated from the triage queue: 14 tickets since \(clock(start.addingTimeInterval(8 * minute))) say saved cards are declined at checkout.",
                  marker: .detection),
            entry(acked, jonas, .pagerduty, .action, "Acknowledged. Looking at the payment-gateway dashboards."),
            entry(mitigated, priya, .manual, .action,
                  "Put the previous card-vault signing key back into the gateway's trust list; saved-card payments succeed again.", marker: .repair),
            entry(resolved, jonas, .manual, .note, "Resolved. Support closed the 31 related tickets with a note to each customer."),
        ]
        let changeDay = dayText(change)
        var sections: [ReviewSection: String] = [:]
        sections[.summary] = "A key rotation in the card vault signed saved-card tokens with a key the payment gateway did not trust yet, so every payment with a saved card was declined. Customers noticed within minutes and support saw the pattern after about 40 minutes, but engineering heard of it five hours after impact began: support's tickets waited in the triage queue, which engineering reads at 09:00 and 15:00 (SEV2)."
        sections[.whatHappened] = whatHappened(timeline) + "\n\nSupport had 14 matching tickets by \(clock(start.addingTimeInterval(50 * minute))) and no way to reach an engineer other than the queue."
        sections[.contributingFactors] = """
            These conditions combined; none of them alone would have produced the incident.

            - Support escalates through a triage queue that engineering reads twice a day; nothing in it pages anyone.
            - Declines for saved cards look like issuer declines on the payments dashboard, so no alert fired.
            - The card vault rotates its signing key without checking that the gateway already trusts the new one.
            """
        sections[.whatWentWell] = "- Support grouped the tickets by symptom and noted when each arrived, which made the start of impact easy to establish.\n- Once paged, the payments on-call found the cause within 40 minutes."
        sections[.whereWeGotLucky] = "It happened on a weekday morning. On a Saturday the same gap means two days, not five hours, before anyone reads the queue."
        sections[.surprises] = "Most engineers assumed support could page the on-call team; support assumed engineering watched the queue all day."
        sections[.openQuestions] = "- How will we know whether a direct escalation path helps? Insights shows time to detect by detection source; compare the quarters before and after \(changeDay).\n- Which other teams reach us only through a queue?"
        sections[.customerImpact] = impact + "\n\n" + measures(times)
        let meeting = t(startOfDay(resolved.addingTimeInterval(day)).addingTimeInterval(14 * hour))
        let created = t(meeting.addingTimeInterval(hour))
        let review = DemoReview(status: .published, facilitatorHandle: "hannah", participantHandles: ["jonas", "priya", "amara", "mei"],
                                meetingAt: meeting, sections: sections)
        let followUps = [
            DemoFollowUp(
                title: "Let support page the on-call engineer directly",
                description: "Three tickets with the same symptom within 30 minutes page the on-call engineer of the affected service, with the tickets attached. Support and engineering agreed to start on \(changeDay).",
                ownerTeam: "payments", ownerHandle: "amara", service: "checkout-api", dueDate: t(change), trackerReference: "OPS-\(ticket + 3)",
                status: .done, createdAt: created, closedAt: change),
            DemoFollowUp(
                title: "Alert on the saved-card decline rate", description: "Separate saved-card declines from issuer declines and page above 5 % for ten minutes.",
                ownerTeam: "payments", ownerHandle: "priya", service: "payment-gateway", dueDate: t(created.addingTimeInterval(21 * day)),
                trackerReference: "PAY-\(ticket + 5)", status: .done, createdAt: created, closedAt: t(created.addingTimeInterval(16 * day))),
            DemoFollowUp(
                title: "Check gateway trust before rotating card-vault keys", description: "The rotation job asks the gateway whether it trusts the new key before using it.",
                ownerTeam: "payments", ownerHandle: nil, service: "payment-gateway", dueDate: nil, trackerReference: nil,
                status: .foldedIntoPlan, createdAt: created, closedAt: t(created.addingTimeInterval(9 * day)),
                plan: "https://tracker.example.com/browse/PLAT-1200"),
        ]
        let pd = unique("pagerduty") { "Q" + $0.token(13) }
        let sp = unique("statuspage") { $0.token(12, alphabet: "abcdefghijklmnopqrstuvwxyz0123456789") }
        return DemoIncident(
            title: "Saved cards declined at checkout for five hours", severity: "SEV2", status: .resolved,
            services: ["payment-gateway", "checkout-api"], teams: ["payments"], detectionSource: "customer support", times: times,
            customerImpact: impact, labels: ["payments", "customer-facing"],
            externalReferences: [
                ExternalReference(system: "pagerduty", id: pd, url: "https://example.pagerduty.com/incidents/\(pd)"),
                ExternalReference(system: "statuspage", id: sp, url: "https://status.example.com/incidents/\(sp)"),
            ],
            timeline: timeline, review: review, followUps: followUps, isHistory: true
        )
    }

    // MARK: Helpers

    typealias DemoService = (name: String, slug: String, owner: String, onCall: String)

    func t(_ d: Date) -> Date { LoreTime.milliseconds(d) }
    func members(of team: String) -> [DemoUser] { DemoCatalog.users.filter { $0.teamSlug == team } }
    func service(_ slug: String) -> DemoService { DemoCatalog.services.first { $0.slug == slug }! }
    func fill(_ template: String, _ value: String) -> String { template.replacingOccurrences(of: "%@", with: value) }

    func unique(_ list: [String]) -> [String] {
        var seen = Set<String>()
        return list.filter { seen.insert($0).inserted }
    }

    /// An id for `system` that no other incident has (external references
    /// are unique per system).
    mutating func unique(_ system: String, _ make: (inout SplitMix64) -> String) -> String {
        while true {
            let id = make(&rng)
            if taken.insert(Self.referenceKey(ExternalReference(system: system, id: id))).inserted { return id }
            ticket += 1
        }
    }

    static func referenceKey(_ r: ExternalReference) -> String { r.system + "\u{1F}" + r.id }

    /// Entries that happened at the same moment are recorded in the order
    /// they are listed (a millisecond apart at least), because that is how
    /// Lore orders a timeline: by when it happened, then by when it was
    /// written down.
    static func orderTies(_ timeline: inout [DemoTimelineEntry], now: Date) {
        for k in timeline.indices.dropFirst() where timeline[k].occurredAt == timeline[k - 1].occurredAt
            && timeline[k].recordedAt <= timeline[k - 1].recordedAt {
            let later = LoreTime.milliseconds(timeline[k - 1].recordedAt.addingTimeInterval(0.001))
            let earlier = LoreTime.milliseconds(timeline[k].recordedAt.addingTimeInterval(-0.001))
            if later <= now {
                timeline[k].recordedAt = later
            } else if earlier >= timeline[k - 1].occurredAt {
                timeline[k - 1].recordedAt = earlier
            }
        }
    }

    /// Gives a repeated reference (same system and id as an earlier one) the
    /// next free number, so the store accepts every incident.
    static func makeReferencesUnique(_ incidents: inout [DemoIncident], taken: Set<String>) {
        var seen = taken
        for i in incidents.indices {
            for j in incidents[i].externalReferences.indices {
                var ref = incidents[i].externalReferences[j]
                guard !seen.contains(referenceKey(ref)) else {
                    let parts = ref.id.split(separator: "-")
                    var n = parts.count == 2 ? Int(parts[1]) ?? 0 : 0
                    repeat {
                        n += 1
                        ref.id = parts.count == 2 && Int(parts[1]) != nil ? "\(parts[0])-\(n)" : "\(incidents[i].externalReferences[j].id)-\(n)"
                    } while seen.contains(referenceKey(ref))
                    incidents[i].externalReferences[j] = ref
                    seen.insert(referenceKey(ref))
                    continue
                }
                seen.insert(referenceKey(ref))
            }
        }
    }

    /// Both lists in the order the incidents happened (start of impact, or
    /// detection when the start is not known), so incident numbers grow with
    /// time.
    static func merge(_ a: [DemoIncident], _ b: [DemoIncident]) -> [DemoIncident] {
        func at(_ i: DemoIncident) -> Date { i.times.impactStartedAt ?? i.times.detectedAt ?? .distantPast }
        return (a + b).enumerated().sorted { x, y in
            let (p, q) = (at(x.element), at(y.element))
            return p != q ? p < q : x.offset < y.offset
        }.map(\.element)
    }

    /// Log-normal with the given median: long-tailed, like incident durations.
    mutating func logNormal(_ median: TimeInterval, _ sigma: Double) -> TimeInterval {
        let u1 = 1 - rng.unit(), u2 = rng.unit()
        let z = (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
        return median * exp(sigma * max(-3.5, min(3.5, z)))
    }

    func startOfDay(_ d: Date) -> Date { Date(timeIntervalSince1970: (d.timeIntervalSince1970 / day).rounded(.down) * day) }

    /// `14:05`, UTC.
    func clock(_ d: Date) -> String {
        let s = Int(d.timeIntervalSince1970 - startOfDay(d).timeIntervalSince1970)
        let h = s / 3600, m = (s % 3600) / 60
        return (h < 10 ? "0" : "") + "\(h):" + (m < 10 ? "0" : "") + "\(m)"
    }

    /// `Monday 13 July`, UTC.
    func dayText(_ d: Date) -> String {
        let days = Int((d.timeIntervalSince1970 / day).rounded(.down))
        let (_, m, dd) = CivilDate.date(daysSinceEpoch: days)
        let weekdays = ["Thursday", "Friday", "Saturday", "Sunday", "Monday", "Tuesday", "Wednesday"]
        return "\(weekdays[((days % 7) + 7) % 7]) \(dd) \(InsightsPeriod.monthNames[m - 1])"
    }
}

private let minute: TimeInterval = 60
private let hour: TimeInterval = 3600
private let day: TimeInterval = 86400

// MARK: - History material

/// A kind of everyday incident, lighter than a featured scenario.
struct HistoryTemplate: Sendable {
    var titles, services, labels: [String]
    /// What an alert says; nil when monitoring would not see it.
    var alert: String?
    /// What customers say, lower case, as reported; nil when they would not notice.
    var complaint: String?
    var impact, fix: String
    var factors: [String]
    /// `%@` is the primary service's name.
    var followUp: (title: String, description: String)
}

private let historyTemplates: [HistoryTemplate] = [
    HistoryTemplate(
        titles: ["Checkout errors after checkout-api release", "Error page at the payment step after a release"], services: ["checkout-api"], labels: ["release"],
        alert: "CheckoutErrorRate above 2% for 5 minutes.", complaint: "customers report an error page after entering their card details",
        impact: "About 3% of checkout attempts ended on an error page.", fix: "Rolled back checkout-api to the previous release; error rate back to baseline.",
        factors: ["The failing path needs a saved address in a second country, which the staging data does not have.", "The canary ran for less time than its error-rate comparison needs."],
        followUp: ("Add multi-country saved addresses to staging data", "Seed staging with the address shapes seen in production.")),
    HistoryTemplate(
        titles: ["Payment gateway latency above target", "Slow card payments from acquirer latency"], services: ["payment-gateway", "checkout-api"], labels: ["payments", "latency"],
        alert: "PaymentGatewayLatencyP95 above 2 s.", complaint: "customers say the payment spinner never stops",
        impact: "Payments took 5–10 seconds; some customers abandoned the checkout.", fix: "Moved card traffic to the secondary acquirer route; latency back under 600 ms.",
        factors: ["The acquirer's slow path shows in our metrics only once it crosses our timeout.", "A library upgrade turned off connection reuse to the acquirer."],
        followUp: ("Alert on acquirer response time separately from gateway time", "Separate panels and thresholds for upstream and gateway time on %@.")),
    HistoryTemplate(
        titles: ["Promotion code rejected at checkout", "Weekly promotion not applied to baskets"], services: ["checkout-api", "storefront-web"], labels: ["promotions"],
        alert: nil, complaint: "customers say this week's promotion code is 'not valid'",
        impact: "Customers could not apply the weekly promotion code; most completed their order at full price or left.", fix: "Corrected the promotion's start date in the pricing admin and cleared the promotions cache.",
        factors: ["Promotion dates are entered in local time and stored as UTC.", "Nothing tries a promotion code once it is scheduled."],
        followUp: ("Try each scheduled promotion code when it goes live", "Run a test basket through the pricing API at the start time.")),
    HistoryTemplate(
        titles: ["Sale prices differ between product page and basket", "Wrong prices shown for items on sale"], services: ["storefront-web", "product-search"], labels: ["pricing", "data"],
        alert: nil, complaint: "customers see a sale price on the product page and the full price in the basket",
        impact: "Prices of about 400 products on sale differed between the product page and the basket.", fix: "Re-ran the price sync for the affected products and purged their cached pages.",
        factors: ["The price sync skips products whose sale starts at midnight in a time zone ahead of UTC.", "Product pages are cached for six hours, longer than a sale's first hour."],
        followUp: ("Compare page and basket prices for a sample of products hourly", "A small job that reports any difference to the %@ channel.")),
    HistoryTemplate(
        titles: ["Order confirmation emails delayed", "Confirmation emails queued for hours"], services: ["checkout-api"], labels: ["email", "queue"],
        alert: "OrderEmailQueueDepth above 5,000.", complaint: "customers ask where their order confirmation is",
        impact: "Order confirmation emails arrived one to three hours late.", fix: "Scaled the email workers and asked the mail provider to raise our sending limit.",
        factors: ["The mail provider lowered our sending limit after a bounce spike, without a notice we saw.", "Email workers scale on CPU, and waiting on the provider uses none."],
        followUp: ("Scale email workers on queue age", "Use the age of the oldest message, not CPU.")),
    HistoryTemplate(
        titles: ["Search slow during catalogue import", "Search latency high while products were imported"], services: ["product-search", "orders-db"], labels: ["search", "capacity"],
        alert: "SearchLatencyP95 above 800 ms.", complaint: "customers say search takes ages",
        impact: "Search took two to four seconds; some customers gave up and browsed instead.", fix: "Paused the catalogue import and resumed it throttled overnight.",
        factors: ["The import reindexes every product it touches, all at once.", "Indexing and queries share the same search nodes."],
        followUp: ("Throttle catalogue imports", "A shared rate limit for jobs that trigger reindexing in %@.")),
    HistoryTemplate(
        titles: ["Product pages showing 'availability unknown'", "Stock information missing on product pages"], services: ["storefront-web", "orders-db"], labels: ["data", "stock"],
        alert: "StockBadgeMissingRate above 10%.", complaint: "customers see 'availability unknown' on most products",
        impact: "Most product pages showed no stock information; some customers called to ask before ordering.", fix: "Restarted the stock feed consumer and replayed the last three hours of updates.",
        factors: ["The stock feed consumer stops on a malformed message instead of skipping it.", "The consumer's lag is graphed but not alerted on."],
        followUp: ("Skip and report malformed stock messages", "Park them in a dead-letter queue with an alert.")),
    HistoryTemplate(
        titles: ["Older Android phones could not open the shop", "TLS handshake failures for older devices"], services: ["edge-proxy", "storefront-web"], labels: ["tls", "mobile"],
        alert: nil, complaint: "callers with older phones cannot open the shop at all",
        impact: "Customers on Android 7 and older could not load the shop.", fix: "Re-enabled the older cipher suite on the edge for the shop hostname.",
        factors: ["A hardening change removed a cipher suite that older devices need.", "Synthetic checks run from current browsers only."],
        followUp: ("Add an old-device TLS profile to synthetic checks", "Probe with the oldest client we support.")),
    HistoryTemplate(
        titles: ["Edge proxy 503s during config reload", "Brief 503s across the shop on edge reload"], services: ["edge-proxy"], labels: ["config-change"],
        alert: "Edge5xxRate above 1% for 3 minutes.", complaint: "customers report 'service unavailable' pages for a moment",
        impact: "Roughly one request in twenty failed with a 503.", fix: "Rolled the edge config back and reloaded one node at a time.",
        factors: ["Config reloads ran on all edge nodes at once.", "Connection draining was shorter than the slowest upstream requests."],
        followUp: ("Reload edge nodes one at a time", "Stagger reloads in the deploy job for %@.")),
    HistoryTemplate(
        titles: ["orders-db failover took longer than expected", "Order placement paused during database failover"], services: ["orders-db", "checkout-api"], labels: ["database"],
        alert: "OrdersDbPrimaryUnavailable.", complaint: nil,
        impact: "Orders could not be placed while the database failed over.", fix: "Promoted the standby by hand and pointed checkout-api at it.",
        factors: ["Automatic failover waits for a health check that times out slowly.", "checkout-api caches the primary's address for ten minutes."],
        followUp: ("Shorten the orders-db failover health check", "Tune timeouts with a failover drill.")),
    HistoryTemplate(
        titles: ["Customers signed out after session cache eviction", "Shoppers logged out when adding to basket"], services: ["storefront-web", "edge-proxy"], labels: ["auth", "cache"],
        alert: nil, complaint: "customers say they are signed out whenever they add something to the basket",
        impact: "Signed-in customers were sent back to the login page; guest checkout kept working.", fix: "Raised the session cache memory limit and moved sessions off the shared cache.",
        factors: ["Sessions and page fragments share one cache with one eviction policy.", "Login success rate, the only auth metric, stayed normal."],
        followUp: ("Give sessions their own cache", "Separate from page fragments, with its own memory alert.")),
    HistoryTemplate(
        titles: ["Refunds stuck in pending", "Refunds not reaching customers"], services: ["payment-gateway"], labels: ["payments", "refunds"],
        alert: nil, complaint: "customers ask why a refund promised last week has not arrived",
        impact: "About 120 refunds stayed pending instead of reaching customers.", fix: "Re-submitted the stuck refunds after fixing the batch file format.",
        factors: ["The refund batch job reports success when the provider accepts the file, not when it processes it.", "Nothing watches how long refunds stay pending."],
        followUp: ("Alert on refunds pending for more than a day", "Daily check of pending refund age.")),
    HistoryTemplate(
        titles: ["Address lookup failing for new postcodes", "Checkout address search returning nothing"], services: ["checkout-api"], labels: ["third-party"],
        alert: "AddressLookupErrors above 5%.", complaint: "callers cannot enter their address at checkout",
        impact: "Customers with recently created postcodes could not complete their address at checkout.", fix: "Switched address lookup to free-text entry with validation afterwards.",
        factors: ["The address provider's data lags new postcodes by months.", "Checkout had no way to enter an address the provider does not know."],
        followUp: ("Allow manual address entry at checkout", "Validate afterwards instead of blocking.")),
    HistoryTemplate(
        titles: ["Grey boxes instead of product photos", "Image resizing backlog slowed product pages"], services: ["storefront-web", "edge-proxy"], labels: ["images", "capacity"],
        alert: "ImageResizeQueueAge above 10 minutes.", complaint: "customers see grey boxes instead of product photos",
        impact: "New product photos were missing; pages showed grey boxes instead.", fix: "Added resize workers and cleared the backlog.",
        factors: ["A supplier upload of 30,000 photos arrived at once.", "Resize workers have a fixed count."],
        followUp: ("Autoscale image resize workers", "Scale on queue age for %@.")),
    HistoryTemplate(
        titles: ["Duplicate order confirmation emails", "Customers received the same email three times"], services: ["checkout-api"], labels: ["email", "retries"],
        alert: nil, complaint: "customers received the same order confirmation three times",
        impact: "About 6,000 customers received duplicate confirmation emails; a few worried they had ordered twice.", fix: "Stopped the email worker retries and deduplicated the queue.",
        factors: ["The worker retries a send when the provider's answer times out, even if the email went out.", "Emails carry no idempotency key."],
        followUp: ("Send emails with an idempotency key", "Use the order id and the template name.")),
    HistoryTemplate(
        titles: ["Checkout could not reach orders-db", "Connection errors between checkout-api and orders-db"], services: ["checkout-api", "orders-db"], labels: ["database"],
        alert: "CheckoutDbConnectionErrors above 1%.", complaint: "customers report an error when placing their order",
        impact: "Some orders failed with an error and were placed on a second try.", fix: "Raised the orders-db connection limit and restarted the stuck pool.",
        factors: ["New checkout pods opened connections faster than old ones closed them.", "The database connection limit was set for half the current pod count."],
        followUp: ("Document the orders-db connection budget", "One table of clients, pool sizes and the server limit.")),
    HistoryTemplate(
        titles: ["Shop unreachable in one region after DNS change", "Regional DNS failure for the storefront"], services: ["edge-proxy", "storefront-web"], labels: ["dns", "config-change"],
        alert: "StorefrontHomeUnavailable from 2 of 5 probe locations.", complaint: "callers from the north say the site does not load",
        impact: "Customers using two large ISPs in one region could not reach the shop.", fix: "Restored the previous DNS records and lowered their TTL.",
        factors: ["A DNS change went out with a 24-hour TTL.", "Two resolvers cached a bad answer from the change window."],
        followUp: ("Lower DNS TTLs before changes", "A checklist step for %@ DNS changes.")),
    HistoryTemplate(
        titles: ["Blank payment page in Safari after front-end release", "Payment page empty on iPhones"], services: ["storefront-web", "checkout-api"], labels: ["release", "browser"],
        alert: nil, complaint: "customers on iPhones see a blank payment page",
        impact: "Customers using Safari could not pay; other browsers worked.", fix: "Rolled back the storefront release.",
        factors: ["The new bundle used a language feature Safari did not support yet.", "Browser tests run on Chrome only."],
        followUp: ("Run checkout browser tests on Safari", "Add Safari to the release pipeline for %@.")),
    HistoryTemplate(
        titles: ["Search suggestions showing unrelated products", "Odd search suggestions after synonym update"], services: ["product-search"], labels: ["search", "relevance"],
        alert: nil, complaint: "customers send screenshots of search suggestions that make no sense",
        impact: "Search suggestions were unrelated to what customers typed for several common words.", fix: "Reverted the synonym list and rebuilt the suggestion index.",
        factors: ["A synonym list was loaded without a review of its effect on suggestions.", "Suggestion quality is not measured."],
        followUp: ("Preview suggestions before loading synonym lists", "A diff of top suggestions for the 500 most common queries.")),
    HistoryTemplate(
        titles: ["Delivery slot picker showing no slots", "No delivery days offered at checkout"], services: ["checkout-api", "storefront-web"], labels: ["third-party", "delivery"],
        alert: "DeliverySlotsEmptyRate above 20%.", complaint: "callers say no delivery days are offered",
        impact: "Customers in about a third of postcodes could not choose a delivery day.", fix: "Fell back to the standard delivery window while the carrier fixed its API.",
        factors: ["The carrier's API returned an empty list instead of an error.", "Checkout treats an empty list as 'no capacity'."],
        followUp: ("Treat an empty slot list as a carrier error", "Fall back to standard delivery and alert.")),
    HistoryTemplate(
        titles: ["Gift cards declined after balance service timeouts", "Gift card payments failing"], services: ["payment-gateway", "checkout-api"], labels: ["payments", "gift-cards"],
        alert: "GiftCardAuthTimeouts above 5%.", complaint: "customers say their gift card is declined although it has a balance",
        impact: "Gift card payments failed for about one customer in four.", fix: "Raised the balance service's worker count and restarted it.",
        factors: ["The balance service's thread pool was sized for last year's traffic.", "Timeouts are reported to customers as declines."],
        followUp: ("Show 'try again' instead of 'declined' on timeouts", "Tell customers the truth about what went wrong.")),
    HistoryTemplate(
        titles: ["Disk pressure on search nodes", "Search nodes close to full disk"], services: ["product-search"], labels: ["capacity"],
        alert: "SearchNodeDiskUsage above 85%.", complaint: nil,
        impact: "No visible impact; indexing paused to protect the cluster, so new products did not appear in search.", fix: "Deleted old snapshots and added disk to two nodes.",
        factors: ["Snapshot retention was never set after the cluster moved.", "Disk alerts fire at 85%, close to the point where indexing stops."],
        followUp: ("Set snapshot retention for the search cluster", "Keep seven daily snapshots.")),
    HistoryTemplate(
        titles: ["Order history lagging behind new orders", "Replica lag delayed order history"], services: ["orders-db", "storefront-web"], labels: ["database", "replication"],
        alert: "ReplicaLagHigh above 120 s.", complaint: "customers cannot see the order they placed a few minutes ago",
        impact: "New orders appeared in customers' order history up to 20 minutes late.", fix: "Cancelled a long analytics query on the replica.",
        factors: ["Analytics queries run on the replica that serves order history.", "Replica lag alerts go to one team and the customer symptom to another."],
        followUp: ("Move analytics to their own replica", "Separate customer-facing reads from reporting.")),
    HistoryTemplate(
        titles: ["Partner API certificate expired", "Expired certificate on the partner API hostname"], services: ["edge-proxy"], labels: ["tls", "partners"],
        alert: "PartnerApiTlsExpiry: certificate expired.", complaint: nil,
        impact: "Marketplace partners could not sync prices or stock.", fix: "Issued a new certificate and moved the hostname to automatic renewal.",
        factors: ["The partner hostname used a certificate bought by hand, outside automatic renewal.", "The expiry reminder went to a mailbox nobody reads."],
        followUp: ("Move every hostname to automatic renewal", "List hostnames with hand-managed certificates and retire them.")),
    HistoryTemplate(
        titles: ["Basket totals off by rounding for some currencies", "Swiss basket totals a few cents off"], services: ["checkout-api"], labels: ["pricing"],
        alert: nil, complaint: "customers in Switzerland see totals that differ from the sum of their items",
        impact: "Basket totals in Swiss francs differed from the sum of the items by up to 5 cents.", fix: "Deployed the rounding fix for currencies with 5-cent rounding.",
        factors: ["Rounding rules per currency live in two places.", "Tests cover euro and pound baskets only."],
        followUp: ("One rounding rule per currency", "Move rounding into the pricing library and test every currency we sell in.")),
    HistoryTemplate(
        titles: ["Mobile app rate limited after release", "App users told 'too many requests'"], services: ["edge-proxy", "storefront-web"], labels: ["rate-limiting", "mobile"],
        alert: "Edge429Rate above 5%.", complaint: "app users see 'too many requests' while browsing",
        impact: "App users were blocked for a minute at a time while browsing.", fix: "Raised the per-device limit for the app's prefetch requests.",
        factors: ["The new app version prefetches the next page of results.", "Rate limits were not reviewed with the app release."],
        followUp: ("Review rate limits with each app release", "A checklist item for %@ and the app team.")),
    HistoryTemplate(
        titles: ["Month-end job overloaded orders-db", "Slow order pages during month-end reporting"], services: ["orders-db"], labels: ["database", "batch"],
        alert: "OrdersDbCpu above 90% for 10 minutes.", complaint: "customers report slow order pages",
        impact: "Order pages took several seconds to load.", fix: "Stopped the month-end report and rescheduled it for the night.",
        factors: ["The month-end report runs on the primary.", "Its schedule moved to daytime with a time zone change."],
        followUp: ("Run month-end reporting on a replica", "With a time window that avoids the shop's peak.")),
    HistoryTemplate(
        titles: ["Bank verification step not shown for some cards", "3-D Secure challenge missing at checkout"], services: ["payment-gateway", "storefront-web"], labels: ["payments", "third-party"],
        alert: "PaymentChallengeAbandonRate above 30%.", complaint: "customers say the bank verification window never appears",
        impact: "Customers of two banks could not complete card payments.", fix: "Switched those banks' cards to the redirect flow instead of the embedded frame.",
        factors: ["Two banks changed their challenge page to refuse embedding.", "The payment page shows nothing when the frame does not load."],
        followUp: ("Fall back to the redirect flow when the challenge frame does not load", "Detect the blank frame and redirect.")),
    HistoryTemplate(
        titles: ["Invoice PDFs not generated", "Business customers unable to download invoices"], services: ["checkout-api"], labels: ["documents"],
        alert: nil, complaint: "business customers cannot download their invoices",
        impact: "Invoice downloads returned an error for every new order.", fix: "Restored the font package the PDF renderer needs and regenerated the invoices.",
        factors: ["A base image update removed a font package.", "Invoice generation errors are logged but not counted."],
        followUp: ("Count invoice generation errors", "A metric and an alert on the error rate.")),
    HistoryTemplate(
        titles: ["Checkout lost feature flags when the flag service was unreachable", "Old checkout layout served during flag outage"], services: ["checkout-api", "edge-proxy"], labels: ["feature-flag"],
        alert: "FlagClientFallbackActive on checkout-api.", complaint: "customers see the old checkout without some payment options",
        impact: "Checkout fell back to default flags and hid two payment methods.", fix: "Restored the network policy that lets checkout reach the flag service.",
        factors: ["A network policy change blocked the flag service port.", "Fallback defaults were last reviewed a year ago."],
        followUp: ("Review feature flag fallback defaults", "Fallbacks match what customers see today.")),
    HistoryTemplate(
        titles: ["Loyalty points not credited after purchase", "Missing loyalty points for recent orders"], services: ["checkout-api", "orders-db"], labels: ["loyalty", "data"],
        alert: nil, complaint: "callers ask why their loyalty points are missing",
        impact: "Loyalty points for about 9,000 orders were not credited.", fix: "Replayed the order events into the loyalty service.",
        factors: ["The loyalty consumer was left paused after maintenance.", "No one watches the loyalty consumer's lag."],
        followUp: ("Alert on paused or lagging event consumers", "Every consumer, not only loyalty.")),
]

/// Follow-ups any review may add; `%@` is the primary service's name.
private let historyFollowUps: [(title: String, description: String)] = [
    ("Update the %@ runbook with this incident", "Add the symptoms, the first checks and the fix."),
    ("Link the %@ dashboard from its alerts", "One click from the page to the graphs that matter."),
    ("Add this failure mode to the %@ game day", "Practise it with the next on-call rotation."),
    ("Route %@ alerts to the owning team", "The team that can fix it hears about it first."),
]

private let historyLuck = [
    "It happened outside the evening peak, so fewer customers saw it.",
    "Someone who had seen the same symptom a year ago was on the call.",
    "A release freeze meant there was only one recent change to look at.",
    "The on-call engineer was already at their desk for a planned migration.",
    "A customer's screenshot showed the exact error, which pointed straight at the cause.",
]

private let historySurprises = [
    "The graphs everyone trusted did not show the problem at all.",
    "Two teams had different ideas of who owns this part of the system.",
    "The fix was quicker than finding the cause; the cause took most of the afternoon.",
    "The same symptom had come and gone twice that month without anyone connecting it.",
    "The runbook described a setup that had changed since it was written.",
]

private let historyQuestions = [
    "What would have told us sooner?",
    "Who else depends on this behaviour without knowing it?",
    "Is this the same thing we saw last quarter, or only similar?",
    "Which part of this would a new team member find hardest to work out?",
    "What does the person who noticed first see that our graphs do not?",
]
