import Foundation

/// How quickly wrong passwords slow sign-in down, per account and per
/// client address.
///
/// The aim is to make guessing slow without letting an attacker lock a
/// person out: a few mistakes cost nothing, then each further failure
/// doubles the wait before the next attempt, up to a ceiling, and failures
/// are forgotten after the window. An account's ceiling is short (a minute),
/// so someone hammering another person's account only slows them down; an
/// address's ceiling is long, since one address guessing at many accounts is
/// the attack itself.
public struct SignInThrottle: Sendable {
    public struct Policy: Sendable, Equatable {
        /// Failures within the window that cost nothing.
        public var freeFailures: Int
        /// How long a failure is remembered.
        public var window: TimeInterval
        /// The wait after the first failure beyond the free ones; it doubles
        /// with each further failure.
        public var firstDelay: TimeInterval
        /// The longest wait ever asked for.
        public var maxDelay: TimeInterval

        public init(freeFailures: Int, window: TimeInterval, firstDelay: TimeInterval = 1, maxDelay: TimeInterval) {
            self.freeFailures = freeFailures
            self.window = window
            self.firstDelay = firstDelay
            self.maxDelay = maxDelay
        }

        /// The wait after `failures` failures in the window (0 while free).
        public func delay(afterFailures failures: Int) -> TimeInterval {
            guard failures > freeFailures else { return 0 }
            return min(maxDelay, firstDelay * pow(2, Double(min(failures - freeFailures - 1, 30))))
        }
    }

    public static let perAccount = Policy(freeFailures: 5, window: 15 * 60, maxDelay: 60)
    public static let perAddress = Policy(freeFailures: 20, window: 15 * 60, maxDelay: 15 * 60)

    public var accountPolicy: Policy
    public var addressPolicy: Policy
    /// Keys remembered at most; beyond this the oldest are forgotten, so a
    /// flood of made-up addresses cannot grow memory without bound.
    public static let maxKeys = 50_000

    struct Record: Sendable {
        var failures: [Date]
        var last: Date
    }

    var accounts: [String: Record] = [:]
    var addresses: [String: Record] = [:]

    public init(accountPolicy: Policy = SignInThrottle.perAccount, addressPolicy: Policy = SignInThrottle.perAddress) {
        self.accountPolicy = accountPolicy
        self.addressPolicy = addressPolicy
    }

    /// Seconds to wait before this attempt may be checked, or nil when it may
    /// go ahead now.
    public func retryAfter(account: String, address: String, now: Date) -> TimeInterval? {
        let waits = [
            Self.wait(accounts[Self.normalise(account)], policy: accountPolicy, now: now),
            Self.wait(addresses[address], policy: addressPolicy, now: now),
        ]
        let longest = waits.max() ?? 0
        return longest > 0 ? longest : nil
    }

    public mutating func recordFailure(account: String, address: String, at now: Date) {
        Self.add(now, to: &accounts, key: Self.normalise(account), policy: accountPolicy)
        Self.add(now, to: &addresses, key: address, policy: addressPolicy)
    }

    /// A right password clears the account's failures (the person is back);
    /// the address keeps its own, so one good account does not reset
    /// guessing at others from the same place.
    public mutating func recordSuccess(account: String) {
        accounts[Self.normalise(account)] = nil
    }

    static func normalise(_ account: String) -> String { account.trimmingCharacters(in: .whitespaces).lowercased() }

    static func wait(_ record: Record?, policy: Policy, now: Date) -> TimeInterval {
        guard let record else { return 0 }
        let recent = record.failures.filter { now.timeIntervalSince($0) < policy.window }.count
        let until = record.last.addingTimeInterval(policy.delay(afterFailures: recent))
        return max(0, until.timeIntervalSince(now))
    }

    static func add(_ now: Date, to table: inout [String: Record], key: String, policy: Policy) {
        var r = table[key] ?? Record(failures: [], last: now)
        r.failures = r.failures.filter { now.timeIntervalSince($0) < policy.window }
        r.failures.append(now)
        // Enough to reach the ceiling; older ones change nothing.
        if r.failures.count > policy.freeFailures + 40 { r.failures.removeFirst(r.failures.count - policy.freeFailures - 40) }
        r.last = now
        table[key] = r
        if table.count > maxKeys {
            let stale = table.filter { now.timeIntervalSince($0.value.last) >= policy.window }.map(\.key)
            for k in stale { table[k] = nil }
            if table.count > maxKeys {
                for (k, _) in table.sorted(by: { $0.value.last < $1.value.last }).prefix(table.count - maxKeys) { table[k] = nil }
            }
        }
    }
}
