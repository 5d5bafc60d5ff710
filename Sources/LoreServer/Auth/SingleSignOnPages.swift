import Foundation
import Hummingbird
import Logging
import LoreCore
import LoreStore

/// Sign-in through the company's identity provider (OpenID Connect
/// authorization code flow with PKCE, `state` and `nonce`), and the admin's
/// form for setting it up.
///
/// What the flow needs to remember between leaving for the provider and
/// coming back (state, nonce, PKCE verifier, where to go next) travels in a
/// short-lived cookie signed with the servers' shared secret, so that any
/// server on the database can finish a sign-in another started. It is
/// `SameSite=Lax`: the provider's redirect back is a cross-site navigation,
/// which a strict cookie would not survive.
struct SingleSignOnPages {
    let app: LoreApp
    static let cookieName = "lore_sso"
    static let lifetime: TimeInterval = 600
    static let callbackPath = "/signin/sso/callback"

    func register(on pages: RouterGroup<LoreRequestContext>) {
        pages.get("/signin/sso") { request, context in
            let (settings, secret) = try await app.singleSignOn()
            guard settings.enabled, secret != nil else { return try await refusal(.notConfigured, request: request, context: context) }
            let meta: OpenIDProvider.Metadata
            do {
                meta = try await app.openID.metadata(for: settings)
            } catch let refused as SingleSignOnRefusal {
                return try await refusal(refused, request: request, context: context)
            }
            let pending = PendingSignOn(state: Secrets.generate(), nonce: Secrets.generate(), verifier: Secrets.generate() + Secrets.generate(),
                                        next: safeNext(request.uri.queryParameters["next"].map(String.init)), expires: Date().addingTimeInterval(Self.lifetime))
            var query = URLComponents(string: meta.authorization_endpoint) ?? URLComponents()
            query.queryItems = (query.queryItems ?? []) + [
                URLQueryItem(name: "response_type", value: "code"),
                URLQueryItem(name: "client_id", value: settings.clientID),
                URLQueryItem(name: "redirect_uri", value: redirectURI),
                URLQueryItem(name: "scope", value: settings.scopes.joined(separator: " ")),
                URLQueryItem(name: "state", value: pending.state),
                URLQueryItem(name: "nonce", value: pending.nonce),
                URLQueryItem(name: "code_challenge", value: OpenIDProvider.codeChallenge(pending.verifier)),
                URLQueryItem(name: "code_challenge_method", value: "S256"),
            ]
            // `+` is a space in a form but a literal in a query; encode it.
            query.percentEncodedQuery = query.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
            guard let target = query.string else { return try await refusal(.providerUnreachable("authorization endpoint \(meta.authorization_endpoint) is not a URL"), request: request, context: context) }
            var response = Response.redirect(to: target, type: .found)
            response.setCookie(cookie(value: pending.sealed(with: app.signInSecret), maxAge: Int(Self.lifetime)))
            return response
        }
        pages.get(RouterPath(Self.callbackPath)) { request, context in
            do {
                let user = try await finish(request, context: context)
                var response = try await SignInPages(app: app).startSession(for: user.user, address: context.clientAddress, redirectTo: user.next)
                response.setCookie(cookie(value: "", maxAge: 0))
                return response
            } catch let refused as SingleSignOnRefusal {
                var response = try await refusal(refused, request: request, context: context)
                response.setCookie(cookie(value: "", maxAge: 0))
                return response
            }
        }
    }

    var redirectURI: String { app.configuration.baseURL + Self.callbackPath }

    /// OAuth 2.0 (RFC 6749 §4.1.2.1) and OpenID Connect Core (§3.1.2.6) error codes.
    static let standardErrors: Set<String> = [
        "access_denied", "invalid_request", "unauthorized_client", "unsupported_response_type", "invalid_scope", "server_error",
        "temporarily_unavailable", "interaction_required", "login_required", "account_selection_required", "consent_required",
    ]

