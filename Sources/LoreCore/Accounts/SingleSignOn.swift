import Foundation

/// How people sign in through the company's identity provider (OpenID
/// Connect): which provider, which client Lore is there, which claims say
/// who someone is and whether they are an admin, and whether passwords still
/// work.
///
/// Companies will not hand out another password per person; but an admin
/// must still get in the day the provider is down, so password sign-in can be
/// turned off for everyone except one break-glass admin.
public struct SingleSignOnSettings: Equatable, Sendable, Codable {
    public var enabled = false
    /// The provider's issuer URL, exactly as its ID tokens name it.
    public var issuer = ""
    public var clientID = ""
    public var scopes: [String] = ["openid", "email", "profile"]
    /// The claim that carries the person's email address.
    public var emailClaim = "email"
    /// An optional claim (a group list or a role) whose values make an admin.
    public var adminClaim = ""
    public var adminValues: [String] = []
    /// Addresses must be at one of these domains; `*` stands for any domain
    /// and must be written out, since a provider where anyone can register
    /// (a public one, or self-service sign-up) would otherwise let anyone in.
    public var allowedDomains: [String] = []
    /// A first sign-in by someone without an account creates one (a member);
    /// otherwise an admin must add the person first.
    public var createAccounts = true
    /// The provider vouches for every address it sends: it never sends
    /// `email_verified` (some directory services), or the address comes from
    /// another claim (`upn`, `preferred_username`), which `email_verified`
    /// says nothing about. Otherwise an unverified address is refused, since
    /// anyone can type any address into a self-service account.
    public var trustEmailsWithoutVerifiedClaim = false
    /// Password sign-in for everyone, or only for `breakGlassEmail`.
    public var passwordsForEveryone = true
    public var breakGlassEmail = ""

    public init() {}

