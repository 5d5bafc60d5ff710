import Crypto
import Foundation

/// Random secrets and their stored form. Lore stores only SHA-256 digests of
/// session ids, API tokens and sign-in links, so a copy of the database does
/// not let anyone sign in. (Passwords use bcrypt, which is slow on purpose;
/// these secrets are long and random, so a fast digest is enough.)
public enum Secrets {
    /// 32 random bytes, URL-safe base64 without padding, with a prefix that
    /// makes a leaked token recognisable (`lore_…`).
    public static func generate(prefix: String = "") -> String {
        var rng = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &rng) }
        return prefix + base64URL(bytes)
    }

    /// URL-safe base64 without padding (RFC 4648 §5), as tokens and JWTs write bytes.
    public static func base64URL(_ bytes: some Sequence<UInt8>) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The stored form of a secret: SHA-256, lowercase hex. Every signed-in
    /// request computes one, so the hex is written directly (`String(format:)`
    /// per byte was most of its cost).
    public static func digest(_ secret: String) -> String {
        hex(SHA256.hash(data: Data(secret.utf8)))
    }

    /// Lowercase hex of bytes.
    public static func hex(_ bytes: some Sequence<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for b in bytes {
            out.append(hexDigits[Int(b >> 4)])
            out.append(hexDigits[Int(b & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// HMAC-SHA256 of `message` under `key`, hex. Binds a value the client
    /// holds (the sign-in form's cookie) to a secret only the servers know.
    public static func sign(_ message: String, key: String) -> String {
        hex(HMAC<SHA256>.authenticationCode(for: Data(message.utf8), using: SymmetricKey(data: Data(key.utf8))))
    }

    /// Comparison whose time does not depend on where the strings differ.
    public static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<x.count { diff |= x[i] ^ y[i] }
        return diff == 0
    }
}
