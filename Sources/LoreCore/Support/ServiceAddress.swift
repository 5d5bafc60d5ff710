import Foundation

/// The rule for addresses Lore sends secrets to (an OpenID provider, an
/// issue tracker): https, or http only to this machine, where a provider or
/// tracker runs for a test and nothing crosses a network.
public enum ServiceAddress {
    /// Whether `url` has a host and is https, or http to this machine.
    public static func isAllowed(_ url: URLComponents) -> Bool {
        guard let scheme = url.scheme?.lowercased(), let host = url.host?.lowercased(), !host.isEmpty else { return false }
        return scheme == "https" || (scheme == "http" && ["127.0.0.1", "localhost", "::1", "[::1]"].contains(host))
    }
}
