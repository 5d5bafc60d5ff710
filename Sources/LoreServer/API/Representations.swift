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
        ]
    }

    public static func entry(_ e: TimelineEntry, incident: Incident, settings: OrganisationSettings) -> [String: Any] {
        [
            "id": e.id.uuidString, "incidentKey": incident.key,
            "occurredAt": LoreTime.iso(e.occurredAt), "recordedAt": LoreTime.iso(e.recordedAt),
            "author": e.author, "authorUserId": opt(e.authorUserID?.uuidString), "source": e.source.rawValue, "kind": e.kind.rawValue,
            "text": e.text, "reflection": opt(e.reflection), "marker": opt(e.marker?.rawValue),
            "externalId": opt(e.externalID),
            "recalledLater": e.isRecalledLater(resolvedAt: incident.times.resolvedAt, reviewWindow: settings.reviewWindow),
        ]
    }

    public static func review(_ r: Review, incident: Incident, settings: OrganisationSettings) -> [String: Any] {
        var sections: [String: Any] = [:]
        for s in ReviewSection.allCases { sections[s.rawValue] = r.text(s) }
        return [
            "id": r.id.uuidString, "incidentKey": incident.key, "practiceName": settings.practiceName,
            "status": r.status.rawValue, "facilitatorId": opt(r.facilitatorID?.uuidString),
            "participantIds": r.participantIDs.map(\.uuidString), "meetingAt": time(r.meetingAt),
            "sections": sections, "createdAt": LoreTime.iso(r.createdAt), "updatedAt": LoreTime.iso(r.updatedAt),
            "heldAt": time(r.heldAt), "publishedAt": time(r.publishedAt),
        ]
    }

    public static func followUp(_ f: FollowUp, incidentKey: String) -> [String: Any] {
        [
            "id": f.id.uuidString, "incidentKey": incidentKey, "reviewId": opt(f.reviewID?.uuidString),
            "title": f.title, "description": f.description, "ownerTeam": f.ownerTeam,
            "ownerUserId": opt(f.ownerUserID?.uuidString), "service": opt(f.service),
            "dueDate": time(f.dueDate), "trackerReference": opt(f.trackerReference),
            "status": f.status.rawValue, "createdAt": LoreTime.iso(f.createdAt), "closedAt": time(f.closedAt),
        ]
    }

    static func team(_ t: Team) -> [String: Any] { ["id": t.id.uuidString, "name": t.name, "slug": t.slug] }

    static func service(_ s: Service) -> [String: Any] {
        ["id": s.id.uuidString, "name": s.name, "slug": s.slug, "owningTeam": opt(s.owningTeam), "onCallTeam": opt(s.onCallTeam)]
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
