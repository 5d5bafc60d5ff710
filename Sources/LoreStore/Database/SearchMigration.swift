import FluentKit
import SQLKit

/// The search index: one row per searchable thing (an incident, a timeline
/// entry, a review, a finding, a follow-up) in `search_documents`, kept by
/// database triggers on the tables it indexes. Triggers, not application
/// code, so that every write — the API, imports, the demo loader, a future
/// path nobody remembered — updates the index in the same transaction as
/// the data, and a rolled-back import leaves no trace in it.
///
/// SQLite: an FTS5 index over `search_documents` (external content, kept by
/// its own triggers), ranked by BM25. PostgreSQL: a weighted `tsvector`
/// column generated from the row, with a GIN index, ranked by
/// `ts_rank_cd`. Both use no stemming and no stop words (`unicode61`,
/// `simple`): engineers search for `ECONNRESET`, `edge-03` and `503`, and a
/// stemmer helps prose but mangles those.
struct CreateSearchIndex: AsyncMigration {
    var name: String { "008_search_index" }

    /// What each indexed table contributes: kind, title, body, and the
    /// review whose visibility governs it (nil: open to every signed-in
    /// person, as incidents and their timelines are).
    struct Source {
        var table: String
        var kind: String
        var columns: [String]
        var incidentID: String
        var reviewID: String
        var title: String
        var body: String
        /// A row that is not (or no longer) searchable, e.g. a removed timeline entry.
        var skip: String?
    }

    static func sources(postgres: Bool) -> [Source] {
        // Labels are a JSON array on SQLite and a text[] on PostgreSQL; the
        // tokenizers drop the brackets and quotes either way.
        let labels = postgres ? "array_to_string(NEW.labels, ' ')" : "NEW.labels"
        func joined(_ parts: [String]) -> String { parts.map { "coalesce(NEW.\($0), '')" }.joined(separator: " || ' ' || ") }
        return [
            Source(table: "incidents", kind: "incident", columns: ["title", "customer_impact", "labels"],
                   incidentID: "NEW.id", reviewID: "NULL", title: "NEW.title", body: "coalesce(NEW.customer_impact, '') || ' ' || coalesce(\(labels), '')"),
            Source(table: "timeline_entries", kind: "timeline", columns: ["text", "reflection", "removed_at"],
                   incidentID: "NEW.incident_id", reviewID: "NULL", title: "''", body: joined(["text", "reflection"]), skip: "NEW.removed_at IS NOT NULL"),
            Source(table: "reviews", kind: "review",
                   columns: ["title", "summary", "what_happened", "contributing_factors", "what_went_well", "where_we_got_lucky", "surprises", "open_questions", "customer_impact"],
                   incidentID: "NEW.incident_id", reviewID: "NEW.id", title: "NEW.title",
                   body: joined(["summary", "what_happened", "contributing_factors", "what_went_well", "where_we_got_lucky", "surprises", "open_questions", "customer_impact"])),
            Source(table: "findings", kind: "finding", columns: ["text"],
                   incidentID: "(SELECT incident_id FROM reviews WHERE id = NEW.review_id)", reviewID: "NEW.review_id", title: "''", body: "NEW.text"),
            Source(table: "follow_ups", kind: "follow_up", columns: ["title", "description", "decision_reason", "plan", "review_id"],
                   incidentID: "NEW.incident_id", reviewID: "NEW.review_id", title: "NEW.title", body: joined(["description", "decision_reason", "plan"])),
        ]
    }

