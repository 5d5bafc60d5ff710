import AsyncHTTPClient
import Crypto
import Foundation
import JWTKit
import LoreCore
import LoreStore
import NIOCore
import NIOFoundationCompat

/// The identity provider as Lore talks to it (OpenID Connect): its discovery
/// document, its signing keys, and the exchange of an authorization code for
/// an ID token whose signature is checked against those keys.
///
/// Keys rotate: a token signed with a key Lore has not seen makes it fetch the
/// key set once more (at most every `refetchInterval`, so forged tokens
/// cannot make Lore hammer the provider), then refuses it.
actor OpenIDProvider {
    struct Metadata: Decodable, Sendable {
        var issuer: String
        var authorization_endpoint: String
        var token_endpoint: String
        var jwks_uri: String
        var token_endpoint_auth_methods_supported: [String]?
    }

    /// One verification key, alone in its collection as the default, so that
    /// a token without `kid` and a key set without `kid` (both seen in the
    /// wild) still verify.
    private struct Key {
        var kid: String?
        var alg: String?
        var collection: JWTKeyCollection
    }

    static let metadataFreshFor: TimeInterval = 3600
    /// Keys are fetched again after this long whatever happens: a key the
    /// provider withdrew is not trusted for ever.
    static let keysFreshFor: TimeInterval = 3600
    /// A provider that could not be reached is not asked again for this
    /// long, so that visitors cannot make Lore queue calls to it.
    static let failureRemembered: TimeInterval = 5
    /// At most one fetch a second however many forged tokens arrive; a real
    /// rotation is seen by the first sign-in after it.
    static let refetchInterval: TimeInterval = 1
    /// Asymmetric algorithms only: `none` and HMAC (keyed with something the
    /// client knows) would let a token be forged.
    static let acceptedAlgorithms: Set<String> = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"]

    private let http: HTTPClient
    private var metadata: (issuer: String, value: Metadata, at: Date)?
    private var failure: (issuer: String, refusal: SingleSignOnRefusal, at: Date)?
    private var discovering: (issuer: String, task: Task<Metadata, any Error>)?
    private var keys: (uri: String, list: [Key], at: Date)?

    init(http: HTTPClient = .shared) {
        self.http = http
    }

    func metadata(for settings: SingleSignOnSettings, now: Date = Date()) async throws(SingleSignOnRefusal) -> Metadata {
        if let m = metadata, m.issuer == settings.issuer, now.timeIntervalSince(m.at) < Self.metadataFreshFor { return m.value }
        if let f = failure, f.issuer == settings.issuer, now.timeIntervalSince(f.at) < Self.failureRemembered { throw f.refusal }
        // Sign-ins that arrive together share one fetch.
        let task: Task<Metadata, any Error>
        if let d = discovering, d.issuer == settings.issuer {
            task = d.task
        } else {
            let issuer = settings.issuer
            task = Task { try await self.discover(issuer) }
            discovering = (issuer, task)
        }
        do {
            let value = try await task.value
            if discovering?.task == task { discovering = nil }
            metadata = (settings.issuer, value, now)
            failure = nil
            return value
        } catch {
            if discovering?.task == task { discovering = nil }
            let refusal = error as? SingleSignOnRefusal ?? .providerUnreachable(String(describing: error))
            failure = (settings.issuer, refusal, now)
            throw refusal
        }
    }

    /// The discovery document, checked (OpenID Connect Discovery §4.3): it
    /// names the issuer Lore was set up with, and an https issuer's endpoints
    /// are https too (the client secret goes to one of them).
    private func discover(_ issuer: String) async throws(SingleSignOnRefusal) -> Metadata {
        let base = issuer.hasSuffix("/") ? String(issuer.dropLast()) : issuer
        let data = try await get(base + "/.well-known/openid-configuration")
        guard let value = try? JSONDecoder().decode(Metadata.self, from: data) else {
            throw .providerUnreachable("discovery document at \(base)/.well-known/openid-configuration is not valid OpenID metadata")
        }
        guard value.issuer == issuer else {
            throw .providerUnreachable("the discovery document names the issuer \(value.issuer), not \(issuer) as set up")
        }
        for endpoint in [value.authorization_endpoint, value.token_endpoint, value.jwks_uri] {
            guard let url = URLComponents(string: endpoint), let scheme = url.scheme?.lowercased(), url.host != nil,
                  scheme == "https" || (scheme == "http" && !issuer.lowercased().hasPrefix("https:")) else {
                throw .providerUnreachable("the discovery document's endpoint \(endpoint) is not an https URL")
            }
        }
        return value
    }

    /// Forgets what was fetched (after the settings change).
    func forget() {
        metadata = nil
        keys = nil
        failure = nil
    }

    /// Exchanges the code (with the PKCE verifier) for the ID token.
    func idToken(code: String, verifier: String, redirectURI: String, settings: SingleSignOnSettings, clientSecret: String) async throws(SingleSignOnRefusal) -> String {
        let meta = try await metadata(for: settings)
        var fields = ["grant_type": "authorization_code", "code": code, "redirect_uri": redirectURI, "code_verifier": verifier]
        var request = HTTPClientRequest(url: meta.token_endpoint)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "Accept", value: "application/json")
        // client_secret_basic is the default (OpenID Connect Core §9); a
        // provider that lists only client_secret_post gets the fields instead.
        let methods = meta.token_endpoint_auth_methods_supported ?? ["client_secret_basic"]
        if !methods.contains("client_secret_basic") && methods.contains("client_secret_post") {
            fields["client_id"] = settings.clientID
            fields["client_secret"] = clientSecret
        } else {
            let user = FormData.encode(settings.clientID), password = FormData.encode(clientSecret)
            request.headers.add(name: "Authorization", value: "Basic " + Data("\(user):\(password)".utf8).base64EncodedString())
        }
        request.body = .bytes(ByteBuffer(string: fields.sorted { $0.key < $1.key }.map { "\($0.key)=\(FormData.encode($0.value))" }.joined(separator: "&")))
        let (status, data) = try await send(request)
        let answer = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        guard (200..<300).contains(status), let token = answer?["id_token"] as? String else {
            let error = [answer?["error"] as? String, answer?["error_description"] as? String].compactMap { $0 }.joined(separator: ": ")
            throw .tokenExchangeFailed("token endpoint answered \(status)\(error.isEmpty ? "" : " (\(error))")\(answer?["id_token"] == nil && status < 300 ? " without an id_token" : "")")
        }
        return token
    }

    /// The token's claims once its signature is verified with one of the
    /// provider's keys. The claims themselves are checked by `IDTokenClaims`.
    func verifiedClaims(of token: String, settings: SingleSignOnSettings, now: Date = Date()) async throws(SingleSignOnRefusal) -> [String: ClaimValue] {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let headerData = Self.base64URLDecode(String(parts[0])),
              let header = (try? JSONSerialization.jsonObject(with: headerData)) as? [String: Any] else {
            throw .badSignature("not a signed JWT")
        }
        let alg = header["alg"] as? String ?? ""
        guard Self.acceptedAlgorithms.contains(alg) else { throw .badSignature("algorithm \(alg.isEmpty ? "none" : alg) is not accepted") }
        let kid = header["kid"] as? String
        let uri = try await metadata(for: settings).jwks_uri
        let list = try await keyList(uri: uri, refresh: false, now: now)
        if let claims = try await verify(token, kid: kid, alg: alg, with: list) { return claims }
        // Not verified with the keys held: the provider may have rotated
        // (a new kid, or keys without kid). One more look, then refuse.
        let fresh = try await keyList(uri: uri, refresh: true, now: now)
        if let kid, !fresh.contains(where: { $0.kid == kid || $0.kid == nil }) { throw .unknownKey(kid) }
        if let claims = try await verify(token, kid: kid, alg: alg, with: fresh) { return claims }
        throw .badSignature("no key of the provider's key set verifies the token (kid \(kid ?? "none"), \(alg))")
    }

    /// The claims if a key of `list` (the one named by `kid`, or any when the
    /// token names none) verifies the token; nil otherwise.
    private func verify(_ token: String, kid: String?, alg: String, with list: [Key]) async throws(SingleSignOnRefusal) -> [String: ClaimValue]? {
        // The key the token names, and keys the set left unnamed.
        let candidates = kid.map { k in list.filter { $0.kid == k } + list.filter { $0.kid == nil } } ?? list
        for key in candidates {
            // The key's own algorithm, when it names one, must be the token's.
            if let keyAlg = key.alg, keyAlg != alg { continue }
            if let claims = try? await key.collection.verify(token, as: ProviderClaims.self).claims { return claims }
        }
        return nil
    }

    private func keyList(uri: String, refresh: Bool, now: Date) async throws(SingleSignOnRefusal) -> [Key] {
        if let k = keys, k.uri == uri {
            let age = now.timeIntervalSince(k.at)
            if (!refresh && age < Self.keysFreshFor) || age < Self.refetchInterval { return k.list }
        }
        let data = try await get(uri)
        guard let set = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any], let raw = set["keys"] as? [[String: Any]] else {
            throw .providerUnreachable("the key set at \(uri) is not a JWKS document")
        }
        var list: [Key] = []
        for (i, var jwk) in raw.enumerated() where (jwk["use"] as? String ?? "sig") == "sig" {
            let kid = jwk["kid"] as? String
            if kid == nil { jwk["kid"] = "lore-unnamed-\(i)" }
            // Keys of kinds Lore cannot use (or malformed ones) are skipped, not fatal:
            // a set may hold an encryption key or a newer algorithm beside the one in use.
            guard let json = try? JSONSerialization.data(withJSONObject: jwk), let parsed = try? JSONDecoder().decode(JWK.self, from: json) else { continue }
            let collection = JWTKeyCollection()
            guard (try? await collection.add(jwk: parsed, isDefault: true)) != nil else { continue }
            list.append(Key(kid: kid, alg: jwk["alg"] as? String, collection: collection))
        }
        keys = (uri, list, now)
        return list
    }

    private func get(_ url: String) async throws(SingleSignOnRefusal) -> Data {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Accept", value: "application/json")
        let (status, data) = try await send(request)
        guard (200..<300).contains(status) else { throw .providerUnreachable("\(url) answered \(status)") }
        return data
    }

    private func send(_ request: HTTPClientRequest) async throws(SingleSignOnRefusal) -> (Int, Data) {
        do {
            let response = try await http.execute(request, timeout: .seconds(10))
            let body = try await response.body.collect(upTo: 1 << 20)
            return (Int(response.status.code), Data(buffer: body))
        } catch {
            throw .providerUnreachable("\(request.url): \(error)")
        }
    }

    static func base64URLDecode(_ s: String) -> Data? {
        var b = s.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while b.count % 4 != 0 { b += "=" }
        return Data(base64Encoded: b)
    }

    /// PKCE (RFC 7636): the S256 challenge of a verifier.
    static func codeChallenge(_ verifier: String) -> String {
        Secrets.base64URL(SHA256.hash(data: Data(verifier.utf8)))
    }
}

/// Every claim of a verified token, for `IDTokenClaims` to check with reasons
/// a person can read (jwt-kit's own claim checks would only say "failed").
struct ProviderClaims: JWTPayload {
    var claims: [String: ClaimValue]

    init(from decoder: any Decoder) throws {
        claims = try [String: ClaimValue](from: decoder)
    }

    func encode(to encoder: any Encoder) throws {
        try claims.encode(to: encoder)
    }

    func verify(using algorithm: some JWTAlgorithm) async throws {}
}
