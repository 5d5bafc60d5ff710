import Foundation
import Hummingbird
import LoreCore
import LoreImport
import LoreStore
import NIOPosix

/// Importing a timeline from the incident page: a pasted or uploaded CSV or
/// Markdown table, or an uploaded Slack export. Every path shows a preview of
/// the entries that will be added first; confirming adds them all or none,
/// skipping what was imported before.
struct TimelineImportPages {
    let app: LoreApp
    var store: LoreStore { app.store }
    /// Uploaded exports larger than this belong on the command line
    /// (`lore import slack`), which streams them from disk.
    static let maxUpload = 100 << 20
    /// How many entries a preview lists; the counts cover everything.
    static let previewRows = 200

    func register(on group: RouterGroup<LoreRequestContext>) {
        group.get("/incidents/:key/import") { _, context in try await page(context, state: PageState()) }
        group.post("/incidents/:key/import") { request, context in
            let form = try await FormData.read(request, context: context)
            let incident = try await incident(context)
            return try await table(form["table"] ?? "", form: form, incident: incident, context: context, fromFile: nil)
        }
        group.post("/incidents/:key/import/file") { request, context in
            let form = try await FormData.read(request, context: context, limit: Self.maxUpload, allowFiles: true)
            let incident = try await incident(context)
            guard let file = form.files["file"], !file.data.isEmpty else {
                return try await page(context, state: PageState(error: "Choose a file to upload: a CSV or Markdown table, or a Slack export (.zip)."))
            }
            if file.data.starts(with: [0x50, 0x4B]) || file.fileName.lowercased().hasSuffix(".zip") {
                let upload = try PendingUpload.save(file.data, fileName: file.fileName)
                return try await slack(upload: upload, form: form, incident: incident, context: context)
            }
            guard let text = String(data: file.data, encoding: .utf8) else {
                return try await page(context, state: PageState(error: "\(file.fileName) is not a UTF-8 text file; upload a CSV or Markdown table, or a Slack export (.zip)."))
            }
            return try await table(text, form: form, incident: incident, context: context, fromFile: file.fileName)
        }
        group.post("/incidents/:key/import/slack") { request, context in
            let form = try await FormData.read(request, context: context)
            let incident = try await incident(context)
            guard let upload = PendingUpload(token: form["upload"] ?? "") else {
                return try await page(context, state: PageState(error: "That upload has expired (uploads are kept for an hour); upload the export again."))
            }
            return try await slack(upload: upload, form: form, incident: incident, context: context)
        }
    }

    func incident(_ context: LoreRequestContext) async throws -> Incident {
        let key = try context.parameters.require("key")
        guard let incident = try await store.incident(key: key) else { throw LoreHTTPError.notFound("Incident \(key)") }
        return incident
    }

    // MARK: CSV and Markdown

    func table(_ text: String, form: FormData, incident: Incident, context: LoreRequestContext, fromFile: String?) async throws -> Response {
        let user = try context.requireUser()
        var state = PageState(table: text, timeZone: form["timeZone"] ?? "", date: form["date"] ?? "", skipBadRows: form["skipBadRows"] == "1")
        let zoneName = state.timeZone.isEmpty ? user.timeZone : state.timeZone
        state.timeZone = zoneName
        guard let zone = TimeZone(identifier: zoneName) else {
            state.error = "Unknown time zone \"\(zoneName)\"; use an IANA name such as Europe/Berlin."
            return try await page(context, state: state)
        }
        var day: Date?
        if !state.date.isEmpty {
            guard let parsed = LoreTime.parseLocal(state.date + "T00:00", timeZone: zone) else {
                state.error = "\"\(state.date)\" is not a date (YYYY-MM-DD)."
                return try await page(context, state: state)
            }
            day = parsed
        }
        let result: TimelineTableResult
        do {
            // The field starts as the person's own zone: changed, it is chosen
            // for this file and wins over the zone the document's other times state.
            result = try TimelineTable.parse(text, fileName: fromFile ?? "pasted table", timeZone: zone, zoneIsGiven: zoneName != user.timeZone,
                                             date: day, skipBadRows: state.skipBadRows)
        } catch {
            app.metrics.timelineImport(kind: "table", outcome: "refused")
            state.error = error.description + " Nothing was imported."
            return try await page(context, state: state)
        }
        guard form["confirm"] == "1", fromFile == nil else {
            state.tablePreview = result
            return try await page(context, state: state)
        }
        try await store.importTimeline(result.entries(incidentID: incident.id, now: Date()))
        app.metrics.timelineImport(kind: result.format.rawValue, outcome: "imported")
        return Response.redirect(to: "/incidents/\(incident.key)#timeline", type: .normal)
    }