    /// Every field may be missing (a value saved by an older Lore, or one
    /// added later): missing fields keep their defaults rather than the
    /// whole value falling back to "switched off, passwords for everyone".
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled) ?? enabled
        issuer = try c.decodeIfPresent(String.self, forKey: .issuer) ?? issuer
        clientID = try c.decodeIfPresent(String.self, forKey: .clientID) ?? clientID
        scopes = try c.decodeIfPresent([String].self, forKey: .scopes) ?? scopes
        emailClaim = try c.decodeIfPresent(String.self, forKey: .emailClaim) ?? emailClaim
        adminClaim = try c.decodeIfPresent(String.self, forKey: .adminClaim) ?? adminClaim
        adminValues = try c.decodeIfPresent([String].self, forKey: .adminValues) ?? adminValues
        allowedDomains = try c.decodeIfPresent([String].self, forKey: .allowedDomains) ?? allowedDomains
        createAccounts = try c.decodeIfPresent(Bool.self, forKey: .createAccounts) ?? createAccounts
        trustEmailsWithoutVerifiedClaim = try c.decodeIfPresent(Bool.self, forKey: .trustEmailsWithoutVerifiedClaim) ?? trustEmailsWithoutVerifiedClaim
        passwordsForEveryone = try c.decodeIfPresent(Bool.self, forKey: .passwordsForEveryone) ?? passwordsForEveryone
        breakGlassEmail = try c.decodeIfPresent(String.self, forKey: .breakGlassEmail) ?? breakGlassEmail
    }

    /// May this address sign in with a password under these settings?
    public func allowsPassword(for email: String) -> Bool {
        !enabled || passwordsForEveryone || isBreakGlass(email)
    }

    /// The break-glass admin signs in with a password only: the provider's
    /// word does not open or change that account.
    public func isBreakGlass(_ email: String) -> Bool {
        !passwordsForEveryone && !breakGlassEmail.isEmpty && email.lowercased().trimmingCharacters(in: .whitespaces) == breakGlassEmail.lowercased()
    }

    /// Checks a proposed value; all problems at once. `breakGlassIsAdmin`
    /// says whether the named break-glass address is an admin's account.
    public func validated(breakGlassIsAdmin: (String) -> Bool) throws(ValidationError) -> SingleSignOnSettings {
        var v = Validator()
        var copy = self
        copy.issuer = issuer.trimmingCharacters(in: .whitespaces)
        copy.clientID = clientID.trimmingCharacters(in: .whitespaces)
        copy.scopes = Self.words(scopes)
        if !copy.scopes.contains("openid") { copy.scopes.insert("openid", at: 0) }
        copy.emailClaim = emailClaim.trimmingCharacters(in: .whitespaces)
        if copy.emailClaim.isEmpty { copy.emailClaim = "email" }
        copy.adminClaim = adminClaim.trimmingCharacters(in: .whitespaces)
        copy.adminValues = adminValues.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        copy.allowedDomains = Self.words(allowedDomains).map { $0.lowercased().hasPrefix("@") ? String($0.lowercased().dropFirst()) : $0.lowercased() }
        copy.breakGlassEmail = breakGlassEmail.trimmingCharacters(in: .whitespaces).lowercased()
        if enabled || !copy.issuer.isEmpty {
            if let problem = Self.issuerProblem(copy.issuer) { v.add("issuer", "invalid", problem) }
        }
        if enabled && copy.clientID.isEmpty { v.add("clientID", "required", "The client id the provider gave Lore is required.") }
        if copy.clientID.count > 500 { v.add("clientID", "too_long", "The client id must be at most 500 characters.") }
        if !copy.adminClaim.isEmpty && copy.adminValues.isEmpty {
            v.add("adminValues", "required", "Name the values of \(copy.adminClaim) that make someone an admin, or leave the admin claim empty.")
        }
        for domain in copy.allowedDomains where domain != "*" && (!domain.contains(".") || domain.contains("@") || domain.contains(where: \.isWhitespace)) {
            v.add("allowedDomains", "invalid", "\"\(domain)\" is not a domain such as example.com (or * for any domain).")
        }
        if copy.enabled && copy.createAccounts && copy.allowedDomains.isEmpty {
            v.add("allowedDomains", "required", "Name the email domains whose people may get an account at their first sign-in (or * for anyone the provider knows), or switch account creation off.")
        }
        if !copy.passwordsForEveryone {
            if copy.breakGlassEmail.isEmpty {
                v.add("breakGlassEmail", "required", "Name the admin who may still sign in with a password when the provider is down.")
            } else if !breakGlassIsAdmin(copy.breakGlassEmail) {
                v.add("breakGlassEmail", "not_admin", "\(copy.breakGlassEmail) is not an admin's account; the break-glass account must be an admin with a password.")
            }
        }
        try v.check()
        return copy
    }

    /// HTTPS, or HTTP to this machine (a provider run for a test).
    static func issuerProblem(_ issuer: String) -> String? {
        guard let url = URLComponents(string: issuer), url.scheme != nil, let host = url.host, !host.isEmpty,
              url.query == nil, url.fragment == nil else {
            return "The issuer must be a URL such as https://login.example.com; got \"\(issuer)\"."
        }
        if ServiceAddress.isAllowed(url) { return nil }
        return "The issuer must use https (http only for a provider on this machine); got \"\(issuer)\"."
    }

    private static func words(_ list: [String]) -> [String] {
        var seen = Set<String>()
        return list.flatMap { $0.split(whereSeparator: { $0 == "," || $0.isWhitespace }) }.map(String.init).filter { seen.insert($0).inserted }
    }
}

/// A claim's value in an ID token, as JSON has it.
public enum ClaimValue: Equatable, Sendable, Codable {
    case string(String)
    case number(Double)
    case bool(Bool)
    case list([ClaimValue])
    case other

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let n = try? c.decode(Double.self) { self = .number(n) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let l = try? c.decode([ClaimValue].self) { self = .list(l) }
        else { self = .other }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .string(let s): try c.encode(s)
        case .number(let n): try c.encode(n)
        case .bool(let b): try c.encode(b)
        case .list(let l): try c.encode(l)
        case .other: try c.encodeNil()
        }
    }

    var string: String? { if case .string(let s) = self { s } else { nil } }
    var number: Double? { if case .number(let n) = self { n } else { nil } }
    /// Strings, and the strings of a list (`groups: ["a", "b"]` or `role: "a"`).
    var strings: [String] {
        switch self {
        case .string(let s): [s]
        case .list(let l): l.compactMap(\.string)
        default: []
        }
    }
}

/// Why a sign-in through the provider was refused: the words the person is
/// shown, and the reason the admin finds in the log.
public enum SingleSignOnRefusal: Error, Equatable, Sendable {
    case notConfigured
    /// The provider answered with an error (the person cancelled, or the
    /// provider refused Lore's request).
    case providerError(code: String, description: String)
    /// The callback's `state` is missing, unknown or expired: an old tab,
    /// a second callback, or a forged link.
    case staleRequest
    case providerUnreachable(String)
    case tokenExchangeFailed(String)
    case badSignature(String)
    case unknownKey(String)
    case wrongIssuer(String)
    case wrongAudience([String])
    case expired(Date)
    case issuedInFuture(Date)
    case nonceMismatch
    case noEmail(claim: String)
    case unverifiedEmail(String)
    case domainNotAllowed(String)
    case noAccount(String)
    case noSubject
    /// An admin's account is linked to the provider only by its owner,
    /// signed in: an address alone is not enough to hand over an admin.
    case linkRequired(String)
    /// The address belongs to an account linked to someone else at the
    /// provider (an address given to a new person, say).
    case linkedToAnotherPerson(String)
    case breakGlassAccount(String)
    /// Too many failed sign-ins from this address.
    case throttled(Int)
    /// Something Lore could not do (saving the account); the log says what.
    case failed(String)

