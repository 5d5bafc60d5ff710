import Foundation
import Hummingbird
import Logging
import LoreCore
import LoreStore

/// Sign-in through the company's identity provider (OpenID Connect
/// authorization code flow with PKCE, `state` and `nonce`), and linking an
/// account to it from the account page.
///
/// What the flow needs to remember between leaving for the provider and
/// coming back (state, nonce, PKCE verifier, where to go next, the account
/// to link) travels in a short-lived cookie signed with the servers' shared
/// secret, so that any server on the database can finish a sign-in another
/// started. It is `SameSite=Lax`: the provider's redirect back is a
/// cross-site navigation, which a strict cookie would not survive. Each
/// state is good for one callback.
struct SingleSignOnPages {
    let app: LoreApp
    static let lifetime: TimeInterval = 600
    static let callbackPath = "/signin/sso/callback"

    /// `__Host-` under HTTPS: a cookie no sibling subdomain can set for us
    /// (which would let it sign a victim in as the attacker).
    var cookieName: String { app.configuration.secureCookies ? "__Host-lore_sso" : "lore_sso" }

    func register(on pages: RouterGroup<LoreRequestContext>) {
        pages.get("/signin/sso") { request, context in
            do {
                return try await start(request, context: context, linkTo: nil)
            } catch let refused as SingleSignOnRefusal {
                return try await refusal(refused, request: request, context: context)
            }
        }
        // Linking is a form with the page's CSRF token, so that no other
        // site can start it for a signed-in person.
        pages.post("/account/link-sso") { request, context in
            _ = try await FormData.read(request, context: context)
            let user = try context.requireUser()
            do {
                return try await start(request, context: context, linkTo: user.id)
            } catch let refused as SingleSignOnRefusal {
                return try await refusal(refused, request: request, context: context)
            }
        }
        pages.get(RouterPath(Self.callbackPath)) { request, context in
            let address = context.clientAddress
            if let wait = await app.signIns.signOnRetryAfter(address: address) {
                var response = try await refusal(.throttled(wait), request: request, context: context)
                response.headers[.retryAfter] = String(wait)
                return response
            }
            do {
                let (user, next) = try await finish(request, context: context)
                await app.signIns.recordSignOn(address: address, succeeded: true)
                var response = try await SignInPages(app: app).startSession(for: user, address: address, redirectTo: next)
                response.setCookie(cookie(value: "", maxAge: 0))
                return response
            } catch {
                // Whatever went wrong, a page that says so: a refusal, or
                // Lore failing to save the account (the log has the detail).
                let refused = error as? SingleSignOnRefusal ?? .failed(String(describing: error))
                // Only what got past the state check counts against the
                // address (it cost a call to the provider): junk callbacks
                // from behind a shared address must not lock everyone there out.
                switch refused {
                case .staleRequest, .notConfigured: break
                case .providerError where request.uri.queryParameters["state"] == nil: break
                default: await app.signIns.recordSignOn(address: address, succeeded: false)
                }
                var response = try await refusal(refused, request: request, context: context)
                response.setCookie(cookie(value: "", maxAge: 0))
                return response
            }
        }
    }

    var redirectURI: String { app.configuration.baseURL + Self.callbackPath }

