import FluentKit
import Foundation
import LoreCore
import NIOConcurrencyHelpers

extension LoreStore {
    /// The organisation's settings; the defaults until an admin saves some.
    /// Read at most once every `SettingsCache.freshFor` per process: every
    /// visibility check and page asks, and they change a few times a year.
    public func settings() async throws -> OrganisationSettings {
        if let known = settingsCache.fresh() { return known }
        let s = try await readSettings()
        settingsCache.remember(s)
        return s
    }

    func readSettings() async throws -> OrganisationSettings {
        guard let row = try await SettingsRow.query(on: db).first() else { return .default }
        var s = OrganisationSettings(
            organisationName: row.organisationName, practiceName: row.practiceName,
            reviewWindowHours: row.reviewWindowHours, severities: row.severities,
            detectionSources: row.detectionSources
        )
        if let tags = row.factorTags { s.factorTags = tags }
        if let json = row.reviewPractice, let practice = try? JSONDecoder().decode(ReviewPracticeSettings.self, from: Data(json.utf8)) {
            s.practice = practice
        }
        return s
    }

    /// Validates and saves the settings.
    @discardableResult
    public func saveSettings(_ proposed: OrganisationSettings, by actor: AuditActor = .commandLine) async throws -> OrganisationSettings {
        let s = try proposed.validated()
        let before = try await readSettings()
        try await transaction { store in
            if before != s {
                try await store.recordAudit(actor.event(.settingsChanged, subjectType: "settings", detail: OrganisationSettings.describeChanges(from: before, to: s)))
            }
            let row = try await SettingsRow.query(on: store.db).first() ?? SettingsRow()
            row.organisationName = s.organisationName
            row.practiceName = s.practiceName
            row.reviewWindowHours = s.reviewWindowHours
            row.severities = s.severities
            row.detectionSources = s.detectionSources
            row.reviewPractice = String(decoding: try JSONEncoder().encode(s.practice), as: UTF8.self)
            row.factorTags = s.factorTags
            try await row.save(on: store.db)
        }
        settingsCache.forget()
        return s
    }
}

/// The settings as last read, shared by every store over one database. A
/// save in this process forgets them at once; another process's save is
/// seen within `freshFor`.
final class SettingsCache: Sendable {
    static let freshFor: TimeInterval = 2
    private let known = NIOLockedValueBox<(settings: OrganisationSettings, at: Date)?>(nil)

    func fresh(now: Date = Date()) -> OrganisationSettings? {
        known.withLockedValue { k in k.flatMap { now.timeIntervalSince($0.at) < Self.freshFor ? $0.settings : nil } }
    }

    func remember(_ s: OrganisationSettings, now: Date = Date()) { known.withLockedValue { $0 = (s, now) } }
    func forget() { known.withLockedValue { $0 = nil } }
}

/// How many times this process changed who Lore knows (accounts created or
/// renamed), so that what is built from the people (the language checker's
/// names) is rebuilt at once after a change here, and within a few seconds
/// after one in another process.
final class PeopleChanges: Sendable {
    private let count = NIOLockedValueBox(0)
    var value: Int { count.withLockedValue { $0 } }
    func bump() { count.withLockedValue { $0 += 1 } }
}