    func prepare(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        let postgres = sql.dialect.name == "postgresql"
        var statements: [String] = []
        if postgres {
            statements += [
                """
                CREATE TABLE search_documents (
                    id BIGSERIAL PRIMARY KEY, kind TEXT NOT NULL, doc_id UUID NOT NULL, incident_id UUID NOT NULL, review_id UUID,
                    title TEXT NOT NULL, body TEXT NOT NULL,
                    document tsvector GENERATED ALWAYS AS (setweight(to_tsvector('simple', title), 'A') || setweight(to_tsvector('simple', body), 'B')) STORED,
                    UNIQUE (kind, doc_id))
                """,
                "CREATE INDEX idx_search_documents_document ON search_documents USING GIN (document)",
                "CREATE INDEX idx_search_documents_incident ON search_documents (incident_id)",
            ]
            for s in Self.sources(postgres: true) {
                let insert = "INSERT INTO search_documents (kind, doc_id, incident_id, review_id, title, body) VALUES ('\(s.kind)', NEW.id, \(s.incidentID), \(s.reviewID), \(s.title), \(s.body));"
                statements.append("""
                    CREATE FUNCTION search_index_\(s.table)() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN
                        IF TG_OP <> 'INSERT' THEN DELETE FROM search_documents WHERE kind = '\(s.kind)' AND doc_id = OLD.id; END IF;
                        IF TG_OP <> 'DELETE' \(s.skip.map { "AND NOT (\($0))" } ?? "") THEN \(insert) END IF;
                        RETURN NULL;
                    END $$
                    """)
                statements.append("""
                    CREATE TRIGGER search_index_\(s.table) AFTER INSERT OR UPDATE OF \(s.columns.joined(separator: ", ")) OR DELETE ON \(s.table)
                    FOR EACH ROW EXECUTE FUNCTION search_index_\(s.table)()
                    """)
                statements.append("""
                    INSERT INTO search_documents (kind, doc_id, incident_id, review_id, title, body)
                    SELECT '\(s.kind)', NEW.id, \(s.incidentID), \(s.reviewID), \(s.title), \(s.body) FROM \(s.table) AS NEW \(s.skip.map { "WHERE NOT (\($0))" } ?? "")
                    """)
            }
        } else {
            statements += [
                """
                CREATE TABLE search_documents (
                    id INTEGER PRIMARY KEY, kind TEXT NOT NULL, doc_id TEXT NOT NULL, incident_id TEXT NOT NULL, review_id TEXT,
                    title TEXT NOT NULL, body TEXT NOT NULL, UNIQUE (kind, doc_id))
                """,
                "CREATE INDEX idx_search_documents_incident ON search_documents (incident_id)",
                "CREATE VIRTUAL TABLE search_fts USING fts5(title, body, content='search_documents', content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
                "CREATE TRIGGER search_fts_insert AFTER INSERT ON search_documents BEGIN INSERT INTO search_fts (rowid, title, body) VALUES (new.id, new.title, new.body); END",
                "CREATE TRIGGER search_fts_delete AFTER DELETE ON search_documents BEGIN INSERT INTO search_fts (search_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body); END",
            ]
            for s in Self.sources(postgres: false) {
                let values = "'\(s.kind)', NEW.id, \(s.incidentID), \(s.reviewID), \(s.title), \(s.body)"
                let columns = "INSERT INTO search_documents (kind, doc_id, incident_id, review_id, title, body)"
                let keep = s.skip.map { " WHERE NOT (\($0))" } ?? ""
                statements += ["CREATE TRIGGER search_index_\(s.table)_insert AFTER INSERT ON \(s.table) BEGIN \(columns) SELECT \(values)\(keep); END"]
                statements += Self.sqliteChangeTriggers(s)
                statements += ["\(columns) SELECT \(values) FROM \(s.table) AS NEW\(keep)"]
            }
        }
        try await LoreSQL.run(db, statements)
    }

    /// SQLite's update and delete triggers of one source. Lore's id columns
    /// are declared `UUID`, which SQLite gives numeric affinity, while
    /// `doc_id` is text: compared as they are, SQLite converts `doc_id` to a
    /// number and cannot use its index, so each change would scan every
    /// document of the kind. The cast keeps it one index lookup.
    static func sqliteChangeTriggers(_ s: Source) -> [String] {
        let values = "'\(s.kind)', NEW.id, \(s.incidentID), \(s.reviewID), \(s.title), \(s.body)"
        let columns = "INSERT INTO search_documents (kind, doc_id, incident_id, review_id, title, body)"
        let keep = s.skip.map { " WHERE NOT (\($0))" } ?? ""
        return [
            """
            CREATE TRIGGER search_index_\(s.table)_update AFTER UPDATE OF \(s.columns.joined(separator: ", ")) ON \(s.table) BEGIN
                DELETE FROM search_documents WHERE kind = '\(s.kind)' AND doc_id = CAST(OLD.id AS TEXT);
                \(columns) SELECT \(values)\(keep);
            END
            """,
            "CREATE TRIGGER search_index_\(s.table)_delete AFTER DELETE ON \(s.table) BEGIN DELETE FROM search_documents WHERE kind = '\(s.kind)' AND doc_id = CAST(OLD.id AS TEXT); END",
        ]
    }

    func revert(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        let postgres = sql.dialect.name == "postgresql"
        var statements: [String] = []
        for s in Self.sources(postgres: postgres) {
            if postgres {
                statements += ["DROP TRIGGER search_index_\(s.table) ON \(s.table)", "DROP FUNCTION search_index_\(s.table)()"]
            } else {
                statements += ["insert", "update", "delete"].map { "DROP TRIGGER search_index_\(s.table)_\($0)" }
            }
        }
        if !postgres { statements.append("DROP TABLE search_fts") }
        statements.append("DROP TABLE search_documents")
        try await LoreSQL.run(db, statements)
    }
}

