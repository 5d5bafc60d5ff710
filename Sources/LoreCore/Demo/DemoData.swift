import Foundation

/// Realistic demo content for trying Lore: three teams, their services and
/// people, about thirty featured incidents from the last six months with full
/// timelines, learning reviews at every stage and follow-ups in every state,
/// and behind them two years of lighter history (a few hundred incidents) with
/// a story for Insights to find: see `DemoHistory`.
///
/// Plain values only: no I/O, no clock, no system randomness. The same `now`
/// and `seed` always give the same dataset, so a demo, a screenshot and a test
/// all see the same organisation.
public struct DemoDataset: Equatable, Sendable {
    public var teams: [Team]
    /// `owningTeam` and `onCallTeam` are team slugs.
    public var services: [Service]
    public var users: [DemoUser]
    /// Oldest first.
    public var incidents: [DemoIncident]
}

/// A person in the demo organisation and their one team.
public struct DemoUser: Equatable, Sendable {
    public var displayName, handle, email: String
    public var role: UserRole
    public var teamSlug: String
    public var teamRole: TeamRole
}

/// An incident with everything that hangs off it, referring to people by
/// handle and to services and teams by slug.
public struct DemoIncident: Equatable, Sendable {
    public var title, severity: String
    public var status: IncidentStatus
    /// Service and team slugs.
    public var services, teams: [String]
    public var detectionSource: String
    public var times: IncidentTimes
    public var customerImpact: String
    public var labels: [String]
    public var externalReferences: [ExternalReference]
    /// In time order.
    public var timeline: [DemoTimelineEntry]
    public var review: DemoReview?
    public var followUps: [DemoFollowUp]
    /// One of the lighter incidents of the two-year history (two to four
    /// timeline entries, a short review, few follow-ups), as opposed to the
    /// featured ones. The store writes these in batches.
    public var isHistory: Bool = false
}

public struct DemoTimelineEntry: Equatable, Sendable {
    public var occurredAt, recordedAt: Date
    public var authorHandle: String
    public var source: TimelineSource
    public var kind: TimelineKind
    public var text: String
    public var reflection: String?
    public var marker: TimelineMarker?
}

public struct DemoReview: Equatable, Sendable {
    public var status: ReviewStatus
    public var facilitatorHandle: String
    public var participantHandles: [String]
    public var meetingAt: Date?
    /// Markdown per section.
    public var sections: [ReviewSection: String]
}

public struct DemoFollowUp: Equatable, Sendable {
    /// `ownerTeam` is a team slug.
    public var title, description, ownerTeam: String
    public var ownerHandle: String?
    /// Service slug.
    public var service: String?
    public var dueDate: Date?
    /// `OPS-123` or an https URL.
    public var trackerReference: String?
    public var status: FollowUpStatus
    public var createdAt: Date
    public var closedAt: Date?
    /// Why it was not necessary, when it was not.
    public var reason: String? = nil
    /// The plan it was folded into, when it was.
    public var plan: String? = nil
}

/// Builds the demo dataset.
public enum DemoData {
    /// About thirty featured incidents over the six months before `now` and
    /// a few hundred history incidents over the two years before it, oldest
    /// first; every time is at or before `now` except the meeting of a
    /// scheduled review and follow-up due dates, which may lie ahead.
    ///
    /// The featured incidents come from their own random stream, so they are
    /// the same with or without the history beside them.
    public static func generate(now: Date, seed: UInt64 = 42) -> DemoDataset {
        let nowMs = LoreTime.milliseconds(now)
        var g = Generator(now: nowMs, rng: SplitMix64(seed: seed), change: escalationChange(now: nowMs))
        var data = g.run()
        var featured = data.incidents
        DemoHistory.makeReferencesUnique(&featured, taken: [])
        for i in featured.indices { DemoHistory.orderTies(&featured[i].timeline, now: nowMs) }
        var h = DemoHistory(now: nowMs, seed: seed)
        let history = h.generate(taken: Set(featured.flatMap { $0.externalReferences.map(DemoHistory.referenceKey) }))
        data.incidents = DemoHistory.merge(featured, history)
        return data
    }

    /// The demo organisation (teams, services, people) with only the history's
    /// kind of incidents, about `incidents` of them over `days` days before
    /// `now`, in the demo's proportions of reviews, follow-ups and detection
    /// sources: a large organisation for benchmarks.
    public static func largeOrganisation(now: Date, incidents: Int, days: Int, seed: UInt64 = 42) -> DemoDataset {
        let nowMs = LoreTime.milliseconds(now)
        var g = Generator(now: nowMs, rng: SplitMix64(seed: seed), change: escalationChange(now: nowMs))
        var data = g.run()
        var h = DemoHistory(now: nowMs, seed: seed)
        h.days = days
        // The history's rate averages about 0.49 a day.
        h.scale = max(1, Double(incidents) / (0.49 * Double(days)))
        data.incidents = h.generate(taken: [])
        return data
    }

    /// When the demo organisation changed how customer support escalates:
    /// from a triage queue read a few times a day to paging the on-call engineer
    /// directly. Customer-noticed incidents are detected much sooner after it
    /// (see `DemoHistory`). It is the first Monday at least twelve days into
    /// the second quarter of Insights' default view (the last twelve months
    /// in quarters), 09:30 UTC, so that view opens with a quarter from before
    /// the change and the quarters after it: 5 to 8½ months before `now`.
    public static func escalationChange(now: Date) -> Date {
        let quarter = InsightsPeriod.floor(InsightsPeriod.monthIndex(now), to: 3)
        var days = Int((InsightsPeriod.startOfMonth(quarter - 6).timeIntervalSince1970 / 86400).rounded(.down)) + 12
        // 1970-01-01 was a Thursday, so a Monday leaves 4 after dividing by 7.
        while ((days % 7) + 7) % 7 != 4 { days += 1 }
        return Date(timeIntervalSince1970: Double(days) * 86400 + 9.5 * 3600)
    }
}

/// The catalog and phrasing shared with `DemoHistory`.
enum DemoCatalog {
    static var users: [DemoUser] { userList }
    static var services: [(name: String, slug: String, owner: String, onCall: String)] { serviceList }
    static var acknowledgements: [String] { ackTexts }
    static var resolutions: [String] { resolvedTexts }
    static var goodThings: [String] { wentWell }
    static var moreFactors: [String] { extraFactors }
    static var moreQuestions: [String] { extraQuestions }
    static var notNecessary: [String] {
        [
            "The service is being retired next quarter; the replacement already does this.",
            "A later incident showed the existing alert catches this earlier.",
            "The library upgrade that shipped last week removed the code path.",
        ]
    }
    static var plans: [String] { ["Q3 resilience plan", "https://tracker.example.com/browse/PLAT-1200", "Database migration programme"] }
    static var trackers: [String] { trackerPrefixes }
}

// MARK: - The organisation

private let minute: TimeInterval = 60
private let hour: TimeInterval = 3600
private let day: TimeInterval = 86400

private let teamList: [(name: String, slug: String)] = [
    ("Payments", "payments"), ("Platform", "platform"), ("Storefront", "storefront"),
]

private let serviceList: [(name: String, slug: String, owner: String, onCall: String)] = [
    ("Checkout API", "checkout-api", "payments", "payments"),
    ("Payment gateway", "payment-gateway", "payments", "payments"),
    ("Storefront web", "storefront-web", "storefront", "storefront"),
    // Built by Storefront, but Platform carries the pager for it.
    ("Product search", "product-search", "storefront", "platform"),
    ("Orders database", "orders-db", "platform", "platform"),
    ("Edge proxy", "edge-proxy", "platform", "platform"),
]

