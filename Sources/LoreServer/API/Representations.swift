import Foundation
import LoreCore
import LoreStore

/// How Lore's values look in the JSON API. Times are RFC 3339 UTC with
/// milliseconds; absent values are `null`, never omitted, so clients can rely
/// on the shape documented in the OpenAPI file.
public enum Representation {
    static func time(_ d: Date?) -> Any { d.map(LoreTime.iso) ?? NSNull() }
    static func opt(_ s: String?) -> Any { s ?? NSNull() }
    static func seconds(_ s: TimeInterval?) -> Any { s.map { $0 as Any } ?? NSNull() }

    public static func incident(_ i: Incident, settings: OrganisationSettings) -> [String: Any] {
        let d = i.times.durations
        return [
            "id": i.id.uuidString, "key": i.key, "number": i.number, "title": i.title,
            "severity": i.severity, "status": i.status.rawValue,
            "services": i.services, "teams": i.teams, "detectionSource": i.detectionSource,
            "impactStartedAt": time(i.times.impactStartedAt), "detectedAt": time(i.times.detectedAt),
            "acknowledgedAt": time(i.times.acknowledgedAt), "mitigatedAt": time(i.times.mitigatedAt),
            "resolvedAt": time(i.times.resolvedAt),
            "durations": [
                "toDetectSeconds": seconds(d.toDetect), "toAcknowledgeSeconds": seconds(d.toAcknowledge),
                "toMitigateSeconds": seconds(d.toMitigate), "toResolveSeconds": seconds(d.toResolve),
            ],
            "customerImpact": i.customerImpact, "labels": i.labels,
            "externalReferences": i.externalReferences.map { ["system": $0.system, "id": $0.id, "url": opt($0.url)] },
            "createdAt": LoreTime.iso(i.createdAt), "updatedAt": LoreTime.iso(i.updatedAt),
            "reviewWindow": window(ReviewWindow(incident: i, hours: settings.reviewWindowHours), heldAt: nil, now: Date()),
        ]
    }

    /// The review window with the time left or since it closed, or null while
    /// impact is ongoing.
    static func window(_ w: ReviewWindow?, heldAt: Date?, now: Date) -> Any {
        guard let w else { return NSNull() }
        return ["opensAt": LoreTime.iso(w.opensAt), "closesAt": LoreTime.iso(w.closesAt), "open": w.isOpen(at: now),
                "description": w.describe(at: now), "kept": w.wasKept(heldAt: heldAt)] as [String: Any]
    }

    public static func entry(_ e: TimelineEntry, incident: Incident, settings: OrganisationSettings) -> [String: Any] {
        [
            "id": e.id.uuidString, "incidentKey": incident.key,
            "occurredAt": LoreTime.iso(e.occurredAt), "recordedAt": LoreTime.iso(e.recordedAt),
            "author": e.author, "authorUserId": opt(e.authorUserID?.uuidString), "source": e.source.rawValue, "kind": e.kind.rawValue,
            "text": e.text, "reflection": opt(e.reflection), "marker": opt(e.marker?.rawValue),
            "externalId": opt(e.externalID), "sourceUrl": opt(e.sourceURL),
            "recalledLater": e.isRecalledLater(resolvedAt: incident.times.resolvedAt, reviewWindow: settings.reviewWindow),
            "removedAt": opt(e.removal.map { LoreTime.iso($0.at) }), "removedBy": opt(e.removal?.byName),
        ]
    }

    public static func review(_ r: Review, incident: Incident, settings: OrganisationSettings) -> [String: Any] {
        var sections: [String: Any] = [:]
        for s in ReviewSection.allCases { sections[s.rawValue] = r.text(s) }
        return [
            "id": r.id.uuidString, "incidentKey": incident.key, "practiceName": settings.practiceName,
            "title": r.title, "level": r.level.rawValue, "visibility": r.visibility.rawValue, "teams": r.teams,
            "withoutManagers": r.withoutManagers, "parentReviewId": opt(r.parentReviewID?.uuidString),
            "status": r.status.rawValue, "facilitatorId": opt(r.facilitatorID?.uuidString),
            "participants": r.participants.map { ["userId": $0.userID.uuidString, "role": $0.role.rawValue] },
            "meetingAt": time(r.meetingAt),
            "sections": sections, "createdAt": LoreTime.iso(r.createdAt), "updatedAt": LoreTime.iso(r.updatedAt),
            "heldAt": time(r.heldAt), "publishedAt": time(r.publishedAt),
        ]
    }

    static func reviewFacts(_ f: ReviewFacts, settings: OrganisationSettings, now: Date) -> [String: Any] {
        var out = review(f.review, incident: f.incident, settings: settings)
        out["complete"] = f.completeness.isComplete
        out["completeness"] = f.completeness.reason
        out["window"] = window(f.window, heldAt: f.review.heldAt, now: now)
        out["childReviewIds"] = f.children.map(\.id.uuidString)
        return out
    }

