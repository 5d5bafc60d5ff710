import Foundation
import LoreCore

/// Timelines written as text rather than as a table, the way published
/// postmortems write them: a list (`- 14:32 UTC: paged`), one heading per
/// entry (`### 8:20 - 8:24` with the text below), one paragraph or line per
/// entry with the time first (`15:35 – Plan pushed`, `**June 14th, 2022,
/// 10:00 AM:** …`), or sentences with a time in them under a Timeline heading
/// (`At 14:02 UTC the on-call engineer was paged.`).
extension TimelineTable {
    /// How an entry was written: what continues it depends on that.
    enum EntryStyle: Equatable {
        case list(indent: Int)
        case heading
        case paragraph
    }

    /// One line of the timeline as the section reader sees it.
    enum LineShape {
        case blank
        case entry(time: String, text: String, style: EntryStyle)
        /// A list item without a time.
        case item(text: String, indent: Int)
        /// A heading without a time.
        case heading
        case prose
    }

    /// The lines under a heading that names the timeline (`## Timeline`,
    /// `## Chronology`), up to the next heading of the same or a higher
    /// level that is not a date or a time (`### 2017-01-31` and `### 4:27`
    /// inside it are part of it); all lines, and `headed` false, when no
    /// heading names one. Keeps dated action items out.
    /// Whether a heading names the timeline ("Sequence of events", "Running
    /// log" too), also as written in other languages: Tidslinje, Zeitleiste, Chronologie, Cronología, Tijdlijn,
    /// タイムライン, 时间线, 타임라인, and the words for how it unfolded (Verlauf, Déroulement, 経緯, 经过).
    static func namesTimeline(_ t: String) -> Bool {
        let lower = t.lowercased()
        // Whole words for these ("Improve incident logging", "Running
        // logrotate" and "Versionsverlauf" name no timeline).
        if lower.firstMatch(of: #/\b(?:sequence of events|order of events|running log|incident log|log of events|verlauf|störungsverlauf|ereignisverlauf|vorfallsverlauf|ausfallverlauf)\b/#) != nil { return true }
        // "What happened (all times UTC)": a section that states the zone of
        // its times is the one that tells them.
        // ("Customer impact (times approximate)", "Load test (times in ms)"
        // state no zone: only a zone's name counts.)
        if let m = t.firstMatch(of: #/\((?i:all\s+)?(?i:times)\s+(?i:are\s+)?(?i:in\s+)?([^()]{2,25})\)/#), zoneInText(String(m.output.1)) != nil { return true }
        return ["timeline", "time-line", "time line", "chronology", "play by play", "play-by-play", "tidslinje", "zeitleiste", "zeitlinie", "zeitablauf", "chronologie",
                "cronología", "cronologia", "tijdlijn", "aikajana", "タイムライン", "時系列", "时间线", "時間線", "时间轴", "타임라인",
                // "Zeitlicher Verlauf", "Störungsverlauf", "Déroulement", "Linha do tempo",
                // "Oś czasu", "Хронология", "Хронологія", "Časová osa", "障害発生の経緯", "故障经过", "事故过程", "경위".
                "déroulement", "déroulé", "linha do tempo", "oś czasu", "хронология", "хронологія", "chronologia", "časová osa", "経緯", "经过", "經過", "경위"]
            .contains { lower.contains($0) }
            // "## 过程", "事故过程": a heading that is the word, not a sentence
            // about a process ("…检讨的过程。", "実装する過程で").
            || ["过程", "過程", "事故过程", "故障过程", "处理过程", "事件过程", "事故過程", "故障過程",
                // "CALENDRIER": Zendesk's French pages name their timeline so; only the
                // heading that is the word ("Calendrier de déploiement" is a plan).
                "calendrier", "calendrier de l'incident", "calendrier de l’incident", "calendrier des événements"]
                .contains(String(lower.drop { $0 == "#" || $0 == " " }).trimmed.trimmingCharacters(in: CharacterSet(charactersIn: ":")))
    }

    static func timelineSection(_ lines: [String]) -> (lines: TimelineLines, headed: Bool) {
        func level(_ t: String) -> Int { t.prefix { $0 == "#" }.count }
        let named = lines.indices.filter { let t = lines[$0].trimmed; return t.hasPrefix("#") && namesTimeline(t) }
        // A document's title that names the word ("# Public timeline down")
        // is not its Timeline section when a section heading is.
        let sections = named.filter { level(lines[$0].trimmed) > 1 }
        let headings = sections.isEmpty ? named : sections
        var found: [Range<Int>] = []
        for start in headings {
            let startLevel = level(lines[start].trimmed)
            let end = lines[(start + 1)...].firstIndex { line in
                let t = line.trimmed
                guard t.hasPrefix("#"), level(t) <= startLevel else { return false }
                let content = String(t.drop { $0 == "#" }).trimmed
                return headingDay(t, fallbackYear: 2000) == nil && leadingTime(content, order: nil, allowEmpty: true) == nil
            } ?? lines.count
            // A heading written twice, the first one left empty, is the second.
            if lines[(start + 1) ..< end].allSatisfy({ $0.trimmed.isEmpty }), start != headings.last { continue }
            // A long write-up's later timelines ("#### Timeline (UTC, Feb 8)"
            // of a continuation) count too; a plan's ("Remediation timeline")
            // does not.
            if !found.isEmpty, isPlanHeading(lines[start]) { continue }
            found.append((start + 1) ..< end)
        }
        return found.isEmpty ? (TimelineLines([lines.indices]), false) : (TimelineLines(found), true)
    }

    /// A heading of what is to be done rather than what happened.
    static func isPlanHeading(_ heading: String) -> Bool {
        let lower = heading.lowercased()
        return ["remediation", "action", "follow", "next step", "plan", "future", "roadmap", "prevent"].contains { lower.contains($0) }
    }

    /// The lines of a document's Timeline sections, in order (all its lines
    /// when no heading names one). Asked of every line, so looked up by
    /// halving, not by walking the sections.
    struct TimelineLines: Sequence {
        /// Sorted, not overlapping.
        let ranges: [Range<Int>]

        init(_ sections: [Range<Int>]) {
            var merged: [Range<Int>] = []
            for r in sections.sorted(by: { $0.lowerBound < $1.lowerBound }) where !r.isEmpty {
                if let last = merged.last, r.lowerBound <= last.upperBound {
                    merged[merged.count - 1] = last.lowerBound ..< Swift.max(last.upperBound, r.upperBound)
                } else {
                    merged.append(r)
                }
            }
            ranges = merged
        }

        func contains(_ i: Int) -> Bool {
            var low = 0, high = ranges.count
            while low < high {
                let mid = (low + high) / 2
                if ranges[mid].upperBound <= i { low = mid + 1 } else if ranges[mid].lowerBound > i { high = mid } else { return true }
            }
            return false
        }

        func makeIterator() -> FlattenSequence<[Range<Int>]>.Iterator { ranges.joined().makeIterator() }
    }

    /// Reads a timeline written as text (see the extension's summary). Nil
    /// when fewer than two entries carry a time: the text is not a timeline.
    ///
    /// What continues an entry: for a heading, everything up to the next
    /// entry or heading; for a list item, lines indented under it; for a
    /// paragraph, the lines of that paragraph (and anything indented). A list
    /// item without a time among timed ones is the moment of the one above.
    /// Under a Timeline heading, every other line that is not blank is listed
    /// in `unread` with the reason.
    static func parseSection(_ lines: [String], state: inout ParseState) throws(TimelineTableError) -> TimelineTableResult? {
        // With no timeline section, table or timed line anywhere, a last
        // reading takes the whole document as the timeline and its sentences
        // that state a time as entries, listing nothing as unread.
        let (section, headedSection) = state.section
        let headed = headedSection || state.sentencesEverywhere
        let order = state.context.slashOrder
        // Entries run together with <br> ("05:07 - DNS fails<br> 05:12 - …")
        // are read as lines of their own, each with the line it is on.
        var logical: [(number: Int, text: String, inSection: Bool)] = []
        var wrapped = Set<Int>()
        for (i, line) in lines.enumerated() where !wrapped.contains(i) {
            var line = line
            if section.contains(i), line.range(of: "<b>", options: .caseInsensitive) != nil || line.range(of: "<strong>", options: .caseInsensitive) != nil {
                // "<b>Update, October 19, 8:40am:</b><br>" is "**Update, …:**".
                for tag in ["<b>", "</b>", "<strong>", "</strong>"] { line = line.replacingOccurrences(of: tag, with: "**", options: .caseInsensitive) }
            }
            if section.contains(i), let joined = wrappedListItem(lines, at: i, in: section, order: order) {
                // "* Paul observed the site was still not accessible … main" /
                // "    application domain at 2:50pm": one item wrapped over
                // indented lines, its time at the end of the last.
                logical.append((i + 1, joined.text, true))
                wrapped.formUnion(joined.lines)
                continue
            }
            guard section.contains(i), line.range(of: "<br", options: .caseInsensitive) != nil else {
                logical.append((i + 1, line, section.contains(i)))
                continue
            }
            let ns = line as NSString
            let parts = lineBreakTag.stringByReplacingMatches(in: line, range: NSRange(location: 0, length: ns.length), withTemplate: "\n")
                .split(separator: "\n").map(String.init).filter { !$0.trimmed.isEmpty }
            for (k, part) in parts.enumerated() { logical.append((i + 1, k == 0 ? part : part.trimmed, true)) }
            if parts.isEmpty { logical.append((i + 1, "", true)) }
        }
        // Whether a line starts an entry does not depend on how its numeric
        // date is read; an ambiguous one is refused later, with its line.
        // Under a heading where clocks are written without a colon more than
        // once (`1738:`, `11.13 …`), `2012:` and `9.07 …` are clocks too;
        // under another heading ("## Lessons") `2019:` may still be a year,
        // and one "1.25 million" among colon clocks is a number.
        // Read as a story without a timeline, the page's title ("Potential
        // False Alerts from 16:16 UTC to 16:32 UTC") sums the incident up and
        // its date line says when the page was written: neither is an entry.
        let titleLine = logical.firstIndex { !$0.text.trimmed.isEmpty }
        func aboutThePage(_ j: Int) -> Bool {
            guard state.sentencesEverywhere else { return false }
            let t = logical[j].text.trimmed
            // (Nor is a row of a table that is no timeline.)
            if isPageDateLine(t) || t.hasPrefix("|") { return true }
            // (The file's first line: below front matter, which has the
            // title, the first line is already the story's.)
            guard j == titleLine, logical[j].number == 1, t.count <= 120, !".!?".contains(t.last ?? "."), logical.count > j + 1 else { return false }
            // Followed by a blank line or by a line that states no time
            // ("Incident Report for …"); in terse notes of one timed line
            // each, the first line is the first entry.
            let next = logical[j + 1].text.trimmed
            return next.isEmpty || !sentenceEntries(next, order: order).contains { $0.time != nil }
        }
        var block = 0
        let blocks = logical.map { line -> Int in
            if line.text.trimmed.hasPrefix("#") { block += 1 }
            return block
        }
        // A log kept as one heading per day and no Timeline heading ("##
        // 2024年4月13日晚上" over "大约22:40开始504…", "## 2023-03-02: API
        // errors" over paragraphs): each day's paragraphs are its entries, so
        // their sentences that state a time are read as a Timeline section's
        // are. Three such headings at least: a dated title or two over a
        // postmortem ("## Outage on March 3rd", "## Review on March 5th") is
        // not a log, and its summary's times are not entries.
        let dayLogBlocks: Set<Int> = {
            guard !headed else { return [] }
            let opening = logical.indices.filter { logical[$0].inSection && headingNamesADay(logical[$0].text.trimmed, order: order) }
            return opening.count >= 3 ? Set(opening.map { blocks[$0] }) : []
        }()
        func headedAt(_ j: Int) -> Bool { headed || dayLogBlocks.contains(blocks[j]) }
        var clockBlocks: [Int: Int] = [:]
        for (j, line) in logical.enumerated() where line.inSection
            && clockWithAColon(timeAsLinkText(line.text.trimmed) ?? line.text.trimmed, headed: headed) != nil {
            clockBlocks[blocks[j], default: 0] += 1
        }
        // A Timeline section that writes three or more such clocks writes
        // them under each of its day headings, even a day with one entry
        // ("### Monday 11 September" over "*10.30 The web site performed …*").
        // Most of its timed lines, that is: "- 2.31 was deployed" under days
        // of "- 14:02 …" entries is a version.
        let colonClockLines = logical.lazy.filter { $0.inSection && $0.text.trimmed.prefixMatch(of: #/(?:[-*+•]\s+|\d{1,3}[.)]\s+)?[*_~\[(]*\d{1,2}:\d{2}/#) != nil }.count
        let dotClockLines = clockBlocks.values.reduce(0, +)
        let sectionWritesThem = headedSection && dotClockLines >= 3 && dotClockLines > colonClockLines
        // A line with blank lines (or the document's edges) above and below it.
        func setApart(_ j: Int) -> Bool {
            (j == 0 || logical[j - 1].text.trimmed.isEmpty) && (j + 1 == logical.count || logical[j + 1].text.trimmed.isEmpty)
        }
        let shapes = logical.indices.map { j in
            logical[j].inSection ? lineShape(logical[j].text, order: order ?? .dayFirst, headed: headedAt(j),
                                             colonlessClocks: clockBlocks[blocks[j], default: 0] >= 2 || sectionWritesThem, setApart: setApart(j)) : .blank
        }
        // "At 14:36 one of the two routers crashed …" / "By 15:30 all traffic
        // was working." / "21:00: Replacement hardware is on site": without a
        // Timeline heading, paragraphs that each open with their time, run
        // straight into a log's time-first entries, are its first entries.
        // Two at least: one such paragraph over a log is its summary. (On a
        // status page they are the text of the update whose stamp follows.)
        let leadIntoTheLog: Set<Int> = {
            guard !headed, !state.stampedLog else { return [] }
            var found = Set<Int>(), run: [Int] = []
            for j in logical.indices {
                let t = logical[j].text.trimmed
                if t.isEmpty { continue }
                switch shapes[j] {
                case .entry:
                    if run.count >= 2 { found.formUnion(run) }
                    run = []
                case .prose where setApart(j) && opensWithATime(t, order: order):
                    run.append(j)
                default:
                    run = []
                }
            }
            return found
        }()
        // Under a Timeline heading one timed entry is a timeline; elsewhere
        // it takes two (a list with one time in it is not one).
        let needed = headedSection ? 1 : 2
        var starts = 0
        for j in logical.indices where logical[j].inSection {
            switch shapes[j] {
            case .entry(let time, _, _): if (try? stamp(time, order: order ?? .dayFirst))?.time != nil { starts += 1 }
            case .prose where headedAt(j) && !aboutThePage(j):
                starts += sentenceEntries(logical[j].text.trimmed, order: order).filter { $0.time != nil }.count
            default: break
            }
            if starts >= needed { break }
        }
        guard starts >= needed else { return nil }
        // A timeline written as time-first lines (six or more) tells its
        // moments that way; a sentence between them that mentions one of
        // their clocks in passing ("Our security team was alerted at 16:00
        // and …" beside "16:00 - Automated alert") retells it, and is not an
        // entry of its own. A sentence with a clock of its own ("The service
        // was fully restored at 18:45") is a moment the list left out.
        let timeFirstClocks: [Int] = logical.indices.compactMap { j in
            guard logical[j].inSection, case .entry(let time, _, _) = shapes[j], let clock = (try? stamp(time, order: order ?? .dayFirst))?.time else { return nil }
            return clock.hour * 60 + clock.minute
        }
        let listedClocks = !state.sentencesEverywhere && timeFirstClocks.count >= 6 ? Set(timeFirstClocks) : []
        // ("The next day at 14:05 …", "On May 15 at 14:30 …" after entries
        // of the 14th: another day, so a moment of its own.)
        func retellsAListedMoment(_ t: String, day: Day?) -> Bool {
            guard !listedClocks.isEmpty, !opensWithATime(t, order: order) else { return false }
            let lower = t.lowercased()
            if ["next day", "next morning", "following day", "following morning", "day after", "lendemain", "nächsten tag", "día siguiente"].contains(where: lower.contains) { return false }
            let stamps = sentenceEntries(t, order: order).compactMap { $0.time.flatMap { try? stamp($0, order: order) } }
            for s in stamps {
                if let m = s.month, let d = s.day, day.map({ $0.month != m || $0.day != d }) ?? true { return false }
            }
            let clocks = stamps.compactMap(\.time)
            return !clocks.isEmpty && clocks.count == stamps.count && clocks.allSatisfy { listedClocks.contains($0.hour * 60 + $0.minute) }
        }
        // Read from the top again: headings and zone lines apply to the entries after them.
        state.context = state.initialContext ?? DateContext(fallback: state.context.fallback)
        state.rows = []
        state.rowsWithTheirOwnDate = []
        state.rowsWithTheirOwnZone = []
        state.skipped = []
        state.notes = []
        state.unread = []
        state.givenDateUsed = false
        state.paragraph = ""

        var zone: TimeZone?
        var previous: Date?
        var current: (line: Int, time: String, text: String, style: EntryStyle)?
        // Each line's text by its number, for an entry that needs its line as written.
        var lineText: [Int: String] = [:]
        for line in logical where lineText[line.number] == nil { lineText[line.number] = line.text }
        /// Whether the next line of the section is an entry nested under
        /// this item whose time has no day of its own ("* 11/26" over
        /// "    * 00:28 - …"): then the item dates it, and is not a fraction
        /// ("- 1/2") or a schedule ("- 24/7") among the entries.
        func dayHeadsNestedTimes(_ j: Int, indent: Int, orAlongside: Bool = false) -> Bool {
            var k = j + 1
            while k < logical.count, case .blank = shapes[k] { k += 1 }
            guard k < logical.count, logical[k].inSection, case .entry(let time, _, .list(indent: let inner)) = shapes[k],
                  inner > indent || (orAlongside && inner == indent),
                  let s = try? stamp(time, order: order ?? .dayFirst), s.month == nil else { return false }
            return true
        }
        /// Whether the list item at `j` is a window of a schedule: a span
        /// ("21:00 to 08:00") in a list whose lead-in line announces a plan
        /// ("… is now scheduled for Thursday-Sunday 20-23 July:").
        func listsASchedule(_ j: Int) -> Bool {
            guard case .entry(let time, _, .list) = shapes[j] else { return false }
            var k = j - 1
            while k >= 0, k >= j - 20 {
                switch shapes[k] {
                case .blank: k -= 1
                case .entry(_, _, .list): k -= 1
                default:
                    let lead = logical[k].text.trimmed
                    guard lead.hasSuffix(":"), schedulePhrase.firstMatch(in: lead, range: NSRange(lead.startIndex..., in: lead)) != nil else { return false }
                    return spansTwoClocks(time) || listItemContent(logical[j].text.trimmed).map(spansTwoClocks) == true
                }
            }
            return false
        }
        var afterBlank = false
        func flush(state: inout ParseState) throws(TimelineTableError) {
            guard let entry = current else { return }
            current = nil
            // "July 26, 2016 From 12:23 AM until 1:05 AM Singapore time zone"
            // alone on its line: a span, which as written says what it was.
            let spanAlone = entry.style == .heading && entry.text.trimmed.isEmpty && lineText[entry.line].map(isTimeAlone) == true
                && lineText[entry.line].map(spansTwoClocks) == true
            if entry.style == .heading, entry.text.trimmed.isEmpty, !spanAlone {
                // "## 2018-09-23 02:20 UTC" straight over the entries: the
                // section's title, restating when it began, not an entry.
                unread(entry.line, "a heading with a time and nothing under it before the next entry", state: &state)
                return
            }
            if entry.style == .heading, lineText[entry.line].map(isTimeAlone) == true,
               let below = entry.text.split(separator: "\n").first, isAffectedServicesLine(String(below)) {
                // Better Stack's page opens "Feb 05 at 09:37pm HST" over
                // "Affected services": when the incident began, as the page's
                // header, not an update.
                unread(entry.line, "the status page's header (when the incident began and what it affected), not an update", state: &state)
                return
            }
            var text = entry.text
            let listItem = if case .list = entry.style { true } else { false }
            if text.trimmed.isEmpty, spanAlone || listItem, let written = lineText[entry.line]?.trimmed, spansTwoClocks(written) {
                // "* 2022-01-07 12:39 - 15:30" over the entries of that span,
                // "1. November 4th -- 16:30 to 15:00 UTC": the line is the
                // entry, and the span as written says what it was.
                text = listItemContent(written) ?? written
            }
            let cells = RowCells(line: entry.line, time: entry.time, author: "", text: text, kind: "", reflection: "")
            let before = state.rows.count
            try appendRow(cells, zone: zone ?? state.defaultZone, previous: &previous, state: &state)
            if state.rows.count > before {
                state.rows[before].text = dropSameMoment(state.rows[before].text, as: state.rows[before].occurredAt)
            }
        }
        func unread(_ number: Int, _ reason: String, state: inout ParseState) {
            if headedSection { state.unread.append(SkippedRow(line: number, reason: reason)) }
        }
        /// A paragraph wrapped mid-sentence: "On August 27th, starting at" /
        /// "about 18:00 UTC an account …". The time's sentence began on the
        /// line above, and its day with it: the time dated from there, or nil.
        func carriedDay(_ time: String, _ j: Int) -> String? {
            guard !afterBlank, j > 0, case .prose = shapes[j - 1], (try? stamp(time, order: order))?.month == nil,
                  let carry = unfinishedSentence(logical[j - 1].text.trimmed), sentenceEntries(carry, order: order).first?.time == nil else { return nil }
            return dated(time, before: carry, order: order)
        }
        /// The time on the day the weekday names, said in a note; the time
        /// as it was when it has a date or the weekday no day to count from.
        func weekdayDated(_ time: String, _ named: NamedWeekday?, line: Int, state: inout ParseState) -> String {
            guard let named, (try? stamp(time, order: order))?.month == nil, let found = day(of: named, from: state.context) else { return time }
            state.notes.append(SkippedRow(line: line, reason: "\"\(named.words)\" was read as \(found.day.iso), counted from \(found.from.iso)"))
            return found.day.iso + " " + time
        }
        /// A paragraph or heading that opens with a weekday and states no
        /// time ("On Friday, we found …", "### Tuesday"): the day of the
        /// times after it.
        func startsWeekday(_ t: String, line: Int, state: inout ParseState) -> Bool {
            guard let named = namedWeekday(t, opening: true), let found = day(of: named, from: state.context) else { return false }
            startDay(found, named: named, line: line, state: &state)
            return true
        }
        func startDay(_ found: (day: Day, from: Day), named: NamedWeekday, line: Int, state: inout ParseState) {
            state.context.start(found.day)
            state.notes.append(SkippedRow(line: line, reason: "\"\(named.words)\" was read as \(found.day.iso), counted from \(found.from.iso)"))
        }
        /// The zone a Timeline heading stated, and the one before it: the
        /// next Timeline heading goes back to that one, unless the text
        /// between them stated another.
        var zoneSetByTimelineHeading: (before: TimeZone?, zone: TimeZone?)?
        let timelineBlocks = codeBlocksHoldingTheTimeline(logical.map(\.text), shapes: shapes, order: order ?? .dayFirst)
        // A timeline told as one titled heading per moment, three or more
        // ("### December 8, 12:42 - CryptPad goes down"): the paragraphs
        // under each tell its story, and the times they mention ("By 15:00
        // the server was back. At 15:40 …") are part of it, as people
        // counting such a timeline count it.
        let headingsAreEntries = shapes.indices.lazy.filter { j in
            guard case .entry(_, let title, .heading) = shapes[j] else { return false }
            return !title.isEmpty && logical[j].text.trimmed.hasPrefix("#")
        }.prefix(3).count == 3
        var fence: String?
        for (j, (number, line, inSection)) in logical.enumerated() {
            let t = line.trimmed
            guard inSection else {
                try flush(state: &state)
                let timelineHeading = t.hasPrefix("#") && namesTimeline(t)
                // A page of several incidents: "### Timeline (UK / BST)" zones
                // its own timeline, not the next one's plain "### Timeline".
                if timelineHeading, let set = zoneSetByTimelineHeading, zone == set.zone { zone = set.before }
                let zoneBefore = zone
                readProse(t, line: number, state: &state, zone: &zone)
                if timelineHeading { zoneSetByTimelineHeading = zone != zoneBefore ? (zoneBefore, zone) : nil }
                continue
            }
            if timelineBlocks.contains(j) {
                // The timeline itself written as a code block: its lines are
                // read as entries; its fences are nothing.
                if opensFence(t) != nil { continue }
            } else if let open = fence ?? opensFence(t) {
                // A code block (a log excerpt, a command) is text, whatever times
                // it holds: it belongs to the entry above it.
                if fence == nil { fence = open } else if closesFence(t, open) { fence = nil }
                if current != nil {
                    current!.text += "\n" + line
                } else if !t.isEmpty {
                    unread(number, "inside a code block", state: &state)
                }
                continue
            }
            let indented = line.first == " " || line.first == "\t"
            defer { afterBlank = t.isEmpty }
            switch shapes[j] {
            case .blank:
                continue
            case .entry(let time, _, .paragraph) where !afterBlank && j > 0 && current != nil
                    && (endsBeforeItsTime(logical[j - 1].text) || wrappedMidSentence(logical[j - 1].text, t))
                    && !opensALogLine(t, time: time, order: order):
                // "We'll change the resources between\n06:00 and 07:00 UTC.",
                // "… efforts continued,\nbefore 12:15 we started …": a sentence
                // wrapped before its time goes on, in the entry above. (A
                // line that opens with a whole date, "Sep 26, 2024 – 09:52
                // UTC – …", is a log line of its own, whatever ends the last.)
                current!.text += "\n" + t
            case .entry(_, _, .paragraph) where headingsAreEntries && current.map({ lineText[$0.line]?.trimmed.hasPrefix("#") == true }) == true
                    && t.first?.isLetter == true:
                // (A story's "By 15:00 the server was back"; a log line that
                // opens with its time, "23:22 UTC - On-call acknowledges", is
                // an entry of its own.)
                current!.text += "\n" + t
            case .entry(_, let label, .list(let indent)) where indent > 0 && isStatusChip(label)
                    && current.map({ if case .list(let above) = $0.style { return above < indent } else { return false } }) == true:
                // "- 10:20 UTC: Migration starts." over "  - completed
                // 2024-05-01 10:55 UTC": a fact of the item above, not an update.
                current!.text += "\n" + t
            case .entry(_, _, .list) where current != nil && listsASchedule(j):
                // "The maintenance is now scheduled for 20-23 July:" over "- 20
                // July 2023 21:00 to 08:00 (BST)": the windows planned, in the
                // update that announces them.
                current!.text += "\n" + t
            case .entry(let time, let text, let style):
                try flush(state: &state)
                if case .heading = style, text.isEmpty, let s = try? stamp(time, order: order ?? .dayFirst), let m = s.month, let d = s.day,
                   nextEntryHasTimeOnly(after: j, logical.count, shapes: shapes, order: order ?? .dayFirst) {
                    // "## 2018-11-08 16:55:00 -0500" over "- 16:55 - deployed":
                    // the heading dates and zones the entries below it.
                    if let y = s.year ?? state.context.fallback?.year ?? state.context.mentioned?.day.year { state.context.start(Day(year: y, month: m, day: d)) }
                    if let z = s.zone { zone = z }
                    continue
                }
                current = (number, style == .paragraph ? carriedDay(time, j) ?? time : time, text, style)
            case .item(let content, let indent):
                // "* **Monday, April 3, 2023**" among "* 08:43: …" items: in
                // bold, a day heads the timed items after it as a heading would.
                let bold = (content.hasPrefix("**") && content.trimmingCharacters(in: CharacterSet(charactersIn: ": ")).hasSuffix("**"))
                if dayHeadsNestedTimes(j, indent: indent, orAlongside: bold),
                   let day = itemDay(content, fallbackYear: state.context.fallback?.year ?? state.context.mentioned?.day.year, after: state.context.day, order: order) {
                    // "* 11/26" over the timed items of that day: a day, as a
                    // heading would be, not text of the entry above.
                    try flush(state: &state)
                    state.context.start(yearSlipMended(day, in: content, line: number, state: &state))
                    continue
                }
                if dayHeadsNestedTimes(j, indent: indent), content.count <= 40, let named = namedWeekday(content, opening: true),
                   let found = day(of: named, from: state.context) {
                    // "* Mercredi" over that day's timed items: the day, too.
                    try flush(state: &state)
                    startDay(found, named: named, line: number, state: &state)
                    continue
                }
                if let open = current, continues(open.style, indent: indent, afterBlank: afterBlank) {
                    current!.text += (current!.text.isEmpty ? "" : "\n") + t
                } else if current != nil {
                    // An item without a time among timed ones happened after
                    // the one above, at a moment nobody wrote down: it stays
                    // with that entry rather than getting a time made up.
                    current!.text += "\n" + t
                } else {
                    try flush(state: &state)
                    unread(number, "a list item without a time", state: &state)
                }
            case .heading:
                try flush(state: &state)
                if !readProse(t, line: number, state: &state, zone: &zone) {
                    unread(number, startsWeekday(t, line: number, state: &state) ? "a weekday without a time of day: it dates the entries after it" : "a heading without a time", state: &state)
                }
            case .prose where isThematicBreak(t):
                // A thematic break ("---") between status updates ends the one above.
                try flush(state: &state)
            case .prose:
                if headingDay(t, fallbackYear: state.context.fallback?.year ?? state.context.mentioned?.day.year, order: order) != nil {
                    try flush(state: &state)
                    readProse(t, line: number, state: &state, zone: &zone)
                } else if let open = current, (open.style == .heading && !(afterBlank && isTimeAlone(lineText[open.line]) && opensWithATime(t, order: order)))
                            || (!afterBlank && !(open.style == .paragraph && headedAt(j) && !open.text.isEmpty && statesATime(t, order: order)
                                               && !wrappedMidSentence(logical[j - 1].text, t) && !recallsAnEarlierHour(t, after: open.time))) || indented {
                    current!.text += (current!.text.isEmpty ? "" : "\n") + t
                } else if afterBlank || current == nil, retellsAListedMoment(t, day: state.context.day) {
                    try flush(state: &state)
                    // (It may still say the zone: "All times are PDT; the outage began at 09:12.")
                    if !readProse(t, line: number, state: &state, zone: &zone) {
                        unread(number, "a sentence that mentions the time of an entry listed here: read as retelling it, not as an entry", state: &state)
                    }
                } else if current != nil, let last = t.last, !".!?".contains(last), retellsAListedMoment(t, day: state.context.day) {
                    // Right below an entry, with no blank line between (a page
                    // copied as text: "Plugins that were upgraded at 16:37
                    // Denver time" under the last entry): it goes on about
                    // that moment, in the entry above.
                    current!.text += "\n" + t
                } else if headedAt(j) || leadIntoTheLog.contains(j), !aboutThePage(j),
                          case let sentences = sentenceEntries(t, order: order, storyDay: state.context.day ?? state.context.mentioned?.day),
                          sentences.contains(where: { $0.time != nil }) {
                    // (Outside a Timeline section, "date: 2014-05-07T14:48" is
                    // the page's facts, not an entry.)
                    // (A line of a paragraph that states its own time is an
                    // entry of its own: "Feil oppdaget: 15.11.2023 14:20".)
                    try flush(state: &state)
                    var sentences = sentences
                    if let time = sentences.first?.time, let carried = carriedDay(time, j) {
                        sentences[0] = (carried, sentences[0].text)
                    }
                    if let opening = openingDay(t, order: order) {
                        // "Also on 15 April 2026, our database … At 2:10am SAST
                        // the cronjob …": the day the paragraph opens with dates
                        // the times of its later sentences.
                        // Until a clock goes back: "At 00:20 it failed" after 23:50
                        // is the next day, which the reader finds by itself.
                        var previous = -1
                        for k in sentences.indices {
                            guard let time = sentences[k].time, let s = try? stamp(time, order: order), let clock = s.time else { continue }
                            let minutes = clock.hour * 60 + clock.minute
                            if minutes < previous { break }
                            previous = minutes
                            if s.month == nil { sentences[k].time = opening + " " + time }
                        }
                    }
                    var leading = ""
                    // "On Thursday, things turned for the worse. At 8 pm CEST …":
                    // the weekday the paragraph opens with dates its first time.
                    var openingWeekday = afterBlank || j == 0 ? namedWeekday(t, opening: true) : nil
                    let opensEntry = sentencesOpeningEntries(sentences, order: order, day: state.context.day?.iso)
                    for (sentence, opens) in zip(sentences, opensEntry) {
                        if var time = sentence.time, opens {
                            try flush(state: &state)
                            // Counted from the day of the entries before it, so only now.
                            time = weekdayDated(time, namedWeekday(sentence.text) ?? openingWeekday, line: number, state: &state)
                            openingWeekday = nil
                            current = (number, time, leading + sentence.text, .paragraph)
                            leading = ""
                        } else if current != nil {
                            current!.text += " " + sentence.text
                        } else {
                            leading += sentence.text + " "
                        }
                    }
                } else {
                    try flush(state: &state)
                    if !readProse(t, line: number, state: &state, zone: &zone) {
                        if afterBlank || j == 0, startsWeekday(t, line: number, state: &state) {
                            unread(number, "a weekday without a time of day: it dates the entries after it", state: &state)
                        } else {
                            unread(number, "no time in it, and not part of an entry above", state: &state)
                        }
                    }
                }
            }
        }
        try flush(state: &state)
        dropRowsThatAreNoMoments(lines: lines, state: &state)
        return state.result(.markdown)
    }

    /// Rows read as entries that are no moments of the incident, each left
    /// out with a note that says why, one kind after another: a summary of
    /// the incident's window above the entries, a status label and stamp
    /// printed twice, the start and end of a window a notice states.
    static func dropRowsThatAreNoMoments(lines: [String], state: inout ParseState) {
        func drop(_ rows: Set<Int>, _ reason: String) {
            for k in rows.sorted() { state.notes.append(SkippedRow(line: state.rows[k].line, reason: reason)) }
            state.rows = state.rows.indices.filter { !rows.contains($0) }.map { state.rows[$0] }
        }
        if opensWithAWindowSummary(state.rows, lines: lines) {
            drop([0], "a summary of the incident's window, at the moment of the entry below it: not imported as an entry of its own")
        } else if state.rows.count >= 3, state.rows.allSatisfy({ $0.line <= lines.count }), isHeaderWindow(lines[state.rows[0].line - 1]),
                  // (A log of "Time: 10:02 - 10:05 UTC - first spike" lines is
                  // entries: no other row may carry the header's label.)
                  case let labels = state.rows.map({ lines[$0.line - 1].trimmed.lowercased().prefix { $0 != ":" } }),
                  !labels.dropFirst().contains(labels[0]) {
            drop([0], "the window the notice's header states, from its start to its end: not imported as an entry of its own")
        }
        // A page that prints each update's label and stamp twice
        // ("Completed" / "June 08, 2024 at 2:04 PM" / "Completed" / "June 08,
        // 2024 at 2:04 PM" / its text): the label alone, at the moment of the
        // entry right below it, is that entry's.
        // (A log's "- 14:02 UTC: Investigating" over "- 14:02 UTC: Update: …"
        // is two moments: its items open with their times, then their text.)
        func opensWithTimeAndText(_ t: String) -> Bool {
            listItemContent(t).flatMap { splitLeadingTime($0) }.map { !$0.text.trimmed.isEmpty } ?? false
        }
        drop(Set(state.rows.indices.dropLast().filter { k in
            let row = state.rows[k]
            return row.occurredAt == state.rows[k + 1].occurredAt && state.rows[k + 1].line - row.line <= 3 && isOnlyAStatusLabel(row.text)
                && row.line <= lines.count && !opensWithTimeAndText(lines[row.line - 1].trimmed)
        }), "the update's label and time printed twice: read once, with the update below")
        // "Start: Thursday 13th July @ 12:00 PM BST" over "End: … 12:30 PM
        // BST", among an announcement's updates: the window it plans, part of
        // its text, not two moments. So are a notice's "Start Date" and "End
        // Date" fields, each value alone under its label, over its updates.
        guard state.rows.count >= 4 else { return }
        let announces = lines.contains(where: { announcementWord.firstMatch(in: $0, range: NSRange($0.startIndex..., in: $0)) != nil })
        var window = Set<Int>()
        for k in state.rows.indices.dropLast()
        where (announces && announcesAWindow(state.rows[k], state.rows[k + 1], lines: lines)) || fieldsOfAWindow(state.rows[k], state.rows[k + 1], lines: lines) {
            window.formUnion([k, k + 1])
        }
        if state.rows.count - window.count >= 2 {
            drop(window, "the start or end of the window a notice states, not a moment of the incident")
        }
    }

    /// "Incident window: 11:20 AM - 12:50 PM ET", "The entire incident
    /// happened between … and …", "At 01:05 UTC, CommCare HQ suffered an
    /// outage … for approximately 1 Hour and 15 minutes": a summary above
    /// the entries, at the moment of the first of them, set apart from them
    /// by a heading or a paragraph, and saying how long it all lasted (a
    /// second time, or a duration). People counting a timeline leave it out.
    /// Whether the first row is such a summary.
    static func opensWithAWindowSummary(_ rows: [ImportedTimelineRow], lines: [String]) -> Bool {
        guard rows.count >= 3, rows[0].occurredAt == rows[1].occurredAt, rows[0].line < rows[1].line, rows[1].line <= lines.count else { return false }
        // The rest of the summary's paragraph, then what stands between.
        var k = rows[0].line
        while k < rows[1].line - 1, !lines[k].trimmed.isEmpty { k += 1 }
        // (Or a paragraph right over a list: "Between 8:39:00 AM and
        // 09:28:15 AM UTC on March 17, 2023, …" over "- 08:39:00 AM UTC: …".)
        let overAList = rows[1].line == rows[0].line + 1 && listItemContent(lines[rows[1].line - 1].trimmed) != nil
        guard overAList || lines[k ..< rows[1].line - 1].contains(where: { !$0.trimmed.isEmpty }) else { return false }
        // A paragraph about the incident as a whole, not an entry of a list
        // or a table ("- 14:02 UTC: alert fired after p99 stayed high for 5 minutes").
        guard isPlainProse(lines[rows[0].line - 1].trimmed) else { return false }
        let text = rows[0].text
        guard text.range(of: #"(?i)\b(?:incidents?|outages?|down|downtime|disruptions?|interruptions?|window|inaccessible|unavailab(?:le|ility)|degraded|degradation)\b"#, options: .regularExpression) != nil else { return false }
        let clocks = clockInProse.numberOfMatches(in: text, range: NSRange(location: 0, length: (text as NSString).length))
        guard clocks >= 2 || text.range(of: #"(?i)\b\d+(?:\.\d+)?\s*(?:hours?|hrs?|minutes?|mins?|days?)\b"#, options: .regularExpression) != nil else { return false }
        return true
    }

    /// A notice's header field that states its whole window, a time at each
    /// end: "Time: Aug 20th 2016, 0:00 a.m. - Aug 21st 2016, 6:00 p.m.",
    /// "Zeitraum: 14:00 - 18:00 Uhr". (A log's "- 10:00 - 10:20: failover"
    /// is a list item, and "Time: 14:02" alone a moment.)
    static func isHeaderWindow(_ line: String) -> Bool {
        let t = line.trimmed
        guard isPlainProse(t), let label = t.prefixMatch(of: #/(?i:time|times|period|window|outage window|maintenance window|when|zeitraum|zeit|période|periodo|periode)\s*:\s*/#) else { return false }
        let value = String(t[label.range.upperBound...])
        let clocks = clockInProse.numberOfMatches(in: value, range: NSRange(location: 0, length: (value as NSString).length))
        return clocks == 2 && value.range(of: #"\s[-–—]\s|\d\s*[-–—]\s*\d|\s(?:to|until|bis|au)\s"#, options: .regularExpression) != nil
    }

    /// An entry's text that is only status labels ("Completed", "Updates -
    /// In progress").
    static func isOnlyAStatusLabel(_ text: String) -> Bool {
        let words = text.lowercased().split { !$0.isLetter }
        return !words.isEmpty && words.allSatisfy { statusWords.contains(String($0)) || ["updates", "in", "progress"].contains($0) }
    }

    /// A line that opens with a whole date and its time, then a separator:
    /// "Sep 26, 2024 – 09:52 UTC – The message is sent …", a log's line,
    /// not the end of a sentence wrapped before it ("… expected to land at"
    /// / "Sep 26, 2024 06:00 UTC, after their release freeze.").
    static func opensALogLine(_ line: String, time: String, order: SlashOrder?) -> Bool {
        guard (try? stamp(time, order: order ?? .dayFirst))?.year != nil, let r = line.range(of: time) else { return false }
        return line[r.upperBound...].drop(while: \.isWhitespace).first.map { "–—-:|".contains($0) } ?? false
    }

    /// A notice's fields for its window: "Start Date" over "25th Feb 2017
    /// 10:30am", then "End Date" over "2nd Mar 2017 10:00am", each value a
    /// time alone under its label (a blank line between or not). Only labels
    /// that name a date or a time: a job's "Start" and "End" are moments.
    static func fieldsOfAWindow(_ start: ImportedTimelineRow, _ end: ImportedTimelineRow, lines: [String]) -> Bool {
        // The label above the value, or (straight over it) the row's text.
        func labels(of row: ImportedTimelineRow) -> [String] {
            var found = [row.text.trimmed.lowercased()]
            if row.line <= lines.count, isTimeAlone(lines[row.line - 1]), let above = lines[..<(row.line - 1)].last(where: { !$0.trimmed.isEmpty }) {
                found.append(above.trimmed.lowercased())
            }
            return found
        }
        return labels(of: start).contains { $0.wholeMatch(of: #/(?:start|starts|started|from)\s+(?:date|time|date and time)\s*:?/#) != nil }
            && labels(of: end).contains { $0.wholeMatch(of: #/(?:end|ends|ended|until)\s+(?:date|time|date and time)\s*:?/#) != nil }
    }

    /// Two lines in a row that are only a window's start and end ("Start:
    /// … 12:00 PM BST" over "End: … 12:30 PM BST").
    static func announcesAWindow(_ start: ImportedTimelineRow, _ end: ImportedTimelineRow, lines: [String]) -> Bool {
        // Lines of the announcement's text, not a log's list items ("- Start: 10:02 UTC").
        guard end.line == start.line + 1, end.line <= lines.count,
              isPlainProse(lines[start.line - 1].trimmed), isPlainProse(lines[end.line - 1].trimmed) else { return false }
        // The label, then nothing but the time ("Start: @ 12:00 PM BST"; the
        // reader may leave the clock in the text when a day stood before it).
        let label = { (text: String, words: String) in
            guard let r = text.trimmed.range(of: "^(?i)(?:" + words + ")\\s*:?", options: .regularExpression) else { return false }
            return !text.trimmed[r.upperBound...].split(whereSeparator: { !$0.isLetter }).contains { word in
                word.count >= 3 && word.contains(where: \.isLowercase) && monthNumber(word.lowercased()) == nil && weekdayIndex(word.lowercased()) == nil
            }
        }
        return label(start.text, "start|starts|start time|begins?|from") && label(end.text, "end|ends|end time|finish(?:es)?|until|to")
    }

    /// Which of a paragraph's sentences open an entry. A paragraph is one
    /// entry at its first time, as people counting published timelines count
    /// it ("… but by 6pm the site was slow. By 6:20, the fault was found."),
    /// unless it is a log run together: every timed sentence opens with its
    /// time, and most have one ("At 14:00 UTC we deployed. At 14:05 UTC
    /// errors rose."). A sentence that names another day is a moment of its
    /// own; one that names the day the entries are on (`day`, as `dayText`
    /// writes it) is not. A story told with no Timeline heading is read the
    /// same way.
    static func sentencesOpeningEntries(_ sentences: [(time: String?, text: String)], order: SlashOrder?, day: String?) -> [Bool] {
        // (A log has few sentences without a time: "At around 10:25 checks
        // alerted us. We rerouted traffic. To begin with, this was not
        // service impacting. Between 10:30 - 10:33 connections piled up. …"
        // is a story.)
        let timed = sentences.filter { $0.time != nil }.count
        let runTogetherLog = sentences.first?.time != nil && sentences.count - timed < timed
            && sentences.allSatisfy { $0.time == nil || opensWithATime($0.text, order: order) }
        var paragraphHasEntry = false
        var paragraphDay: String?
        // ("Sep 29 19:21:40" and "2021-09-29T19:55:00Z" name one day: a
        // year written in one of them only is no other day.)
        func sameDay(_ a: String, _ b: String?) -> Bool {
            guard let b else { return false }
            guard a != b else { return true }
            guard let x = try? stamp(a, order: order), let y = try? stamp(b, order: order), let m = x.month, let d = x.day else { return false }
            return m == y.month && d == y.day && (x.year == nil || y.year == nil || x.year == y.year)
        }
        return sentences.map { sentence in
            guard let time = sentence.time else { return false }
            let named = dayText(time, order: order)
            guard !paragraphHasEntry || runTogetherLog || (named.map { !sameDay($0, paragraphDay) } ?? false) else { return false }
            paragraphHasEntry = true
            paragraphDay = named ?? day
            return true
        }
    }

    /// "**Monday, April 3, 2024**" under the entries of Sunday, April 2,
    /// 2023: the weekday and the day before agree on 2023, so the year is a
    /// slip of the keyboard. The day with its year mended (said in a note),
    /// or the day as written when the weekday fits it, names none, or no
    /// other year fits both.
    static func yearSlipMended(_ day: Day, in text: String, line: Int, state: inout ParseState) -> Day {
        guard let before = state.context.day, day.year != before.year,
              let named = text.lowercased().split(whereSeparator: { !$0.isLetter }).lazy
                  .compactMap({ $0.count >= 6 ? weekdayIndex(String($0)) : nil }).first,
              day.weekday != named else { return day }
        for year in [day.year - 1, day.year + 1] {
            let mended = Day(year: year, month: day.month, day: day.day)
            let gap = CivilDate.daysSinceEpoch(year: mended.year, month: mended.month, day: mended.day)
                - CivilDate.daysSinceEpoch(year: before.year, month: before.month, day: before.day)
            guard mended.isValid, mended.weekday == named, (0...31).contains(gap) else { continue }
            state.notes.append(SkippedRow(line: line, reason: "\(day.iso) is written here, but the weekday it names and the days before it are \(mended.iso): read as \(mended.iso)"))
            return mended
        }
        return day
    }

    /// A section heading that names a day and states no time: "##
    /// 2024-01-02", "## March 3: API errors", "## 2024年4月13日晚上",
    /// "#### Downtime on March 3rd, 2019". Only the words before a title's
    /// separator count; a document's title ("# …") is not one.
    static func headingNamesADay(_ t: String, order: SlashOrder?) -> Bool {
        guard t.hasPrefix("##") else { return false }
        let text = t.drop { $0 == "#" || $0 == " " }
        let lead = text.split(maxSplits: 1, whereSeparator: { ":：–—|".contains($0) }).first.map(String.init) ?? ""
        guard !lead.isEmpty, lead.count <= 60,
              clockInProse.firstMatch(in: lead, range: NSRange(location: 0, length: (lead as NSString).length)) == nil else { return false }
        return headingDay("# " + lead, fallbackYear: 2000, order: order) != nil
    }

    /// A time alone on its line, not a heading and not in bold ("02:00 UTC"
    /// over a status update): it heads the paragraphs below it until one
    /// states a time of its own.
    static func isTimeAlone(_ line: String?) -> Bool {
        guard let t = line?.trimmed, let first = t.first, !"#*_".contains(first) else { return false }
        return splitLeadingTime(t)?.text.isEmpty == true
    }

    /// A paragraph that opens with its moment ("At 10:20 UTC we rolled
    /// back"), not one that mentions a time later ("Next update will be
    /// at 03:00 UTC"): its first clock starts within `within` characters.
    static func opensWithATime(_ t: String, order: SlashOrder?, within: Int = 12) -> Bool {
        guard let time = sentenceEntries(t, order: order).first?.time,
              let clock = clockInProse.firstMatch(in: t, range: NSRange(location: 0, length: (t as NSString).length)) else { return false }
        return !time.isEmpty && clock.range.location <= within
    }

    /// A list item without a time of its own whose indented continuation
    /// lines end with one ("* GDS confirmed the change" / "    had been
    /// actioned at 2:15pm"): the item as one line, and the lines it took in.
    /// Nil when the item states a time itself or its lines state none, so an
    /// item's own time and its wrapped notes are read as before.
    static func wrappedListItem(_ lines: [String], at i: Int, in section: TimelineLines, order: SlashOrder?) -> (text: String, lines: Range<Int>)? {
        let first = lines[i]
        guard listItemContent(first.trimmed) != nil, !statesATime(first, order: order) else { return nil }
        var end = i + 1
        while end < lines.count, end - i <= 8, section.contains(end) {
            let next = lines[end]
            let t = next.trimmed
            guard next.first == " " || next.first == "\t", !t.isEmpty, listItemContent(t) == nil, !t.hasPrefix("#"), !t.hasPrefix("|"),
                  opensFence(t) == nil, !t.hasPrefix(">") else { break }
            // "- Timeline:" over "    14:02 paged": lines that open with a
            // time are entries of their own, not a wrapped item.
            if leadingTime(t, order: order, allowEmpty: true) != nil { return nil }
            end += 1
        }
        guard end > i + 1, endsWithClock(lines[end - 1]) else { return nil }
        let joined = ([first] + lines[(i + 1) ..< end].map(\.trimmed)).joined(separator: " ")
        return (joined, (i + 1) ..< end)
    }

    /// Whether a line ends with a time ("… had been actioned at 2:15pm.").
    static func endsWithClock(_ line: String) -> Bool {
        let t = line.trimmed.trimmingCharacters(in: CharacterSet(charactersIn: ".;,:!)*_ "))
        let ns = t as NSString
        guard let last = clockInProse.matches(in: t, range: NSRange(location: 0, length: ns.length)).last else { return false }
        return last.range.location + last.range.length == ns.length
    }

    /// Whether the next entry after line `j` gives a time of day and no date.
    static func nextEntryHasTimeOnly(after j: Int, _ count: Int, shapes: [LineShape], order: SlashOrder) -> Bool {
        for k in (j + 1) ..< count {
            switch shapes[k] {
            case .blank: continue
            case .entry(let time, _, let style):
                if case .heading = style { return false }
                return (try? stamp(time, order: order)).map { $0.time != nil && $0.month == nil } ?? false
            default: return false
            }
        }
        return false
    }

    /// Lines (fences included) of code blocks that are the timeline itself:
    /// `2023-06-17 18:05 Block created` line after line in a block that
    /// follows no entry (a log excerpt under an entry stays its text). Most
    /// of the block's lines, and at least three, must start with a time. A
    /// fence left open runs to the end, as CommonMark reads it.
    static func codeBlocksHoldingTheTimeline(_ lines: [String], shapes: [LineShape], order: SlashOrder) -> Set<Int> {
        var found = Set<Int>()
        var sawEntry = false
        var j = 0
        while j < lines.count {
            let t = lines[j].trimmed
            guard let open = opensFence(t) else {
                if case .entry = shapes[j] { sawEntry = true }
                j += 1
                continue
            }
            var end = j + 1
            while end < lines.count, !closesFence(lines[end].trimmed, open) { end += 1 }
            let content = (j + 1 ..< min(end, lines.count)).filter { !lines[$0].trimmed.isEmpty }
            let timed = content.filter { if case .entry(let time, _, _) = shapes[$0] { return hasTimeOfDay(time, order: order) }; return false }
            if !sawEntry, timed.count >= 3, timed.count * 5 >= content.count * 3 {
                found.formUnion(j ... min(end, lines.count - 1))
                sawEntry = true
            }
            j = end + 1
        }
        return found
    }

    static let lineBreakTag = try! NSRegularExpression(pattern: "<br\\s*/?>", options: .caseInsensitive)

    /// Fenced code blocks, followed line by line: what they hold (logs,
    /// commands, markup) is not the document's own words.
    struct CodeFences {
        private var open: String?

        /// Whether the trimmed line `t` is a fence or inside a code block.
        mutating func holds(_ t: String) -> Bool {
            if let o = open {
                if TimelineTable.closesFence(t, o) { open = nil }
                return true
            }
            open = TimelineTable.opensFence(t)
            return open != nil
        }
    }

    /// Whether `t` closes a code block opened by `open`: the fence alone,
    /// as CommonMark has it. "```bash" after a stray "```" opens the next
    /// block rather than closing one, or every fence after it is read the
    /// wrong way round and the rest of the timeline taken for code.
    static func closesFence(_ t: String, _ open: String) -> Bool {
        guard let mark = open.first, t.hasPrefix(open) else { return false }
        return t.drop { $0 == mark }.allSatisfy { $0 == " " || $0 == "\t" }
    }

    /// A fenced code block's opening: three backticks or tildes, and for
    /// backticks no backtick after them (CommonMark: "```a` b```" is a code span).
    static func opensFence(_ t: String) -> String? {
        if t.hasPrefix("~~~") { return "~~~" }
        guard t.hasPrefix("```") else { return nil }
        return t.drop { $0 == "`" }.contains("`") ? nil : "```"
    }

    /// Whether an untimed list item belongs to the entry above: under a
    /// heading, nested under a list item, or right below a paragraph.
    static func continues(_ style: EntryStyle, indent: Int, afterBlank: Bool) -> Bool {
        switch style {
        case .heading: true
        case .list(let openIndent): indent > openIndent
        case .paragraph: !afterBlank || indent > 0
        }
    }

    /// "✔ **Dec. 12, 3:38 p.m.** — Fixed", "🟡 → 🔵 2022-10-07 22:08 UTC":
    /// the marks a status page puts before an update's time, dropped (a
    /// symbol, its variation selector, an arrow between two of them).
    static func withoutStatusMarks(_ t: String) -> String {
        var rest = Substring(t)
        var dropped = false
        func isMark(_ c: Character) -> Bool {
            c.unicodeScalars.allSatisfy { $0.properties.generalCategory == .otherSymbol || $0.value == 0xFE0F || $0.value == 0x200D || $0.properties.isEmojiModifier }
        }
        while let c = rest.first, isMark(c) || (dropped && c == "→") {
            rest = rest.dropFirst().drop { $0 == " " }
            dropped = true
        }
        return dropped ? String(rest) : t
    }

    /// (`setApart`: blank lines above and below it.)
    static func lineShape(_ line: String, order: SlashOrder?, headed: Bool = false, colonlessClocks: Bool = false, setApart: Bool = false) -> LineShape {
        var t = withoutStatusMarks(line.trimmed)
        guard !t.isEmpty else { return .blank }
        if let unlinked = timeAsLinkText(t) { t = unlinked }
        if let rewritten = clockWithAColon(t, headed: headed, colonlessClocks: colonlessClocks) { t = rewritten }
        if isZoneAlone(t) || isMachineOutput(t) { return .prose }
        // A row of a table the table reader did not take for a timeline,
        // its first cell no time ("| | 03:24 UTC | 03:34 → 09:16 |" over
        // disk reads): no entry's time and text. (A row that opens with its
        // date and time, "| 2020-09-07 | 11:00:00 | …", is an entry.)
        if t.hasPrefix("|"), t.dropFirst().filter({ $0 == "|" }).count >= 2,
           tableCells(t).first.map({ $0.isEmpty || (try? stamp($0, order: order)) == nil }) ?? true { return .prose }
        if t.hasPrefix("#") {
            let content = String(t.drop { $0 == "#" }).trimmed
            if let (time, text) = leadingTime(content, order: order, allowEmpty: true), hasTimeOfDay(time, order: order) {
                return .entry(time: time, text: text, style: .heading)
            }
            // "#### Phase 1: Initial degradation (23:15-00:30 UTC)": a heading that states a time.
            if let time = sentenceEntries(content, order: order).first?.time {
                return .entry(time: time, text: content.trimmingCharacters(in: CharacterSet(charactersIn: "*_ ")), style: .heading)
            }
            return .heading
        }
        if let content = listItemContent(t).map(withoutStatusMarks) {
            let indent = line.prefix { $0 == " " || $0 == "\t" }.reduce(0) { $0 + ($1 == "\t" ? 4 : 1) }
            // The text may be on the lines indented below: "- 2024-06-28 7:09 AM Eastern:".
            if let (time, text) = leadingTime(content, order: order, allowEmpty: true) {
                return .entry(time: time, text: text, style: .list(indent: indent))
            }
            // A status update's label and its time, the details below it:
            // "- Update #1 at 2018-09-22 23:15 EDT", "- MONITORING at …".
            if let (time, label) = statusLabelTime(content, order: order) {
                return .entry(time: time, text: label, style: .list(indent: indent))
            }
            if let (time, text) = labelledTime(content, order: order) {
                return .entry(time: time, text: text, style: .list(indent: indent))
            }
            if headed, let (time, text) = boundaryLabelTime(content, order: order) {
                return .entry(time: time, text: text, style: .list(indent: indent))
            }
            // "- Attacker deployed the contract at 2021-02-13 5:37 AM +UTC".
            // "- Lawrence ran diagnostics. He found … at 10am": a later
            // sentence's time only when it ends the item ("The 09:00 deploy had
            // changed it" is a reference, not the item's moment).
            let sentences = sentenceEntries(content, order: order)
            // (A wiki's items, indented three spaces alike: "   * At 10:55 AM
            // EST is5 failed." opens with its moment. A note nested deeper
            // under an entry stays in it.)
            if headed, indent == 0 || (indent == 3 && opensWithATime(content, order: order)), !isFactsLine(content),
               let time = sentences.first?.time ?? (endsWithClock(content) ? sentences.last?.time : nil) {
                return .entry(time: time, text: content, style: .list(indent: indent))
            }
            // "1. At 9:50PM PST, all of our worker nodes lost connectivity.":
            // an item that opens with its moment, in a report without a
            // Timeline heading (under one, nested items are notes of the
            // item above, as read above).
            // ("At 02:00 UTC every night, the backup job …" is a schedule.)
            if !headed, indent <= 3, content.prefix(3).lowercased() == "at ", opensWithATime(content, order: order, within: 4), let time = sentences.first?.time,
               content.range(of: #"(?i)\b(?:every|each|daily|nightly|weekly|hourly)\b"#, options: .regularExpression) == nil {
                return .entry(time: time, text: content, style: .list(indent: indent))
            }
            return .item(text: content, indent: indent)
        }
        // A date alone on its line ("**29-09-2021 (all times CEST)**") heads the
        // entries below it: it is read as prose, for its day and zone.
        if let (time, text) = leadingTime(t, order: order, allowEmpty: true), hasTimeOfDay(time, order: order) {
            // Outside a Timeline section, "By 21:00, the fix was in place"
            // is a sentence of the summary, not an entry.
            let first = time.drop { "*_".contains($0) }.prefix { $0.isLetter }.lowercased()
            if !headed, summaryLeads.contains(first) { return .prose }
            // A time alone in bold ("**[Update Mar 11, 11:00 a.m.]**") heads
            // the paragraphs below it, blank lines and all, like a heading.
            // So does a time alone ("02:00 UTC" over a status update's paragraphs).
            if text.isEmpty { return .entry(time: time, text: text, style: .heading) }
            return .entry(time: time, text: text, style: .paragraph)
        }
        if let (time, text) = labelledParagraphTime(t, order: order) {
            return .entry(time: time, text: text, style: .paragraph)
        }
        if headed, let (time, text) = boundaryLabelTime(t, order: order) {
            return .entry(time: time, text: text, style: .paragraph)
        }
        // A status update's label and its time alone on a line, its text
        // below: "Resolved [15/02/2022 23:09]", "Update - 14:02 UTC". Not a
        // fact ("Resolved: 2023-03-02 11:45 UTC") or a byline ("Posted Mar 5,
        // 2023 - 14:00 UTC"; a log of those is `statusPageTracks`'s).
        // ("Update: 13:40 2018-10-14" over its text is an update's stamp.)
        if let (time, label) = statusLabelTime(t, order: order, alone: setApart), label.lowercased() != "posted",
           label.lowercased().hasPrefix("update") || !t.drop(while: { "*_".contains($0) }).dropFirst(label.count).drop(while: { "*_ ".contains($0) }).hasPrefix(":") {
            return .entry(time: time, text: label, style: .heading)
        }
        // Outside a Timeline section, a paragraph that opens with "At", a full
        // date and its time ("At 2017/01/31 18:00 UTC, we detected …") is the
        // chronology's; a summary opens "On Thursday 12/8/2017 at 8:30pm" or
        // "By 21:00".
        if !headed, t.prefix(3).lowercased() == "at ",
           let first = sentenceEntries(t, order: order).first, let time = first.time,
           let clock = clockInProse.firstMatch(in: t, range: NSRange(location: 0, length: (t as NSString).length)), clock.range.location <= 30,
           (try? stamp(time, order: order))?.year != nil {
            return .entry(time: time, text: t, style: .paragraph)
        }
        return .prose
    }

    /// The day a file's name starts with, as blogs and incident folders
    /// name them (`2023-01-13-hub-fio.md`, `_posts/2018-08-31-outage.md`,
    /// `2016-11-03 -- The day the icons lost their colour.md`): the weakest
    /// hint for dateless times, after everything the document says.
    /// A name that starts with the day and month in either order
    /// (`02-03-2021-outage-post-mortem.md`) is read as the document's other
    /// numeric dates are (`order`), else as the weekday the document names
    /// fits ("On Tuesday at 02:01 AM UTC" is 2 March, not 3 February), else
    /// not at all.
    static func fileNameDay(_ fileName: String, order: SlashOrder? = nil, weekday: @autoclosure () -> Int? = nil) -> Day? {
        let name = (fileName as NSString).lastPathComponent
        if let m = name.prefixMatch(of: #/(\d{2})[-_.](\d{2})[-_.](\d{4})(?!\d)/#), let a = Int(m.output.1), let b = Int(m.output.2), let y = Int(m.output.3) {
            let dayFirst = Day(year: y, month: b, day: a), monthFirst = Day(year: y, month: a, day: b)
            let readings = [(SlashOrder.dayFirst, dayFirst), (.monthFirst, monthFirst)].filter { $0.1.isValid && (1990...2100).contains(y) }
            if readings.count == 1 || a == b { return readings.first?.1 }
            if let order { return readings.first { $0.0 == order }?.1 }
            if let weekday = weekday() {
                let fitting = readings.filter { $0.1.weekday == weekday }
                if fitting.count == 1 { return fitting[0].1 }
            }
            return nil
        }
        let digits = name.prefix(10)
        if digits.count == 10, name.count == 10 || !(name.dropFirst(10).first?.isNumber ?? false),
           case .isoDate(let day)? = tokens(String(digits), strict: false).first, day.isValid {
            // `2016-04-14-author-Title-2016-04-11.md`: filed on one day about
            // another; the incident is the earlier (a report follows it).
            let stem = (name as NSString).deletingPathExtension
            if stem.count > 21, case .isoDate(let named)? = tokens(String(stem.suffix(10)), strict: false).first, named.isValid,
               "-_ ".contains(stem.dropLast(10).last ?? "x"), named.iso < day.iso,
               CivilDate.daysSinceEpoch(year: day.year, month: day.month, day: day.day)
                   - CivilDate.daysSinceEpoch(year: named.year, month: named.month, day: named.day) <= 31 {
                // (Weeks apart at most: "2024-05-01-lessons-from-2019-05-01" is a look back.)
                return named
            }
            return day
        }
        // `incident-de-production-du-22-septembre-2021.md`,
        // `outage-march-3-2024.md`: the day, its month's name and the year.
        let words = (name as NSString).deletingPathExtension.lowercased().split { $0 == "-" || $0 == "_" || $0 == " " || $0 == "." }.map(String.init)
        for i in words.indices.dropLast(2) where i == 0 || !countWords.contains(words[i - 1]) {
            guard let y = Int(words[i + 2]), words[i + 2].count == 4, (1990...2100).contains(y) else { continue }
            let named: Day? = if let d = Int(words[i]), let m = monthNumber(words[i + 1]) { Day(year: y, month: m, day: d) }
                else if let m = monthNumber(words[i]), let d = Int(words[i + 1]) { Day(year: y, month: m, day: d) } else { nil }
            if let named, named.isValid { return named }
        }
        // `20260324_mitlearn_outage.md`
        let compact = name.prefix { $0.isASCII && $0.isNumber }
        if compact.count == 8, let day = compactDay(compact) { return day }
        // `keygen-ddos-2024-02-05.txt`, `hub-incident-20240422.md`: a page
        // saved under its day, written as a word of the name's own.
        for word in words {
            if word.count == 8, word.allSatisfy({ $0.isASCII && $0.isNumber }), let day = compactDay(Substring(word)) { return day }
        }
        let stem = (name as NSString).deletingPathExtension
        guard let m = stem.firstMatch(of: #/(?:^|[^\d.])(\d{4}-\d{2}-\d{2})(?![\d.])/#),
              case .isoDate(let day)? = tokens(String(m.output.1), strict: false).first, day.isValid, (1990...2100).contains(day.year) else { return nil }
        return day
    }

    /// `20240422` as a day, when it is one.
    private static func compactDay(_ digits: Substring) -> Day? {
        guard let y = Int(digits.prefix(4)), (1990...2100).contains(y),
              let m = Int(digits.dropFirst(4).prefix(2)), let d = Int(digits.suffix(2)) else { return nil }
        let day = Day(year: y, month: m, day: d)
        return day.isValid ? day : nil
    }

    /// Words that make the number after them a count, not a day: in a file
    /// named `top-10-may-2024` or `sprint-12-oct-2024` there is no 10 May.
    static let countWords: Set<String> = ["top", "sprint", "week", "release", "v", "version", "part", "episode", "issue", "no", "number",
                                          "chapter", "day", "step", "phase", "round", "rc", "vol", "volume", "iteration", "q", "edition", "nr"]

    /// Liquid and Hugo template tags (`{% post_url 2016-03-12-… %}`,
    /// `{{ site.cluster.name }}`) are not text, and their dates are not the
    /// incident's.
    /// Code blocks and code spans keep theirs: `${{ github.head_ref }}` and
    /// Helm's `{{ .Values.image }}` are what someone ran.
    static func removeTemplateTags(_ lines: inout [String]) {
        var code = CodeFences()
        for i in lines.indices {
            if code.holds(lines[i].trimmed) { continue }
            guard lines[i].count <= 10_000, lines[i].contains("{%") || lines[i].contains("{{") else { continue }
            // Outside code spans: the even pieces between backticks.
            lines[i] = lines[i].split(separator: "`", omittingEmptySubsequences: false).enumerated().map { k, piece in
                guard k % 2 == 0, piece.contains("{") else { return String(piece) }
                let ns = String(piece) as NSString
                return templateTag.stringByReplacingMatches(in: String(piece), range: NSRange(location: 0, length: ns.length), withTemplate: "")
            }.joined(separator: "`")
        }
    }

    static let templateTag = try! NSRegularExpression(pattern: #"\{%[^{}%]{0,300}%\}|\{\{[^{}]{0,300}\}\}"#)

    /// The zone every time written outside the timeline states, when they
    /// agree and there are at least two (`~13:22 PST to ~16:17 PST`), with
    /// the line of the first; nil when fewer state one or two zones are
    /// used. Code blocks (logs) are not the document's words, and a zone
    /// that is also a word (`SAST`, `GST`) says too little alone.
    /// Whether two zones can name the same clock: the same zone, or one a
    /// fixed offset the other keeps in winter or summer ("EDT" and "Eastern").
    static func sameClock(_ a: TimeZone, _ b: TimeZone) -> Bool {
        if a.identifier == b.identifier { return true }
        let probes = [Date(timeIntervalSince1970: 1_735_689_600), Date(timeIntervalSince1970: 1_751_328_000)]  // 2025-01-01, 2025-07-01
        return !Set(probes.map(a.secondsFromGMT(for:))).isDisjoint(with: probes.map(b.secondsFromGMT(for:)))
    }

    /// The zone the timeline's entries write with their own time, when
    /// some write one, all that do agree, and others write none (nil
    /// otherwise). Only an entry's leading time counts: "09:10 EST" in
    /// the text of "- 14:02 a customer called at 09:10 EST" is not the
    /// timeline's zone.
    /// (`asWritten`: the lines before any were rewritten, with the same numbers.)
    /// Nil as well when the timeline says its zone on a line of its own
    /// ("All times are UTC unless noted", after the entries or before).
    static func zoneOfTheEntries(_ lines: [String], asWritten: [String], in entries: TimelineLines) -> (zone: TimeZone, word: String, line: Int)? {
        var found: (zone: TimeZone, word: String, line: Int)?
        var zoneless = false
        var code = CodeFences()
        // A timeline told in sentences, its first timed line not opening
        // with its time ("A first internal alert was triggered at 05:28 CET,
        // …" over "By 06:24, all nodes were down"): each paragraph's first
        // time is its entry's, and its zone counts as a leading time's would.
        var fenced = CodeFences()
        let firstTimed = entries.first { i in
            guard i < lines.count, !fenced.holds(lines[i].trimmed) else { return false }
            return sentenceEntries(listItemContent(lines[i].trimmed) ?? lines[i].trimmed, order: nil).contains { $0.time != nil }
        }
        let toldInSentences = firstTimed.map { splitLeadingTime(listItemContent(lines[$0].trimmed) ?? lines[$0].trimmed) == nil } ?? false
        for i in entries where i < lines.count {
            let t = lines[i].trimmed
            if code.holds(t) || t.isEmpty || t.hasPrefix("|") || t.hasPrefix("#") { continue }
            let content = listItemContent(t) ?? t
            if toldInSentences, splitLeadingTime(content) == nil, case let sentences = sentenceEntries(content, order: nil),
               let told = sentences.lazy.compactMap(\.time).first, let s = try? stamp(told), s.time != nil {
                // ("at 9:00 PST (17:00 UTC)": a paragraph that names two
                // zones says nothing of the timeline's.)
                let zones = Set(sentences.compactMap { $0.time.flatMap { try? stamp($0) }?.zone?.identifier })
                let named = clockInProse.matches(in: content, range: NSRange(location: 0, length: (content as NSString).length))
                    .compactMap { proseZone($0, in: content as NSString) }.filter { zoneInText($0) != nil }
                if zones.count > 1 || Set(named).count > 1 { return nil }
                let word = String(told.split(separator: " ").last ?? "")
                guard let zone = s.zone, word == word.uppercased(), !wordLikeZones.contains(word.lowercased()) else { zoneless = true; continue }
                if let seen = found {
                    if !sameClock(seen.zone, zone) { return nil }
                } else {
                    found = (zone, word, i + 1)
                }
                continue
            }
            guard let split = splitLeadingTime(content), let s = try? stamp(split.time), s.time != nil else {
                // "- At 10:55 the host failed" among "- 9:51 AM EST …": an
                // entry that opens with its time, without a zone.
                if let opening = sentenceEntries(content, order: nil).first?.time, opensWithATime(content, order: nil),
                   (try? stamp(opening))?.zone == nil {
                    zoneless = true
                    continue
                }
                if statesAZone(t) { return nil }
                continue
            }
            guard let zone = s.zone else { zoneless = true; continue }
            let word = String(split.time.split(separator: " ").last ?? "").trimmingCharacters(in: .punctuationCharacters)
            // ("14:10 GST: invoices failed" may be a tax, "09:12 est. 40 %"
            // and "14:05 cet incident" are words: such a zone is its entry's
            // alone. So is one beside a second: "10:00 PDT (17:00 UTC)".)
            // ("8:45 AM Eastern", "10:00 Pacific", "14:30 Denver", "15:00 мск":
            // zones written as words, a city's capitalised.)
            let namedInFull = ["Eastern", "Pacific", "мск"].contains(word) || (word.first?.isUppercase == true && cityZones[word.lowercased()] != nil)
            // (A zone the page wrote in lower case, "14:05 cet", is a word;
            // one that is not on the line as written at all came with a
            // status page's stamp moved to its update, `statusPageTracks`.)
            let writtenInLowerCase = i < asWritten.count && asWritten[i].range(of: word, options: .caseInsensitive) != nil && !asWritten[i].contains(word)
            if wordLikeZones.contains(word.lowercased()) || (word != word.uppercased() && !namedInFull) || writtenInLowerCase
                || split.text.hasPrefix("(") && statesAZone(split.text) { return nil }
            if let seen = found {
                if !sameClock(seen.zone, zone) { return nil }
            } else {
                found = (zone, word, i + 1)
            }
        }
        return zoneless ? found : nil
    }

    static func zoneOfOtherTimes(_ lines: [String], outside section: TimelineLines, headed: Bool = true) -> (zone: TimeZone, word: String, line: Int)? {
        // Each zone stated, with where it was first, how often, and its clocks.
        var stated: [(zone: TimeZone, word: String, line: Int, mentions: Int, clocks: [String])] = []
        var clock = ""
        // "10:27 a.m." and "10:27am" alike; spaces kept, so that a day
        // before the clock ("Aug 31 10:27am") stays apart from it.
        func bare(_ text: String) -> String {
            text.lowercased().replacingOccurrences(of: ".", with: "").replacingOccurrences(of: " am", with: "am").replacingOccurrences(of: " pm", with: "pm").trimmed
        }
        func mention(_ zone: TimeZone, _ word: String, line: Int, clock: String = "") {
            if let k = stated.firstIndex(where: { sameClock($0.zone, zone) }) {
                stated[k].mentions += 1
                stated[k].clocks.append(clock)
            } else {
                stated.append((zone, word, line, 1, [clock]))
            }
        }
        // A report's one "Posted … 17:30 GMT-03:00" stamp is where the page
        // keeps its clock, weaker than what its text says (`postedDay`); a
        // history of such stamps is the page's own zone.
        let oneStamp = lines.filter { $0.trimmed.lowercased().hasPrefix("posted") && postedTime($0.trimmed) != nil }.count == 1
        func restates(_ line: String, _ clock: String) -> Bool {
            // "1:00pm" is not in "11:00pm": a digit may not come before it.
            guard !clock.isEmpty else { return false }
            var rest = Substring(bare(line))
            while let r = rest.range(of: clock) {
                if r.lowerBound == rest.startIndex || !rest[rest.index(before: r.lowerBound)].isNumber { return true }
                rest = rest[r.upperBound...]
            }
            return false
        }
        var code = CodeFences()
        for (i, line) in lines.enumerated() where !section.contains(i) {
            if code.holds(line.trimmed) { continue }
            // A line longer than any summary sentence is not one.
            guard line.count <= 4_000, line.contains(":"), !(oneStamp && line.trimmed.lowercased().hasPrefix("posted") && postedTime(line.trimmed) != nil) else { continue }
            let ns = line as NSString
            clockInProse.enumerateMatches(in: line, range: NSRange(location: 0, length: ns.length)) { m, _, _ in
                guard let m, let word = proseZone(m, in: ns) else { return }
                guard !wordLikeZones.contains(word.lowercased()), let zone = zoneInText(word) else { return }
                let time = m.range(at: 1).location != NSNotFound ? [1, 2] : [3, 4]
                let said = bare(time.map { m.range(at: $0).location == NSNotFound ? "" : ns.substring(with: m.range(at: $0)) }.joined())
                if stated.isEmpty { clock = said }
                mention(zone, word, line: i + 1, clock: said)
            }
            // "10:50(日本時間、以下同様)": a zone in its own script after the clock.
            if let m = localZoneAfterClock.firstMatch(in: line, range: NSRange(location: 0, length: ns.length)),
               case let word = ns.substring(with: m.range(at: 1)), let zone = namedZone(word) {
                mention(zone, word, line: i + 1)
            }
            // "Por volta de 14:37, horário de Brasília, um dos times …", "until
            // 1:05 AM Singapore time zone": a city's time, said where the time
            // ends ("at 14:02 Paris datacenter" is a place).
            for m in line.matches(of: #/\d{1,2}:\d{2}(?:\s?[aApP]\.?[mM]\.?)?(?:,?\s\(?(?i:horário|horario|hora|heure|ora)\sd[aeiu]?\s(\p{Lu}\p{Ll}{3,12})\)?|\s(\p{Lu}\p{Ll}{3,12})\s(?i:time)(?:\s(?i:zone))?)(?![\p{L}\d])/#)
            where endsATime(String(line[m.range.upperBound...])) {
                let city = String(m.output.1 ?? m.output.2 ?? "")
                guard let id = cityZones[city.lowercased()], let zone = TimeZone(identifier: id) else { continue }
                mention(zone, city, line: i + 1)
            }
        }
        // Zones that disagree leave the bare times unknown, but for one
        // aside in a story told in another zone, without a Timeline
        // heading: "the certificate had expired at 00:00 UTC" among "At
        // 02:15 CEST …", "At 03:23 CEST …", "Posted … 15:14 CEST". (Not an
        // aside that restates an entry's clock, "(14:02 to 14:45 UTC)" over
        // "- 14:02 alerts fired": the entries are in its zone.)
        let ranked = stated.sorted { $0.mentions > $1.mentions }
        // ("09:02 EST" four times and "13:55 UTC" once over "- 14:02 alerts
        // fired": the entries restate the story's moments in the aside's zone.)
        func entriesRestate(_ aside: (zone: TimeZone, word: String, line: Int, mentions: Int, clocks: [String])) -> Bool {
            let story = ranked[0]
            let storyInTheAsidesZone = story.clocks.compactMap { said -> String? in
                guard let t = (try? stamp(said))?.time else { return nil }
                let minutes = ((t.hour * 60 + t.minute + (aside.zone.secondsFromGMT() - story.zone.secondsFromGMT()) / 60) % 1440 + 1440) % 1440
                return String(format: "%02d:%02d", minutes / 60, minutes % 60)
            }
            return (aside.clocks + storyInTheAsidesZone).contains { said in section.contains { restates(lines[$0], said) } }
        }
        if ranked.count > 1, headed || ranked[0].mentions < 3 || ranked.dropFirst().map(\.mentions).reduce(0, +) > 1
            || ranked.dropFirst().contains(where: entriesRestate) { return nil }
        let found = ranked.first.map { (zone: $0.zone, word: $0.word, line: $0.line) }
        let mentions = ranked.first?.mentions ?? 0
        if mentions >= 2 { return found }
        // A report told in prose, without a Timeline heading: its one stated
        // zone ("investigating by 8:45 AM Eastern") is the zone of the times
        // that follow ("At 10:00 AM we …"), as its reader takes them. (Not
        // of a log's lines all written before it: "… noticed errors at 15:05
        // CET" in a note below them is about another clock.)
        let belowTheLog = found.map { found in section.ranges.last.map { $0.upperBound <= found.line - 1 } ?? false } ?? false
        if mentions == 1, !headed, !belowTheLog { return found }
        // One mention is enough when it restates an entry ("On Saturday,
        // Aug 31 at 10:27am Eastern all indexes disappeared" over the entry
        // "Aug 31 10:27am: …"): the timeline's times are in its zone.
        guard mentions == 1, clock.contains(":"), section.contains(where: { restates(lines[$0], clock) }) else { return nil }
        return found
    }

    /// TWiki's headings, as its pages are exported ("---+++ The Event
    /// Timeline", "---++!! Impact"): Markdown's, a `+` for each `#`.
    static func wikiHeadings(_ lines: inout [String]) {
        var code = CodeFences()
        for i in lines.indices where !code.holds(lines[i].trimmed) && lines[i].hasPrefix("---+") {
            guard let m = lines[i].prefixMatch(of: #/---(\+{1,6})(?:!!)?\s+(\S.*)/#) else { continue }
            lines[i] = String(repeating: "#", count: m.output.1.count) + " " + m.output.2
        }
    }

    /// Headings underlined rather than marked: Markdown's setext headings
    /// ("Update April 26, 0820UTC" over "=====", or "-----" right under a
    /// line of text) and, in reStructuredText (`rst`), any underline of one
    /// punctuation mark. Each becomes a `#` heading, its underline a blank line.
    /// "---" after a blank line stays a thematic break.
    static func underlinedHeadings(_ lines: inout [String], rst: Bool) {
        let marks: Set<Character> = rst ? ["=", "-", "#", "~", "^", "*", "+", "`", ":", "'", "\"", "."] : ["=", "-"]
        var code = CodeFences()
        var inCode = Array(repeating: false, count: lines.count)
        for i in lines.indices { inCode[i] = code.holds(lines[i].trimmed) }
        for i in lines.indices.dropFirst() where !inCode[i] && !inCode[i - 1] {
            let u = lines[i].trimmed
            guard u.count >= 3, let mark = u.first, marks.contains(mark), u.allSatisfy({ $0 == mark }), !lines[i].hasPrefix("    ") else { continue }
            let above = lines[i - 1].trimmed
            // An underline runs about as long as its heading; "---" under a
            // long paragraph is the break between two status updates.
            guard u.count * 2 >= above.count else { continue }
            guard !above.isEmpty, !"#|>".contains(above.first!), listItemContent(above) == nil,
                  !above.allSatisfy({ $0 == above.first! && !$0.isLetter && !$0.isNumber }) else { continue }
            lines[i - 1] = (mark == "-" ? "## " : "# ") + above
            lines[i] = ""
        }
    }

    /// Text copied from a web page keeps no `#`: its headings are short lines
    /// of their own ("Timeline", "Timeline of the Events:", "Root Cause:").
    /// When a document has no Markdown heading and one such line names a
    /// timeline, they become headings again, so that the timeline is that
    /// section and the page's header stamps and later prose are not.
    static func plainHeadings(_ lines: inout [String]) {
        // (A "#" four spaces in, "    # Post Mortem" inside an update's
        // indented text, is no heading: Markdown reads it as code.)
        guard !lines.contains(where: { $0.trimmed.hasPrefix("#") && $0.prefix { $0 == " " }.count < 4 }) else { return }
        // Besides the timeline's own, only the sections a postmortem has after
        // it end it: "The crash", "Token is revoked" inside it were its
        // subheadings, and "Times are in CET:" is its first line.
        // A section is named whole ("Root Cause:", "Impact Assessment"); a
        // phase inside the timeline ("Mitigation:") or a line of it
        // ("Customer impact confirmed", "restarted because of a leak") is not one.
        let sections: Set<String> = ["root cause", "root causes", "root cause analysis", "cause", "causes", "impact", "customer impact",
                                     "impact assessment", "summary", "incident summary", "executive summary", "lessons learned", "lessons",
                                     "what went well", "what went wrong", "action items", "follow-ups", "follow-up actions", "next steps",
                                     "retrospective", "remediation", "background", "why this happened", "why it happened", "what we've done",
                                     "what we have done", "what we are doing", "what we're doing", "moving forward", "going forward",
                                     "contributing factors", "conclusion", "appendix", "reason for outage", "rfo", "prevention",
                                     "improvements", "learnings", "overview", "incident overview", "corrective actions", "affected components",
                                     "detection", "resolution", "recovery", "trigger", "where we got lucky", "supporting information", "references",
                                     "post-mortem", "postmortem", "post mortem",
                                     // The same sections in the languages copied pages come in (Zendesk's
                                     // French "SOMMAIRE … CALENDRIER … POST-MORTEM", German, Spanish, Portuguese).
                                     "sommaire", "résumé", "analyse de la cause", "cause racine", "cause profonde", "éléments de correction",
                                     "zusammenfassung", "ursache", "auswirkungen", "maßnahmen", "resumen", "causa raíz", "causa raiz", "resumo",
                                     "impacto", "acciones correctivas", "ações corretivas"]
        // Also the names of a timeline's phases: a section only when prose,
        // not times, follows ("Detection" over "14:05 Alerts fired" is a phase).
        let phases: Set<String> = ["detection", "resolution", "recovery", "trigger", "mitigation"]
        var code = CodeFences()
        var candidates: [Int] = []
        // Each candidate's name, without the brackets or number it was written with.
        var named: [Int: String] = [:]
        for i in lines.indices {
            // A browser copies a top-level bullet indented ("  • 12:48 PM UTC: …")
            // and a heading with its anchor link ("A brief timeline: #").
            if lines[i].trimmed.hasPrefix("• ") { lines[i] = "- " + lines[i].trimmed.dropFirst(2) }
            if lines[i].hasSuffix(" #") { lines[i] = String(lines[i].dropLast(2)) }
            var t = lines[i].trimmed
            if code.holds(t) || t.isEmpty || t.count > 60 || t.split(separator: " ").count > 8 { continue }
            // "[障害発生の経緯]", "【経緯】": a section named in brackets, as
            // Japanese pages write them. "4. 조치 내역 타임라인": a numbered
            // section, as a document's numbered headings copy; only one
            // that names the timeline or a section after it.
            if let m = t.wholeMatch(of: #/\[([^\[\]()]+)\]|【([^【】]+)】/#), case let named = String(m.output.1 ?? m.output.2 ?? ""),
               namesTimeline(named) || sections.contains(named.lowercased()) {
                t = named
            } else if let m = t.wholeMatch(of: #/\d{1,2}\.\s+(\D.*)/#), !" \t".contains(lines[i].first!),
                      case let named = String(m.output.1), namesTimeline(named) || sections.contains(named.lowercased()) {
                t = named
            }
            // A question alone on its line is a heading of a report written
            // as questions ("What was the timeline of the incident?").
            // ("Timeline (times in BST)" ends in its zone, not a sentence.)
            if let last = t.last, ".!,;)。！".contains(last), !(last == ")" && namesTimeline(t)) { continue }
            if listItemContent(t) != nil || "|>*_-=`<[{".contains(t.first!) { continue }
            // A browser copies a heading over a list without a blank line
            // between ("Timeline" over "16:58 UTC - …"): a blank line above is
            // enough, since only the names below make a candidate a heading.
            // Nor one between lists: "Timeline" right under the last item of
            // the list above, over the times; "Root cause" named whole.
            let opensBlock = i == 0 || lines[i - 1].trimmed.isEmpty
            let overTimes = i + 1 < lines.count && (splitLeadingTime(lines[i + 1].trimmed) != nil || lines[i + 1].trimmed.hasPrefix("["))
            guard opensBlock || t.hasSuffix(":") || overTimes || sections.contains(t.lowercased()) else { continue }
            // (Tokenised last: a long CSV's rows are short lines too.)
            if tokens(t, strict: false).contains(where: { if case .clock = $0 { return true }; return false }) { continue }
            candidates.append(i)
            named[i] = t
        }
        guard candidates.contains(where: { namesTimeline(named[$0]!) }) else { return }
        // A report written as questions ("What was the timeline of the
        // incident?"): its other questions are its sections. Elsewhere a
        // question alone on its line ("Is the database down?") is a line.
        let askedQuestions = candidates.contains { namesTimeline(named[$0]!) && named[$0]!.hasSuffix("?") }
        for i in candidates {
            let t = named[i]!
            let name = t.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: ": "))
            if phases.contains(name), let next = lines[(i + 1)...].first(where: { !$0.trimmed.isEmpty })?.trimmed,
               splitLeadingTime(listItemContent(next) ?? next) != nil || statesATime(next, order: nil) {
                continue
            }
            if namesTimeline(t) || sections.contains(name) || sections.contains(where: { name.hasPrefix($0 + " (") }) || (t.hasSuffix("?") && askedQuestions) {
                lines[i] = "## " + t
            }
        }
    }

    /// "**6:10p**", "3:00a": a 12-hour clock with its meridiem's one letter
    /// written against it, as "6:10 pm", "3:00 am". Only against it: in
    /// "at 3:00 a new server …" the "a" is the article.
    static func oneLetterMeridiems(_ lines: inout [String]) {
        for i in lines.indices where lines[i].contains(":") {
            lines[i] = lines[i].replacing(#/(^|[^\d:])(\d{1,2}:\d{2})([apAP])(?![\p{L}\d]|\.\s*[mM])/#) { m in
                "\(m.output.1)\(m.output.2) \(m.output.3.lowercased())m"
            }
        }
    }

    /// "At approximately 8.56am", "By 9.41 p.m.": a 12-hour clock written
    /// with a full stop, as British writers often do, read as "8:56am". The
    /// meridiem right after it says it is a time, not a number or a version.
    static func dottedTwelveHourClocks(_ lines: inout [String]) {
        for i in lines.indices where lines[i].contains(".") {
            // ("Version 4.11 am Dienstag" is German for "on Tuesday": a
            // meridiem apart from the digits counts only written "a.m." or "AM".)
            lines[i] = lines[i].replacing(#/(^|[^\p{L}\d.,$£€])(1[0-2]|0?[1-9])\.([0-5]\d)([aApP]\.?[mM]\.?|\s[aApP]\.[mM]\.|\s[AP]M)(?![\p{L}\d])/#) { m in
                "\(m.output.1)\(m.output.2):\(m.output.3)\(m.output.4)"
            }
        }
    }

    /// "Tidpunkt: 10.20", "kl. 14.30", "klo 9.15", "godz. 14.30", "14.30
    /// Uhr", "10.20 uur", "desde las 16.03", "ore 13.27", "às 9.15": a
    /// 24-hour clock written with a full stop, as much
    /// of Europe does, where a word for the time of day says it is one (not
    /// "version 10.20", "load time 12.40 seconds" or "lasted 1.15h").
    static func dottedClocksBesideATimeWord(_ lines: inout [String]) {
        for i in lines.indices where lines[i].contains(".") {
            lines[i] = lines[i].replacing(#/(?i)(\b(?:kl|klo|klockan|kello|godz|hod|tidpunkt|uhrzeit|las|ore|alle|às)\b\.?:?\s*)([01]?\d|2[0-3])\.([0-5]\d)(?!\d|[.,]\d)/#) { m in
                "\(m.output.1)\(m.output.2):\(m.output.3)"
            }
            lines[i] = lines[i].replacing(#/(^|[^\p{L}\d.,])([01]?\d|2[0-3])\.([0-5]\d)(\s?(?i:uhr|uur)\b)/#) { m in
                "\(m.output.1)\(m.output.2):\(m.output.3)\(m.output.4)"
            }
        }
    }

    /// An HTML code block (`<pre>` … `</pre>`, as a blog's generator writes
    /// a fenced block) is one: its opening and closing lines, when they are
    /// only tags, are written as fences, so that a log pasted in it is text
    /// and not the timeline.
    static func htmlCodeBlocksAsFences(_ lines: inout [String]) {
        guard lines.contains(where: { $0.range(of: "<pre", options: .caseInsensitive) != nil }) else { return }
        func onlyTags(_ t: String) -> Bool {
            !t.isEmpty && htmlTag.stringByReplacingMatches(in: t, range: NSRange(location: 0, length: (t as NSString).length), withTemplate: "").trimmed.isEmpty
        }
        // Both ends only tags, or neither is touched: a fence left open
        // would make the rest of the document code. Inside a Markdown code
        // block a <pre> is text.
        var code = CodeFences()
        var i = 0
        while i < lines.count {
            let t = lines[i].trimmed
            if !code.holds(t), onlyTags(t), t.range(of: "<pre", options: .caseInsensitive) != nil, t.range(of: "</pre>", options: .caseInsensitive) == nil,
               let close = lines[(i + 1)...].firstIndex(where: { $0.range(of: "</pre>", options: .caseInsensitive) != nil }) {
                if onlyTags(lines[close].trimmed) {
                    lines[i] = "```"
                    lines[close] = "```"
                }
                i = close + 1
                continue
            }
            i += 1
        }
    }

    /// A Markdown thematic break ("---", "* * *", "___"), trimmed.
    static func isThematicBreak(_ t: String) -> Bool {
        t.wholeMatch(of: #/(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,}/#) != nil
    }

    /// A post of updates set apart by thematic breaks ("Mise à jour de
    /// 18h15 : …" / `---` / "Mise à jour de 17h55 : …" / `---` / the first
    /// report, "… hors-service depuis environ 17h."): the report at either
    /// end that does not open with its time is an update at the first time
    /// its first paragraph tells, moved to its start where the reader looks.
    static func updatesBetweenBreaks(_ lines: inout [String]) {
        var blocks: [[Int]] = [[]]
        var code = CodeFences()
        for i in lines.indices {
            let t = lines[i].trimmed
            if code.holds(t) {
                blocks[blocks.count - 1].append(i)
            } else if isThematicBreak(t) {
                blocks.append([])
            } else if !t.isEmpty {
                blocks[blocks.count - 1].append(i)
            }
        }
        blocks.removeAll { $0.isEmpty }
        guard blocks.count >= 3 else { return }
        // An update's label may stand before its time ("Mise à jour de 18h15 :").
        func opensWithTime(_ block: [Int]) -> Bool { opensWithATime(lines[block[0]], order: nil, within: 40) }
        func minutes(_ time: String?) -> Int? {
            guard let time, let clock = (try? stamp(time))?.time else { return nil }
            return clock.hour * 60 + clock.minute
        }
        let updates = blocks.filter(opensWithTime).compactMap { minutes(sentenceEntries(lines[$0[0]], order: nil).first?.time ?? nil) }
        guard updates.count >= 2 else { return }
        for block in [blocks[0], blocks[blocks.count - 1]] where !opensWithTime(block) && isPlainProse(lines[block[0]].trimmed) {
            // Its first paragraph: the block's lines until a blank one.
            var paragraph = [block[0]]
            while let next = paragraph.last.map({ $0 + 1 }), block.contains(next) { paragraph.append(next) }
            let text = paragraph.map { lines[$0].trimmed }.joined(separator: " ")
            // The first report came before the updates ("next update at
            // 19:00" in a closing note does not).
            guard let time = sentenceEntries(text, order: nil).lazy.compactMap(\.time).first,
                  let at = minutes(time), updates.allSatisfy({ at < $0 }) else { continue }
            lines[block[0]] = time + " — " + lines[block[0]].trimmed
        }
    }

    /// "~10:25 am edt": a common zone written in lower case right after a
    /// time, as "~10:25 am EDT".
    static func lowerCaseZones(_ lines: inout [String]) {
        for i in lines.indices where lines[i].contains(":") {
            lines[i] = lines[i].replacing(#/(\d{1,2}:\d{2}(?:\s?[ap]\.?m\.?)?\s?\(?)(utc|gmt|[ecmp][sd]t|cest?|bst)(?![\p{L}\d])/#) { m in
                "\(m.output.1)\(m.output.2.uppercased())"
            }
            // "14:30 Berlin time:", "9am Tokyo time": the city, which a time
            // reads as its zone ("16:37 Denver").
            lines[i] = lines[i].replacing(#/(\d{1,2}:\d{2}(?:\s?[aApP]\.?[mM]\.?)?\s)(\p{Lu}\p{Ll}{3,12})\s(?:time|Time)(?=[:,)]|\s[-–—])/#) { m in
                cityZones[m.output.2.lowercased()] != nil ? "\(m.output.1)\(m.output.2)" : String(m.output.0)
            }
            // "04:13 mountain time", "2:05pm Central Time": the zone's short name.
            lines[i] = lines[i].replacing(#/(\d{1,2}:\d{2}(?:\s?[aApP]\.?[mM]\.?)?\s?)((?i:eastern|central|mountain|pacific))\s(?i:time)(?![\p{L}\d])/#) { m in
                "\(m.output.1)\(["e": "ET", "c": "CT", "m": "MT", "p": "PT"][m.output.2.prefix(1).lowercased()] ?? String(m.output.2))"
            }
        }
    }

    /// "20-Dec-18", "13-Apr-2017": a day, a month's abbreviation and a year
    /// joined by hyphens, as logs write them, as "20 Dec 2018".
    static func hyphenatedDates(_ lines: inout [String]) {
        for i in lines.indices where lines[i].contains("-") {
            lines[i] = lines[i].replacing(#/(^|[^\p{L}\d])(\d{1,2})-((?i:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?))-(\d{4}|\d{2})(?![\p{L}\d])/#) { m in
                let year = m.output.4.count == 4 ? String(m.output.4) : String((Int(m.output.4) ?? 0) < 70 ? 2000 + (Int(m.output.4) ?? 0) : 1900 + (Int(m.output.4) ?? 0))
                return "\(m.output.1)\(m.output.2) \(m.output.3) \(year)"
            }
        }
    }

    /// Clocks written the Chinese, Japanese and Korean way, as "HH:MM"
    /// with spaces around: "上午11时" (11:00), "下午3点20分" (15:20),
    /// "午後3時半" (15:30), "13時40分", "오후 3시 20분", "오전 2:27" (02:27).
    /// A duration ("2時間", "2小时", "3시간"), and "3点" or "3 시" without a
    /// half of the day or minutes ("以下3点": three points; "3 시도": three
    /// attempts) stay as written.
    static func cjkClocks(_ lines: inout [String]) {
        for i in lines.indices where lines[i].unicodeScalars.contains(where: { $0.value >= 0x3000 }) {
            lines[i] = lines[i].replacing(#/(午前|午後|上午|下午|中午|晚上|凌晨|早上|오전|오후)?\s?(\d{1,2})(?:[:：](\d{2})|\s?([時时點点시])\s?(?:(\d{1,2})\s?[分분]|(半))?)(?![間间간\d])/#) { m in
                let (whole, half, hourText, colonMinutes, marker, minutes, halfPast) = m.output
                guard var hour = Int(hourText), hour <= 24 else { return String(whole) }
                if half == nil, marker == nil || ((marker == "点" || marker == "點" || marker == "시") && minutes == nil && halfPast == nil) { return String(whole) }
                let minute = colonMinutes.flatMap { Int($0) } ?? minutes.flatMap { Int($0) } ?? (halfPast == nil ? 0 : 30)
                guard minute < 60 else { return String(whole) }
                switch half {
                case "晚上": hour = hour == 12 ? 0 : hour < 12 ? hour + 12 : hour
                case "午後", "下午", "오후": if hour < 12 { hour += 12 }
                case "中午": if hour < 6 { hour += 12 }
                case "午前", "上午", "凌晨", "早上", "오전": if hour == 12 { hour = 0 }
                default: break
                }
                return " " + (hour < 10 ? "0" : "") + "\(hour):" + (minute < 10 ? "0" : "") + "\(minute) "
            }
        }
    }

    /// "令和2年12月2日", "平成30年8月20日午前6時30分頃": a year of Japan's
    /// era, as its public bodies and many companies write the day, written
    /// as the Gregorian year ("2020年12月2日") that the date readers know.
    /// (Like `cjkClocks`, this rewrites the entry's text.)
    static func japaneseEraYears(_ lines: inout [String]) {
        // The first year (元年) of each era since 1926.
        let eras = ["令和": 2019, "平成": 1989, "昭和": 1926]
        for i in lines.indices where lines[i].contains("年") && (lines[i].contains("令和") || lines[i].contains("平成") || lines[i].contains("昭和")) {
            lines[i] = lines[i].replacing(#/(令和|平成|昭和)\s?([0-9０-９]{1,2}|元)\s?年/#) { m in
                guard let first = eras[String(m.output.1)] else { return String(m.output.0) }
                // (Full-width digits, "令和２年", as often as ASCII ones.)
                let year = m.output.2 == "元" ? 1 : m.output.2.compactMap(\.wholeNumberValue).reduce(0) { $0 * 10 + $1 }
                return "\(first + year - 1)年"
            }
        }
    }

    /// "à 16h51", "de 1h02 à 10h17", "depuis environ 17h", "- 16h51 : …": a
    /// clock written the French (and Portuguese) way, as "16:51". Only after
    /// a word that introduces a moment, or opening a line with a separator
    /// after it: "1h30" is most often how long ("after 1h30", "took ~1h30",
    /// "Duration: 1h45").
    static func hourMarkedClocks(_ lines: inout [String]) {
        var code = CodeFences()
        // (Where a document writes its clocks "12:30", its "at 1h30" is how long.)
        let colonClocks = lines.contains { $0.firstMatch(of: #/(?:^|\D)\d{1,2}:\d{2}(?!\d)/#) != nil }
        for i in lines.indices where !code.holds(lines[i].trimmed) && lines[i].contains(where: { $0 == "h" || $0 == "H" }) {
            let line = lines[i]
            // ("9 h 21", spaced as French typography does, only with its minutes.)
            lines[i] = line.replacing(#/(^|[^\p{L}\d:.,\/'’~-])([01]?\d|2[0-3])(?:[hH]|\u{20}[hH]\u{20}(?=\d\d))([0-5]\d)?(?![\p{L}\d])/#) { m in
                // The words before it, lower-cased, without punctuation.
                let before = line[..<m.output.1.endIndex].split(whereSeparator: { $0 == " " || $0 == "\t" })
                    .suffix(2).map { $0.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "*_([,")) }
                // "9 h 21" spaced, unless a range's start ("de 9 h 30 à 10 h 15").
                let spaced = m.output.0.dropFirst(m.output.1.count).contains(" ")
                    && line[m.range.upperBound...].prefixMatch(of: #/\s+(?:à|a|au|jusqu['’]à)\s+\d{1,2}\s?[hH]/#) == nil
                // ("n'est qu'à 2h de route" is how far: "qu'à" only with minutes.)
                let introduced = introducesAMoment(before, spaced: spaced) && (m.output.3 != nil || !["qu'à", "qu’à"].contains(before.last ?? ""))
                // "16h51 : redémarrage", "- 9h05 – alerte": a timeline's line.
                // ("* **9 h 21** livraison": the bold marks it off as well.)
                let opensLine = line[..<m.output.1.endIndex].allSatisfy { " \t-*•+".contains($0) }
                    && (line[m.range.upperBound...].prefix(3).contains { ":-–—".contains($0) }
                        || (line[..<m.output.1.endIndex].hasSuffix("**") && line[m.range.upperBound...].hasPrefix("**")
                            && line[m.range.upperBound...].dropFirst(2).trimmingCharacters(in: .whitespaces).prefixMatch(of: #/(?i:de\s|d['’])/#) == nil))
                // "13 février 2025 19h56 UTC": after a date's year, or before a
                // zone, a clock with its minutes is a moment (a duration has neither).
                // (Right after it: "In 2024, 2h15 of downtime" is how long.)
                let rightAfterDate = line[..<m.output.1.endIndex].hasSuffix(" ") && !line[..<m.output.1.endIndex].dropLast().hasSuffix(",")
                let lastWords = line[..<m.output.1.endIndex].split(whereSeparator: { $0 == " " || $0 == "\t" }).suffix(2).map(String.init)
                let lastWord = lastWords.last ?? ""
                // (A date's year, after its month: "13 février 2025", not "In 2024".)
                let datesYear = lastWord.count == 4 && (Int(lastWord) ?? 0) >= 1900 && lastWords.count == 2 && monthNumber(lastWords[0].lowercased()) != nil
                let isoDate = lastWord.wholeMatch(of: #/\d{4}-\d{2}-\d{2}/#) != nil
                let afterYear = rightAfterDate && (datesYear || isoDate)
                // "2022-04-06 11h Berlin time:": after a full date, the hour
                // alone too, when a zone or a separator follows it.
                let afterISODate = rightAfterDate && isoDate
                    && line[m.range.upperBound...].prefixMatch(of: #/\s*(?::|\s[-–—]|\(?(?:UTC|GMT|[A-Z]{1,3}S?T)\b|\p{Lu}\p{Ll}+\s+time\b)/#) != nil
                let zoned = line[m.range.upperBound...].prefixMatch(of: #/\s*\(?(?:UTC|GMT|[A-Z]{1,3}S?T)\b/#) != nil
                // English written by a Belgian or a French team: "at 9h06" (with its minutes).
                let atClock = before.last == "at" && m.output.3 != nil && !spaced && !colonClocks
                // "Samedi 18h : France Télécom constate …": a chronology's line
                // led by its weekday and hour, a separator after them.
                let lead = line[..<m.output.1.endIndex].split(whereSeparator: { $0 == " " || $0 == "\t" }).filter { !["-", "*", "•", "+"].contains($0) }
                let afterWeekday = lead.count == 1 && isWeekday(before.last ?? "")
                    && line[m.range.upperBound...].prefix(3).contains { ":-–—".contains($0) }
                // "A 14h34, très précisément, …": "À" opening a sentence,
                // its accent dropped as French capitals often are, the
                // clock's minutes and a comma after it ("il a 2h de retard",
                // "A 4h30 outage" are how long).
                let capitalA = lastWords.last == "A" && (lastWords.count == 1 || lastWords[0].last.map { ".!?»\"".contains($0) } == true)
                    && m.output.3 != nil && line[m.range.upperBound...].hasPrefix(",")
                guard introduced || atClock || afterWeekday || capitalA || ((opensLine || afterYear || zoned) && m.output.3 != nil) || afterISODate else { return String(m.output.0) }
                return "\(m.output.1)\(m.output.2):\(m.output.3 ?? "00")"
            }
        }
    }

    /// The hour said with the word for o'clock: German "gegen 10 Uhr" and
    /// "10:00Uhr", Dutch "om 10 uur", written "10:00 Uhr" as the clock it is.
    /// (German says how long with "Stunden", never "Uhr"; Dutch says both
    /// with "uur", so only after a word that names a moment: "om", "rond",
    /// "vanaf", "sinds", "omstreeks" ("tot 3 uur vertraging" is up to three
    /// hours). "2 uur lang" stays a span.)
    static func oClockHours(_ lines: inout [String]) {
        var code = CodeFences()
        for i in lines.indices where !code.holds(lines[i].trimmed) && (lines[i].contains("Uhr") || lines[i].contains("uur")) {
            // ("9 Uhr abends", "9 uur 's avonds": the half of the day is
            // said after it; left as written rather than read as morning.)
            lines[i] = lines[i].replacing(#/(^|[^\p{L}\d:.,\/])([01]?\d|2[0-3])(?::([0-5]\d))?\s?Uhr(?!\p{L})(?!\s+(?i:abends|nachmittags|nachts|morgens|früh|vormittags))/#) { m in
                "\(m.output.1)\(m.output.2):\(m.output.3 ?? "00") Uhr"
            }
            lines[i] = lines[i].replacing(#/(^|[^\p{L}])((?i:om|rond|vanaf|sinds|omstreeks)\s+)([01]?\d|2[0-3])\s?uur(?!\p{L})(?!\s+['’]s\s)/#) { m in
                "\(m.output.1)\(m.output.2)\(m.output.3):00 uur"
            }
        }
    }

    /// French and Portuguese words after which an hour-marked number is a
    /// moment ("à 16h51", "vers 9 h 21", "depuis environ 17h").
    static let momentWords: Set<String> = ["à", "vers", "dès", "depuis", "de", "jusqu'à", "jusqu’à", "qu'à", "qu’à", "às", "até", "das"]

    /// Whether the last two words before an hour-marked number (lower-cased,
    /// without punctuation) introduce a moment. "de" does not after a word
    /// for a span ("une durée de 1h30", "un délai de 2h") nor before a
    /// spaced "2 h 30", which is how long ("une panne de 2 h 30"); `spaced`
    /// is false for a range's start ("de 9 h 30 à 10 h 15": from).
    static func introducesAMoment(_ before: [String], spaced: Bool) -> Bool {
        let previous = before.last ?? ""
        if previous == "environ" { return before.count == 2 && momentWords.contains(before[0]) }
        guard momentWords.contains(previous) else { return false }
        guard previous == "de" else { return true }
        return !spaced && !(before.count == 2 && ["durée", "délai", "période", "fenêtre", "coupure", "interruption", "plus", "moins"].contains(before[0]))
    }

    /// "0820UTC", "1110 UTC", "0730Z", "1232 CT": a clock written without
    /// its colon, known by the zone right after it, as "08:20 UTC".
    static func colonlessClocksBeforeAZone(_ lines: inout [String]) {
        var code = CodeFences()
        for i in lines.indices where !code.holds(lines[i].trimmed) && lines[i].contains(where: { $0.isNumber }) {
            // ("the 2023 GMT-offset patch", "20240301T0820Z" stay as written.)
            lines[i] = lines[i].replacing(#/(^|[^\p{L}\d:.\/-])([01]\d|2[0-3])([0-5]\d)\s?(UTC|GMT|Z)(?![\p{L}\d+\-])/#) { m in
                "\(m.output.1)\(m.output.2):\(m.output.3) \(m.output.4 == "Z" ? "UTC" : m.output.4)"
            }
            // "switched over between 1232 CT-1234 CT": a region's zone in
            // capitals, a space apart, ends such a clock too (and a span's
            // hyphen may follow it).
            lines[i] = lines[i].replacing(#/(^|[^\p{L}\d:.\/-])([01]\d|2[0-3])([0-5]\d)\s(ET|CT|MT|PT|EST|EDT|CST|CDT|MST|MDT|PST|PDT|CET|CEST|BST|IST|JST|AEST|AEDT)(?![\p{L}\d+]|-\d{1,2}(?!\d))/#) { m in
                "\(m.output.1)\(m.output.2):\(m.output.3) \(m.output.4)"
            }
        }
    }

    /// Pipe tables written without the outer pipes (`Time (Pacific) |
    /// Description` over `-----:|-----`, as GitHub allows) get them, so the
    /// table reader finds them: the header, its separator with as many
    /// cells, and the lines after them that hold a pipe, up to a blank line.
    static func pipeTablesWithoutEdges(_ lines: inout [String]) {
        var code = CodeFences()
        var i = 0
        while i + 1 < lines.count {
            defer { i += 1 }
            let t = lines[i].trimmed
            guard !code.holds(t), !t.hasPrefix("|"), t.contains("|"), !lines[i + 1].trimmed.hasPrefix("|"), lines[i + 1].contains("|"), isSeparator(lines[i + 1]),
                  tableCells(t).count == tableCells(lines[i + 1].trimmed).count else { continue }
            lines[i] = "| " + t
            lines[i + 1] = "|" + lines[i + 1].trimmed
            var j = i + 2
            while j < lines.count, !lines[j].trimmed.isEmpty, lines[j].contains("|") {
                if !lines[j].trimmed.hasPrefix("|") { lines[j] = "| " + lines[j].trimmed }
                j += 1
            }
            i = j - 1
        }
    }

    /// A table copied from a web page comes as tab-separated lines, its
    /// header first ("Day⇥Date (2022)⇥Time (UTC)⇥Event"): three or more
    /// lines in a row with the same number of tabs, the first without a
    /// time of day and a later one with it, are written as a pipe table
    /// (each line `|⇥cell⇥|⇥cell⇥|`, the header's tabs telling the table
    /// reader that no separator line follows).
    static func tabTablesAsPipeTables(_ lines: inout [String]) {
        guard lines.contains(where: { $0.contains("\t") }) else { return }
        var code = CodeFences()
        var i = 0
        func tabs(_ line: String) -> Int { line.trimmingCharacters(in: .whitespaces).reduce(0) { $0 + ($1 == "\t" ? 1 : 0) } }
        func hasClock(_ line: String) -> Bool { tokens(line, strict: false).contains { if case .clock = $0 { return true }; return false } }
        while i < lines.count {
            let t = lines[i].trimmed
            let count = tabs(lines[i])
            guard !code.holds(t), count >= 1, !t.hasPrefix("|") else { i += 1; continue }
            var j = i + 1
            while j < lines.count, tabs(lines[j]) == count, !lines[j].trimmed.hasPrefix("|") { j += 1 }
            if j - i >= 3, !hasClock(lines[i]), lines[(i + 1) ..< j].contains(where: hasClock) {
                for k in i ..< j {
                    let cells = lines[k].trimmingCharacters(in: .whitespaces).split(separator: "\t", omittingEmptySubsequences: false)
                    lines[k] = "|\t" + cells.map { $0.replacingOccurrences(of: "|", with: "/").trimmed }.joined(separator: "\t|\t") + "\t|"
                }
            }
            i = max(j, i + 1)
        }
    }

    /// HTML tables (`<table>` … `</table>`, a row per `<tr>`, cells in `<th>`
    /// or `<td>`) rewritten as pipe tables, which the table reader reads:
    /// some postmortems are written in HTML for the layout. The rows are
    /// written one per line from the `<table>` line down (the table reader
    /// needs them together), so a row's line is within the table's lines,
    /// not always its own; the rest of the table's lines are blanked.
    static func htmlTablesAsPipeTables(_ lines: inout [String]) {
        guard lines.contains(where: { $0.contains("<table") || $0.contains("<TABLE") }) else { return }
        // Where the next `</table>` is, from each line: found once, from the
        // end (a search from every `<table` would be quadratic).
        var nextClose = [Int?](repeating: nil, count: lines.count)
        var upcoming: Int?
        for k in lines.indices.reversed() {
            if lines[k].lowercased().contains("</table>") { upcoming = k }
            nextClose[k] = upcoming
        }
        var code = CodeFences()
        var i = 0
        while i < lines.count {
            defer { i += 1 }
            guard !code.holds(lines[i].trimmed), lines[i].trimmed.lowercased().hasPrefix("<table"),
                  let close = nextClose[i] else { continue }
            let block = lines[i ... close].joined(separator: "\n")
            guard block.count <= 10_000_000 else { i = close; continue }
            let rows = htmlTableRows(block)
            // A header, its separator and the rows must fit in the table's lines.
            guard rows.count >= 2, rows.count + 1 <= close - i + 1 else { i = close; continue }
            for k in i ... close { lines[k] = "" }
            func pipe(_ cells: [String]) -> String { "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |" }
            lines[i] = pipe(rows[0])
            lines[i + 1] = "|" + String(repeating: "---|", count: rows[0].count)
            for (k, row) in rows.dropFirst().enumerated() { lines[i + 2 + k] = pipe(row) }
            i = close
        }
    }

    /// The cells of each `<tr>` of an HTML table, read forward once (no
    /// regular expression: a hostile table costs its length).
    static func htmlTableRows(_ block: String) -> [[String]] {
        let lower = block.lowercased()
        guard lower.count == block.count else { return [] }
        let text = Array(block), low = Array(lower)
        func find(_ needle: String, from: Int, before end: Int) -> Int? {
            let n = Array(needle)
            var k = from
            while k + n.count <= end {
                if low[k] == n[0], Array(low[k ..< k + n.count]) == n { return k }
                k += 1
            }
            return nil
        }
        var rows: [[String]] = []
        var k = 0
        while let open = find("<tr", from: k, before: low.count), let close = find("</tr>", from: open, before: low.count) {
            var cells: [String] = []
            var c = open + 3
            while let start = find("<t", from: c, before: close) {
                let kind = start + 2 < close ? low[start + 2] : " "
                guard kind == "d" || kind == "h", let tagEnd = find(">", from: start, before: close) else { c = start + 2; continue }
                let end = find("</t", from: tagEnd, before: close) ?? close
                cells.append(htmlCellText(String(text[(tagEnd + 1) ..< end])))
                c = end + 3
            }
            if !cells.isEmpty { rows.append(cells) }
            k = close + 5
        }
        return rows
    }

    /// A cell's text: its markup gone, the common entities read, its
    /// whitespace one space.
    static func htmlCellText(_ html: String) -> String {
        let ns = html as NSString
        var t = htmlTag.stringByReplacingMatches(in: html, range: NSRange(location: 0, length: ns.length), withTemplate: " ")
        for (entity, character) in [("&nbsp;", " "), ("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&amp;", "&")] {
            t = t.replacingOccurrences(of: entity, with: character)
        }
        return t.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).joined(separator: " ")
    }

    /// Paragraphs, headings and list items written in HTML (blogs exported
    /// from WordPress keep `<p><b>UPDATE 7 May 19:27 UTC</b> - …</p>`) read as
    /// the Markdown they stand for: `## …`, `- …`, or the paragraph's text,
    /// markup gone and entities read. One line stays one line.
    static func htmlBlocksAsText(_ lines: inout [String]) {
        guard lines.contains(where: { $0.contains("<p") || $0.contains("<P") || $0.contains("<h") || $0.contains("<li") || $0.contains("<div") }) else { return }
        var code = CodeFences()
        for i in lines.indices {
            let t = lines[i].trimmed
            guard !code.holds(t), t.hasPrefix("<"), let tag = htmlBlockTag.firstMatch(in: t, range: NSRange(location: 0, length: (t as NSString).length)) else { continue }
            let name = (t as NSString).substring(with: tag.range(at: 1)).lowercased()
            let text = htmlCellText(t)
            switch name {
            case "h1", "h2", "h3", "h4", "h5", "h6":
                lines[i] = text.isEmpty ? "" : String(repeating: "#", count: Int(String(name.last!))!) + " " + text
            case "li":
                lines[i] = text.isEmpty ? "" : "- " + text
            default:
                lines[i] = text
            }
        }
    }

    static let htmlBlockTag = try! NSRegularExpression(pattern: #"^<(p|div|li|h[1-6]|blockquote)(?=[\s>])"#, options: .caseInsensitive)

    /// Blanks HTML figures (`<figure>` … `</figure>`): a chart's caption
    /// ("traffic fell around 12:05") describes the picture, not a moment of
    /// the timeline.
    static func blankFigures(_ lines: inout [String]) {
        var code = CodeFences()
        var i = 0
        while i < lines.count {
            defer { i += 1 }
            let t = lines[i].trimmed.lowercased()
            guard !code.holds(t), t.hasPrefix("<figure") else { continue }
            // Only a figure that closes: an unclosed tag hides nothing.
            guard let close = lines[i...].prefix(200).firstIndex(where: { $0.lowercased().contains("</figure>") }) else { continue }
            for k in i ... close { lines[k] = "" }
            i = close
        }
    }

    /// Removes what `<!-- … -->` hides, across lines, outside code blocks;
    /// a line inside a comment becomes empty, so line numbers stay.
    static func blankHTMLComments(_ lines: inout [String]) {
        var inComment = false, code = CodeFences()
        for i in lines.indices {
            let t = lines[i].trimmed
            if !inComment, code.holds(t) { continue }
            guard inComment || lines[i].contains("<!--") else { continue }
            var kept = "", rest = Substring(lines[i])
            while !rest.isEmpty {
                if inComment {
                    guard let end = rest.range(of: "-->") else { rest = ""; break }
                    rest = rest[end.upperBound...]
                    inComment = false
                } else if let start = rest.range(of: "<!--"),
                          // As CommonMark reads them: a comment that opens a
                          // line may run on until it closes; one inside a line
                          // must close within its paragraph (an unclosed
                          // `<!--` in a sentence is text).
                          (kept.isEmpty && rest[..<start.lowerBound].allSatisfy({ $0 == " " }))
                            || closesInParagraph(rest[start.upperBound...], lines, after: i) {
                    kept += rest[..<start.lowerBound]
                    rest = rest[start.upperBound...]
                    inComment = true
                } else {
                    kept += rest
                    rest = ""
                }
            }
            lines[i] = kept.trimmed.isEmpty ? "" : kept
        }
    }

    /// Whether `-->` comes in `rest` or in the lines after `i` before the
    /// paragraph ends (a blank line).
    static func closesInParagraph(_ rest: Substring, _ lines: [String], after i: Int) -> Bool {
        if rest.contains("-->") { return true }
        for line in lines[(i + 1)...].prefix(200) {
            if line.trimmed.isEmpty { return false }
            if line.contains("-->") { return true }
        }
        return false
    }

    /// Status pages write each update's time after its text: cState (Hugo)
    /// as a shortcode at the end of the paragraph (`We are in contact with
    /// the data centre. {{< track "2026-02-19 17:49:00" >}}`), others on the
    /// paragraph's last line (`<br><span class="timestamp">Dec 20, 16:40
    /// PT</span>`, Statuspage's `Posted 2 days ago. Sep 12, 2023 - 15:58
    /// UTC`). The time is moved to the start of its paragraph, where the
    /// reader looks for it; line numbers stay.
    static func statusPageTracks(_ lines: inout [String], stampedLog: Bool) {
        var start: Int?
        // The last paragraph of text that has no time yet: an update whose
        // list is followed by its time on a line of its own.
        var untimed: Int?
        var code = CodeFences()
        for i in lines.indices {
            var t = lines[i].trimmed
            if code.holds(t) {
                start = nil
                continue
            }
            // A stamp with how long before the update above it came, as the
            // page adds it: the stamp alone.
            if stampedLog, t.hasSuffix(")"), let time = postedTime(t), !t.lowercased().hasPrefix("posted") {
                lines[i] = time
                t = time
            }
            if t.hasPrefix(":::") {
                // Statusfy: "::: update Monitoring | 2021-01-14T11:03:46.693Z",
                // the update's text, then ":::". The label and time head the text.
                if let m = t.wholeMatch(of: #/:::\s*update\s+(.*?)\s*\|\s*(\S.*)/#) {
                    lines[i] = m.output.2 + " — " + (m.output.1.isEmpty ? "" : m.output.1 + ":")
                } else if t.allSatisfy({ $0 == ":" }) {
                    lines[i] = ""
                }
                t = lines[i].trimmed
            }
            // A blank line or a thematic break ("---") ends an update; so does
            // a timeline's heading copied as a plain line ("CALENDRIER", above
            // stamps that lead their updates' text).
            if t.isEmpty || isThematicBreak(t) { start = nil; continue }
            if t.count <= 60, !t.contains(where: \.isNumber), t.split(separator: " ").count <= 4, namesTimeline(t) {
                start = nil
                untimed = nil
                continue
            }
            if start == nil {
                start = i
                if listItemContent(t) == nil, !"#|>{".contains(t.first ?? "#") { untimed = i }
                // A heading ends the update before it.
                if t.hasPrefix("#") { untimed = nil }
            }
            guard var first = start else { continue }
            // Better Stack, copied without blank lines: "Resolved" right
            // over its stamp starts the update, whatever ran on above it.
            if i - 1 > first, isStatusWord(lines[i - 1]) || lines[i - 1].trimmed.lowercased() == "created", postedTime(t) != nil {
                first = i - 1
                start = first
            }
            let ns = lines[i] as NSString
            if lines[i].contains("{{"), let m = statusPageTrack.firstMatch(in: lines[i], range: NSRange(location: 0, length: ns.length)) {
                let time = ns.substring(with: m.range(at: 1)).trimmed
                lines[i] = ns.replacingCharacters(in: m.range, with: "").trimmed
                if first == i, lines[i].isEmpty, let u = untimed { first = u }
                lines[first] = time + " — " + lines[first].trimmed
                start = nil
                untimed = nil
            } else if i > first, isPlainProse(lines[first].trimmed), splitLeadingTime(lines[first].trimmed) == nil,
                      !(i + 1 < lines.count && isAffectedServicesLine(lines[i + 1])),
                      !(t.lowercased().hasPrefix("posted") && !stampedLog), let time = postedTime(t),
                      // (An update of several paragraphs right under its
                      // label, "Monitoring" / "We have migrated …" / "" / "We
                      // are monitoring …" / "Posted …", is the label's, below.)
                      !(stampedLog && t.lowercased().hasPrefix("posted") && (updateLabel(above: i, in: lines).map { $0 < first && !lines[$0 + 1].trimmed.isEmpty } ?? false)),
                      i + 1 == lines.count || lines[i + 1].trimmed.isEmpty || ((try? stamp(time))?.month != nil && isPlainProse(lines[i + 1].trimmed) && stampedLog) {
                // (Copied from the page, the next update's text may follow
                // on the very next line: a full date still ends this one. A
                // list below it is its own: "9:57 PM (June 7)" over "- …".)
                lines[i] = ""
                if i == first + 1, isStatusWord(lines[first]) {
                    // Better Stack, Instatus: a label, its stamp, then the
                    // update's paragraphs. The label and stamp head them.
                    lines[first] = lines[first].trimmed + " - " + time
                } else if isStatusWord(lines[first]) {
                    // "Resolved", its text, its stamp: the label is the
                    // update, its text on the label's line (the text may
                    // open with a time of its own: "Between 4:23 PM to 5:03 PM …").
                    let text = lines[(first + 1) ..< i].map(\.trimmed).filter { !$0.isEmpty }
                    lines[first] = time + " — " + ([lines[first].trimmed + ":"] + text).joined(separator: " ")
                    for k in (first + 1) ..< i { lines[k] = "" }
                } else {
                    lines[first] = time + " — " + lines[first].trimmed
                }
                untimed = nil
                start = nil
            } else if stampedLog, let time = postedTime(t), t.lowercased().hasPrefix("posted")
                        || (start == i && (i == 0 || lines[i - 1].trimmed.isEmpty) && (try? stamp(time))?.month != nil) {
                // Statuspage's updates copied from the page: a label alone
                // ("Resolved", "Postmortem"), the update's paragraphs, then
                // its stamp ("Posted Jan 14, 2020 - 19:38 UTC", "Tue, May 24,
                // 2022, 04:29 PM"). The label is the update, at its stamp.
                if let label = updateLabel(above: i, in: lines) {
                    // Its paragraphs are its text, on the label's line (the
                    // others blanked, so line numbers stay).
                    let text = lines[(label + 1) ..< i].map(\.trimmed).filter { !$0.isEmpty }
                    lines[label] = time + " — " + ([lines[label].trimmed + ":"] + text).joined(separator: " ")
                    for k in (label + 1) ..< i { lines[k] = "" }
                    lines[i] = ""
                    start = nil
                } else if t.lowercased().hasPrefix("posted"), let top = unlabelledUpdate(above: i, in: lines) {
                    // The same history copied without its labels: the
                    // paragraphs above the stamp are the update, unless the
                    // report tells its own times (`reportsOwnTimes`).
                    let first = reportsOwnTimes(top ..< i, stampedAt: i, in: &lines) ?? top
                    let text = lines[first ..< i].map(\.trimmed).filter { !$0.isEmpty }
                    lines[first] = time + " — " + (text.isEmpty ? t : text.joined(separator: " "))
                    for k in (first + 1) ..< i { lines[k] = "" }
                    if first != i { lines[i] = "" }
                    start = nil
                } else if t.lowercased().hasPrefix("posted") {
                    // (A page's one "Posted …" stamp, below a report that tells
                    // its own times, is when the report was written: it dates
                    // those times, `postedDay`, and is not an entry.)
                    // Below a list (the postmortem's action points), the stamp
                    // stays where it is, as a time of its own.
                    lines[i] = time
                    start = nil
                }
            }
        }
    }

    /// A status page's report that tells its own times, dated ("At
    /// 2024-06-02 02:15 CEST we received an alarm …", "At 02:45 we started
    /// …", "At 03:23 CEST …"), above its one "Posted …" stamp: its timed
    /// paragraphs are entries, each written time first as a log's are, with
    /// the untimed paragraphs before them in the first and those between in
    /// the one above. Returns where the rest begins, the update at the stamp
    /// (the stamp's line when nothing is left); nil, changing nothing, for a
    /// report that tells fewer than two times, none with its day, or what it
    /// will do ("At 23:30 we will restart …").
    static func reportsOwnTimes(_ report: Range<Int>, stampedAt stampLine: Int, in lines: inout [String]) -> Int? {
        let written = lines
        let paragraphs = report.filter { !written[$0].trimmed.isEmpty }
        let told = paragraphs.compactMap { k -> (line: Int, time: String)? in
            // ("At 2024-06-02 02:15 CEST we …" opens with its moment, date and
            // all; "On 2021/12/02 at 13:27 EST, one of our servers …" tells
            // the background of the report, whose updates follow.)
            let t = written[k].trimmed
            let within = t.lowercased().hasPrefix("at ") ? 24 : 12
            guard opensWithATime(t, order: nil, within: within), let time = sentenceEntries(written[k].trimmed, order: nil).first?.time ?? nil else { return nil }
            return (k, time)
        }
        guard told.count >= 2, !told.contains(where: { written[$0.line].contains(#/\b(?i:will|shall)\b/#) }) else { return nil }
        // The day: the first told time's own, or one the paragraphs before it write.
        let opening = paragraphs.filter { $0 < told[0].line }
        var firstTime = told[0].time
        if (try? stamp(firstTime))?.month == nil {
            // (Or the page's own date above the report, "2023-09-11 Cloud
            // Outage" / "Date & Time of Incident: September 11, 2023, …",
            // when a line the walk up stops at, "Total Downtime Duration: 31
            // minutes (10:44 AM - 11:15 AM)", stands between; not past
            // another update's stamp.)
            let above = (0 ..< report.lowerBound).reversed().prefix { postedTime(written[$0]) == nil }
            guard let day = opening.lazy.compactMap({ day(in: tokens(written[$0], strict: false), fallbackYear: nil, order: nil) }).first
                    ?? above.lazy.compactMap({ day(in: tokens(written[$0], strict: false), fallbackYear: nil, order: nil) }).first else { return nil }
            firstTime = day.iso + " " + firstTime
        }
        let rest = paragraphs.first { $0 > told[told.count - 1].line } ?? stampLine
        var owner = told[0].line
        var texts: [Int: [String]] = [:]
        for k in paragraphs where k < rest {
            if told.contains(where: { $0.line == k }) { owner = k }
            texts[owner, default: []].append(lines[k].trimmed)
            lines[k] = ""
        }
        for (n, entry) in told.enumerated() {
            lines[entry.line] = (n == 0 ? firstTime : entry.time) + " — " + texts[entry.line, default: []].joined(separator: " ")
        }
        return rest
    }

    /// The first line of the paragraphs a "Posted …" stamp closes, in a
    /// status history copied without its labels (a postmortem's paragraphs,
    /// a blank line, then its stamp): back to the update above, the page's
    /// title, or anything but prose; within a postmortem's length. Nil when
    /// no blank line stands right above the stamp (that text is read as
    /// the stamp's paragraph) or no prose is there.
    static func unlabelledUpdate(above stamp: Int, in lines: [String]) -> Int? {
        guard stamp > 0, lines[stamp - 1].trimmed.isEmpty else { return nil }
        var top: Int?
        var signature = 0
        var k = stamp - 1
        while k >= max(0, stamp - 80) {
            let t = lines[k].trimmed
            if t.isEmpty { k -= 1; continue }
            if top == nil, signature < 3, t.count <= 50, isPlainProse(t), !t.contains(where: \.isNumber), !".!?".contains(t.last!),
               // (A signature sits right under the text, no blank line between its lines.)
               signature == 0 || !lines[k + 1].trimmed.isEmpty {
                // Its writer's name and role under the text ("Alex Forster",
                // "Network Engineer, Linode"), then the paragraphs.
                signature += 1
                k -= 1
                continue
            }
            // A title ("Incident Report for Codecov") ends it, as does another update.
            guard isPlainProse(t), postedTime(t) == nil, t.count >= 60 || ".!?:".contains(t.last!) else { break }
            top = k
            k -= 1
        }
        return top
    }

    /// The line of the status label an update's stamp at `stamp` belongs
    /// to: up through the update's paragraphs, not past another update
    /// (a stamp, or a line that opens with a time) and within a
    /// postmortem's length, so a long history is read in one pass.
    static func updateLabel(above stamp: Int, in lines: [String]) -> Int? {
        var k = stamp - 1
        while k >= max(0, stamp - 80) {
            let t = lines[k].trimmed
            if isStatuspagePostmortemLabel(t) || isStatusWord(t) { return k }
            // (A postmortem's text may end in a list: "• We monitor our database …".)
            // (Numbered too: "1. Changed the scale event triggers …", but not
            // a line that opens with a time.)
            let opensWithNumber = t.first?.isNumber == true && !(listItemContent(t).map { splitLeadingTime($0) == nil } ?? false)
            guard t.isEmpty || isPlainProse(t) || listItemContent(t) != nil, !opensWithNumber, postedTime(t) == nil else { return nil }
            k -= 1
        }
        return nil
    }

    /// "Affected services" alone on its line, as status pages head the list
    /// of what an incident touched.
    static func isAffectedServicesLine(_ line: String) -> Bool {
        ["affected services", "affected components"].contains(line.trimmed.lowercased())
    }

    /// Statuspage's label over a postmortem added to an incident's updates.
    static func isStatuspagePostmortemLabel(_ line: String) -> Bool {
        ["postmortem", "post-mortem"].contains(line.trimmed.lowercased())
    }

    /// The words status pages label an update with.
    static let statusWords = ["update", "updated", "monitoring", "resolved", "investigating", "identified", "mitigated", "scheduled", "completed", "in progress"]

    /// A status update's label alone on its line ("Resolved", "Update").
    static func isStatusWord(_ line: String) -> Bool {
        statusWords.contains(line.trimmed.lowercased())
    }

    /// A line that starts a paragraph of prose, not a heading, a list item,
    /// a table row, a quote or markup.
    static func isPlainProse(_ t: String) -> Bool {
        guard let c = t.first, !"#|>-*+<".contains(c) || t.hasPrefix("**") else { return false }
        return listItemContent(t) == nil
    }

    /// The last line of a status update when it is only its time, without
    /// markup or Statuspage's "Posted … ago." (nil otherwise).
    static func postedTime(_ line: String) -> String? {
        guard line.count <= 160, line.contains(where: \.isNumber) else { return nil }
        let ns = line as NSString
        var t = htmlTag.stringByReplacingMatches(in: line, range: NSRange(location: 0, length: ns.length), withTemplate: " ").trimmed
        if t.lowercased().hasPrefix("posted") {
            t = String(t.dropFirst(6)).trimmed
            if let ago = t.range(of: " ago.") ?? t.range(of: " ago,") { t = String(t[ago.upperBound...]).trimmed }
        }
        t = t.trimmingCharacters(in: CharacterSet(charactersIn: "*_ "))
        // "Tue, May 24, 2022, 03:14 PM(1 hour earlier)": how far it is from
        // the update above, which the page adds.
        t = t.replacing(#/\s*\([^()]{0,40}\b(?:earlier|later|ago)\)$/#, with: "")
        guard let s = try? stamp(t), s.time != nil, s.month != nil || s.zone != nil else { return nil }
        return t
    }

    /// The moment a status page's report was posted, from its one
    /// "Posted Jun 06, 2022 - 14:30 CEST" line (not a log of such stamps,
    /// each its update's time): the day of the report's dateless times,
    /// after everything the text says about its day and before the file's
    /// name. A report tells what happened before it was posted, so a time
    /// that would fall after the posting is on the day before
    /// (`ParseState.result`).
    static func postedDay(_ lines: [String], stampedLog: Bool) -> PostedStamp? {
        guard !stampedLog else { return nil }
        for (i, line) in lines.enumerated() where line.count <= 160 && line.trimmed.lowercased().hasPrefix("posted") {
            guard let posted = stampMoment(line), let zone = posted.zone else { continue }
            return PostedStamp(day: posted.day, moment: posted.moment, line: i + 1, zone: zone, word: String(posted.time.split(separator: " ").last ?? ""))
        }
        return nil
    }

    /// A status page's stamp alone on its line (`postedTime`) that writes
    /// its year: its day, its moment (in UTC when it writes no zone), its
    /// zone and the time as written.
    static func stampMoment(_ line: String) -> (day: Day, moment: Date, zone: TimeZone?, time: String)? {
        guard let time = postedTime(line.trimmed), let s = try? stamp(time), let y = s.year, let m = s.month, let d = s.day, let clock = s.time else { return nil }
        let day = Day(year: y, month: m, day: d)
        guard let moment = compose(day, clock, s.zone ?? TimeZone(identifier: "UTC")!) else { return nil }
        return (day, moment, s.zone, time)
    }

    /// A report's one "Posted Jul 25, 2024 - 17:30 GMT-03:00" stamp: its
    /// day, its moment, its line, and the zone it is written in.
    struct PostedStamp {
        var day: Day
        var moment: Date
        var line: Int
        var zone: TimeZone
        var word: String
    }

    /// The day of a status history's earliest stamp ("Posted Aug 12, 2018 -
    /// 17:07 UTC" under the first update), in its own zone, and its line; nil
    /// when no stamp writes its year.
    static func earliestStamp(_ lines: [String]) -> (day: Day, line: Int)? {
        var earliest: (moment: Date, day: Day, line: Int)?
        for (i, line) in lines.enumerated() where line.count <= 160 && line.contains(where: \.isNumber) {
            guard let stamped = stampMoment(line) else { continue }
            if earliest.map({ stamped.moment < $0.moment }) ?? true { earliest = (stamped.moment, stamped.day, i + 1) }
        }
        return earliest.map { ($0.day, $0.line) }
    }

    /// Whether the page is a log of updates, each stamped with its date
    /// (two stamps or more), rather than a report with one "Posted" byline
    /// under it. Asked once, of the page as written: `statusPageTracks`
    /// moves a log's stamps to their updates, `postedDay` dates a report by
    /// its byline.
    static func isStampedLog(_ lines: [String]) -> Bool {
        var stamps = 0
        for line in lines where line.count <= 160 && line.contains(where: \.isNumber) {
            if let time = postedTime(line.trimmed), (try? stamp(time))?.month != nil { stamps += 1 }
            if stamps >= 2 { return true }
        }
        return false
    }

    static let htmlTag = try! NSRegularExpression(pattern: #"</?[A-Za-z][^<>]{0,200}>"#)

    /// Zone abbreviations that are also words in incident text (a tax, a
    /// security scan, a department): read as a zone only when a separator
    /// follows them (`16:42 GST: …`).
    static let wordLikeZones: Set<String> = ["gst", "sast", "ict", "nst", "wat", "cat", "eat"]

    static let statusPageTrack = try! NSRegularExpression(pattern: #"\{\{[<%]\s*track\s+"([^"]{1,40})"\s*[>%]\}\}"#)

    /// A status page's chip copied as text: its status in lower case, as
    /// the page shows it ("investigating", "postmortem").
    static func isStatusChip(_ label: String) -> Bool {
        label == label.lowercased() && (isStatusWord(label) || isStatuspagePostmortemLabel(label))
    }

    /// A status update's label followed by its time and nothing else
    /// (`Update #1 at 2018-09-22 23:15 EDT`, `RESOLVED - 14:02 UTC`): the
    /// time and the label.
    static func statusLabelTime(_ content: String, order: SlashOrder?, alone: Bool = false) -> (time: String, label: String)? {
        let ns = content as NSString
        guard content.count <= 80, let m = statusLabel.firstMatch(in: content, range: NSRange(location: 0, length: ns.length)) else { return nil }
        let label = ns.substring(with: m.range(at: 1)).trimmingCharacters(in: CharacterSet(charactersIn: "*_ "))
        let rest = ns.substring(with: m.range(at: 2))
        // Only a status page's "Posted May 01, 2022 - 19:38 UTC", its status
        // chip copied as text ("investigating Sep 22, 2022, 02:29 PM UTC", in
        // lower case as the page shows it), or a label and stamp set apart
        // by blank lines (`alone`: "Resolved Feb 06 at 08:04pm UTC" over the
        // update) go without a separator: "Resolved 2025-07-24 12:34" among
        // key events is a fact about the incident, not an update.
        let between = ns.substring(with: NSRange(location: NSMaxRange(m.range(at: 1)), length: m.range(at: 2).location - NSMaxRange(m.range(at: 1))))
        guard !between.allSatisfy(\.isWhitespace) || label.lowercased() == "posted" || isStatusChip(label) || alone else { return nil }
        guard let split = splitLeadingTime(rest, order: order), split.text.trimmingCharacters(in: CharacterSet(charactersIn: "*_:. ")).isEmpty,
              hasTimeOfDay(split.time, order: order) else { return nil }
        return (split.time, label)
    }

    /// A status word, its time in parentheses, then the update:
    /// "**UPDATE** (2021-01-19 12:00 UTC) - The intervention has finished".
    /// The text keeps the word ("UPDATE: The intervention …").
    static func labelledTime(_ content: String, order: SlashOrder?) -> (time: String, text: String)? {
        let ns = content as NSString
        guard let m = labelledTimePattern.firstMatch(in: content, options: .anchored, range: NSRange(location: 0, length: ns.length)),
              case let time = ns.substring(with: m.range(at: 2)).trimmed, hasTimeOfDay(time, order: order),
              let split = splitLeadingTime(time, order: order), split.text.isEmpty else { return nil }
        return (split.time, ns.substring(with: m.range(at: 1)) + ": " + ns.substring(with: m.range(at: 3)))
    }

    /// An update's label, its time and the update, as status logs and blog
    /// posts write them in a paragraph: "**Update @ 10:51:** We're
    /// experiencing …", "UPDATE 14:20 UTC - …", "**OUTAGE UPDATE - 3:15PM
    /// Sunday, November 30th**: …", "Mise à jour de 18:15 : finalement …".
    /// ("Edit 2023-03-09 08:00 UTC: corrected the summary" is a note about
    /// the page.)
    static func labelledParagraphTime(_ content: String, order: SlashOrder?) -> (time: String, text: String)? {
        guard let m = content.prefixMatch(of: #/[*_]*((?:(?i:outage|service|status|incident|maintenance|system)\s+)?(?i:update|updated|mise à jour|màj|nachtrag|aktualisierung|actualización|atualização|aggiornamento)(?:\s*#?\d{1,3}(?![\d:]))?)\s*(?i:@|at|de|à|às|um|-|–)?\s*([^:*_]{0,30}?\d{1,2}:\d{2}[^:*_]{0,40}?)\s*[*_]*\s*(?::|-|–|—)\s*[*_]*\s*(\S.*)/#),
              case let time = String(m.output.2).trimmed, hasTimeOfDay(time, order: order),
              let split = splitLeadingTime(time, order: order), split.text.trimmingCharacters(in: CharacterSet(charactersIn: "() ")).isEmpty else { return nil }
        return (split.time, m.output.1 + ": " + m.output.3)
    }

    /// An entry marked as the incident's start or end, its time after the
    /// mark and its text after the time: "Start: 2015/03/12 16:30 – IT
    /// support became aware …", "**End:** 2015/03/15 11:00 – restored". The
    /// text keeps the mark. Under a Timeline heading only: elsewhere "Start:
    /// 10:02 – paged" is a fact of the summary.
    static func boundaryLabelTime(_ content: String, order: SlashOrder?) -> (time: String, text: String)? {
        guard let m = content.prefixMatch(of: #/[*_]*((?i:start|started|begin|began|end|ended|detected|resolved|mitigated|recovered|restored|down|up|back up|(?:incident|impact|outage) (?:start|began|end|ended)))[*_]*\s*:\s*[*_]*\s*(\S.*)/#),
              let split = leadingTime(String(m.output.2), order: order, allowEmpty: false),
              hasTimeOfDay(split.time, order: order) else { return nil }
        return (split.time, m.output.1 + ": " + split.text)
    }

    static let labelledTimePattern = try! NSRegularExpression(pattern: #"[*_]*((?i:"# + statusWords.joined(separator: "|") + #")(?:\s*#?\d{1,3})?)[*_]*\s*\(([^()]{4,40})\)[*_]*\s*(?:-|–|—|:)\s*(\S.*)"#)

    static let statusLabel = try! NSRegularExpression(
        pattern: #"^((?:\*\*|__)?(?i:"# + (statusWords + ["posted", "postmortem", "post-mortem"]).joined(separator: "|") + #")(?:\s*#?\d{1,3})?(?:\*\*|__)?)\s*(?:(?:at|@|-|–|—|:)\s+|\[|\s)(.+?)\]?$"#)

    /// What a bold time says, without a status page's label around it
    /// (cState's `**\[ Update Mar 11, 11:00 a.m.]**`) or the emphasis and
    /// parentheses around a day after it (`**23:00 UTC(*April 5*)**`).
    static func withoutUpdateLabel(_ s: String) -> String {
        var t = s.replacingOccurrences(of: "\\[", with: "[").replacingOccurrences(of: "\\]", with: "]").trimmed
        if t.hasPrefix("["), t.hasSuffix("]") { t = String(t.dropFirst().dropLast()).trimmed }
        if let open = t.firstIndex(of: "("), t.hasSuffix(")"), t[..<open].contains(where: \.isNumber) {
            t = String(t[..<open]) + " " + t[t.index(after: open)...].dropLast().filter { $0 != "*" && $0 != "_" }
        }
        // "*Investigating 2019-01-28 17:33:00*": a status page's word for the update.
        for label in statusWords
        where t.lowercased().hasPrefix(label + " ") || t.lowercased().hasPrefix(label + ":") {
            t = String(t.dropFirst(label.count + 1)).trimmed
        }
        // "Incident Report, October 20, 9:00pm:", "Initial Announcement,
        // October 18, 7:50pm": a status page's label of a few words before
        // the update's time.
        if let comma = t.firstIndex(of: ","), case let label = t[..<comma], !label.contains(where: \.isNumber),
           label.split(separator: " ").count <= 4, label.first?.isLetter == true,
           case let rest = String(t[t.index(after: comma)...]).trimmed, let split = splitLeadingTime(rest),
           split.text.trimmingCharacters(in: CharacterSet(charactersIn: ":. ")).isEmpty, hasTimeOfDay(split.time, order: nil) {
            t = rest
        }
        return t
    }

    /// A line of the incident's facts (`date: First reported about 2pm`,
    /// `duration: 2.5 hours`), not a moment of it.
    static func isFactsLine(_ content: String) -> Bool {
        guard let colon = content.firstIndex(of: ":") else { return false }
        let label = content[..<colon].trimmingCharacters(in: CharacterSet(charactersIn: "*_ ")).lowercased()
        return ["date", "duration", "environment", "severity", "status", "impact", "reported", "first reported"].contains(label)
    }

    /// "date: '2014-05-07T14:48:16+00:00'", "Published: …", "Posted Sep 26,
    /// 2019 - 12:59 EDT": when the page was written, outside a Timeline
    /// section; not an entry.
    static func isPageDateLine(_ line: String) -> Bool {
        // A status page's "Posted Sep 26, 2019 - 12:59 EDT" under its report.
        if line.lowercased().hasPrefix("posted"), postedTime(line) != nil { return true }
        guard let colon = line.firstIndex(of: ":"), line.distance(from: line.startIndex, to: colon) <= 30 else { return false }
        let label = line[..<colon].trimmingCharacters(in: CharacterSet(charactersIn: "*_ ")).lowercased()
        // "Title: Mail client syncing issue Date: Monday 23rd March 2020,
        // 14:46 UTC": the page's own fields run together on one line.
        return label == "date" || label == "title" || isDocumentDateLabel(label)
    }

    /// A label naming when the document, not the incident, happened.
    static func isDocumentDateLabel(_ label: String) -> Bool {
        let words = Set(label.lowercased().split { !$0.isLetter }.map(String.init))
        // "Update:" alone heads a status update; "Last update:" dates the page.
        return (!words.isDisjoint(with: ["retro", "retrospective", "review", "reviewed", "published", "updated", "written", "held", "meeting", "edited", "modified", "created", "author"])
            || words.isSuperset(of: ["last", "update"]))
            && words.count <= 4
    }

    /// The words for a date or a start in French, German, Spanish,
    /// Portuguese, Italian, Dutch and Czech facts tables.
    static let foreignDateNouns: Set<String> = ["data", "fecha", "datum", "jour", "dia", "día", "tag", "début", "inicio", "início", "beginn"]
    /// All the words such a label may hold ("Data do incidente").
    static let foreignDateLabelWords: Set<String> = foreignDateNouns.union([
        "do", "da", "de", "del", "des", "der", "du", "l", "el", "la", "le", "incidente", "incidência",
        "incident", "vorfall", "störung", "storing", "incidentes", "incidenza", "dell", "della",
    ])

    /// The first cell of a facts table's row that dates the incident.
    static func isIncidentDateLabel(_ cell: String) -> Bool {
        let words = Set(cell.lowercased().split { !$0.isLetter }.map(String.init))
        // The start, not the end: "Resolved", "Mitigated" and "Closed" rows date the end.
        // Japanese, Chinese and Korean labels are written without spaces:
        // 発生日時 (occurred), 影響期間 (impact window), 日付 (date), 发生时间, 발생 일시.
        let cjk = ["発生", "影響期間", "日付", "日時", "发生", "日期", "발생", "일시", "날짜"].contains { cell.contains($0) }
            && !["復旧", "解決", "終了", "恢复", "解决", "복구", "해결"].contains { cell.contains($0) }
        // And in French, German, Spanish, Portuguese, Italian, Dutch and Czech
        // ("Data do incidente", "Fecha", "Datum", "Début").
        return !isDocumentDateLabel(cell)
            && words.isDisjoint(with: ["resolved", "resolution", "mitigated", "closed", "ended", "end", "recovered", "fin", "fim", "ende", "résolution", "resolução", "resolución", "risoluzione"])
            && (cjk || !words.isDisjoint(with: ["date", "day", "started", "start", "began", "detected", "detection", "incident"])
                // In another language only a label all of its words ("Data do
                // incidente"; "Data loss" and "Release tag" are English).
                || (!words.isEmpty && words.isSubset(of: foreignDateLabelWords) && !words.isDisjoint(with: foreignDateNouns)))
    }

    /// A line (or list item) whose time is the text of a link to the chat
    /// message it came from (`[17:58](https://…/p1488304718): acknowledged`,
    /// `- [1758](…) paged`): the line with the link's text alone. Nil when
    /// the line does not start with such a link.
    static func timeAsLinkText(_ t: String) -> String? {
        var bullet = ""
        for b in ["- ", "* ", "+ "] where t.hasPrefix(b) { bullet = b }
        let content = t.dropFirst(bullet.count).drop { $0 == " " }
        guard content.first == "[", let close = content.firstIndex(of: "]") else { return nil }
        let label = content[content.index(after: content.startIndex)..<close]
        let afterLabel = content[content.index(after: close)...]
        guard afterLabel.first == "(", let end = afterLabel.firstIndex(of: ")"),
              label.first?.isNumber == true, label.count <= 24, label.allSatisfy({ $0.isNumber || ":. -–APMapm".contains($0) }) else { return nil }
        // The link (evidence: the message itself) stays, after the text.
        let url = afterLabel[afterLabel.index(after: afterLabel.startIndex)..<end]
        return bullet + label + afterLabel[afterLabel.index(after: end)...] + " (\(url))"
    }

    /// A line (or list item) that starts with a clock written without a
    /// colon, rewritten with one: `11.13 First alerts` and `- 10.42: paged`
    /// (the British and Australian dot), `1727: noticed` and `~1442:` (the
    /// military four digits, which Financial Times reports use). Nil when
    /// the line starts otherwise.
    ///
    /// A dot followed by text is read only under a Timeline heading where
    /// another line is written so too, and four digits that could be a year
    /// (1900–2099) only after `~` or under a heading with other colonless
    /// clocks: a line may start with `1.25 million` or `2016: migrated` for
    /// other reasons. (`colonlessClocks` nil: counting, the block unknown.) Nor is it a
    /// clock when another clock follows (`12.11 14:20`: a day and month).
    /// The day a list item names when it names only a day ("11/26",
    /// "2021-11-26", "March 3", "3月3日"), the year from `fallbackYear` when
    /// it has none. Month and day alone with a slash follow `order`, or are
    /// read month first (as the Japanese and Americans who write them so
    /// do) unless a part over 12 says otherwise.
    static func itemDay(_ content: String, fallbackYear: Int?, after: Day? = nil, order: SlashOrder?) -> Day? {
        let text = content.trimmingCharacters(in: CharacterSet(charactersIn: ":*_ "))
        // A day without its year that falls before the day in effect is in
        // the next year: "* 12/31" then "* 1/1".
        func rolled(_ day: Day) -> Day? {
            guard day.isValid else { return nil }
            if let after, (day.year, day.month, day.day) < (after.year, after.month, after.day) {
                let next = Day(year: day.year + 1, month: day.month, day: day.day)
                return next.isValid ? next : nil
            }
            return day
        }
        if let match = text.wholeMatch(of: #/(\d{1,2})\/(\d{1,2})(?:\s*[（(][^)）]{1,12}[)）])?/#), let a = Int(match.1), let b = Int(match.2), let year = fallbackYear {
            let monthFirst = a > 12 ? false : b > 12 ? true : order != .dayFirst
            return rolled(monthFirst ? Day(year: year, month: a, day: b) : Day(year: year, month: b, day: a))
        }
        guard let s = try? stamp(text, order: order), s.time == nil, s.month != nil, s.day != nil,
              let day = headingDay(text, fallbackYear: fallbackYear, order: order) else { return nil }
        return s.year == nil ? rolled(day) : day
    }

    /// What a sentence announcing maintenance windows says ("… is now
    /// scheduled for 20-23 July:").
    static let schedulePhrase = try! NSRegularExpression(pattern: #"(?i)\b(?:scheduled|planned|will take place|will be carried out|maintenance windows?)\b"#)

    /// What an announcement of planned work says of itself.
    static let announcementWord = try! NSRegularExpression(pattern: #"(?i)\b(?:maintenance|scheduled|planned)\b"#)

    /// Whether a time as written is a span between two clock times
    /// ("12:39 - 15:30", "16:30 to 15:00 UTC").
    static func spansTwoClocks(_ time: String) -> Bool {
        // Read by the tokenizer, so that "14.06.2022 10:00" is a date and a time.
        tokens(time, strict: false).count { if case .clock = $0 { return true }; return false } >= 2
    }

    static func clockWithAColon(_ t: String, headed: Bool, colonlessClocks: Bool? = nil) -> String? {
        var bullet = ""
        for b in ["- ", "* ", "+ "] where t.hasPrefix(b) { bullet = b }
        let content = t.dropFirst(bullet.count).drop { $0 == " " }
        var marker = String(content.prefix { "*_".contains($0) || approximateMarks.contains($0) })
        var rest = content.dropFirst(marker.count)
        // "2018-11-09 6.30 AM CET: …": the date stays before the clock.
        var dated = false
        if let date = rest.prefixMatch(of: #/\d{4}-\d{2}-\d{2}\s+/#) {
            marker += date.output
            rest = rest[date.range.upperBound...]
            dated = true
        }
        let digits = rest.prefix { $0.isASCII && $0.isNumber }
        let after = rest.dropFirst(digits.count)
        func clock(_ h: Int, _ m: Int, remainder: Substring) -> String? {
            guard h < 24, m < 60 else { return nil }
            let next = remainder.drop { $0 == " " || $0 == "*" || $0 == "_" }
            if next.prefix(while: { $0.isNumber }).count >= 1, next.drop(while: { $0.isNumber }).first == ":" { return nil }
            return bullet + marker + String(format: "%02d:%02d", h, m) + remainder
        }
        if (1...2).contains(digits.count), after.first == ".", let h = Int(digits) {
            let minute = after.dropFirst().prefix { $0.isASCII && $0.isNumber }
            guard minute.count == 2, let m = Int(minute) else { return nil }
            let remainder = after.dropFirst(3)
            // After a date, a clock: "6.30 AM", "6.30 CET".
            if dated {
                guard remainder.first == " ", case let word = remainder.dropFirst().prefix(while: { $0.isLetter }),
                      ["am", "pm", "a.m", "p.m"].contains(word.lowercased()) || namedZone(word.lowercased()) != nil else { return nil }
                return clock(h, m, remainder: remainder)
            }
            // "**23.45 uur –**", "9.30 Uhr": the word for o'clock says it is one.
            let oClock = remainder.prefixMatch(of: #/\s(?i:uur|uhr)(?!\p{L})/#) != nil
            // "0.16: https://…/compare/…v0.16.7": a version before its link
            // (midnight's hour before text: "0.15: restart" is a clock).
            if digits == "0", !oClock, remainder.dropFirst().drop(while: { $0 == " " }).hasPrefix("http")
                || remainder.dropFirst().drop(while: { $0 == " " }).hasPrefix("[") { return nil }
            let separated = remainder.hasPrefix(":") || remainder.hasPrefix(" -") || remainder.hasPrefix(" –") || remainder.hasPrefix(" —") || oClock
            let spaced = remainder.first.map { $0 == " " || $0 == "*" || $0 == "_" } ?? false
            // Followed by text alone: under a Timeline heading, and (once the
            // block is counted) with another such clock in the block.
            guard separated || (headed && spaced && colonlessClocks != false) else { return nil }
            return clock(h, m, remainder: remainder)
        }
        if digits.count == 4, !dated, let value = Int(digits), after.drop(while: { $0 == " " }).hasPrefix(":") {
            guard !(1900...2099).contains(value) || colonlessClocks == true || marker.contains("~") || marker.contains("≈") else { return nil }
            return clock(value / 100, value % 100, remainder: after.drop(while: { $0 == " " }))
        }
        return nil
    }

    static func statesATime(_ line: String, order: SlashOrder?) -> Bool {
        sentenceEntries(line, order: order).contains { $0.time != nil }
    }

    static func hasTimeOfDay(_ time: String, order: SlashOrder?) -> Bool {
        (try? stamp(time, order: order))?.time != nil
    }

    /// What a list item says after its bullet (`-`, `*`, `+`, `1.`), or nil.
    static func listItemContent(_ t: String) -> String? {
        // "•", "◦", "▪": the bullets a list keeps when copied from a web page or a document.
        for bullet in ["- ", "* ", "+ ", "• ", "◦ ", "▪ ", "‣ "] where t.hasPrefix(bullet) {
            return String(t.dropFirst(bullet.count)).trimmed
        }
        // "・ログインIDが「u001」:…": the bullet Japanese text writes, its
        // item right after it.
        if t.hasPrefix("・"), t.count > 1 { return String(t.dropFirst()).trimmed }
        let digits = t.prefix { $0.isASCII && $0.isNumber }
        if !digits.isEmpty, digits.count <= 3, t.dropFirst(digits.count).hasPrefix(". ") || t.dropFirst(digits.count).hasPrefix(") ") {
            return String(t.dropFirst(digits.count + 2)).trimmed
        }
        return nil
    }

    static let timeEdges = CharacterSet(charactersIn: ":-–—,|").union(.whitespaces)

    /// The time an entry starts with and its text: `15:35 – Plan pushed`,
    /// `**June 14th, 2022, 10:00 AM:** Rolled back`, `[13:20] paged`. With
    /// `allowEmpty`, a line that is only a time (a heading, a bold line)
    /// starts an entry whose text is below it.
    static func leadingTime(_ content: String, order: SlashOrder?, allowEmpty: Bool) -> (time: String, text: String)? {
        var split: (time: String, text: String)?
        // A time in bold, italics or code, its separator inside or outside.
        for marker in ["**", "__", "*", "_", "`"] where content.hasPrefix(marker) {
            let rest = content.dropFirst(marker.count)
            if let close = rest.range(of: marker), let inner = splitLeadingTime(withoutUpdateLabel(String(rest[..<close.lowerBound])), order: order), inner.text.isEmpty {
                split = (inner.time, String(rest[close.upperBound...].drop { $0.unicodeScalars.allSatisfy(timeEdges.contains) }).trimmed)
            }
            break
        }
        guard var split = split ?? splitLeadingTime(content, order: order) else { return nil }
        if let s = try? stamp(split.time, order: order), s.time == nil,
           let clock = sentenceEntries(split.text, order: order).first?.time, (try? stamp(clock))?.month == nil {
            // "2021-08-27: At 12:50:07 UTC, issue exploited."
            split.time += " " + clock
        }
        split = moveZoneWord(time: split.time, text: split.text, order: order)
        guard !split.text.isEmpty else {
            // A date alone ("### November 30, 2025") heads a day; it starts no entry.
            return allowEmpty && (try? stamp(split.time, order: order))?.time != nil ? split : nil
        }
        return split
    }

    /// A zone word left at the start of the text (`**17:14** UTC A user …`)
    /// belongs to the time.
    static func moveZoneWord(time: String, text: String, order: SlashOrder?) -> (time: String, text: String) {
        let words = text.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard let first = words.first else { return (time, text) }
        let word = first.trimmingCharacters(in: CharacterSet(charactersIn: "():,;").union(.whitespaces))
        guard word.count >= 1, word == word.uppercased(), let zone = namedZone(word.lowercased()),
              let s = try? stamp(time, order: order) else { return (time, text) }
        // "SAST scan flagged it": a zone that is also a word needs a separator after it.
        if wordLikeZones.contains(word.lowercased()), !first.hasSuffix(":"), !first.hasSuffix(")"),
           !(words.count > 1 && ["-", "–", "—"].contains(words[1].split(separator: " ").first.map(String.init) ?? "")) {
            return (time, text)
        }
        let rest = words.count > 1 ? String(String(words[1]).drop { $0.unicodeScalars.allSatisfy(timeEdges.contains) }) : ""
        if s.zone == nil { return (time + " " + word, rest) }
        if s.zone?.secondsFromGMT() == zone.secondsFromGMT() { return (time, rest) }
        return (time, text)
    }

    /// Words written before or after a time: "After 02:10 CET", "~13:30",
    /// "Some time before Aug 31 10:27am",
    /// "16:00 頃", "翌 00:00" (the next day, which the rollover past
    /// midnight gives anyway), "gegen 14:00".
    static let timeFillers: Set<String> = approximately.union([
        "after", "before", "from", "since", "until", "by", "shortly", "just", "roughly", "sometime", "some", "time", "um",
        // "À partir de 13:17", "Dès 9:00", "Desde las 14:00", "Ab 10:00", "Seit 9:30".
        "à", "partir", "de", "dès", "depuis", "desde", "las", "ab", "seit",
    ]).union(nextDayWords)

    /// Fillers written after a clock ("16:00 頃", "10:00 Uhr", "23:00-ish"):
    /// the others come before one, so after a clock they start the text
    /// ("14:05 Some customers saw errors").
    static let afterClockFillers: Set<String> = ["頃", "ごろ", "경", "左右", "이후", "이전", "以降", "以前", "uhr", "uur", "ish", "onwards", "onward"]

    /// Words that put a time on the day after the one in effect: "翌 00:15"
    /// (Japanese), "次日", "익일" (Korean).
    static let nextDayWords: Set<String> = ["翌", "翌日", "次の日", "익일", "次日"]

    /// Leading words that make a line of a summary, outside a Timeline
    /// section, a sentence rather than an entry ("By 21:00, the fix was in").
    static let summaryLeads: Set<String> = ["by", "after", "before", "since", "until", "from", "shortly", "just", "roughly", "sometime", "some", "time"]

    /// The leading words that read as a time (up to seven: `Sun, Mar 1
    /// 2026 2:54 PM PST`), grown word by word while they still do, and the
    /// text after them and their separator (`:`, `-`, `—`, `]`, `**`); the
    /// text is empty when the whole is a time. The end of a range (`8:20 -
    /// 8:24`, `14:02 to 14:10`) goes with the time.
    static func splitLeadingTime(_ content: String, order: SlashOrder? = nil) -> (time: String, text: String)? {
        let words = content.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard !words.isEmpty else { return nil }
        func startsLikeATime(_ prefix: String) -> Bool {
            guard let first = prefix.first else { return false }
            let word = String(prefix.drop { "*_`([".contains($0) }.prefix { $0.isLetter }).lowercased()
            return first.isNumber || "[*_`(".contains(first) || approximateMarks.contains(first) || monthNumber(word) != nil || isWeekday(word) || timeFillers.contains(word)
        }
        var best: (k: Int, hasTime: Bool)?
        for k in 1 ... min(8, words.count) {
            if ["-", "–", "—"].contains(words[k - 1]) {
                // A dash separates the time from the text, unless only a date came so far.
                if best?.hasTime ?? true { break }
                continue
            }
            let prefix = words[..<k].joined(separator: " ").trimmingCharacters(in: timeEdges)
            if startsLikeATime(prefix), let s = try? stamp(prefix, order: order), s.time != nil || (s.month != nil && s.day != nil) {
                best = (k, s.time != nil)
            } else if best != nil {
                // "15:30 UTC Feb 20:": a month alone is half a date; read on.
                // So is a day before its month: "1:00 PM, 20 Dec 2018:".
                let word = words[k - 1].trimmingCharacters(in: timeEdges).lowercased()
                let next = k < words.count ? words[k].trimmingCharacters(in: timeEdges) : ""
                let dayNumber = (1...2).contains(word.count) && word.allSatisfy(\.isNumber)
                    && monthNumber(next.lowercased()) != nil && next != "may"
                // "May 28 at 05:03am UTC", as Better Stack stamps: the date, then its time.
                let atItsTime = word == "at" && best?.hasTime == false && next.first?.isNumber == true
                if monthNumber(word) == nil && !isWeekday(word) && !dayNumber && !atItsTime { break }
            }
        }
        guard var k = best?.k else { return nil }
        // "14:05 Some customers saw errors": a filler that comes before a
        // clock, after one, is the text's first word.
        while k > 1, best?.hasTime == true {
            let word = words[k - 1].trimmingCharacters(in: timeEdges).lowercased()
            guard stampFillers.contains(word), !afterClockFillers.contains(word),
                  (try? stamp(words[..<(k - 1)].joined(separator: " ").trimmingCharacters(in: timeEdges), order: order))?.time != nil else { break }
            k -= 1
        }
        let lastWord = words[k - 1].trimmingCharacters(in: timeEdges).lowercased()
        // ("09:00 Eastern region failed over", "14:00 Pacific Northwest
        // users": a zone's name in full before a place is the place's.)
        let adjective = ["eastern", "pacific", "central", "mountain"].contains(lastWord) && k < words.count
            && placesAfterAZonesName.contains(words[k].lowercased().trimmingCharacters(in: .punctuationCharacters))
        if k > 1, cityZones[lastWord] != nil || wordLikeZones.contains(lastWord) || adjective,
           !words[k - 1].hasSuffix(":"), !(k < words.count && ["-", "–", "—"].contains(words[k])) {
            // "14:02 Paris datacenter lost power", "14:00 SAST scan flagged
            // it": a city, or a zone that is also a word, with no separator
            // after it is the text's first word, not the time's zone.
            k -= 1
        }
        // "14:05 UTC +3 nodes failed": a number a space after the zone, with
        // words after it, is a count, not the zone's offset.
        if k > 2, words[k - 1].wholeMatch(of: #/[+\-−]\d{1,2}(?::?\d{2})?/#) != nil, ["utc", "gmt"].contains(words[k - 2].lowercased()),
           !endsATime(" " + words[k...].joined(separator: " ")) {
            k -= 1
        }
        var time = words[..<k].joined(separator: " ").trimmingCharacters(in: timeEdges)
        if best?.hasTime == true, k + 1 < words.count, ["-", "–", "—", "to", "until", "à", "bis", "hasta", "até", "tot"].contains(words[k].lowercased()) {
            // "8:20 - 8:24 Text", "de 14:10 à 14:40 : maintenance": the range's end is not text.
            var end = words[k + 1].trimmingCharacters(in: timeEdges)
            var endWords = 1
            // "2018-09-22 22:20 EDT to 2018-09-23 00:05 EDT": an end on another day.
            if k + 2 < words.count, let d = try? stamp(end, order: order), d.time == nil, d.month != nil,
               let s = try? stamp(end + " " + words[k + 2].trimmingCharacters(in: timeEdges), order: order), s.time != nil {
                end += " " + words[k + 2].trimmingCharacters(in: timeEdges)
                endWords = 2
            }
            if end.first?.isNumber == true, let s = try? stamp(end, order: order), s.time != nil, s.month == nil || endWords == 2 {
                k += 1 + endWords
                // "From 12:23 AM until 1:05 AM Singapore time zone": the end's
                // half of the day, then the zone (a city's, capitalised).
                if k < words.count, ["am", "pm", "a.m.", "p.m."].contains(words[k].trimmingCharacters(in: timeEdges).lowercased()) { k += 1 }
                let zone = k < words.count ? words[k].trimmingCharacters(in: timeEdges) : ""
                // (A city only with "time" after it: "until 14:40 Paris
                // datacenter was without power" names a place.)
                let city = zone.first?.isUppercase == true && cityZones[zone.lowercased()] != nil
                    && k + 1 < words.count && words[k + 1].trimmingCharacters(in: timeEdges).lowercased() == "time"
                if namedZone(zone.lowercased()) != nil || city {
                    if (try? stamp(time, order: order))?.zone == nil { time += " " + zone }
                    k += city ? 2 : 1
                    if city, k < words.count, words[k].trimmingCharacters(in: timeEdges).lowercased() == "zone" { k += 1 }
                }
            }
        }
        // "9:57 PM (June 7)": the day in parentheses after the time is the time's.
        if best?.hasTime == true, k < words.count, words[k].hasPrefix("("),
           let close = words[k...].prefix(4).firstIndex(where: { $0.hasSuffix(")") || $0.hasSuffix("),") || $0.hasSuffix("):") }),
           case let inside = words[k...close].joined(separator: " ").trimmingCharacters(in: CharacterSet(charactersIn: "():, ")),
           let day = try? stamp(inside, order: order), day.time == nil, day.month != nil, day.day != nil,
           let both = try? stamp(time + " " + inside, order: order), both.time != nil, both.day != nil {
            time += " " + inside
            k = close + 1
        }
        var text = String(words[k...].joined(separator: " ").drop { $0.unicodeScalars.allSatisfy(timeEdges.contains) }).trimmed
        // "午前9時頃、全教職員に…": "about" and the comma that close the
        // Japanese time go with it, not the text.
        if let after = text.prefixMatch(of: #/(?:頃|ごろ)?[、，]\s*|(?:頃|ごろ)\s*/#) { text = String(text[after.range.upperBound...]) }
        // "**09:34 PM UTC — War room convened**": the closing marker goes
        // with the opening one, which the time took.
        for marker in ["**", "__"] where time.hasPrefix(marker) && !time.hasSuffix(marker) && text.hasSuffix(marker) {
            text = String(text.dropLast(marker.count)).trimmed
            time = String(time.dropFirst(marker.count))
        }
        return (time, text)
    }

    // MARK: - Times inside sentences

    /// `14:02`, `14:02:33`, `2:02 pm`, `2pm`, `10:00 a.m.`, `17 Uhr`, each
    /// with an optional zone after it (`lowerCaseZones` writes "~10:25 am
    /// edt" as "~10:25 am EDT" first). Kept this length: a longer pattern
    /// makes Foundation leak its copy of it, which the fuzz build's leak
    /// check stops on.
    /// Words after "Eastern", "Pacific" or "Central" that make it a place's
    /// adjective, not a zone ("Eastern Europe", "Pacific Northwest", "Eastern
    /// region"); see `proseZone`.
    static let placesAfterAZonesName: Set<String> = [
        "europe", "european", "us", "usa", "canada", "asia", "africa", "australia", "northwest", "seaboard", "coast", "region", "regions",
        "datacenter", "datacentre", "datacenters", "dc", "cluster", "clusters", "site", "sites", "network", "office", "customers", "users",
    ]

    /// The zone `clockInProse` found after a clock (group 5), unless it is a
    /// place's adjective ("at 09:00 Eastern Canada customers …").
    /// (The pattern keeps to 256 characters: Foundation on Linux leaks the
    /// copy it makes of a longer one, which the fuzz build's leak check stops on.)
    static func proseZone(_ m: NSTextCheckingResult, in ns: NSString) -> String? {
        let r = m.range(at: 5)
        guard r.location != NSNotFound else { return nil }
        var word = ns.substring(with: r)
        let after = ns.substring(from: r.location + r.length)
        let next = after.split(separator: " ").first?.lowercased().trimmingCharacters(in: .punctuationCharacters) ?? ""
        if ["Eastern", "Pacific"].contains(word), placesAfterAZonesName.contains(next) {
            return nil
        }
        // "(GMT +1)": an offset a space apart ends its parenthesis, the line
        // or the time; "14:05 UTC +3 nodes failed" counts nodes.
        if let space = word.range(of: " +"), !endsATime(after) {
            word = String(word[..<space.lowerBound])
        }
        // A zone that is also a word ("CAT", "GST") is one before the end of
        // the time or a word that carries the sentence on ("08:05 CAT and",
        // "at 2:10am SAST the cronjob"), not before a noun ("09:40 CAT
        // environment deploys", "14:10 GST invoices").
        if wordLikeZones.contains(word.lowercased()), !endsATime(after), !wordsAfterAZone.contains(next) {
            return nil
        }
        return word
    }

    /// Whether what follows a time ends it: nothing, a closing parenthesis
    /// or a separator.
    static func endsATime(_ after: String) -> Bool {
        let rest = after.drop { $0 == " " }
        guard let c = rest.first else { return true }
        return ")]:,;.".contains(c) || (rest.count > 1 && "-–—".contains(c) && rest.dropFirst().first == " ")
    }

    /// Words that carry a sentence on after its time's zone.
    static let wordsAfterAZone: Set<String> = [
        "and", "or", "to", "until", "till", "on", "in", "at", "the", "a", "an", "when", "we", "our", "with", "as", "after", "before", "by",
        "it", "this", "all", "some", "users", "customers", "time",
    ]

    /// Japan, China, Taiwan and Korea time named in their own script after
    /// a clock ("10:50(日本時間、以下同様)"). (Apart from `clockInProse`,
    /// which must stay within 256 characters.)
    static let localZoneAfterClock = try! NSRegularExpression(pattern: #"\d{1,2}:\d{2}\s*[（(]?\s*(日本時間|北京[时時]间|台北時間|한국시간)"#)

    /// A Timeline of bare clocks ("4:23 Incident started", "5:03 fail over
    /// completes") under a summary that writes its first one in the
    /// afternoon ("Between 4:23 PM to 5:03 PM pacific time"): the first is
    /// marked PM, and the reader carries the afternoon on from it as it
    /// does after any "3:10 PM". Not when the section writes AM or PM
    /// itself, or an hour past 12.
    static func firstBareClockSaidInTheAfternoon(_ lines: inout [String], section: TimelineLines) {
        // The clock a line opens with, and what follows it.
        let opening = #/^\s*(?:[-*•+]\s+)?\**(\d{1,2}):(\d{2})\**(\s*[aApP]\.?[mM]\b)?/#
        var first: (line: Int, clock: Substring)?
        var last: Substring?
        for i in section where i < lines.count {
            guard let m = lines[i].firstMatch(of: opening), let hour = Int(m.output.1) else { continue }
            if m.output.3 != nil || hour >= 13 { return }
            let clock = lines[i][m.output.1.startIndex ..< m.output.2.endIndex]
            if first == nil, (1...11).contains(hour) { first = (i, clock) }
            if first != nil { last = clock }
        }
        guard let first, let last else { return }
        // Both ends of it, in the afternoon, on one line outside it: "Between
        // 4:23 PM to 5:03 PM" (one PM time alone may be another day's).
        let afternoon = { (clock: Substring) in try! Regex("(?:^|\\D)" + clock + "\\s?[pP]\\.?[mM]\\b") }
        let (firstPM, lastPM) = (afternoon(first.clock), afternoon(last))
        let saidPM = lines.indices.contains { i in
            !section.contains(i) && lines[i].contains(first.clock) && lines[i].contains(last)
                && lines[i].firstMatch(of: firstPM) != nil && lines[i].firstMatch(of: lastPM) != nil
        }
        guard saidPM, let r = lines[first.line].range(of: first.clock) else { return }
        lines[first.line].replaceSubrange(r, with: first.clock + " PM")
    }

    /// "10:50(日本時間、以下同様)": the zone of this time "and the same
    /// below", said of every time the document writes after it.
    static func zoneSaidForAllBelow(_ lines: [String]) -> (zone: TimeZone, word: String, line: Int)? {
        for (i, line) in lines.enumerated() where line.contains("以下同") {
            let ns = line as NSString
            guard let m = localZoneAfterClock.firstMatch(in: line, range: NSRange(location: 0, length: ns.length)),
                  ns.substring(from: NSMaxRange(m.range)).hasPrefix("、以下同"),
                  case let word = ns.substring(with: m.range(at: 1)), let zone = namedZone(word) else { continue }
            return (zone, word, i + 1)
        }
        return nil
    }

    /// What may follow a clock without a zone to restate it in UTC: "local
    /// time (14:15 UTC)", "Ortszeit (14:15 UTC)", "(i.e. 2:15 PM GMT)".
    /// (A fresh value at each use, not a stored `static let`: a Regex kept
    /// in a static leaks its parse tree, which the fuzz build's leak check
    /// stops on.)
    static var restatedInUTC: Regex<(Substring, Substring)> { #/^\s*(?i:local(?:\s+time)?|Ortszeit|MEZ|MESZ|heure locale|heure de Paris|hora local|ora locale|lokale tijd|czasu lokalnego)?,?\s*[(\[]\s*(?i:i\.\s?e\.,?\s*|=\s*)?(\d{1,2}:\d{2}(?::\d{2})?(?:\s*[aApP]\.?\s?[mM]\.?)?)\s*(?:UTC|GMT|Z)\s*[)\]]/# }

    static let clockInProse = try! NSRegularExpression(
        pattern: #"(?<![\d:.])(?<!(?:UTC|GMT)[+\-−])(?:(\d{1,2}:\d{2}(?::\d{2})?)(\s*[aApP]\.?\s?[mM]\.?(?!\p{L}))?|(\d{1,2})(\s?[aApP]\.?[mM]\.?(?!\p{L})|\s?Uhr\b))(?:\s*\(?([A-Z]{1,5}(?:(?:[+-]| \+)\d{1,2}(?::?\d{2})?)?|Eastern(?!\s+(?:Europe|Australia))|Pacific)\b\)?)?"#)

    /// The sentences of a line of prose, each with the time it states (the
    /// first one, with the date the sentence names, if any), or nil.
    /// `storyDay`: the day the story is on so far, when the caller reads a
    /// story; then a paragraph's earlier sentence may date a later one's
    /// time (`dayOfEarlierSentences`).
    static func sentenceEntries(_ line: String, order: SlashOrder?, storyDay: Day? = nil) -> [(time: String?, text: String)] {
        let all = sentences(line)
        return all.indices.map { index in
            let sentence = all[index]
            let ns = sentence as NSString
            guard !isPageEditStamp(sentence), !isMachineOutput(sentence), let match = clockInProse.firstMatch(in: sentence, range: NSRange(location: 0, length: ns.length)) else {
                return (nil, sentence)
            }
            func group(_ k: Int) -> String {
                let r = match.range(at: k)
                return r.location == NSNotFound ? "" : ns.substring(with: r)
            }
            // "（0001/01/01 00:00:00）": the time of a date no incident has
            // (a programming language's smallest), quoted; not a moment.
            if let y = ns.substring(to: match.range.location).firstMatch(of: #/(?:^|[^\d])(\d{4})[\/.\-]\d{1,2}[\/.\-]\d{1,2}[\sT]*$/#),
               let year = Int(y.output.1), year < Day.earliestYear {
                return (nil, sentence)
            }
            // "gegen 17 Uhr": the German hour, on the hour.
            let hourOnly = group(4).hasSuffix("Uhr") ? group(3) + ":00" : group(3) + group(4)
            var time = group(1).isEmpty ? hourOnly : group(1) + group(2)
            // "repaired by 3:30 this afternoon": the half of the day in words.
            if !group(1).isEmpty, group(2).isEmpty, let hour = Int(group(1).prefix { $0 != ":" }), (1...12).contains(hour),
               let half = ns.substring(from: match.range.location + match.range.length)
                   .prefixMatch(of: #/\s+(?i:(?:this|in\s+the)\s+(morning|afternoon|evening)|(tonight))\b/#) {
                // ("12:30 tonight" is half past midnight; "12:30 this afternoon", noon's.)
                let night = half.output.2 != nil || half.output.1?.lowercased() == "evening"
                time += half.output.1?.lowercased() == "morning" || (hour == 12 && night) ? " AM" : " PM"
            }
            let zoneWord = proseZone(match, in: ns) ?? ""
            if !zoneWord.isEmpty, zoneInText(zoneWord) != nil { time += " " + zoneWord }
            // "at around 16:15 local time (14:15 UTC)": a clock without a
            // zone that the sentence restates in UTC is that UTC moment.
            // (Written as the local clock and its offset, so that a
            // restatement past midnight, "9:30 PM local time (04:30 UTC)",
            // falls on the next day.)
            if zoneWord.isEmpty, let utc = ns.substring(from: match.range.location + match.range.length).prefixMatch(of: restatedInUTC),
               let local = (try? stamp(time))?.time, let restated = (try? stamp(String(utc.output.1)))?.time {
                var offset = (local.hour * 60 + local.minute) - (restated.hour * 60 + restated.minute)
                if offset > 14 * 60 { offset -= 1440 } else if offset < -12 * 60 { offset += 1440 }
                let minutes = abs(offset)
                time = String(format: "%02d:%02d:%02d ", local.hour, local.minute, local.second) + (offset < 0 ? "-" : "+") + String(format: "%02d%02d", minutes / 60, minutes % 60)
            }
            // ":start: 2019-12-07 08:00 +0200": the offset `date -R` and Git
            // write, at the end of the line or before punctuation ("+2500
            // customers" is a number; no zone is over 14 hours off).
            if zoneWord.isEmpty, let offset = ns.substring(from: match.range.location + match.range.length)
                .prefixMatch(of: #/\s+([+\-−](?:0\d|1[0-4])[0-5]\d|\+(?:0\d|1[0-4]):[0-5]\d)(?=\s*(?:$|[)\],;|]))/#) {
                time += " " + offset.output.1.replacingOccurrences(of: "−", with: "-")
            }
            guard let s = try? stamp(time, order: order), s.time != nil else { return (nil, sentence) }
            // The day is looked for in the time's own sentence: sentences
            // joined by two spaces stay one entry, but "… on July 20th, 2021.
            // We triggered it at 1:45 PM on July 21st" happened on the 21st.
            var before = ns.substring(to: match.range.location)
            let ends = sentenceEndBySpaces.matches(in: before, range: NSRange(location: 0, length: (before as NSString).length))
            if let end = ends.last {
                before = (before as NSString).substring(from: end.range.location + end.range.length)
            }
            if let dated = dated(time, before: before, order: order) {
                time = dated
            } else if let day = dayAfterClock(ns.substring(from: match.range.location + match.range.length), order: order) {
                time = day + " " + time
            } else if let storyDay, namedWeekday(sentence) == nil, let day = dayOfEarlierSentences(all[..<index], near: storyDay, order: order) {
                time = day.iso + " " + time
            }
            return (time, sentence)
        }
    }

    /// "Between Tuesday night and Wednesday morning, 13/05/2020 Eurofiber
    /// had a planned maintenance. … But at 5h30 an engineer …", "Efter ett
    /// servicefönster söndag 27 augusti uppstod problem … återställt kl.
    /// 19:20": the day the paragraph's earlier sentences (without a time of
    /// their own) set the story on, named with its weekday or its year, and
    /// within three days of the day the story is on (`near`). (A bare "March
    /// 3" may be a release's day; "We shipped it on Monday, March 4, 2024"
    /// over an outage of March 12 is another day's.)
    static func dayOfEarlierSentences(_ earlier: ArraySlice<String>, near: Day, order: SlashOrder?) -> Day? {
        func close(_ day: Day) -> Day? {
            let gap = CivilDate.daysSinceEpoch(year: day.year, month: day.month, day: day.day) - CivilDate.daysSinceEpoch(year: near.year, month: near.month, day: near.day)
            return day.isValid && abs(gap) <= 3 ? day : nil
        }
        for sentence in earlier.reversed() {
            let ns = sentence as NSString
            guard clockInProse.firstMatch(in: sentence, range: NSRange(location: 0, length: ns.length)) == nil else { return nil }
            let toks = tokens(sentence, strict: false)
            if let day = day(in: toks, fallbackYear: nil, order: order) { return close(day) }
            for (k, token) in toks.enumerated() {
                guard case .word(let w) = token, isWeekday(w), w.count > 3,
                      let day = day(in: Array(toks[(k + 1)...].prefix(4)), fallbackYear: near.year, order: order) else { continue }
                return close(day)
            }
        }
        return nil
    }

    /// "Last updated: 2022-01-19 08:30:00 CET", "Published: …": when the
    /// page was edited, wherever it stands; never a moment of the incident.
    /// (A label, not a word before a clock's colon: "Status page updated
    /// at 14:05" is a moment.)
    /// (Only a label that is nothing but the page's date: "Incident created:
    /// 14:05" and "Code review: 14:35" are moments, though
    /// `isDocumentDateLabel` would take their words as a document's.)
    /// So is a forum's or a CMS's "Edited by James Ross on 2002-06-15
    /// 12:29:51". ("Posted by Jane at 19:38 UTC: …" may be a status
    /// page's update.)
    static func isPageEditStamp(_ sentence: String) -> Bool {
        sentence.prefixMatch(of: #/[*_\s]*(?i:(?:last\s+)?(?:updated|published|edited|modified)|last\s+update)(?:\s+(?i:on|at))?[*_\s]*:\s/#) != nil
            || sentence.prefixMatch(of: #/[*_\s]*(?i:(?:last\s+)?edited)\s+by\s+[^,;:]{1,60}?\s+(?i:on|at)\s/#) != nil
            || sentence.prefixMatch(of: newsByline) != nil
    }

    /// A news page's byline, its writer's name first or not: "Thibaut
    /// Parat Publié le 01/12/2022 à 07:00, mis à jour le …", "Veröffentlicht
    /// am 16.06.2020 um 09:39". (Not "mis à jour" or "updated" alone: a
    /// status page heads its updates so.)
    /// (Computed at each use: see `restatedInUTC`.)
    static var newsByline: Regex<Substring> { #/[*_\s]*(?:\p{Lu}[\p{L}'’.\-]*\s+){0,3}(?:(?i:publié|publiée)\s+le|(?i:veröffentlicht)\s+am|(?i:publicado|publicada)\s+(?:el|em)|(?i:pubblicato|pubblicata)\s+il|(?i:gepubliceerd)\s+op|(?i:opublikowano)|(?i:published)\s+on)[\s:]+(?=\d)/# }

    /// The day of a news story dated only by its byline and the weekday it
    /// names ("… est tombé en panne ce mardi" under "Publié le 01/12/2022 à
    /// 07:00"): the latest such weekday up to the byline's day, within the
    /// week before it, with the line of the byline. Nil without a byline,
    /// without a weekday named in the story, or with two different ones.
    static func bylineWeekday(_ lines: [String], order: SlashOrder?) -> (day: Day, line: Int)? {
        var published: (day: Day, line: Int)?
        var named = Set<Int>()
        var code = CodeFences()
        for (i, line) in lines.enumerated() where !code.holds(line.trimmed) {
            if published == nil, let m = line.prefixMatch(of: newsByline),
               let day = day(in: tokens(String(line[m.range.upperBound...].prefix(30)), strict: false), fallbackYear: nil, order: order), day.isValid {
                published = (day, i + 1)
                continue
            }
            // ("A major maintenance will occur in the night of this Friday":
            // a plan's weekday is ahead of the byline, not the story's.)
            // ("Earlier today at 09:00 …": the byline's own day.)
            if line.firstMatch(of: #/\b(?i:today|aujourd['’]hui|heute|hoy|oggi|vandaag|hoje|idag|dzisiaj)\b/#) != nil { return nil }
            for sentence in sentences(line) where sentence.firstMatch(of: #/\b(?i:will|shall|going to|sera|seront|va|vont|wird|werden|será|serán|sarà|saranno|zal|zullen)\b/#) == nil {
                // Only a day phrase: "ce mardi", "on Tuesday", "am Dienstag",
                // "Tuesday morning"; not "our Monday release", "Patch Tuesday".
                let toks = tokens(sentence, strict: false)
                for (k, token) in toks.enumerated() {
                    guard case .word(let w) = token, w.count > 3, let index = weekdayIndex(w) else { continue }
                    let before: String = k > 0 ? { if case .word(let b) = toks[k - 1] { return b }; return "" }() : ""
                    let after: String = k + 1 < toks.count ? { if case .word(let a) = toks[k + 1] { return a }; return "" }() : ""
                    if ["ce", "cet", "on", "this", "last", "am", "este", "el", "questo", "lo", "op", "deze", "afgelopen", "dieser", "diesen", "neste", "no", "i", "w"].contains(before)
                        || ["morning", "afternoon", "evening", "night", "matin", "soir", "après-midi", "morgen", "abend", "nachmittag", "mañana", "tarde", "noche", "mattina", "sera", "pomeriggio"].contains(after)
                        || ["dernier", "passé"].contains(after) {
                        named.insert(index)
                    }
                }
            }
        }
        guard let published, named.count == 1, let weekday = named.first else { return nil }
        var day = published.day
        for _ in 0 ..< 7 {
            if day.weekday == weekday { return (day, published.line) }
            day = day.previous
        }
        return nil
    }

    /// A line of `ls -l` ("-rw-r--r-- 1 jenkins jenkins 4200 May 29 22:37
    /// plugins/jacoco.jpi"), of syslog, or a structured log record (`{"timestamp":
    /// "2025-09-29T16:54:16Z","level":"ERROR",…}`): a program's output,
    /// pasted from a terminal whose code block a copied page no longer
    /// marks; never an entry.
    static func isMachineOutput(_ line: String) -> Bool {
        line.prefixMatch(of: #/[-dlcbps][r-][w-][xsS-][r-][w-][xsS-][r-][w-][xtT-][@+.]?\s/#) != nil
            || line.prefixMatch(of: #/\s*\{\s*"[^"]{1,40}"\s*:/#) != nil
            // Syslog: "Dec 13 18:59:01 fritz bundle[588687]: …".
            || line.prefixMatch(of: #/[A-Z][a-z]{2}\s+\d{1,2}\s+\d{2}:\d{2}:\d{2}\s+[\w.\-]+\s+[\w.\-\/]+(?:\[\d+\])?:\s/#) != nil
    }

    /// "… at 1:45 PM PST on July 21st", "4:45 AM EST, 8/12/2022": a day
    /// that follows its time. Only "on" and the date, or a comma and a whole
    /// numeric date, right after the time count; a date later in the
    /// sentence may be another day ("… until the fix on the 23rd").
    static func dayAfterClock(_ rest: String, order: SlashOrder?) -> String? {
        // Only the words right after the time; the pattern never reads far.
        let ns = String(rest.prefix(80)) as NSString
        guard let m = dayAfterClockPattern.firstMatch(in: ns as String, range: NSRange(location: 0, length: ns.length)) else {
            // "Incident reported: 4:45 AM EST, 8/12/2022": a whole numeric
            // date right after the time and a comma. ("Update: 23:30
            // 2018-10-12": an ISO date needs none.)
            guard let numeric = rest.prefix(20).prefixMatch(of: #/\s*,\s*(\d{1,2}[\/.]\d{1,2}[\/.](?:\d{4}|\d{2})|\d{4}-\d{2}-\d{2})(?![\d\/.]\d)|\s+(\d{4}-\d{2}-\d{2})(?![\d\/.:]\d)/#) else { return nil }
            if let iso = numeric.output.2 { return dayText(String(iso), order: order) }
            return numeric.output.1.flatMap { dayText(String($0), order: order) }
        }
        return dayText(ns.substring(with: m.range(at: 1)), order: order)
    }

    /// The time with the day the words before it name, or nil when they
    /// name none. "UPDATE 12 May 16:04 UTC", "On August 27th, starting at
    /// about 18:00": a day without its year gets the document's year later.
    static func dated(_ time: String, before: String, order: SlashOrder?) -> String? {
        let words = tokens(before, strict: false)
        if let day = day(in: words, fallbackYear: nil, order: order) { return day.iso + " " + time }
        // "9月9日 12:00に": a month and day marked as such, right before the time.
        if case .monthDay(let m, let d)? = words.last { return "\(monthNames[m - 1]) \(d) " + time }
        // Without its year, only a day right before the time counts ("the
        // March 3 deploy at 16:04" names another day).
        let tail = String(before.suffix(80)) as NSString
        if let m = yearlessDayBeforeClock.firstMatch(in: tail as String, range: NSRange(location: 0, length: tail.length)),
           let day = dayText(tail.substring(with: m.range(at: 1)), order: order) {
            return day + " " + time
        }
        // "… happened on the 1st of February, this time with several rounds
        // of … between 19:22 and 20:14": what happened or began on a day,
        // earlier in the time's own sentence, happened that day. (What was
        // released or merged on a day may fail days later.)
        let ns = before as NSString
        if let on = dayItHappenedOn.matches(in: before, range: NSRange(location: 0, length: ns.length)).last,
           let day = dayText(ns.substring(with: on.range(at: 1)), order: order) {
            return day + " " + time
        }
        return nil
    }

    /// The day a few words name, as the stamp reads it: with its year
    /// (`2021-07-21`), or "July 21" for the document's year to complete.
    static func dayText(_ text: String, order: SlashOrder?) -> String? {
        let words = tokens(text, strict: false)
        if let day = day(in: words, fallbackYear: nil, order: order) { return day.iso }
        if let day = day(in: words, fallbackYear: 2000, order: order) { return "\(monthNames[day.month - 1]) \(day.day)" }
        return nil
    }

    /// A day and month (either order), then at most a few words that lead
    /// to a time ("starting at about", "on the 1st of February, between"),
    /// then the end of the text.
    static let yearlessDayBeforeClock = try! NSRegularExpression(
        pattern: #"(?<![\p{L}\d])"# + yearlessDay + #",?(?:\s*+(?:starting|beginning|from|between|at|around|about|approximately|approx\.|by|on|@|-|–))*+\s*+$"#,
        options: [.caseInsensitive])

    /// "March 3", "Mar. 3rd", "3 March", "the 1st of February" without a
    /// year, as one group. (`openingDay` spells it out in a Swift pattern.)
    static let yearlessDay = #"(\p{L}{3,}\.?\s+\d{1,2}(?:st|nd|rd|th)?|\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?\p{L}{3,}\.?)"#

    static let dayItHappenedOn = try! NSRegularExpression(
        pattern: #"(?:^|[^\p{L}])(?:happened|occurred|recurred|struck|began|started)(?:\s+again)?\s+on\s+(?:the\s+)?"# + yearlessDay + #"(?![\p{L}\d])"#,
        options: [.caseInsensitive])

    /// The day a paragraph opens with ("On 15 April 2026, …", "Also on
    /// November 5th ’24 we …"), as `dated` writes it, or nil.
    static func openingDay(_ paragraph: String, order: SlashOrder?) -> String? {
        // A Swift pattern, not an NSRegularExpression kept in a static: no
        // lazily made Foundation object (the fuzz build's leak check flags one).
        let opening = String(paragraph.prefix(60))
        guard let m = opening.firstMatch(of: #/(?i)^[*_]*(?:(?:also|then|later|and)\s+)?on\s+(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?(?:the\s+)?[*_]*(\d{4}-\d{2}-\d{2}|\p{L}{3,}\.?\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+(?:\d{4}|[\u{2019}'\u{2018}]\d{2}))?|\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?\p{L}{3,}\.?(?:,?\s+(?:\d{4}|[\u{2019}'\u{2018}]\d{2}))?)(?![\p{L}\d])/#) else { return nil }
        return dayText(String(m.output.1), order: order)
    }

    /// A weekday a sentence names ("On Wednesday night at around 22:30",
    /// "at 22:00 UTC last Thursday", "On Monday the 22nd"), as the story
    /// tells days when it gives no dates. `past` is "last …"; `ordinal`
    /// the day of the month written after it. Nil for a habit or a span
    /// ("on Mondays", "every Monday", "Monday to Friday") and for a
    /// deadline ("by Monday", "until Friday").
    struct NamedWeekday: Equatable {
        /// 0 is Sunday.
        var weekday: Int
        var past: Bool
        var ordinal: Int?
        var words: String
    }

    /// The first weekday the text names; with `opening`, only one the text
    /// opens with ("On Thursday, …", "Meanwhile, on Tuesday afternoon, …",
    /// "### Wednesday"), which dates what follows it.
    static func namedWeekday(_ text: String, opening: Bool = false) -> NamedWeekday? {
        // Swift patterns, not NSRegularExpressions kept in statics (see openingDay).
        let written = opening ? String(text.prefix(60)) : text
        let pattern: Regex<(Substring, Substring?, Substring, Substring?, Substring?)> = opening
            ? #/^[#*_\s]*(?:(?i:meanwhile|then|later|and|but|also|so|finally),?\s+)?(?:(?i:early|late)\s+)?(?:((?i:on|last|that|this))\s+)?(Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day(?![\p{L}\d])(?:,?\s+(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)(?![\p{L}\d]))?(\s*(?:-|–|—|(?i:to|through|thru|and))\s+(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day)?/#
            : #/(?:^|[^\p{L}\d])(?:((?i:every|each|on|last|by|until|till|before|since|this|that))\s+)?(Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day(?![\p{L}\d])(?:,?\s+(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)(?![\p{L}\d]))?(\s*(?:-|–|—|(?i:to|through|thru|and))\s+(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day)?/#
        // "* Mercredi", "### Donnerstag": a weekday in another language, alone
        // on its line (after an article at most), heads the day's entries.
        if opening, let alone = written.wholeMatch(of: #/[#*_\s]*(?:(?i:le|am|el|op|il)\s+)?(\p{L}{5,11})[*_:\s]*/#),
           let weekday = otherLanguagesWeekdays[alone.output.1.lowercased()] {
            return NamedWeekday(weekday: weekday, past: false, ordinal: nil, words: String(alone.output.1))
        }
        guard let m = written.firstMatch(of: pattern) else { return nil }
        // "On Tuesday 25 June", "Friday, March 3": the date says the day, not the weekday.
        if written[m.range.upperBound...].prefixMatch(of: #/,?\s+(?:the\s+)?(?:\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)|(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\p{L}*\.?\s+\d{1,2}(?![\d:])|\d{4}-\d{2}|\d{1,2}[.\/]\d{1,2})/#) != nil { return nil }
        let found = (words: m.output.0, lead: m.output.1, name: m.output.2, ordinal: m.output.3, span: m.output.4)
        guard found.span == nil,
              let weekday = weekdayIndex(found.name.lowercased() + "day") else { return nil }
        let lead = found.lead?.lowercased() ?? ""
        guard !["every", "each", "by", "until", "till", "before", "since"].contains(lead) else { return nil }
        let after = written[m.range.upperBound...]
        // "Friday's config push" names a thing of that day, not the story's day.
        if after.hasPrefix("'s") || after.hasPrefix("\u{2019}s") { return nil }
        // Inside a sentence only "on/last/this/that Friday", "Friday night" or a
        // sentence that opens with it: "to Friday", "Patch Tuesday" and
        // "Black Friday" name no day of the story.
        if !opening, lead.isEmpty, found.ordinal == nil,
           after.prefixMatch(of: #/\s+(?i:night|morning|afternoon|evening|midday|noon)\b/#) == nil,
           !written[..<m.range.lowerBound].allSatisfy({ $0 == " " || $0 == "*" || $0 == "_" }) { return nil }
        return NamedWeekday(weekday: weekday, past: lead == "last", ordinal: found.ordinal.flatMap { Int($0) }, words: found.words.trimmingCharacters(in: CharacterSet.letters.union(.decimalDigits).inverted))
    }

    /// The day a named weekday is, counted from the story's day forward
    /// within the week ("On Wednesday night" after Monday the 15th is the
    /// 17th). Before the story has a day, "last Wednesday" counts back from
    /// the day the page gives (a post of Monday the 24th: the 19th); any
    /// other weekday counts forward from it. Nil without a day to count from.
    static func day(of named: NamedWeekday, from context: DateContext) -> (day: Day, from: Day)? {
        let storyDay = context.day ?? context.fallback
        guard let reference = storyDay ?? context.mentioned?.day else { return nil }
        if let ordinal = named.ordinal {
            // "Monday the 22nd": the 22nd of this month, or of the next one.
            var day = Day(year: reference.year, month: reference.month, day: ordinal)
            if ordinal < reference.day { day = reference.month == 12 ? Day(year: reference.year + 1, month: 1, day: ordinal) : Day(year: reference.year, month: reference.month + 1, day: ordinal) }
            return day.isValid ? (day, reference) : nil
        }
        let epoch = CivilDate.daysSinceEpoch(year: reference.year, month: reference.month, day: reference.day)
        let weekday = reference.weekday
        let offset: Int
        if storyDay == nil, named.past {
            let back = (weekday - named.weekday + 7) % 7
            offset = -(back == 0 ? 7 : back)
        } else {
            offset = (named.weekday - weekday + 7) % 7
        }
        let d = CivilDate.date(daysSinceEpoch: epoch + offset)
        return (Day(year: d.year, month: d.month, day: d.day), reference)
    }

    /// A sentence ended by two spaces, as typists end them.
    static let sentenceEndBySpaces = try! NSRegularExpression(pattern: #"[.!?]\s{2,}(?=\S)"#)

    static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]

    static let dayAfterClockPattern = try! NSRegularExpression(
        pattern: #"^\s*,?\s*(?:on\s+)?(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?(?:the\s+)?("# + yearlessDay + #"(?:,?\s+\d{4})?)(?![\p{L}\d])"#,
        options: [.caseInsensitive])

    /// The last sentence of a line when the line ends before it does (no
    /// full stop, colon or closing tag): the start of a sentence wrapped onto
    /// the next line.
    /// Whether a line stops on a word that wants a time after it ("…
    /// between", "… at", "… until"): the next line, if it opens with a time,
    /// finishes this sentence rather than starting an entry.
    static func endsBeforeItsTime(_ line: String) -> Bool {
        guard let last = line.trimmed.split(separator: " ").last?.lowercased() else { return false }
        // (Not "since", "by", "to", "and" or "around": an entry may end on them.)
        // ("rond", "tussen": the same in Dutch; "gegen", "zwischen" in German.
        // Not "om" or "um", which also end a sentence: "zetten de DNS om".)
        return ["between", "at", "from", "until", "till", "rond", "omstreeks", "tussen", "gegen", "zwischen", "vers", "entre"].contains(last)
    }

    /// A paragraph's line that carries on the sentence of the line above
    /// ("… While scaling continued," / "before 12:15 we started adding …"):
    /// the times it states belong to the entry that sentence is in. A line
    /// that opens a sentence ("Fix deployed at 11:40") may be an entry of
    /// its own.
    static func wrappedMidSentence(_ above: String, _ line: String) -> Bool {
        // Only below a line as long as a wrapped paragraph's: terse notes
        // ("paged on-call at 14:05") are each a line of their own.
        guard above.trimmed.count >= 60, let end = above.trimmed.last, end.isLetter || end == ",",
              let first = line.split(separator: " ").first, first.first?.isLowercase == true, !first.contains(where: \.isUppercase) else { return false }
        return true
    }

    /// A line of the paragraph that names an hour before the entry's own,
    /// with no day ("09.17 To recap - …" / "Then from approximately 1:30am
    /// we start seeing errors"): it looks back, in that entry; it is not
    /// the next night. (One that names its weekday, "At approximately
    /// 3:00am Sunday morning", goes on to that day.)
    static func recallsAnEarlierHour(_ line: String, after entryTime: String) -> Bool {
        guard !opensWithATime(line, order: nil), let said = sentenceEntries(line, order: nil).lazy.compactMap(\.time).first,
              let s = try? stamp(said, order: nil), s.month == nil, let clock = s.time, namedWeekday(line) == nil,
              let open = (try? stamp(entryTime, order: nil))?.time else { return false }
        return clock.hour * 60 + clock.minute < open.hour * 60 + open.minute - 60
    }

    static func unfinishedSentence(_ line: String) -> String? {
        guard let last = sentences(line).last, last.count <= 200, let end = last.last, !".!?:;>|".contains(end) else { return nil }
        return last
    }

    /// Splits prose at `.`, `!` or `?` followed by a space and a capital or
    /// digit ("… at 10:00 a.m. The team …" splits after "a.m.").
    static func sentences(_ line: String) -> [String] {
        var out: [String] = []
        var current = ""
        let chars = Array(line)
        for (k, c) in chars.enumerated() {
            current.append(c)
            guard ".!?".contains(c), k + 2 < chars.count, chars[k + 1] == " " else { continue }
            let next = chars[k + 2]
            if next.isUppercase || next.isNumber || next == "\"" || next == "“" {
                out.append(current.trimmed)
                current = ""
            }
        }
        if !current.trimmed.isEmpty { out.append(current.trimmed) }
        return out
    }

    /// Drops a second time at the start of an entry's text when it is the
    /// same moment in another zone: `14:02 UTC (07:02 PDT): Paged` keeps
    /// "Paged". A different moment stays in the text.
    static func dropSameMoment(_ text: String, as moment: Date) -> String {
        let ns = text as NSString
        guard let match = sameMomentPrefix.firstMatch(in: text, range: NSRange(location: 0, length: ns.length)),
              let s = try? stamp(ns.substring(with: match.range(at: 1))), let time = s.time, let zone = s.zone else { return text }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.hour, .minute], from: moment)
        guard c.hour == time.hour, c.minute == time.minute else { return text }
        let rest = ns.substring(from: match.range.location + match.range.length).trimmed
        return rest.isEmpty ? text : rest
    }

    static let sameMomentPrefix = try! NSRegularExpression(
        pattern: #"^\s*[(\[/|]?\s*(\d{1,2}:\d{2}(?::\d{2})?(?:\s*[-–—]\s*\d{1,2}:\d{2}(?::\d{2})?)?\s*(?:[aApP]\.?\s?[mM]\.?)?\s*[A-Za-z]{1,5}(?:[+-]\d{1,2}(?::?\d{2})?)?)\s*[)\]]?[*_]*\s*[:\-–—,]?\s*"#)

    // MARK: - What the document says about its dates

    /// Blanks YAML front matter (`---` on the first line to the next `---`
    /// or `...`) and returns the day in its `date:` field, if any, as the
    /// weakest hint for dateless times (it is often the day of publishing).
    /// `moment`: the date field's instant, when it names its time and zone
    /// (`date: 2025-11-17T22:30:00.000Z`), so that its day can be taken in
    /// the zone the document's times are in (the 18th in Sydney).
    static func frontMatterDay(_ lines: inout [String]) -> (day: Day, line: Int, offset: (zone: TimeZone, word: String, line: Int)?, moment: Date?)? {
        if let posted = mailArchiveHeader(&lines) { return (posted.day, posted.line, nil, nil) }
        // `---` is YAML (Jekyll, Hugo, Docusaurus); `+++` is TOML (Hugo, Zola).
        guard let close = frontMatterEnd(lines) else { return nil }
        var dated: (day: Day, line: Int)?
        var titled: (day: Day, line: Int)?
        var offset: (zone: TimeZone, word: String, line: Int)?
        var moment: Date?
        var title = ""
        for i in 0 ... close {
            let t = lines[i].trimmed
            let lower = t.lowercased()
            if lower.hasPrefix("title:") || lower.hasPrefix("title =") { title = lower }
            // Publication dates by their names in Jekyll, Hugo, Astro and others.
            // (`publishedAt`, `published_at`: Next.js and Astro blogs' own names.)
            for (key, found) in [("date", dated == nil), ("pubdate", dated == nil), ("publishdate", dated == nil), ("published", dated == nil),
                                 ("publishedat", dated == nil), ("published_at", dated == nil), ("title", titled == nil)] where found && lower.hasPrefix(key) {
                let value = t.dropFirst(key.count).drop { $0 == " " || $0 == ":" || $0 == "=" }
                guard value.count < t.count - key.count, let day = day(in: tokens(String(value), strict: false), fallbackYear: nil, order: nil) else { continue }
                if key == "title" {
                    titled = (day, i + 1)
                } else {
                    dated = (day, i + 1)
                    offset = clockOffset(String(value)).map { ($0.zone, $0.word, i + 1) }
                    if let s = try? stamp(yamlScalar(value)), let time = s.time, let zone = s.zone { moment = compose(day, time, zone) }
                }
            }
            lines[i] = ""
        }
        // A title names the incident's day; the date field is often the day it was published.
        if let titled { return (titled.day, titled.line, offset, nil) }
        // "Yesterday esm.sh deployed breaking changes…", "Post-mortem from
        // last night's outage" in a post dated the day after: the day before
        // its date (the title and the first paragraphs only).
        if var published = dated {
            let opening = title + " " + lines[(close + 1)...].prefix(40).filter { !$0.trimmed.isEmpty }.prefix(6).joined(separator: " ").lowercased()
            let words = opening.split(whereSeparator: { !$0.isLetter })
            if words.contains(where: { ["yesterday", "gestern", "ayer", "ontem", "ieri"].contains($0) }) || opening.contains(#/(?:^|[^a-z])last night(?:[^a-z]|$)/#) {
                published.day = published.day.previous
                moment = nil
            }
            return (published.day, published.line, offset, moment)
        }
        return nil
    }

    /// A status page kept as YAML front matter alone (a Jekyll status
    /// theme's `incident_states:`, a list of updates each with its `date:`,
    /// its `status:` and its `content:`): each update is written into the
    /// blanked front matter, on its own first line, as the list item a
    /// person would write ("- 2022-02-02 22:08 GMT+1 — investigating: Outage
    /// on …"). Only a list named for updates whose items each have a status,
    /// and only when the page's text below states no time: there, the text
    /// is the timeline. (A `revisions:` or `maintenance:` list is not one.)
    /// cState's incident file: its description, the text before the first
    /// update that carries a `{{< track "…" >}}`, was written when the
    /// incident was opened (the front matter's `date:`), and a resolved
    /// incident's last paragraph, after its last tracked update and
    /// without a track of its own ("**Resolu** Les deux serveurs …"), when
    /// it was resolved (`resolved_on:`). Each is given that time, as a
    /// tracked update's is (`statusPageTracks`). Only in a file that tracks
    /// at least one update.
    static func cStateOpeningAndResolution(_ raw: [String], closingAt close: Int, into lines: inout [String]) {
        guard raw[0].trimmed == "---" else { return }
        func field(_ key: String) -> String? {
            for line in raw[1 ..< close] {
                guard let m = line.wholeMatch(of: #/([A-Za-z_]{2,20}):\s*(\S.*)/#), m.output.1.lowercased() == key else { continue }
                let value = yamlScalar(m.output.2)
                return (try? stamp(value))?.time != nil && (try? stamp(value))?.month != nil ? value : nil
            }
            return nil
        }
        // The body's paragraphs, as the ranges of their lines.
        var paragraphs: [Range<Int>] = []
        var start: Int?
        for i in (close + 1) ..< lines.count {
            if lines[i].trimmed.isEmpty {
                if let s = start { paragraphs.append(s ..< i) }
                start = nil
            } else if start == nil {
                start = i
            }
        }
        if let s = start { paragraphs.append(s ..< lines.count) }
        let tracked = paragraphs.filter { p in p.contains { lines[$0].contains("{{") && lines[$0].range(of: "track", options: .caseInsensitive) != nil } }
        guard let firstTracked = tracked.first, let lastTracked = tracked.last else { return }
        func untracked(_ p: Range<Int>) -> Bool {
            let t = lines[p.lowerBound].trimmed
            return !p.contains { lines[$0].contains("{{") } && !"#|<{".contains(t.first ?? "#") && splitLeadingTime(t) == nil
        }
        if let opened = field("date"), let description = paragraphs.first, description.lowerBound < firstTracked.lowerBound, untracked(description) {
            lines[description.lowerBound] = opened + " — " + lines[description.lowerBound].trimmed
        }
        // (Only an update, led by its bold label, "**Resolu** …": not an
        // editor's note below the last one.)
        if let resolved = field("resolved_on"), let last = paragraphs.last, last.lowerBound > lastTracked.lowerBound, untracked(last),
           lines[last.lowerBound].trimmed.hasPrefix("**"),
           raw[1 ..< close].contains(where: { $0.lowercased().firstMatch(of: #/^status:\s*["']?resolved\b/#) != nil }) {
            lines[last.lowerBound] = resolved + " — " + lines[last.lowerBound].trimmed
        }
    }

    static func frontMatterUpdates(_ raw: [String], closingAt close: Int, into lines: inout [String]) {
        guard raw[0].trimmed == "---",
              !raw[(close + 1)...].contains(where: { clockInProse.firstMatch(in: $0, range: NSRange(location: 0, length: ($0 as NSString).length)) != nil })
        else { return }
        let listNames: Set<String> = ["incident_states", "incident_updates", "updates", "states", "status_updates"]
        var items: [(line: Int, fields: [String: String])] = []
        var inList = false
        // The field a block scalar (`content: >-`, `content: |`) fills from the lines below.
        var block: String?
        for i in 1 ..< close {
            let line = raw[i]
            if let m = line.wholeMatch(of: #/([A-Za-z_]{2,30}):\s*/#) {
                // A key of the front matter: the list of updates starts or ends.
                inList = listNames.contains(m.output.1.lowercased())
                block = nil
                continue
            }
            guard inList else { continue }
            var field: (key: String, value: Substring)?
            if let m = line.wholeMatch(of: #/\s*-\s+([A-Za-z_]{2,20}):\s*(.*)/#) {
                items.append((i, [:]))
                field = (m.output.1.lowercased(), m.output.2)
            } else if let m = line.wholeMatch(of: #/\s+([A-Za-z_]{2,20}):\s*(.*)/#), !items.isEmpty {
                field = (m.output.1.lowercased(), m.output.2)
            } else if let key = block, !items.isEmpty, line.first == " " {
                let more = line.trimmed
                let was = items[items.count - 1].fields[key] ?? ""
                items[items.count - 1].fields[key] = was.isEmpty ? more : was + " " + more
                continue
            } else if line.first?.isLetter == true {
                inList = false
                continue
            }
            guard let field else { continue }
            if ["|", "|-", ">", ">-", "|+", ">+"].contains(String(field.value).trimmed) {
                block = field.key
                items[items.count - 1].fields[field.key] = ""
            } else {
                block = nil
                items[items.count - 1].fields[field.key] = yamlScalar(field.value)
            }
        }
        let updates = items.compactMap { item -> (line: Int, text: String)? in
            guard let when = item.fields["date"] ?? item.fields["time"] ?? item.fields["datetime"] ?? item.fields["timestamp"],
                  clockInProse.firstMatch(in: when, range: NSRange(location: 0, length: (when as NSString).length)) != nil,
                  let label = item.fields["status"] ?? item.fields["state"],
                  let said = item.fields["content"] ?? item.fields["text"] ?? item.fields["message"] ?? item.fields["body"] ?? item.fields["description"]
            else { return nil }
            return (item.line, "- \(when) — \(label): \(said)")
        }
        guard updates.count >= 2, updates.count == items.count else { return }
        for update in updates { lines[update.line] = update.text }
    }

    /// A front matter field's value as written, without the quotes YAML
    /// allows around it (`date: "2022-02-02 22:08"`).
    static func yamlScalar(_ s: Substring) -> String {
        let v = String(s).trimmed
        if v.count >= 2, let q = v.first, "\"'".contains(q), v.last == q { return String(v.dropFirst().dropLast()) }
        return v
    }

    /// A mailing-list archive's header (Mailman's pipermail): the post's
    /// `date(1)` stamp ("Sat Apr 16 09:09:20 UTC 2016") beside its sender
    /// ("Karanbir Singh <kbsingh at centos.org>"), near the top. It is when
    /// the report was sent, not a moment of the incident: both lines are
    /// blanked and the day is kept as the weakest hint, as a front matter's.
    static func mailArchiveHeader(_ lines: inout [String]) -> (day: Day, line: Int)? {
        let top = lines.indices.prefix(12)
        for i in top {
            let t = lines[i].trimmed
            guard t.count <= 40, t.wholeMatch(of: #/(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\s+[A-Z][a-z]{2}\s+\d{1,2}\s+\d{2}:\d{2}:\d{2}\s+(?:[A-Z]{2,5}\s+)?\d{4}/#) != nil,
                  let day = day(in: tokens(t, strict: false), fallbackYear: nil, order: nil) else { continue }
            let sender = [i - 1, i + 1].first { k in
                // "Karanbir Singh <kbsingh at centos.org>": a name of capitalised
                // words, then the address (not "The site went down at www.example.com").
                top.contains(k) && lines[k].trimmed.wholeMatch(of: #/(?:\p{Lu}[\p{L}'.-]*\s+){1,4}(?:<[\w.+-]+(?:\s+at\s+|@)[\w.-]+\.[a-z]{2,}>|\(?[\w.+-]+(?:\s+at\s+|@)[\w.-]+\.[a-z]{2,}\)?)/#) != nil
            }
            guard let sender else { continue }
            lines[i] = ""
            lines[sender] = ""
            return (day, i + 1)
        }
        return nil
    }

    /// The last line of the page's metadata: YAML or TOML front matter
    /// (`---` or `+++` to the next), or a block of `Key: value` lines that
    /// opens the file and names its title or date (Pelican, MultiMarkdown:
    /// "Title: Datacenter Move outage" / "Date: 2025-06-30 01:00+0000").
    static func frontMatterEnd(_ lines: [String]) -> Int? {
        guard let open = lines.first?.trimmed else { return nil }
        if open == "---" || open == "+++" {
            return lines.indices.dropFirst().prefix(200).first { [open, "..."].contains(lines[$0].trimmed) }
        }
        let block = lines.prefix(30).prefix { !$0.trimmed.isEmpty }
        guard block.count >= 2, block.count < 30, block.allSatisfy({ $0.firstMatch(of: #/^[A-Za-z][A-Za-z0-9_-]{0,30}:(?:\s|$)/#) != nil }),
              block.contains(where: { let l = $0.lowercased(); return l.hasPrefix("title:") || l.hasPrefix("date:") }) else { return nil }
        return block.count - 1
    }

    /// Whether a line states a time with its zone ("14:02 UTC", "9am PDT",
    /// "All times are in CET"): then the page's front matter offset is not
    /// the zone of its bare times.
    static func statesAZone(_ line: String) -> Bool {
        let lower = line.lowercased()
        if lower.contains("time"), !lower.hasPrefix("date"), zoneInText(line) != nil, line.count < 200 { return true }
        let ns = line as NSString
        return clockInProse.matches(in: line, range: NSRange(location: 0, length: ns.length)).contains { m in
            proseZone(m, in: ns).flatMap(zoneInText) != nil
        }
    }

    /// The offset after a date's time of day (`2012-04-04 15:19:15 +0200`,
    /// `2023-05-01T12:00:00-07:00`), when it is not UTC's; nil otherwise.
    static func clockOffset(_ value: String) -> (zone: TimeZone, word: String)? {
        let trimmed = value.trimmingCharacters(in: CharacterSet(charactersIn: "\"' ").union(.whitespaces))
        // "09:30-11:00" is a span, not an offset: the offset follows seconds or a space.
        guard let m = trimmed.firstMatch(of: #/\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?|\s)\s*([+-])(\d{2}):?(\d{2})$/#),
              let hours = Int(m.output.2), let minutes = Int(m.output.3), hours <= 14, minutes < 60 else { return nil }
        let seconds = (m.output.1 == "-" ? -1 : 1) * (hours * 3600 + minutes * 60)
        guard seconds != 0, let zone = TimeZone(secondsFromGMT: seconds) else { return nil }
        return (zone, "UTC\(m.output.1)\(m.output.2):\(m.output.3)")
    }

    /// Day first or month first, from the numeric dates of the document that
    /// can be read only one way (a part over 12); nil when none does, or
    /// when they disagree. (`fileName`: a day its name writes in full
    /// settles a date both readings allow, as a title's does.)
    static func slashOrder(_ lines: [String], fileName: String = "") -> SlashOrder? {
        var dayFirst = false
        var monthFirst = false
        var dates: [(parts: [Int], digits: [Int])] = []
        var yearless: [(Int, Int)] = []
        for line in lines where mayHoldNumericDate(line) || line.contains("/") {
            for token in tokens(line, strict: false) {
                switch token {
                case .slashDate(let parts, let digits) where digits[0] != 4: dates.append((parts, digits))
                case .yearlessSlashDate(let a, let b): yearless.append((a, b))
                default: continue
                }
            }
        }
        // "16/03 20:29" in the year of the document's full dates ("21/03/2017"),
        // else in a leap year, so that 29/02 is a day.
        let year = dates.first.map { $0.digits[2] == 2 ? 2000 + $0.parts[2] : $0.parts[2] } ?? 2000
        dates += yearless.map { ([$0.0, $0.1, year], [2, 2, 4]) }
        for (parts, _) in dates {
            if parts[0] > 12, parts[1] <= 12 { dayFirst = true }
            if parts[1] > 12, parts[0] <= 12 { monthFirst = true }
        }
        if dayFirst != monthFirst { return dayFirst ? .dayFirst : .monthFirst }
        guard !dayFirst, !dates.isEmpty else { return nil }
        if let order = orderOfTheWrittenDays(dates, lines + (fileNameDay(fileName).map { [$0.iso] } ?? [])) { return order }
        guard dates.count >= 2 else { return orderOfTheZones(lines) ?? orderOfTheLanguage(lines) }
        // No part over 12: the reading under which the document's dates lie
        // closer together (04-03, 05-03, 06-03 are three days, not three
        // months, of one incident). Equal spans settle nothing.
        func span(_ order: SlashOrder) -> Double? {
            let days = dates.compactMap { try? slashDay($0.parts, digits: $0.digits, cell: "", order: order) }
                .compactMap { compose($0, TimeOfDay(hour: 0, minute: 0, second: 0, fraction: 0), TimeZone(secondsFromGMT: 0)!) }
            guard let first = days.min(), let last = days.max() else { return nil }
            return last.timeIntervalSince(first)
        }
        guard let a = span(.dayFirst), let b = span(.monthFirst), a != b else { return orderOfTheZones(lines) ?? orderOfTheLanguage(lines) }
        return a < b ? .dayFirst : .monthFirst
    }

    /// The reading under which a slash date is a day the document also
    /// writes without ambiguity: "8/04/2015 10:00" under the title "RAL
    /// Tier1 Incident 20150408" is the 8th of April; "On 03/01/2016" in
    /// `photon-outage-2016-03-01.txt` is the 1st of March. Nil when both or
    /// neither reading is written so.
    static func orderOfTheWrittenDays(_ dates: [(parts: [Int], digits: [Int])], _ lines: [String]) -> SlashOrder? {
        var written = Set<String>()
        for line in lines where line.contains(where: \.isNumber) {
            for m in line.matches(of: #/(^|[^\d\/.:-])((?:19|20)\d{2})-?(0[1-9]|1[0-2])-?(0[1-9]|[12]\d|3[01])(?![\d\/.:])/#) {
                written.insert("\(m.output.2)-\(m.output.3)-\(m.output.4)")
            }
        }
        guard !written.isEmpty else { return nil }
        func isWritten(_ order: SlashOrder) -> Bool {
            dates.contains { date in (try? slashDay(date.parts, digits: date.digits, cell: "", order: order)).map { written.contains($0.iso) } == true }
        }
        let dayFirst = isWritten(.dayFirst), monthFirst = isWritten(.monthFirst)
        return dayFirst == monthFirst ? nil : dayFirst ? .dayFirst : .monthFirst
    }

    /// Day first for a document written in a language other than English:
    /// month first is an American habit (and of English-speaking teams
    /// that follow it); French, German, Spanish, Portuguese, Italian, Dutch,
    /// Polish and Czech writers put the day first. Judged by the small words
    /// each language uses most; nil when English's are not clearly outnumbered.
    static func orderOfTheLanguage(_ lines: [String]) -> SlashOrder? {
        var english = 0, other = 0
        // Sentences only: a terse timeline's lines ("- 9:00 AM ET: Alert
        // fired") say little of the language and much of zones and versions.
        for line in lines where line.split(separator: " ").count >= 8 {
            for word in line.lowercased().split(whereSeparator: { !$0.isLetter }) {
                if englishWords.contains(word) { english += 1 } else if otherLanguagesWords.contains(word) { other += 1 }
            }
        }
        return other >= 12 && other > 3 * english ? .dayFirst : nil
    }

    static let englishWords: Set<Substring> = ["the", "and", "was", "were", "with", "for", "of", "to", "is", "we", "our", "this", "that", "from", "on", "it"]
    /// The commonest small words of French, German, Spanish, Portuguese,
    /// Italian, Dutch, Polish and Czech that are not English words too.
    /// (Not "et", "est", "z", "v", "la", "die", "non" or "y": zones, versions
    /// and English words.)
    static let otherLanguagesWords: Set<Substring> = [
        "le", "les", "des", "du", "une", "pour", "avec", "dans", "sur", "nous", "été",
        "der", "das", "und", "ist", "nicht", "mit", "wurde", "auf", "ein", "eine", "wir", "von", "den", "zu", "dem", "einem", "sind", "wird", "haben",
        "el", "los", "las", "que", "una", "por", "con", "para", "fue", "se", "lo",
        "da", "uma", "não", "com", "foi", "em", "na", "ao", "de", "dos", "das",
        "il", "gli", "della", "che", "è", "di", "sono",
        "het", "een", "en", "van", "niet", "met", "voor", "werd", "zijn",
        "się", "nie", "jest", "że", "je", "byl", "bylo", "není",
    ]

    /// How a document whose dates read both ways (`12/1/2014`) writes them,
    /// from the zones its times are in: month first beside US zones ("9:00
    /// PM PST"), day first beside European, Indian and Australian ones. A
    /// zone counts only right after a time ("le serveur est …" is French).
    static func orderOfTheZones(_ lines: [String]) -> SlashOrder? {
        let monthFirstZones: Set<String> = ["pst", "pdt", "est", "edt", "cdt", "mst", "mdt", "akst", "akdt", "hst"]
        let dayFirstZones: Set<String> = ["bst", "cet", "cest", "wet", "west", "eet", "eest", "ist", "aest", "aedt", "acst", "acdt", "awst", "nzst", "nzdt", "sast", "msk"]
        var us = false, elsewhere = false
        for line in lines where line.contains(":") {
            let toks = tokens(line, strict: false)
            for (k, token) in toks.enumerated() {
                guard case .clock = token else { continue }
                // "9:00 PM PST": past the half of the day.
                for case .word(let w) in toks.dropFirst(k + 1).prefix(2) where !["am", "pm", "a", "p", "m"].contains(w) {
                    if monthFirstZones.contains(w) { us = true }
                    if dayFirstZones.contains(w) { elsewhere = true }
                    break
                }
            }
        }
        return us == elsewhere ? nil : us ? .monthFirst : .dayFirst
    }

    /// Whether a line has `1-2 digits, / . or -, 1-2 digits, the same
    /// separator, a digit` somewhere: a cheap test before tokenising it, so
    /// a large CSV of ISO dates is not read twice.
    static func mayHoldNumericDate(_ line: String) -> Bool {
        let b = Array(line.utf8)
        func isDigit(_ k: Int) -> Bool { k < b.count && b[k] >= 0x30 && b[k] <= 0x39 }
        var i = 0
        while i < b.count {
            guard isDigit(i) else { i += 1; continue }
            var j = i
            while isDigit(j) { j += 1 }
            let leading = j - i
            if leading <= 2, j < b.count, b[j] == 0x2F || b[j] == 0x2E || b[j] == 0x2D {
                let separator = b[j]
                var k = j + 1
                while isDigit(k) { k += 1 }
                if (1...2).contains(k - j - 1), k < b.count, b[k] == separator, isDigit(k + 1) { return true }
            }
            i = j
        }
        return false
    }

    /// A parenthesis inside a sentence, with words after it, unless it
    /// glosses "yesterday", "today" or "tonight" (see `mentionedDay`).
    static let asideInParentheses = try! NSRegularExpression(
        pattern: #"(?<!yesterday )(?<!today )(?<!tonight )\([^()]*\)(?=\s*[,;]?\s*\p{L})"#, options: .caseInsensitive)

    /// A link's address: Markdown's `](…)`, a bare URL, a site path.
    static let linkAddress = try! NSRegularExpression(pattern: #"\]\([^()\s]*\)|https?://\S+|(?:^|\s)/[\w./-]+"#)

    /// The one year its file's name writes as a word of its own
    /// (`easydns-post-mortem-jan-07-ddos-attack-2012.txt`), for days the
    /// text writes without one; nil for none or several. Only at the name's
    /// start or end (a month after it at most), after no word that makes it
    /// a number of something else ("inc-2031-db-failover", "build-1999"),
    /// and not after `today`.
    static func fileNameYear(_ fileName: String, today: Date = Date()) -> Int? {
        let words = ((fileName as NSString).lastPathComponent as NSString).deletingPathExtension.lowercased().split { "-_. ".contains($0) }.map(String.init)
        let yearLike = words.indices.filter { words[$0].count == 4 && Int(words[$0]).map { (1990...2100).contains($0) } == true }
        guard yearLike.count == 1, let k = yearLike.first, let year = Int(words[k]),
              year <= Calendar(identifier: .gregorian).component(.year, from: today) else { return nil }
        // (At the end, a month may follow: `…-unresponsive-2021-11`.)
        let last = k == words.count - 1 || (k == words.count - 2 && (Int(words[k + 1]).map { (1...12).contains($0) } == true || monthNumber(words[k + 1]) != nil))
        guard k == 0 || (last && !["inc", "incident", "issue", "ticket", "http", "error", "errors", "build", "version", "v", "no", "number", "pr", "bug"].contains(words[k - 1])) else { return nil }
        return year
    }

    /// The year of a month the title names ("July 2017 IT service
    /// disruption summary"): the year of the days written without one.
    static func titleYear(_ lines: [String]) -> Int? {
        guard let title = lines.first(where: { !$0.trimmed.isEmpty }), title.count <= 200 else { return nil }
        let toks = tokens(title.trimmingCharacters(in: CharacterSet(charactersIn: "# ")), strict: false)
        for k in toks.indices.dropLast() {
            if case .word(let w) = toks[k], monthNumber(w) != nil, case .number(let y, digits: 4) = toks[k + 1], (1990...2100).contains(y) { return y }
        }
        return nil
    }

    /// The first whole date the document writes, and its line, when all its
    /// whole dates write one year ("Jun 21, 2022 - 06:43 UTC" in a bullet of
    /// the report): what the days a status page stamps without a year ("Jun
    /// 21 at 10:15am CEST") are near, when nothing nearer gives their year;
    /// nil when none is written, or more than one year. (Code and links'
    /// addresses date nothing.)
    static func yearOfTheWrittenDates(_ lines: [String], order: SlashOrder?) -> (day: Day, line: Int)? {
        var found: (day: Day, line: Int)?
        var code = CodeFences()
        for (i, line) in lines.enumerated() where !code.holds(line.trimmed) && line.contains(where: \.isNumber) {
            var t = line
            if t.contains("/") { t = linkAddress.stringByReplacingMatches(in: t, range: NSRange(location: 0, length: (t as NSString).length), withTemplate: "] ") }
            guard let day = day(in: tokens(t, strict: false), fallbackYear: nil, order: order) else { continue }
            if let found, found.day.year != day.year { return nil }
            if found == nil { found = (day, i + 1) }
        }
        return found
    }

    /// The date written nearest above the timeline's first time (a title,
    /// a `Date:` line, "On June 14, 2022, …", a `| Date | 2026-04-18 |` row
    /// of a facts table): the day of times that have no other. Dates labelled
    /// as the document's own (`Retro held:`, `Last updated:`) are not the
    /// incident's; other table rows are not read.
    static func mentionedDay(_ lines: [String], section: TimelineLines, order: SlashOrder?, year: Int?) -> (day: Day, line: Int)? {
        var found: (day: Day, line: Int)?
        var factsRowTaken = false
        let bylineLines = bylines(lines)
        for (i, line) in lines.enumerated() {
            var t = line.trimmed
            if t.isEmpty { continue }
            if t.hasPrefix("|") {
                // The timeline's own table: what comes after it ("2023-10-20 :
                // Initial version" in a changelog) does not date it.
                if section.contains(i), tokens(t, strict: false).contains(where: { if case .clock = $0 { return true }; return false }) { break }
                // The first row of a facts table that dates the incident.
                let cells = tableCells(t)
                guard !factsRowTaken, !section.contains(i), cells.count == 2, isIncidentDateLabel(cells[0]) else { continue }
                factsRowTaken = true
                t = cells[1]
            } else if !section.contains(i), !t.hasPrefix("#"), let colon = t.firstIndex(of: ":"), t.distance(from: t.startIndex, to: colon) <= 40,
                      isDocumentDateLabel(String(t[..<colon])) {
                continue
            }
            if !section.contains(i), !t.hasPrefix("#"), t.contains("(") {
                // "… since #44 merged (2026-07-09), masked by …": a date in
                // parentheses inside a sentence is background, not the day
                // (one that ends a title may be the only date there is).
                // "… offline for much of yesterday (2018-09-20) afternoon": a
                // date that glosses "yesterday" or "today" is the day.
                let outside = asideInParentheses.stringByReplacingMatches(in: t, range: NSRange(location: 0, length: (t as NSString).length), withTemplate: " ")
                if outside.split(separator: " ").count >= 4 { t = outside }
            }
            // A link's address dates nothing ("![Uptime](/images/blog/2025-11-20-incident-report/chart.png)").
            if t.contains("/") {
                t = linkAddress.stringByReplacingMatches(in: t, range: NSRange(location: 0, length: (t as NSString).length), withTemplate: "] ")
            }
            // Nor does a day a condition measures from ("If your program
            // started BEFORE May 31, 2012, …" over "Tues, 5:00pm:"; "Since May
            // 31, 2022 at 14:20 UTC, customers …" may be the incident's own).
            if t.contains(where: \.isNumber), t.range(of: #"(?i)\bif\b"#, options: .regularExpression) != nil {
                t = t.replacing(#/(?i)\bif\b[^.;!?]{0,60}?\b(?:before|after|since|until|prior\s+to)\s+(?:the\s+)?(?:(?:\p{L}{3,}\.?\s+\d{1,2}(?:st|nd|rd|th)?|\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?\p{L}{3,}\.?),?\s+(?:19|20)\d{2}|(?:19|20)\d{2}-\d{2}-\d{2})\b/#, with: " ")
            }
            let toks = tokens(t, strict: false)
            // (An entry's time may be written so that only the entry reader
            // takes it for one: "10.42: the application became unavailable".)
            if section.contains(i), toks.contains(where: { if case .clock = $0 { return true }; return false })
                || clockWithAColon(t, headed: false) != nil {
                // The first time: a date on its own line counts, one after it does not.
                if let day = day(in: toks, fallbackYear: year, order: order) {
                    // A page's date under its title ("Incident Report for Nov
                    // 18, 2025" / "2025/11/20") is when it was published: the
                    // first time's own earlier day ("On November 18th, … from
                    // 11:33am") is the incident's.
                    if let byline = found, bylineLines[byline.line - 1] != nil, isPublication(byline.day, after: day) {
                        found = (day, i + 1)
                    } else if found == nil {
                        found = (day, i + 1)
                    }
                } else if lines[..<i].allSatisfy({ $0.trimmed.isEmpty }), splitLeadingTime(t) == nil,
                          let next = lines[(i + 1)...].first(where: { !$0.trimmed.isEmpty })?.trimmed, next.count <= 40,
                          next.split(separator: " ").count <= 6, day(in: tokens(next, strict: false), fallbackYear: nil, order: order) != nil {
                    // A title that names an hour in passing ("+++ Eurowings
                    // streicht alle Flüge bis 15 Uhr +++") right over the
                    // page's date line ("Fr 19.07.24 | 13:21 Uhr"): that line
                    // dates the page.
                    continue
                }
                break
            }
            if let day = day(in: toks, fallbackYear: year, order: order) {
                // (The title's day stands: "Incident Report for Nov 18, 2025"
                // over its byline "2025/11/20".)
                if let title = found, bylineLines[i] != nil, isPublication(day, after: title.day) { continue }
                found = (day, i + 1)
            }
        }
        return found
    }

    /// "06 Nov 2023, 05:45 PM" as a copied page's first line, over its
    /// title ("Update on the issue with display of orders …"): when the page
    /// was posted, not a moment of what it tells. Its time is dropped; its
    /// day stays, to date the page's times.
    static func postingStampOverTitle(_ lines: inout [String]) {
        let filled = lines.indices.filter { !lines[$0].trimmed.isEmpty }.prefix(2)
        guard filled.count == 2, let k = filled.first, case let t = lines[k].trimmed, t.count <= 40,
              let split = splitLeadingTime(t), split.text.isEmpty, let s = try? stamp(split.time), s.year != nil, s.time != nil,
              case let title = lines[filled.last!].trimmed, title.count <= 140, !".!?:".contains(title.last ?? "."),
              title.split(separator: " ").count >= 3, !isStatusWord(title), !statesATime(title, order: nil),
              let clock = clockInProse.firstMatch(in: t, range: NSRange(location: 0, length: (t as NSString).length)),
              case let written = (t as NSString).substring(to: clock.range.location),
              case let day = String(written.reversed().drop { " ,-–@T".contains($0) }.reversed()),
              (try? stamp(day))?.year != nil else { return }
        lines[k] = day
    }

    /// A date alone on one of the page's first three lines (under a copied
    /// page's title: "2025/11/20", "March 5, 2024"): when the page was
    /// published, which may be days after the incident its text dates.
    /// Each such line's index, with the day it gives.
    static func bylines(_ lines: [String]) -> [Int: Day] {
        var found: [Int: Day] = [:]
        for k in lines.indices.filter({ !lines[$0].trimmed.isEmpty }).prefix(3) {
            let words = lines[k].trimmed.split(whereSeparator: { $0 == " " || $0 == "," })
            guard words.count <= 4, lines[k].contains(where: \.isNumber), !lines[k].contains(":"), !lines[k].trimmed.hasPrefix("#"),
                  let day = day(in: tokens(lines[k], strict: false), fallbackYear: nil, order: nil) else { continue }
            found[k] = day
        }
        return found
    }

    /// Whether a byline's day reads as the page's publication after the
    /// incident's `day`: a report goes up from a day to a month later.
    static func isPublication(_ byline: Day, after day: Day) -> Bool {
        let days = CivilDate.daysSinceEpoch(year: byline.year, month: byline.month, day: byline.day)
            - CivilDate.daysSinceEpoch(year: day.year, month: day.month, day: day.day)
        return (1...30).contains(days)
    }

    /// The first weekday the document's text names in full right before a
    /// time ("On Tuesday at 02:01 AM UTC …"), 0 for Sunday; code blocks are
    /// not its text.
    static func firstWeekdayNamed(_ lines: [String]) -> Int? {
        var code = CodeFences()
        for line in lines where !code.holds(line.trimmed) && line.contains(":") {
            let toks = tokens(line, strict: false)
            // The day of a moment ("On Sunday at 02:01"), not of a release
            // mentioned in passing ("shipped Thursday; on Sunday at 02:01").
            for (k, token) in toks.enumerated() {
                guard case .clock = token else { continue }
                for case .word(let w) in toks[max(0, k - 3) ..< k].reversed() where w.count >= 6 {
                    if let index = weekdayIndex(w) { return index }
                }
            }
        }
        return nil
    }

    /// A date written without a year when the document gives none: the
    /// latest day up to `today` that fits it (a weekday written beside it
    /// settles which year, as in `weekdayYear`).
    ///
    /// The day found may be written without its weekday ("Mar 28 at
    /// 12:57am GMT") and again with it further down ("at 00:47 UTC on
    /// Friday, March 28th"): the weekday settles the year for every date.
    static func latestMentionedDay(_ lines: [String], section: TimelineLines, order: SlashOrder?, today: Day) -> (day: Day, line: Int)? {
        for year in [today.year, today.year - 1] {
            guard let found = mentionedDay(lines, section: section, order: order, year: year), found.day.iso <= today.iso else { continue }
            if let settled = yearOfANamedWeekday(lines, of: found.day, order: order), settled != found.day.year,
               let again = mentionedDay(lines, section: section, order: order, year: settled), again.day.iso <= today.iso {
                return again
            }
            return found
        }
        return nil
    }

    /// The year near `found`'s, or before it (`yearFitting`), in which `found`'s month and day,
    /// written beside a weekday ("Friday, March 28th"), fell on it; nil when
    /// no line writes it so or no year fits.
    static func yearOfANamedWeekday(_ lines: [String], of found: Day, order: SlashOrder?) -> Int? {
        var code = CodeFences()
        for line in lines where !code.holds(line.trimmed) && line.contains(where: \.isNumber) {
            let toks = tokens(line, strict: false)
            for (k, token) in toks.enumerated() {
                // A weekday written in full ("Fri" may be anything), beside the
                // found day itself: "the outage on Monday, June 3rd" dates
                // another day, and says nothing of this one's year.
                guard case .word(let w) = token, w.count >= 6, let weekday = weekdayIndex(w) else { continue }
                // The month and its day within three words after the weekday.
                let after = Array(toks[(k + 1) ..< min(toks.count, k + 5)])
                let near = found.year
                guard let day = day(in: after, fallbackYear: near, order: order), day.month == found.month, day.day == found.day else { continue }
                // A year written there is the document's own; nothing to settle.
                if self.day(in: after, fallbackYear: nil, order: order) != nil { return nil }
                return yearFitting(weekday: weekday, month: day.month, day: day.day, near: near, goingBack: true)
            }
        }
        return nil
    }

    // MARK: - Entries out of order

    /// A note for each entry far from every other entry while the rest runs
    /// close together: a typo'd year, a day slipped in a table that otherwise
    /// runs in minutes. Imported as written; the note asks the person to
    /// check it.
    static func outOfOrderNotes(_ rows: [ImportedTimelineRow]) -> [SkippedRow] {
        guard rows.count >= 3 else { return [] }
        let times = rows.map(\.occurredAt.timeIntervalSince1970)
        let sorted = times.enumerated().sorted { $0.element < $1.element }
        // How far each entry is from the one nearest to it in time.
        var nearestGap = [Double](repeating: .infinity, count: rows.count)
        for (a, b) in zip(sorted, sorted.dropFirst()) {
            let gap = b.element - a.element
            nearestGap[a.offset] = min(nearestGap[a.offset], gap)
            nearestGap[b.offset] = min(nearestGap[b.offset], gap)
        }
        // In file order, the lower quartile of the steps: an entry that is
        // off takes two steps with it.
        let steps = zip(times, times.dropFirst()).map { abs($1 - $0) }.sorted()
        let typical = max(60, steps[(steps.count - 1) / 4])
        let far = max(12 * 3600, 20 * typical)
        var notes: [SkippedRow] = []
        for i in rows.indices {
            let nearest = nearestGap[i]
            guard nearest >= far || nearest >= 180 * 86400 else { continue }
            let distance = nearest >= 2 * 86400 ? "\(Int(nearest / 86400)) days" : "\(Int(nearest / 3600)) hours"
            let when = rows[i].occurredAt.formatted(.iso8601)
            notes.append(SkippedRow(
                line: rows[i].line,
                reason: "\(when) is \(distance) from the entries next to it while the others are minutes apart: check its date"))
        }
        return notes
    }
}