private let userList: [DemoUser] = [
    DemoUser(displayName: "Amara Okafor", handle: "amara", email: "amara.okafor@example.com", role: .member, teamSlug: "payments", teamRole: .manager),
    DemoUser(displayName: "Jonas Weber", handle: "jonas", email: "jonas.weber@example.com", role: .member, teamSlug: "payments", teamRole: .member),
    DemoUser(displayName: "Priya Raman", handle: "priya", email: "priya.raman@example.com", role: .member, teamSlug: "payments", teamRole: .member),
    DemoUser(displayName: "Mei Lin", handle: "mei", email: "mei.lin@example.com", role: .member, teamSlug: "platform", teamRole: .manager),
    DemoUser(displayName: "Daniel Kowalski", handle: "daniel", email: "daniel.kowalski@example.com", role: .admin, teamSlug: "platform", teamRole: .member),
    DemoUser(displayName: "Sofia Marino", handle: "sofia", email: "sofia.marino@example.com", role: .member, teamSlug: "platform", teamRole: .member),
    DemoUser(displayName: "Kwame Mensah", handle: "kwame", email: "kwame.mensah@example.com", role: .member, teamSlug: "platform", teamRole: .member),
    DemoUser(displayName: "Hannah Becker", handle: "hannah", email: "hannah.becker@example.com", role: .member, teamSlug: "storefront", teamRole: .manager),
    DemoUser(displayName: "Luis Ortega", handle: "luis", email: "luis.ortega@example.com", role: .member, teamSlug: "storefront", teamRole: .member),
    DemoUser(displayName: "Yuki Tanaka", handle: "yuki", email: "yuki.tanaka@example.com", role: .member, teamSlug: "storefront", teamRole: .member),
]

// MARK: - Incident scenarios

private struct FollowUpTemplate: Sendable {
    var title, description: String
    /// Nil: the team on call for the service.
    var owner: String? = nil
    /// Nil: the incident's first service.
    var service: String? = nil
}

/// One kind of incident, written out once, varied by the generator.
private struct Scenario: Sendable {
    var titles, services, labels: [String]
    /// What customers saw, and the mechanism in two or three sentences.
    var impact, story: String
    /// Timeline material, in the order things usually happen.
    var trigger, alert, observe, reflect, lead, leadReflect, decision, diagnosis, fix, recovery, resolution: String
    /// Review material.
    var factors: [String]
    var lucky, surprise, question: String
    var followUps: [FollowUpTemplate]
}

