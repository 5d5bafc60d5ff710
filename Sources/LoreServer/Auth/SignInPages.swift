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
            let email = form["email"] ?? ""
            guard let user = try await app.store.authenticate(email: email, password: form["password"] ?? "") else {
                return try await signInPage(request, context: context, error: "That email and password do not match an account.", email: email, status: .unauthorized)
            }
            return try await startSession(for: user, redirectTo: safeNext(form["next"]))
        }
        group.get("/signin/link/:token") { request, context in
            let token = try context.parameters.require("token")
            guard let user = try await app.store.redeemSignInLink(token) else {
                return try await signInPage(request, context: context, error: "This sign-in link has been used or has expired. Ask an admin for a new one (`lore users reset-password`).", email: "", status: .notFound)
            }
            return try await startSession(for: user, redirectTo: "/account?welcome=1")
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
        // Double-submit token for the one form that has no session yet.
        let existing = request.cookies[CSRF.cookieName]?.value
        let csrf = existing ?? Secrets.generate()
        var response = app.views.page("signin", title: "Sign in", context: context, settings: try await app.store.settings(), status: status, values: [
            "csrf": csrf, "error": error ?? false, "email": email,
            "next": safeNext(request.uri.queryParameters["next"].map(String.init)),
        ])
        if existing == nil {
            response.setCookie(Cookie(name: CSRF.cookieName, value: csrf, path: "/", secure: app.configuration.secureCookies, httpOnly: true, sameSite: .strict))
        }
        return response
    }

    func startSession(for user: User, redirectTo target: String) async throws -> Response {
        let (token, _) = try await app.store.createSession(userID: user.id, lifetime: app.configuration.sessionLifetime)
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