    static func finding(_ f: Finding) -> [String: Any] {
        ["id": f.id.uuidString, "reviewId": f.reviewID.uuidString, "kind": f.kind.rawValue, "text": f.text,
         "createdBy": opt(f.createdBy?.uuidString), "createdAt": LoreTime.iso(f.createdAt),
         "promoted": f.isPromoted, "promotedFromId": opt(f.promotedFromID?.uuidString), "promotedFromReviewId": opt(f.promotedFromReviewID?.uuidString)]
    }

    /// Until the ballot closes this holds who voted and the viewer's own
    /// picks only: no one else's picks, no running tally.
    static func ballot(_ b: BallotView) -> [String: Any] {
        var out: [String: Any] = [
            "id": b.id.uuidString, "reviewId": b.reviewID.uuidString, "status": b.status.rawValue,
            "picksPerVoter": b.rules.picksPerVoter, "focusSize": b.rules.focusSize,
            "openedAt": LoreTime.iso(b.openedAt), "closedAt": time(b.closedAt),
            "candidates": b.candidates.map { ["followUpId": $0.followUpID.uuidString, "title": $0.title] },
            "voterIds": b.voters.map(\.uuidString), "myPicks": b.myPicks.map(\.uuidString),
            "readings": b.readings.map { ["day": $0.day, "takenAt": LoreTime.iso($0.takenAt), "focusClosed": $0.focusClosed, "focusTotal": $0.focusTotal, "othersClosed": $0.othersClosed, "othersTotal": $0.othersTotal, "sentence": $0.sentence] as [String: Any] },
        ]
        if let t = b.tally {
            out["tally"] = t.rows.map { ["followUpId": $0.followUpID.uuidString, "title": $0.title, "rank": $0.rank, "points": $0.points, "pickers": $0.pickers, "picksByPosition": $0.picksByPosition, "focus": $0.isFocus] as [String: Any] }
            out["focus"] = t.focus.map(\.uuidString)
        } else {
            out["tally"] = NSNull()
            out["focus"] = NSNull()
        }
        return out
    }

    static func change(_ c: FollowUpChange) -> [String: Any] {
        ["at": LoreTime.iso(c.at), "byUserId": opt(c.by?.uuidString), "from": opt(c.from?.rawValue), "to": c.to.rawValue, "reason": opt(c.reason)]
    }

    public static func followUp(_ f: FollowUp, incidentKey: String, alignment: Alignment? = nil) -> [String: Any] {
        [
            "decisionReason": opt(f.decisionReason), "decidedBy": opt(f.decidedBy?.uuidString), "decidedAt": time(f.decidedAt),
            "plan": opt(f.plan), "misaligned": alignment?.isMisaligned ?? false, "alignment": opt(alignment?.explanation),
            "id": f.id.uuidString, "incidentKey": incidentKey, "reviewId": opt(f.reviewID?.uuidString),
            "title": f.title, "description": f.description, "ownerTeam": f.ownerTeam,
            "ownerUserId": opt(f.ownerUserID?.uuidString), "service": opt(f.service),
            "dueDate": time(f.dueDate), "trackerReference": opt(f.trackerReference),
            "status": f.status.rawValue, "createdAt": LoreTime.iso(f.createdAt), "closedAt": time(f.closedAt),
        ]
    }

    static func team(_ t: Team) -> [String: Any] { ["id": t.id.uuidString, "name": t.name, "slug": t.slug] }

    static func service(_ s: Service) -> [String: Any] {
        ["id": s.id.uuidString, "name": s.name, "slug": s.slug, "owningTeam": opt(s.owningTeam), "onCallTeam": opt(s.onCallTeam),
         "pagedTeams": s.pagedTeams, "pagerDutyServiceId": opt(s.pagerDutyServiceID)]
    }

    public static func user(_ u: User) -> [String: Any] {
        ["id": u.id.uuidString, "displayName": u.displayName, "handle": u.handle, "email": u.email, "role": u.role.rawValue, "timeZone": u.timeZone]
    }

    public static func settings(_ s: OrganisationSettings) -> [String: Any] {
        [
            "organisationName": s.organisationName, "practiceName": s.practiceName,
            "practiceNamePlural": s.practiceNamePlural, "reviewWindowHours": s.reviewWindowHours,
            "severities": s.severities, "detectionSources": s.detectionSources,
        ]
    }

    static func page(_ items: [[String: Any]], _ p: ListPage<some Sendable>) -> [String: Any] {
        ["items": items, "page": p.page, "perPage": p.perPage, "total": p.total, "pageCount": p.pageCount]
    }
}
