import Foundation
import Hummingbird
import LoreCore
import LoreStore

/// What the review templates are given.
extension ReviewPages {
    func show(
        _ context: LoreRequestContext, notice: String? = nil, findingValues: FormData? = nil, findingErrors: ValidationError? = nil,
        followUpValues: FormData? = nil, followUpErrors: ValidationError? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let (incident, viewer, user) = try await load(context)
        let seen = try await seenReview(context, viewer, in: incident)
        let review = seen.review
        let settings = try await store.settings()
        let facts = try await ReviewFacts.gather(seen, incident: incident, viewer: viewer, store: store, settings: settings)
        let names = facts.names
        let zone = user.zone
        let isParticipant = ReviewAccess.canEdit(review, viewer: viewer)
        let isFacilitator = ReviewAccess.isFacilitator(review, viewer: viewer)
        let base = "/incidents/\(incident.key)/reviews/\(review.id.uuidString)"
        let now = Date()
        let wider = facts.incidentReviews.filter { $0.level > review.level && $0.id != review.id }

        var ballotValues: Any = false
        if let b = facts.ballot {
            let titles = Dictionary(uniqueKeysWithValues: b.candidates.map { ($0.followUpID, $0.title) })
            ballotValues = [
                "open": b.status == .open, "closed": b.status == .closed,
                "picksPerVoter": b.rules.picksPerVoter, "focusSize": b.rules.focusSize,
                "votedCount": b.voters.count, "participantCount": review.participants.filter { $0.role != .observer }.count,
                // A list only when someone has voted ("0 of 3 have voted ()" otherwise).
                "voters": b.voters.isEmpty ? false as Any : b.voters.compactMap { names.user($0) }.joined(separator: ", "),
                "canVote": isParticipant && b.status == .open, "canClose": isFacilitator && b.status == .open,
                "myPicks": b.myPicks.enumerated().map { ["position": $0.offset + 1, "title": titles[$0.element] ?? ""] },
                "hasMyPicks": !b.myPicks.isEmpty,
                "slots": (0..<b.rules.picksPerVoter).map { i -> [String: Any] in
                    let chosen = i < b.myPicks.count ? b.myPicks[i] : nil
                    return ["position": i + 1, "name": "pick\(i + 1)",
                            "options": b.candidates.map { ["value": $0.followUpID.uuidString, "label": $0.title, "selected": $0.followUpID == chosen] }]
                },
                "tally": b.tally.map { t in t.rows.map { r -> [String: Any] in
                    ["rank": r.rank, "title": r.title, "points": r.points, "pickers": r.pickers, "isFocus": r.isFocus]
                } } ?? [],
                "voterCount": b.tally?.voterCount ?? b.voters.count,
                "readings": b.readings.map { ["day": $0.day, "sentence": $0.sentence, "takenAt": ViewValues.time($0.takenAt, zone)] },
            ] as [String: Any]
        }
        let focus = Set(facts.ballot?.tally?.focus ?? [])
        let language = app.language.findings(for: review, marks: facts.marks, checker: try await app.language.checker(store: store))
        let openLanguage = language.filter { $0.kept == nil }
        return app.views.page("review", title: "\(review.title.isEmpty ? settings.practiceName : review.title) · \(incident.key)", context: context, settings: settings, status: status, values: [
            "incident": ["key": incident.key, "title": incident.title],
            "notice": notice ?? false,
            "review": [
                "id": review.id.uuidString, "title": review.title.isEmpty ? "\(review.level.label) \(settings.practiceNameLowercased)" : review.title,
                "level": review.level.label, "visibility": review.visibility.label, "status": review.status.rawValue, "statusLabel": review.status.label,
                "withoutManagers": review.withoutManagers, "teams": review.teams.map(names.team).joined(separator: ", "),
                "meetingAt": review.meetingAt.map { ViewValues.time($0, zone) } ?? false,
                "participants": review.participants.map { ["name": names.user($0.userID) ?? "?", "role": $0.role.label] },
                "sections": ReviewSection.allCases.compactMap { s -> [String: Any]? in
                    let text = review.text(s)
                    guard !text.isEmpty else { return nil }
                    return ["title": s.title, "html": ViewValues.markdown(text),
                            "findings": language.filter { $0.section == s }.map { LanguageViews.finding($0, canKeep: isParticipant) }]
                },
                "openFindings": openLanguage.count, "keptFindings": language.count - openLanguage.count,
                "completeness": facts.completeness.reason, "complete": facts.completeness.isComplete,
                "window": facts.window.map { $0.describe(at: now) } ?? "not started: impact is ongoing",
                "windowOpen": facts.window?.isOpen(at: now) ?? false,
                "kept": facts.window?.wasKept(heldAt: review.heldAt) ?? false, "held": review.heldAt != nil,
            ] as [String: Any],
            "base": base, "reviewsBase": "/incidents/\(incident.key)/reviews",
            "canEdit": isParticipant || viewer.isAdmin, "isParticipant": isParticipant, "isFacilitator": isFacilitator,
            "parent": facts.parent.map { ["id": $0.id.uuidString, "title": $0.title.isEmpty ? "\($0.level.label) review" : $0.title] } ?? false,
            "children": facts.children.map { ["id": $0.id.uuidString, "title": $0.title.isEmpty ? "\($0.level.label) review" : $0.title, "level": $0.level.label] },
            "widerReviews": wider.map { ["id": $0.id.uuidString, "title": $0.title.isEmpty ? "\($0.level.label) review" : $0.title, "selected": $0.id == review.parentReviewID] },
            "canGather": isParticipant && !wider.isEmpty,
            "findings": facts.findings.map { f -> [String: Any] in
                let tags = facts.findingTags[f.id] ?? []
                let isFactor = f.kind == .contributingFactor
                return ["id": f.id.uuidString, "kind": f.kind.label, "text": f.text, "textHTML": ViewValues.markdown(f.text), "promoted": f.isPromoted,
                        "canPromote": isParticipant && review.parentReviewID != nil && !f.isPromoted,
                        "tags": tags, "hasTags": !tags.isEmpty, "canTag": isParticipant && isFactor,
                        "tagChoices": (settings.factorTags + tags.filter { !settings.factorTags.contains($0) }).map { ["value": $0, "checked": tags.contains($0)] }]
            },
            "findingKinds": FindingKind.allCases.map { ["value": $0.rawValue, "label": $0.label, "selected": $0.rawValue == findingValues?["kind"]] },
            "findingText": findingValues?["text"] ?? "",
            "findingErrors": ViewValues.errors(findingErrors),
            "followUps": facts.followUps.map { f -> [String: Any] in
                let a = facts.alignments[f.id] ?? .aligned
                return [
                    "id": f.id.uuidString, "title": f.title, "status": f.status.rawValue, "statusLabel": f.status.label,
                    "ownerTeam": names.team(f.ownerTeam), "service": f.service.map(names.service) ?? false,
                    "misaligned": a.isMisaligned, "alignment": a.explanation ?? false, "focus": focus.contains(f.id),
                ]
            },
            // The review page's follow-up form names an owner team, not a person.
            "followUpForm": FollowUpFormValues.make(followUpValues, errors: followUpErrors, teams: names.teams, services: names.services,
                                                    people: PeoplePicker(people: [], everyone: true)),
            "ballot": ballotValues,
            "canOpenBallot": isFacilitator && facts.ballot == nil && !facts.followUps.isEmpty,
        ])
    }