private let scenarios: [Scenario] = [
    Scenario(
        titles: ["Checkout latency spike after connection pool change", "Slow checkouts while orders-db connections ran out"],
        services: ["checkout-api", "orders-db"], labels: ["latency", "config-change"], impact: "Checkout took 6–12 seconds for most customers and about 4% of attempts timed out.",
        story: "A configuration change lowered the checkout-api database pool from 50 to 20 connections per pod. Under the evening peak, requests queued for a connection and p99 latency climbed past the client timeout.",
        trigger: "Config change rolled out: checkout-api `db.pool.max` 50 → 20 (part of the connection budget work for orders-db).",
        alert: "CheckoutLatencyP99High: p99 4.8 s over 5 min (threshold 1.5 s).", observe: "p50 latency flat at 180 ms, p99 at 5 s and rising. CPU on checkout pods at 35%.",
        reflect: "The overview dashboard shows p50 by default, so at first it looked fine to me. I only saw the p99 panel after scrolling.",
        lead: "Scaled checkout-api from 12 to 18 pods to add headroom.",
        leadReflect: "More pods looked like the safest lever. I did not know yet that each new pod would open its own pool against the same database.",
        decision: "Agreed to roll back the pool change rather than keep scaling.",
        diagnosis: "Pool metrics show `wait_count` climbing on every pod; connections are saturated at 20 while orders-db has spare capacity.",
        fix: "Reverted `db.pool.max` to 50 via the config service and restarted pods in batches of three.", recovery: "p99 back under 900 ms; timeout rate at baseline.",
        resolution: "Pool size restored; connection budget work paused until it can be load tested.",
        factors: ["The pool size and the database connection limit are set in two repositories owned by different teams.", "The latency dashboard leads with p50, which hid the tail for the first minutes.", "Scaling out is the usual first move for latency, and here it added pressure on the same pool."],
        lucky: "The change went out at 19:40, forty minutes before the Friday promotion email would have doubled traffic.",
        surprise: "Several people assumed the pool size was per service, not per pod.", question: "What is the right connection budget per pod once orders-db moves to the larger instance?",
        followUps: [
            FollowUpTemplate(title: "Alert on connection pool wait time", description: "Page when `wait_count` rises for five minutes on any checkout pod."),
            FollowUpTemplate(title: "Show p99 next to p50 on the checkout overview", description: "Make the tail visible without scrolling.", owner: "platform"),
            FollowUpTemplate(title: "Document the orders-db connection budget", description: "One page listing every client, its pool size and the server limit.", owner: "platform", service: "orders-db"),
        ]),
    Scenario(
        titles: ["Card payments declined during acquirer timeouts", "Payment authorisations failing at the upstream provider"],
        services: ["payment-gateway", "checkout-api"], labels: ["third-party", "payments"], impact: "Around 18% of card payments were declined; customers could retry with PayPal, which kept working.",
        story: "The card acquirer's EU endpoint began answering slowly. Our gateway timeout (3 s) was shorter than their slow path, so authorisations that would have succeeded were reported as declines.",
        trigger: "Acquirer status page later showed degraded performance on the EU authorisation endpoint from this time.", alert: "PaymentAuthSuccessRate below 85% for 5 min.",
        observe: "Declines are all `gateway_timeout`, none are issuer declines. Only the EU acquirer route is affected.",
        reflect: "We had a similar page two weeks earlier that cleared by itself, so I expected this one to clear too and waited a few minutes before digging in.",
        lead: "Checked our last gateway deploy (two days old) for changes to the HTTP client.",
        leadReflect: "Our own change felt like the most likely cause; nothing on the acquirer status page said otherwise at the time.",
        decision: "Decided to shift EU card traffic to the secondary acquirer instead of raising timeouts.",
        diagnosis: "Acquirer p95 response time 4.1 s on the EU endpoint; our 3 s timeout turns slow successes into declines.",
        fix: "Enabled the `route_eu_cards_secondary` flag; secondary acquirer taking 100% of EU card traffic.", recovery: "Authorisation success rate back to 97%.",
        resolution: "Acquirer confirmed and fixed a database failover on their side; traffic moved back to the primary route.",
        factors: ["Timeouts were tuned years ago against the acquirer's old latency profile.", "Failover to the secondary acquirer is a manual flag that few people have used.", "The dashboard did not separate timeouts from issuer declines."],
        lucky: "PayPal was unaffected and the checkout page already offered it prominently.", surprise: "The secondary acquirer accepted full EU traffic without any warm-up, which nobody had tested.",
        question: "Should failover between acquirers be automatic, and who decides when to fail back?",
        followUps: [
            FollowUpTemplate(title: "Split declines by reason on the payments dashboard", description: "Issuer declines, timeouts and errors as separate series."),
            FollowUpTemplate(title: "Run a failover drill to the secondary acquirer", description: "Quarterly, during business hours, with the runbook open."),
            FollowUpTemplate(title: "Revisit gateway timeouts against current acquirer latency", description: "Use the last 90 days of p99 to pick new values."),
        ]),
    Scenario(
        titles: ["502s on the storefront after certificate rotation", "Edge proxy rejected upstream TLS after cert renewal"],
        services: ["edge-proxy", "storefront-web"], labels: ["tls", "certificates"], impact: "About a third of page loads returned 502 for customers routed through two of the six edge nodes.",
        story: "Automated renewal issued a new certificate for the internal storefront origin with a chain that two edge nodes with an older CA bundle could not verify. Those nodes returned 502 for every request they sent upstream.",
        trigger: "cert-manager renewed `storefront-origin` certificate (new intermediate CA).", alert: "Synthetic check `storefront-home-eu` failing from 2 of 5 locations.",
        observe: "Errors only from edge-03 and edge-05; the other nodes are healthy. Logs show `upstream SSL certificate verify error`.",
        reflect: "Partial failures from synthetics usually mean a flaky probe location, and that is what I believed for the first ten minutes.",
        lead: "Restarted the probe agents in the two failing locations.", leadReflect: "The probes had been flaky the week before, so restarting them seemed cheap and likely to help.",
        decision: "Drained edge-03 and edge-05 from the load balancer while we look at the CA bundle.",
        diagnosis: "edge-03 and edge-05 are on the older base image with a CA bundle from last year that lacks the new intermediate.",
        fix: "Drained the two nodes and rolled the current base image to them.", recovery: "502 rate back to zero; synthetics green from all locations.",
        resolution: "All edge nodes on the same image; CA bundle now updated by the image pipeline.",
        factors: ["Two edge nodes had missed an image rollout because of a paused autoscaling group.", "Certificate renewal is automated while CA bundle updates are not.", "Probe flakiness in the weeks before made partial failures look routine."],
        lucky: "The renewal happened on a Tuesday morning, not during the weekend sale.", surprise: "Nobody knew the autoscaling group for edge-03/05 had been paused since a spring experiment.",
        question: "How do we learn when a node drifts from the current image?",
        followUps: [
            FollowUpTemplate(title: "Alert on edge nodes running an outdated image", description: "Compare running image digests with the current release daily."),
            FollowUpTemplate(title: "Unpause and tag the edge autoscaling group", description: "Add an owner tag and an expiry to any pause."),
            FollowUpTemplate(title: "Add a TLS verify check per edge node to synthetics", description: "One probe per node, not per region.", owner: "storefront"),
        ]),
    Scenario(
        titles: ["Product search returned empty results after index rebuild", "Search showed no results for most queries"], services: ["product-search", "storefront-web"], labels: ["search", "data"],
        impact: "Roughly 60% of search queries returned no products for 40 minutes; browsing by category still worked.",
        story: "The nightly index rebuild finished with a partial document set after a mapping change, and the alias swap ran anyway because its only check was that the job exited successfully.",
        trigger: "Nightly `catalog-reindex` job swapped the `products` alias to the new index.", alert: "Support: spike of chats saying search shows nothing for common products.",
        observe: "New index has 41k documents; yesterday's had 212k. Query latency normal, hit counts near zero.",
        reflect: "Search latency and error rate were green, so from the alerts I had no reason to think search was broken.",
        lead: "Checked storefront-web for a frontend regression in the search results component.",
        leadReflect: "The last storefront deploy touched the results page, and the support screenshots looked like a rendering problem.",
        decision: "Decided to point the alias back to yesterday's index instead of rerunning the job.",
        diagnosis: "A mapping change made the `brand` field a keyword; documents with a missing brand were rejected during indexing.", fix: "Swapped the `products` alias back to yesterday's index.",
        recovery: "Zero-result rate back to 3%, its usual level.", resolution: "Mapping fixed to allow missing brands; reindex ran cleanly with 213k documents.",
        factors: ["The alias swap checked the job's exit code, not the document count.", "Search alerts watch latency and errors, not zero-result rate.", "The team that builds search (Storefront) is not the team paged for it (Platform)."],
        lucky: "Yesterday's index had not yet been deleted by the retention job.", surprise: "The indexing job treats rejected documents as warnings, not failures.",
        question: "Who should approve mapping changes when the owner and the on-call team differ?",
        followUps: [
            FollowUpTemplate(title: "Refuse alias swap when document count drops more than 10%", description: "Guard in the reindex job before the swap.", owner: "storefront"),
            FollowUpTemplate(title: "Alert on zero-result rate", description: "Page when more than 20% of queries return nothing for 10 minutes."),
            FollowUpTemplate(title: "Keep two previous indexes", description: "Change retention so rollback does not depend on timing."),
        ]),
    Scenario(
        titles: ["Stale order status from orders-db replica lag", "Customers saw unpaid orders after paying"], services: ["orders-db", "checkout-api"], labels: ["database", "replication"],
        impact: "Customers who paid saw their order as unpaid for up to 25 minutes; some paid twice.",
        story: "A long-running analytics query on the read replica held back replay. Order status pages read from the replica, so they showed states from 20+ minutes earlier.",
        trigger: "Finance export job started a full-table query on the orders-db replica.", alert: "ReplicaLagHigh: orders-db-replica-1 lag 480 s.",
        observe: "Replica lag climbing linearly; primary healthy. Order status endpoint reads from the replica.",
        reflect: "I read the lag alert as an internal reporting problem. I did not connect it to customers until support forwarded the double payments.",
        lead: "Asked the data team whether the nightly export could be paused.", leadReflect: "The export was the only thing I knew ran on the replica, so it was where I looked first.",
        decision: "Decided to route order status reads to the primary until the lag recovers.",
        diagnosis: "`pg_stat_activity` shows a 38-minute query from the finance export holding a snapshot; replay is waiting on it.",
        fix: "Cancelled the export query and switched order status reads to the primary.", recovery: "Replica lag under 1 s; status pages consistent with payments.",
        resolution: "Export moved to a dedicated replica; duplicate payments refunded.",
        factors: ["Customer-facing reads and the finance export share one replica.", "`max_standby_streaming_delay` allowed unlimited replay delay.", "The lag alert goes to Platform, while the customer symptom shows up in Payments."],
        lucky: "Refunds for the double payments could be issued in bulk from the gateway.",
        surprise: "The order status page had been reading from the replica for a year; most of the Payments team thought it read from the primary.",
        question: "Which reads truly need the primary, and how would we notice if that changed?",
        followUps: [
            FollowUpTemplate(title: "Give the finance export its own replica", description: "Separate analytics from customer-facing reads.", owner: "platform", service: "orders-db"),
            FollowUpTemplate(title: "Read order status from the primary after payment", description: "Read-your-writes for the confirmation page.", owner: "payments", service: "checkout-api"),
            FollowUpTemplate(title: "Cap standby streaming delay", description: "Cancel replica queries that hold replay back more than 60 s."),
        ]),
    Scenario(
        titles: ["orders-db primary ran out of disk", "Writes to orders-db halted by full WAL volume"], services: ["orders-db", "checkout-api"], labels: ["database", "capacity"],
        impact: "No orders could be placed for 22 minutes; carts were kept and most customers completed later.",
        story: "A replication slot left behind by a decommissioned CDC connector kept WAL from being recycled. The WAL volume filled and the primary stopped accepting writes.",
        trigger: "Disk usage on orders-db-primary WAL volume crossed 90% (no alert at this threshold).", alert: "CheckoutErrorRate: 100% of POST /orders failing with `could not extend file`.",
        observe: "WAL volume at 100%. Data volume fine. Primary up but read-only in practice.",
        reflect: "I had never seen the WAL volume fill; I assumed the data volume was the only one we watched because it was the only one that ever grew.",
        lead: "Looked for a bulk import or migration that might have written unusual amounts of data.",
        leadReflect: "A burst of writes was the explanation I had seen before, so I spent a few minutes confirming there was none.",
        decision: "Decided to grow the WAL volume first and investigate the slot afterwards.",
        diagnosis: "Inactive replication slot `cdc_orders_v1` retaining 480 GB of WAL; connector was removed in March.", fix: "Extended the WAL volume by 200 GB online; writes resumed.",
        recovery: "Order placement back to normal; queue of retried orders drained.", resolution: "Dropped the stale slot; WAL usage back to 12 GB.",
        factors: ["Decommissioning the CDC connector did not include dropping its slot.", "Disk alerts covered the data volume only.", "Retained WAL is not shown anywhere on the database dashboard."],
        lucky: "The volume could be grown online; on an older instance type, growing it needs a restart.", surprise: "The slot had been inactive for eleven weeks before it mattered.",
        question: "What else did the CDC connector leave behind?",
        followUps: [
            FollowUpTemplate(title: "Alert on inactive replication slots", description: "Any slot inactive for more than an hour pages Platform."),
            FollowUpTemplate(title: "Add WAL volume to disk alerts", description: "Same thresholds as the data volume."),
            FollowUpTemplate(title: "Add slot cleanup to the connector decommission checklist", description: "Checklist lives in the Payments runbook.", owner: "payments", service: "checkout-api"),
        ]),
    Scenario(
        titles: ["New cart enabled for all customers instead of 5%", "Feature flag rollout reached 100% of carts"], services: ["storefront-web", "checkout-api"], labels: ["feature-flag", "release"],
        impact: "All customers got the new cart; about 7% of carts with discount codes showed the wrong total.",
        story: "The flag UI treats an empty segment as 'everyone'. A segment rename left the rollout rule with no segment, so the new cart went to all customers.",
        trigger: "Segment `beta-5pct` renamed to `cart-beta-5pct` in the flag service.", alert: "Employee report in #storefront: 'my cart looks different and my discount is gone'.",
        observe: "Flag `new_cart` evaluating true for 100% of sessions since 10:12.", reflect: "The flag history showed no change to `new_cart` itself, so it took me a while to look at the segment.",
        lead: "Compared today's storefront deploy with yesterday's for cart changes.", leadReflect: "A deploy had gone out that morning and it was the freshest change I knew about.",
        decision: "Decided to switch `new_cart` off entirely and recompute totals for open carts.",
        diagnosis: "Rollout rule references a segment id that no longer exists; an unknown segment evaluates as 'all'.", fix: "Turned `new_cart` off; old cart served to everyone.",
        recovery: "Cart totals correct for new sessions; support macros updated.", resolution: "Open carts recomputed; flag re-enabled with the renamed segment after review.",
        factors: ["An unknown segment means 'everyone' in the flag service.", "Renaming a segment does not warn about rules that use it.", "Discount handling in the new cart was still behind a separate, incomplete branch."],
        lucky: "A colleague noticed within minutes because she was in the beta herself and knew what it looked like.",
        surprise: "The flag service allows a rule to reference a deleted segment without any warning.", question: "Should an unknown segment fail closed for every flag?",
        followUps: [
            FollowUpTemplate(title: "Make unknown segments evaluate to 'nobody'", description: "Change the default in the flag service SDK config.", owner: "platform", service: "edge-proxy"),
            FollowUpTemplate(title: "Warn when renaming a segment in use", description: "List dependent rules before saving."),
            FollowUpTemplate(title: "Alert on flag exposure jumps", description: "Notify the flag owner when exposure changes by more than 20 points."),
        ]),
    Scenario(
        titles: ["Duplicate charges from a retry storm in the payment gateway", "Some customers charged twice during gateway retries"],
        services: ["payment-gateway", "checkout-api"], labels: ["payments", "retries", "customer-facing"], impact: "312 customers were charged twice; all were refunded within two days.",
        story: "A slow acquirer response made checkout-api retry capture requests without an idempotency key, so the gateway treated each retry as a new capture.",
        trigger: "checkout-api release 2024.41 switched capture calls to the new HTTP client (retries on by default).",
        alert: "Support: several customers report two identical charges within seconds.", observe: "Gateway logs show pairs of captures 3 s apart from the same order id.",
        reflect: "I checked the gateway first because double charges sounded like a gateway bug; the retries in checkout-api were not on my radar.",
        lead: "Checked whether the acquirer had an incident that might duplicate captures.", leadReflect: "We had seen a duplicate capture from the acquirer once before, years ago.",
        decision: "Decided to turn off client retries for capture calls until idempotency keys are in place.",
        diagnosis: "New HTTP client retries on timeout by default; capture requests carry no idempotency key.", fix: "Deployed checkout-api with retries disabled for `/captures`.",
        recovery: "No new duplicate captures in 30 minutes.", resolution: "Duplicates refunded; idempotency keys added to every capture request.",
        factors: ["The new HTTP client changed the retry default without a note in the release.", "Capture requests had relied on the old client never retrying.", "The gateway accepts captures without an idempotency key."],
        lucky: "Support recognised the pattern from three tickets and escalated before the evening peak.",
        surprise: "The gateway rejects duplicates that carry the idempotency key it already supports; our client was not sending it.", question: "Which other calls assume that the HTTP client never retries?",
        followUps: [
            FollowUpTemplate(title: "Send idempotency keys on every capture", description: "Use the order id plus attempt number."),
            FollowUpTemplate(title: "Require idempotency keys at the gateway", description: "Reject captures without a key after a warning period.", service: "payment-gateway"),
            FollowUpTemplate(title: "Audit HTTP client retry defaults across services", description: "List every client and its retry behaviour.", owner: "platform", service: "edge-proxy"),
        ]),
    Scenario(
        titles: ["Partner API traffic blocked by the edge rate limiter", "Marketplace partner got 429s after rate limit change"],
        services: ["edge-proxy", "product-search"], labels: ["rate-limiting", "partners"], impact: "Our largest marketplace partner could not sync prices or stock for three hours.",
        story: "A new global rate limit counted requests per source IP. The partner sends all traffic through one NAT address and exceeded the limit immediately.",
        trigger: "Rate limit rule `global-ip-600rpm` enabled on the edge proxy.", alert: "Partner's integration team emailed support: all API calls return 429.",
        observe: "429s concentrated on one source IP belonging to the partner; everything else normal.",
        reflect: "Our error-rate alerts stayed quiet because 429s are counted as client errors, so from our side everything looked healthy.",
        lead: "Checked the partner's API key for expiry or revocation.", leadReflect: "Expired keys were the most common partner issue I had seen, so I started there.",
        decision: "Decided to exempt authenticated partner keys from the IP limit.", diagnosis: "Partner traffic all from one NAT IP at ~2,400 rpm against a 600 rpm per-IP limit.",
        fix: "Added an exemption for requests with a valid partner API key.", recovery: "Partner sync succeeding; backlog cleared in 40 minutes.",
        resolution: "Rate limits now keyed by API key for partners and by IP for anonymous traffic.",
        factors: ["The limit was sized from browser traffic, where one IP is one person.", "429s do not count towards our error alerts.", "Partner contacts reach support, not the team running the edge."],
        lucky: "The partner had a queue on their side and lost no updates.", surprise: "One partner produced more traffic than all anonymous clients combined.",
        question: "How should we tell partners before changing limits that affect them?",
        followUps: [
            FollowUpTemplate(title: "Key partner rate limits by API key", description: "Per-key budgets agreed with each partner."),
            FollowUpTemplate(title: "Alert on 429 bursts per client", description: "Any single client above 50% 429s for 10 minutes."),
            FollowUpTemplate(title: "Partner change notice in the release checklist", description: "Two weeks' notice for limit changes.", owner: "storefront", service: "storefront-web"),
        ]),
    Scenario(
        titles: ["Product images missing after bucket lifecycle change", "Broken images across product pages"], services: ["storefront-web", "edge-proxy"], labels: ["storage", "config-change"],
        impact: "Product images older than 30 days returned 404; pages loaded but most showed placeholders.",
        story: "A lifecycle rule meant for temporary uploads was applied to the whole image bucket, and objects older than 30 days were deleted overnight.",
        trigger: "Lifecycle rule `expire-tmp-30d` applied to bucket `media-prod` (prefix filter empty).", alert: "Call centre: customers say product pictures are gone.",
        observe: "404s for `/media/` paths from the CDN; recent uploads fine, older ones missing.",
        reflect: "The CDN cache hid the problem for hours, so when the calls started I was sure something had changed in the last few minutes.",
        lead: "Purged the CDN cache for `/media/` in case of a bad cached response.", leadReflect: "A poisoned cache was the fastest thing to rule out, and I did not yet know the objects were gone.",
        decision: "Decided to restore from bucket versioning rather than re-upload from the PIM.",
        diagnosis: "Lifecycle rule had an empty prefix and matched every object; versioning kept deleted objects as non-current versions.",
        fix: "Removed the rule and restored non-current versions with the restore script.", recovery: "Images served again; 404 rate on `/media/` back to normal.",
        resolution: "All 1.2 M objects restored; rule re-created with the `tmp/` prefix.",
        factors: ["An empty prefix in a lifecycle rule means 'all objects'.", "The CDN cache delayed the symptom, separating cause and effect by hours.", "The purge made more requests go to the origin, turning a slow trickle into a visible outage."],
        lucky: "Versioning had been switched on for an audit six months earlier.", surprise: "Purging the cache made the outage larger.",
        question: "Where else do we rely on a default that means 'everything'?",
        followUps: [
            FollowUpTemplate(title: "Policy check for lifecycle rules without a prefix", description: "Fail the infrastructure plan when a rule has no filter.", owner: "platform", service: "edge-proxy"),
            FollowUpTemplate(title: "Synthetic check for an old product image", description: "Fetch a year-old image every five minutes."),
            FollowUpTemplate(title: "Document the media restore script", description: "Runbook with timings from this incident."),
        ]),
    Scenario(
        titles: ["Search latency degraded by runaway reindex", "Slow search during catalogue backfill"], services: ["product-search", "orders-db"], labels: ["search", "capacity"],
        impact: "Search took 3–5 seconds for about two hours; some customers gave up and browsed instead.",
        story: "A backfill of product reviews triggered partial reindexing of every product at once, and the search cluster spent its CPU on indexing instead of queries.",
        trigger: "Backfill job `reviews-import` started writing review counts for 800k products.", alert: "SearchLatencyP95High: 3.2 s (threshold 800 ms).",
        observe: "Search cluster CPU at 95%, indexing rate 40x normal, query queue growing.",
        reflect: "I saw indexing high and thought it was the nightly rebuild running late, which has happened before and clears on its own.", lead: "Added two data nodes to the search cluster.",
        leadReflect: "More capacity looked like it would help whatever the cause, and it was a button I knew.",
        decision: "Decided to pause the backfill rather than wait for new nodes to take shards.",
        diagnosis: "Every review count update triggers a product reindex; the backfill sent 800k updates in 20 minutes.", fix: "Paused the backfill job.",
        recovery: "Search p95 back to 300 ms within 15 minutes.", resolution: "Backfill resumed with throttling at 50 updates per second overnight.",
        factors: ["Review counts are stored on the product document, so each update reindexes the whole product.", "The backfill had no rate limit.", "Indexing and queries share the same nodes."],
        lucky: "It happened on a Monday morning, the lowest traffic of the week.", surprise: "Adding nodes made latency worse for twenty minutes while shards moved.",
        question: "Should review counts live on the product document at all?",
        followUps: [
            FollowUpTemplate(title: "Throttle bulk updates that trigger reindexing", description: "Shared helper for backfills.", owner: "storefront"),
            FollowUpTemplate(title: "Separate indexing and query node pools", description: "Dedicated ingest nodes for the search cluster."),
            FollowUpTemplate(title: "Backfill checklist: announce in #ops before starting", description: "Include expected write volume."),
        ]),
    Scenario(
        titles: ["Login loop on the storefront after cookie domain change", "Customers signed out repeatedly after edge config update"],
        services: ["storefront-web", "edge-proxy"], labels: ["auth", "config-change"], impact: "About 20% of signed-in customers were sent back to the login page on every click for 50 minutes.",
        story: "A cookie domain change at the edge set session cookies for `www.` only, while older sessions lived on the apex domain. Browsers sent two conflicting cookies and the app rejected both.",
        trigger: "Edge config change: session cookie domain `.shop.example` → `www.shop.example`.", alert: "Call centre: surge of calls about being unable to stay logged in.",
        observe: "Login success rate normal, but sessions end after one request for customers with old cookies.",
        reflect: "Login metrics were green, and to me that meant auth was fine. I did not have a metric for sessions ending early.", lead: "Rolled back the morning storefront deploy.",
        leadReflect: "The deploy was the only change I could see in the storefront channel.", decision: "Decided to revert the edge cookie change after the storefront rollback did not help.",
        diagnosis: "Requests carry two `session` cookies (apex and www); the app picks the apex one, which is no longer valid.", fix: "Reverted the cookie domain change at the edge.",
        recovery: "Session length back to normal; calls dropping off.", resolution: "Cookie change redone with a migration that clears the apex cookie.",
        factors: ["Edge config changes are not posted in the storefront channel.", "Session health is not measured, only login success.", "The change was tested with fresh browsers only."],
        lucky: "Checkout kept working for guests, so most orders could still be placed.", surprise: "Two teams were changing cookie behaviour in the same week without knowing about each other.",
        question: "Who owns cookie settings: the edge or the application?",
        followUps: [
            FollowUpTemplate(title: "Post edge config changes to #storefront", description: "Bot message with the diff.", owner: "platform", service: "edge-proxy"),
            FollowUpTemplate(title: "Measure session length and early logouts", description: "Dashboard panel plus alert."),
            FollowUpTemplate(title: "Test cookie changes with existing sessions", description: "Add to the edge change checklist.", owner: "platform", service: "edge-proxy"),
        ]),
    Scenario(
        titles: ["checkout-api could not reach payment-gateway after node pool upgrade", "Payment calls failing with DNS timeouts"],
        services: ["checkout-api", "payment-gateway"], labels: ["dns", "kubernetes"], impact: "About 9% of checkouts failed with 'payment could not be processed' for 35 minutes.",
        story: "After a node pool upgrade, the node-local DNS cache was not running on the new nodes. Pods there resolved through the cluster DNS service, which throttled under load.",
        trigger: "Kubernetes node pool `general-v3` rolled to the new node image.", alert: "PaymentGatewayClientErrors: 9% of calls failing (`i/o timeout` on lookup).",
        observe: "Failures only from pods on the new nodes; all are DNS lookup timeouts.",
        reflect: "Errors looked evenly spread on the service dashboard; only when I grouped by node did the pattern show.", lead: "Checked payment-gateway health; it was serving other clients fine.",
        leadReflect: "The error said we could not reach the gateway, so the gateway was the natural first suspect.", decision: "Decided to cordon the new nodes and move checkout pods back.",
        diagnosis: "node-local-dns DaemonSet has a node selector that does not match the new pool's labels.", fix: "Cordoned `general-v3` nodes and rescheduled checkout-api pods.",
        recovery: "Payment call errors at zero.", resolution: "DaemonSet selector fixed; pods moved back to the new pool.",
        factors: ["The DNS cache relied on a node label that the new image changed.", "Service dashboards do not split errors by node.", "The upgrade checklist checks node readiness, not DaemonSet coverage."],
        lucky: "The pool rolled slowly, so only a third of pods were on new nodes.", surprise: "Cluster DNS without the cache could handle only a fraction of our lookup rate.",
        question: "Which other DaemonSets would silently skip a relabelled node pool?",
        followUps: [
            FollowUpTemplate(title: "Alert when a DaemonSet does not cover every node", description: "Compare desired and scheduled counts.", owner: "platform", service: "edge-proxy"),
            FollowUpTemplate(title: "Add DNS lookup errors by node to the checkout dashboard", description: "Split by node and zone."),
            FollowUpTemplate(title: "Cache gateway DNS in the checkout client", description: "Respect TTL, fall back on last good answer."),
        ]),
    Scenario(
        titles: ["Payment confirmations delayed by expired webhook secret", "Orders stuck in 'awaiting payment' after secret rotation"],
        services: ["payment-gateway", "checkout-api"], labels: ["payments", "secrets"],
        impact: "Confirmations for about 1,900 orders arrived 2–3 hours late; customers saw 'awaiting payment' meanwhile.",
        story: "The provider rotated the webhook signing secret on its schedule. Our copy was not updated, so every webhook failed signature checks and was retried by the provider with backoff.",
        trigger: "Provider rotated the webhook signing secret (notice had gone to a former colleague's mailbox).", alert: "Support: customers asking why paid orders are still 'awaiting payment'.",
        observe: "Webhook endpoint returning 401 for every call; signature mismatch in logs.",
        reflect: "We return 401 for bad signatures on purpose, and our alert ignores 4xx, so the failures were invisible to me.",
        lead: "Checked recent gateway deploys for changes to the signature check.", leadReflect: "A change to our own verification code seemed more likely than a change on the provider side.",
        decision: "Decided to fetch the new secret from the provider dashboard and trigger redelivery.",
        diagnosis: "Provider dashboard shows the secret rotated at 02:00; our stored secret is the old one.", fix: "Updated the secret in the vault and restarted the webhook workers.",
        recovery: "Webhooks accepted; provider redelivering the backlog.", resolution: "Backlog processed; all orders confirmed.",
        factors: ["Rotation notices go to a personal address, not a team list.", "Alerts ignore 4xx responses from the webhook endpoint.", "The provider's backoff stretched a short outage into hours of delay."],
        lucky: "The provider keeps undelivered webhooks for 72 hours.", surprise: "The provider supports two valid secrets during rotation; we had never enabled it.",
        question: "Which other third-party notices still go to personal mailboxes?",
        followUps: [
            FollowUpTemplate(title: "Route provider notices to payments-team@", description: "Update contacts for all payment providers."),
            FollowUpTemplate(title: "Alert on webhook signature failures", description: "Any sustained 401 rate above 5%."),
            FollowUpTemplate(title: "Enable dual secrets during rotation", description: "Accept old and new secrets for 24 hours."),
        ]),
    Scenario(
        titles: ["Storefront pods restarting from memory leak in server rendering", "Intermittent 503s as storefront-web ran out of memory"],
        services: ["storefront-web"], labels: ["memory", "release"], impact: "Around 2% of page loads returned 503 for most of an afternoon; retries usually worked.",
        story: "A new product-recommendation component cached rendered fragments in a module-level map without eviction. Pods grew until the kernel killed them, roughly every 40 minutes.",
        trigger: "storefront-web release with the new recommendations carousel reached 100%.", alert: "PodRestartsHigh: storefront-web 14 OOM kills in 30 min.",
        observe: "Memory per pod grows steadily from 400 MB to the 1.5 GB limit, then OOM kill; sawtooth pattern.",
        reflect: "Restarts looked like noise at first because each pod came back healthy, and the error rate stayed under our alert threshold.", lead: "Raised the memory limit from 1.5 GB to 2 GB.",
        leadReflect: "More memory bought time without a rollback, and I was not yet sure the release was involved.", decision: "Decided to roll back the release and profile it in staging.",
        diagnosis: "Heap snapshot shows a module-level `Map` in the carousel holding rendered fragments keyed by session.", fix: "Rolled back storefront-web to the previous release.",
        recovery: "Memory flat, no OOM kills for an hour.", resolution: "Cache replaced with a bounded LRU; carousel shipped again the next day.",
        factors: ["Load tests run for ten minutes, shorter than the leak took to matter.", "Error-rate alerts average over pods, diluting a restart pattern.", "Server rendering and client caching patterns look the same in code review."],
        lucky: "Pod restarts were staggered, so capacity never dropped below half.", surprise: "Raising the limit made each restart slower and more visible.",
        question: "How do we catch slow leaks before a release reaches everyone?",
        followUps: [
            FollowUpTemplate(title: "Alert on OOM kills per deployment", description: "More than three in 30 minutes pages the owner."),
            FollowUpTemplate(title: "Soak test storefront releases for two hours", description: "Run in staging before 100%."),
            FollowUpTemplate(title: "Lint rule for module-level caches in SSR code", description: "Flag unbounded maps at module scope.", owner: "storefront"),
        ]),
]

