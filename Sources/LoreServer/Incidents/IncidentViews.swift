import Foundation
import Hummingbird
import LoreCore
import LoreStore

/// What the incident templates are given.
extension IncidentPages {
    func list(_ request: Request, _ context: LoreRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let q = request.uri.queryParameters
        func param(_ name: String) -> String? { q[Substring(name)].map(String.init).flatMap { $0.isEmpty ? nil : $0 } }
        let settings = try await store.settings()
        let filter = IncidentFilter(
            status: param("status").flatMap(IncidentStatus.init(rawValue:)), severity: param("severity"),
            service: param("service"), team: param("team"), page: Int(param("page") ?? "") ?? 1)
        let page = try await store.incidents(filter)
        let services = try await store.services()
        let teams = try await store.teams()
        let serviceNames = Dictionary(uniqueKeysWithValues: services.map { ($0.slug, $0.name) })
        var base = URLComponents()
        base.queryItems = [("status", filter.status?.rawValue), ("severity", filter.severity), ("service", filter.service), ("team", filter.team)]
            .compactMap { k, v in v.map { URLQueryItem(name: k, value: $0) } }
        func pageLink(_ n: Int) -> String {
            var c = base
            c.queryItems = (c.queryItems ?? []) + [URLQueryItem(name: "page", value: String(n))]
            return "/incidents?" + (c.percentEncodedQuery ?? "")
        }
        return app.views.page("incidents", title: "Incidents", context: context, settings: settings, values: [
            "incidentRowsHTML": Self.incidentRowsHTML(page.items, serviceNames: serviceNames, zone: user.zone),
            "empty": page.items.isEmpty,
            "total": page.total, "page": page.page, "pageCount": page.pageCount,
            "previous": page.hasPrevious ? pageLink(page.page - 1) : false,
            "next": page.hasNext ? pageLink(page.page + 1) : false,
            "statuses": IncidentStatus.allCases.map { ["value": $0.rawValue, "label": $0.label, "selected": $0 == filter.status] },
            "severities": ViewValues.options(settings.severities, selected: [filter.severity].compactMap { $0 }),
            "services": services.map { ["value": $0.slug, "label": $0.name, "selected": $0.slug == filter.service] },
            "teams": teams.map { ["value": $0.slug, "label": $0.name, "selected": $0.slug == filter.team] },
        ])
    }

    func form(_ context: LoreRequestContext, incident: Incident?, values: FormData?, errors: ValidationError?) async throws -> Response {
        let user = try context.requireUser()
        let settings = try await store.settings()
        let zone = user.zone
        func value(_ field: String, _ current: @autoclosure () -> String) -> String { values?[field] ?? current() }
        let selectedServices = values.map { $0.all("services") } ?? incident?.services ?? []
        let selectedTeams = values.map { $0.all("teams") } ?? incident?.teams ?? []
        let severity = value("severity", incident?.severity ?? "")
        let source = value("detectionSource", incident?.detectionSource ?? "")
        let status = value("status", incident?.status.rawValue ?? "open")
        var severities = settings.severities
        if let s = incident?.severity, !severities.contains(s) { severities.append(s) }
        var sources = settings.detectionSources
        if let s = incident?.detectionSource, !sources.contains(s) { sources.append(s) }
        let times: [[String: Any]] = IncidentTimes.order.map { moment in
            [
                "field": moment.field, "label": moment.label,
                "value": value(moment.field, LoreTime.localInput(incident?.times[keyPath: moment.keyPath], timeZone: zone)),
                "error": errors?.message(for: moment.field) ?? false,
            ]
        }
        return app.views.page("incident_form", title: incident.map { "Edit \($0.key)" } ?? "New incident", context: context, settings: settings,
                              status: errors == nil ? .ok : .unprocessableContent, values: [
            "incident": incident.map { ["key": $0.key, "title": $0.title] } ?? false,
            "action": incident.map { "/incidents/\($0.key)" } ?? "/incidents",
            "title": value("title", incident?.title ?? ""),
            "customerImpact": value("customerImpact", incident?.customerImpact ?? ""),
            "labels": value("labels", incident?.labels.joined(separator: ", ") ?? ""),
            "externalReferences": value("externalReferences", incident?.externalReferences.map { [$0.system, $0.id, $0.url].compactMap { $0 }.joined(separator: " ") }.joined(separator: "\n") ?? ""),
            "severities": ViewValues.options(severities, selected: [severity]),
            "detectionSources": ViewValues.options(sources, selected: [source]),
            "statuses": IncidentStatus.allCases.map { ["value": $0.rawValue, "label": $0.label, "selected": $0.rawValue == status] },
            "services": try await store.services().map { ["value": $0.slug, "label": $0.name, "selected": selectedServices.contains($0.slug)] },
            "teams": try await store.teams().map { ["value": $0.slug, "label": $0.name, "selected": selectedTeams.contains($0.slug)] },
            "times": times, "timeZone": user.timeZone,
            "errors": ViewValues.errors(errors), "hasErrors": errors != nil,
        ])
    }