    // MARK: Slack exports

    func slack(upload: PendingUpload, form: FormData, incident: Incident, context: LoreRequestContext) async throws -> Response {
        var state = PageState(upload: upload.token)
        state.slackChannel = form["channel"] ?? ""
        state.slackFrom = form["from"] ?? ""
        state.slackTo = form["to"] ?? ""
        state.slackWorkspace = form["workspace"] ?? ""
        state.includeBots = form["includeBots"] == "1"
        let user = try context.requireUser()
        func time(_ text: String, _ label: String) throws -> Date? {
            let t = text.trimmingCharacters(in: .whitespaces)
            if t.isEmpty { return nil }
            guard let d = LoreTime.parseLocal(t, timeZone: user.zone) else { throw ValidationError(field: label, code: "invalid", message: "\(label): \"\(t)\" is not a date and time.") }
            return d
        }
        let export: SlackExport
        do {
            export = try await Self.offload { () throws(SlackExportError) in try SlackExport(path: upload.path) }
        } catch {
            upload.discard()
            state.upload = nil
            app.metrics.timelineImport(kind: "slack", outcome: "refused")
            state.error = error.description + " Nothing was imported."
            return try await page(context, state: state)
        }
        state.slackChannels = export.channels.map(\.name).sorted()
        guard !state.slackChannel.isEmpty else { return try await page(context, state: state) }
        let channel: SlackChannel
        let options: SlackReadOptions
        do {
            channel = try export.channel(named: state.slackChannel)
            options = SlackReadOptions(from: try time(state.slackFrom, "From"), to: try time(state.slackTo, "To"), includeBots: state.includeBots,
                                       workspaceURL: state.slackWorkspace.isEmpty ? nil : state.slackWorkspace)
        } catch let e as SlackExportError {
            state.error = e.description
            return try await page(context, state: state)
        } catch let e as ValidationError {
            state.error = e.issues.map(\.message).joined(separator: " ")
            return try await page(context, state: state)
        }
        if form["confirm"] == "1" {
            let now = Date()
            do {
                try await store.importTimelineStream(incidentID: incident.id) { sink in
                    try await export.readTimelineDays(channel: channel, options: options, incidentID: incident.id, now: now) { day in
                        try await sink.add(day)
                    }
                }
            } catch let e as SlackExportError {
                app.metrics.timelineImport(kind: "slack", outcome: "refused")
                state.error = e.description + " Nothing was imported."
                return try await page(context, state: state)
            }
            upload.discard()
            app.metrics.timelineImport(kind: "slack", outcome: "imported")
            return Response.redirect(to: "/incidents/\(incident.key)#timeline", type: .normal)
        }
        // Preview: read it all (counts, skipped reasons), keep the first rows.
        do {
            let limit = Self.previewRows
            let (rows, summary) = try await Self.offload { () throws(SlackExportError) in
                var rows: [SlackTimelineMessage] = []
                let summary = try export.read(channel: channel, options: options) { day in
                    if rows.count < limit { rows += day.prefix(limit - rows.count) }
                }
                return (rows, summary)
            }
            state.slackPreview = (channel.name, rows, summary)
        } catch {
            state.error = error.description + " Nothing was imported."
        }
        return try await page(context, state: state)
    }