    private func finish(_ request: Request, context: LoreRequestContext) async throws -> (user: User, next: String) {
        let (settings, secret) = try await app.singleSignOn()
        guard settings.enabled, let secret else { throw SingleSignOnRefusal.notConfigured }
        let q = request.uri.queryParameters
        // Some providers leave `state` off an error (a sign-in cancelled
        // there); the person is still told what happened. Only the standard
        // codes are shown, never the description, since without a state the
        // link could have been written by anyone.
        if let error = q["error"], q["state"] == nil {
            let code = Self.standardErrors.contains(String(error)) ? String(error) : "error"
            throw SingleSignOnRefusal.providerError(code: code, description: "")
        }
        guard let pending = request.cookies[Self.cookieName].flatMap({ PendingSignOn(sealed: $0.value, secret: app.signInSecret) }),
              pending.expires > Date(), let state = q["state"].map(String.init), Secrets.constantTimeEquals(state, pending.state) else {
            throw SingleSignOnRefusal.staleRequest
        }
        if let error = q["error"] {
            throw SingleSignOnRefusal.providerError(code: String(error.prefix(100)), description: String((q["error_description"].map(String.init) ?? "").prefix(300)))
        }
        guard let code = q["code"].map(String.init), !code.isEmpty else { throw SingleSignOnRefusal.tokenExchangeFailed("the callback carried no code") }
        let token = try await app.openID.idToken(code: code, verifier: pending.verifier, redirectURI: redirectURI, settings: settings, clientSecret: secret)
        let claims = try await app.openID.verifiedClaims(of: token, settings: settings)
        let identity = try IDTokenClaims.identity(claims, settings: settings, nonce: pending.nonce, now: Date())
        let user = try await app.store.signOn(identity, settings: settings, address: context.clientAddress)
        try await app.store.recordAudit(AuditEvent(at: Date(), actorID: user.id, actorName: user.displayName, action: .signInSucceeded, subjectType: "user",
                                                   subjectID: user.id.uuidString, detail: "through \(settings.issuer)", address: context.clientAddress))
        return (user, pending.next)
    }

    /// The person sees what went wrong in words; the admin finds the reason
    /// in the log and the audit log. Never a blank page or a 500.
    private func refusal(_ refused: SingleSignOnRefusal, request: Request, context: LoreRequestContext) async throws -> Response {
        // Under the request's id, which the page shows.
        context.logger.warning("single sign-on refused", metadata: ["reason": .string(refused.logReason), "address": .string(context.clientAddress)])
        try? await app.store.recordAudit(AuditEvent(at: Date(), actorID: nil, actorName: "single sign-on", action: .singleSignOnRefused, subjectType: "user",
                                                    detail: String(refused.logReason.prefix(500)), address: context.clientAddress))
        let status: HTTPResponse.Status = switch refused {
        case .notConfigured: .notFound
        case .providerUnreachable, .tokenExchangeFailed: .badGateway
        case .noAccount, .domainNotAllowed, .unverifiedEmail: .forbidden
        default: .badRequest
        }
        return app.views.page("sso_refused", title: "Sign-in did not work", context: context, settings: try await app.store.settings(), status: status, values: [
            "message": refused.message,
        ])
    }

    private func cookie(value: String, maxAge: Int) -> Cookie {
        Cookie(name: Self.cookieName, value: value, maxAge: maxAge, path: "/signin/sso", secure: app.configuration.secureCookies, httpOnly: true, sameSite: .lax)
    }
}

/// A sign-in on its way to the provider and back.
struct PendingSignOn: Codable, Equatable {
    var state: String
    var nonce: String
    var verifier: String
    var next: String
    var expires: Date

    /// base64url(JSON) "." HMAC: readable by any server with the secret,
    /// changeable by none without it.
    func sealed(with secret: String) -> String {
        let body = Secrets.base64URL((try? JSONEncoder().encode(self)) ?? Data())
        return body + "." + Secrets.sign("lore-sso:" + body, key: secret)
    }

    init(state: String, nonce: String, verifier: String, next: String, expires: Date) {
        (self.state, self.nonce, self.verifier, self.next, self.expires) = (state, nonce, verifier, next, expires)
    }

    init?(sealed: String, secret: String) {
        let parts = sealed.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, Secrets.constantTimeEquals(String(parts[1]), Secrets.sign("lore-sso:" + parts[0], key: secret)),
              let data = OpenIDProvider.base64URLDecode(String(parts[0])), let value = try? JSONDecoder().decode(PendingSignOn.self, from: data) else { return nil }
        self = value
    }
}
