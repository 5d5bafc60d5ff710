import FluentKit
import Foundation
import LoreCore

extension LoreStore {
    /// The organisation's settings; the defaults until an admin saves some.
    public func settings() async throws -> OrganisationSettings {
        guard let row = try await SettingsRow.query(on: db).first() else { return .default }
        return OrganisationSettings(
            organisationName: row.organisationName, practiceName: row.practiceName,
            reviewWindowHours: row.reviewWindowHours, severities: row.severities,
            detectionSources: row.detectionSources
        )
    }

    /// Validates and saves the settings.
    @discardableResult
    public func saveSettings(_ proposed: OrganisationSettings) async throws -> OrganisationSettings {
        let s = try proposed.validated()
        try await transaction { store in
            let row = try await SettingsRow.query(on: store.db).first() ?? SettingsRow()
            row.organisationName = s.organisationName
            row.practiceName = s.practiceName
            row.reviewWindowHours = s.reviewWindowHours
            row.severities = s.severities
            row.detectionSources = s.detectionSources
            try await row.save(on: store.db)
        }
        return s
    }
}
