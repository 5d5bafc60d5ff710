import Foundation
import LoreCore

/// Holds the sign-in throttle (`SignInThrottle`, the rule) for this process
/// and how many password checks are running. A password check is a quarter
/// of a second of bcrypt on a thread of its own; beyond a handful waiting,
/// further attempts are told to come back rather than queued without end.
///
/// Kept in memory per process: with several servers on one PostgreSQL
/// database each slows guessing on its own, so an attacker spread over all
/// of them gets at most that many times the rate.
actor SignInGuard {
    enum Admission: Equatable {
        case proceed
        /// Too many recent failures for this account or address.
        case throttled(retryAfter: Int)
        /// Too many password checks already waiting.
        case busy
    }

    static let maxWaiting = 8
    private var throttle: SignInThrottle
    private var waiting = 0

    init(throttle: SignInThrottle) { self.throttle = throttle }

    func admit(account: String, address: String, now: Date = Date()) -> Admission {
        if let wait = throttle.retryAfter(account: account, address: address, now: now) {
            return .throttled(retryAfter: max(1, Int(wait.rounded(.up))))
        }
        guard waiting < Self.maxWaiting else { return .busy }
        waiting += 1
        return .proceed
    }

    func finish(account: String, address: String, succeeded: Bool, now: Date = Date()) {
        waiting -= 1
        if succeeded { throttle.recordSuccess(account: account) } else { throttle.recordFailure(account: account, address: address, at: now) }
    }

    // MARK: Single sign-on

    /// Sign-ins through the identity provider are throttled by the client's
    /// address like passwords (each failure costs Lore a call to the
    /// provider), but are not password checks waiting for bcrypt.
    func signOnRetryAfter(address: String, now: Date = Date()) -> Int? {
        signOnThrottle.retryAfter(account: address, address: address, now: now).map { max(1, Int($0.rounded(.up))) }
    }

    func recordSignOn(address: String, succeeded: Bool, now: Date = Date()) {
        if succeeded { signOnThrottle.recordSuccess(account: address) } else { signOnThrottle.recordFailure(account: address, address: address, at: now) }
    }

    /// By address only, with the address rule's allowance: there is no
    /// account to protect, only the calls to the provider.
    private var signOnThrottle = SignInThrottle(accountPolicy: SignInThrottle.perAddress, addressPolicy: SignInThrottle.perAddress)

    /// The `state` of each sign-in that came back, until it would have
    /// expired anyway: a callback replayed with the same state is refused.
    private var usedStates: [String: Date] = [:]

    /// True the first time a state is seen.
    func claim(state: String, until expires: Date, now: Date = Date()) -> Bool {
        usedStates = usedStates.filter { $0.value > now }
        guard usedStates[state] == nil else { return false }
        usedStates[state] = expires
        return true
    }
}