// MARK: - Shared phrasing

private let ackTexts = [
    "Acknowledged. Looking at the %@ dashboards.",
    "Ack'd, opening #inc channel and pulling up %@ metrics.",
    "Acknowledged from phone, at laptop in 3 min. Will start with %@.",
    "On it. Checking recent deploys and the %@ overview.",
]
private let commsTexts = [
    "Status page updated: 'We are investigating degraded performance affecting %@.'",
    "Posted an update for support: known issue with %@, workaround is to retry.",
    "Paged %@ on-call for a second pair of eyes.",
    "Incident commander role taken; %@ joined the bridge.",
]
private let resolvedTexts = [
    "Resolving. Monitoring stayed clean for an hour. Notes for the review are in the incident doc.",
    "Marking resolved. Will gather chat logs for the review.",
    "Closed out after overnight monitoring; nothing further in the logs.",
]
private let recalledTexts = [
    "Adding from memory after the fact: around this time I wondered whether to wake up the database on-call, and held off because the graphs were not conclusive.",
    "Written later for the review: I had two dashboards open that disagreed, and I trusted the one I use every day.",
    "Reconstructed for the review: the runbook link in the alert pointed to an archived page, so I worked from what I remembered.",
    "Recalled afterwards: I considered rolling back here but the deploy was three changes deep and I was not sure what a rollback would include.",
]
private let wentWell = [
    "Responders posted what they were seeing in the channel as they went, which made this timeline easy to rebuild.",
    "Asking for help early brought in the person who knew the %@ internals within minutes.",
    "The rollback path was well rehearsed and took under five minutes.",
    "Support's escalation came with examples and timestamps, which narrowed the search quickly.",
    "Hand-over between the first responder and the incident commander was explicit and written down.",
    "Nobody hesitated to say 'I don't know what this graph means', which surfaced the key signal.",
]
private let extraFactors = [
    "The runbook for %@ had not been updated since the last architecture change.",
    "The alert fired in a shared channel where it competed with unrelated noise.",
    "The responder was on their first on-call week for %@, and the escalation path was not obvious from the alert.",
    "Two changes landed close together, which made it hard to tell which one mattered.",
]
private let extraQuestions = [
    "Would we have seen this sooner with the alert routed to the owning team?",
    "How many near misses like this have there been that never paged anyone?",
    "Is our current dashboard layout helping first responders, or people who already know the system?",
]
private let trackerPrefixes = ["OPS", "PAY", "PLAT", "SF"]

