import Foundation
import Hummingbird
import LoreCore
import LoreStore

/// A person's own account: display name, time zone, password, API tokens.
struct AccountPages {
    let app: LoreApp

    func register(on group: RouterGroup<LoreRequestContext>) {
        group.get("/account") { request, context in
            let q = request.uri.queryParameters
            return try await page(context, welcome: q["welcome"] != nil,
                                  notice: q["saved"] != nil ? "Saved." : q["password"] != nil ? "Your password is set; other sessions were signed out." : nil)
        }
        group.post("/account") { request, context in
            let form = try await FormData.read(request, context: context)
            let user = try context.requireUser()
            do {
                try await app.store.updateUser(id: user.id, displayName: form["displayName"], timeZone: form["timeZone"])
            } catch let e as ValidationError {
                return try await page(context, errors: e, status: .unprocessableContent)
            }
            return Response.redirect(to: "/account?saved=1", type: .normal)
        }
        group.post("/account/password") { request, context in
            let form = try await FormData.read(request, context: context)
            let user = try context.requireUser()
            let new = form["newPassword"] ?? ""
            if new != (form["confirmPassword"] ?? "") {
                return try await page(context, errors: ValidationError(field: "confirmPassword", code: "mismatch", message: "The two new passwords differ."), status: .unprocessableContent)
            }
            do {
                try await app.store.setPassword(userID: user.id, password: new)
            } catch let e as ValidationError {
                return try await page(context, errors: ValidationError(e.issues.map { FieldIssue(field: "newPassword", code: $0.code, message: $0.message) }), status: .unprocessableContent)
            }
            // Setting a password ends every session, this one too: start a new one.
            let (token, _) = try await app.store.createSession(userID: user.id, lifetime: app.configuration.sessionLifetime, address: context.clientAddress)
            var response = Response.redirect(to: "/account?password=1", type: .normal)
            response.setCookie(Cookie(name: SessionMiddleware.cookieName, value: token, maxAge: Int(app.configuration.sessionLifetime), path: "/", secure: app.configuration.secureCookies, httpOnly: true, sameSite: .lax))
            return response
        }
        group.post("/account/sessions/:id/end") { request, context in
            _ = try await FormData.read(request, context: context)
            let user = try context.requireUser()
            guard let id = UUID(uuidString: try context.parameters.require("id")) else { throw LoreHTTPError.notFound("Session") }
            try await app.store.endSession(id: id, userID: user.id)
            if id == context.session?.id {
                var response = Response.redirect(to: "/signin", type: .normal)
                response.setCookie(Cookie(name: SessionMiddleware.cookieName, value: "", maxAge: 0, path: "/", secure: app.configuration.secureCookies, httpOnly: true, sameSite: .lax))
                return response
            }
            return Response.redirect(to: "/account#sessions", type: .normal)
        }
        group.post("/account/tokens") { request, context in
            let form = try await FormData.read(request, context: context)
            let user = try context.requireUser()
            do {
                let (secret, _) = try await app.store.createAPIToken(userID: user.id, name: form["name"] ?? "")
                return try await page(context, newToken: secret)
            } catch let e as ValidationError {
                return try await page(context, errors: e, status: .unprocessableContent)
            }
        }
        group.post("/account/tokens/:id/revoke") { request, context in
            _ = try await FormData.read(request, context: context)
            let user = try context.requireUser()
            let id = try context.parameters.require("id")
            try await app.store.revokeAPIToken(id, userID: user.id)
            return Response.redirect(to: "/account", type: .normal)
        }
    }

    func page(_ context: LoreRequestContext, welcome: Bool = false, notice: String? = nil, newToken: String? = nil, errors: ValidationError? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let user = try context.requireUser()
        let tokens = try await app.store.apiTokens(userID: user.id)
        let sessions = try await app.store.sessions(userID: user.id)
        let zone = user.zone
        let sso = try await app.singleSignOn()
        let ssoValues: Any = sso.settings.enabled && sso.clientSecret != nil && !sso.settings.isBreakGlass(user.email)
            ? ["linked": try await app.store.isLinkedToProvider(userID: user.id, issuer: sso.settings.issuer)] as [String: Any] : false
        return app.views.page("account", title: "Your account", context: context, settings: try await app.store.settings(), status: status, values: [
            "user": ["displayName": user.displayName, "timeZone": user.timeZone, "email": user.email, "handle": user.handle, "role": user.role.rawValue],
            "welcome": welcome, "notice": notice ?? false, "sso": ssoValues,
            "newToken": newToken ?? false,
            "errors": ViewValues.errors(errors),
            "tokens": tokens.map { t -> [String: Any] in
                ["id": t.id.uuidString, "name": t.name, "prefix": t.prefix, "createdAt": ViewValues.time(t.createdAt, zone),
                 "lastUsedAt": ViewValues.time(t.lastUsedAt, zone), "revoked": t.revokedAt != nil]
            },
            "sessions": sessions.map { s -> [String: Any] in
                ["id": s.id.uuidString, "createdAt": ViewValues.time(s.createdAt, zone), "lastUsedAt": ViewValues.time(s.lastUsedAt, zone),
                 "address": s.address ?? "unknown", "current": s.id == context.session?.id]
            },
        ])
    }
}
