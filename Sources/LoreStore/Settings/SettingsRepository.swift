import FluentKit
import Foundation
import LoreCore

extension LoreStore {
    /// The organisation's settings; the defaults until an admin saves some.
    public func settings() async throws -> OrganisationSettings {
        guard let row = try await SettingsRow.query(on: db).first() else { return .default }
        var s = OrganisationSettings(
            organisationName: row.organisationName, practiceName: row.practiceName,
            reviewWindowHours: row.reviewWindowHours, severities: row.severities,
            detectionSources: row.detectionSources
        )
        if let json = row.reviewPractice, let practice = try? JSONDecoder().decode(ReviewPracticeSettings.self, from: Data(json.utf8)) {
            s.practice = practice
        }
        return s
    }

    /// Validates and saves the settings.
    @discardableResult
    public func saveSettings(_ proposed: OrganisationSettings, by actor: AuditActor = .commandLine) async throws -> OrganisationSettings {
        let s = try proposed.validated()
        let before = try await settings()
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
            try await row.save(on: store.db)
        }
        return s
    }
}