// MARK: - Generator

private struct Generator {
    let now: Date
    var rng: SplitMix64
    /// `DemoData.escalationChange`: customer-noticed incidents before it took
    /// longer to reach an engineer.
    let change: Date

    func t(_ d: Date) -> Date { LoreTime.milliseconds(d) }
    func members(of team: String) -> [DemoUser] { userList.filter { $0.teamSlug == team } }
    func service(_ slug: String) -> (name: String, slug: String, owner: String, onCall: String) {
        serviceList.first { $0.slug == slug }!
    }

    mutating func run() -> DemoDataset {
        let teams = teamList.map { Team(id: rng.uuid(), name: $0.name, slug: $0.slug) }
        let services = serviceList.map {
            Service(id: rng.uuid(), name: $0.name, slug: $0.slug, owningTeam: $0.owner, onCallTeam: $0.onCall)
        }

        // Ages in days: 26 resolved spread over six months, then two
        // mitigated and two open from the last day or so.
        let resolvedCount = 26
        var plan: [(age: TimeInterval, status: IncidentStatus, rank: Int)] = []
        for k in 0..<resolvedCount {
            let age = (2.5 + Double(k) * 6.8 + rng.double(0...3)) * day
            plan.append((age, .resolved, k))
        }
        plan.append((rng.double(10...30) * hour, .mitigated, 0))
        plan.append((rng.double(34...60) * hour, .mitigated, 1))
        plan.append((rng.double(1.2...5) * hour, .open, 0))
        plan.append((rng.double(6...9) * hour, .open, 1))
        plan.sort { $0.age > $1.age }

        // Each scenario at least once before any repeats.
        var order = rng.shuffled(Array(scenarios.indices))
        order += rng.shuffled(Array(scenarios.indices))
        var incidents: [DemoIncident] = []
        for (i, p) in plan.enumerated() {
            incidents.append(makeIncident(scenarios[order[i % order.count]], age: p.age, status: p.status, rank: p.rank))
        }
        return DemoDataset(teams: teams, services: services, users: userList, incidents: incidents)
    }

