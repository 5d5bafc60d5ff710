import Foundation
import LoreCore

/// One row of an imported timeline, before it becomes a TimelineEntry.
public struct ImportedTimelineRow: Equatable, Sendable {
    /// Line in the file where the row starts (1-based; for a CSV record that
    /// spans several lines, the line where it begins).
    public var line: Int
    public var occurredAt: Date
    /// The author column's value, or `TimelineTable.defaultAuthor` when the
    /// file names nobody.
    public var author: String
    public var text: String
    public var kind: TimelineKind?
    public var reflection: String?

    public init(line: Int, occurredAt: Date, author: String, text: String, kind: TimelineKind? = nil, reflection: String? = nil) {
        self.line = line
        self.occurredAt = occurredAt
        self.author = author
        self.text = text
        self.kind = kind
        self.reflection = reflection
    }
}

/// A row left out with `skipBadRows`, and why.
public struct SkippedRow: Equatable, Sendable {
    public var line: Int
    public var reason: String

    public init(line: Int, reason: String) {
        self.line = line
        self.reason = reason
    }
}

public struct TimelineTableResult: Equatable, Sendable {
    public enum Format: String, Sendable {
        case csv, markdown
    }

    /// In file order (not sorted by time).
    public var rows: [ImportedTimelineRow]
    public var skipped: [SkippedRow]
    public var format: Format
    /// What was read differently from how it is written, for the person
    /// importing to check: a row with a day but no time, a heading's date
    /// that `--date` overrode, an entry far out of order with the rest.
    /// Each names its line.
    public var notes: [SkippedRow]
    /// Lines of the document's Timeline section that were not read as part of
    /// an entry (a heading without a time, a paragraph with none), and why, so
    /// the person importing sees what was left behind.
    public var unread: [SkippedRow]

    public init(rows: [ImportedTimelineRow], skipped: [SkippedRow], format: Format, notes: [SkippedRow] = [], unread: [SkippedRow] = []) {
        self.rows = rows
        self.skipped = skipped
        self.format = format
        self.notes = notes
        self.unread = unread
    }
}

/// Why a timeline file was rejected: `timeline.csv:7: "24:61" is not a time (...)`.
public struct TimelineTableError: Error, Equatable, Sendable, CustomStringConvertible {
    public var fileName: String
    /// 1-based; nil when the problem is the file as a whole (empty, no table).
    public var line: Int?
    public var message: String

    public init(fileName: String, line: Int?, message: String) {
        self.fileName = fileName
        self.line = line
        self.message = message
    }

    public var description: String {
        if let line { return "\(fileName):\(line): \(message)" }
        return "\(fileName): \(message)"
    }
}

/// Reads a timeline written as CSV or as a Markdown table (the kind found in
/// written postmortems). What `lore import timeline` and the web upload use.
///
/// **CSV** (RFC 4180: quoted fields with commas, line breaks and doubled
/// quotes; a `;` or tab delimiter is recognised from the header line). The
/// header names the columns, case-insensitively and ignoring spaces,
/// underscores and punctuation:
/// - time: time, timestamp, when, date/time, datetime, occurred at (required;
///   a separate date/day column is combined with it);
/// - text: text, description, event, what, message, what happened (required);
/// - author: author, who, person, user, by (optional; empty → "Imported");
/// - kind: kind, type (optional; alert, action, observation, decision,
///   communication or note — anything else is a bad row);
/// - reflection: reflection, thinking, what I was seeing, notes (optional).
///
/// **Markdown**: every pipe table with a time column (a header containing
/// "time", "when" or "timestamp") and a description column (event,
/// description, what, action, text, ...) is read; other tables and all other
/// text are ignored. A row with an empty time cell continues the previous
/// row's time.
///
/// **Dates.** A time without a date takes its day from, in this order: the
/// last row that had a full date, a heading (`## 2026-03-01`,
/// `### March 1, 2026`, a line that is only `**2026-03-01**` or only a date)
/// above the table, or `date`. Within such an implicit day, a time earlier
/// than the previous row's is taken to be on the **next day** (midnight
/// rollover: 23:58 then 00:03). If no day can be found, the file is rejected
/// ("times without a date; pass --date YYYY-MM-DD"), even with `skipBadRows`.
/// Slash dates are read only when unambiguous (`25/03/2026`, `2026/03/01`);
/// `01/03/2026` is rejected rather than guessed.
///
/// **Zones.** A zone on the cell (`14:02 UTC`, `14:02Z`,
/// `2026-03-01T14:02:00+01:00`, `2:02 PM PST`) wins; then one in the column
/// header (`Time (UTC)`, `Timestamp (PST)`, `When (Europe/Berlin)`); then, in
/// Markdown, one stated above the table on a heading or line mentioning
/// "time" (`All times in UTC`); then `timeZone`. Abbreviations are fixed
/// offsets as written (PST is always UTC-8, PDT UTC-7).
public enum TimelineTable {
    public static let defaultAuthor = "Imported"

    static let expectedTimes = "expected 14:02, 14:02:33, 2:02 PM or 2026-03-01T14:02:00Z"
    static let noDate = "times without a date; pass --date YYYY-MM-DD"
    static let expectedFile = "expected a CSV file whose first line is a header such as \"time,author,text\", or Markdown with a table such as \"| Time | Event |\""

    /// Detects CSV or a Markdown table (lines starting with "|") and parses it.
    /// - Parameters:
    ///   - timeZone: for times that carry no zone, in the cell or the header.
    ///   - zoneIsGiven: whether a person chose `timeZone` for this file (a
    ///     `--timezone`, the form's field); then it also wins over the zone
    ///     the document's other times state.
    ///   - date: a day (read in `timeZone`) for tables with times only and no date anywhere.
    ///   - skipBadRows: false → the first unparseable row throws with its line;
    ///     true → it is listed in `skipped` and the rest is imported.
    ///   - today: dates written without a year, when nothing in the document
    ///     gives one, are the latest such day up to today.
    public static func parse(
        _ text: String, fileName: String, timeZone: TimeZone, zoneIsGiven: Bool = false, date: Date?, skipBadRows: Bool, today: Date = Date()
    ) throws(TimelineTableError) -> TimelineTableResult {
        let read = $regionalZones.withValue(regionalZones(in: text)) {
            Result { () throws(TimelineTableError) in
                try parseDocument(text, fileName: fileName, timeZone: timeZone, zoneIsGiven: zoneIsGiven, date: date, skipBadRows: skipBadRows, today: today)
            }
        }
        var result = try read.get()
        result.notes += outOfOrderNotes(result.rows)
        result.notes.sort { $0.line < $1.line }
        return result
    }

