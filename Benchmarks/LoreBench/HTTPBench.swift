import Foundation
import LoreCore
import LoreStore

/// `LoreBench http-seed --out FILE [--incidents N] [--people N]`: prepares the
/// organisation `Benchmarks/http/run.py` measures over HTTP. For SQLite and,
/// with `LORE_BENCH_POSTGRES_URL`, PostgreSQL (`LORE_BENCH_HTTP_SQLITE` and
/// `LORE_BENCH_HTTP_POSTGRES_SCHEMA` keep them between runs; the schema must
/// be `public` for `lore serve` to find the tables): the demo's kind of
/// incidents over three years, then one long incident (500 timeline
/// entries, three reviews with a closed ballot, follow-ups and a phrase
/// kept as written), `people` people in all (an organisation with a
/// hundred thousand incidents has thousands of engineers, and forms that
/// listed everyone grew with them), and a team member with a fresh session
/// and API token.
/// Writes what the script needs (database URL, cookie, token, paths) as JSON.
/// The `n`th person's name: 50 first names by 40 family names, so that the
/// wording checker knows names as it would in a real organisation (a made-up
/// "Engineer 12" would make "engineer" a person's name).
func benchPersonName(_ n: Int) -> String {
    let first = ["Aisha", "Bruno", "Chen", "Dagny", "Emeka", "Farah", "Goran", "Hana", "Ines", "Jonas", "Kofi", "Lena", "Mateo", "Nia", "Oskar",
                 "Priya", "Quinn", "Rosa", "Sami", "Tomas", "Uma", "Viktor", "Wen", "Ximena", "Yusuf", "Zofia", "Arjun", "Beatriz", "Ciaran", "Daria",
                 "Elif", "Felipe", "Greta", "Hugo", "Ingrid", "Jamal", "Keiko", "Luca", "Marta", "Nikhil", "Olga", "Pavel", "Rania", "Sven", "Tariq",
                 "Valeria", "Wiktor", "Yara", "Zainab", "Anders"]
    let family = ["Okafor", "Lindqvist", "Tanaka", "Moreau", "Haddad", "Kowalski", "Nguyen", "Ferreira", "Schmidt", "Osei", "Ivanova", "Garcia",
                  "Novak", "Rahman", "Costa", "Jensen", "Park", "Rossi", "Mensah", "Petrov", "Silva", "Weber", "Kim", "Dubois", "Ali", "Horvat",
                  "Sato", "Nilsen", "Bauer", "Adeyemi", "Lopez", "Virtanen", "Chowdhury", "Romano", "Dlamini", "Hansen", "Yilmaz", "Kaur", "Popescu", "Murphy"]
    return "\(first[n % first.count]) \(family[(n / first.count) % family.count])"
}