    // MARK: Incident

    mutating func makeIncident(_ s: Scenario, age: TimeInterval, status: IncidentStatus, rank: Int) -> DemoIncident {
        let severity = OrganisationSettings.defaultSeverities[rng.weighted([0.06, 0.14, 0.42, 0.38])]
        let source = detectionSource(for: s.alert)
        let primary = service(s.services[0])

        // Times, each after the previous one; an open incident started
        // long enough ago to have been acknowledged and worked on.
        var detectDelay: TimeInterval = switch source {
        case "monitoring alert", "synthetic check": rng.double(1...8) * minute
        case "customer support", "call centre": rng.double(15...75) * minute
        default: rng.double(5...45) * minute
        }
        // Before the support escalation change, customers' reports waited in
        // a triage queue (only the oldest featured incidents can be that old).
        if source == "customer support" || source == "call centre", now.addingTimeInterval(-age) < change {
            detectDelay *= 3.5
        }
        let ackDelay = rng.double(0.5...7) * minute
        let impact = now.addingTimeInterval(-max(age, detectDelay + ackDelay + 40 * minute))
        let detected = impact.addingTimeInterval(detectDelay)
        let acked = detected.addingTimeInterval(ackDelay)
        var mitigated: Date?
        var resolved: Date?
        if status != .open {
            let mitigateAfter: TimeInterval = switch severity {
            case "SEV1": rng.double(25...120)
            case "SEV2": rng.double(20...150)
            default: rng.double(15...300)
            }
            mitigated = min(acked.addingTimeInterval(mitigateAfter * minute), now.addingTimeInterval(-20 * minute))
        }
        if status == .resolved, let m = mitigated {
            resolved = rng.chance(0.3) ? m : min(m.addingTimeInterval(rng.double(0.2...30) * hour), now.addingTimeInterval(-day))
            if resolved! < m { resolved = m }
        }
        let times = IncidentTimes(
            impactStartedAt: t(impact), detectedAt: t(detected), acknowledgedAt: t(acked),
            mitigatedAt: mitigated.map(t), resolvedAt: resolved.map(t)
        )

        // People.
        let onCall = members(of: primary.onCall)
        let responder = rng.pick(onCall)
        let helperTeam = s.services.count > 1 ? service(s.services[1]).onCall : primary.owner
        let helperPool = members(of: helperTeam).filter { $0.handle != responder.handle }
        let helper = rng.pick(helperPool.isEmpty ? userList.filter { $0.handle != responder.handle } : helperPool)
        let changeAuthor = rng.pick(members(of: primary.owner))

        var teams: [String] = []
        for slug in s.services.flatMap({ [service($0).onCall, service($0).owner] }) where !teams.contains(slug) {
            teams.append(slug)
        }
        var labels = s.labels
        if severity == "SEV1" || severity == "SEV2", !labels.contains("customer-facing") { labels.append("customer-facing") }

        var refs: [ExternalReference] = []
        if source == "monitoring alert" || source == "synthetic check" || rng.chance(0.3) {
            let id = "Q" + rng.token(13)
            refs.append(ExternalReference(system: "pagerduty", id: id, url: "https://example.pagerduty.com/incidents/\(id)"))
        }
        if severity == "SEV1" || severity == "SEV2" {
            let id = rng.token(12, alphabet: "abcdefghijklmnopqrstuvwxyz0123456789")
            refs.append(ExternalReference(system: "statuspage", id: id, url: "https://status.example.com/incidents/\(id)"))
        }
        if rng.chance(0.25) {
            refs.append(ExternalReference(system: "jira", id: "OPS-\(rng.int(100...990))"))
        }

        let durationText = LoreTime.duration((mitigated ?? now).timeIntervalSince(impact))
        let customerImpact = status == .open
            ? s.impact + " Ongoing at the time of writing."
            : s.impact + " Impact lasted about \(durationText)."

        let timeline = makeTimeline(s, times: times, status: status, source: source, responder: responder, helper: helper, changeAuthor: changeAuthor)

        var review: DemoReview?
        var followUps: [DemoFollowUp] = []
        if status == .resolved, let res = times.resolvedAt {
            let reviewStatus: ReviewStatus?
            switch rank {
            case 0: reviewStatus = .scheduled
            case 1: reviewStatus = .draft
            case 2: reviewStatus = .held
            case 3: reviewStatus = .published
            default:
                let roll = rng.unit()
                reviewStatus = roll < 0.12 && severity == "SEV4" ? nil : roll < 0.35 ? .held : .published
            }
            if let reviewStatus {
                review = makeReview(s, status: reviewStatus, resolvedAt: res, times: times, severity: severity, source: source, timeline: timeline, responder: responder, helper: helper, changeAuthor: changeAuthor, customerImpact: customerImpact)
                followUps = makeFollowUps(s, reviewStatus: reviewStatus, after: review?.meetingAt ?? res)
            }
        } else if status == .mitigated, rank == 1 {
            // The review window is running; someone has started notes.
            review = DemoReview(
                status: .draft, facilitatorHandle: facilitator(excluding: primary.onCall).handle,
                participantHandles: unique([responder.handle, helper.handle]), meetingAt: nil,
                sections: [.summary: s.story, .openQuestions: "- " + s.question]
            )
        }

        return DemoIncident(
            title: rng.pick(s.titles), severity: severity, status: status, services: s.services, teams: teams,
            detectionSource: source, times: times, customerImpact: customerImpact, labels: labels,
            externalReferences: refs, timeline: timeline, review: review, followUps: followUps
        )
    }