    func show(
        _ context: LoreRequestContext, entryValues: FormData? = nil, entryErrors: ValidationError? = nil,
        followUpValues: FormData? = nil, followUpErrors: ValidationError? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let user = try context.requireUser()
        let zone = user.zone
        let incident = try await incident(context)
        let settings = try await store.settings()
        let snapshot = try await store.timelineSnapshot(incidentID: incident.id)
        let timeline = snapshot.entries, removed = snapshot.removed
        let viewer = try await store.viewer(for: user)
        let reviews = try await store.reviews(incidentID: incident.id, viewer: viewer)
        let facilitates = reviews.contains { ReviewAccess.isFacilitator($0, viewer: viewer) }
        let mayRemove = { (e: TimelineEntry) in TimelineEntryRemovalRule.canRemove(e, viewer: viewer, facilitatesAReviewOfTheIncident: facilitates) }
        let followUps = try await store.followUps(incidentID: incident.id, viewer: viewer)
        let earlier = try await store.followUpLinks(incidentID: incident.id, viewer: viewer)
        let candidates = try await store.earlierFollowUpCandidates(for: incident, viewer: viewer)
        let names = try await CatalogNames.load(store, people: reviews.map(\.facilitatorID) + followUps.map(\.ownerUserID))
        let window = ReviewWindow(incident: incident, hours: settings.reviewWindowHours)
        let now = Date()
        let userNames = names.users, serviceNames = names.services, teamNames = names.teams
        // Shown while the incident is live too (a PagerDuty incident gets it at once).
        let related = try await store.relatedIncidents(to: incident)
        let d = incident.times.durations
        let durations: [[String: Any]] = [("Time to detect", d.toDetect), ("Time to acknowledge", d.toAcknowledge), ("Time to mitigate", d.toMitigate), ("Time to resolve", d.toResolve)]
            .compactMap { label, value in value.map { ["label": label, "value": LoreTime.duration($0)] } }
        let reviewFollowUps = try await store.followUps(reviewIDs: reviews.map(\.id))
        let reviewFocus = try await store.focus(reviewIDs: reviews.map(\.id))
        let reviewValues: [[String: Any]] = reviews.map { r in
            let c = ReviewCompletenessCheck.evaluate(rule: settings.practice.completenessRule, reviewStatus: r.status, followUps: reviewFollowUps[r.id] ?? [], focus: reviewFocus[r.id])
            return [
                "id": r.id.uuidString, "title": r.title.isEmpty ? "\(r.level.label) \(settings.practiceNameLowercased)" : r.title,
                "level": r.level.label, "visibility": r.visibility.label, "status": r.status.rawValue, "statusLabel": r.status.label,
                "facilitator": r.facilitatorID.flatMap { userNames[$0] } ?? false, "withoutManagers": r.withoutManagers,
                "complete": c.isComplete, "completeness": c.reason, "gathered": r.parentReviewID != nil,
            ]
        }
        let fuForm = followUpValues
        return app.views.page("incident", title: "\(incident.key) \(incident.title)", context: context, settings: settings, status: status, values: [
            "incident": [
                "key": incident.key, "title": incident.title, "severity": incident.severity,
                "status": incident.status.rawValue, "statusLabel": incident.status.label,
                "services": incident.services.map { ["slug": $0, "name": serviceNames[$0] ?? $0] }, "hasServices": !incident.services.isEmpty,
                "teams": incident.teams.map { teamNames[$0] ?? $0 }.joined(separator: ", "),
                "detectionSource": incident.detectionSource,
                "customerImpact": incident.customerImpact.isEmpty ? false : incident.customerImpact,
                "customerImpactHTML": ViewValues.markdown(incident.customerImpact),
                "labels": incident.labels, "hasLabels": !incident.labels.isEmpty,
                "externalReferences": incident.externalReferences.map { ["system": $0.system, "id": $0.id, "url": Self.webLink($0.url) ?? false] },
                "times": IncidentTimes.order.compactMap { m -> [String: Any]? in
                    incident.times[keyPath: m.keyPath].map { ["label": m.label, "value": ViewValues.time($0, zone)] }
                },
                "durations": durations,
            ] as [String: Any],
            "timelineHTML": RenderedTimelines.shared.html(snapshot, incident: incident, zone: zone, reviewWindow: settings.reviewWindow, mayRemove: mayRemove),
            "related": related.map { r -> [String: Any] in
                ["key": r.key, "title": r.title, "when": ViewValues.time(r.happenedAt, zone), "reason": r.reason(serviceName: { serviceNames[$0] ?? $0 })]
            },
            "hasRelated": !related.isEmpty,
            "timelineEmpty": timeline.isEmpty,
            "removedEntries": removed.map { e -> [String: Any] in
                ["id": e.id.uuidString, "occurredAt": ViewValues.time(e.occurredAt, zone), "author": e.author, "text": e.text,
                 "removedBy": e.removal?.byName ?? "", "removedAt": e.removal.map { ViewValues.time($0.at, zone) } ?? "", "canRestore": mayRemove(e)]
            },
            "hasRemovedEntries": !removed.isEmpty,
            "entryFailed": entryErrors != nil, "followUpFailed": followUpErrors != nil,
            "entry": [
                "occurredAt": entryValues?["occurredAt"] ?? LoreTime.localInput(Date(), timeZone: zone),
                "text": entryValues?["text"] ?? "", "reflection": entryValues?["reflection"] ?? "",
                "kinds": TimelineKind.allCases.map { ["value": $0.rawValue, "selected": $0.rawValue == (entryValues?["kind"] ?? "note")] },
                "markers": TimelineMarker.allCases.map { ["value": $0.rawValue, "label": $0.label, "selected": $0.rawValue == entryValues?["marker"]] },
                "errors": ViewValues.errors(entryErrors),
            ] as [String: Any],
            "reviews": reviewValues, "hasReviews": !reviewValues.isEmpty,
            "window": window.map { $0.describe(at: now) } ?? false, "windowOpen": window?.isOpen(at: now) ?? false,
            "earlierFollowUps": earlier.map { l -> [String: Any] in
                ["id": l.followUpID.uuidString, "title": l.followUpTitle, "status": l.followUpStatus.label, "from": l.fromIncidentKey,
                 "effect": l.effect.label, "note": l.note.isEmpty ? false : l.note, "by": l.linkedBy]
            },
            "hasEarlierFollowUps": !earlier.isEmpty,
            "candidates": candidates.map { c -> [String: Any] in
                ["id": c.id.uuidString, "label": "\(c.incidentKey): \(c.title) (\(c.status.label))"]
            },
            "hasCandidates": !candidates.isEmpty,
            "linkEffects": FollowUpLink.Effect.allCases.map { ["value": $0.rawValue, "label": $0.label] },
            "followUps": followUps.map { f -> [String: Any] in
                [
                    "id": f.id.uuidString, "title": f.title, "status": f.status.rawValue, "statusLabel": f.status.label,
                    "ownerTeam": teamNames[f.ownerTeam] ?? f.ownerTeam, "owner": f.ownerUserID.flatMap { userNames[$0] } ?? false,
                    "service": f.service.map { ["slug": $0, "name": serviceNames[$0] ?? $0] } ?? false,
                    "dueDate": f.dueDate.map { LoreTime.localInput($0, timeZone: zone).prefix(10).description } ?? false,
                    "tracker": f.trackerReference ?? false, "trackerURL": f.trackerURL ?? false,
                    "descriptionHTML": f.description.isEmpty ? false : ViewValues.markdown(f.description),
                    "misaligned": names.alignment(of: f, incident: incident).isMisaligned,
                    "alignment": names.alignment(of: f, incident: incident).explanation ?? false,
                ]
            },
            "followUpsEmpty": followUps.isEmpty,
            "followUpForm": FollowUpFormValues.make(fuForm, errors: followUpErrors, teams: names.teams, services: names.services,
                                                    people: try await PeoplePicker.load(store, teams: incident.teams, viewer: viewer,
                                                                                        chosen: [fuForm?["ownerUserId"].flatMap(UUID.init(uuidString:))])),
        ])
    }