/// "Seen before" matches title words against incidents alone. On PostgreSQL
/// the GIN index over every document would hand back each timeline entry
/// that mentions a common word before the kind is checked; a partial index
/// over incidents' documents keeps that lookup the size of the incident
/// list. SQLite's FTS5 restricts to the title column inside the index.
struct CreateRelatedIncidentsIndex: AsyncMigration {
    var name: String { "009_related_incidents_index" }

    func prepare(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase, sql.dialect.name == "postgresql" else { return }
        try await LoreSQL.run(db, ["CREATE INDEX idx_search_documents_incident_text ON search_documents USING GIN (document) WHERE kind = 'incident'"])
    }

    func revert(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase, sql.dialect.name == "postgresql" else { return }
        try await LoreSQL.run(db, ["DROP INDEX idx_search_documents_incident_text"])
    }
}

/// Large imports into SQLite index behind the import. FTS5 spends 30–60 µs
/// on each Slack message (tokenizing, then merging segments), several times
/// what storing the message costs, so a million-message import indexed in its
/// own transaction ran at a tenth of its speed. The import instead drops the
/// timeline insert trigger inside its own transaction (DDL is transactional
/// in SQLite, and the import holds the only write lock, so no other write can
/// miss it), marks its incident in `search_backlog`, and puts the trigger
/// back before it commits; a rolled-back import restores both. Up to
/// `LoreStore.searchIndexInlineLimit` entries are indexed before the commit,
/// as before; past that `LoreStore.catchUpSearchIndex` indexes them after
/// the commit in short transactions, in rowid order from `cursor`, removing
/// the mark with the last batch. Search says how far it has come
/// (`LoreStore.searchBacklog`). PostgreSQL indexes in the import's
/// transaction (a generated column).
struct CreateSearchBacklog: AsyncMigration {
    var name: String { "011_search_backlog" }

    static var timeline: CreateSearchIndex.Source { CreateSearchIndex.sources(postgres: false).first { $0.table == "timeline_entries" }! }

    /// The timeline insert trigger as `CreateSearchIndex` made it, which an
    /// import drops and puts back inside its transaction.
    static var insertTrigger: String {
        let s = timeline
        let values = "'\(s.kind)', NEW.id, \(s.incidentID), \(s.reviewID), \(s.title), \(s.body)"
        let keep = s.skip.map { " WHERE NOT (\($0))" } ?? ""
        return "CREATE TRIGGER search_index_timeline_entries_insert AFTER INSERT ON timeline_entries BEGIN INSERT INTO search_documents (kind, doc_id, incident_id, review_id, title, body) SELECT \(values)\(keep); END"
    }

    func prepare(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase, sql.dialect.name != "postgresql" else { return }
        // Databases indexed before the cast (`sqliteChangeTriggers`) get the
        // triggers that use their index.
        var statements: [String] = []
        for s in CreateSearchIndex.sources(postgres: false) {
            statements += ["DROP TRIGGER search_index_\(s.table)_update", "DROP TRIGGER search_index_\(s.table)_delete"]
            statements += CreateSearchIndex.sqliteChangeTriggers(s)
        }
        try await LoreSQL.run(db, statements + [
            "CREATE TABLE search_backlog (incident_id TEXT PRIMARY KEY, after_rowid INTEGER NOT NULL, cursor INTEGER NOT NULL)",
            // Fewer, larger segments while indexing in bulk (persisted in the index's config).
            "INSERT INTO search_fts (search_fts, rank) VALUES ('hashsize', 16777216)",
        ])
    }

    func revert(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase, sql.dialect.name != "postgresql" else { return }
        try await LoreSQL.run(db, ["DROP TABLE search_backlog"])
    }
}

/// Search ranks a bounded window of matches (`LoreStore.searchRankWindow`)
/// instead of every match, so its cost stays flat as history grows.
/// - SQLite: FTS5's `bm25()` counts every match of each term before it
///   scores a single row (its inverse document frequency), ~20 ms for a word
///   in 400,000 chat messages. Lore ranks the window with BM25 itself
///   (`SearchRanking`) from the index's own statistics: the row count and
///   token totals FTS5 keeps, and each term's document count from an
///   `fts5vocab` table. The kind becomes a third indexed column, so a kind
///   filter intersects inside the index instead of reading each match's row;
///   the index is rebuilt once. A covering index carries the incident facts
///   the filters test for each match.
/// - Both: an index on when an incident happened (the expression
///   `LoreStore.incidentHappened`), which "seen before" walks backwards from
///   the incident it is shown for.
struct CreateSearchRankWindow: AsyncMigration {
    var name: String { "012_search_rank_window" }