    /// Scenarios describe how they were noticed; the source follows from that,
    /// with some variety for the monitored ones.
    mutating func detectionSource(for alert: String) -> String {
        let sources = OrganisationSettings.defaultDetectionSources
        if alert.hasPrefix("Support") || alert.contains("emailed support") { return sources[1] }
        if alert.hasPrefix("Call centre") { return sources[2] }
        if alert.hasPrefix("Employee") { return sources[3] }
        if alert.hasPrefix("Synthetic") { return sources[4] }
        return [sources[0], sources[0], sources[0], sources[0], sources[5], sources[6]][rng.int(0...5)]
    }

    func facilitator(excluding team: String) -> DemoUser {
        // An outside facilitator: someone not on the team that was paged.
        userList.first { $0.teamSlug != team && $0.teamRole == .member && $0.handle != "daniel" } ?? userList[0]
    }

    func formatter(_ format: String) -> DateFormatter {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = format
        return f
    }

    func fill(_ template: String, _ value: String) -> String {
        template.replacingOccurrences(of: "%@", with: value)
    }

    func unique(_ list: [String]) -> [String] {
        var seen = Set<String>()
        return list.filter { seen.insert($0).inserted }
    }

    // MARK: Timeline

    mutating func makeTimeline(
        _ s: Scenario, times: IncidentTimes, status: IncidentStatus, source: String,
        responder: DemoUser, helper: DemoUser, changeAuthor: DemoUser
    ) -> [DemoTimelineEntry] {
        let detected = times.detectedAt!, acked = times.acknowledgedAt!
        // The working period runs from acknowledgement to mitigation, or to
        // a little before now while impact is ongoing.
        let end = times.mitigatedAt ?? now.addingTimeInterval(-3 * minute)
        let span = max(end.timeIntervalSince(acked), 2 * minute)
        func at(_ f: Double) -> Date { acked.addingTimeInterval(span * f) }
        let primary = s.services[0]
        let nowMs = now
        // Some people write their part days after resolution, from memory.
        let recallWriter = status == .resolved && rng.chance(0.22)
        let late: TimeInterval? = recallWriter
            ? times.resolvedAt!.timeIntervalSince(acked) + rng.double(3.2...9) * day : nil
        var entries: [DemoTimelineEntry] = []

        func add(_ occurred: Date, _ who: DemoUser, _ src: TimelineSource, _ kind: TimelineKind, _ text: String,
                 reflection: String? = nil, marker: TimelineMarker? = nil, lateBy: TimeInterval? = nil, rng: inout SplitMix64) {
            let delay = lateBy ?? (src == .pagerduty || src == .api ? rng.double(0.2...5) : rng.double(10...240))
            let recorded = min(occurred.addingTimeInterval(delay), nowMs)
            entries.append(DemoTimelineEntry(
                occurredAt: LoreTime.milliseconds(occurred), recordedAt: LoreTime.milliseconds(max(recorded, occurred)),
                authorHandle: who.handle, source: src, kind: kind, text: text, reflection: reflection, marker: marker))
        }

        let ongoing = status == .open
        if rng.chance(0.6), let impact = times.impactStartedAt {
            add(impact, changeAuthor, .api, .action, s.trigger, rng: &rng)
        }
        let detectionText = switch source {
        case "monitoring alert", "synthetic check": "Triggered: " + s.alert
        case "third party": "Heads-up from a vendor contact: " + s.alert
        case "other": "Noticed while looking into something unrelated: " + s.alert
        default: s.alert
        }
        add(detected, responder, source == "monitoring alert" || source == "synthetic check" ? .pagerduty : .slack,
            source == "monitoring alert" || source == "synthetic check" ? .alert : .communication,
            detectionText, marker: .detection, rng: &rng)
        add(acked, responder, .pagerduty, .action, fill(rng.pick(ackTexts), primary), rng: &rng)
        if ongoing || rng.chance(0.8) {
            add(at(0.1), responder, .slack, .observation, s.observe, reflection: s.reflect, lateBy: late, rng: &rng)
        }
        if ongoing || rng.chance(0.6) {
            add(at(0.22), responder, .manual, .action, s.lead, reflection: rng.chance(0.6) ? s.leadReflect : nil, rng: &rng)
        }
        if ongoing || rng.chance(0.6) {
            let arg = rng.chance(0.5) ? service(primary).name : helper.displayName
            add(at(0.3), helper, .slack, .communication, fill(rng.pick(commsTexts), arg), rng: &rng)
        }
        if !ongoing && rng.chance(0.55) {
            add(at(0.42), helper, .slack, .decision, s.decision, marker: rng.chance(0.4) ? .keyMoment : nil, rng: &rng)
        }
        if !ongoing || rng.chance(0.5) {
            add(at(ongoing ? 0.7 : 0.58), helper, .manual, .observation, s.diagnosis, marker: .diagnosis, rng: &rng)
        }
        if let m = times.mitigatedAt {
            add(at(0.85), responder, .manual, .action, s.fix, marker: .repair, rng: &rng)
            add(m, responder, .slack, .observation, s.recovery, marker: rng.chance(0.3) ? .keyMoment : nil, rng: &rng)
        }
        if let r = times.resolvedAt, rng.chance(0.7) {
            add(r, responder, .manual, .note, s.resolution + " " + rng.pick(resolvedTexts), rng: &rng)
        }
        if recallWriter, !ongoing, let lateBy = late {
            add(at(0.35), rng.chance(0.5) ? responder : helper, .manual, .note, rng.pick(recalledTexts),
                reflection: "Memory is fuzzy on the exact minute; the chat log puts it around here.", lateBy: lateBy - span * 0.35, rng: &rng)
        }
        return entries.sorted { $0.occurredAt < $1.occurredAt }
    }