    func followUpForm(_ context: LoreRequestContext, values: FormData?, errors: ValidationError?) async throws -> Response {
        let user = try context.requireUser()
        let (incident, f) = try await followUp(context)
        let settings = try await store.settings()
        func value(_ k: String, _ current: String) -> String { values?[k] ?? current }
        let team = value("ownerTeam", f.ownerTeam), service = value("service", f.service ?? ""), owner = value("ownerUserId", f.ownerUserID?.uuidString ?? "")
        let status = value("status", f.status.rawValue)
        let history = try await store.history(followUpID: f.id)
        let names = try await CatalogNames.load(store, people: [f.decidedBy] + history.map(\.by))
        let viewer = try await store.viewer(for: user)
        let people = try await PeoplePicker.load(store, teams: [team] + incident.teams, viewer: viewer, chosen: [UUID(uuidString: owner)])
        let later = try await store.followUpLinks(followUpID: f.id, viewer: viewer)
        let issue = try await store.trackerIssue(followUpID: f.id)
        let repository = try await store.issueTracker().settings.teamRepositories[f.ownerTeam]
        let pushing = issue == nil && repository != nil ? try await store.trackerPushPending(followUpID: f.id) : false
        return app.views.page("followup_form", title: "Follow-up: \(f.title)", context: context, settings: settings,
                              status: errors == nil ? .ok : .unprocessableContent, values: [
            "incident": ["key": incident.key, "title": incident.title],
            "followUp": [
                "id": f.id.uuidString, "title": value("title", f.title), "description": value("description", f.description),
                "trackerReference": value("trackerReference", f.trackerReference ?? ""),
                "dueDate": value("dueDate", f.dueDate.map { String(LoreTime.localInput($0, timeZone: user.zone).prefix(10)) } ?? ""),
                "reason": value("reason", f.decisionReason ?? ""), "plan": value("plan", f.plan ?? ""),
                "decidedBy": names.user(f.decidedBy) ?? f.decidedIn.map { "the tracker (\($0))" } ?? false, "decidedAt": f.decidedAt.map { ViewValues.time($0, user.zone) } ?? false,
                "planURL": f.planURL ?? false,
            ],
            "later": later.map { l -> [String: Any] in
                ["key": l.incidentKey, "title": l.incidentTitle, "effect": l.effect.label, "note": l.note.isEmpty ? false : l.note, "by": l.linkedBy,
                 "at": ViewValues.time(l.linkedAt, user.zone)]
            },
            "hasLater": !later.isEmpty,
            "tracker": issue.map { ["reference": $0.reference, "url": $0.url, "kind": $0.project.kind.label] as [String: Any] } ?? false,
            "pushTo": issue == nil && !pushing ? (repository.map { ["repository": $0.name, "kind": $0.kind.label] as [String: Any] } ?? false) : false,
            "pushing": pushing ? ["repository": repository?.name ?? "", "kind": repository?.kind.label ?? ""] as [String: Any] : false,
            "effects": FollowUpLink.Effect.allCases.map { ["value": $0.rawValue, "label": $0.label, "selected": $0.rawValue == values?["effect"]] },
            "linkIncident": values?["incident"] ?? "", "linkNote": values?["note"] ?? "",
            "history": history.map { c -> [String: Any] in
                // A change made in the tracker has no Lore account behind it: its reason says who and where.
                ["at": ViewValues.time(c.at, user.zone), "by": names.user(c.by) ?? (c.by == nil ? "the tracker" : "someone"), "from": c.from?.label ?? "—", "to": c.to.label, "reason": c.reason ?? false]
            },
            "statuses": FollowUpStatus.allCases.map { ["value": $0.rawValue, "label": $0.label, "selected": $0.rawValue == status] },
            "teams": try await store.teams().map { ["value": $0.slug, "label": $0.name, "selected": $0.slug == team] },
            "services": try await store.services().map { ["value": $0.slug, "label": $0.name, "selected": $0.slug == service] },
            "users": people.options(selected: [owner]), "otherPeople": !people.everyone, "ownerUserOther": value("ownerUserOther", ""),
            "errors": ViewValues.errors(errors),
        ])
    }

