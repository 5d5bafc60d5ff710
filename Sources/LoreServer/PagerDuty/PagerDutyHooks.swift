import Foundation
import HTTPTypes
import Hummingbird
import LoreCore
import LoreImport
import LoreStore

/// `X-PagerDuty-Signature`: one or more `v1=<hex>` values, each an
/// HMAC-SHA256 of the raw body. PagerDuty sends several while a secret is
/// being rotated; one match is enough.
public enum PagerDutySignature {
    /// The header PagerDuty would send for `body` signed with `secret`.
    public static func header(body: Data, secret: String) -> String {
        "v1=" + WebhookSignature.hmacHex(body: body, secret: secret)
    }

    public static func isValid(header: String?, body: Data, secret: String) -> Bool {
        guard let header, !header.isEmpty else { return false }
        let expected = Array(WebhookSignature.hmacHex(body: body, secret: secret).utf8)
        var matched = false
        for part in header.split(separator: ",") {
            let value = part.trimmingCharacters(in: .whitespaces)
            guard value.hasPrefix("v1=") else { continue }
            let given = Array(value.dropFirst(3).lowercased().utf8)
            // Constant time over the expected length, so timing says nothing
            // about how much of a forged signature was right.
            guard given.count == expected.count else { continue }
            var diff: UInt8 = 0
            for i in 0..<expected.count { diff |= expected[i] ^ given[i] }
            if diff == 0 { matched = true }
        }
        return matched
    }
}

/// PagerDuty webhooks v3: `POST /hooks/pagerduty/{subscription}`.
///
/// The signature is checked before the body is even parsed; a bad or missing
/// one is 401 and nothing is written. Verified incident events are recorded
/// (see `LoreStore.recordPagerDutyActivity`); other resource types and pings
/// are acknowledged and ignored so that PagerDuty does not retry them.
struct PagerDutyHooks {
    let app: LoreApp
    let recorder: PagerDutyRecorder
    let subscriptions: SubscriptionCache

    init(app: LoreApp) {
        self.app = app
        recorder = PagerDutyRecorder(store: app.store)
        subscriptions = SubscriptionCache(store: app.store)
    }
    /// PagerDuty's bodies are small (a few KB); anything far larger is not one.
    static let maxBody = 1 << 20

    func register(on router: Router<LoreRequestContext>) {
        let hooks = router.group("hooks/pagerduty").add(middleware: APIErrorMiddleware())
        hooks.post(":subscription") { request, context -> Response in
            let name = try context.parameters.require("subscription")
            let body = Data(buffer: try await request.collectBody(upTo: Self.maxBody, what: "The delivery"))
            guard let secret = try await subscriptions.secret(name) else {
                // Unknown subscription and one still waiting for its secret look
                // the same from outside: nothing here will accept the delivery.
                app.metrics.pagerDutyDelivery("unknown_subscription")
                throw LoreHTTPError(.unauthorized, code: "unauthorized", message: "No PagerDuty subscription \"\(name)\" with a signing secret; add it in Settings → PagerDuty or with `lore webhooks pagerduty add`.")
            }
            guard PagerDutySignature.isValid(header: request.headers[Self.signatureHeader], body: body, secret: secret) else {
                app.metrics.pagerDutyDelivery("bad_signature")
                throw LoreHTTPError(.unauthorized, code: "bad_signature", message: "X-PagerDuty-Signature is missing or does not match this subscription's secret.")
            }
            let parsed: PagerDutyActivity?
            do {
                parsed = try PagerDutyWebhookEvent.parseIfAboutIncident(body)
            } catch let error as PagerDutyPayloadError {
                app.metrics.pagerDutyDelivery("invalid")
                throw LoreHTTPError(.badRequest, code: "invalid_event", message: error.description, field: error.path)
            }
            guard let activity = parsed else {
                // Not about an incident (a ping, a service change): acknowledged,
                // since answering 4xx would make PagerDuty retry it and, in the
                // end, switch the subscription off.
                app.metrics.pagerDutyDelivery("ignored")
                return JSONResponse.make(PagerDutyDeliveryJSON(ignored: true, reason: "not an incident event"), status: .accepted)
            }
            let recorded = try await recorder.record(activity)
            try await subscriptions.noteDelivery(name)
            app.metrics.pagerDutyDelivery(recorded.addedEntry ? "created" : "duplicate")
            return JSONResponse.make(PagerDutyDeliveryJSON(incident: recorded.incidentKey, createdIncident: recorded.createdIncident, duplicate: !recorded.addedEntry))
        }
    }

    static let signatureHeader = HTTPField.Name("X-PagerDuty-Signature")!
}

/// Records deliveries in batches: whatever arrived while the previous batch
/// was being written goes into the next transaction together. One delivery
/// alone is still written at once; under a burst, the queries per delivery
/// fall from about a dozen to one or two (see
/// `LoreStore.recordPagerDutyActivities`).
actor PagerDutyRecorder {
    let store: LoreStore
    private var pending: [(activity: PagerDutyActivity, reply: CheckedContinuation<PagerDutyRecording, any Error>)] = []
    private var writing = false
    static let maxBatch = 500

    init(store: LoreStore) { self.store = store }

    func record(_ activity: PagerDutyActivity) async throws -> PagerDutyRecording {
        try await withCheckedThrowingContinuation { reply in
            pending.append((activity, reply))
            if !writing {
                writing = true
                Task { await self.drain() }
            }
        }
    }

    private func drain() async {
        while !pending.isEmpty {
            let batch = Array(pending.prefix(Self.maxBatch))
            pending.removeFirst(batch.count)
            do {
                let results = try await store.recordPagerDutyActivities(batch.map(\.activity))
                for (item, result) in zip(batch, results) { item.reply.resume(returning: result) }
            } catch {
                // One bad delivery must not fail the others: fall back to one
                // transaction each, so only the bad one gets an error.
                for item in batch {
                    do {
                        item.reply.resume(returning: try await store.recordPagerDutyActivity(item.activity))
                    } catch {
                        item.reply.resume(throwing: error)
                    }
                }
            }
        }
        writing = false
    }
}

/// Subscriptions' secrets as last read, for a couple of seconds: under a
/// burst of deliveries, reading the secret for each one would queue a query
/// per delivery on the database. A new, changed or removed subscription takes
/// effect within `lifetime`. Deliveries are noted on the settings page to the
/// minute, so that is written at most once a minute per subscription.
actor SubscriptionCache {
    let store: LoreStore
    static let lifetime: TimeInterval = 2
    private var secrets: [String: (secret: String?, readAt: Date)] = [:]
    private var noted: [String: Date] = [:]

    init(store: LoreStore) { self.store = store }

    func secret(_ name: String) async throws -> String? {
        let key = name.lowercased()
        if let cached = secrets[key], Date().timeIntervalSince(cached.readAt) < Self.lifetime { return cached.secret }
        let secret = try await store.pagerDutySigningSecret(subscription: key)
        secrets[key] = (secret, Date())
        return secret
    }

    func noteDelivery(_ name: String) async throws {
        let key = name.lowercased(), now = Date()
        if let last = noted[key], now.timeIntervalSince(last) < 60 { return }
        noted[key] = now
        try await store.notePagerDutyDelivery(subscription: key, at: now)
    }
}
