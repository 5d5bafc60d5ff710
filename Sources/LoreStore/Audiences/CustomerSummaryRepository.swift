import FluentKit
import Foundation
import LoreCore
import SQLKit

extension LoreStore {
    /// The incident's customer-facing summary, whatever its status, or nil.
    /// For the people who write and approve it; customer-facing accounts
    /// read `sharedCustomerSummaries` only.
    public func customerSummary(incidentID: UUID) async throws -> CustomerSummary? {
        guard let row = try await sqlDatabase().raw("SELECT * FROM customer_summaries WHERE incident_id = \(bind: incidentID)").first() else { return nil }
        return try Self.customerSummary(row)
    }

    static func customerSummary(_ row: any SQLRow) throws -> CustomerSummary {
        func ms(_ column: String) throws -> Date? {
            try row.decode(column: column, as: Int64?.self).map { Date(timeIntervalSince1970: Double($0) / 1000) }
        }
        let changes = try JSONDecoder().decode([CustomerSummary.Change].self, from: Data(try row.decode(column: "what_will_change", as: String.self).utf8))
        return CustomerSummary(
            incidentID: try row.decode(column: "incident_id", as: UUID.self),
            headline: try row.decode(column: "headline", as: String.self),
            whatCustomersSaw: try row.decode(column: "what_customers_saw", as: String.self),
            whoWasAffected: try row.decode(column: "who_was_affected", as: String.self),
            whatWeDid: try row.decode(column: "what_we_did", as: String.self),
            whatWillChange: changes,
            whatToTell: try row.decode(column: "what_to_tell", as: String.self),
            status: CustomerSummary.Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .draft,
            updatedAt: try ms("updated_at") ?? Date(timeIntervalSince1970: 0),
            updatedBy: try row.decode(column: "updated_by", as: String.self),
            approvedBy: try row.decode(column: "approved_by", as: String?.self),
            approvedAt: try ms("approved_at"),
            sharedAt: try ms("shared_at"))
    }

    /// Saves what the author wrote. Any change to an approved or shared
    /// summary returns it to draft: what customers are told is what someone
    /// approved, word for word. The author picks among the follow-ups they
    /// may see; changes drawn from others (of a review hidden from them),
    /// which they were never shown, stay as they were.
    public func saveCustomerSummary(incidentID: UUID, _ input: CustomerSummaryInput, by user: User, now: Date = Date()) async throws -> CustomerSummary {
        guard user.role != .customerFacing else { throw StoreError.forbidden("Customer-facing accounts read summaries; they do not write them.") }
        guard try await incident(id: incidentID) != nil else { throw StoreError.notFound("Incident") }
        let all = Set(try await followUps(incidentID: incidentID).map(\.id))
        let visible = Set(try await followUps(incidentID: incidentID, viewer: try await viewer(for: user)).map(\.id))
        // The incident's follow-ups this person may not see (an unknown id is
        // left for validation to name).
        func hidden(_ c: CustomerSummary.Change) -> Bool { c.followUpID.map { all.contains($0) && !visible.contains($0) } ?? false }
        var input = input
        input.whatWillChange.removeAll(where: hidden)
        if let kept = try await customerSummary(incidentID: incidentID)?.whatWillChange.filter(hidden) { input.whatWillChange += kept }
        let valid = try input.validated(followUps: Array(all))
        let changes = String(decoding: try JSONEncoder().encode(valid.whatWillChange), as: UTF8.self)
        let at = Int64((now.timeIntervalSince1970 * 1000).rounded())
        try await transaction { store in
            let sql = try store.sqlDatabase()
            if let existing = try await store.customerSummary(incidentID: incidentID) {
                let unchanged = existing.headline == valid.headline && existing.whatCustomersSaw == valid.whatCustomersSaw && existing.whoWasAffected == valid.whoWasAffected
                    && existing.whatWeDid == valid.whatWeDid && existing.whatWillChange == valid.whatWillChange && existing.whatToTell == valid.whatToTell
                if unchanged { return }
                try await sql.raw("""
                    UPDATE customer_summaries SET headline = \(bind: valid.headline), what_customers_saw = \(bind: valid.whatCustomersSaw), who_was_affected = \(bind: valid.whoWasAffected),
                      what_we_did = \(bind: valid.whatWeDid), what_will_change = \(bind: changes), what_to_tell = \(bind: valid.whatToTell),
                      status = 'draft', updated_at = \(bind: at), updated_by = \(bind: user.displayName),
                      approved_by_id = NULL, approved_by = NULL, approved_at = NULL, shared_at = NULL
                    WHERE incident_id = \(bind: incidentID)
                    """).run()
            } else {
                try await sql.raw("""
                    INSERT INTO customer_summaries (incident_id, headline, what_customers_saw, who_was_affected, what_we_did, what_will_change, what_to_tell, status, updated_at, updated_by)
                    VALUES (\(bind: incidentID), \(bind: valid.headline), \(bind: valid.whatCustomersSaw), \(bind: valid.whoWasAffected), \(bind: valid.whatWeDid), \(bind: changes),
                      \(bind: valid.whatToTell), 'draft', \(bind: at), \(bind: user.displayName))
                    """).run()
            }
        }
        return try await customerSummary(incidentID: incidentID)!
    }