    /// For the person, in words: what happened and what to do.
    public var message: String {
        switch self {
        case .notConfigured: "Single sign-on is not set up. Sign in with your password, or ask an admin."
        case .providerError(let code, let d):
            code == "access_denied" ? "Sign-in was cancelled at the identity provider." : "The identity provider refused the sign-in (\(code)\(d.isEmpty ? "" : ": \(d)"))."
        case .staleRequest: "This sign-in was started too long ago or in another window. Start again."
        case .providerUnreachable: "Lore could not reach the identity provider. Try again in a moment; if it keeps failing, tell an admin."
        case .tokenExchangeFailed: "The identity provider did not confirm the sign-in. Start again; if it keeps failing, tell an admin."
        case .badSignature, .unknownKey: "The identity provider's answer could not be verified, so it was not trusted. Tell an admin."
        case .wrongIssuer: "The answer came from a different identity provider than the one Lore is set up for. Tell an admin."
        case .wrongAudience: "The identity provider's answer was meant for another application, not Lore. Tell an admin."
        case .expired: "The identity provider's answer had expired before it reached Lore. Start again (and check this computer's clock)."
        case .issuedInFuture: "The identity provider's answer is dated in the future; a clock is wrong. Tell an admin."
        case .nonceMismatch: "The identity provider's answer does not belong to this sign-in. Start again."
        case .noEmail: "The identity provider did not say which email address you use, so Lore cannot tell whose account this is. Tell an admin."
        case .unverifiedEmail(let e): "Your identity provider has not verified the address \(e). Verify it there, then sign in again."
        case .domainNotAllowed(let e): "\(e) is not at a domain allowed to use this Lore. Sign in with your work account."
        case .noAccount(let e): "There is no Lore account for \(e), and new accounts are added by an admin. Ask an admin to add you."
        case .noSubject: "The identity provider did not say who you are (no subject). Tell an admin."
        case .linkRequired(let e): "The account for \(e) is an admin's, and it is not linked to your company account yet. Sign in with its password (or a one-time sign-in link from another admin) and choose “Link your company account” on your account page; after that, single sign-on opens it."
        case .linkedToAnotherPerson(let e): "The account for \(e) is already linked to someone else at the identity provider. Ask an admin."
        case .breakGlassAccount(let e): "\(e) is the break-glass account: it signs in with its password only."
        case .throttled(let s): "Too many failed sign-ins from here. Wait \(s) second\(s == 1 ? "" : "s") and try again."
        case .failed: "Lore could not finish signing you in. Try again; if it keeps failing, tell an admin (quote the request id below)."
        }
    }

    /// For the admin's log: a short reason with the detail that explains it.
    public var logReason: String {
        switch self {
        case .notConfigured: "not configured"
        case .providerError(let code, let d): "provider error \(code) \(d)"
        case .staleRequest: "state missing, unknown or expired"
        case .providerUnreachable(let d): "provider unreachable: \(d)"
        case .tokenExchangeFailed(let d): "token exchange failed: \(d)"
        case .badSignature(let d): "ID token signature not valid: \(d)"
        case .unknownKey(let kid): "ID token signed with key \(kid), not in the provider's key set even after fetching it again"
        case .wrongIssuer(let iss): "wrong issuer: \(iss)"
        case .wrongAudience(let aud): "wrong audience: \(aud.joined(separator: ", ")) (expected the client id)"
        case .expired(let d): "expired token: exp \(d.formatted(.iso8601))"
        case .issuedInFuture(let d): "token issued in the future: iat \(d.formatted(.iso8601))"
        case .nonceMismatch: "nonce does not match"
        case .noEmail(let claim): "no email in claim \(claim)"
        case .unverifiedEmail(let e): "unverified email \(e)"
        case .domainNotAllowed(let e): "domain not allowed: \(e)"
        case .noAccount(let e): "no account for \(e) and account creation is off"
        case .noSubject: "ID token has no sub"
        case .linkRequired(let e): "\(e) is an admin's account not yet linked to the provider; refused to link it by address alone"
        case .linkedToAnotherPerson(let e): "\(e) is linked to another subject at this issuer"
        case .breakGlassAccount(let e): "\(e) is the break-glass account (password only)"
        case .throttled(let s): "throttled for \(s) s"
        case .failed(let d): "could not finish: \(d)"
        }
    }
}