    // MARK: Review

    mutating func makeReview(
        _ s: Scenario, status: ReviewStatus, resolvedAt: Date, times: IncidentTimes, severity: String, source: String,
        timeline: [DemoTimelineEntry], responder: DemoUser, helper: DemoUser, changeAuthor: DemoUser, customerImpact: String
    ) -> DemoReview {
        let primary = service(s.services[0])
        let facilitatorUser = rng.chance(0.7)
            ? rng.pick(userList.filter { $0.teamSlug != primary.onCall && $0.handle != helper.handle })
            : rng.pick(members(of: primary.onCall).filter { $0.handle != responder.handle })
        var participants = [responder.handle, helper.handle, changeAuthor.handle]
        if rng.chance(0.5), let manager = members(of: primary.onCall).first(where: { $0.teamRole == .manager }) {
            participants.append(manager.handle)
        }
        participants = unique(participants.filter { $0 != facilitatorUser.handle })

        let meetingAt: Date? = switch status {
        case .draft: nil
        case .scheduled: t(max(now, resolvedAt).addingTimeInterval(rng.double(18...46) * hour))
        case .held, .published: t(min(resolvedAt.addingTimeInterval(rng.double(20...70) * hour), now.addingTimeInterval(-hour)))
        }

        let fmt = formatter("HH:mm"), dayFmt = formatter("EEEE d MMMM")

        let start = times.impactStartedAt ?? times.detectedAt!
        let toDetect = LoreTime.duration(times.detectedAt!.timeIntervalSince(start))
        let toMitigate = LoreTime.duration(times.mitigatedAt!.timeIntervalSince(start))
        var sections: [ReviewSection: String] = [:]
        sections[.summary] = "\(s.story) It began on \(dayFmt.string(from: start)) (UTC), was noticed through \(source) after \(toDetect) and was mitigated \(toMitigate) after impact began (\(severity))."

        var story = "### Timeline (UTC)\n\n"
        for e in timeline {
            story += "- **\(fmt.string(from: e.occurredAt))** \(e.text)"
            if let m = e.marker { story += " _(\(m.label.lowercased()))_" }
            story += "\n"
        }
        let reflections = timeline.compactMap { $0.reflection }
        if !reflections.isEmpty {
            story += "\n### What made sense at the time\n\n" + reflections.map { "> \($0)" }.joined(separator: "\n>\n") + "\n"
        }
        if let d = timeline.first(where: { $0.marker == .diagnosis }), let r = timeline.first(where: { $0.marker == .repair }) {
            let gap = LoreTime.duration(r.occurredAt.timeIntervalSince(d.occurredAt))
            story += "\nThe turning point came at **\(fmt.string(from: d.occurredAt))**, when the picture changed: _\(d.text)_ The repair followed \(gap) later."
        }
        sections[.whatHappened] = story

        if status == .draft {
            sections[.openQuestions] = "- " + s.question
            return DemoReview(status: status, facilitatorHandle: facilitatorUser.handle, participantHandles: participants, meetingAt: nil, sections: sections)
        }

        var factors = s.factors.map { "- \($0)" }
        if rng.chance(0.6) { factors.append("- " + fill(rng.pick(extraFactors), primary.name)) }
        sections[.contributingFactors] = "These conditions combined; none of them alone would have produced the incident.\n\n" + factors.joined(separator: "\n")
        sections[.customerImpact] = customerImpact + "\n\n| Measure | Value |\n|---|---|\n| Time to detect | \(toDetect) |\n| Time to mitigate | \(toMitigate) |\n| Time to resolve | \(LoreTime.duration(resolvedAt.timeIntervalSince(start))) |"
        if status == .scheduled {
            sections[.openQuestions] = "- " + s.question + "\n- To ask in the meeting: what did each responder expect to see when they opened the dashboards?"
            return DemoReview(status: status, facilitatorHandle: facilitatorUser.handle, participantHandles: participants, meetingAt: meetingAt, sections: sections)
        }

        let good = rng.shuffled(wentWell).prefix(rng.int(2...3)).map { "- " + fill($0, primary.name) }
        sections[.whatWentWell] = good.joined(separator: "\n")
        sections[.whereWeGotLucky] = s.lucky + "\n\nWe are listing this because luck is not a control; the follow-ups below try to make the good outcome deliberate."
        sections[.surprises] = s.surprise + " " + (rng.chance(0.5)
            ? "Several participants drew the system differently before this review than after it."
            : "This came up independently from two participants in the meeting.")
        sections[.openQuestions] = "- " + s.question + "\n- " + rng.pick(extraQuestions)
        return DemoReview(status: status, facilitatorHandle: facilitatorUser.handle, participantHandles: participants, meetingAt: meetingAt, sections: sections)
    }

    // MARK: Follow-ups

    mutating func makeFollowUps(_ s: Scenario, reviewStatus: ReviewStatus, after: Date) -> [DemoFollowUp] {
        let created = t(min(after.addingTimeInterval(rng.double(0.5...4) * hour), now))
        let templates: [FollowUpTemplate]
        switch reviewStatus {
        case .draft: return []
        case .scheduled: templates = Array(s.followUps.prefix(1))  // an obvious fix noted before the meeting
        case .held, .published: templates = Array(rng.shuffled(s.followUps).prefix(rng.int(2...3)))
        }
        let age = now.timeIntervalSince(created)
        var result: [DemoFollowUp] = []
        for tpl in templates {
            let serviceSlug = tpl.service ?? s.services[0]
            let ownerTeam = tpl.owner ?? service(serviceSlug).onCall
            let owner: String? = rng.chance(0.7) ? rng.pick(members(of: ownerTeam)).handle : nil
            let due: Date? = rng.chance(0.8) ? t(created.addingTimeInterval(rng.double(14...60) * day)) : nil
            let tracker: String? = switch rng.int(0...3) {
            case 0: nil
            case 1: "https://tracker.example.com/browse/\(rng.pick(trackerPrefixes))-\(rng.int(100...999))"
            default: "\(rng.pick(trackerPrefixes))-\(rng.int(100...999))"
            }
            let pDone = reviewStatus == .scheduled ? 0 : min(0.7, age / (60 * day))
            let status: FollowUpStatus
            let roll = rng.unit()
            if roll < pDone { status = .done } else if roll < pDone + (1 - pDone) * 0.45 { status = .inProgress } else { status = .open }
            var closed: Date?
            var finalStatus = status
            var reason: String?, plan: String?
            if status == .done {
                closed = t(min(created.addingTimeInterval(age * rng.double(0.15...0.9)), now))
                // Some closed work was honestly dropped or folded into a larger plan.
                switch rng.int(0...5) {
                case 0:
                    finalStatus = .notNecessary
                    reason = rng.pick(DemoCatalog.notNecessary)
                case 1:
                    finalStatus = .foldedIntoPlan
                    plan = rng.pick(DemoCatalog.plans)
                default: break
                }
            }
            result.append(DemoFollowUp(
                title: tpl.title, description: tpl.description, ownerTeam: ownerTeam, ownerHandle: owner,
                service: serviceSlug, dueDate: due, trackerReference: tracker, status: finalStatus,
                createdAt: created, closedAt: closed, reason: reason, plan: plan))
        }
        return result
    }
}