    /// The kind as one token no text holds ("kindfollowup"), so a term's
    /// document count in `search_vocab` is its count in titles and bodies.
    /// The triggers write it; FTS5's 'rebuild' would read the bare kind from
    /// `search_documents`, so the index is filled by an INSERT instead.
    static func kindToken(_ column: String) -> String { "'kind' || replace(\(column), '_', '')" }

    static let happenedIndex = "CREATE INDEX idx_incidents_happened ON incidents (COALESCE(impact_started_at, detected_at, created_at))"

    func prepare(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        guard sql.dialect.name != "postgresql" else { return try await LoreSQL.run(db, [Self.happenedIndex]) }
        try await LoreSQL.run(db, [
            "DROP TRIGGER search_fts_insert", "DROP TRIGGER search_fts_delete", "DROP TABLE search_fts",
            "CREATE VIRTUAL TABLE search_fts USING fts5(title, body, kind, content='search_documents', content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
            "CREATE TRIGGER search_fts_insert AFTER INSERT ON search_documents BEGIN INSERT INTO search_fts (rowid, title, body, kind) VALUES (new.id, new.title, new.body, \(Self.kindToken("new.kind"))); END",
            "CREATE TRIGGER search_fts_delete AFTER DELETE ON search_documents BEGIN INSERT INTO search_fts (search_fts, rowid, title, body, kind) VALUES ('delete', old.id, old.title, old.body, \(Self.kindToken("old.kind"))); END",
            "INSERT INTO search_fts (search_fts, rank) VALUES ('hashsize', 16777216)",
            "INSERT INTO search_fts (rowid, title, body, kind) SELECT id, title, body, \(Self.kindToken("kind")) FROM search_documents",
            "CREATE VIRTUAL TABLE search_vocab USING fts5vocab(search_fts, row)",
            "CREATE INDEX idx_incidents_search_facts ON incidents (id, severity, detection_source, impact_started_at, detected_at, created_at)",
            Self.happenedIndex,
        ])
    }

    func revert(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        guard sql.dialect.name != "postgresql" else { return try await LoreSQL.run(db, ["DROP INDEX idx_incidents_happened"]) }
        try await LoreSQL.run(db, [
            "DROP INDEX idx_incidents_happened", "DROP INDEX idx_incidents_search_facts", "DROP TABLE search_vocab",
            "DROP TRIGGER search_fts_insert", "DROP TRIGGER search_fts_delete", "DROP TABLE search_fts",
            "CREATE VIRTUAL TABLE search_fts USING fts5(title, body, content='search_documents', content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
            "CREATE TRIGGER search_fts_insert AFTER INSERT ON search_documents BEGIN INSERT INTO search_fts (rowid, title, body) VALUES (new.id, new.title, new.body); END",
            "CREATE TRIGGER search_fts_delete AFTER DELETE ON search_documents BEGIN INSERT INTO search_fts (search_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body); END",
            "INSERT INTO search_fts (search_fts) VALUES ('rebuild')",
        ])
    }
}

/// "Seen before" on PostgreSQL reads the newest incident documents before
/// the incident by key, newest first (GIN hands back matches unordered, so a
/// common title pair meant sorting thousands of them). Incidents are one
/// document in twenty, so the walk needs an index of their own.
struct CreateNewestIncidentDocumentsIndex: AsyncMigration {
    var name: String { "013_newest_incident_documents" }

    func prepare(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase, sql.dialect.name == "postgresql" else { return }
        try await LoreSQL.run(db, ["CREATE INDEX idx_search_documents_incident_newest ON search_documents (id) WHERE kind = 'incident'"])
    }

    func revert(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase, sql.dialect.name == "postgresql" else { return }
        try await LoreSQL.run(db, ["DROP INDEX idx_search_documents_incident_newest"])
    }
}

/// PostgreSQL reads a search's older matches through the text index in
/// ranges of ids going back (see `search`). Bounding a range through the
/// primary key listed every id in it (4 ms for 100,000, 65 ms for 1.6
/// million) before the text index's matches were intersected with them; a
/// BRIN index gives the range as the pages that hold it, at any size, in
/// under a millisecond (the documents are written in id order). Sixteen
/// pages per range keep the pages read for a small range few.
struct CreateSearchRangeIndex: AsyncMigration {
    var name: String { "021_search_range_index" }

    func prepare(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase, sql.dialect.name == "postgresql" else { return }
        // Summarised as pages fill, not only at the next vacuum.
        try await LoreSQL.run(db, ["CREATE INDEX idx_search_documents_id_range ON search_documents USING brin (id) WITH (pages_per_range = 16, autosummarize = on)"])
    }

    func revert(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase, sql.dialect.name == "postgresql" else { return }
        try await LoreSQL.run(db, ["DROP INDEX idx_search_documents_id_range"])
    }
}