/// Who the provider says signed in, once every check has passed.
public struct SignOnIdentity: Equatable, Sendable {
    /// With `subject`, who the person is at the provider (OpenID Connect
    /// Core §5.7): the only pair that stays theirs when an address moves on.
    public var issuer: String
    public var subject: String
    public var email: String
    public var name: String?
    /// The admin claim names an admin value (nil when no admin claim is set:
    /// roles are then managed in Lore).
    public var isAdmin: Bool?
}

/// The checks an ID token's claims must pass (OpenID Connect Core §3.1.3.7),
/// after its signature has been verified against the provider's keys.
public enum IDTokenClaims {
    /// Clocks of a provider and a server drift; a minute either way is allowed.
    public static let allowedSkew: TimeInterval = 60

    public static func identity(
        _ claims: [String: ClaimValue], settings: SingleSignOnSettings, nonce: String, now: Date
    ) throws(SingleSignOnRefusal) -> SignOnIdentity {
        // Exactly the issuer configured, as the spec requires (§3.1.3.7).
        let iss = claims["iss"]?.string ?? ""
        guard iss == settings.issuer else { throw .wrongIssuer(iss) }
        let audiences = claims["aud"]?.strings ?? []
        guard audiences.contains(settings.clientID) else { throw .wrongAudience(audiences) }
        // An authorised party, when named, must be Lore; with several
        // audiences it must be named.
        let azp = claims["azp"]?.string
        if let azp, azp != settings.clientID { throw .wrongAudience(audiences) }
        if audiences.count > 1, azp == nil { throw .wrongAudience(audiences) }
        guard let exp = claims["exp"]?.number else { throw .expired(Date(timeIntervalSince1970: 0)) }
        let expires = Date(timeIntervalSince1970: exp)
        if expires.addingTimeInterval(allowedSkew) <= now { throw .expired(expires) }
        guard let iat = claims["iat"]?.number else { throw .issuedInFuture(Date(timeIntervalSince1970: 0)) }
        if Date(timeIntervalSince1970: iat) > now.addingTimeInterval(allowedSkew) { throw .issuedInFuture(Date(timeIntervalSince1970: iat)) }
        if let nbf = claims["nbf"]?.number, Date(timeIntervalSince1970: nbf) > now.addingTimeInterval(allowedSkew) {
            throw .issuedInFuture(Date(timeIntervalSince1970: nbf))
        }
        guard let sent = claims["nonce"]?.string, !nonce.isEmpty, sent == nonce else { throw .nonceMismatch }
        guard let subject = claims["sub"]?.string, !subject.isEmpty, subject.count <= 255 else { throw .noSubject }
        // ASCII addresses only: Unicode case mapping and equivalence differ
        // between Swift and the database, and two spellings of one address
        // must not reach two accounts (or one account two ways).
        guard let raw = claims[settings.emailClaim]?.strings.first?.trimmingCharacters(in: .whitespaces), raw.count <= Limits.email,
              raw.unicodeScalars.allSatisfy(\.isASCII), UserInput.looksLikeEmail(raw) else {
            throw .noEmail(claim: settings.emailClaim)
        }
        let email = raw.lowercased()
        // `email_verified` speaks for the `email` claim only.
        let verified: Bool = switch (settings.emailClaim == "email" ? claims["email_verified"] : nil) {
        case .bool(true), .string("true"): true
        default: settings.trustEmailsWithoutVerifiedClaim && (settings.emailClaim != "email" || claims["email_verified"] == nil)
        }
        guard verified else { throw .unverifiedEmail(email) }
        if !settings.allowedDomains.contains("*") {
            let domain = String(email.split(separator: "@").last ?? "")
            guard settings.allowedDomains.contains(domain) else { throw .domainNotAllowed(email) }
        }
        let isAdmin: Bool? = settings.adminClaim.isEmpty ? nil
            : !Set(claims[settings.adminClaim]?.strings ?? []).isDisjoint(with: settings.adminValues)
        let name = claims["name"]?.string ?? [claims["given_name"]?.string, claims["family_name"]?.string].compactMap { $0 }.joined(separator: " ")
        return SignOnIdentity(issuer: iss, subject: subject, email: email, name: name.isEmpty ? nil : name, isAdmin: isAdmin)
    }
}