    func form(_ context: LoreRequestContext, review: Review?, values: FormData?, errors: ValidationError?, parentID: String?, preview: Bool = false) async throws -> Response {
        let (incident, viewer, user) = try await load(context)
        let checker = try await app.language.checker(store: store)
        let settings = try await store.settings()
        let teams = try await store.teams()
        let level = values?["level"] ?? review?.level.rawValue ?? (parentID == nil ? "team" : "pair")
        let visibility = values?["visibility"] ?? review?.visibility.rawValue ?? ""
        let status = values?["status"] ?? review?.status.rawValue ?? "draft"
        let facilitator = values?["facilitatorId"] ?? review?.facilitatorID?.uuidString ?? viewer.userID.uuidString
        let participants = values.map { Set($0.all("participantIds")) } ?? Set(review?.participants.filter { $0.role != .observer }.map(\.userID.uuidString) ?? [viewer.userID.uuidString])
        let observers = values.map { Set($0.all("observerIds")) } ?? Set(review?.participants.filter { $0.role == .observer }.map(\.userID.uuidString) ?? [])
        let selectedTeams = values.map { Set($0.all("teams")) } ?? Set(review?.teams ?? incident.teams.prefix(1).map { $0 })
        let people = try await PeoplePicker.load(store, teams: Array(selectedTeams) + incident.teams, viewer: viewer,
                                                 chosen: ([facilitator] + participants + observers).map { UUID(uuidString: $0) })
        let wider = try await store.reviews(incidentID: incident.id, viewer: viewer)
        return app.views.page("review_form", title: "\(settings.practiceName) for \(incident.key)", context: context, settings: settings,
                              status: errors == nil ? .ok : .unprocessableContent, values: [
            "incident": ["key": incident.key, "title": incident.title],
            "creating": review == nil,
            "action": review.map { "/incidents/\(incident.key)/reviews/\($0.id.uuidString)" } ?? "/incidents/\(incident.key)/reviews",
            "reviewTitle": values?["title"] ?? review?.title ?? "",
            "levels": ReviewLevel.allCases.map { ["value": $0.rawValue, "label": $0.label, "selected": $0.rawValue == level] },
            "visibilities": ReviewVisibility.allCases.map { ["value": $0.rawValue, "label": $0.label, "selected": $0.rawValue == visibility] },
            "withoutManagers": (values?["withoutManagers"] ?? (review?.withoutManagers == true ? "1" : "")) == "1",
            "teams": teams.map { ["value": $0.slug, "label": $0.name, "selected": selectedTeams.contains($0.slug)] },
            "parents": wider.map { ["value": $0.id.uuidString, "label": $0.title.isEmpty ? "\($0.level.label) review" : $0.title, "selected": $0.id.uuidString == parentID] },
            "hasParents": !wider.isEmpty,
            "statuses": ReviewStatus.allCases.map { ["value": $0.rawValue, "label": $0.label, "selected": $0.rawValue == status] },
            "users": people.people.map { ["value": $0.id.uuidString, "label": $0.displayName, "selected": $0.id.uuidString == facilitator, "participant": participants.contains($0.id.uuidString), "observer": observers.contains($0.id.uuidString)] },
            "otherPeople": !people.everyone,
            "facilitatorOther": values?["facilitatorOther"] ?? "", "participantsOther": values?["participantsOther"] ?? "", "observersOther": values?["observersOther"] ?? "",
            "meetingAt": values?["meetingAt"] ?? LoreTime.localInput(review?.meetingAt, timeZone: user.zone),
            "timeZone": user.timeZone,
            "sections": ReviewSection.allCases.map { s -> [String: Any] in
                let text = values?[s.rawValue] ?? review?.text(s) ?? ""
                return ["field": s.rawValue, "title": s.title, "prompt": s.prompt, "value": text,
                        "error": errors?.message(for: s.rawValue) ?? false,
                        "findings": checker.check(text).map { LanguageViews.finding(SectionFinding(section: s, finding: $0, kept: nil), canKeep: false) }]
            },
            "preview": preview,
            "errors": ViewValues.errors(errors), "hasErrors": errors != nil,
        ])
    }
}

/// The add-a-follow-up form, on the incident and the review pages.
enum FollowUpFormValues {
    static func make(_ values: FormData?, errors: ValidationError?, teams: [String: String], services: [String: String], people: PeoplePicker) -> [String: Any] {
        [
            "title": values?["title"] ?? "", "description": values?["description"] ?? "",
            "trackerReference": values?["trackerReference"] ?? "", "dueDate": values?["dueDate"] ?? "",
            "teams": teams.sorted { $0.value < $1.value }.map { ["value": $0.key, "label": $0.value, "selected": $0.key == values?["ownerTeam"]] },
            "services": services.sorted { $0.value < $1.value }.map { ["value": $0.key, "label": $0.value, "selected": $0.key == values?["service"]] },
            "users": people.options(selected: Set([values?["ownerUserId"] ?? ""])), "otherPeople": !people.everyone,
            "ownerUserOther": values?["ownerUserOther"] ?? "",
            "errors": ViewValues.errors(errors), "hasErrors": errors != nil,
        ]
    }
}