    /// The list's rows as HTML, written here rather than by the template
    /// (its dynamic casts were a quarter of the list's time). Every value
    /// from people is escaped.
    static func incidentRowsHTML(_ incidents: [Incident], serviceNames: [String: String], zone: TimeZone) -> String {
        func e(_ s: String) -> String { Markdown.escape(s) }
        var out = ""
        out.reserveCapacity(incidents.count * 400)
        for i in incidents {
            let key = e(i.key)
            out += "<tr><td><a href=\"/incidents/\(key)\">\(key)</a></td><td><a href=\"/incidents/\(key)\">\(e(i.title))</a></td>"
            out += "<td><span class=\"sev\">\(e(i.severity))</span></td><td><span class=\"status \(e(i.status.rawValue))\">\(e(i.status.label))</span></td><td>"
            for slug in i.services {
                out += "<a href=\"/services/\(e(slug))\">\(e(serviceNames[slug] ?? slug))</a> "
            }
            out += "</td><td>\(e(ViewValues.time(i.times.detectedAt ?? i.createdAt, zone)))</td></tr>\n"
        }
        return out
    }

    /// One timeline entry as HTML, up to where its Remove button goes
    /// (`RenderedTimelines` adds the button for the viewers who may remove
    /// it, and closes the entry). Written here rather than by the template:
    /// a template walks each entry's values through dynamic casts, which
    /// took half the time of a 500-entry incident page. Every value from
    /// people is escaped (`Markdown.escape`) or rendered Markdown.
    static func timelineEntryHTML(_ entry: TimelineEntry, resolvedAt: Date?, zone: TimeZone, reviewWindow: TimeInterval) -> String {
        func e(_ s: String) -> String { Markdown.escape(s) }
        let kind = e(entry.kind.rawValue)
        var out = "<li class=\"entry \(kind)\">\n  <div class=\"when\">\(e(ViewValues.time(entry.occurredAt, zone)))</div>\n  <div class=\"what\">\n"
        out += "    <p><strong>\(e(entry.author))</strong> <span class=\"kind\">\(kind)</span>"
        if let marker = entry.marker { out += " <span class=\"marker\">\(e(marker.label))</span>" }
        if entry.source != .manual {
            let source = e(entry.source.label)
            if let url = webLink(entry.sourceURL) {
                out += " <span class=\"source\">from <a href=\"\(e(url))\" rel=\"noopener noreferrer\">\(source)</a></span>"
            } else {
                out += " <span class=\"source\">from \(source)</span>"
            }
        }
        if entry.isRecalledLater(resolvedAt: resolvedAt, reviewWindow: reviewWindow) {
            out += " <span class=\"recalled\" title=\"Written down on \(e(ViewValues.time(entry.recordedAt, zone))), more than the review window after resolution\">recalled later</span>"
        }
        out += "</p>\n    <div class=\"markdown\">\(ViewValues.markdown(entry.text))</div>\n"
        if let reflection = entry.reflection, !reflection.isEmpty {
            out += "    <blockquote class=\"reflection\"><span>What made sense at the time:</span> <div class=\"markdown\">\(ViewValues.markdown(reflection))</div></blockquote>\n"
        }
        return out
    }

    /// Only http(s) links become clickable.
    static func webLink(_ url: String?) -> String? {
        guard let u = url, u.lowercased().hasPrefix("https://") || u.lowercased().hasPrefix("http://") else { return nil }
        return u
    }
}