    static func parseDocument(
        _ text: String, fileName: String, timeZone: TimeZone, zoneIsGiven: Bool = false, date: Date?, skipBadRows: Bool, today: Date = Date()
    ) throws(TimelineTableError) -> TimelineTableResult {
        var lines = normalizeLineEndings(text).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // YAML front matter (`---` … `---`) is the page's metadata, not its
        // text; its lines are blanked so the rest keeps its line numbers.
        let frontMatterClose = frontMatterEnd(lines)
        let hasFrontMatter = frontMatterClose != nil
        let raw = lines
        let frontMatter = frontMatterDay(&lines)
        if let close = frontMatterClose {
            frontMatterUpdates(raw, closingAt: close, into: &lines)
            cStateOpeningAndResolution(raw, closingAt: close, into: &lines)
        }
        // A CSV file is read as written; what follows is Markdown's.
        let csvLines = lines
        // HTML comments are not shown: a template's example timeline left
        // inside one is not the incident's. Then status-page times (cState's
        // are template tags), then the other template tags.
        blankHTMLComments(&lines)
        htmlCodeBlocksAsFences(&lines)
        blankFigures(&lines)
        htmlTablesAsPipeTables(&lines)
        htmlBlocksAsText(&lines)
        pipeTablesWithoutEdges(&lines)
        tabTablesAsPipeTables(&lines)
        postingStampOverTitle(&lines)
        // Asked before the stamps move: a log's stamps are its updates' times.
        let stampedLog = isStampedLog(lines)
        statusPageTracks(&lines, stampedLog: stampedLog)
        removeTemplateTags(&lines)
        wikiHeadings(&lines)
        underlinedHeadings(&lines, rst: fileName.lowercased().hasSuffix(".rst"))
        plainHeadings(&lines)
        colonlessClocksBeforeAZone(&lines)
        hourMarkedClocks(&lines)
        oClockHours(&lines)
        dottedTwelveHourClocks(&lines)
        dottedClocksBesideATimeWord(&lines)
        oneLetterMeridiems(&lines)
        japaneseEraYears(&lines)
        cjkClocks(&lines)
        hyphenatedDates(&lines)
        lowerCaseZones(&lines)
        updatesBetweenBreaks(&lines)
        let text = csvLines.joined(separator: "\n")
        guard let first = csvLines.first(where: { !$0.trimmed.isEmpty }) else {
            // A page of front matter alone is not empty to the person who wrote it.
            let what = hasFrontMatter ? "the file holds only front matter (the page's title, date and other fields) and no timeline" : "the file is empty"
            throw TimelineTableError(fileName: fileName, line: nil, message: "\(what) (\(expectedFile))")
        }
        var context = DateContext(fallback: date.map { Day(date: $0, timeZone: timeZone) })
        context.slashOrder = slashOrder(lines, fileName: fileName)
        context.headingsOpenNewestFirst = headingsOpenNewestFirst(lines, order: context.slashOrder)
        // Found once: the table reader, the text reader and the search for
        // a date above the timeline all ask where it is.
        let section = timelineSection(lines)
        if section.headed { firstBareClockSaidInTheAfternoon(&lines, section: section.lines) }
        // A date written without its year ("On Wednesday, 4th October") takes
        // the year of the page's date, or of its file's name.
        let fileDay = fileNameDay(fileName, order: context.slashOrder, weekday: firstWeekdayNamed(lines))
        let posted = postedDay(lines, stampedLog: stampedLog)
        context.mentioned = mentionedDay(lines, section: section.lines, order: context.slashOrder, year: frontMatter?.day.year ?? fileDay?.year ?? titleYear(lines) ?? fileNameYear(fileName, today: today))
            ?? frontMatter.map { ($0.day, $0.line) }
            ?? posted.map { ($0.day, $0.line) }
            ?? fileDay.map { ($0, 0) }
        // When nothing above dates them: the year that puts the day nearest
        // a whole date the document writes, within a month of it ("Jun 21,
        // 2022 - 06:43 UTC" in a report under "Jun 21 at 10:15am CEST"; "Dec
        // 30" stamps over "Postmortem published Jan 4, 2023" are 2022's),
        // with a note.
        var yearNear: (year: Int, line: Int)?
        if context.mentioned == nil, date == nil, let written = yearOfTheWrittenDates(lines, order: context.slashOrder),
           let found = mentionedDay(lines, section: section.lines, order: context.slashOrder, year: written.day.year) {
            func gap(_ a: Day) -> Int {
                abs(CivilDate.daysSinceEpoch(year: a.year, month: a.month, day: a.day) - CivilDate.daysSinceEpoch(year: written.day.year, month: written.day.month, day: written.day.day))
            }
            let readings = [-1, 0, 1].map { Day(year: written.day.year + $0, month: found.day.month, day: found.day.day) }.filter(\.isValid)
            if let nearest = readings.min(by: { gap($0) < gap($1) }), gap(nearest) <= 31 {
                context.mentioned = (nearest, found.line)
                if nearest != found.day || found.line != written.line { yearNear = (nearest.year, written.line) }
            }
        }
        // A status history's postmortem whose timed list names no day
        // ("Postmortem" / "1. 17:00 UTC We noticed …", posted a day later
        // than the updates below it): the incident's day, its earliest
        // update's.
        if context.mentioned == nil, date == nil, stampedLog, let earliest = earliestStamp(csvLines) {
            context.mentioned = earliest
        }
        // A news story dated only by its byline, which names the weekday:
        // "ce mardi" under "Publié le 01/12/2022 à 07:00" is Tuesday the 29th.
        // (The byline's own date is not the story's day then.)
        var bylineDay: (day: Day, line: Int)?
        if date == nil, let found = bylineWeekday(lines, order: context.slashOrder), context.mentioned == nil || context.mentioned?.line == found.line {
            bylineDay = found
            context.mentioned = found
        }
        // No year anywhere ("On Wednesday, October 2nd", a status page's "Mar
        // 13, 07:00 MDT"): people import what happened lately, so the latest
        // such day up to today, and a note that says so.
        var yearGuessed: (day: Day, line: Int)?
        if context.mentioned == nil, date == nil {
            yearGuessed = latestMentionedDay(lines, section: section.lines, order: context.slashOrder, today: Day(date: today, timeZone: timeZone))
            context.mentioned = yearGuessed
        }
        // Times written without a zone are in the zone the document's other
        // times state ("from ~13:22 PST to ~16:17 PST" in its summary), when
        // they all state the same one; else in `timeZone`.
        // Without a Timeline heading the entries are the list items and lines
        // that open with a time; the other times are in the prose around them
        // ("At 6:50PM CDT on July 15 our monitoring …" over "* 6:50PM - Outage").
        let markupName = hasFrontMatter || [".md", ".markdown", ".mdx", ".mdown", ".mkd", ".rst"].contains { fileName.lowercased().hasSuffix($0) }
        // (A report in plain text is read as Markdown's prose is.)
        let plainProse = readsAsProse(csvLines.filter { !$0.trimmed.isEmpty }, delimiter: detectDelimiter(first), fileName: fileName)
        let prose = markupName || plainProse
        let entryLines = section.headed || !prose ? section.lines : TimelineLines(lines.indices.filter { i in
            let t = lines[i].trimmed
            return !t.isEmpty && (listItemContent(t) != nil || splitLeadingTime(t) != nil || t.hasPrefix("|"))
        }.map { $0 ..< $0 + 1 })
        var writtenZone: (zone: TimeZone, word: String, line: Int, source: String)? = zoneIsGiven ? nil
            : zoneSaidForAllBelow(lines).map { ($0.zone, $0.word, $0.line, "the zone said of every time after it") }
        if writtenZone == nil, !zoneIsGiven, section.headed || prose {
            writtenZone = zoneOfOtherTimes(lines, outside: entryLines, headed: section.headed).map { ($0.zone, $0.word, $0.line, "the zone the document's other times state here") }
        }
        if writtenZone == nil, !zoneIsGiven, section.headed || prose, let own = zoneOfTheEntries(lines, asWritten: csvLines, in: entryLines) {
            // "- 14:02 PDT alert fired" over "- 14:10 rollback": the entries
            // without a zone are in the one the others state.
            writtenZone = (own.zone, own.word, own.line, "the zone the timeline's other entries state")
        }
        if writtenZone == nil, !zoneIsGiven, prose, !section.headed, let said = zoneSaidOfAllTimes(lines) {
            // A story that says its zone in passing, even after its first
            // times: "… resolved at 11:34am (all times EDT)."
            writtenZone = (said.zone, said.word, said.line, "the zone the document says all its times are in")
        }
        if writtenZone == nil, !zoneIsGiven, let offset = frontMatter?.offset, !lines.contains(where: statesAZone) {
            // `date: 2012-04-04 15:19:15 +0200` and no zone written anywhere
            // else: the offset the author's own clock had, the best reading
            // of their bare times (weaker than any zone the text states).
            writtenZone = (offset.zone, offset.word, offset.line, "the offset of the page's date")
        }
        if writtenZone == nil, !zoneIsGiven, let posted, !sameClock(posted.zone, TimeZone(identifier: "UTC")!),
           !lines.enumerated().contains(where: { $0.offset + 1 != posted.line && statesAZone($0.element) }),
           // ("All times in this report are Greenwich Mean Time": a zone
           // said in words Lore may not know is still said.)
           !lines.contains(where: { $0.range(of: #"(?i)\b(?:all\s+)?times\s+(?:in\s+this\s+\w+\s+)?(?:are|in)\b"#, options: .regularExpression) != nil }) {
            // A status page's report ("Incident Report for …") with times but
            // no zone, over its one "Posted Jul 25, 2024 - 17:30 GMT-03:00":
            // written where the page keeps its clock.
            writtenZone = (posted.zone, posted.word, posted.line, "the zone of the page's Posted stamp")
        }
        // A front matter's instant ("2025-11-17T22:30:00Z") falls on its
        // day in the zone the times are read in (the 18th in Sydney).
        // (Only an instant a generator wrote in UTC, under times whose zone
        // the text states: an author's own offset keeps the author's day.)
        if let frontMatter, let moment = frontMatter.moment, frontMatter.offset == nil, let zone = writtenZone?.zone,
           let mentioned = context.mentioned, mentioned.line == frontMatter.line, mentioned.day == frontMatter.day {
            context.mentioned = (Day(date: moment, timeZone: zone), mentioned.line)
        }
        context.stampedLog = stampedLog
        if let mentioned = context.mentioned, mentioned.line > 0, mentioned.line <= lines.count {
            context.mentionedIsPublication = lines[mentioned.line - 1].prefixMatch(of: newsByline) != nil || isPageEditStamp(lines[mentioned.line - 1])
        }
        var state = ParseState(fileName: fileName, defaultZone: writtenZone?.zone ?? timeZone, skipBadRows: skipBadRows, context: context)
        state.writtenZone = writtenZone
        state.yearGuessed = yearGuessed
        state.yearNear = yearNear
        state.bylineDay = bylineDay
        state.posted = posted
        state.stampedLog = stampedLog
        if let frontMatter, let moment = frontMatter.moment, let close = frontMatterClose,
           // (A blog's "status: published" is the post's, not an incident's.)
           raw[1 ..< close].contains(where: { $0.lowercased().firstMatch(of: #/^status:\s*["']?(?:resolved|investigating|identified|monitoring|mitigated|ongoing|open|closed)\b/#) != nil }) {
            state.opened = (moment, frontMatter.line)
        }
        // A byline a few days after the day the text gives dates nothing:
        // the page was published then.
        // (Only against a day the title or a timed sentence gives: a date
        // the text refers back to, "since 2024-02-12", is no incident's day.)
        if let mentioned = context.mentioned, mentioned.line > 0, mentioned.line <= lines.count,
           lines.firstIndex(where: { !$0.trimmed.isEmpty }) == mentioned.line - 1 || statesATime(lines[mentioned.line - 1], order: context.slashOrder) {
            state.bylines = Set(bylines(lines).filter { k, day in k + 1 != mentioned.line && isPublication(day, after: mentioned.day) }.keys)
        }
        state.initialContext = context
        state.section = section
        let delimiter = detectDelimiter(first)
        if let header = try? csvRecords(first, delimiter: delimiter, fileName: fileName).first,
           Columns(csvHeader: header.fields).hasRequired {
            return try parseCSV(text, delimiter: delimiter, state: &state)
        }
        var noTimelineTable: TimelineTableError?
        if lines.indices.contains(where: { isTableStart(lines, $0) }) {
            do {
                return try parseMarkdown(lines, state: &state)
            } catch let error where markupName && !section.headed && error.message.hasPrefix("no timeline table") {
                // Its tables are not a timeline (disk reads before and after,
                // under "| | 03:24 UTC | 03:34 → 09:16 |"): the story's timed
                // paragraphs may be, read below; else this is the error.
                noTimelineTable = error
                state.unread = []
            }
        }
        if let section = try parseSection(lines, state: &state) {
            return section
        }
        // A page with front matter is Markdown whatever its name (`.mdx`).
        let markdownName = markupName
        // A CSV file that opens with comment lines ("# exported from …").
        if let headerIndex = csvLines.firstIndex(where: { !$0.trimmed.isEmpty && !$0.trimmed.hasPrefix("#") }), headerIndex > 0,
           listItemContent(csvLines[headerIndex].trimmed) == nil {
            let headerDelimiter = detectDelimiter(csvLines[headerIndex])
            if let header = try? csvRecords(csvLines[headerIndex], delimiter: headerDelimiter, fileName: fileName).first,
               Columns(csvHeader: header.fields).hasRequired
                || (!markdownName && csvLines[headerIndex].contains(headerDelimiter)
                    && !readsAsProse(csvLines[headerIndex...].filter { !$0.trimmed.isEmpty }, delimiter: headerDelimiter, fileName: fileName)) {
                // (A header without the columns needed is reported by the CSV reader, with its line.)
                // Blank lines keep the line numbers of what follows.
                let body = csvLines.indices.map { $0 < headerIndex ? "" : csvLines[$0] }.joined(separator: "\n")
                return try parseCSV(body, delimiter: headerDelimiter, state: &state)
            }
        }
        let t = first.trimmed
        if !markdownName, !t.hasPrefix("#"), !t.hasPrefix("|"), t.contains(delimiter), !plainProse {
            // Looks like CSV: let the header check say what is missing.
            return try parseCSV(text, delimiter: delimiter, state: &state)
        }
        if markdownName || t.hasPrefix("#") || !t.contains(delimiter) || plainProse {
            // A narrative with times in its sentences and no timeline section:
            // those sentences, with a note that this is how it was read.
            state.sentencesEverywhere = true
            // (Set where each reading of the section starts from.)
            state.initialContext?.story = true
            // (As written: a posting stamp over the title is moved to it.)
            if let mentioned = state.context.mentioned, mentioned.line > 0, mentioned.line <= raw.count,
               let s = try? stamp(raw[mentioned.line - 1]), let time = s.time, let year = s.year, let month = s.month, let d = s.day {
                state.initialContext?.written = compose(Day(year: year, month: month, day: d), time, s.zone ?? state.defaultZone)
            }
            if var read = try parseSection(lines, state: &state), let first = read.rows.first {
                read.notes.insert(SkippedRow(line: first.line, reason: "no timeline section, table or timed line: the entries are the paragraphs that state a time, each at its first (a sentence on another day is one of its own)"), at: 0)
                return read
            }
        }
        if let noTimelineTable { throw noTimelineTable }
        let firstLine = (csvLines.firstIndex { !$0.trimmed.isEmpty } ?? 0) + 1
        let shown = t.count > 60 ? String(t.prefix(57)) + "…" : t
        throw TimelineTableError(
            fileName: fileName, line: firstLine,
            message: "neither a CSV header nor a Markdown table found: \"\(shown)\" is not a header (\(expectedFile))")
    }

    /// Whether the first lines are prose rather than a CSV's: they split into
    /// different numbers of fields (a CSV's rows have as many as its header),
    /// or the lines under the first are sentences. A report in plain text
    /// whose title has a comma ("Outage: December 15, 2015") is prose.
    static func readsAsProse(_ lines: [String], delimiter: Character, fileName: String) -> Bool {
        // A file named CSV is one (a quoted field may span lines, a row may
        // leave out its last fields): what it lacks is said as a CSV's.
        guard !fileName.lowercased().hasSuffix(".csv") else { return false }
        let leading = lines.prefix(3)
        func sentence(_ line: String) -> Bool {
            let t = line.trimmed
            return ".!?".contains(t.last ?? " ") && t.split(separator: " ").count >= 8
        }
        // A first line that is a sentence ("«Desde las 16.03, incidencia que
        // afecta …».") or a whole mail run onto one line is no header.
        if let header = leading.first, sentence(header) || header.split(separator: " ").count >= 40 { return true }
        guard leading.count >= 2 else { return false }
        let counts = leading.map { (try? csvRecords($0, delimiter: delimiter, fileName: fileName).first?.fields.count) ?? nil }
        // (A first line without the delimiter, "Incident Report for Reepay",
        // is a title: no CSV header has a single column.)
        return Set(counts).count > 1 || leading.dropFirst().allSatisfy(sentence) || !leading[leading.startIndex].contains(delimiter)
    }

    // MARK: - State shared by both formats

    enum Failure: Error {
        /// This row is bad; with skipBadRows it is skipped.
        case row(String)
        /// The file cannot be read as a whole.
        case file(String)
    }

    struct ParseState {
        let fileName: String
        let defaultZone: TimeZone
        let skipBadRows: Bool
        var context: DateContext
        /// The context before any line was read, to read the file again.
        var initialContext: DateContext?
        /// The document's Timeline section (all lines when none is headed).
        var section: (lines: TimelineLines, headed: Bool) = (TimelineLines([]), false)
        var rows: [ImportedTimelineRow] = []
        var skipped: [SkippedRow] = []
        var notes: [SkippedRow] = []
        var unread: [SkippedRow] = []
        /// The prose paragraph read so far (for statements that wrap).
        var paragraph = ""
        /// Whether `--date` has stood in for a date written in the document.
        var givenDateUsed = false
        /// Read every sentence that states a time as an entry, as under a
        /// Timeline heading, when nothing else in the document is a timeline.
        var sentencesEverywhere = false
        /// Lines (0-based) that are the page's byline, a date that dates nothing (`bylines`).
        var bylines: Set<Int> = []
        /// The rows (by index) whose time had a date of its own.
        var rowsWithTheirOwnDate = Set<Int>()
        /// The rows (by index) whose time had a zone of its own.
        var rowsWithTheirOwnZone = Set<Int>()
        /// Whether the note on a concluded 12-hour clock has been written.
        var twelveHourNoted = false
        /// The zone taken from the document's other times, and where.
        var writtenZone: (zone: TimeZone, word: String, line: Int, source: String)?
        /// The day whose year was not written and was taken as the latest
        /// that fits (`latestMentionedDay`).
        var yearGuessed: (day: Day, line: Int)?
        /// The year of days written without one, taken from the whole date
        /// written on this line, which they are near.
        var yearNear: (year: Int, line: Int)?
        /// A status page report's "Posted …" stamp (`postedDay`).
        var posted: PostedStamp?
        /// Whether the page is a status history whose updates each carry a
        /// stamp (`isStampedLog`): the paragraphs above a stamp are its update's.
        var stampedLog = false
        /// A news story's day, from its byline and the weekday it names (`bylineWeekday`).
        var bylineDay: (day: Day, line: Int)?
        /// When a status page's incident file says the incident was opened
        /// (its front matter's `date:` beside a `status:`), and that line.
        var opened: (moment: Date, line: Int)?

        /// What was read, with a note when the day of dateless times came
        /// from a date the document mentions in passing.
        func result(_ format: TimelineTableResult.Format) -> TimelineTableResult {
            var notes = notes, rows = rows
            if let read = TimelineTable.newestFirst(rows, dated: rowsWithTheirOwnDate, context: context), let start = context.bareStart, let oldest = read.last {
                rows = read
                notes.append(SkippedRow(
                    line: rows[0].line,
                    reason: "the times run newest first: days were counted from the last entry up, the oldest on \(Day(date: oldest.occurredAt, timeZone: start.zone).iso)"))
            }
            if let written = writtenZone, !rows.isEmpty {
                notes.append(SkippedRow(
                    line: written.line,
                    reason: "times without a zone were read in \(written.word), \(written.source) (pass --timezone if that is not theirs)"))
            }
            if let guessed = yearGuessed, !rows.isEmpty {
                notes.append(SkippedRow(
                    line: guessed.line,
                    reason: "no year is written: read as \(guessed.day.year), the latest year up to today that fits \(guessed.day.iso) and the weekday written beside a date, if any (pass --date YYYY-MM-DD if that is not the day)"))
            }
            if let near = yearNear, !rows.isEmpty {
                notes.append(SkippedRow(
                    line: near.line,
                    reason: "days written without a year were read in \(near.year), the year that puts them nearest the date written here (pass --date YYYY-MM-DD if that is not the day)"))
            }
            var mentionedUsed = context.mentionedUsed
            if let posted, let used = mentionedUsed, used.line == posted.line, rowsWithTheirOwnDate.isEmpty,
               rows.allSatisfy({ $0.occurredAt > posted.moment && $0.occurredAt < posted.moment.addingTimeInterval(86_400) }),
               // Only times whose zone is known: a bare 10:40 read in UTC
               // may well be 10:40 in the stamp's CET, before it.
               writtenZone != nil || rows.indices.allSatisfy(rowsWithTheirOwnZone.contains),
               // A notice of what will happen is posted before it.
               !rows.contains(where: { $0.text.range(of: #"\b(?:will|scheduled|planned)\b"#, options: [.regularExpression, .caseInsensitive]) != nil }) {
                // Posted at 00:30 CEST about what happened at 22:15 UTC: the
                // report's times were on the day before its stamp.
                var calendar = Calendar(identifier: .gregorian)
                calendar.timeZone = writtenZone?.zone ?? TimeZone(identifier: "UTC")!
                for k in rows.indices {
                    rows[k].occurredAt = calendar.date(byAdding: .day, value: -1, to: rows[k].occurredAt) ?? rows[k].occurredAt.addingTimeInterval(-86_400)
                }
                mentionedUsed = (used.day.previous, used.line)
            }
            if let opened, let used = mentionedUsed, used.line == opened.line, rowsWithTheirOwnDate.isEmpty, !rows.isEmpty,
               rows.allSatisfy({ $0.occurredAt < opened.moment && $0.occurredAt > opened.moment.addingTimeInterval(-86_400) }) {
                // "date: 2024-12-10 23:03" over "Update 02:24 UTC: …": the
                // incident was opened late in the evening and every update
                // came after it, past midnight.
                var calendar = Calendar(identifier: .gregorian)
                calendar.timeZone = writtenZone?.zone ?? TimeZone(identifier: "UTC")!
                for k in rows.indices {
                    rows[k].occurredAt = calendar.date(byAdding: .day, value: 1, to: rows[k].occurredAt) ?? rows[k].occurredAt.addingTimeInterval(86_400)
                }
                mentionedUsed = (used.day.next, used.line)
            }
            if let mentioned = mentionedUsed {
                // Line 0: the date is in the file's name.
                let source = mentioned.line == 0 ? "the date in the file's name"
                    : bylineDay.map { $0.line == mentioned.line && $0.day == mentioned.day } == true ? "the weekday the story names, in the week up to its byline's date here"
                    : "the date written here"
                notes.append(SkippedRow(
                    line: mentioned.line,
                    reason: "times without a date were placed on \(mentioned.day.iso), \(source) (pass --date YYYY-MM-DD if that is not the day)"))
            }
            return TimelineTableResult(rows: rows, skipped: skipped, format: format, notes: notes, unread: unread.sorted { $0.line < $1.line })
        }

        mutating func record(_ failure: Failure, line: Int) throws(TimelineTableError) {
            switch failure {
            case .file(let message):
                throw TimelineTableError(fileName: fileName, line: line, message: message)
            case .row(let message):
                guard skipBadRows else { throw TimelineTableError(fileName: fileName, line: line, message: message) }
                skipped.append(SkippedRow(line: line, reason: message))
            }
        }

        func error(_ message: String, line: Int?) -> TimelineTableError {
            TimelineTableError(fileName: fileName, line: line, message: message)
        }

        mutating func noteDayOnly(line: Int) {
            notes.append(SkippedRow(line: line, reason: "a day without a time of day: placed at the start of that day"))
        }
    }

    /// The day that times without a date belong to.
    struct DateContext {
        var day: Day?
        var last: Date?
        let fallback: Day?
        /// How this document writes numeric dates, from the dates it holds.
        var slashOrder: SlashOrder?
        /// A date the document mentions near the top (its title, a `Date:`
        /// line, a sentence above the timeline, its front matter): the day of
        /// times that have no other, before refusing them.
        var mentioned: (day: Day, line: Int)?
        var mentionedUsed: (day: Day, line: Int)?
        /// A day the document states for all its entries: an entry with a
        /// date of its own does not move the others.
        var statedDay: Day?
        /// Whether an earlier time said AM or PM: then a bare `3:25` after
        /// `3:10 PM` is 15:25, not 03:25 the next day.
        var twelveHour = false
        /// Whether `twelveHour` was concluded from the order of the times
        /// ("12:39" then "1:50" on one day), not from an AM or PM written.
        var twelveHourConcluded = false
        /// The last day a time with an hour of 13 or more was written on:
        /// that day's clock has 24 hours.
        var afternoonHourDay: Day?
        /// The day and zone the first time without a date was placed in,
        /// how many rows had a date of their own and how many headings
        /// started a day after it: a list of bare times that runs newest
        /// first is read again from its end (`newestFirst`).
        var bareStart: (day: Day, zone: TimeZone)?
        var datedRows = 0
        var daysStartedAfterBareTimes = 0
        /// The last day a heading started, and how many started days came
        /// before and after the one above them: in a log whose days run
        /// newest first, a time earlier than the one above it under the
        /// same day heading is an earlier update of that day, not one past
        /// midnight. (Counted, so that one typo'd year does not turn the log.)
        var startedDays: (last: Day, back: Int, forward: Int, step: Int)?
        /// Whether the document's first two day headings run newest first:
        /// the first day's block, read before any step, follows them.
        var headingsOpenNewestFirst = false
        /// Whether the entries are a story's timed paragraphs (no timeline
        /// section, table or timed line), and when the story was written,
        /// if its date line says to the minute (a mail's "Thu Mar 23
        /// 21:04:07 UTC 2023"): a story goes back in time as often as it
        /// passes midnight (`resolve`).
        var story = false
        var written: Date?
        /// Whether the page is a status history whose updates each carry a
        /// dated stamp (`isStampedLog`).
        var stampedLog = false
        /// Whether `mentioned` is the page's publication ("Published on
        /// 2024-03-08"), which follows what it tells.
        var mentionedIsPublication = false
        var daysRunNewestFirst: Bool {
            guard let d = startedDays else { return false }
            // Mostly newest first, whatever one heading (a typo'd year) says.
            if d.back >= 3, d.back > 3 * d.forward { return true }
            if d.step != 0 { return d.step < 0 }
            return d.back + d.forward == 0 && headingsOpenNewestFirst
        }

        init(fallback: Day?) {
            self.fallback = fallback
        }

        /// A heading with a date: following times are on that day.
        mutating func start(_ day: Day) {
            self.day = day
            last = nil
            if bareStart != nil { daysStartedAfterBareTimes += 1 }
            if let (previous, back, forward, _) = startedDays {
                // (The same day again starts a block of its own: a timeline after a status log.)
                startedDays = day.iso < previous.iso ? (day, back + 1, forward, -1) : day == previous ? (day, back, forward, 0) : (day, back, forward + 1, 1)
            } else {
                startedDays = (day, 0, 0, 0)
            }
        }
    }

    /// Whether the first two days that headings name run newest first
    /// ("## March 6, 2024" above "## March 5, 2024"; a date alone on its
    /// line, "2019-4-23" over that day's updates, heads them as one would).
    static func headingsOpenNewestFirst(_ lines: [String], order: SlashOrder?) -> Bool {
        var days: [Day] = []
        // (A date alone counts only over a line that opens with a time: a
        // page's own date under its title heads nothing.)
        func headsTimes(_ i: Int) -> Bool {
            guard let next = lines[(i + 1)...].prefix(3).first(where: { !$0.trimmed.isEmpty }) else { return false }
            return splitLeadingTime(listItemContent(next.trimmed) ?? next.trimmed) != nil
        }
        for (i, line) in lines.enumerated() {
            let t = line.trimmed
            // ("Montag, 15.01.2018" over "17:46 Uhr: …": a weekday and its date.)
            let opensWithADay = t.first?.isNumber == true
                || weekdayIndex(String(t.prefix { $0.isLetter }).lowercased()) != nil && t.contains(where: \.isNumber)
            let heading = t.hasPrefix("#") ? t : t.count <= 30 && opensWithADay && !t.contains(":") && headsTimes(i) ? "# " + t : nil
            guard let heading, let day = headingDay(heading, fallbackYear: nil, order: order), day != days.last else { continue }
            days.append(day)
            if days.count == 2 { return days[1].iso < days[0].iso }
        }
        return false
    }

    /// A list of times without dates written newest first, as status
    /// updates often are (`15:00 (Sat) All restored`, `20:30`, `18:00` … down
    /// to `14:30 First report`): read forward, every step back in time looks
    /// like midnight passing. Its days are counted from its end instead, the
    /// oldest entry on the day the document gives. Nil when the rows do not
    /// run that way: at least three steps back in time and three times as
    /// many as steps forward (a list read forward steps back only at
    /// midnight).
    ///
    /// Rows with a date of their own (`dated`, by index: "2024-01-18 00:10
    /// UTC" among bare "00:25 UTC" updates) keep it, if they too run newest
    /// first, and the bare times above each are counted from it.
    static func newestFirst(_ rows: [ImportedTimelineRow], dated: Set<Int>, context: DateContext) -> [ImportedTimelineRow]? {
        guard rows.count >= 3, context.daysStartedAfterBareTimes == 0, let start = context.bareStart,
              let midnight = compose(start.day, TimeOfDay(hour: 0, minute: 0, second: 0, fraction: 0), start.zone) else { return nil }
        let datedTimes = rows.indices.filter { dated.contains($0) }.map { rows[$0].occurredAt }
        // (A dated log with a bare time or two among its rows is read as written.)
        guard datedTimes.isEmpty || rows.count - datedTimes.count >= 3,
              zip(datedTimes, datedTimes.dropFirst()).allSatisfy({ $1 <= $0 }) else { return nil }
        let day: TimeInterval = 86_400
        let times = rows.map { row -> Date in
            let r = row.occurredAt.timeIntervalSince(midnight).truncatingRemainder(dividingBy: day)
            return midnight.addingTimeInterval(r < 0 ? r + day : r)
        }
        let steps = zip(times, times.dropFirst())
        let back = steps.filter { $1 < $0 }.count, forward = steps.filter { $1 > $0 }.count
        // (Three updates that each go back in time, "9:00 PM", "8:00 PM",
        // "6:30 PM", are newest first too: no log runs over two midnights so.)
        guard (back >= 3 && back >= 3 * forward) || (forward == 0 && back >= 2) else { return nil }
        /// The clock of row `i` on the day of `neighbour`, moved a day
        /// (`step`: +1 above a row read bottom-up, -1 below one read top-down)
        /// when it lands more than an hour on the wrong side of it.
        func placed(_ i: Int, by neighbour: Date, step: Double) -> Date {
            let clock = times[i].timeIntervalSince(midnight)
            var t = compose(Day(date: neighbour, timeZone: start.zone), TimeOfDay(hour: 0, minute: 0, second: 0, fraction: 0), start.zone)
                .map { $0.addingTimeInterval(clock) } ?? times[i]
            if step > 0, t < neighbour.addingTimeInterval(-3600) { t = t.addingTimeInterval(day) }
            if step < 0, t > neighbour.addingTimeInterval(3600) { t = t.addingTimeInterval(-day) }
            return t
        }
        var read = rows
        if let firstDated = rows.indices.first(where: { dated.contains($0) }) {
            // Above the first dated row, each time is later than the one below it;
            // below a dated row, each is earlier than the one above it.
            for i in (0 ..< firstDated).reversed() { read[i].occurredAt = placed(i, by: read[i + 1].occurredAt, step: 1) }
            for i in (firstDated + 1) ..< rows.count where !dated.contains(i) { read[i].occurredAt = placed(i, by: read[i - 1].occurredAt, step: -1) }
        } else {
            var later: Date?
            for i in rows.indices.reversed() {
                let t = later.map { placed(i, by: $0, step: 1) } ?? times[i]
                read[i].occurredAt = t
                later = t
            }
        }
        return read
    }

    /// The cells of one row, by role, as written.
    struct RowCells {
        var line: Int
        var time: String
        var author: String
        var text: String
        var kind: String
        var reflection: String
    }

    /// Builds a row; commits the date context only when the row is good. A
    /// cell with a day and no time (`2021-12-10`, `May 31`) puts the row at
    /// the start of that day and says so in `dayOnly`.
    static func buildRow(_ cells: RowCells, zone: TimeZone, context: inout DateContext, dayOnly: inout Bool) throws(Failure) -> ImportedTimelineRow {
        var timeCell = cells.time.trimmed
        guard !timeCell.isEmpty else { throw .row("the row has no time (\(expectedTimes))") }
        // "Jan 27th 2025, 18:50:28 UTC (block [24154245](…))": what is in
        // parentheses after the time goes with the text.
        var aside = ""
        if let open = timeCell.firstIndex(of: "("), (try? stamp(timeCell, order: context.slashOrder)) == nil,
           (try? stamp(String(timeCell[..<open]), order: context.slashOrder))?.time != nil {
            aside = String(timeCell[open...])
            timeCell = String(timeCell[..<open]).trimmed
        }
        var scratch = context
        var stamped = try stamp(timeCell, order: context.slashOrder)
        dayOnly = stamped.time == nil && stamped.month != nil && stamped.day != nil
        if dayOnly { stamped.time = TimeOfDay(hour: 0, minute: 0, second: 0, fraction: 0) }
        let occurredAt = try resolve(stamped, cell: timeCell, zone: zone, context: &scratch)
        let text = aside.isEmpty ? cells.text.trimmed : (cells.text.trimmed + " " + aside).trimmed
        // A day alone ("| (Sat 2025-04-26) | |") separates the days of a table.
        guard !text.isEmpty || dayOnly else { throw .row("the row has no text") }
        var kind: TimelineKind?
        let kindCell = cells.kind.trimmed.lowercased()
        if !kindCell.isEmpty {
            guard let k = TimelineKind(rawValue: kindCell) else {
                throw .row("unknown kind \"\(cells.kind.trimmed)\" (expected alert, action, observation, decision, communication or note)")
            }
            kind = k
        }
        let author = cells.author.trimmed
        let reflection = cells.reflection.trimmed
        context = scratch
        return ImportedTimelineRow(
            line: cells.line, occurredAt: occurredAt, author: author.isEmpty ? defaultAuthor : author,
            text: text, kind: kind, reflection: reflection.isEmpty ? nil : reflection
        )
    }

    // MARK: - CSV

    static func parseCSV(_ text: String, delimiter: Character, state: inout ParseState) throws(TimelineTableError) -> TimelineTableResult {
        let records = try csvRecords(text, delimiter: delimiter, fileName: state.fileName)
        // A spreadsheet's dates are in its rows; one mentioned in a row's text dates nothing.
        state.context.mentioned = nil
        guard let headerIndex = records.firstIndex(where: { !isBlank($0.fields) }) else {
            throw state.error("the file is empty (\(expectedFile))", line: nil)
        }
        let header = records[headerIndex]
        let columns = Columns(csvHeader: header.fields)
        guard columns.hasRequired else {
            var missing: [String] = []
            if columns.time == nil {
                missing.append("no time column (accepted names: time, timestamp, when, date/time, datetime, occurred at)")
            }
            if columns.text == nil {
                missing.append("no text column (accepted names: text, description, event, what, message, what happened)")
            }
            let found = header.fields.map { "\"\($0.trimmed)\"" }.joined(separator: ", ")
            throw state.error("\(missing.joined(separator: "; ")); columns found: \(found)", line: header.line)
        }
        let zone = columns.zone ?? state.defaultZone
        for record in records[(headerIndex + 1)...] where !isBlank(record.fields) {
            let fields = record.fields
            // Fewer fields than the header: the missing ones are empty. More
            // (not empty): most likely text with an unquoted delimiter.
            if fields.count > header.fields.count, !isBlank(Array(fields[header.fields.count...])) {
                let shown = delimiter == "\t" ? "a tab" : "\"\(delimiter)\""
                try state.record(
                    .row("the row has \(fields.count) fields but the header has \(header.fields.count) (put text that contains \(shown) in double quotes)"),
                    line: record.line
                )
                continue
            }
            do throws(Failure) {
                var dayOnly = false
                let row = try buildRow(columns.cells(fields, line: record.line), zone: zone, context: &state.context, dayOnly: &dayOnly)
                if row.text.isEmpty { throw Failure.row("the row has no text") }
                if dayOnly { state.noteDayOnly(line: record.line) }
                state.rows.append(row)
            } catch {
                try state.record(error, line: record.line)
            }
        }
        return TimelineTableResult(rows: state.rows, skipped: state.skipped, format: .csv, notes: state.notes)
    }

    static func isBlank(_ fields: [String]) -> Bool {
        fields.allSatisfy { $0.trimmed.isEmpty }
    }

    /// The delimiter used most in the header line, outside quotes: `,`, `;` or tab.
    static func detectDelimiter(_ line: String) -> Character {
        var counts: [Character: Int] = [:]
        var inQuotes = false
        for c in line {
            if c == "\"" { inQuotes.toggle() }
            if !inQuotes, c == "," || c == ";" || c == "\t" { counts[c, default: 0] += 1 }
        }
        let best = counts.max { $0.value < $1.value || ($0.value == $1.value && $1.key == ",") }
        return best?.key ?? ","
    }

    /// RFC 4180 records, each with the line it starts on. Line endings are
    /// already `\n`. A quote opens a quoted field only at the start of a field
    /// (after optional spaces); a stray quote elsewhere is kept as text.
    static func csvRecords(_ text: String, delimiter: Character, fileName: String) throws(TimelineTableError) -> [(line: Int, fields: [String])] {
        var records: [(line: Int, fields: [String])] = []
        var fields: [String] = []
        var field = ""
        var inQuotes = false
        var quoted = false
        var line = 1
        var recordLine = 1
        var quoteLine = 1
        let chars = Array(text)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if inQuotes {
                if c == "\"" {
                    if i + 1 < chars.count, chars[i + 1] == "\"" {
                        field.append("\"")
                        i += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    if c == "\n" { line += 1 }
                    field.append(c)
                }
            } else if c == "\"", !quoted, field.allSatisfy({ $0 == " " }) {
                field = ""
                inQuotes = true
                quoted = true
                quoteLine = line
            } else if c == delimiter {
                fields.append(field)
                field = ""
                quoted = false
            } else if c == "\n" {
                fields.append(field)
                records.append((recordLine, fields))
                fields = []
                field = ""
                quoted = false
                line += 1
                recordLine = line
            } else {
                field.append(c)
            }
            i += 1
        }
        if inQuotes {
            throw TimelineTableError(fileName: fileName, line: quoteLine, message: "a quoted field starts here and is never closed (a closing \" is missing)")
        }
        if !field.isEmpty || !fields.isEmpty || quoted {
            fields.append(field)
            records.append((recordLine, fields))
        }
        return records
    }

    // MARK: - Columns

    enum Role {
        case time, date, author, text, kind, reflection
    }

    struct Columns {
        var time: Int?
        var date: Int?
        var author: Int?
        var text: Int?
        var kind: Int?
        var reflection: Int?
        /// From the time (or date) column's header: `Time (UTC)`.
        var zone: TimeZone?
        /// A year written in the date column's header: `Date (2022)`.
        var year: Int?
        /// A weekday column beside a date column: read by neither role.
        var weekday: Int?

        var hasRequired: Bool { time != nil && text != nil }

        init(csvHeader: [String]) {
            self.init(header: csvHeader, role: TimelineTable.csvRole)
        }

        init(header: [String], role: (String) -> Role?) {
            var zones: [Int: TimeZone] = [:]
            var years: [Int: Int] = [:]
            // Columns headed by a zone alone (`| NZST | UTC | Event |`): times, in that zone.
            var zoneOnly: [Int] = []
            for (index, raw) in header.enumerated() {
                let (name, zone) = TimelineTable.headerName(raw)
                if let zone { zones[index] = zone }
                if zone != nil, name.isEmpty { zoneOnly.append(index) }
                if let y = TimelineTable.yearInParentheses(raw) { years[index] = y }
                guard let r = role(name) else { continue }
                if r == .date, name == "day" || name == "weekday", header.contains(where: { TimelineTable.headerName($0).0.hasPrefix("date") }) {
                    // "| Day | Date (2022) | Time |": the day is "Fri".
                    weekday = index
                    continue
                }
                switch r {
                case .time: if time == nil { time = index }
                case .date: if date == nil { date = index }
                case .author: if author == nil { author = index }
                case .text: if text == nil { text = index }
                case .kind: if kind == nil { kind = index }
                case .reflection: if reflection == nil { reflection = index }
                }
            }
            if time == nil, let first = zoneOnly.first {
                // The same moments in two zones: the first column, which
                // people fill in full (the second often only "—" or "~05:00").
                time = first
            }
            // A lone date column holds whole timestamps.
            if time == nil, let d = date {
                time = d
                date = nil
            }
            zone = time.flatMap { zones[$0] } ?? date.flatMap { zones[$0] }
            year = date.flatMap { years[$0] } ?? time.flatMap { years[$0] }
        }

        var assigned: Set<Int> {
            Set([time, date, author, text, kind, reflection, weekday].compactMap { $0 })
        }

        /// The named columns no role was given, with their names as written.
        func others(_ header: [String]) -> [(index: Int, name: String)] {
            header.indices.filter { !assigned.contains($0) }.compactMap { i in
                let name = header[i].trimmingCharacters(in: CharacterSet(charactersIn: " *_`"))
                return name.isEmpty ? nil : (i, name)
            }
        }

        func cells(_ fields: [String], line: Int) -> RowCells {
            func cell(_ index: Int?) -> String {
                guard let index, index < fields.count else { return "" }
                return fields[index]
            }
            var dateCell = cell(date).trimmed
            if let year, !dateCell.isEmpty, !TimelineTable.tokens(dateCell, strict: false).contains(where: TimelineTable.isYearToken) {
                dateCell += " \(year)"
            }
            let timeCell = [dateCell, cell(time)].map(\.trimmed).filter { !$0.isEmpty }.joined(separator: " ")
            return RowCells(
                line: line, time: timeCell, author: cell(author), text: cell(text),
                kind: cell(kind), reflection: cell(reflection)
            )
        }
    }

    /// A year written in parentheses in a header: `Date (2022)`.
    static func yearInParentheses(_ raw: String) -> Int? {
        guard let open = raw.firstIndex(of: "("), let close = raw[open...].firstIndex(of: ")") else { return nil }
        for case .number(let v, 4) in tokens(String(raw[raw.index(after: open) ..< close]), strict: false) where (1900...2100).contains(v) {
            return v
        }
        return nil
    }

    /// Whether a token carries a year.
    static func isYearToken(_ token: Token) -> Bool {
        switch token {
        case .number(_, 4), .isoDate: true
        case .slashDate(_, let digits): digits.contains(4)
        default: false
        }
    }

    /// A header's name, lowercased with only letters and digits kept and any
    /// zone taken out, and that zone: `Time (UTC)` → ("time", UTC).
    static func headerName(_ raw: String) -> (String, TimeZone?) {
        var outside = ""
        var insides: [String] = []
        var depth = 0
        var inside = ""
        for c in raw {
            if c == "(" || c == "[" {
                depth += 1
                if depth == 1 { inside = "" }
            } else if (c == ")" || c == "]") && depth > 0 {
                depth -= 1
                if depth == 0 { insides.append(inside) }
            } else if depth > 0 {
                inside.append(c)
            } else {
                outside.append(c)
            }
        }
        var zone: TimeZone?
        for text in insides where zone == nil {
            zone = zoneInText(text)
        }
        var name = ""
        for token in tokens(outside, strict: false) {
            switch token {
            case .word(let w):
                if zone == nil, let z = namedZone(w) { zone = z } else { name += w }
            case .offset(let seconds):
                if zone == nil { zone = TimeZone(secondsFromGMT: seconds) }
            case .number(let v, _):
                name += String(v)
            default:
                break
            }
        }
        return (name, zone)
    }

    static func csvRole(_ name: String) -> Role? {
        switch name {
        case "time", "timestamp", "when", "datetime", "occurredat", "occurred", "at": .time
        // Postmortems are written in many languages: Japanese, Chinese,
        // Korean, German, French, Spanish, Portuguese and Dutch headers.
        case "時刻", "時間", "日時", "时间", "时刻", "시간", "시각", "시점", "일시", "zeit", "uhrzeit", "zeitpunkt", "heure", "horaire", "hora", "tijd", "tijdstip": .time
        case "date", "day", "日付", "日期", "날짜", "datum", "fecha": .date
        case "author", "who", "person", "user", "by", "username": .author
        case "text", "description", "event", "what", "message", "whathappened", "summary", "details", "entry",
             "出来事", "内容", "事象", "概要", "対応", "対応内容", "事件", "描述", "事项", "내용", "사건", "이벤트", "조치",
             "ereignis", "beschreibung", "vorgang", "événement", "evenement", "événements", "evento", "descripción", "descrição", "acontecimiento", "gebeurtenis", "beschrijving": .text
        case "kind", "type", "category": .kind
        case "reflection", "thinking", "whatiwasseeing", "whatiwasthinking", "notes", "note": .reflection
        default: nil
        }
    }

    /// Markdown headers are looser (`Time (UTC)`, `Action taken`, `Who`);
    /// only a column called "kind" is read as a kind, since a "Type" column in
    /// a written postmortem holds anything.
    static func markdownRole(_ name: String) -> Role? {
        if let role = csvRole(name) {
            return role == .kind && name != "kind" ? nil : role
        }
        if name.contains("time") || name.contains("when") { return .time }
        if name.hasPrefix("who") || name.contains("author") || ["owner", "responder", "actor", "name", "person", "people"].contains(name) {
            return .author
        }
        if name.contains("reflection") || name.contains("thinking") || name.contains("seeing") { return .reflection }
        let textWords = ["event", "description", "what", "action", "text", "message", "detail", "summary", "activity", "update", "happen", "entry", "step"]
        if textWords.contains(where: { name.contains($0) }) { return .text }
        return nil
    }

    // MARK: - Markdown

    static func isTableStart(_ lines: [String], _ i: Int) -> Bool {
        guard i + 1 < lines.count, lines[i].trimmed.hasPrefix("|") else { return false }
        // (A table copied from a page as tab-separated lines has no separator:
        // its first row is the header; see `tabTablesAsPipeTables`.)
        return isSeparator(lines[i + 1]) || (lines[i].hasPrefix("|\t") && (i == 0 || !lines[i - 1].hasPrefix("|\t")))
    }

    /// `|---|:--:|` (the pipes at the ends optional).
    static func isSeparator(_ line: String) -> Bool {
        let t = line.trimmed
        guard t.contains("-"), t.contains("|") || t.hasPrefix("-") || t.hasPrefix(":") else { return false }
        return t.allSatisfy { $0 == "|" || $0 == "-" || $0 == ":" || $0 == " " || $0 == "\t" }
    }

    static func parseMarkdown(_ lines: [String], state: inout ParseState) throws(TimelineTableError) -> TimelineTableResult {
        var proseZone: TimeZone?
        var otherTables: [(line: Int, header: [String])] = []
        var timelineTables = 0
        var unread: [SkippedRow] = []
        let section = state.section
        var i = 0
        while i < lines.count {
            let t = lines[i].trimmed
            if isTableStart(lines, i) {
                let header = tableCells(t)
                var rows: [(line: Int, cells: [String])] = []
                var j = isSeparator(lines[i + 1]) ? i + 2 : i + 1
                while j < lines.count, lines[j].trimmed.hasPrefix("|") {
                    rows.append((j + 1, tableCells(lines[j].trimmed)))
                    j += 1
                }
                var columns = Columns(header: header, role: markdownRole)
                // A table whose first column holds times but is not named so.
                if columns.time == nil, header.count >= 2, !columns.assigned.contains(0),
                   let firstCell = rows.first?.cells.first, (try? stamp(firstCell, order: state.context.slashOrder))?.time != nil {
                    columns.time = 0
                }
                if columns.text == nil, columns.time != nil {
                    let rest = header.indices.filter { !columns.assigned.contains($0) }
                    if rest.count == 1 { columns.text = rest[0] }
                }
                if columns.hasRequired, section.headed, !section.lines.contains(i) {
                    // Under a Timeline heading, a table elsewhere (a review's
                    // "What happened" quoting a chat log, say) is not the timeline.
                    otherTables.append((i + 1, header))
                } else if columns.hasRequired {
                    timelineTables += 1
                    // "| Timeline 20.04.22 | Event |": the day of rows that give only a time.
                    if let t = columns.time, let day = day(in: tokens(header[t], strict: false), fallbackYear: nil, order: state.context.slashOrder) {
                        state.context.start(day)
                    }
                    try readTable(rows, header: header, columns: columns, zone: columns.zone ?? proseZone ?? state.defaultZone, state: &state)
                } else {
                    otherTables.append((i + 1, header))
                    if section.headed, section.lines.contains(i) {
                        unread.append(SkippedRow(line: i + 1, reason: "a table without a time column and a description column"))
                    }
                }
                i = j
                continue
            }
            if !t.hasPrefix("|") {
                let used = readProse(t, line: i + 1, state: &state, zone: &proseZone)
                if !used, section.headed, section.lines.contains(i), !t.isEmpty, !t.hasPrefix("#") {
                    unread.append(SkippedRow(line: i + 1, reason: "outside the timeline table"))
                }
            }
            i += 1
        }
        if timelineTables == 0, let list = try parseSection(lines, state: &state) {
            return list
        }
        state.unread += unread
        if timelineTables == 0 {
            let found = otherTables.map { "(" + $0.header.map { "\"\($0)\"" }.joined(separator: ", ") + ")" }.joined(separator: ", ")
            throw state.error(
                "no timeline table: found tables with columns \(found), but a timeline table needs a time column (Time, When, Timestamp) and a description column (Event, Description, What, Action, Text)",
                line: otherTables.first?.line
            )
        }
        return state.result(.markdown)
    }

    /// A line outside the timeline: a heading or a line above the table may
    /// date what follows, or say which zone its times are in.
    /// Whether the line dated or zoned anything.
    @discardableResult
    static func readProse(_ t: String, line: Int, state: inout ParseState, zone: inout TimeZone?) -> Bool {
        var used = false
        // A statement that wraps onto the next line ("… all times are in\nUTC.")
        // is read with the line before it (only that one: a long run of
        // prose is not read again at every line).
        let paragraph = t.isEmpty || t.hasPrefix("#") ? "" : (state.paragraph.isEmpty ? t : state.paragraph + " " + t)
        state.paragraph = t.isEmpty || t.hasPrefix("#") ? "" : t
        if state.context.fallback == nil, statesTheDay(paragraph),
           let day = day(in: tokens(paragraph, strict: false), fallbackYear: state.context.mentioned?.day.year, order: state.context.slashOrder) {
            // "Unless otherwise noted all events happened on 2019-10-21":
            // the day of every time without one, whatever an entry with its
            // own date says.
            state.context.start(day)
            state.context.statedDay = day
            used = true
        }
        if !state.bylines.contains(line - 1), let day = headingDay(t, fallbackYear: state.context.fallback?.year ?? state.context.mentioned?.day.year, order: state.context.slashOrder) {
            used = true
            // "On the 15/12/21 (in CET):": the day line says the zone of its times.
            if let m = t.firstMatch(of: #/\((?i:in\s+)?([A-Za-z]{2,5}(?:[+\-\u{2212}]\d{1,2}(?::?\d{2})?)?)\)/#),
               let said = zoneInText(String(m.output.1)) {
                zone = said
            }
            if let given = state.context.fallback, !state.givenDateUsed {
                // --date wins over the first date the document gives (a title
                // with a typo, say); later days (## 2026-03-02) still count.
                state.givenDateUsed = true
                if day != given {
                    state.notes.append(SkippedRow(line: line, reason: "the date \(day.iso) written here was not used: --date \(given.iso) was given"))
                }
            } else {
                state.context.start(yearSlipMended(day, in: t, line: line, state: &state))
            }
        }
        let statement = paragraph.isEmpty ? t : paragraph
        // The line names the zone ("All times in PST"), or finishes a
        // statement the line before began ("… all times are in" / "UTC.");
        // a sentence that merely quotes a time with its zone is neither.
        let lower = t.lowercased()
        let namesZone = lower.contains("time") || (t.hasPrefix("#") && namesTimeline(t))
            || ["時刻", "時間", "时间", "시간", "시각"].contains { lower.contains($0) }
            || (t.split(separator: " ").count <= 3 && statement.lowercased().contains("time")) || isZoneAlone(t)
        if !namesZone, let said = zoneSaidInAnotherLanguage(t) {
            zone = said
            return true
        }
        // In a long paragraph the zone is the one said of the times: right
        // after "times" ("all times UTC") or after "in", "are" or "is"
        // ("All of the times here, unless noted, are given in Eastern Time"):
        // in "put in place at the time, ICT prevented App registrations" ICT
        // is the IT department, not Indochina Time.
        let long = !t.hasPrefix("#") && t.split(separator: " ").count > 12
        let saidOfTimes: TimeZone? = long ? zoneSaidOfTimes(t) : nil
        if namesZone, let found = long ? saidOfTimes : zoneInText(t) ?? zoneInText(statement) ?? zoneSaidInAnotherLanguage(t) {
            zone = found
            used = true
        }
        return used
    }

    /// "(Heure française, UTC+1)", "Toutes les heures sont indiquées en
    /// UTC", "Uhrzeit in MEZ", "Horario UTC-3": the zone written right after
    /// the word for time in French, German, Spanish, Portuguese, Dutch or
    /// Italian. Only an offset or a zone's abbreviation in capitals counts:
    /// in those languages "est", "et" and "ist" are words.
    static func zoneSaidInAnotherLanguage(_ t: String) -> TimeZone? {
        // "(horário de Brasília)", "heure de Paris": the city whose time it is.
        // Only where a zone is stated, not in passing ("…, heure de Paris."
        // in a sentence about customers): a heading, parentheses, a short line.
        let statesIt = t.hasPrefix("#") || t.split(separator: " ").count <= 8
        if let m = t.firstMatch(of: #/(?i:(\()?\b(?:heure|hora|horário|horario|ora|uhrzeit|zeit)\s+(?:de|da|di|von|du)\s+(\p{L}{4,12}))(?![\p{L}\d])/#),
           statesIt || m.output.1 != nil, let id = cityZones[m.output.2.lowercased()] {
            return TimeZone(identifier: id)
        }
        guard let m = t.firstMatch(of: #/(?i:\b(?:heures?|horaire|uhrzeit\p{L}*|zeit\p{L}*|horas?|horári\p{L}*|horari\p{L}*|tijd\p{L}*|orari\p{L}*|ora)\b)[^.;]{0,30}?\b((?:UTC|GMT)(?:\s?[+\-\u{2212}]\d{1,2}(?::?\d{2})?)?|[A-Z]{2,5})(?![\p{L}\d])/#) else { return nil }
        return zoneInText(String(m.output.1))
    }

    /// The zone a sentence says the times are in, or nil (see `readProse`).
    static func zoneSaidOfTimes(_ t: String) -> TimeZone? {
        // "… an outage that began this morning Eastern time": the zone named
        // before "time", capitalised ("the central time server" is a server).
        // ("AU Eastern Time" is Australia's: no such name is read.)
        if let m = t.firstMatch(of: #/(?:(\p{L}+)\s+)?\b(Eastern|Pacific|Central|Mountain)\s+(?:[Ss]tandard\s+|[Dd]aylight\s+)?[Tt]ime\b/#) {
            let country = m.output.1.map { String($0).lowercased() } ?? ""
            return ["au", "aus", "australian", "australia"].contains(country) ? nil : zoneInText(String(m.output.2).lowercased())
        }
        for m in t.matches(of: #/(?i)\b(?:times?|timestamps?)\b([^.;]{0,80})/#) {
            let rest = m.output.1
            if let right = rest.prefixMatch(of: #/\s+\(?([\p{L}]{2,7}(?:[+\-\u{2212}]\d{1,2}(?::?\d{2})?)?)\)?(?![\p{L}])/#),
               let zone = zoneInText(String(right.output.1)) { return zone }
            // "(all times US Pacific Time)": the country before the zone's name.
            // ("AU Eastern Time" is Australia's: no such name is read.)
            if let country = rest.prefixMatch(of: #/\s+(?:US|U\.S\.)\s+(\p{L}{4,9})\s+(?i:time)\b/#),
               let zone = zoneInText(String(country.output.1)) { return zone }
            for linked in rest.matches(of: #/(?i)\b(?:in|are|is|as|using)\s+((?:[\p{L}\d()+:\-\u{2212}/]+\s*){1,3})/#) {
                if let zone = zoneInText(String(linked.output.1)) { return zone }
            }
        }
        return nil
    }

    /// A line that is only a zone ("(UTC+9:30)", "**PDT**") under a Timeline
    /// heading: the zone of the times below it, not a time of 9:30.
    static func isZoneAlone(_ t: String) -> Bool {
        let s = t.trimmingCharacters(in: CharacterSet(charactersIn: "()[]*_:. "))
        if s.firstMatch(of: #/^(?i:utc|gmt)\s?[+\-\u{2212}]\d{1,2}(?::?\d{2})?$/#) != nil { return true }
        return s.count <= 5 && s.allSatisfy({ $0.isASCII && $0.isUppercase }) && namedZone(s.lowercased()) != nil
    }

    /// Whether a sentence gives the day of the whole timeline.
    static func statesTheDay(_ paragraph: String) -> Bool {
        let lower = paragraph.lowercased()
        return lower.contains("unless otherwise") || lower.contains("all events") || lower.contains("all entries")
    }

    static func readTable(_ rows: [(line: Int, cells: [String])], header: [String], columns: Columns, zone: TimeZone, state: inout ParseState) throws(TimelineTableError) {
        var previous: Date?
        for (line, rawCells) in rows where !isBlank(rawCells) {
            var fields = rawCells
            // An unescaped "|" in the last column's text splits it: join it back.
            if fields.count > header.count, columns.text == header.count - 1 {
                fields = Array(fields[..<(header.count - 1)]) + [fields[(header.count - 1)...].joined(separator: " | ")]
            }
            var cells = columns.cells(fields, line: line)
            cells.author = cells.author.trimmed.trimmingCharacters(in: CharacterSet(charactersIn: "*_`"))
            // Columns the table has beyond time, author, text, kind and
            // reflection (a Status, an Impact) are kept with the text rather
            // than lost: "Automated alerts" + "Status: INCIDENT declared".
            for (index, name) in columns.others(header) where index < fields.count && !fields[index].trimmed.isEmpty {
                cells.text += (cells.text.trimmed.isEmpty ? "" : "\n\n") + "\(name): \(fields[index].trimmed)"
            }
            cells.text = cells.text.replacingOccurrences(of: "<br />", with: "\n")
                .replacingOccurrences(of: "<br/>", with: "\n")
                .replacingOccurrences(of: "<br>", with: "\n")
            try appendRow(cells, zone: zone, previous: &previous, state: &state)
        }
    }

    /// Adds a table row or list item, or records why it cannot be read. A
    /// continuation (no time, "...", "–") is the moment of the row above.
    static func appendRow(_ cells: RowCells, zone: TimeZone, previous: inout Date?, state: inout ParseState) throws(TimelineTableError) {
        var cells = cells
        do throws(Failure) {
            var row: ImportedTimelineRow
            var dayOnly = false
            if isContinuation(cells.time), let previous {
                cells.time = "00:00"
                var scratch = state.context
                row = try buildRow(cells, zone: zone, context: &scratch, dayOnly: &dayOnly)
                row.occurredAt = previous
            } else {
                let before = state.context
                row = try buildRow(cells, zone: zone, context: &state.context, dayOnly: &dayOnly)
                let time = cells.time.trimmed
                let inEffect = before.day ?? before.fallback ?? before.mentioned?.day
                if dayOnly, time.hasPrefix("("), time.hasSuffix(")"), let inEffect,
                   let day = compose(inEffect, TimeOfDay(hour: 0, minute: 0, second: 0, fraction: 0), zone), row.occurredAt < day {
                    // "(2025-04-26)" before a timeline of 2026-08-02:
                    // background from before the incident, set apart; the
                    // entries after it keep their day.
                    state.context = before
                    state.unread.append(SkippedRow(line: cells.line, reason: "a date in parentheses without a time of day: background, not an entry; add a time to import it as one"))
                    return
                }
            }
            if dayOnly {
                // In a written timeline a date without a time heads the
                // entries after it ("**August 1st 2022:** …"); it is not an
                // entry at a made-up midnight.
                state.unread.append(SkippedRow(line: cells.line, reason: "a date without a time of day: it dates the entries after it; add a time to import it as an entry"))
                return
            }
            previous = row.occurredAt
            let written = try? stamp(cells.time, order: state.context.slashOrder)
            if written?.month != nil { state.rowsWithTheirOwnDate.insert(state.rows.count) }
            if written?.zone != nil { state.rowsWithTheirOwnZone.insert(state.rows.count) }
            state.rows.append(row)
            if state.context.twelveHourConcluded, !state.twelveHourNoted {
                state.twelveHourNoted = true
                // Said once, where it was concluded, so a facilitator can check.
                state.notes.append(SkippedRow(line: cells.line, reason: twelveHourNote + ": \(cells.time.trimmed) follows a time of the noon hour and was read as p.m., as are the bare times after it"))
            }
            if let unknown = cells.time.firstMatch(of: #/\d{1,2}:\d[xX]/#) {
                // Said, so that a facilitator sees the guess and can correct it.
                state.notes.append(SkippedRow(line: cells.line, reason: "\"\(unknown.output)\" gives the minute to ten minutes: placed at the start of those ten"))
            }
        } catch {
            try state.record(error, line: cells.line)
        }
    }

    static let twelveHourNote = "the times are written on a 12-hour clock without a.m. or p.m."

    /// A time cell that means "the same moment as the row above": empty,
    /// an ellipsis, a dash or a ditto mark.
    static func isContinuation(_ cell: String) -> Bool {
        cell.trimmingCharacters(in: CharacterSet(charactersIn: " \t.…-–—\"〃'`*_")).isEmpty
    }

    /// The cells of a table line, trimmed; `\|` and pipes inside `code` are text.
    static func tableCells(_ line: String) -> [String] {
        func split(codeSpans: Bool) -> (cells: [String], balanced: Bool) {
            var cells: [String] = []
            var current = ""
            var inCode = false
            let chars = Array(line)
            var i = 0
            while i < chars.count {
                let c = chars[i]
                if c == "\\", i + 1 < chars.count, chars[i + 1] == "|" {
                    current.append("|")
                    i += 2
                    continue
                }
                if codeSpans, c == "`" { inCode.toggle() }
                if c == "|", !inCode {
                    cells.append(current)
                    current = ""
                } else {
                    current.append(c)
                }
                i += 1
            }
            cells.append(current)
            return (cells, !inCode)
        }
        let withCode = split(codeSpans: true)
        var cells = withCode.balanced ? withCode.cells : split(codeSpans: false).cells
        if line.hasPrefix("|"), !cells.isEmpty { cells.removeFirst() }
        if line.hasSuffix("|"), line.count > 1, !cells.isEmpty { cells.removeLast() }
        return cells.map(\.trimmed)
    }

    /// The day a heading, a bold line or a date-only line names:
    /// `## 2026-03-01`, `### March 1, 2026`, `**2026-03-01**`.
    static func headingDay(_ line: String, fallbackYear: Int?, order: SlashOrder? = nil) -> Day? {
        var text = line
        if text.hasPrefix("#") {
            text = String(text.drop { $0 == "#" })
        } else if (text.hasPrefix("**") && text.hasSuffix("**")) || (text.hasPrefix("__") && text.hasSuffix("__")) {
            text = String(text.dropFirst(2).dropLast(2))
        } else {
            // "On the 15/12/21 (in CET):", "On March 3rd:" over the day's entries.
            if text.count <= 60, let m = text.trimmed.wholeMatch(of: #/(?i:on)\s+(?:(?i:the)\s+)?([^()]+?)\s*(?:\([^()]{1,20}\))?\s*:/#) {
                text = String(m.output.1)
            }
            // "Date: 2023-11-22" on a line of its own (a page copied as
            // text drops the bold that made it a heading): the day of the
            // times below it. Not a page's "Published:" or "Last updated:".
            if let colon = text.firstIndex(of: ":"), text.distance(from: text.startIndex, to: colon) <= 30,
               case let label = text[..<colon].trimmingCharacters(in: CharacterSet(charactersIn: "*_ ")), !label.isEmpty,
               ["date", "incident date", "date of incident", "outage date", "datum", "fecha", "data"].contains(label.lowercased()) {
                text = String(text[text.index(after: colon)...])
            }
            // Only a date, and nothing else: "March 1, 2026" or "2026-03-01:".
            let s = try? stamp(text.trimmingCharacters(in: CharacterSet(charactersIn: ": ")), order: order)
            if let s, s.time == nil, let m = s.month, let d = s.day,
               let y = s.year ?? fallbackYear.map({ weekdayYear(tokens(text, strict: false), month: m, day: d, near: $0) }) {
                let day = Day(year: y, month: m, day: d)
                return day.isValid ? day : nil
            }
            // A line above a table that dates it in passing: "2015-10-21
            // (all times UTC)", "All times in PST, on February 8th 2019".
            // A sentence that merely mentions a date dates nothing.
            let lower = text.lowercased()
            var startsWithDate = false
            // ("(2026-07-09), masked because …" continues a sentence wrapped
            // from the line above: an aside, not a date line.)
            // (Nor "2013年12月24日 5:14 PM" atop a copied page: a moment, when
            // the page was posted, not the day of what it tells.)
            let toks = tokens(text, strict: false)
            if !text.hasPrefix("("), case .isoDate = toks.first, !toks.contains(where: { if case .clock = $0 { return true }; return false }) { startsWithDate = true }
            let namesTheZone = (lower.contains("all times") || lower.contains("times are") || lower.contains("times in")) && zoneInText(text) != nil
            guard text.count <= 80, startsWithDate || namesTheZone else { return nil }
        }
        return day(in: tokens(text, strict: false), fallbackYear: fallbackYear, order: order)
    }

    /// The first day the words name: `2026-03-01`, `25/03/2026`, `March 1st,
    /// 2026`, `1 March` (the year from `fallbackYear`).
    static func day(in toks: [Token], fallbackYear: Int?, order: SlashOrder?) -> Day? {
        for token in toks {
            if case .isoDate(let day) = token, day.isValid { return day }
            if case .slashDate(let parts, let digits) = token, let day = try? slashDay(parts, digits: digits, cell: "", order: order), day.isValid {
                return day
            }
            // "3月15日": marked as a month and a day, so read without a clock after it.
            if case .monthDay(let m, let d) = token, let y = fallbackYear, case let day = Day(year: y, month: m, day: d), day.isValid { return day }
        }
        for (k, token) in toks.enumerated() {
            guard case .word(let w) = token, let month = monthNumber(w) else { continue }
            var day: Int?
            // "2 de Enero 2025", "4 of July": the day before a connecting word.
            var neighbours = [k + 1, k - 1]
            if k >= 2, case .word(let w) = toks[k - 1], ["de", "del", "of", "di", "du"].contains(w) { neighbours.append(k - 2) }
            for neighbour in neighbours where toks.indices.contains(neighbour) {
                if case .number(let v, let digits) = toks[neighbour], digits <= 2, (1...31).contains(v) {
                    day = v
                    break
                }
            }
            var year = fallbackYear
            var yearWritten = false
            for t in toks {
                // A year, not "1541 UTC" (a time without its colon) or "1500 requests".
                if case .number(let v, 4) = t, (1970...2100).contains(v) { year = v; yearWritten = true; break }
            }
            if !yearWritten, let y = year, let day { year = weekdayYear(toks, month: month, day: day, near: y, around: k) }
            if let day, let year {
                let d = Day(year: year, month: month, day: day)
                if d.isValid { return d }
            }
        }
        return nil
    }

    // MARK: - Times

    struct TimeOfDay: Equatable {
        var hour: Int
        var minute: Int
        var second: Int
        var fraction: Double
    }

    struct Day: Equatable {
        var year: Int
        var month: Int
        var day: Int

        init(year: Int, month: Int, day: Int) {
            self.year = year
            self.month = month
            self.day = day
        }

        init(date: Date, timeZone: TimeZone) {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = timeZone
            let c = calendar.dateComponents([.year, .month, .day], from: date)
            self.init(year: c.year ?? 1970, month: c.month ?? 1, day: c.day ?? 1)
        }

        /// No incident happened before this year: "0001/01/01 00:00:00" is a
        /// programming language's smallest date, quoted.
        static let earliestYear = 1900

        var isValid: Bool {
            (Day.earliestYear...9999).contains(year) && (1...12).contains(month) && day >= 1 && day <= CivilDate.daysIn(month: month, year: year)
        }

        /// `2026-03-01`
        var iso: String {
            func pad(_ v: Int, _ width: Int) -> String {
                let s = String(v)
                return String(repeating: "0", count: max(0, width - s.count)) + s
            }
            return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
        }

        var next: Day {
            if day < CivilDate.daysIn(month: month, year: year) { return Day(year: year, month: month, day: day + 1) }
            if month < 12 { return Day(year: year, month: month + 1, day: 1) }
            return Day(year: year + 1, month: 1, day: 1)
        }

        /// 0 for Sunday … 6 for Saturday (1970-01-01 was a Thursday).
        var weekday: Int {
            ((CivilDate.daysSinceEpoch(year: year, month: month, day: day) + 4) % 7 + 7) % 7
        }

        var previous: Day {
            if day > 1 { return Day(year: year, month: month, day: day - 1) }
            if month > 1 { return Day(year: year, month: month - 1, day: CivilDate.daysIn(month: month - 1, year: year)) }
            return Day(year: year - 1, month: 12, day: 31)
        }
    }

    /// What a time cell says; the day may be missing (taken from context) and
    /// so may the zone.
    struct Stamp {
        var year: Int?
        var month: Int?
        var day: Int?
        var time: TimeOfDay?
        var zone: TimeZone?
        /// Whether the time said AM or PM.
        var meridiem = false
        /// "翌 00:15": on the day after the one in effect.
        var nextDay = false
        /// "8日 09:00": on that day of the month, the first from the day in effect.
        var dayOfMonth: Int?
        /// "Tues, 5:00pm": the weekday written with a time that has no date
        /// (0 is Sunday): the day with that name nearest the day in effect.
        var weekday: Int?
    }

    static func compose(_ day: Day, _ time: TimeOfDay, _ zone: TimeZone) -> Date? {
        guard day.isValid else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let components = DateComponents(
            year: day.year, month: day.month, day: day.day, hour: time.hour, minute: time.minute, second: time.second
        )
        guard let date = calendar.date(from: components) else { return nil }
        // A winter abbreviation read as its region's time (`regionalZones`)
        // in the hour the clocks repeat when summer time ends: "01:30 EST"
        // is the second 01:30, in standard time.
        if regionalZones.values.contains(zone.identifier), zone.isDaylightSavingTime(for: date) {
            let later = date.addingTimeInterval(zone.daylightSavingTimeOffset(for: date))
            if !zone.isDaylightSavingTime(for: later), calendar.dateComponents([.day, .hour, .minute], from: later) == calendar.dateComponents([.day, .hour, .minute], from: date) {
                return later.addingTimeInterval(time.fraction)
            }
        }
        return date.addingTimeInterval(time.fraction)
    }

    /// The moment a cell names, taking the day from the context when it has
    /// none (with midnight rollover), and moving the context on.
    static func resolve(_ s: Stamp, cell: String, zone: TimeZone, context: inout DateContext) throws(Failure) -> Date {
        guard let written = s.time else {
            if s.month != nil { throw .row("\"\(cell)\" has a date but no time (\(expectedTimes))") }
            throw .row("\"\(cell)\" is not a time (\(expectedTimes))")
        }
        let zone = s.zone ?? zone
        if s.meridiem { context.twelveHour = true }
        if let month = s.month, let d = s.day {
            let reference = context.day ?? context.fallback ?? context.mentioned?.day
            guard let year = s.year ?? reference.map({ Self.nearestYear(month: month, day: d, to: $0) }) else {
                throw .row("\"\(cell)\" has no year (write March 1, 2026 14:02 or 2026-03-01 14:02, or pass --date YYYY-MM-DD)")
            }
            let day = Day(year: year, month: month, day: d)
            guard var date = compose(day, written, zone) else { throw .row("\"\(cell)\" is not a valid date") }
            concludeTwelveHourClock(s, written, cell: cell, day: day, zone: zone, context: &context)
            // "July 12 1:34pm" then "July 12 2:00": in a document that writes
            // AM and PM, a bare time earlier on the same day than the entry
            // before is the afternoon's.
            // (Not a status history's stamp, "Posted Sep 11, 2023 - 11:20
            // AEST" under a postmortem that writes "10:44 AM": its stamps
            // run newest first on a 24-hour clock.)
            if !s.meridiem, context.twelveHour, !context.stampedLog, (1...11).contains(written.hour), let last = context.last, date < last {
                var afternoon = written
                afternoon.hour += 12
                if let later = compose(day, afternoon, zone), later >= last { date = later }
            }
            context.day = context.statedDay ?? day
            context.last = date
            context.datedRows += 1
            return date
        }
        if context.day == nil, context.fallback == nil, let mentioned = context.mentioned {
            context.day = mentioned.day
            context.mentionedUsed = mentioned
        }
        guard var day = context.day ?? context.fallback else { throw .file(noDate) }
        if context.bareStart == nil { context.bareStart = (day, zone) }
        var time = written
        concludeTwelveHourClock(s, written, cell: cell, day: day, zone: zone, context: &context)
        if !s.meridiem, context.twelveHour, (1...12).contains(time.hour), let last = context.last {
            // A bare time in a document that writes AM and PM: the reading of
            // the two that comes next after the time before it.
            var other = time
            other.hour = (time.hour + 12) % 24
            let candidates = [time, other].compactMap { t -> (TimeOfDay, Date)? in
                guard var d = compose(day, t, zone) else { return nil }
                if d < last, let later = compose(day.next, t, zone) { d = later }
                return (t, d)
            }
            if let best = candidates.min(by: { $0.1 < $1.1 }) { time = best.0 }
        }
        if let wanted = s.dayOfMonth, day.day != wanted {
            // "8日 09:00" after entries of the 7th: the next 8th from the day in effect.
            var next = day
            for _ in 0 ..< 62 where next.day != wanted { next = next.next }
            guard next.day == wanted else { throw .row("\"\(cell)\": no day \(wanted) follows \(day.iso)") }
            day = next
            context.last = nil
        }
        if let wanted = s.weekday, s.dayOfMonth == nil {
            // "Tues, 5:00pm:" then "Weds, 2:43am:" under "the outage on
            // Wednesday, September 5th": the day of that name nearest the
            // day in effect, within three days either side; when only the
            // page's publication dates them, the days so named in the week
            // up to it (a review published on Friday tells of Monday, not
            // the next).
            if context.datedRows == 0, context.startedDays == nil, context.mentionedIsPublication, let anchor = context.mentionedUsed?.day {
                var back = anchor
                for _ in 0 ..< 7 where back.weekday != wanted { back = back.previous }
                if back.weekday == wanted, back != day { day = back; context.last = nil }
            } else if day.weekday != wanted {
                var back = day, ahead = day
                for _ in 0 ..< 3 {
                    back = back.previous
                    ahead = ahead.next
                    if ahead.weekday == wanted { day = ahead; break }
                    if back.weekday == wanted { day = back; break }
                }
                if day.weekday == wanted { context.last = nil }
            }
        }
        if s.nextDay, context.last != nil {
            // "翌 21:30" after "21:05": the next day, however close the clocks.
            guard let next = compose(day.next, time, zone) else { throw .row("\"\(cell)\" is not a valid date") }
            context.day = day.next
            context.last = next
            return next
        }
        guard var date = compose(day, time, zone) else { throw .row("\"\(cell)\" is not a valid date") }
        if let last = context.last, date < last.addingTimeInterval(-3600), !context.daysRunNewestFirst,
           !isWindowToldAfterwards(cell, start: date, day: day, zone: zone, last: last), let later = compose(day.next, time, zone),
           // (Not in a story, past the moment it was written: "… at
           // 06:35:53, half an hour before the first email got lost" in a
           // mail sent at 21:04 goes back.)
           !(context.story && context.written.map { later > $0 } == true) {
            // More than an hour earlier than the row before on the same
            // implicit day: past midnight. (Within the hour it is two entries
            // written out of order: 14:46, then 14:44.)
            day = day.next
            date = later
        }
        context.day = day
        context.last = date
        return date
    }

    /// "| 03:00 – 11:00 | Window during which users were at risk |" after
    /// the 11:48 entry: a span that ended before the entry above, within
    /// the same half day, looks back on a window of that day; it is not
    /// the next night (a span past midnight, "00:10 – 00:40" after 23:50,
    /// starts more than twelve hours back).
    static func isWindowToldAfterwards(_ cell: String, start: Date, day: Day, zone: TimeZone, last: Date) -> Bool {
        let clocks = tokens(cell, strict: false).compactMap { token -> TimeOfDay? in if case .clock(let c) = token { return c }; return nil }
        guard clocks.count == 2, last.timeIntervalSince(start) < 12 * 3600, let end = compose(day, clocks[1], zone) else { return false }
        // It ends among the entries told, not hours before them ("08:00 –
        // 10:30" after 14:00 and 19:30 is the next morning).
        return end > start && end <= last && last.timeIntervalSince(end) <= 3 * 3600
    }

    /// "2015-02-27 12:39" then "2015-02-27 1:50" with no AM or PM anywhere:
    /// the writer's clock has twelve hours, and 1:50 is the afternoon's,
    /// an hour on, not eleven hours back (nor, without a date, past
    /// midnight). Only a one-digit hour just after the noon hour says so;
    /// "12:39" then "01:50" is a 24-hour clock passing midnight.
    static func concludeTwelveHourClock(_ s: Stamp, _ written: TimeOfDay, cell: String, day: Day, zone: TimeZone, context: inout DateContext) {
        if written.hour >= 13 { context.afternoonHourDay = day }
        guard !s.meridiem, !context.twelveHour, context.afternoonHourDay != day, let last = context.last,
              afternoonOnATwelveHourClock(written, cell: cell, day: day, zone: zone, after: last) else { return }
        context.twelveHour = true
        context.twelveHourConcluded = true
    }

    static func afternoonOnATwelveHourClock(_ written: TimeOfDay, cell: String, day: Day, zone: TimeZone, after last: Date) -> Bool {
        guard (1...11).contains(written.hour), let colon = cell.firstIndex(of: ":"),
              case let hour = cell[..<colon].reversed().prefix(while: { $0.isASCII && $0.isNumber }), hour.count == 1 else { return false }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        guard calendar.component(.hour, from: last) == 12, let morning = compose(day, written, zone), morning < last else { return false }
        var afternoon = written
        afternoon.hour += 12
        guard let later = compose(day, afternoon, zone) else { return false }
        return later >= last && later.timeIntervalSince(last) <= 4 * 3600
    }

    /// "November 5th ’24" as "November 5th 2024": a year shortened with an
    /// apostrophe after a day (before 1950 is not a postmortem's year).
    static func withShortYearsWritten(_ text: String) -> String {
        // A Swift pattern, not an NSRegularExpression kept in a static: no
        // lazily made Foundation object (the fuzz build's leak check flags one).
        text.replacing(#/(?i)(\d(?:st|nd|rd|th)?,?\s)[\u{2019}'\u{2018}](\d{2})(?![\d\p{L}])/#) { m in
            let yy = Int(m.output.2) ?? 0
            return m.output.1 + String(yy < 50 ? 2000 + yy : 1900 + yy)
        }
    }

    /// The year that puts a month and day written without one nearest the
    /// day the document is about: `[12-05 16:21]` in a report of March 2019
    /// is December 2018, the weeks before, not nine months after.
    static func nearestYear(month: Int, day: Int, to reference: Day) -> Int {
        let target = CivilDate.daysSinceEpoch(year: reference.year, month: reference.month, day: reference.day)
        // Only years in which the day exists (29 February).
        let years = [reference.year, reference.year - 1, reference.year + 1].filter { (1...12).contains(month) && day <= CivilDate.daysIn(month: month, year: $0) }
        return years.min { a, b in
            abs(CivilDate.daysSinceEpoch(year: a, month: month, day: day) - target) < abs(CivilDate.daysSinceEpoch(year: b, month: month, day: day) - target)
        } ?? reference.year
    }

    enum Token: Equatable {
        case number(Int, digits: Int)
        case word(String)
        case clock(TimeOfDay)
        case isoDate(Day)
        /// `12-05` before a time: month and day, the year from context.
        case monthDay(month: Int, day: Int)
        /// `8日`: a day of the month in effect.
        case dayOfMonth(Int)
        case slashDate([Int], digits: [Int])
        /// `16/03 20:29`, `3/16 8:00 PM`: a day and a month right before a
        /// time, without their year; which is which as for `slashDate`.
        case yearlessSlashDate(Int, Int)
        case offset(Int)
        case unknown
    }

    /// Splits a cell into date and time pieces. In strict mode (time cells) a
    /// character that cannot be part of a time is `.unknown` and a dash with
    /// spaces ends the cell (`14:02 - 14:05` is read as 14:02); otherwise
    /// (headers, headings) anything else separates words.
    static func tokens(_ text: String, strict: Bool) -> [Token] {
        let cs = Array(text.contains { "’'‘".contains($0) } ? withShortYearsWritten(text) : text)
        let n = cs.count
        var out: [Token] = []
        // Kept as a flag, not looked up in `out`: a line of many ranges
        // would otherwise be read in quadratic time.
        var sawISODate = false
        func isDigit(_ k: Int) -> Bool { k < n && cs[k].isASCII && cs[k].isNumber }
        func digitRun(_ k: Int) -> (value: Int, count: Int, end: Int)? {
            var j = k
            while isDigit(j) { j += 1 }
            guard j > k, j - k <= 9, let v = Int(String(cs[k..<j])) else { return nil }
            return (v, j - k, j)
        }
        func cjkDate(_ run: (value: Int, count: Int, end: Int), at j: Int) -> (token: Token, end: Int)? {
            // ("2025 年 3 月 15 日": spaces around the numbers too.)
            func spaces(_ k: Int) -> Int {
                var k = k
                while k < n, cs[k] == " " { k += 1 }
                return k
            }
            func marked(_ k: Int, _ marks: Set<Character>) -> (value: Int, end: Int)? {
                guard let d = digitRun(spaces(k)), d.count <= 2, case let m = spaces(d.end), m < n, marks.contains(cs[m]) else { return nil }
                return (d.value, m + 1)
            }
            let mark = spaces(j)
            guard mark < n else { return nil }
            if run.count == 4, cs[mark] == "年" || cs[mark] == "년", let m = marked(mark + 1, ["月", "월"]), let d = marked(m.end, ["日", "일"]),
               (1...12).contains(m.value), (1...31).contains(d.value) {
                return (.isoDate(Day(year: run.value, month: m.value, day: d.value)), d.end)
            }
            if run.count <= 2, (1...12).contains(run.value), cs[mark] == "月" || cs[mark] == "월", let d = marked(mark + 1, ["日", "일"]), (1...31).contains(d.value) {
                return (.monthDay(month: run.value, day: d.value), d.end)
            }
            // "8日 09:00": the 8th of the month in effect ("2日間", two days, is no day).
            if run.count <= 2, (1...31).contains(run.value), cs[mark] == "日" || cs[mark] == "일", !(mark + 1 < n && "間간".contains(cs[mark + 1])) {
                return (.dayOfMonth(run.value), mark + 1)
            }
            return nil
        }
        func offset(_ k: Int) -> (seconds: Int, end: Int)? {
            guard k < n, cs[k] == "+" || cs[k] == "-" || cs[k] == "−", let h = digitRun(k + 1) else { return nil }
            var hours = h.value, minutes = 0, end = h.end
            if h.count == 3 || h.count == 4 {
                hours = h.value / 100
                minutes = h.value % 100
            } else if h.count > 4 {
                return nil
            } else if end + 1 < n, cs[end] == ":", let m = digitRun(end + 1), m.count == 2 {
                minutes = m.value
                end = m.end
            }
            // No zone is more than 12 hours behind UTC or 14 ahead
            // ("21:39:12-13" ends a range a second later).
            guard hours <= (cs[k] == "+" ? 14 : 12), minutes < 60 else { return nil }
            return ((cs[k] == "+" ? 1 : -1) * (hours * 3600 + minutes * 60), end)
        }
        /// `11:32-13:05`: a hyphen after a time of day written without seconds,
        /// in a cell without an ISO date, and then a later time, starts the end
        /// of a range, not a UTC offset (an offset of -13:05 would move the row
        /// a day). `14:02-05:00` reads earlier, so it stays an offset.
        func rangeEnd(_ k: Int) -> Bool {
            // "21:39:02-09": after a time with seconds, two digits past its
            // own, and no colon, end the span a few seconds later.
            if k < n, cs[k] == "-", case .clock(let t)? = out.last, k >= 3, cs[k - 3] == ":", !sawISODate, let sec = digitRun(k + 1), sec.count == 2,
               !(sec.end < n && (cs[sec.end] == ":" || cs[sec.end].isNumber)), sec.value > t.second, sec.value < 60 {
                return true
            }
            guard k < n, cs[k] == "-", let h = digitRun(k + 1), h.count <= 2, h.end < n, cs[h.end] == ":",
                  let m = digitRun(h.end + 1), m.count == 2 else { return false }
            guard case .clock(let t) = out.last, t.fraction == 0, h.value <= 23 else { return false }
            guard !sawISODate else { return false }
            var end = h.value * 3600 + m.value * 60
            if m.end + 1 < n, cs[m.end] == ":", let sec = digitRun(m.end + 1), sec.count == 2 { end += sec.value }
            // No zone is 0:30 behind UTC: "23:15-00:30" runs past midnight.
            return end > t.hour * 3600 + t.minute * 60 + t.second || (h.value == 0 && m.value != 0)
        }
        func hasTimeOfDay() -> Bool {
            out.contains {
                switch $0 {
                case .clock: return true
                case .word(let w): return w == "am" || w == "pm" || w == "m"
                default: return false
                }
            }
        }
        // Where the last `d:d` of the text is, found once (asking "is there
        // a time after here?" at every `12-05` would be quadratic).
        lazy var lastClock: Int = {
            var j = n - 2
            while j >= 0 {
                if isDigit(j), cs[j + 1] == ":", isDigit(j + 2) { return j }
                j -= 1
            }
            return -1
        }()
        func clockFollows(_ k: Int) -> Bool { lastClock >= k }
        /// Whether a time of day comes right after `k`: "16/03 20:29",
        /// "16/03 at 20:29", "07/10 às ~10:22" (a day without its year is
        /// read only there; "24/7 support" is none).
        func clockRightAfter(_ k: Int) -> Bool {
            var k = k
            func spaces() { while k < n, cs[k] == " " || cs[k] == "," { k += 1 } }
            spaces()
            var w = k
            while w < n, cs[w].isLetter { w += 1 }
            if w > k, clockConnectors.contains(String(cs[k..<w]).lowercased()) {
                k = w
                spaces()
            }
            if k < n, approximateMarks.contains(cs[k]) { k += 1 }
            guard let h = digitRun(k), h.count <= 2 else { return false }
            return h.end + 1 < n && cs[h.end] == ":" && isDigit(h.end + 1)
        }
        var i = 0
        scan: while i < n {
            let c = cs[i]
            if isDigit(i) {
                guard let run = digitRun(i) else {
                    out.append(.unknown)
                    while isDigit(i) { i += 1 }
                    continue
                }
                let j = run.end
                // "2021年11月25日", "2021년 11월 25일", "11月25日": the Chinese,
                // Japanese and Korean way, each number marked as what it is.
                if let cjk = cjkDate(run, at: j) {
                    out.append(cjk.token)
                    if case .isoDate = cjk.token { sawISODate = true }
                    i = cjk.end
                    continue
                }
                // "20251021 162404", "20251021T1624": a date and a time in
                // ISO 8601's basic form; only as a pair, so a lone number of
                // eight digits stays a number.
                if run.count == 8, !(i > 0 && cs[i - 1].isLetter), j + 1 < n, cs[j] == " " || cs[j] == "T", let t = digitRun(j + 1), t.count == 4 || t.count == 6,
                   !(t.end < n && (cs[t.end] == ":" || cs[t.end] == ".")),
                   case let day = Day(year: run.value / 10_000, month: run.value / 100 % 100, day: run.value % 100),
                   (1990...2099).contains(day.year), day.isValid,
                   case let hms = t.count == 6 ? t.value : t.value * 100, hms / 10_000 < 24, hms / 100 % 100 < 60, hms % 100 < 60 {
                    out.append(.isoDate(day))
                    out.append(.clock(TimeOfDay(hour: hms / 10_000, minute: hms / 100 % 100, second: hms % 100, fraction: 0)))
                    sawISODate = true
                    i = t.end
                    if let o = offset(i) {
                        out.append(.offset(o.seconds))
                        i = o.end
                    }
                    continue
                }
                // "20071219 10:53": a ticket system's basic-form date before
                // an ordinary clock (the clock is read next, as any other).
                if run.count == 8, !(i > 0 && cs[i - 1].isLetter), j + 1 < n, cs[j] == " ", let h = digitRun(j + 1), h.count <= 2,
                   h.end + 2 < n, cs[h.end] == ":", let m = digitRun(h.end + 1), m.count == 2,
                   case let day = Day(year: run.value / 10_000, month: run.value / 100 % 100, day: run.value % 100),
                   (1990...2099).contains(day.year), day.isValid {
                    out.append(.isoDate(day))
                    sawISODate = true
                    i = j
                    continue
                }
                // Not inside a name: "resources-2018-04-09" is an index.
                let inName = i >= 2 && (cs[i - 1] == "-" || cs[i - 1] == "_") && (cs[i - 2].isLetter || cs[i - 2].isNumber) || (i >= 1 && cs[i - 1].isLetter)
                if run.count == 4, j < n, cs[j] == "-", let m = digitRun(j + 1), m.count <= 2,
                   m.end < n, cs[m.end] == "-", let d = digitRun(m.end + 1), d.count <= 2 {
                    // In a path ("/images/blog/2025-11-20-incident-report/chart.png"):
                    // where a file was put, not a day of the incident.
                    let inPath = i >= 1 && cs[i - 1] == "/" && d.end < n && "-_/.".contains(cs[d.end])
                    if inName || inPath {
                        // Skipped whole: its year is not a year either.
                        i = d.end
                        continue
                    }
                    out.append(.isoDate(Day(year: run.value, month: m.value, day: d.value)))
                    sawISODate = true
                    i = d.end
                    // "2026-03-01T14:02", and "2023-01-04/11:34" as one postmortem writes it.
                    if i < n, cs[i] == "T" || cs[i] == "t" || cs[i] == "/", isDigit(i + 1) { i += 1 }
                    // "2026-05-18T~12:00Z": an approximate time.
                    if i + 1 < n, cs[i] == "T", cs[i + 1] == "~" || cs[i + 1] == "≈", isDigit(i + 2) { i += 2 }
                    continue
                }
                if run.count <= 2, j < n, cs[j] == "-", let b = digitRun(j + 1), b.count <= 2, b.end < n, cs[b.end] == "-",
                   let y = digitRun(b.end + 1), y.count == 4, !isDigit(y.end) {
                    // 20-10-2025 or 02-13-2025: read like 20/10/2025.
                    out.append(.slashDate([run.value, b.value, y.value], digits: [run.count, b.count, y.count]))
                    i = y.end
                    continue
                }
                if run.count <= 2, j < n, cs[j] == "-", let d = digitRun(j + 1), d.count <= 2,
                   d.end == n || !(isDigit(d.end) || cs[d.end] == ":" || cs[d.end] == "-"),
                   (1...12).contains(run.value), (1...31).contains(d.value), clockFollows(d.end) {
                    out.append(.monthDay(month: run.value, day: d.value))
                    i = d.end
                    continue
                }
                if run.count <= 2, run.value <= 23, j + 2 < n, cs[j] == ":", isDigit(j + 1), cs[j + 2] == "x" || cs[j + 2] == "X",
                   !(j + 3 < n && (cs[j + 3].isLetter || cs[j + 3].isNumber)), let tens = cs[j + 1].wholeNumberValue, tens <= 5 {
                    // "16:4x": the minute known to ten minutes; the entry goes
                    // at the start of those ten, where it sorts among the others.
                    out.append(.clock(TimeOfDay(hour: run.value, minute: tens * 10, second: 0, fraction: 0)))
                    i = j + 3
                    continue
                }
                if j < n, cs[j] == ":", let m = digitRun(j + 1) {
                    guard run.count <= 2, m.count == 2 else {
                        out.append(.unknown)
                        i = m.end
                        continue
                    }
                    var t = TimeOfDay(hour: run.value, minute: m.value, second: 0, fraction: 0)
                    var k = m.end
                    if k < n, cs[k] == ":", let s = digitRun(k + 1) {
                        guard s.count == 2 else {
                            out.append(.unknown)
                            i = s.end
                            continue
                        }
                        t.second = s.value
                        k = s.end
                        if k < n, cs[k] == "." || cs[k] == ",", isDigit(k + 1) {
                            var e = k + 1
                            while isDigit(e) { e += 1 }
                            t.fraction = Double("0." + String(cs[(k + 1)..<e])) ?? 0
                            k = e
                        }
                    }
                    out.append(.clock(t))
                    i = k
                    if i < n, cs[i] == "Z" || cs[i] == "z", !(i + 1 < n && cs[i + 1].isLetter) {
                        out.append(.word("utc"))
                        i += 1
                    } else if !rangeEnd(i), let o = offset(i) {
                        out.append(.offset(o.seconds))
                        i = o.end
                    }
                    continue
                }
                // "2020.09.10 11:20", as Korean, Chinese and Hungarian pages
                // write dates: year first, two digits each after it. Not a
                // version ("v2020.09.10", "2024.5.3") nor an address ("2020.09.10.4").
                if run.count == 4, j < n, cs[j] == ".", let m = digitRun(j + 1), m.count == 2, m.end < n, cs[m.end] == ".",
                   let d = digitRun(m.end + 1), d.count == 2, !(d.end + 1 < n && cs[d.end] == "." && isDigit(d.end + 1)),
                   !(i > 0 && (cs[i - 1].isLetter || cs[i - 1] == ".")) {
                    let day = Day(year: run.value, month: m.value, day: d.value)
                    out.append(day.isValid ? .isoDate(day) : .unknown)
                    if day.isValid { sawISODate = true }
                    i = d.end
                    continue
                }
                // Not a version ("v4.5.16"): no letter or dot before it.
                if run.count <= 2, j < n, cs[j] == ".", let b = digitRun(j + 1), b.count <= 2, b.end < n, cs[b.end] == ".",
                   let y = digitRun(b.end + 1), y.count == 4 || y.count == 2, !isDigit(y.end),
                   !(y.end + 1 < n && cs[y.end] == "." && isDigit(y.end + 1)), !(i > 0 && (cs[i - 1].isLetter || cs[i - 1] == ".")) {
                    // 14.06.2022, 03.08.2023: as much of Europe writes dates,
                    // always day first.
                    let day = Day(year: y.count == 2 ? 2000 + y.value : y.value, month: b.value, day: run.value)
                    out.append(day.isValid ? .isoDate(day) : .unknown)
                    if day.isValid { sawISODate = true }
                    i = y.end
                    continue
                }
                if j < n, cs[j] == "/", let b = digitRun(j + 1), b.end < n, cs[b.end] == "/", let y = digitRun(b.end + 1) {
                    out.append(.slashDate([run.value, b.value, y.value], digits: [run.count, b.count, y.count]))
                    i = y.end
                    continue
                }
                if run.count <= 2, (1...31).contains(run.value), j + 1 < n, cs[j] == "/",
                   cs[..<i].allSatisfy({ " \t-*•+|#>_([".contains($0) }) {
                    // "16/03 at 20:29 UTC+1", "07/10 10:22": a day and its month, the year
                    // from context; only opening the line, item or cell ("rebooted node
                    // 1/3 at 10:40" is a count).
                    if let b = digitRun(j + 1), b.count <= 2, (1...31).contains(b.value), min(run.value, b.value) <= 12,
                       !(b.end < n && (cs[b.end] == "/" || cs[b.end] == ":" || cs[b.end].isLetter)), clockRightAfter(b.end) {
                        out.append(.yearlessSlashDate(run.value, b.value))
                        i = b.end
                        continue
                    }
                    // "20/jun 22:45": the day and its month's name.
                    var e = j + 1
                    while e < n, cs[e].isLetter { e += 1 }
                    if e > j + 1, !(e < n && cs[e].isNumber), let month = monthNumber(String(cs[(j + 1)..<e]).lowercased()), clockRightAfter(e) {
                        out.append(.monthDay(month: month, day: run.value))
                        i = e
                        continue
                    }
                }
                out.append(.number(run.value, digits: run.count))
                i = j
                var k = i
                while k < n, cs[k].isLetter { k += 1 }
                if ["st", "nd", "rd", "th"].contains(String(cs[i..<k]).lowercased()) { i = k }
                continue
            }
            if c.isLetter {
                var k = i
                // A word ends where the script changes: "KST다" (Korean's
                // particle), "JSTで", "UTC时间" are a zone and a word.
                // (Latin letters with accents are Latin: "às", "février", "août" are one word.)
                func latin(_ ch: Character) -> Bool {
                    guard let v = ch.unicodeScalars.first?.value else { return false }
                    return v < 0x250 || (0x1E00...0x1EFF).contains(v)
                }
                while k < n, cs[k].isLetter, latin(cs[k]) == latin(c) { k += 1 }
                let w = String(cs[i..<k]).lowercased()
                i = k
                if w == "utc" || w == "gmt", let o = offset(i) {
                    out.append(.offset(o.seconds))
                    i = o.end
                    continue
                }
                // "(GMT +1)": the offset a space apart, where the time ends
                // ("14:00 UTC -5 servers", "UTC +3 nodes" are counts).
                if w == "utc" || w == "gmt", i + 1 < n, cs[i] == " ", let o = offset(i + 1),
                   endsATime(String(cs[o.end...])), cs[i + 1] == "+" || (o.end < n && cs[o.end] == ")") {
                    out.append(.offset(o.seconds))
                    i = o.end
                    continue
                }
                // French "mars" between a day and a year ("13 mars 2025") is
                // March; alone it may be the planet ("the Mars 2 rover").
                if w == "mars", case .number(let d, let digits)? = out.last, digits <= 2, (1...31).contains(d),
                   k + 1 < n, cs[k] == " ", let y = digitRun(k + 1), y.count == 4 {
                    out.append(.word("march"))
                    continue
                }
                out.append(.word(w))
                continue
            }
            if c == "+" || c == "-" || c == "−", let last = out.last, case .clock = last, !rangeEnd(i), let o = offset(i) {
                out.append(.offset(o.seconds))
                i = o.end
                continue
            }
            if c == "+", !isDigit(i + 1) {
                // "12:00+": about then, or a little after.
                i += 1
                continue
            }
            // "08:55〜09:01", "08:55~09:01": after a time, a wave dash or a
            // tilde is a range's dash (before one it means "about").
            if c == "-" || c == "–" || c == "—" || (strict && "〜～~".contains(c) && hasTimeOfDay()) {
                // After a time, a dash ends the cell ("14:02 - 14:05", "23:00-ish");
                // between a date and its time it is only a separator
                // ("Jan 10, 2023 - 18:14 UTC").
                if strict && hasTimeOfDay() {
                    // What follows must be the end of a range ("14:02 - 14:05 UTC",
                    // "2pm - 3pm PST") or "-ish"; its zone, if any, is the
                    // start's too. Anything else is not a time.
                    var zone: Token?
                    // Read loosely (no further ranges, no recursion): the end
                    // of a range is a time, its half of the day and a zone.
                    for token in tokens(String(cs[(i + 1)...]), strict: false) {
                        switch token {
                        case .clock, .number: continue
                        case .offset: zone = zone ?? token
                        case .word(let w) where ["am", "pm", "a", "p", "m", "ish"].contains(w) || approximately.contains(w): continue
                        case .word(let w) where namedZone(w) != nil: zone = zone ?? token
                        default:
                            out.append(.unknown)
                            break scan
                        }
                    }
                    if let zone, !out.contains(where: { if case .offset = $0 { return true }; if case .word(let w) = $0 { return namedZone(w) != nil }; return false }) {
                        out.append(zone)
                    }
                    break scan
                }
                i += 1
                continue
            }
            if !strict || c.isWhitespace || ",.()[]*`〜～_'\"".contains(c) || approximateMarks.contains(c) {
                i += 1
                continue
            }
            out.append(.unknown)
            i += 1
        }
        return out
    }

    /// Words that say a time is approximate: "approx. 14:00", "16:00 頃"
    /// (Japanese), "약 14:00" (Korean), "ca. 14:00", "gegen 14 Uhr".
    static let approximately: Set<String> = ["approx", "approximately", "ca", "circa", "around", "about", "頃", "ごろ", "約", "左右", "약", "경", "이후", "이전", "以降", "以前", "gegen", "etwa", "vers", "environ", "hacia", "aprox"]

    /// Words in a time cell that add nothing to it: those written before a
    /// time (`timeFillers`) and "Sun, Mar 1 at 14:02", "10:00 Uhr".
    static let stampFillers: Set<String> = timeFillers.union(["on", "the", "of", "uhr", "uur", "onwards", "onward"]).union(clockConnectors)

    /// Marks written right before a clock that leave it the entry's time:
    /// "~11:30" and "≈11:30" (about then), "≤11:30" (at or a little before).
    static let approximateMarks: Set<Character> = ["~", "≈", "≤"]

    /// Words between a day and its time ("16/03 at 20:29", "07/10 às 10:22",
    /// "alle", "om", "kl", "um"): the tokenizer reads a day without its year
    /// before them, and the time reader passes over them, from this one list.
    static let clockConnectors: Set<String> = ["at", "à", "às", "um", "alle", "om", "kl"]

    static func monthNumber(_ w: String) -> Int? {
        let months = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"]
        if let i = months.firstIndex(of: w) { return i + 1 }
        if w == "sept" { return 9 }
        if w.count == 3, let i = months.firstIndex(where: { $0.hasPrefix(w) }) { return i + 1 }
        return otherLanguagesMonths[w]
    }

    /// Month names in the languages postmortems are published in besides
    /// English (German, French, Spanish, Portuguese, Italian, Dutch, Swedish,
    /// Danish, Norwegian, Finnish), and
    /// their abbreviations that are no English word ("dic", "okt"; not
    /// "set", "ago", "gen" or "mag"). French "mars" is left out: "the Mars 2
    /// rover" is no date.
    static let otherLanguagesMonths: [String: Int] = {
        let names: [[String]] = [
            ["januar", "janvier", "enero", "janeiro", "gennaio", "januari", "jänner", "janv", "ene"],
            ["februar", "février", "fevrier", "febrero", "fevereiro", "febbraio", "februari", "févr", "fevr", "fev"],
            ["märz", "maerz", "marzo", "março", "marco", "maart", "mrz"],
            ["avril", "abril", "aprile", "avr", "abr"],
            ["mai", "mayo", "maio", "maggio", "mei"],
            ["juni", "juin", "junio", "junho", "giugno"],
            ["juli", "juillet", "julio", "julho", "luglio", "juil"],
            ["août", "aout", "agosto", "augustus"],
            ["septembre", "septiembre", "setiembre", "setembro", "settembre"],
            ["oktober", "octobre", "octubre", "outubro", "ottobre", "okt"],
            ["novembre", "noviembre", "novembro"],
            ["dezember", "décembre", "decembre", "diciembre", "dezembro", "dicembre", "dez", "dic"],
        ]
        // Swedish, Danish and Norwegian where they differ from the above
        // ("27 augusti", "3. marts", "1. desember"); Finnish, as a date
        // writes them ("27. elokuuta") and as a heading names the month.
        let nordic: [[String]] = [
            ["tammikuuta", "tammikuu"], ["helmikuuta", "helmikuu"], ["marts", "maaliskuuta", "maaliskuu"], ["huhtikuuta", "huhtikuu"],
            ["toukokuuta", "toukokuu"], ["kesäkuuta", "kesäkuu"], ["heinäkuuta", "heinäkuu"], ["augusti", "elokuuta", "elokuu"],
            ["syyskuuta", "syyskuu"], ["lokakuuta", "lokakuu"], ["marraskuuta", "marraskuu"], ["desember", "joulukuuta", "joulukuu"],
        ]
        // Russian, Ukrainian, Polish and Czech, as a date writes them ("20
        // травня", "15 marca", "3. května") and as a heading names the month.
        let slavic: [[String]] = [
            ["января", "январь", "січня", "січень", "stycznia", "styczeń", "ledna"],
            ["февраля", "февраль", "лютого", "лютий", "lutego", "luty", "února", "únor"],
            ["марта", "март", "березня", "березень", "marca", "marzec", "března", "březen"],
            ["апреля", "апрель", "квітня", "квітень", "kwietnia", "kwiecień", "dubna", "duben"],
            ["мая", "май", "травня", "травень", "maja", "maj", "května", "květen"],
            ["июня", "июнь", "червня", "червень", "czerwca", "czerwiec", "června", "červen"],
            ["июля", "июль", "липня", "липень", "lipca", "lipiec", "července", "červenec"],
            ["августа", "август", "серпня", "серпень", "sierpnia", "sierpień", "srpna", "srpen"],
            ["сентября", "сентябрь", "вересня", "вересень", "września", "wrzesień", "září"],
            ["октября", "октябрь", "жовтня", "жовтень", "października", "październik", "října", "říjen"],
            ["ноября", "ноябрь", "листопада", "листопад", "listopada", "listopad", "listopadu"],
            ["декабря", "декабрь", "грудня", "грудень", "grudnia", "grudzień", "prosince", "prosinec"],
        ]
        var months: [String: Int] = [:]
        for (i, words) in names.enumerated() { for w in words { months[w] = i + 1 } }
        for (i, words) in slavic.enumerated() { for w in words { months[w] = i + 1 } }
        for (i, words) in nordic.enumerated() { for w in words { months[w] = i + 1 } }
        return months
    }()

    /// "Monday 4th November" in a page of 2025: the year near `near` in
    /// which the 4th of November was a Monday (2024), within three years;
    /// `near` when the words name no weekday or none fits (a weekday
    /// slipped: "Monday, March 5" in a report of 2024 stays 2024).
    /// With `around`, the index of the month's token, only a weekday
    /// within three words of it counts ("… on Nov 4 after the pod sat …"
    /// names none).
    static func weekdayYear(_ toks: [Token], month: Int, day: Int, near: Int, around: Int? = nil) -> Int {
        let nearby = around.map { toks.indices.clamped(to: max(0, $0 - 3) ..< min(toks.count, $0 + 4)) } ?? toks.indices
        guard let weekday = toks[nearby].lazy.compactMap({ if case .word(let w) = $0 { weekdayIndex(w) } else { nil } }).first else { return near }
        return yearFitting(weekday: weekday, month: month, day: day, near: near) ?? near
    }

    /// The year near `near` in which `month`/`day` fell on `weekday`: within
    /// three years, else (`goingBack`, when no year is written anywhere) the
    /// latest before: every day meets every weekday within eleven years.
    static func yearFitting(weekday: Int, month: Int, day: Int, near: Int, goingBack: Bool = false) -> Int? {
        ([0, -1, 1, -2, 2, -3, 3] + (goingBack ? (4...11).map { -$0 } : [])).lazy.map { near + $0 }.first { candidate in
            Day(year: candidate, month: month, day: day).isValid
                && Day(year: candidate, month: month, day: day).weekday == weekday
        }
    }

    /// 0 for Sunday … 6 for Saturday, from a weekday's name or abbreviation.
    static func weekdayIndex(_ w: String) -> Int? {
        if let other = otherLanguagesWeekdays[w] { return other }
        guard isWeekday(w) else { return nil }
        return ["sun", "mon", "tue", "wed", "thu", "fri", "sat"].firstIndex { w.hasPrefix($0) }
    }

    static func isWeekday(_ w: String) -> Bool {
        let days = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
        return days.contains(w) || ["mon", "tue", "tues", "wed", "weds", "thu", "thur", "thurs", "fri", "sat", "sun"].contains(w)
            || otherLanguagesWeekdays[w] != nil
    }

    /// Weekdays written in full in the languages of `otherLanguagesMonths`
    /// (0 is Sunday). Portuguese "segunda" … "sexta" are left out: alone
    /// they are also "second" … "sixth".
    static let otherLanguagesWeekdays: [String: Int] = {
        let names: [[String]] = [
            ["sonntag", "dimanche", "domingo", "domenica", "zondag", "söndag", "søndag", "sunnuntai", "sunnuntaina"],
            ["montag", "lundi", "lunes", "lunedì", "lunedi", "maandag", "måndag", "mandag", "maanantai", "maanantaina"],
            ["dienstag", "mardi", "martes", "martedì", "martedi", "dinsdag", "tisdag", "tirsdag", "tiistai", "tiistaina"],
            ["mittwoch", "mercredi", "miércoles", "miercoles", "mercoledì", "mercoledi", "woensdag", "onsdag", "keskiviikko", "keskiviikkona"],
            ["donnerstag", "jeudi", "jueves", "giovedì", "giovedi", "donderdag", "torsdag", "torstai", "torstaina"],
            ["freitag", "vendredi", "viernes", "venerdì", "venerdi", "vrijdag", "fredag", "perjantai", "perjantaina"],
            ["samstag", "sonnabend", "samedi", "sábado", "sabado", "sabato", "zaterdag", "lördag", "lørdag", "lauantai", "lauantaina"],
        ]
        var days: [String: Int] = [:]
        for (i, words) in names.enumerated() { for w in words { days[w] = i } }
        return days
    }()

    /// Zone names people write next to times. Abbreviations are the fixed
    /// offsets they stand for; PT/ET/CT/MT follow daylight saving time.
    /// Cities of IANA zone names that teams spread over offices write for
    /// their zone ("16:37 Denver - restarted"), and cities named for their
    /// time in French, Spanish, Portuguese, Italian and German as written
    /// there ("horário de Brasília", the time all of Brazil's official life
    /// keeps).
    static let cityZones: [String: String] = Dictionary(uniqueKeysWithValues: [
        "America/Denver", "America/Chicago", "America/Phoenix", "America/Toronto", "America/Vancouver", "Europe/London", "Europe/Dublin",
        "Europe/Lisbon", "Europe/Paris", "Europe/Berlin", "Europe/Amsterdam", "Europe/Madrid", "Europe/Rome", "Europe/Stockholm",
        "Europe/Oslo", "Europe/Copenhagen", "Europe/Helsinki", "Europe/Warsaw", "Europe/Prague", "Europe/Vienna", "Europe/Zurich",
        "Europe/Brussels", "Europe/Athens", "Europe/Istanbul", "Europe/Moscow", "Asia/Dubai", "Asia/Kolkata", "Asia/Singapore",
        "Asia/Tokyo", "Asia/Seoul", "Asia/Shanghai", "Australia/Sydney", "Australia/Melbourne", "Australia/Brisbane", "Pacific/Auckland",
    ].map { (String($0.split(separator: "/").last!).lowercased(), $0) }).merging([
        "brasília": "America/Sao_Paulo", "brasilia": "America/Sao_Paulo", "lisboa": "Europe/Lisbon", "roma": "Europe/Rome",
        "londres": "Europe/London", "bruxelles": "Europe/Brussels", "genève": "Europe/Zurich", "wien": "Europe/Vienna",
    ]) { own, _ in own }

    /// Regions whose winter abbreviation a document may use for its local
    /// time all year (`regionalZones`): winter and summer abbreviations, and
    /// the zone. Not MST, which Arizona keeps all year beside Denver's MDT,
    /// nor AEST, which Brisbane keeps beside Sydney's AEDT.
    static let regionalSeasons = [("pst", "pdt", "America/Los_Angeles"), ("est", "edt", "America/New_York"), ("cst", "cdt", "America/Chicago"),
                                  ("cet", "cest", "Europe/Berlin")]

    /// Every region named by its pair of abbreviations ("PST/PDT", "GMT or
    /// BST"): the pair together means the zone that switches between them.
    static let seasonalZones = regionalSeasons + [("mst", "mdt", "America/Denver"), ("gmt", "bst", "Europe/London")]

    /// The winter abbreviations a document being read uses for its region's
    /// local time, whatever the season: a document that writes both PST and
    /// PDT means Pacific time by "PST" (Slack's status page stamps "5:49 PM
    /// PST" in September under a summary "from 8:00 AM PDT"); PDT stays
    /// UTC-7, and one that writes only PST means UTC-8, as written.
    @TaskLocal static var regionalZones: [String: String] = [:]

    static func regionalZones(in text: String) -> [String: String] {
        var zones: [String: String] = [:]
        for (winter, summer, id) in regionalSeasons {
            let written = { (w: String) in
                text.ranges(of: w.uppercased()).contains { r in
                    !(r.lowerBound > text.startIndex && text[text.index(before: r.lowerBound)].isLetter)
                        && !(r.upperBound < text.endIndex && text[r.upperBound].isLetter)
                }
            }
            if written(winter), written(summer) { zones[winter] = id }
        }
        return zones
    }

    static func namedZone(_ w: String) -> TimeZone? {
        if let id = regionalZones[w] { return TimeZone(identifier: id) }
        switch w {
        case "utc", "gmt", "z", "zulu": return TimeZone(secondsFromGMT: 0)
        case "pt": return TimeZone(identifier: "America/Los_Angeles")
        case "mt": return TimeZone(identifier: "America/Denver")
        case "ct": return TimeZone(identifier: "America/Chicago")
        case "et", "eastern": return TimeZone(identifier: "America/New_York")
        case "pacific": return TimeZone(identifier: "America/Los_Angeles")
        case "mountain": return TimeZone(identifier: "America/Denver")
        case "central": return TimeZone(identifier: "America/Chicago")
        // New Zealand and Australia's east coast, summer and winter alike.
        case "nzt": return TimeZone(identifier: "Pacific/Auckland")
        case "aet": return TimeZone(identifier: "Australia/Sydney")
        default: break
        }

        let hours: [String: Double] = [
            "pst": -8, "pdt": -7, "mst": -7, "mdt": -6, "cst": -6, "cdt": -5, "est": -5, "edt": -4,
            "akst": -9, "akdt": -8, "hst": -10, "wet": 0, "bst": 1, "cet": 1, "cest": 2, "eet": 2, "eest": 3,
            "msk": 3, "мск": 3, "ist": 5.5, "mez": 1, "mesz": 2, "sgt": 8, "jst": 9, "kst": 9, "aest": 10, "aedt": 11, "nzst": 12, "nzdt": 13,
            // Gulf, Hong Kong, Western and Central Australia, South Africa,
            // Pakistan, Indochina, Western Indonesia, the Philippines,
            // Brasília, Newfoundland; West, Central and East Africa (English
            // words as well: `wordLikeZones`). ("AST" and "ART" are left out:
            // two zones, or an English word.)
            "gst": 4, "hkt": 8, "awst": 8, "acst": 9.5, "acdt": 10.5, "sast": 2, "pkt": 5, "ict": 7, "wib": 7, "pht": 8,
            "brt": -3, "nst": -3.5, "ndt": -2.5, "wat": 1, "cat": 2, "eat": 3,
            // "10:52(日本時間、以下同様)": Japan, Beijing, Taipei and Korea time in their own words.
            "日本時間": 9, "北京时间": 8, "北京時間": 8, "台北時間": 8, "한국시간": 9,
        ]
        return hours[w].flatMap { TimeZone(secondsFromGMT: Int($0 * 3600)) }
    }

    /// A zone mentioned in free text: `UTC`, `in PST`, `UTC+1`, `Europe/Berlin`.
    /// The zone a document says all its times are in, in a parenthesis or
    /// a sentence of its own ("(all times EDT)", "All times are in UTC."),
    /// when it says so once or always the same; nil otherwise.
    static func zoneSaidOfAllTimes(_ lines: [String]) -> (zone: TimeZone, word: String, line: Int)? {
        var found: (zone: TimeZone, word: String, line: Int)?
        for (i, line) in lines.enumerated() where line.range(of: "all times", options: .caseInsensitive) != nil {
            for m in line.matches(of: #/(?:\(|^|[.!?]\s+)(?i:all\s+times)(?:\s+(?i:are|in|shown|given|listed))*\s+([A-Z]{2,5}(?:[+\-\u{2212}]\d{1,2}(?::?\d{2})?)?)\s*(?:\)|\.|$)/#) {
                let word = String(m.output.1)
                guard let zone = zoneInText(word) else { continue }
                if let seen = found, !sameClock(seen.zone, zone) { return nil }
                if found == nil { found = (zone, word, i + 1) }
            }
        }
        return found
    }

    static func zoneInText(_ text: String) -> TimeZone? {
        let t = text.trimmed
        // "PST/PDT", "EST or EDT": the zone that switches between them.
        let words = Set(tokens(t, strict: false).compactMap { token -> String? in
            if case .word(let w) = token { return w }
            return nil
        })
        for (winter, summer, id) in seasonalZones
        where words.contains(winter) && words.contains(summer) {
            return TimeZone(identifier: id)
        }
        if t.contains("/"), !t.contains(" "), let zone = TimeZone(identifier: t) { return zone }
        for token in tokens(t, strict: false) {
            if case .offset(let seconds) = token { return TimeZone(secondsFromGMT: seconds) }
            if case .word(let w) = token, let zone = namedZone(w) { return zone }
        }
        return nil
    }

    /// Whether numeric dates put the day or the month first.
    enum SlashOrder {
        case dayFirst, monthFirst
    }

    /// `25/03/2026`, `03/25/2026`, `2026/03/01`, `25.03.26`. A date that
    /// reads both ways (`01/03/2026`) follows `order`, which the document's
    /// other dates settle (a part over 12 says which is the day); with no
    /// order it is refused rather than guessed.
    static func slashDay(_ parts: [Int], digits: [Int], cell: String, order: SlashOrder? = nil) throws(Failure) -> Day {
        let (a, b) = (parts[0], parts[1])
        if digits[0] == 4 { return Day(year: a, month: b, day: parts[2]) }
        guard digits[2] == 4 || digits[2] == 2 else {
            throw .row("\"\(cell)\" is not a date we can read safely; write dates as YYYY-MM-DD (2026-03-01)")
        }
        let c = digits[2] == 2 ? 2000 + parts[2] : parts[2]
        if let read = slashMonthDay(a, b, order: order) { return Day(year: c, month: read.month, day: read.day) }
        let dayFirst = Day(year: c, month: b, day: a).iso
        let monthFirst = Day(year: c, month: a, day: b).iso
        throw .row("\"\(cell)\" is an ambiguous date (\(dayFirst) or \(monthFirst)?) and no other date in the document says which; write dates as YYYY-MM-DD")
    }

    /// Which of `a/b` is the month and which the day: a part over 12 says,
    /// else `order`; nil when nothing does.
    static func slashMonthDay(_ a: Int, _ b: Int, order: SlashOrder?) -> (month: Int, day: Int)? {
        if a > 12, b <= 12 { return (b, a) }
        if b > 12, a <= 12 { return (a, b) }
        if a == b { return (a, b) }
        switch order {
        case .dayFirst: return (b, a)
        case .monthFirst: return (a, b)
        case nil: return nil
        }
    }

    /// Reads a time cell. Accepts RFC 3339 / ISO 8601 (`T` or space, with or
    /// without seconds, fraction and zone), `2026-03-01 14:02`, `14:02`,
    /// `14:02:33`, `2:02 PM`, `2:02pm`, `2pm`, `March 1, 2026 14:02`,
    /// `Sun, Mar 1 14:02`, `1 March 2026 14:02`, unambiguous slash dates, and
    /// a zone after the time.
    static func stamp(_ raw: String, order: SlashOrder? = nil) throws(Failure) -> Stamp {
        let cell = raw.trimmed
        // No time is written in more than a few words; a long cell is text.
        guard cell.count <= 120 else { throw Failure.row("\"\(cell.prefix(40))…\" is not a time (\(expectedTimes))") }
        let bad = Failure.row("\"\(cell)\" is not a time (\(expectedTimes))")
        // "12:00:XX": seconds the writer did not know; the minute stands.
        if cell.contains(#/\d:\d\d:(?:XX|xx|\?\?)(?!\w)/#) {
            return try stamp(cell.replacing(#/(\d:\d\d):(?:XX|xx|\?\?)(?!\w)/#) { $0.output.1 }, order: order)
        }
        // "2026-06-03 3:29 PM EDT / 19:29 UTC": the same moment twice; the
        // first is the time. "05:52:02 / 05:52:19": two moments of one entry
        // (two hosts, say); it happened from the first.
        if cell.contains(" / ") {
            let parts = cell.components(separatedBy: " / ").map { try? stamp($0, order: order) }
            if let first = parts.first ?? nil, first.time != nil,
               parts.dropFirst().allSatisfy({ $0?.time != nil && $0?.month == nil || ($0?.time != nil && first.zone != nil && $0?.zone != nil) }) {
                return first
            }
        }
        let toks = tokens(cell, strict: true)
        var s = Stamp()
        var clock: TimeOfDay?
        var pm: Bool?
        var monthWord = false
        var numbers: [(value: Int, digits: Int)] = []
        var k = 0
        func meridiem(at index: Int) -> (pm: Bool, length: Int)? {
            guard index < toks.count, case .word(let w) = toks[index] else { return nil }
            if w == "am" || w == "pm" { return (w == "pm", 1) }
            if w == "a" || w == "p", index + 1 < toks.count, case .word("m") = toks[index + 1] { return (w == "p", 2) }
            return nil
        }
        func setZone(_ zone: TimeZone?) throws(Failure) {
            guard s.zone == nil, let zone else { throw bad }
            s.zone = zone
        }
        while k < toks.count {
            switch toks[k] {
            case .isoDate(let day):
                guard s.month == nil else { throw bad }
                s.year = day.year
                s.month = day.month
                s.day = day.day
            case .monthDay(let month, let day):
                guard s.month == nil else { throw bad }
                s.month = month
                s.day = day
            case .dayOfMonth(let day):
                guard s.month == nil, s.dayOfMonth == nil else { throw bad }
                s.dayOfMonth = day
            case .slashDate(let parts, let digits):
                guard s.month == nil else { throw bad }
                let day = try slashDay(parts, digits: digits, cell: cell, order: order)
                s.year = day.year
                s.month = day.month
                s.day = day.day
            case .yearlessSlashDate(let a, let b):
                guard s.month == nil else { throw bad }
                guard let read = slashMonthDay(a, b, order: order) else {
                    throw .row("\"\(cell)\" is an ambiguous date (\(a) \(monthNames[b - 1]) or \(b) \(monthNames[a - 1])?) and no other date in the document says which; write dates as YYYY-MM-DD")
                }
                s.month = read.month
                s.day = read.day
            case .clock(let t):
                guard clock == nil else { throw bad }
                clock = t
            case .offset(let seconds):
                try setZone(TimeZone(secondsFromGMT: seconds))
            case .number(let value, let digits):
                if clock == nil, meridiem(at: k + 1) != nil {
                    clock = TimeOfDay(hour: value, minute: 0, second: 0, fraction: 0)
                } else if clock == nil, digits == 4, value / 100 <= 23, value % 100 <= 59, k + 1 < toks.count,
                          case .word(let w) = toks[k + 1], namedZone(w) != nil,
                          // ("September 13, 2020 (CDT)": after a month and its day and
                          // a comma, or before a zone in parentheses, a year;
                          // "May 5 at 2030 EDT" is a clock.)
                          !(monthWord && (1970...2100).contains(value) && numbers.contains { $0.digits <= 2 && (1...31).contains($0.value) }
                            && (raw.contains(", \(value)") || raw.contains("\(value) ("))) {
                    // "1936 UTC", "Feb 8 0117 UTC": a 24-hour time without its colon.
                    clock = TimeOfDay(hour: value / 100, minute: value % 100, second: 0, fraction: 0)
                } else {
                    numbers.append((value, digits))
                }
            case .word(let w):
                if let m = meridiem(at: k) {
                    guard pm == nil, clock != nil else { throw bad }
                    pm = m.pm
                    k += m.length
                    continue
                } else if let month = monthNumber(w) {
                    guard s.month == nil else { throw bad }
                    s.month = month
                    monthWord = true
                } else if clock == nil, w == "noon" || w == "midnight", toks.contains(where: { if case .word(let d) = $0 { return isWeekday(d) }; return false }) {
                    // "Weds, noon:": the hour in words, beside its weekday
                    // (alone, "Noon update" may be a title).
                    clock = TimeOfDay(hour: w == "noon" ? 12 : 0, minute: 0, second: 0, fraction: 0)
                    s.meridiem = true
                } else if isWeekday(w) || Self.stampFillers.contains(w) {
                    if Self.nextDayWords.contains(w) { s.nextDay = true }
                    if isWeekday(w), let index = weekdayIndex(w) {
                        guard s.weekday == nil || s.weekday == index else { throw bad }
                        s.weekday = index
                    }
                    // Filler: "Sun, Mar 1 at 14:02", "10:00 Uhr", "16:00 頃".
                } else if let zone = namedZone(w) ?? cityZones[w].flatMap(TimeZone.init(identifier:)) {
                    // A city stands for its zone only here, in a time
                    // ("16:37 Denver"); `splitLeadingTime` takes it into the
                    // time only when a separator follows it.
                    try setZone(zone)
                } else {
                    throw bad
                }
            case .unknown:
                throw bad
            }
            k += 1
        }
        for number in numbers {
            if number.digits == 4, s.year != nil, s.month != nil, clock == nil, number.value / 100 <= 23, number.value % 100 <= 59 {
                // "2022-02-02 1625": a 24-hour time without its colon, after a date.
                clock = TimeOfDay(hour: number.value / 100, minute: number.value % 100, second: 0, fraction: 0)
            } else if number.digits == 4, s.year == nil {
                s.year = number.value
            } else if monthWord, s.day == nil, number.digits <= 2, (1...31).contains(number.value) {
                s.day = number.value
            } else {
                throw bad
            }
        }
        if s.month != nil, s.day == nil { throw bad }
        if s.year != nil, s.month == nil { throw bad }
        if var t = clock {
            // "20:50pm", "13:40 a.m.", "00:15am": a 24-hour clock written
            // with a meridiem out of habit; the hour alone says which.
            // ("0:30 PM", as Japanese and some logs write it, is 12:30.)
            if let pm, (0...12).contains(t.hour) {
                t.hour = t.hour % 12 + (pm ? 12 : 0)
                s.meridiem = true
            }
            guard t.hour <= 23, t.minute <= 59, t.second <= 59 else { throw bad }
            s.time = t
        }
        return s
    }

    // MARK: - Text

    /// Drops a byte order mark and turns CRLF and lone CR into LF.
    static func normalizeLineEndings(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        var previousCR = false
        for (index, scalar) in text.unicodeScalars.enumerated() {
            if index == 0, scalar == "\u{FEFF}" { continue }
            if scalar == "\r" {
                scalars.append("\n")
                previousCR = true
                continue
            }
            if scalar == "\n", previousCR {
                previousCR = false
                continue
            }
            previousCR = false
            scalars.append(scalar)
        }
        return String(scalars)
    }
}

extension TimelineTableResult {
    /// The rows as timeline entries of an incident, each with an id made from
    /// what it says, so that importing the same table again adds nothing.
    public func entries(incidentID: UUID, now: Date) -> [TimelineEntry] {
        let source: TimelineSource = format == .csv ? .csv : .markdown
        return rows.map { r in
            TimelineEntry(
                incidentID: incidentID, occurredAt: LoreTime.milliseconds(r.occurredAt), recordedAt: LoreTime.milliseconds(now), author: r.author,
                source: source, kind: r.kind ?? .note, text: r.text, reflection: r.reflection,
                externalID: ImportIdentity.rowID(incidentID: incidentID, occurredAt: r.occurredAt, author: r.author, text: r.text))
        }
    }
}
