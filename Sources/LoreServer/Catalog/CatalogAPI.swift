import Foundation
import Hummingbird
import LoreCore
import LoreStore

/// `/api/v1` routes for the catalog (teams, services), people and settings.
struct CatalogAPI {
    let app: LoreApp
    var store: LoreStore { app.store }

    func register(on api: RouterGroup<LoreRequestContext>) {
        api.get("me") { _, context in JSONResponse.make(Representation.user(try context.requireUser())) }
        api.get("teams") { _, _ in JSONResponse.make(ItemsJSON(try await store.teams().map(Representation.team))) }
        api.post("teams") { request, context in
            try requireAdmin(context)
            var body = try await JSONBody.read(request, context: context)
            body.allowOnly(["name", "slug"])
            let input = TeamInput(name: body.string("name") ?? nil, slug: body.string("slug") ?? nil)
            try body.check()
            return JSONResponse.make(Representation.team(try await store.createTeam(input)), status: .created)
        }
        api.get("services") { _, _ in JSONResponse.make(ItemsJSON(try await store.services().map(Representation.service))) }
        api.post("services") { request, context in
            try requireAdmin(context)
            let input = try await serviceInput(request, context)
            return JSONResponse.make(Representation.service(try await store.createService(input)), status: .created)
        }
        api.patch("services/:slug") { request, context in
            try requireAdmin(context)
            let slug = try context.parameters.require("slug")
            guard let existing = try await store.service(slug: slug) else { throw LoreHTTPError.notFound("Service \(slug)") }
            var input = try await serviceInput(request, context)
            input.name = input.name ?? existing.name
            if input.owningTeam == nil { input.owningTeam = existing.owningTeam }
            if input.pagedTeams == nil { input.pagedTeams = existing.pagedTeams }
            if input.pagerDutyServiceID == nil { input.pagerDutyServiceID = existing.pagerDutyServiceID }
            return JSONResponse.make(Representation.service(try await store.updateService(slug: slug, input)))
        }
        api.get("users") { _, _ in JSONResponse.make(ItemsJSON(try await store.users().map(Representation.user))) }
        api.post("users") { request, context in
            try requireAdmin(context)
            var body = try await JSONBody.read(request, context: context)
            body.allowOnly(["displayName", "handle", "email", "role", "password", "timeZone"])
            let input = UserInput(
                displayName: body.string("displayName") ?? nil, handle: body.string("handle") ?? nil, email: body.string("email") ?? nil,
                role: body.enumValue("role", UserRole.self) ?? nil, password: body.string("password") ?? nil, timeZone: body.string("timeZone") ?? nil)
            try body.check()
            return JSONResponse.make(Representation.user(try await store.createUser(input)), status: .created)
        }
        api.get("settings") { _, _ in JSONResponse.make(Representation.settings(try await store.settings())) }
        api.patch("settings") { request, context in
            try requireAdmin(context)
            var body = try await JSONBody.read(request, context: context)
            body.allowOnly(["organisationName", "practiceName", "reviewWindowHours", "severities", "detectionSources"])
            var s = try await store.settings()
            if let v = body.string("organisationName") { s.organisationName = v ?? "" }
            if let v = body.string("practiceName") { s.practiceName = v ?? "" }
            if let v = body.int("reviewWindowHours") { s.reviewWindowHours = v ?? 0 }
            if let v = body.strings("severities") { s.severities = v }
            if let v = body.strings("detectionSources") { s.detectionSources = v }
            try body.check()
            return JSONResponse.make(Representation.settings(try await store.saveSettings(s, by: try context.auditActor())))
        }
    }

    func serviceInput(_ request: Request, _ context: LoreRequestContext) async throws -> ServiceInput {
        var body = try await JSONBody.read(request, context: context)
        body.allowOnly(["name", "slug", "owningTeam", "onCallTeam", "pagedTeams", "pagerDutyServiceId"])
        let input = ServiceInput(
            name: body.nonNullString("name"), slug: body.nonNullString("slug"), owningTeam: body.string("owningTeam") ?? nil,
            onCallTeam: body.string("onCallTeam") ?? nil, pagedTeams: body.strings("pagedTeams"), pagerDutyServiceID: body.string("pagerDutyServiceId") ?? nil)
        try body.check()
        return input
    }

    /// Admin-only writes; to others they answer 404, like anything else they may not reach.
    func requireAdmin(_ context: LoreRequestContext) throws {
        guard try context.requireUser().isAdmin else { throw LoreHTTPError.notFound("Route") }
    }
}
