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
}