    /// Uploaded exports are read on a thread of their own, one at a time:
    /// reading is blocking file and zip work, and on the shared pool (which
    /// SQLite's connection also uses) two large uploads at once stalled
    /// every database request. Others wait their turn here.
    static let uploadReading: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
        return pool
    }()

    static func offload<T: Sendable>(_ work: @escaping @Sendable () throws(SlackExportError) -> T) async throws(SlackExportError) -> T {
        let result: Result<T, SlackExportError>
        do {
            result = try await uploadReading.runIfActive { () -> Result<T, SlackExportError> in
                do throws(SlackExportError) { return .success(try work()) } catch { return .failure(error) }
            }
        } catch {
            return try work()
        }
        return try result.get()
    }

    // MARK: The page

    struct PageState {
        var table = ""
        var timeZone = ""
        var date = ""
        var skipBadRows = false
        var error: String?
        var tablePreview: TimelineTableResult?
        var upload: String?
        var slackChannels: [String] = []
        var slackChannel = ""
        var slackFrom = ""
        var slackTo = ""
        var slackWorkspace = ""
        var includeBots = false
        var slackPreview: (channel: String, rows: [SlackTimelineMessage], summary: SlackImportSummary)?
    }

    func page(_ context: LoreRequestContext, state: PageState) async throws -> Response {
        let user = try context.requireUser()
        let incident = try await incident(context)
        let slackPreview: Any = state.slackPreview.map { p -> [String: Any] in
            let skipped = p.summary.skipped.sorted { $0.value > $1.value }
            return [
                "channel": p.channel, "count": p.summary.imported, "days": p.summary.days,
                "shown": p.rows.count, "more": p.summary.imported > p.rows.count,
                "rows": p.rows.map { ["time": ViewValues.time($0.occurredAt, user.zone), "author": $0.author, "text": $0.text, "reply": $0.isThreadReply] },
                "skipped": skipped.map { ["reason": $0.key, "count": $0.value] }, "hasSkipped": !skipped.isEmpty,
                "invalidUTF8": p.summary.invalidUTF8Note ?? false,
            ]
        } ?? false
        return app.views.page("timeline_import", title: "Import a timeline · \(incident.key)", context: context, settings: try await store.settings(),
                              status: state.error == nil ? .ok : .unprocessableContent, values: [
            "incident": ["key": incident.key, "title": incident.title],
            "table": state.table, "timeZone": state.timeZone.isEmpty ? user.timeZone : state.timeZone, "date": state.date,
            "skipBadRows": state.skipBadRows, "error": state.error ?? false,
            "preview": state.tablePreview.map { r -> [String: Any] in
                [
                    "format": r.format.rawValue, "count": r.rows.count,
                    "rows": r.rows.map { ["line": $0.line, "time": ViewValues.time($0.occurredAt, user.zone), "author": $0.author, "text": $0.text, "kind": $0.kind?.rawValue ?? "note"] },
                    "skipped": r.skipped.map { ["line": $0.line, "reason": $0.reason] }, "hasSkipped": !r.skipped.isEmpty,
                    "notes": r.notes.map { ["line": $0.line, "reason": $0.reason] }, "hasNotes": !r.notes.isEmpty,
                    "unread": r.unread.map { ["line": $0.line, "reason": $0.reason] }, "hasUnread": !r.unread.isEmpty,
                ]
            } ?? false,
            "slack": state.upload.map { token -> [String: Any] in
                [
                    "upload": token, "channel": state.slackChannel, "from": state.slackFrom, "to": state.slackTo,
                    "workspace": state.slackWorkspace, "includeBots": state.includeBots,
                    "channels": state.slackChannels.map { ["name": $0, "selected": $0 == state.slackChannel] },
                ]
            } ?? false,
            "slackPreview": slackPreview,
        ])
    }
}

/// An uploaded export waiting between preview and confirmation, on disk in a
/// directory with a random name (the name is the only handle a browser
/// gets), under the file's own name so that errors name the file the person
/// uploaded. Kept an hour at most.
struct PendingUpload: Sendable {
    let token: String
    let path: String

    static let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lore-uploads", isDirectory: true)
    static let lifetime: TimeInterval = 3600

    /// An upload from an earlier request; nil when the token is not one Lore
    /// made or the upload has gone.
    init?(token: String) {
        guard token.count == 32, token.allSatisfy({ $0.isHexDigit }) else { return nil }
        let folder = Self.directory.appendingPathComponent(token, isDirectory: true)
        guard let name = (try? FileManager.default.contentsOfDirectory(atPath: folder.path))?.first else { return nil }
        self.token = token
        self.path = folder.appendingPathComponent(name).path
    }

    private init(token: String, path: String) {
        self.token = token
        self.path = path
    }

    static func save(_ data: Data, fileName: String) throws -> PendingUpload {
        let fm = FileManager.default
        try fm.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        // Forget uploads nobody confirmed.
        for name in (try? fm.contentsOfDirectory(atPath: directory.path)) ?? [] {
            let p = directory.appendingPathComponent(name).path
            if let modified = (try? fm.attributesOfItem(atPath: p))?[.modificationDate] as? Date, Date().timeIntervalSince(modified) > lifetime {
                try? fm.removeItem(atPath: p)
            }
        }
        var bytes = [UInt8](repeating: 0, count: 16)
        for i in bytes.indices { bytes[i] = UInt8.random(in: 0...255) }
        let token = Secrets.hex(bytes)
        let folder = directory.appendingPathComponent(token, isDirectory: true)
        try fm.createDirectory(at: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        // Only the last path component, without anything a shell or path would read specially.
        var name = String((fileName as NSString).lastPathComponent.filter { $0.isLetter || $0.isNumber || "._- ".contains($0) }.prefix(100))
        if name.isEmpty || name.hasPrefix(".") { name = "export.zip" }
        let path = folder.appendingPathComponent(name).path
        guard fm.createFile(atPath: path, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw LoreHTTPError(.internalServerError, code: "upload_failed", message: "The upload could not be stored.")
        }
        return PendingUpload(token: token, path: path)
    }

    func discard() { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
}