func httpSeed(incidents: Int, people: Int, out: String) async throws {
    let now = Date()
    let targets = try await benchTargets(environmentPrefix: "LORE_BENCH_HTTP", freshName: "http")
    var described: [[String: String]] = []
    for target in targets {
        let store = target.database.store
        var started = nanos()
        if !target.loaded {
            let data = DemoData.largeOrganisation(now: now, incidents: incidents, days: 3 * 365)
            _ = try await store.loadDemo(data, now: now)
            say(String(format: "%@: loaded %d incidents in %.1f s", target.name, data.incidents.count, Double(nanos() - started) / 1e9))
        }
        started = nanos()
        let known = try await store.userCount()
        if known < people {
            let teams = try await store.teams().map(\.slug)
            for n in known ..< people {
                let person = try await store.createUser(UserInput(displayName: benchPersonName(n), email: "engineer\(n)@example.com", role: .member))
                try await store.setMembership(teamSlug: teams[n % teams.count], userID: person.id, role: .member)
            }
            say(String(format: "%@: added %d people in %.1f s", target.name, people - known, Double(nanos() - started) / 1e9))
            started = nanos()
        }
        let member: User
        if let existing = try await store.user(email: "bench@example.com") {
            member = existing
        } else {
            member = try await store.createUser(UserInput(displayName: "Bench Reader", email: "bench@example.com", role: .member))
            let team = try await store.teams().first!.slug
            try await store.setMembership(teamSlug: team, userID: member.id, role: .member)
        }
        let admin = try await store.viewer(for: member)
        let title = "Bench: a long incident"
        var long = try await store.incidents(IncidentFilter(perPage: 50)).items.first { $0.title == title }
        if long == nil {
            let start = now.addingTimeInterval(-2 * 86400)
            let service = try await store.services().first!.slug
            let incident = try await store.createIncident(IncidentInput(
                title: title, severity: "SEV1", status: .resolved, services: [service], detectionSource: "monitoring alert",
                impactStartedAt: .some(start), detectedAt: .some(start.addingTimeInterval(240)), resolvedAt: .some(start.addingTimeInterval(5 * 3600)),
                customerImpact: "Checkout **failed** for a third of customers in the EU for 47 minutes."), now: start)
            for e in 0 ..< 500 {
                try await store.addTimelineEntry(TimelineEntry(
                    incidentID: incident.id, occurredAt: start.addingTimeInterval(Double(e) * 36), recordedAt: start.addingTimeInterval(Double(e) * 36),
                    author: ["Ana", "Ben", "Chris"][e % 3], source: .manual, kind: .note,
                    text: "Replica lag on `orders-db-\(e % 4)` at \(e % 90) s; **paged** the [database team](https://example.com/runbook/\(e)). Retried the *failover* runbook step \(e % 7)."))
            }
            for r in 0 ..< 3 {
                let review = try await store.createReview(incidentID: incident.id, ReviewInput(
                    title: "Review \(r + 1)", level: .joint, visibility: .organisation, status: .held, participantIDs: [member.id],
                    sections: [
                        .summary: "Checkout failed while the orders database failed over. The operator should have checked the replica lag first.",
                        .whatHappened: String(repeating: "The failover promoted a replica that was 90 s behind; writes queued and timed out. ", count: 20),
                        .contributingFactors: "- Lag alerts were routed to a channel nobody watched at night\n- The runbook's step 4 assumed a healthy replica",
                    ]), by: admin, now: start.addingTimeInterval(86400))
                var ids: [UUID] = []
                for k in 0 ..< 4 {
                    ids.append(try await store.createFollowUp(incidentID: incident.id, reviewID: review.id,
                                                              FollowUpInput(title: "Follow-up \(r).\(k)", ownerTeam: try await store.teams()[k % 2].slug), by: admin, now: start.addingTimeInterval(86400)).id)
                }
                try await store.openBallot(reviewID: review.id, by: admin, now: start.addingTimeInterval(86500))
                try await store.vote(reviewID: review.id, picks: [ids[0], ids[1]], by: admin, now: start.addingTimeInterval(86600))
                _ = try await store.closeBallot(reviewID: review.id, by: admin, now: start.addingTimeInterval(86700))
                try await store.keepAsWritten(reviewID: review.id, section: "summary", ruleID: "counterfactual-should", matchedText: "should have", note: "quoting the runbook", by: admin)
            }
            long = try await store.incident(key: incident.key)
            say(String(format: "%@: added the long incident %@ in %.1f s", target.name, incident.key, Double(nanos() - started) / 1e9))
        }
        let incident = long!
        let review = try await store.reviews(incidentID: incident.id, viewer: admin).first!
        let session = try await store.createSession(userID: member.id, lifetime: 86400).token
        let token = try await store.createAPIToken(userID: member.id, name: "bench \(Int(now.timeIntervalSince1970))").secret
        let url: String
        switch target.database.location {
        case .sqlite(let path): url = "sqlite://" + path
        case .postgres(let u, _): url = u
        }
        described.append([
            "name": target.name, "databaseURL": url, "incidentKey": incident.key, "reviewID": review.id.uuidString,
            "cookie": "lore_session=\(session)", "token": token, "incidents": String(try await store.incidentCount()),
        ])
        await target.cleanup()
    }
    try JSONSerialization.data(withJSONObject: described, options: [.prettyPrinted, .sortedKeys]).write(to: URL(fileURLWithPath: out))
    say("wrote \(out)")
}

/// `--name value` text from the command line.
func textOption(_ name: String) -> String? {
    let args = CommandLine.arguments
    guard let i = args.firstIndex(of: name), i + 1 < args.count else { return nil }
    return args[i + 1]
}