    private func start(_ request: Request, context: LoreRequestContext, linkTo: UUID?) async throws -> Response {
        let (settings, secret) = try await app.singleSignOn()
        guard settings.enabled, secret != nil else { throw SingleSignOnRefusal.notConfigured }
        let meta = try await app.openID.metadata(for: settings)
        let pending = PendingSignOn(state: Secrets.generate(), nonce: Secrets.generate(), verifier: Secrets.generate() + Secrets.generate(),
                                    next: linkTo == nil ? safeNext(request.uri.queryParameters["next"].map(String.init)) : "/account",
                                    expires: Date().addingTimeInterval(Self.lifetime), linkTo: linkTo)
        guard var query = URLComponents(string: meta.authorization_endpoint), query.host != nil else {
            throw SingleSignOnRefusal.providerUnreachable("authorization endpoint \(meta.authorization_endpoint) is not an absolute URL")
        }
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
        guard let target = query.string else {
            throw SingleSignOnRefusal.providerUnreachable("authorization endpoint \(meta.authorization_endpoint) is not a URL")
        }
        var response = Response.redirect(to: target, type: .found)
        response.setCookie(cookie(value: pending.sealed(with: app.signInSecret), maxAge: Int(Self.lifetime)))
        return response
    }

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
        guard let pending = request.cookies[cookieName].flatMap({ PendingSignOn(sealed: $0.value, secret: app.signInSecret) }),
              pending.expires > Date(), let state = q["state"].map(String.init), Secrets.constantTimeEquals(state, pending.state),
              await app.signIns.claim(state: pending.state, until: pending.expires) else {
            throw SingleSignOnRefusal.staleRequest
        }
        if let error = q["error"] {
            throw SingleSignOnRefusal.providerError(code: String(error.prefix(100)), description: String((q["error_description"].map(String.init) ?? "").prefix(300)))
        }
        guard let code = q["code"].map(String.init), !code.isEmpty else { throw SingleSignOnRefusal.tokenExchangeFailed("the callback carried no code") }
        let token = try await app.openID.idToken(code: code, verifier: pending.verifier, redirectURI: redirectURI, settings: settings, clientSecret: secret)
        let claims = try await app.openID.verifiedClaims(of: token, settings: settings)
        let identity = try IDTokenClaims.identity(claims, settings: settings, nonce: pending.nonce, now: Date())
        // Linking is for the person still signed in as that account.
        let linkTo = pending.linkTo.flatMap { $0 == context.user?.id ? $0 : nil }
        let user = try await app.store.signOn(identity, settings: settings, linkTo: linkTo, address: context.clientAddress)
        try await app.store.recordAudit(AuditEvent(at: Date(), actorID: user.id, actorName: user.displayName, action: .signInSucceeded, subjectType: "user",
                                                   subjectID: user.id.uuidString, detail: "through \(settings.issuer)", address: context.clientAddress))
        return (user, pending.next)
    }

    /// OAuth 2.0 (RFC 6749 §4.1.2.1) and OpenID Connect Core (§3.1.2.6) error codes.
    static let standardErrors: Set<String> = [
        "access_denied", "invalid_request", "unauthorized_client", "unsupported_response_type", "invalid_scope", "server_error",
        "temporarily_unavailable", "interaction_required", "login_required", "account_selection_required", "consent_required",
    ]

    /// The person sees what went wrong in words; the admin finds the reason
    /// in the log under the request id the page shows and, for sign-ins that
    /// reached the provider, in the audit log. Never a blank page or a 500.
    private func refusal(_ refused: SingleSignOnRefusal, request: Request, context: LoreRequestContext) async throws -> Response {
        context.logger.warning("single sign-on refused", metadata: ["reason": .string(refused.logReason), "address": .string(context.clientAddress)])
        // What anyone can cause without the provider (an old or forged link,
        // a throttled address, single sign-on switched off) is logged, not
        // audited: it would bury the real events for the audit log's 400 days.
        switch refused {
        case .staleRequest, .notConfigured, .throttled: break
        case .providerError where request.uri.queryParameters["state"] == nil: break
        default:
            try? await app.store.recordAudit(AuditEvent(at: Date(), actorID: nil, actorName: "single sign-on", action: .singleSignOnRefused, subjectType: "user",
                                                        detail: String(refused.logReason.prefix(500)), address: context.clientAddress))
        }
        let status: HTTPResponse.Status = switch refused {
        case .notConfigured: .notFound
        case .providerUnreachable, .tokenExchangeFailed: .badGateway
        case .noAccount, .domainNotAllowed, .unverifiedEmail, .linkRequired, .linkedToAnotherPerson, .breakGlassAccount: .forbidden
        case .throttled: .tooManyRequests
        case .failed: .internalServerError
        default: .badRequest
        }
        return app.views.page("sso_refused", title: "Sign-in did not work", context: context, settings: try await app.store.settings(), status: status, values: [
            "message": refused.message, "requestId": context.id,
        ])
    }

    private func cookie(value: String, maxAge: Int) -> Cookie {
        Cookie(name: cookieName, value: value, maxAge: maxAge, path: "/", secure: app.configuration.secureCookies, httpOnly: true, sameSite: .lax)
    }
}

/// A sign-in on its way to the provider and back.
struct PendingSignOn: Codable, Equatable {
    var state: String
    var nonce: String
    var verifier: String
    var next: String
    var expires: Date
    /// The signed-in account to link, when linking from the account page.
    var linkTo: UUID?

    /// base64url(JSON) "." HMAC: readable by any server with the secret,
    /// changeable by none without it.
    func sealed(with secret: String) -> String {
        let body = Secrets.base64URL((try? JSONEncoder().encode(self)) ?? Data())
        return body + "." + Secrets.sign("lore-sso:" + body, key: secret)
    }

    init(state: String, nonce: String, verifier: String, next: String, expires: Date, linkTo: UUID? = nil) {
        (self.state, self.nonce, self.verifier, self.next, self.expires, self.linkTo) = (state, nonce, verifier, next, expires, linkTo)
    }

    init?(sealed: String, secret: String) {
        let parts = sealed.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, Secrets.constantTimeEquals(String(parts[1]), Secrets.sign("lore-sso:" + parts[0], key: secret)),
              let data = OpenIDProvider.base64URLDecode(String(parts[0])), let value = try? JSONDecoder().decode(PendingSignOn.self, from: data) else { return nil }
        self = value
    }
}
