import Foundation
import Hummingbird
import LoreCore
import LoreStore

/// Sign-in, sign-out and one-time sign-in links.
struct SignInPages {
    let app: LoreApp

    func register(on group: RouterGroup<LoreRequestContext>) {
        group.get("/signin") { request, context in
            if context.user != nil { return Response.redirect(to: safeNext(request.uri.queryParameters["next"].map(String.init)), type: .found) }
            return try await signInPage(request, context: context, error: nil, email: "")
        }
        group.post("/signin") { request, context in
            let form = try await FormData.read(request, context: context)
            // No address is longer; a longer one would only cost the throttle
            // and the audit log memory.
            let email = String((form["email"] ?? "").prefix(Limits.email))
            let address = context.clientAddress
            switch await app.signIns.admit(account: email, address: address) {
            case .throttled(let seconds):
                try await app.store.recordAudit(AuditEvent(at: Date(), actorID: nil, actorName: email, action: .signInThrottled, subjectType: "user", detail: "asked to wait \(seconds) s", address: address))
                var response = try await signInPage(request, context: context, error: "Too many wrong passwords. Wait \(seconds) second\(seconds == 1 ? "" : "s") and try again.", email: email, status: .tooManyRequests)
                response.headers[.retryAfter] = String(seconds)
                return response
            case .busy:
                var response = try await signInPage(request, context: context, error: "Lore is checking many sign-ins right now. Try again in a moment.", email: email, status: .tooManyRequests)
                response.headers[.retryAfter] = "1"
                return response
            case .proceed:
                break
            }
            // With passwords switched off, only the break-glass admin may use
            // one. Every other address is checked all the same (the same
            // bcrypt time) and refused in the same words as a wrong password,
            // so the form does not point out the one account that bypasses
            // the provider.
            let sso = try await app.singleSignOn().settings
            let user: User?
            do {
                let checked = try await app.store.authenticate(email: email, password: form["password"] ?? "")
                user = sso.allowsPassword(for: email) ? checked : nil
            } catch {
                await app.signIns.finish(account: email, address: address, succeeded: false)
                throw error
            }
            await app.signIns.finish(account: email, address: address, succeeded: user != nil)
            guard let user else {
                try await app.store.recordAudit(AuditEvent(at: Date(), actorID: nil, actorName: email, action: .signInFailed, subjectType: "user",
                                                           detail: sso.allowsPassword(for: email) ? nil : "password sign-in is switched off", address: address))
                let words = sso.enabled && !sso.passwordsForEveryone
                    ? "That email and password do not match the break-glass account. Everyone else signs in with their company account."
                    : "That email and password do not match an account."
                return try await signInPage(request, context: context, error: words, email: email, status: .unauthorized)
            }
            try await app.store.recordAudit(AuditEvent(at: Date(), actorID: user.id, actorName: user.displayName, action: .signInSucceeded, subjectType: "user", subjectID: user.id.uuidString, address: address))
            return try await startSession(for: user, address: address, redirectTo: safeNext(form["next"]))
        }
        group.get("/signin/link/:token") { request, context in
            let token = try context.parameters.require("token")
            guard let user = try await app.store.redeemSignInLink(token) else {
                return try await signInPage(request, context: context, error: "This sign-in link has been used or has expired. Ask an admin for a new one (`lore users reset-password`).", email: "", status: .notFound)
            }
            return try await startSession(for: user, address: context.clientAddress, redirectTo: "/account?welcome=1")
        }
        group.post("/signout") { request, context in
            _ = try await FormData.read(request, context: context)
            if let token = request.cookies[SessionMiddleware.cookieName]?.value { try await app.store.deleteSession(token: token) }
            var response = Response.redirect(to: "/signin", type: .found)
            response.setCookie(sessionCookie(value: "", maxAge: 0))
            return response
        }
        group.get("/") { _, context in
            Response.redirect(to: context.user == nil ? "/signin" : "/dashboard", type: .found)
        }
    }

    func signInPage(_ request: Request, context: LoreRequestContext, error: String?, email: String, status: HTTPResponse.Status = .ok) async throws -> Response {
        // The one form without a session: its token is bound to a cookie
        // nonce by the servers' secret (see CSRF).
        let existing = request.cookies[CSRF.cookieName]?.value
        let nonce = existing ?? Secrets.generate()
        let sso = try await app.singleSignOn()
        let ssoOn = sso.settings.enabled && sso.clientSecret != nil
        var response = app.views.page("signin", title: "Sign in", context: context, settings: try await app.store.settings(), status: status, values: [
            "csrf": CSRF.signInToken(nonce: nonce, secret: app.signInSecret), "error": error ?? false, "email": email,
            "next": safeNext(request.uri.queryParameters["next"].map(String.init)),
            "ssoNext": FormData.encode(safeNext(request.uri.queryParameters["next"].map(String.init))),
            "sso": ssoOn, "passwordsForEveryone": !ssoOn || sso.settings.passwordsForEveryone,
        ])
        if existing == nil {
            response.setCookie(Cookie(name: CSRF.cookieName, value: nonce, path: "/", secure: app.configuration.secureCookies, httpOnly: true, sameSite: .strict))
        }
        return response
    }

    func startSession(for user: User, address: String, redirectTo target: String) async throws -> Response {
        let (token, _) = try await app.store.createSession(userID: user.id, lifetime: app.configuration.sessionLifetime, address: address)
        var response = Response.redirect(to: target, type: .found)
        response.setCookie(sessionCookie(value: token, maxAge: Int(app.configuration.sessionLifetime)))
        return response
    }

    func sessionCookie(value: String, maxAge: Int) -> Cookie {
        Cookie(name: SessionMiddleware.cookieName, value: value, maxAge: maxAge, path: "/", secure: app.configuration.secureCookies, httpOnly: true, sameSite: .lax)
    }
}

/// Only same-site paths, so a crafted link cannot send someone elsewhere
/// after signing in.
func safeNext(_ next: String?) -> String {
    // A path on this site: one leading slash, then only characters that
    // cannot turn it into another host (no whitespace, controls or backslash,
    // which browsers strip or treat as a slash).
    let fallback = "/dashboard"
    guard let n = next, n.hasPrefix("/"), !n.hasPrefix("//"),
          n.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F && $0 != "\\" }),
          !n.dropFirst().hasPrefix("/") else { return fallback }
    return n
}
