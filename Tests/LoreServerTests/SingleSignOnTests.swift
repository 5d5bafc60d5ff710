import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JWTKit
import Logging
import LoreCore
@testable import LoreServer
import LoreStore
import LoreTestSupport
import Testing

/// An OpenID provider for the tests, over real HTTP: discovery, a key set
/// that can rotate, and a token endpoint that checks the client's secret and
/// the PKCE verifier. Each test decides the ID token's claims and signing key.
actor TestProvider {
    struct Grant { var nonce: String; var challenge: String; var claims: [String: ClaimValue]; var kid: String?; var signer: JWTKeyCollection }

    var issuer = ""
    let clientID = "lore-test-client"
    let clientSecret = "a client secret with + and : in it"
    private(set) var published: [[String: String]] = []
    private(set) var keySetFetches = 0
    private var grants: [String: Grant] = [:]
    private(set) var tokenRequests: [String: String] = [:]
    /// `client_secret_basic` (the default) or `client_secret_post`.
    private(set) var authMethod = "client_secret_basic"
    func use(authMethod m: String) { authMethod = m }

    /// A new ES256 key; its public half is published unless told otherwise.
    func makeKey(kid: String?, publish: Bool = true, publishAlg: Bool = true) async -> JWTKeyCollection {
        let key = ES256PrivateKey()
        let collection = JWTKeyCollection()
        await collection.add(ecdsa: key, kid: kid.map { JWKIdentifier(string: $0) })
        if publish, let p = key.publicKey.parameters {
            var jwk = ["kty": "EC", "crv": "P-256", "x": p.x, "y": p.y, "use": "sig"]
            if publishAlg { jwk["alg"] = "ES256" }
            if let kid { jwk["kid"] = kid }
            published.append(jwk)
        }
        return collection
    }

    func replaceKeys() { published = [] }

    func grant(code: String, _ g: Grant) { grants[code] = g }

    func keySet() -> Data {
        keySetFetches += 1
        return try! JSONSerialization.data(withJSONObject: ["keys": published])
    }

    func token(form: [String: String], authorization: String?) async -> (HTTPResponse.Status, Data) {
        tokenRequests = form
        let basic = "Basic " + Data("\(Browser.encode(clientID)):\(Browser.encode(clientSecret))".utf8).base64EncodedString()
        let authenticated = authMethod == "client_secret_post"
            ? authorization == nil && form["client_id"] == clientID && form["client_secret"] == clientSecret
            : authorization == basic && form["client_secret"] == nil
        guard authenticated else { return (.unauthorized, Data(#"{"error":"invalid_client"}"#.utf8)) }
        guard form["grant_type"] == "authorization_code", let code = form["code"], let g = grants.removeValue(forKey: code) else {
            return (.badRequest, Data(#"{"error":"invalid_grant","error_description":"unknown or used code"}"#.utf8))
        }
        let challenge = Secrets.base64URL(SHA256.hash(data: Data((form["code_verifier"] ?? "").utf8)))
        guard challenge == g.challenge else { return (.badRequest, Data(#"{"error":"invalid_grant","error_description":"PKCE verifier does not match"}"#.utf8)) }
        var claims = g.claims
        if claims["nonce"] == nil { claims["nonce"] = .string(g.nonce) }
        let signed = try! await g.signer.sign(SignedClaims(claims: claims), kid: g.kid.map { JWKIdentifier(string: $0) })
        return (.ok, try! JSONSerialization.data(withJSONObject: ["access_token": "x", "token_type": "Bearer", "id_token": signed]))
    }

    func setIssuer(_ i: String) { issuer = i }
}

struct SignedClaims: JWTPayload {
    var claims: [String: ClaimValue]
    init(claims: [String: ClaimValue]) { self.claims = claims }
    init(from decoder: any Decoder) throws { claims = try [String: ClaimValue](from: decoder) }
    func encode(to encoder: any Encoder) throws { try claims.encode(to: encoder) }
    func verify(using algorithm: some JWTAlgorithm) async throws {}
}

/// Runs the provider on a free port of this machine.
func withProvider(_ body: @escaping @Sendable (TestProvider) async throws -> Void) async throws {
    let provider = TestProvider()
    let router = Router()
    router.get("/.well-known/openid-configuration") { _, _ -> Response in
        let issuer = await provider.issuer
        let doc: [String: Any] = ["issuer": issuer, "authorization_endpoint": issuer + "/authorize", "token_endpoint": issuer + "/token",
                                  "jwks_uri": issuer + "/jwks", "token_endpoint_auth_methods_supported": [await provider.authMethod]]
        return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(data: try JSONSerialization.data(withJSONObject: doc))))
    }
    router.get("/jwks") { _, _ -> Response in Response(status: .ok, body: .init(byteBuffer: ByteBuffer(data: await provider.keySet()))) }
    router.post("/token") { request, _ -> Response in
        let body = String(buffer: try await request.body.collect(upTo: 1 << 16))
        var form: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? String($0) }
            if kv.count == 2 { form[kv[0]] = kv[1] }
        }
        let (status, data) = await provider.token(form: form, authorization: request.headers[.authorization])
        return Response(status: status, body: .init(byteBuffer: ByteBuffer(data: data)))
    }
    try await withLocalServer(router) { port in
        await provider.setIssuer("http://127.0.0.1:\(port)")
        try await body(provider)
    }
}

@Suite("Single sign-on (OpenID Connect)")
struct SingleSignOnTests {
    /// Lore set up for the provider as an admin would in Settings.
    static func configure(_ store: LoreStore, _ provider: TestProvider, _ change: (inout SingleSignOnSettings) -> Void = { _ in }) async throws {
        var s = SingleSignOnSettings()
        s.enabled = true
        s.issuer = await provider.issuer
        s.clientID = provider.clientID
        s.allowedDomains = ["example.com"]
        change(&s)
        try await store.saveSingleSignOn(s, clientSecret: provider.clientSecret)
    }

    struct Attempt {
        var final: TestResponse
        var browser: Browser
    }

    /// Starts at Lore's button, plays the provider's part (the person signs
    /// in there; the provider redirects back with a code), and follows Lore's
    /// answer. `claims` are the ID token's; `nil` values are left out.
    static func signIn(
        _ client: any TestClientProtocol, _ provider: TestProvider, signer: JWTKeyCollection, kid: String?, next: String = "/incidents",
        claims: (_ issuer: String, _ now: Date) -> [String: ClaimValue?], tamperState: Bool = false, linking: Bool = false, browser existing: Browser? = nil
    ) async throws -> Attempt {
        let b = existing ?? Browser(client)
        // Linking is the account page's form (CSRF-protected), not a link.
        let start = linking ? try await b.post("/account/link-sso", []) : try await b.get("/signin/sso?next=\(Browser.encode(next))")
        #expect(start.status == .found)
        let location = try #require(start.location.flatMap(URLComponents.init(string:)))
        let issuer = await provider.issuer
        #expect(location.string?.hasPrefix(issuer + "/authorize?") == true)
        let q = Dictionary(uniqueKeysWithValues: (location.queryItems ?? []).map { ($0.name, $0.value ?? "") })
        #expect(q["response_type"] == "code" && q["client_id"] == provider.clientID && q["code_challenge_method"] == "S256")
        #expect(q["scope"]?.split(separator: " ").contains("openid") == true)
        let state = try #require(q["state"]), nonce = try #require(q["nonce"]), challenge = try #require(q["code_challenge"])
        #expect(q["redirect_uri"]?.hasSuffix("/signin/sso/callback") == true)
        let code = Secrets.generate()
        let made = claims(issuer, Date()).compactMapValues { $0 }
        await provider.grant(code: code, .init(nonce: nonce, challenge: challenge, claims: made, kid: kid, signer: signer))
        let back = try await b.get("/signin/sso/callback?code=\(code)&state=\(tamperState ? "forged" : state)")
        return Attempt(final: back, browser: b)
    }

    static func claims(email: String = "grace@example.com", verified: ClaimValue? = .bool(true), aud: ClaimValue? = nil,
                       exp: TimeInterval = 300, iat: TimeInterval = 0, extra: [String: ClaimValue] = [:]) -> (String, Date) -> [String: ClaimValue?] {
        { issuer, now in
            var c: [String: ClaimValue?] = [
                "iss": .string(issuer), "sub": .string("user-\(email.lowercased())"), "aud": aud ?? .string("lore-test-client"),
                "exp": .number(now.timeIntervalSince1970 + exp), "iat": .number(now.timeIntervalSince1970 + iat),
                "email": .string(email), "email_verified": verified, "name": .string("Grace Hopper"),
            ]
            for (k, v) in extra { c[k] = v }
            return c
        }
    }

    @Test func aFirstSignInCreatesTheAccountAndStartsASession() async throws {
        try await withProvider { provider in
            try await withApp { client, store, _ in
                try await Self.configure(store, provider)
                let key = await provider.makeKey(kid: "k1")
                let page = try await Browser(client).get("/signin")
                #expect(page.text.contains("Sign in with your company account"))
                let a = try await Self.signIn(client, provider, signer: key, kid: "k1", claims: Self.claims())
                #expect(a.final.status == .found)
                #expect(a.final.location == "/incidents")
                #expect(a.browser.cookies["lore_session"] != nil)
                #expect(a.browser.cookies["lore_sso"] == nil, "the pending sign-in is cleared")
                let incidents = try await a.browser.get("/incidents")
                #expect(incidents.status == .ok)
                let user = try #require(try await store.user(email: "grace@example.com"))
                #expect(user.displayName == "Grace Hopper" && user.role == .member)
                let sent = await provider.tokenRequests
                #expect(sent["code_verifier"] != nil && sent["redirect_uri"]?.hasSuffix("/signin/sso/callback") == true)
                // The same person again: the same account, no second one.
                let again = try await Self.signIn(client, provider, signer: key, kid: "k1", claims: Self.claims(email: "Grace@Example.com"))
                #expect(again.final.status == .found)
                #expect(try await store.users().filter { $0.email == "grace@example.com" }.count == 1)
                let audit = try await store.auditEvents(AuditFilter(action: .signInSucceeded), viewer: try await store.viewer(for: try #require(try await store.users().first { $0.isAdmin })))
                let issuer = await provider.issuer
                #expect(audit.contains { $0.detail?.contains(issuer) == true })
            }
        }
    }

    /// Each refusal the issue names, as the person sees it and as the admin
    /// finds it in the log, under the request's id.
    @Test func refusalsSayWhatWentWrongAndAreLogged() async throws {
        let captured = CapturedLog()
        let logger = captured.logger(level: .info)
        try await withProvider { provider in
            try await withTestDatabase(.sqlite) { db, store in
                _ = try await Fixture.make(store)
                try await Self.configure(store, provider)
                let app = try await buildApplication(database: db, store: store, configuration: LoreServerConfiguration(), logger: logger)
                try await app.test(.router) { client in
                    let key = await provider.makeKey(kid: "k1")
                    let cases: [(String, (String, Date) -> [String: ClaimValue?], HTTPResponse.Status, String, String)] = [
                        ("wrong audience", Self.claims(aud: .string("another-app")), .badRequest, "meant for another application", "wrong audience: another-app"),
                        ("expired", Self.claims(exp: -120), .badRequest, "had expired", "expired token"),
                        ("issued in the future", Self.claims(iat: 600), .badRequest, "dated in the future", "issued in the future"),
                        ("unverified email", Self.claims(verified: .bool(false)), .forbidden, "has not verified the address grace@example.com", "unverified email grace@example.com"),
                        ("no email_verified claim", Self.claims(verified: nil), .forbidden, "has not verified", "unverified email"),
                        ("domain not allowed", Self.claims(email: "eve@elsewhere.org"), .forbidden, "not at a domain allowed", "domain not allowed: eve@elsewhere.org"),
                        ("nonce replayed", Self.claims(extra: ["nonce": .string("an old nonce")]), .badRequest, "does not belong to this sign-in", "nonce does not match"),
                        ("another issuer", { i, n in var c = Self.claims()(i, n); c["iss"] = .string("https://evil.example"); return c }, .badRequest, "different identity provider", "wrong issuer: https://evil.example"),
                    ]
                    for (name, claims, status, words, reason) in cases {
                        let a = try await Self.signIn(client, provider, signer: key, kid: "k1", claims: claims)
                        #expect(a.final.status == status, "\(name)")
                        #expect(a.final.text.contains(words), "\(name)")
                        #expect(a.final.text.contains("<h1>Sign-in did not work</h1>"), "\(name)")
                        #expect(a.browser.cookies["lore_session"] == nil, "\(name): no session")
                        let id = try #require(a.final.headers[HTTPField.Name("X-Request-Id")!])
                        let line = captured.records.first { $0["request_id"] == id && $0["message"] == "single sign-on refused" }
                        #expect(line?["reason"]?.contains(reason) == true, "\(name): \(line?["reason"] ?? "no log line")")
                        #expect(a.final.text.contains(id), "\(name): the page shows the request id")
                    }
                    // Each refusal that reached the provider is in the audit log, with its reason.
                    let admin = try await store.viewer(for: try #require(try await store.users().first { $0.isAdmin }))
                    let audited = try await store.auditEvents(AuditFilter(action: .singleSignOnRefused), viewer: admin).compactMap(\.detail)
                    for (_, _, _, _, reason) in cases { #expect(audited.contains { $0.contains(reason) }, "audited: \(reason)") }
                    #expect(try await store.user(email: "eve@elsewhere.org") == nil)
                    // A minute of clock skew is allowed.
                    let skewed = try await Self.signIn(client, provider, signer: key, kid: "k1", claims: Self.claims(exp: -30, iat: 30))
                    #expect(skewed.final.status == .found)
                    // A callback whose state is not this browser's pending sign-in.
                    let forged = try await Self.signIn(client, provider, signer: key, kid: "k1", claims: Self.claims(), tamperState: true)
                    #expect(forged.final.status == .badRequest && forged.final.text.contains("Start again"))
                    let bare = try await Browser(client).get("/signin/sso/callback?code=x&state=y")
                    #expect(bare.status == .badRequest)
                    // The person cancelled at the provider.
                    let b = Browser(client)
                    let start = try await b.get("/signin/sso")
                    let state = try #require(URLComponents(string: start.location ?? "")?.queryItems?.first { $0.name == "state" }?.value)
                    let cancelled = try await b.get("/signin/sso/callback?error=access_denied&state=\(state)")
                    #expect(cancelled.status == .badRequest && cancelled.text.contains("cancelled"))
                    // A provider that leaves state off its error: still told, but no text from the link.
                    let stateless = try await Browser(client).get("/signin/sso/callback?error=access_denied&error_description=Call%20555-0100%20to%20unlock")
                    #expect(stateless.status == .badRequest && stateless.text.contains("cancelled") && !stateless.text.contains("555-0100"))
                    let made = try await Browser(client).get("/signin/sso/callback?error=Your%20account%20is%20locked")
                    #expect(made.text.contains("(error)") && !made.text.contains("locked"))
                }
            }
        }
    }

    /// The reasons the audit log holds for refused sign-ins.
    static func refusalReasons(_ store: LoreStore) async throws -> [String] {
        let admin = try await store.viewer(for: try #require(try await store.users().first { $0.isAdmin }))
        return try await store.auditEvents(AuditFilter(action: .singleSignOnRefused), viewer: admin).compactMap(\.detail)
    }

    /// Signatures: only the provider's keys, rotation picked up, unknown keys
    /// refused after one more look, no algorithm downgrade.
    @Test func signaturesAreCheckedAgainstTheProvidersKeys() async throws {
        try await withProvider { provider in
            try await withApp { client, store, _ in
                try await Self.configure(store, provider)
                // Published without `alg`, so that only Lore's own rule stands between a token and an HMAC key.
                let k1 = await provider.makeKey(kid: "k1", publishAlg: false)
                #expect(try await Self.signIn(client, provider, signer: k1, kid: "k1", claims: Self.claims()).final.status == .found)
                let fetches = await provider.keySetFetches

                // The provider rotates: a token with the new key makes Lore fetch the set again
                // (once the second Lore waits between fetches has passed).
                // (Two seconds, not just over one: under a loaded full run the
                // key generation and requests around the wait take time of their own.)
                await provider.replaceKeys()
                let k2 = await provider.makeKey(kid: "k2", publishAlg: false)
                try await Task.sleep(for: .seconds(2))
                #expect(try await Self.signIn(client, provider, signer: k2, kid: "k2", claims: Self.claims()).final.status == .found)
                let afterRotation = await provider.keySetFetches
                #expect(afterRotation == fetches + 1)

                // A key the provider never published: one more look, then refused.
                let stranger = await provider.makeKey(kid: "k3", publish: false)
                try await Task.sleep(for: .seconds(2))
                // Timed from before the look this sign-in allows, so that the
                // check below holds only while every attempt is within a
                // second of that look (a loaded machine skips it).
                let clock = ContinuousClock(), began = clock.now
                let unknown = try await Self.signIn(client, provider, signer: stranger, kid: "k3", claims: Self.claims())
                #expect(unknown.final.status == .badRequest && unknown.final.text.contains("could not be verified"))
                let afterUnknown = await provider.keySetFetches
                #expect(afterUnknown == fetches + 2)
                // More forged tokens right away do not make Lore fetch again (at most once a second).
                for _ in 0..<3 { _ = try await Self.signIn(client, provider, signer: stranger, kid: "k3", claims: Self.claims()) }
                if clock.now - began < .seconds(1) { #expect(await provider.keySetFetches == fetches + 2) }

                // A forged signature under a published kid.
                let forger = await provider.makeKey(kid: "k2", publish: false)
                let forged = try await Self.signIn(client, provider, signer: forger, kid: "k2", claims: Self.claims())
                #expect(forged.final.status == .badRequest && forged.final.text.contains("could not be verified"))

                // HMAC keyed with something the client knows, under a published kid: refused for its algorithm.
                let hmac = JWTKeyCollection()
                await hmac.add(hmac: HMACKey(from: provider.clientSecret), digestAlgorithm: .sha256, kid: "k2")
                let downgraded = try await Self.signIn(client, provider, signer: hmac, kid: "k2", claims: Self.claims())
                #expect(downgraded.final.status == .badRequest)
                #expect(try await Self.refusalReasons(store).contains { $0.contains("algorithm HS256 is not accepted") })
                #expect(try await store.users().filter { $0.email == "grace@example.com" }.count == 1)
            }
        }
    }

    /// A token with `alg: none` (no signature at all) never gets in.
    @Test func anUnsignedTokenIsRefused() async throws {
        let header = Secrets.base64URL(Data(#"{"alg":"none","typ":"JWT"}"#.utf8))
        let body = Secrets.base64URL(Data(#"{"iss":"x","sub":"y"}"#.utf8))
        do {
            _ = try await OpenIDProvider().verifiedClaims(of: "\(header).\(body).", settings: SingleSignOnSettings())
            Issue.record("an unsigned token was accepted")
        } catch {
            #expect(error == .badSignature("algorithm none is not accepted"))
        }
    }

    /// A provider that takes the client's secret in the form only.
    @Test func aProviderThatWantsTheSecretInTheForm() async throws {
        try await withProvider { provider in
            try await withApp { client, store, _ in
                await provider.use(authMethod: "client_secret_post")
                try await Self.configure(store, provider)
                let key = await provider.makeKey(kid: "k1")
                #expect(try await Self.signIn(client, provider, signer: key, kid: "k1", claims: Self.claims()).final.status == .found)
            }
        }
    }

    /// A key set without `kid` and tokens without one (some providers) still
    /// work, and so does their rotation: a token no held key verifies makes
    /// Lore look at the set again.
    @Test func aKeySetWithoutKeyIdsStillVerifiesAndRotates() async throws {
        try await withProvider { provider in
            try await withApp { client, store, _ in
                try await Self.configure(store, provider)
                let key = await provider.makeKey(kid: nil)
                #expect(try await Self.signIn(client, provider, signer: key, kid: nil, claims: Self.claims()).final.status == .found)
                await provider.replaceKeys()
                try await Task.sleep(for: .milliseconds(1100))
                let next = await provider.makeKey(kid: nil)
                #expect(try await Self.signIn(client, provider, signer: next, kid: nil, claims: Self.claims()).final.status == .found)
            }
        }
    }

    @Test func accountsRolesAndPasswords() async throws {
        try await withProvider { provider in
            try await withApp { client, store, fixture in
                let second = try await store.createUser(UserInput(displayName: "Sam Second", email: "sam@example.com", role: .admin, password: "sam's long password"))
                try await Self.configure(store, provider) {
                    $0.createAccounts = false
                    $0.adminClaim = "groups"
                    $0.adminValues = ["lore-admins"]
                    $0.passwordsForEveryone = false
                    $0.breakGlassEmail = fixture.admin.email
                }
                let key = await provider.makeKey(kid: "k1")
                // No account and none created: told to ask an admin.
                let stranger = try await Self.signIn(client, provider, signer: key, kid: "k1", claims: Self.claims(email: "new@example.com"))
                #expect(stranger.final.status == .forbidden && stranger.final.text.contains("Ask an admin to add you"))
                #expect(try await store.user(email: "new@example.com") == nil)
                // An existing member in the admin group becomes an admin; out of it, a member again.
                let admins = ["groups": ClaimValue.list([.string("eng"), .string("lore-admins")])]
                let promoted = try await Self.signIn(client, provider, signer: key, kid: "k1", claims: Self.claims(email: fixture.member.email, extra: admins))
                #expect(promoted.final.status == .found)
                #expect(try await store.user(email: fixture.member.email)?.role == .admin)
                let demoted = try await Self.signIn(client, provider, signer: key, kid: "k1", claims: Self.claims(email: fixture.member.email, extra: ["groups": .list([.string("eng")])]))
                #expect(try await store.user(email: fixture.member.email)?.role == .member)
                #expect(demoted.final.status == .found)
                #expect(try await promoted.browser.get("/settings").status != .ok, "a demotion ends the sessions begun as an admin")
                // The break-glass account is password only: the provider's word does not open it.
                let glass = try await Self.signIn(client, provider, signer: key, kid: "k1", claims: Self.claims(email: fixture.admin.email, extra: admins))
                #expect(glass.final.status == .forbidden && glass.final.text.contains("break-glass account"))
                // An admin's account is not handed over on its address alone (here the
                // provider does not say Sam is an admin): its owner links it, signed in
                // with a one-time link, since passwords are off.
                let unlinked = try await Self.signIn(client, provider, signer: key, kid: "k1", claims: Self.claims(email: "sam@example.com"))
                #expect(unlinked.final.status == .forbidden && unlinked.final.text.contains("Link your company account"))
                let sam = Browser(client)
                let oneTime = try await store.createSignInLink(userID: second.id, lifetime: 600)
                #expect(try await sam.get("/signin/link/\(oneTime)").status == .found)
                let account = try await sam.get("/account")
                #expect(account.text.contains("Link your company account"))
                // Not from a link another site could send: the form needs the page's token.
                #expect(try await sam.post("/account/link-sso", [], csrf: false).status != .found)
                let linked = try await Self.signIn(client, provider, signer: key, kid: "k1", next: "/account", claims: Self.claims(email: "sam@example.com", extra: admins), linking: true, browser: sam)
                #expect(linked.final.status == .found)
                #expect(try await store.isLinkedToProvider(userID: second.id, issuer: await provider.issuer))
                #expect(try await Self.signIn(client, provider, signer: key, kid: "k1", claims: Self.claims(email: "sam@example.com", extra: admins)).final.status == .found)
                // The address given to someone else at the provider later: not the same account.
                let moved = try await Self.signIn(client, provider, signer: key, kid: "k1",
                                                  claims: { i, n in var c = Self.claims(email: "sam@example.com")(i, n); c["sub"] = .string("someone-new"); return c })
                #expect(moved.final.status == .forbidden && moved.final.text.contains("linked to someone else"))
                // The last admin the provider could demote is kept: a claim set up wrong locks nobody out.
                _ = try await Self.signIn(client, provider, signer: key, kid: "k1", claims: Self.claims(email: "sam@example.com", extra: ["groups": .list([])]))
                let adminsLeft = try await store.users().filter(\.isAdmin)
                #expect(adminsLeft.count >= 1)
                // Passwords are off except for the break-glass admin; every other address is told the same as a wrong password.
                let b = Browser(client)
                let page = try await b.get("/signin")
                #expect(page.text.contains("Break-glass sign-in"))
                let refused = try await b.post("/signin", [("email", fixture.member.email), ("password", "another long password")])
                let wrong = try await b.post("/signin", [("email", fixture.admin.email), ("password", "not the password at all")])
                #expect(refused.status == .unauthorized && wrong.status == .unauthorized)
                #expect(refused.text.contains("do not match the break-glass account") && wrong.text.contains("do not match the break-glass account"))
                #expect(b.cookies["lore_session"] == nil)
                try await b.signIn(fixture.admin.email, "correct horse battery")
            }
        }
    }

    /// What a visitor could try on the callback: a tampered, expired or
    /// replayed pending sign-in, a `next` that leaves the site, a token for
    /// several audiences without Lore as its authorised party, no subject,
    /// an address from another claim.
    @Test func theCallbackResistsTamperingAndReplay() async throws {
        try await withProvider { provider in
            try await withApp { client, store, _ in
                try await Self.configure(store, provider) { $0.createAccounts = true }
                let key = await provider.makeKey(kid: "k1")
                // `next` is kept on this site.
                let away = try await Self.signIn(client, provider, signer: key, kid: "k1", next: "//evil.example/x", claims: Self.claims())
                #expect(away.final.location == "/dashboard")
                // A tampered cookie.
                let b = Browser(client)
                let start = try await b.get("/signin/sso")
                let state = try #require(URLComponents(string: start.location ?? "")?.queryItems?.first { $0.name == "state" }?.value)
                let sealed = try #require(b.cookies["lore_sso"])
                b.cookies["lore_sso"] = String(sealed.dropLast()) + (sealed.hasSuffix("0") ? "1" : "0")
                #expect(try await b.get("/signin/sso/callback?code=x&state=\(state)").status == .badRequest)
                // A replayed callback: the state is good once.
                let first = try await Self.signIn(client, provider, signer: key, kid: "k1", claims: Self.claims())
                #expect(first.final.status == .found)
                let replay = Browser(client)
                let again = try await replay.get("/signin/sso")
                let s2 = try #require(URLComponents(string: again.location ?? "")?.queryItems?.first { $0.name == "state" }?.value)
                let cookie = try #require(replay.cookies["lore_sso"])
                _ = try await replay.get("/signin/sso/callback?code=nothing&state=\(s2)")
                replay.cookies["lore_sso"] = cookie
                let replayed = try await replay.get("/signin/sso/callback?code=nothing&state=\(s2)")
                #expect(replayed.status == .badRequest && replayed.text.contains("Start again"))
                // Several audiences without an authorised party; an authorised party that is not Lore.
                let several = try await Self.signIn(client, provider, signer: key, kid: "k1", claims: Self.claims(aud: .list([.string("lore-test-client"), .string("other")])))
                #expect(several.final.status == .badRequest && several.final.text.contains("meant for another application"))
                let otherParty = try await Self.signIn(client, provider, signer: key, kid: "k1", claims: Self.claims(extra: ["azp": .string("other")]))
                #expect(otherParty.final.status == .badRequest)
                // No subject.
                let noSub = try await Self.signIn(client, provider, signer: key, kid: "k1", claims: { i, n in var c = Self.claims()(i, n); c["sub"] = nil; return c })
                #expect(noSub.final.status == .badRequest && noSub.final.text.contains("no subject"))
                // An address from another claim: email_verified does not speak for it.
                try await Self.configure(store, provider) { $0.emailClaim = "upn" }
                let upn = try await Self.signIn(client, provider, signer: key, kid: "k1", claims: Self.claims(extra: ["upn": .string("grace@example.com")]))
                #expect(upn.final.status == .forbidden && upn.final.text.contains("has not verified"))
                try await Self.configure(store, provider) { $0.emailClaim = "upn"; $0.trustEmailsWithoutVerifiedClaim = true }
                let trusted = try await Self.signIn(client, provider, signer: key, kid: "k1", claims: Self.claims(extra: ["upn": .string("grace@example.com")]))
                #expect(trusted.final.status == .found)
                // Junk callbacks (no pending sign-in) cost the provider nothing and throttle no one...
                let junk = Browser(client)
                for _ in 0..<25 { _ = try await junk.get("/signin/sso/callback?code=x&state=y") }
                #expect(try await Self.signIn(client, provider, signer: key, kid: "k1", claims: Self.claims(extra: ["upn": .string("grace@example.com")])).final.status == .found)
                // ...while failed sign-ins that reached the provider are throttled by address:
                // past the allowance each failure doubles the wait (1 s, 2 s, 4 s…), so on however
                // slow a machine a 429 comes within a few more tries; the loop stops there.
                var statuses: [HTTPResponse.Status] = []
                while statuses.last != .tooManyRequests, statuses.count < 45 {
                    statuses.append(try await Self.signIn(client, provider, signer: key, kid: "k1", claims: Self.claims(aud: .string("x"))).final.status)
                }
                #expect(statuses.last == .tooManyRequests)
                #expect(statuses.count > 12 && statuses.dropLast().allSatisfy { $0 == .badRequest })  // the allowance came first
            }
        }
    }

    /// Settings: an admin sets it up; mistakes are named by field; the
    /// secret is kept but never shown back.
    @Test func settingsSaveWhatAnAdminEntersAndNameMistakes() async throws {
        try await withApp { client, store, fixture in
            let b = Browser(client)
            try await b.signIn(fixture.admin.email, "correct horse battery")
            let page = try await b.get("/settings")
            #expect(page.text.contains("/signin/sso/callback"))
            let bad = try await b.post("/settings/sso", [("enabled", "1"), ("issuer", "http://login.example.com"), ("clientID", ""), ("clientSecret", ""),
                                                        ("passwordsOff", "1"), ("breakGlassEmail", fixture.member.email), ("allowedDomains", "example")])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.text.contains("must use https"))
            #expect(bad.text.contains("client id"))
            #expect(bad.text.contains("is not an admin"))
            #expect(bad.text.contains("is not a domain"))
            let open = try await b.post("/settings/sso", [("enabled", "1"), ("issuer", "https://login.example.com"), ("clientID", "lore"), ("clientSecret", "x"), ("createAccounts", "1")])
            #expect(open.status == .unprocessableContent && open.text.contains("Name the email domains"))
            #expect(try await store.singleSignOn().settings.enabled == false, "nothing saved")
            let ok = try await b.post("/settings/sso", [("enabled", "1"), ("issuer", "https://login.example.com"), ("clientID", "lore"), ("clientSecret", "s3cret-value"),
                                                       ("scopes", "openid email groups"), ("createAccounts", "1"), ("allowedDomains", "example.com")])
            #expect(ok.status == .seeOther)
            let saved = try await store.singleSignOn()
            #expect(saved.settings.enabled && saved.settings.issuer == "https://login.example.com" && saved.clientSecret == "s3cret-value")
            #expect(saved.settings.scopes == ["openid", "email", "groups"])
            let shown = try await b.get("/settings")
            #expect(!shown.text.contains("s3cret-value"))
            // Saving again without a secret keeps it.
            _ = try await b.post("/settings/sso", [("enabled", "1"), ("issuer", "https://login.example.com"), ("clientID", "lore2"), ("clientSecret", ""), ("allowedDomains", "*")])
            #expect(try await store.singleSignOn().clientSecret == "s3cret-value")
            #expect(try await store.auditEvents(AuditFilter(action: .settingsChanged), viewer: try await store.viewer(for: fixture.admin)).allSatisfy { !($0.detail ?? "").contains("s3cret") })
            // A member cannot reach the form.
            let m = Browser(client)
            try await m.signIn(fixture.member.email, "another long password")
            #expect(try await m.post("/settings/sso", [("enabled", "0")]).status == .notFound)
        }
    }

    /// A provider whose discovery document is not there (a mistyped issuer).
    @Test func anUnreachableProviderIsAPageNotAnError() async throws {
        try await withProvider { provider in
            try await withApp { client, store, _ in
                var s = SingleSignOnSettings()
                s.enabled = true
                s.issuer = await provider.issuer + "/tenant-that-does-not-exist"
                s.clientID = "lore"
                s.createAccounts = false
                try await store.saveSingleSignOn(s, clientSecret: "x")
                let r = try await Browser(client).get("/signin/sso")
                #expect(r.status == .badGateway)
                #expect(r.text.contains("could not reach the identity provider"))
            }
        }
    }
}