    /// Approves the draft. Only someone who may see every review of the
    /// incident approves what its customers are told (a summary must not
    /// contradict a review its approver could not read), never a
    /// customer-facing account; and a summary with nothing written is not
    /// approved.
    ///
    /// - Parameter seen: when the version the approver read was saved; a
    ///   summary changed since (by someone else, a moment ago) is not
    ///   approved unread.
    public func approveCustomerSummary(incidentID: UUID, by user: User, seen: Date? = nil, now: Date = Date()) async throws -> CustomerSummary {
        guard user.role != .customerFacing else { throw StoreError.forbidden("Customer-facing accounts cannot approve summaries.") }
        guard let summary = try await customerSummary(incidentID: incidentID) else { throw StoreError.notFound("Customer summary") }
        let viewer = try await viewer(for: user)
        let visible = try await reviews(incidentID: incidentID, viewer: viewer).count
        let all = try await reviewsForOperator(incidentID: incidentID).count
        guard visible == all else {
            throw StoreError.forbidden("Approving needs someone who may see all of this incident's reviews; \(all - visible) of them are not visible to you.")
        }
        if let seen, Int64((seen.timeIntervalSince1970 * 1000).rounded()) != Int64((summary.updatedAt.timeIntervalSince1970 * 1000).rounded()) {
            throw StoreError.conflict(field: "approve", message: "The summary was changed by \(summary.updatedBy) after you opened it; read it again before approving.")
        }
        guard summary.status == .draft else { return summary }
        var v = Validator()
        if summary.headline.isEmpty { v.add("headline", "required", "Write a headline for customers before approving: the incident's own title is the responders'.") }
        if summary.whatCustomersSaw.isEmpty && summary.whatWeDid.isEmpty {
            v.add("whatCustomersSaw", "required", "Write what customers saw or what we did before approving.")
        }
        try v.check()
        try await transaction { store in
            try await store.sqlDatabase().raw("""
                UPDATE customer_summaries SET status = 'approved', approved_by_id = \(bind: user.id), approved_by = \(bind: user.displayName),
                  approved_at = \(bind: Int64((now.timeIntervalSince1970 * 1000).rounded()))
                WHERE incident_id = \(bind: incidentID) AND status = 'draft'
                """).run()
            try await store.recordAudit(AuditActor(user).event(.customerSummaryApproved, subjectType: "incident", subjectID: incidentID.uuidString, at: now))
        }
        return try await customerSummary(incidentID: incidentID)!
    }

    /// Marks an approved summary as shared with the customer-facing teams
    /// (its card sent to the outgoing webhooks, readable by customer-facing
    /// accounts). Refused for a draft.
    public func shareCustomerSummary(incidentID: UUID, by user: User, now: Date = Date()) async throws -> CustomerSummary {
        guard user.role != .customerFacing else { throw StoreError.forbidden("Customer-facing accounts cannot share summaries.") }
        guard let summary = try await customerSummary(incidentID: incidentID) else { throw StoreError.notFound("Customer summary") }
        guard summary.status != .draft else {
            throw StoreError.conflict(field: "status", message: "Only an approved summary is shared; this one is a draft.")
        }
        guard summary.status == .approved else { return summary }
        try await transaction { store in
            try await store.sqlDatabase().raw("""
                UPDATE customer_summaries SET status = 'shared', shared_at = \(bind: Int64((now.timeIntervalSince1970 * 1000).rounded()))
                WHERE incident_id = \(bind: incidentID) AND status = 'approved'
                """).run()
            try await store.recordAudit(AuditActor(user).event(.customerSummaryShared, subjectType: "incident", subjectID: incidentID.uuidString, at: now))
        }
        return try await customerSummary(incidentID: incidentID)!
    }

    /// What customer-facing accounts read: approved and shared summaries with
    /// their incidents' titles and times, newest first. Nothing of the
    /// reviews is read here.
    public func sharedCustomerSummaries(limit: Int = 50) async throws -> [(incident: Incident, summary: CustomerSummary)] {
        let rows = try await sqlDatabase().raw("""
            SELECT * FROM customer_summaries WHERE status IN ('approved', 'shared') ORDER BY coalesce(shared_at, approved_at) DESC LIMIT \(literal: max(1, min(limit, 200)))
            """).all()
        let summaries = try rows.map(Self.customerSummary)
        let incidents = Dictionary(uniqueKeysWithValues: try await self.incidents(ids: summaries.map(\.incidentID)).map { ($0.id, $0) })
        return summaries.compactMap { s in incidents[s.incidentID].map { ($0, s) } }
    }
}
