import FluentKit
import SQLKit

/// A number per incident that goes up whenever one of its timeline entries
/// is added, changed, removed or put back, kept by the database itself
/// (triggers), so that every writer counts — a person, the API, a PagerDuty
/// delivery, an import, a redaction — and so that two `lore serve`
/// processes on one database agree on it. An incident page reads it and
/// reuses what it built from the timeline at that number (`TimelineSnapshot`)
/// instead of reading and rendering hundreds of entries on every view.
///
/// A table of its own rather than a column of `incidents`: it is derived,
/// like the search index, so an organisation's archive does not carry it
/// (a target's own triggers would count differently). An incident without
/// a row is at revision 0.
///
/// A bump moves the revision to the current time in milliseconds, or one
/// past it when that is not later: numbers never come round again, even
/// after a restore puts back an older database under running servers.
///
/// On PostgreSQL the triggers fire once per statement (a 400-row insert of
/// an import bumps once), and a streamed import defers its bump to its end
/// (`postgresDeferral`), so that its long transaction does not hold the
/// revision's row lock against every other writer of the incident; on
/// SQLite once per row, except in a large import, which takes its trigger
/// away and bumps once at its commit (`SQLiteTimelineImport`).
struct CreateTimelineRevisions: AsyncMigration {
    var name: String { "023_timeline_revisions" }

    /// Bumps the revision of the incident whose id `incident` gives (`NEW.incident_id`, a quoted id).
    static func sqliteBump(incident: String) -> String {
        let now = "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)"
        return "INSERT INTO timeline_revisions (incident_id, revision) VALUES (\(incident), \(now)) ON CONFLICT (incident_id) DO UPDATE SET revision = max(revision + 1, \(now))"
    }

    /// The PostgreSQL bump for the incidents that `source` (a table with `incident_id`) names;
    /// in the ids' order, so that two writers never wait for each other's rows crosswise.
    static func postgresBump(_ source: String) -> String {
        "INSERT INTO timeline_revisions (incident_id, revision) SELECT incident_id, (extract(epoch FROM clock_timestamp()) * 1000)::bigint FROM (SELECT DISTINCT incident_id FROM "
            + source + ") AS changed ORDER BY incident_id ON CONFLICT (incident_id) DO UPDATE SET revision = GREATEST(timeline_revisions.revision + 1, EXCLUDED.revision)"
    }

    /// Set for its transaction by a PostgreSQL streamed import, which bumps once at its end.
    static let postgresDeferral = "lore.defer_timeline_revision"

    /// The insert trigger, which a large SQLite import takes away and puts back.
    static let sqliteInsertTrigger = "CREATE TRIGGER timeline_revision_insert AFTER INSERT ON timeline_entries BEGIN \(sqliteBump(incident: "NEW.incident_id")); END"

    func prepare(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        if sql.dialect.name == "postgresql" {
            try await LoreSQL.run(db, [
                "CREATE TABLE timeline_revisions (incident_id UUID PRIMARY KEY, revision BIGINT NOT NULL)",
                """
                CREATE FUNCTION timeline_revision_bump() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF current_setting('\(Self.postgresDeferral)', true) = 'on' THEN RETURN NULL; END IF;
                    \(Self.postgresBump("changed_entries"));
                    RETURN NULL;
                END $$
                """,
                // A trigger with a transition table names one event.
                "CREATE TRIGGER timeline_revision_insert AFTER INSERT ON timeline_entries REFERENCING NEW TABLE AS changed_entries FOR EACH STATEMENT EXECUTE FUNCTION timeline_revision_bump()",
                "CREATE TRIGGER timeline_revision_update AFTER UPDATE ON timeline_entries REFERENCING NEW TABLE AS changed_entries FOR EACH STATEMENT EXECUTE FUNCTION timeline_revision_bump()",
                "CREATE TRIGGER timeline_revision_delete AFTER DELETE ON timeline_entries REFERENCING OLD TABLE AS changed_entries FOR EACH STATEMENT EXECUTE FUNCTION timeline_revision_bump()",
            ])
        } else {
            try await LoreSQL.run(db, [
                // Declared as `timeline_entries.incident_id` is, so the two compare alike.
                "CREATE TABLE timeline_revisions (incident_id UUID PRIMARY KEY NOT NULL, revision INTEGER NOT NULL)",
                Self.sqliteInsertTrigger,
                "CREATE TRIGGER timeline_revision_update AFTER UPDATE ON timeline_entries BEGIN \(Self.sqliteBump(incident: "NEW.incident_id")); END",
                "CREATE TRIGGER timeline_revision_delete AFTER DELETE ON timeline_entries BEGIN \(Self.sqliteBump(incident: "OLD.incident_id")); END",
            ])
        }
    }

    func revert(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        if sql.dialect.name == "postgresql" {
            try await LoreSQL.run(db, [
                "DROP TRIGGER timeline_revision_insert ON timeline_entries", "DROP TRIGGER timeline_revision_update ON timeline_entries",
                "DROP TRIGGER timeline_revision_delete ON timeline_entries", "DROP FUNCTION timeline_revision_bump()", "DROP TABLE timeline_revisions",
            ])
        } else {
            try await LoreSQL.run(db, [
                "DROP TRIGGER timeline_revision_insert", "DROP TRIGGER timeline_revision_update", "DROP TRIGGER timeline_revision_delete",
                "DROP TABLE timeline_revisions",
            ])
        }
    }
}
