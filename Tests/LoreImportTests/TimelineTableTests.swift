import Foundation
import Testing
@testable import LoreImport
import LoreCore

private let utc = TimeZone(identifier: "UTC")!
private let berlin = TimeZone(identifier: "Europe/Berlin")!

private func at(_ iso: String) -> Date {
    LoreTime.parseISO(iso)!
}

/// Midnight of a day in a zone, the way the CLI turns `--date` into a Date.
private func day(_ text: String, in zone: TimeZone) -> Date {
    LoreTime.parseLocal(text + "T00:00", timeZone: zone)!
}

private func parse(
    _ text: String, fileName: String = "timeline.csv", timeZone: TimeZone = utc, date: Date? = nil, skipBadRows: Bool = false
) throws -> TimelineTableResult {
    try TimelineTable.parse(text, fileName: fileName, timeZone: timeZone, date: date, skipBadRows: skipBadRows)
}

/// The error a file is rejected with; records an issue if it is accepted.
private func rejection(
    _ text: String, fileName: String = "timeline.csv", timeZone: TimeZone = utc, date: Date? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) -> TimelineTableError? {
    do {
        let result = try TimelineTable.parse(text, fileName: fileName, timeZone: timeZone, date: date, skipBadRows: false)
        Issue.record("expected the file to be rejected, got \(result)", sourceLocation: sourceLocation)
        return nil
    } catch {
        #expect(error.fileName == fileName, sourceLocation: sourceLocation)
        return error
    }
}

@Suite struct TimelineTableCSVTests {
    @Test func happyPathWithQuotedMultiLineFields() throws {
        let csv = """
        Timestamp,Who,What happened,Type,What I was seeing
        2026-03-01T14:02:00Z,sam,"Alert fired for checkout latency, p99 at 4s",alert,
        2026-03-01 14:05,"Lee, Ana","Restarted the ""payments"" worker
        then watched the queue drain",action,"The dashboard looked fine,
        so I suspected the worker"
        14:09:30,,Declared incident,DECISION,
        """
        let result = try parse(csv)
        #expect(result.format == .csv)
        #expect(result.skipped.isEmpty)
        #expect(result.rows == [
            ImportedTimelineRow(line: 2, occurredAt: at("2026-03-01T14:02:00Z"), author: "sam",
                                text: "Alert fired for checkout latency, p99 at 4s", kind: .alert),
            ImportedTimelineRow(line: 3, occurredAt: at("2026-03-01T14:05:00Z"), author: "Lee, Ana",
                                text: "Restarted the \"payments\" worker\nthen watched the queue drain", kind: .action,
                                reflection: "The dashboard looked fine,\nso I suspected the worker"),
            ImportedTimelineRow(line: 6, occurredAt: at("2026-03-01T14:09:30Z"), author: "Imported",
                                text: "Declared incident", kind: .decision),
        ])
    }

    @Test(arguments: [
        "time,author,text",
        "Timestamp,By,Message",
        "Date/Time,User,Event",
        "Occurred At,Person,Description",
        "occurred_at,who,what_happened",
        " WHEN , Author , What ",
        "\"datetime\",\"author\",\"text\"",
    ])
    func headerVariants(header: String) throws {
        let result = try parse(header + "\n2026-03-01T14:02:00Z,sam,Paged\n")
        #expect(result.rows.map(\.text) == ["Paged"])
        #expect(result.rows.first?.author == "sam")
        #expect(result.rows.first?.occurredAt == at("2026-03-01T14:02:00Z"))
    }

    @Test func authorIsOptionalAndSeparateDateColumnIsCombined() throws {
        let result = try parse("Date,Time,Text\n2026-03-01,23:58,Paged\n,00:03,Acked\n")
        #expect(result.rows.map(\.occurredAt) == [at("2026-03-01T23:58:00Z"), at("2026-03-02T00:03:00Z")])
        #expect(result.rows.map(\.author) == ["Imported", "Imported"])
    }

    @Test func semicolonAndTabDelimiters() throws {
        #expect(try parse("time;text\n2026-03-01 14:02;Paged, twice\n").rows.map(\.text) == ["Paged, twice"])
        #expect(try parse("time\ttext\n2026-03-01 14:02\tPaged\n").rows.map(\.text) == ["Paged"])
    }

    @Test func headerZoneAndDefaultZone() throws {
        let berlinRows = try parse("time,text\n2026-03-01 14:02,Paged\n", timeZone: berlin).rows
        #expect(berlinRows.first?.occurredAt == at("2026-03-01T13:02:00Z"))
        let utcHeader = try parse("Time (UTC),text\n2026-03-01 14:02,Paged\n", timeZone: berlin).rows
        #expect(utcHeader.first?.occurredAt == at("2026-03-01T14:02:00Z"))
    }

    static let withBadRow = """
    time,author,text
    2026-03-01 14:02,sam,Paged
    2026-03-01 14:05,sam,Acked
    2026-03-01 24:61,lee,Restarted
    2026-03-01 14:20,lee,Resolved
    """

    @Test func badRowInTheMiddleRejectsTheFile() throws {
        let error = try #require(rejection(Self.withBadRow))
        #expect(error.line == 4)
        #expect(error.message == "\"2026-03-01 24:61\" is not a time (expected 14:02, 14:02:33, 2:02 PM or 2026-03-01T14:02:00Z)")
        #expect(error.description.hasPrefix("timeline.csv:4: \"2026-03-01 24:61\" is not a time"))
    }

    @Test func skipBadRowsListsItAndImportsTheRest() throws {
        let result = try parse(Self.withBadRow, skipBadRows: true)
        #expect(result.rows.map(\.text) == ["Paged", "Acked", "Resolved"])
        #expect(result.rows.map(\.line) == [2, 3, 5])
        #expect(result.skipped.count == 1)
        #expect(result.skipped.first?.line == 4)
        #expect(result.skipped.first?.reason.contains("is not a time") == true)
    }

    @Test func badRowLineIsWhereAMultiLineRecordStarts() throws {
        let csv = "time,text\n2026-03-01 14:02,\"two\nlines\"\nnoon-ish,\"also\ntwo\"\n"
        let error = try #require(rejection(csv))
        #expect(error.line == 4)
        #expect(error.message.contains("\"noon-ish\" is not a time"))
    }

    @Test func unknownKindEmptyTextAndExtraFieldsAreBadRows() throws {
        let csv = """
        time,text,kind
        14:02,Paged,alert
        14:03,Something,incident
        14:04,,note
        14:05,Restarted db, then cache,action
        14:06,Done,
        """
        let result = try parse(csv, date: day("2026-03-01", in: utc), skipBadRows: true)
        #expect(result.rows.map(\.text) == ["Paged", "Done"])
        #expect(result.skipped.map(\.line) == [3, 4, 5])
        #expect(result.skipped[0].reason == "unknown kind \"incident\" (expected alert, action, observation, decision, communication or note)")
        #expect(result.skipped[1].reason == "the row has no text")
        #expect(result.skipped[2].reason.contains("4 fields but the header has 3"))
    }

    @Test func missingColumnsNameWhatWasFoundAndWhatIsAccepted() throws {
        let error = try #require(rejection("when,comment\n14:02,x\n"))
        #expect(error.line == 1)
        #expect(error.message.contains("no text column"))
        #expect(error.message.contains("text, description, event, what, message, what happened"))
        #expect(error.message.contains("columns found: \"when\", \"comment\""))
        let noTime = try #require(rejection("at what point,text\n14:02,x\n"))
        #expect(noTime.message.contains("no time column (accepted names: time, timestamp, when, date/time, datetime, occurred at)"))
    }

    @Test func unterminatedQuoteNamesTheLineItStarts() throws {
        let error = try #require(rejection("time,text\n14:02,ok\n14:03,\"never closed\n14:04,x\n"))
        #expect(error.line == 3)
        #expect(error.message.contains("never closed"))
    }

    @Test func byteOrderMarkAtFileStartIsTolerated() throws {
        let result = try parse("\u{FEFF}time,author,text\n2026-03-01T14:02:00Z,sam,Paged\n")
        #expect(result.format == .csv)
        #expect(result.rows.map(\.text) == ["Paged"])
    }

    @Test func crlfLineEndings() throws {
        let csv = "time,author,text\r\n2026-03-01T14:02:00Z,sam,\"two\r\nlines\"\r\n2026-03-01T14:03:00Z,sam,Acked\r\n"
        let result = try parse(csv)
        #expect(result.rows.map(\.text) == ["two\nlines", "Acked"])
        #expect(result.rows.map(\.line) == [2, 4])
    }
}

@Suite struct TimelineTableMarkdownTests {
    @Test func dateInHeadingAndProseIgnored() throws {
        let md = """
        # Checkout outage

        We had a bad afternoon. Impact, in short:

        | Metric | Value |
        |---|---|
        | Failed orders | 1,204 |

        ## 2026-03-01
        | Time (UTC) | Event |
        |---|---|
        | 14:02 | Alert fired for checkout latency |
        | 14:05 | @sam acknowledged |

        Some closing words.
        """
        let result = try parse(md, fileName: "postmortem.md", timeZone: berlin)
        #expect(result.format == .markdown)
        #expect(result.rows == [
            ImportedTimelineRow(line: 12, occurredAt: at("2026-03-01T14:02:00Z"), author: "Imported", text: "Alert fired for checkout latency"),
            ImportedTimelineRow(line: 13, occurredAt: at("2026-03-01T14:05:00Z"), author: "Imported", text: "@sam acknowledged"),
        ])
    }

    @Test func headingFormsApplyToFollowingTables() throws {
        let md = """
        ### March 1, 2026
        | When | Who | What |
        | :--- | --- | --- |
        | 2:02 PM | **sam** | Paged |

        **2026-03-02**

        | Time | Description |
        |------|-------------|
        | 09:15 | Follow-up call |
        """
        let result = try parse(md, fileName: "t.md")
        #expect(result.rows.map(\.occurredAt) == [at("2026-03-01T14:02:00Z"), at("2026-03-02T09:15:00Z")])
        #expect(result.rows.map(\.author) == ["sam", "Imported"])
    }

    @Test func dateOnlyInTheFirstRow() throws {
        let md = """
        | Time | Event |
        |---|---|
        | 2026-03-01 14:02 | Alert fired |
        | 14:05 | Acknowledged |
        | 14:31:10 | Resolved |
        """
        let result = try parse(md, fileName: "t.md")
        #expect(result.rows.map(\.occurredAt) == [at("2026-03-01T14:02:00Z"), at("2026-03-01T14:05:00Z"), at("2026-03-01T14:31:10Z")])
    }

    @Test func midnightRolloverMovesToTheNextDay() throws {
        let md = """
        ## 2026-03-01
        | Time | Event |
        |---|---|
        | 23:50 | Alert fired |
        | 23:58 | Acknowledged |
        | 00:03 | Rolled back |
        | 01:10 | Resolved |
        """
        let result = try parse(md, fileName: "t.md")
        #expect(result.rows.map(\.occurredAt) == [
            at("2026-03-01T23:50:00Z"), at("2026-03-01T23:58:00Z"), at("2026-03-02T00:03:00Z"), at("2026-03-02T01:10:00Z"),
        ])
    }

    @Test func zoneInHeaderAndCellsOverrideTheDefault() throws {
        let pst = """
        ## 2026-03-01
        | Time (PST) | Event |
        |---|---|
        | 14:02 | Paged |
        | 22:10 UTC | Cell zone wins |
        | 2026-03-01T23:20:00+01:00 | Offset wins |
        | 22:30Z | Z wins |
        | 14:40 | Header zone again |
        """
        let rows = try parse(pst, fileName: "t.md", timeZone: berlin).rows
        #expect(rows.map(\.occurredAt) == [
            at("2026-03-01T22:02:00Z"), at("2026-03-01T22:10:00Z"), at("2026-03-01T22:20:00Z"), at("2026-03-01T22:30:00Z"),
            at("2026-03-01T22:40:00Z"),
        ])
        let cet = "## 2026-03-01\n| Time (CET) | Event |\n|---|---|\n| 14:02 | Paged |\n"
        #expect(try parse(cet, fileName: "t.md", timeZone: utc).rows.first?.occurredAt == at("2026-03-01T13:02:00Z"))
    }

    @Test func zoneStatedAboveTheTable() throws {
        let md = "All times are in UTC.\n\n| Time | Event |\n|---|---|\n| 2026-03-01 14:02 | Paged |\n"
        #expect(try parse(md, fileName: "t.md", timeZone: berlin).rows.first?.occurredAt == at("2026-03-01T14:02:00Z"))
    }

    @Test func missingDateIsAnError() throws {
        let md = "# Timeline\n\n| Time | Event |\n|---|---|\n| 14:02 | Paged |\n"
        let error = try #require(rejection(md, fileName: "t.md"))
        #expect(error.line == 5)
        #expect(error.message == "times without a date; pass --date YYYY-MM-DD")
        #expect(error.description == "t.md:5: times without a date; pass --date YYYY-MM-DD")
        // Not a bad row: skipping cannot help.
        #expect(throws: TimelineTableError.self) {
            try parse(md, fileName: "t.md", skipBadRows: true)
        }
    }

    @Test func givenDateIsUsedInTheDefaultZone() throws {
        let md = "| Time | Event |\n|---|---|\n| 23:30 | Paged |\n| 00:15 | Fixed |\n"
        let result = try parse(md, fileName: "t.md", timeZone: berlin, date: day("2026-03-01", in: berlin))
        #expect(result.rows.map(\.occurredAt) == [at("2026-03-01T22:30:00Z"), at("2026-03-01T23:15:00Z")])
    }

    @Test func continuationRowsEscapedPipesAndBreaks() throws {
        let md = """
        ## 2026-03-01
        | Time | Event |
        |---|---|
        | 14:02 | Ran `grep a | b` and a \\| b |
        |  | Same moment<br>second line |
        """
        let rows = try parse(md, fileName: "t.md").rows
        #expect(rows.map(\.text) == ["Ran `grep a | b` and a | b", "Same moment\nsecond line"])
        #expect(rows.map(\.occurredAt) == [at("2026-03-01T14:02:00Z"), at("2026-03-01T14:02:00Z")])
    }

    @Test func badMarkdownRowIsSkippedOrRejected() throws {
        let md = "## 2026-03-01\n| Time | Event |\n|---|---|\n| 14:02 | Paged |\n| soon | Acked |\n| 14:09 | Fixed |\n"
        let error = try #require(rejection(md, fileName: "t.md"))
        #expect(error.line == 5)
        let result = try parse(md, fileName: "t.md", skipBadRows: true)
        #expect(result.rows.map(\.text) == ["Paged", "Fixed"])
        #expect(result.skipped.map(\.line) == [5])
    }

    @Test func crlfAndByteOrderMark() throws {
        let md = "\u{FEFF}## 2026-03-01\r\n| Time | Event |\r\n|---|---|\r\n| 14:02 | Paged |\r\n"
        let result = try parse(md, fileName: "t.md")
        #expect(result.rows.map(\.text) == ["Paged"])
        #expect(result.rows.map(\.line) == [4])
    }

    @Test func noTableAndNoHeaderIsAnError() throws {
        let error = try #require(rejection("# Postmortem\n\nNothing tabular here.\n", fileName: "t.md"))
        #expect(error.line == 1)
        #expect(error.message.contains("neither a CSV header nor a Markdown table found: \"# Postmortem\" is not a header"))
        let onlyOther = try #require(rejection("| Metric | Value |\n|---|---|\n| a | b |\n", fileName: "t.md"))
        #expect(onlyOther.message.contains("no timeline table"))
        #expect(rejection("", fileName: "t.md")?.message.contains("empty") == true)
    }
}

@Suite struct TimelineTableTimeFormatTests {
    /// Parses one CSV row; the context day is 2026-03-01 (from `date`).
    private func time(_ cell: String) throws -> Date? {
        let quoted = "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        let result = try parse("time,text\n\(quoted),x\n", date: day("2026-03-01", in: utc))
        return result.rows.first?.occurredAt
    }

    @Test(arguments: [
        ("2026-03-01T14:02:00Z", "2026-03-01T14:02:00Z"),
        ("2026-03-01T14:02:00.250Z", "2026-03-01T14:02:00.250Z"),
        ("2026-03-01T14:02Z", "2026-03-01T14:02:00Z"),
        ("2026-03-01T14:02:00+01:00", "2026-03-01T13:02:00Z"),
        ("2026-03-01 14:02:00 -0500", "2026-03-01T19:02:00Z"),
        ("2026-03-01 14:02", "2026-03-01T14:02:00Z"),
        ("14:02", "2026-03-01T14:02:00Z"),
        ("14:02:33", "2026-03-01T14:02:33Z"),
        ("2:02 PM", "2026-03-01T14:02:00Z"),
        ("2:02pm", "2026-03-01T14:02:00Z"),
        ("12:15 a.m.", "2026-03-01T00:15:00Z"),
        ("March 1, 2026 14:02", "2026-03-01T14:02:00Z"),
        ("Sun, 1 Mar 2026 2:02 PM PST", "2026-03-01T22:02:00Z"),
        ("Mar 2 14:02", "2026-03-02T14:02:00Z"),
        ("25/03/2026 14:02", "2026-03-25T14:02:00Z"),
        ("2026/03/01 14:02", "2026-03-01T14:02:00Z"),
        ("14:02 UTC+1", "2026-03-01T13:02:00Z"),
        ("2026-03-01 3:29 PM EDT / 19:29 UTC", "2026-03-01T19:29:00Z"),
    ])
    func acceptedFormats(cell: String, expected: String) throws {
        #expect(try time(cell) == at(expected))
    }

    // ("13:00 PM" is read as 13:00: published timelines write "20:50pm".)
    @Test(arguments: ["24:61", "25:00", "25:00 PM", "14", "yesterday", "2026-02-30 10:00", "March 2026 14:02", "11-12", "2026-03-01 2561"])
    func rejectedFormats(cell: String) throws {
        #expect(throws: TimelineTableError.self) { try time(cell) }
    }

    @Test func aDayAloneIsTheStartOfThatDay() throws {
        #expect(try time("2026-03-01") == at("2026-03-01T00:00:00Z"))
    }

    @Test func ambiguousSlashDateIsRejectedNotGuessed() throws {
        let error = try #require(rejection("time,text\n01/03/2026 14:02,Paged\n"))
        #expect(error.line == 2)
        #expect(error.message.contains("\"01/03/2026 14:02\" is an ambiguous date (2026-03-01 or 2026-01-03?)"))
    }

    @Test func dayWithoutYearNeedsContext() throws {
        let error = try #require(rejection("time,text\nMar 1 14:02,Paged\n"))
        #expect(error.message.contains("has no year"))
        let result = try parse("time,text\n2026-02-28 23:00,Paged\nMar 1 14:02,Fixed\n")
        #expect(result.rows.last?.occurredAt == at("2026-03-01T14:02:00Z"))
    }
}

/// Layouts and time notations met in published postmortems (DFDS, Cloudflare,
/// Kubernetes test-infra, Optimism, Statuspage, the SRE book): the notations
/// are as published, the wording is ours.
@Suite struct TimelineTablePublishedPostmortemTests {
    @Test func aHyphenatedRangeIsItsStartNotAUTCOffset() throws {
        let md = """
        | Time (UTC) | Status | Description |
        |---|---|---|
        |11:05|INCIDENT start|A configuration file doubled in size.|
        |11:32-13:05|Investigating|Traffic looked like an attack at first.|
        |13:05|Impact reduced|Bypassed the proxy for two services.|
        |14:30| |A good file was deployed.|
        """
        let result = try parse(md, fileName: "pm.md", date: day("2025-11-18", in: utc))
        #expect(result.rows.map(\.occurredAt) == ["11:05", "11:32", "13:05", "14:30"].map { at("2025-11-18T\($0):00Z") })
        // The Status column is kept with the description, not dropped.
        #expect(result.rows[0].text == "A configuration file doubled in size.\n\nStatus: INCIDENT start")
        #expect(result.rows[3].text == "A good file was deployed.")
        // With a date in the cell, a trailing -05:00 is still an offset.
        #expect(try parse("time,text\n2026-03-01T14:02-05:00,Paged\n").rows[0].occurredAt == at("2026-03-01T19:02:00Z"))
    }

    @Test func notationsFromPublishedTimelines() throws {
        let md = """
        | Time | Event |
        |---|---|
        | 2022-02-02 1625 | A report arrives by e-mail |
        | 2019-11-29 12:00+ | Nodes scaled up ahead of the weekend |
        | ... | Some daemon sets were not scheduled |
        | **2019-11-29 13:10** | Scheduling recovered |
        """
        let rows = try parse(md, fileName: "pm.md").rows
        #expect(rows.map(\.occurredAt) == [at("2022-02-02T16:25:00Z"), at("2019-11-29T12:00:00Z"), at("2019-11-29T12:00:00Z"), at("2019-11-29T13:10:00Z")])

        let brackets = """
        | When | What |
        |---|---|
        | [12-05 16:21] | A crash-looping pod was noticed |
        | [12-05 16:40] | The pool was drained |
        """
        // Without a year, the month and day nearest the report's day: December
        // before a report of March 2019 is December 2018, not nine months on.
        #expect(try parse(brackets, fileName: "pm.md", date: day("2019-03-26", in: utc)).rows.map(\.occurredAt)
            == [at("2018-12-05T16:21:00Z"), at("2018-12-05T16:40:00Z")])
        let acrossNewYear = """
        | When | What |
        |---|---|
        | [12-30 23:50] | Certificates began to expire |
        | [01-02 09:10] | Renewed by hand |
        """
        #expect(try parse(acrossNewYear, fileName: "pm.md", date: day("2021-01-04", in: utc)).rows.map(\.occurredAt)
            == [at("2020-12-30T23:50:00Z"), at("2021-01-02T09:10:00Z")])

        // Statuspage writes "Jan 10, 2023 - 18:14 UTC".
        let status = try parse("Posted,Update\n\"Jan 10, 2023 - 18:14 UTC\",This incident has been resolved.\n".replacingOccurrences(of: "Posted,Update", with: "time,text"))
        #expect(status.rows.map(\.occurredAt) == [at("2023-01-10T18:14:00Z")])
        // A dash after a time still ends the cell.
        for cell in ["2pm - 3pm", "23:00-ish", "14:02 – 14:05"] {
            #expect(try TimelineTable.stamp(cell).time != nil, "\(cell)")
        }
    }

    @Test func aRowWithADayButNoTimeDatesTheRowsAfterItAndIsListedAsUnread() throws {
        let md = """
        | Date | Event |
        |---|---|
        | 2021-12-10 | The vulnerability was published |
        | 2021-12-10 14:00 | Scanning started |
        | 16:30 | Patched the edge services |
        """
        let result = try parse(md, fileName: "pm.md", timeZone: berlin)
        // Not an entry at a made-up midnight: counted by hand, a published
        // timeline's entries are the ones with a time.
        #expect(result.rows.map(\.occurredAt) == [at("2021-12-10T13:00:00Z"), at("2021-12-10T15:30:00Z")])
        #expect(result.unread.map(\.line) == [3])
        #expect(result.unread.first?.reason.contains("a date without a time of day") == true)
        // In a CSV file every row is an entry: a day alone starts that day, with a note.
        let csv = try parse("time,text\n2021-12-10,Published\n2021-12-10 14:00,Scanning\n", timeZone: berlin)
        #expect(csv.rows.map(\.occurredAt) == [at("2021-12-09T23:00:00Z"), at("2021-12-10T13:00:00Z")])
        #expect(csv.notes.map(\.line) == [2])

        // The first row names the day (no year: it comes from --date); later rows only times.
        let firstRow = """
        | Time (UTC) | Event |
        |---|---|
        | `May 31` | The contract was deployed |
        | `07:35` | Tokens were sent |
        """
        let rows = try parse(firstRow, fileName: "pm.md", date: day("2022-05-31", in: utc)).rows
        #expect(rows.map(\.occurredAt) == [at("2022-05-31T07:35:00Z")])
    }

    @Test func aDateWrittenAboveTheTableInPassingDatesIt() throws {
        let sreBook = """
        ## Timeline

        2015-10-21 (*all times UTC*)

        | Time | Event |
        |---|---|
        | 14:51 | News reports the sonnet |
        | 14:53 | Traffic rises 88× |
        """
        #expect(try parse(sreBook, fileName: "pm.md").rows.map(\.occurredAt) == [at("2015-10-21T14:51:00Z"), at("2015-10-21T14:53:00Z")])

        let prose = """
        All times in PST, on February 8th 2019

        | Time | Event |
        |---|---|
        | 10:03 | Jobs stop starting |
        """
        #expect(try parse(prose, fileName: "pm.md").rows.map(\.occurredAt) == [at("2019-02-08T18:03:00Z")])
    }

    @Test func anExplicitDateWinsOverAHeadingAndSaysSo() throws {
        let md = """
        # 2020-08-28 - Memory overload

        | Time | Event |
        |---|---|
        | 09:10 | Hub pods evicted |
        """
        let result = try parse(md, fileName: "pm.md", date: day("2020-10-28", in: utc))
        #expect(result.rows.map(\.occurredAt) == [at("2020-10-28T09:10:00Z")])
        #expect(result.notes == [SkippedRow(line: 1, reason: "the date 2020-08-28 written here was not used: --date 2020-10-28 was given")])
        // Without --date the heading dates the table, as before.
        #expect(try parse(md, fileName: "pm.md").rows.map(\.occurredAt) == [at("2020-08-28T09:10:00Z")])
    }

    @Test func aTimelineWrittenAsAList() throws {
        let md = """
        # Prow outage

        ## Timeline

        All times in PST, on January 22, 2019.

        - 2:54 PM PST: A change to the hook deployment merged
        - 3:10 PM: Jobs stopped starting
            (only on the new cluster)
        - Someone restarted the controller
        * [15:20] Rolled back — recovery began
        1. **15:41** - All jobs running again

        ## Follow-ups
        - Add an alert on pending jobs
        """
        let result = try parse(md, fileName: "pm.md")
        #expect(result.format == .markdown)
        #expect(result.rows.map(\.line) == [7, 8, 11, 12])
        // The untimed item stays with the entry above it (it happened after
        // it, at a moment nobody wrote down) rather than getting its time.
        #expect(result.rows.map(\.text) == [
            "A change to the hook deployment merged", "Jobs stopped starting\n(only on the new cluster)\n- Someone restarted the controller",
            "Rolled back — recovery began", "All jobs running again",
        ])
        // PST is UTC-8.
        #expect(result.rows.map(\.occurredAt) == ["22:54", "23:10", "23:20", "23:41"].map { at("2019-01-22T\($0):00Z") })

        // One timed bullet is not a timeline.
        let error = rejection("# Notes\n\n- 14:02 paged\n- restarted\n", fileName: "notes.md")
        #expect(error?.message.contains("neither a CSV header nor a Markdown table") == true)
    }

    @Test func anOffsetWithoutADateIsStillAnOffset() throws {
        // The end of a range is later than its start; an offset reads earlier.
        for (cell, expected) in [("14:02-05:00", "2026-03-01T19:02:00Z"), ("14:02 -05:00", "2026-03-01T19:02:00Z"),
                                 ("Mar 1, 2026 14:02-05:00", "2026-03-01T19:02:00Z"), ("09:00-10:30", "2026-03-01T09:00:00Z")] {
            let csv = "time,text\n\"\(cell)\",x\n"
            #expect(try parse(csv, date: day("2026-03-01", in: utc)).rows.first?.occurredAt == at(expected), "\(cell)")
        }
    }

    @Test func withDateOnlyTheFirstDateWrittenIsReplacedLaterDaysStillCount() throws {
        let md = """
        ## 2026-03-01
        | Time | Event |
        |---|---|
        | 09:00 | Paged |
        ## 2026-03-02
        | Time | Event |
        |---|---|
        | 11:00 | Fixed |
        """
        let result = try parse(md, fileName: "pm.md", date: day("2026-03-01", in: utc))
        #expect(result.rows.map(\.occurredAt) == [at("2026-03-01T09:00:00Z"), at("2026-03-02T11:00:00Z")])
        #expect(result.notes.isEmpty)
        // A sentence that merely mentions a date and "times in" dates nothing.
        let prose = """
        ## 2026-03-01
        | Time | Event |
        |---|---|
        | 22:00 | Paged |

        Response times in the 2026-02-01 incident were similar.

        | Time | Event |
        |---|---|
        | 23:30 | Fixed |
        """
        #expect(try parse(prose, fileName: "pm.md").rows.map(\.occurredAt) == [at("2026-03-01T22:00:00Z"), at("2026-03-01T23:30:00Z")])
    }

    @Test func listsOnlyFromTheTimelineSectionAndTextKeptWhole() throws {
        let md = """
        # Checkout outage

        ## Timeline
        - 14:02 Paged on-call (PagerDuty)
        - 14:05 - Rolled back **v2.3**

        ## Action items
        - 2026-03-10: add an alert on queue depth
        - Mar 15: migrate the database
        """
        let rows = try parse(md, fileName: "pm.md", date: day("2026-03-01", in: utc)).rows
        #expect(rows.map(\.text) == ["Paged on-call (PagerDuty)", "Rolled back **v2.3**"])
        // Pasted (no file name): a list whose text has commas is still a list.
        let pasted = try parse("# Timeline\n- 14:02 Paged, acknowledged\n- 14:05 Rolled back\n", fileName: "pasted table", date: day("2026-03-01", in: utc))
        #expect(pasted.rows.map(\.text) == ["Paged, acknowledged", "Rolled back"])
    }

    @Test func csvCommentLinesBeforeTheHeaderAreSkippedAndLinesStillCount() throws {
        let csv = """
        # source: https://www.githubstatus.com/incidents/00km0kwpz23b
        # exported by hand
        time,text
        2023-01-10T17:02:00Z,Investigating
        not a time,Broken row
        """
        let error = rejection(csv)
        #expect(error?.line == 5)
        let skipped = try parse(csv, skipBadRows: true)
        #expect(skipped.rows.map(\.text) == ["Investigating"])
        #expect(skipped.skipped.map(\.line) == [5])

        // After the comments, a header without the columns needed is named as such.
        let wrongColumns = rejection("# from the status page\nStatus,Update,Posted\nResolved,All good,\"Jan 10, 2023 - 18:14 UTC\"\n")
        #expect(wrongColumns?.line == 2)
        #expect(wrongColumns?.message.contains("no time column") == true)

        let notHeader = rejection("Notes from the checkout outage\n14:02 paged\n", fileName: "log.txt")
        #expect(notHeader?.line == 1)
        #expect(notHeader?.message.contains("\"Notes from the checkout outage\" is not a header") == true)
        // A line that names a log, pasted from a page above its times, heads them:
        // what is missing then is their date.
        let log = rejection("Incident log for the checkout outage\n14:02 paged\n", fileName: "log.txt")
        #expect(log?.line == 2)
        #expect(log?.message.contains("times without a date") == true)
    }
}

/// Timelines written as text, in the shapes published postmortems use (issue
/// 17). The shapes are as published; the wording is ours.
@Suite struct TimelineSectionShapeTests {
    @Test func oneHeadingPerEntryWithTheTextBelow() throws {
        let md = """
        # Storage outage, 2024-02-12

        ## Timeline

        All times are UTC.

        ### 4:27
        The first disk in the array reported errors.

        A second paragraph about the same moment.

        ### 8:20 - 8:24
        - Failover attempted
        - Failover refused by the controller

        ### 9:02 UTC — Service restored

        ## Lessons
        Nothing here is an entry.
        """
        let result = try parse(md, fileName: "pm.md")
        #expect(result.rows.map(\.occurredAt) == ["04:27", "08:20", "09:02"].map { at("2024-02-12T\($0):00Z") })
        #expect(result.rows.map(\.text) == [
            "The first disk in the array reported errors.\nA second paragraph about the same moment.",
            "- Failover attempted\n- Failover refused by the controller",
            "Service restored",
        ])
        #expect(result.rows.map(\.line) == [7, 12, 16])
        #expect(result.unread.isEmpty)
    }

    /// Shapes from the fifth and sixth sets of published postmortems: times
    /// written with a dot, the incident's date in a facts line or table
    /// beside other dates, a table with a column per zone, the timeline as a
    /// code block, headings that date and zone the entries below them.
    @Test func dottedTimesUnderATimelineHeading() throws {
        let md = """
        # Incident retro - search outage

        **Incident from:** 2021-02-24

        **Retro held:** 2021-03-02

        ## Timeline

        11.13 First alerts from the uptime checker
        Search API
        Works API

        11.15 Moved to the incident channel

        **12.02 Fix deployed**

        ## Actions

        3.14 is not a time outside the timeline.
        """
        let result = try parse(md, fileName: "retro.md")
        // The day is the incident's (Incident from), not the retro's, which is written nearer.
        #expect(result.rows.map(\.occurredAt) == [at("2021-02-24T11:13:00Z"), at("2021-02-24T11:15:00Z"), at("2021-02-24T12:02:00Z")])
        #expect(result.rows.map(\.text) == ["First alerts from the uptime checker\nSearch API\nWorks API", "Moved to the incident channel", "Fix deployed"])
    }

    /// From the seventh set: clocks as four digits (`1738:`), the time as the
    /// text of a link to the chat message, a dot in a list item, a city for
    /// the zone.
    @Test func fourDigitClocksLinkedTimesAndCityZones() throws {
        let md = """
        ## How was it fixed

        ### 28 Feb 2017

        1738: The image vendor posted an incident report.

        [1758](https://chat.example.com/archives/p1488304718): We acknowledged it.

        [2012](https://git.example.com/pull/335): The CDN change was merged.

        ~2030: Purged the broken images.

        ## Lessons

        2019: the year we should have moved off the vendor.
        """
        let result = try parse(md, fileName: "pm.md")
        #expect(result.rows.map(\.occurredAt) == ["17:38", "17:58", "20:12", "20:30"].map { at("2017-02-28T\($0):00Z") })
        // The link to the message stays with the entry, as its evidence.
        #expect(result.rows[1].text == "We acknowledged it. (https://chat.example.com/archives/p1488304718)")

        let dotted = """
        This is the timeline of events on Thursday February 11 2016:

         - 10.42: the booking service became unavailable.
         - 10.46: engineers were alerted.
         - 10.56: the platform healed itself.

        We have learnt 3.5 things.
        """
        #expect(try parse(dotted, fileName: "pm.md").rows.map(\.occurredAt) == ["10:42", "10:46", "10:56"].map { at("2016-02-11T\($0):00Z") })

        let city = """
        ## Timeline - May 29, 2021
        * 16:37 Denver - updated plugins, restarted the controller
        * 20:09 Denver - agents provisioning again
        """
        // Denver in May is UTC-6.
        #expect(try parse(city, fileName: "pm.md").rows.map(\.occurredAt) == [at("2021-05-29T22:37:00Z"), at("2021-05-30T02:09:00Z")])
    }

    /// What the rules above must leave alone.
    @Test func yearsCitiesAndDecimalsInOrdinaryTextStayText() throws {
        let md = """
        # Checkout outage, 2024-05-02

        Customers in Sydney saw downtime for 40 minutes.

        ## Timeline

        - 2016: the checkout service was introduced
        - 14:02 Paris datacenter lost power
        - 14:10 - failover began
        - 1.25 million requests failed over the hour
        """
        let result = try parse(md, fileName: "pm.md")
        #expect(result.rows.map(\.occurredAt) == [at("2024-05-02T14:02:00Z"), at("2024-05-02T14:10:00Z")])
        #expect(result.rows.first?.text == "Paris datacenter lost power")
    }

    @Test func aFactsTableDatesTheTimelineAndAZoneColumnGivesTheTimes() throws {
        let md = """
        # Post-mortem: webhook blocked

        | Item | Value |
        |---|---|
        | **Date (UTC)** | 2026-04-18 |
        | **Reviewed** | 2026-04-25 |

        ## Timeline

        | NZST | UTC | Event |
        |---|---|---|
        | 09:46 | 21:46 prior day | Backup ran and failed silently |
        | 10:30 | — | Report turned red |
        """
        let result = try parse(md, fileName: "pm.md")
        // NZST is UTC+12: 09:46 on the 18th there is 21:46 on the 17th in UTC.
        #expect(result.rows.map(\.occurredAt) == [at("2026-04-17T21:46:00Z"), at("2026-04-17T22:30:00Z")])
    }

    @Test func aTimelineWrittenAsACodeBlock() throws {
        let md = """
        ## Timeline

        All times given are in UTC.

        ```
        2023-06-17 18:05 Block created, nodes start failing
        2023-06-17 19:10 Issue reported
        2023-06-17 19:20 Test case replicating the failure
        2023-06-18 11:30 Fixed release published
        """
        let result = try parse(md, fileName: "pm.md")
        #expect(result.rows.count == 4)
        #expect(result.rows.first?.occurredAt == at("2023-06-17T18:05:00Z"))
        #expect(result.rows.last?.occurredAt == at("2023-06-18T11:30:00Z"))

        // A log excerpt under an entry stays that entry's text.
        let excerpt = """
        ## Timeline

        - 14:02 Pods restarted; the log said:

        ```
        14:01:58 OOMKilled
        14:01:59 OOMKilled
        14:02:00 OOMKilled
        ```
        - 14:10 Limits raised
        """
        let two = try parse(excerpt, fileName: "pm.md", date: day("2024-05-01", in: utc))
        #expect(two.rows.count == 2)
        #expect(two.rows.first?.text.contains("OOMKilled") == true)
    }

    @Test func headingsThatDateAndZoneTheEntriesBelowThem() throws {
        let md = """
        Starting at 2018-11-08 16:55:00 -0500, a change was made.

        By 21:00, the configuration was fixed.

        ## 2018-11-08 16:55:00 -0500

        - 16:55 - deployed the new build

        - 17:30 - resolved

        ## 2018-11-08 19:30:00 -0500

        - 19:30 - reopened

        - 21:45 - all clear
        """
        let result = try parse(md, fileName: "pm.md")
        #expect(result.rows.map(\.occurredAt) == [at("2018-11-08T21:55:00Z"), at("2018-11-08T22:30:00Z"), at("2018-11-09T00:30:00Z"), at("2018-11-09T02:45:00Z")])
        #expect(!result.rows.contains { $0.text.contains("configuration was fixed") }, "a summary sentence is not an entry")
    }

    @Test func oneParagraphPerEntryWithADashEnDashOrColon() throws {
        let md = """
        ## Timeline (times in PDT, March 3, 2023)

        15:35 – Plan pushed to the fleet.

        15:41 - Error rate rose on the west
        cluster, then on the east one.

        15:52: Rolled back.
        16:05 Recovered
        """
        let result = try parse(md, fileName: "pm.md")
        #expect(result.rows.map(\.occurredAt) == ["22:35", "22:41", "22:52", "23:05"].map { at("2023-03-03T\($0):00Z") })
        #expect(result.rows.map(\.text) == [
            "Plan pushed to the fleet.", "Error rate rose on the west\ncluster, then on the east one.", "Rolled back.", "Recovered",
        ])
    }

    @Test func boldDatedParagraphs() throws {
        let md = """
        ## Timeline

        **June 14th, 2022, 10:00 AM:** The certificate expired on the edge.

        **June 14th, 2022, 10:12 AM** - Customers reported TLS errors.

        **June 15th, 2022, 1:05 am:** Renewed everywhere.
        """
        let result = try parse(md, fileName: "pm.md", timeZone: TimeZone(identifier: "America/New_York")!)
        #expect(result.rows.map(\.occurredAt) == [at("2022-06-14T14:00:00Z"), at("2022-06-14T14:12:00Z"), at("2022-06-15T05:05:00Z")])
        #expect(result.rows.map(\.text) == ["The certificate expired on the edge.", "Customers reported TLS errors.", "Renewed everywhere."])
    }

    @Test func numericDatesAreReadTheWayTheRestOfTheDocumentWritesThem() throws {
        // 13/06 can only be day first, so 06/05 is the 6th of May here ...
        let dayFirst = """
        ## Timeline
        - 06/05/2022 9:10 am: Queue started to back up
        - 06/05/2022 11:45 pm: Consumers restarted
        - 13/06/2022 2:00 pm: Follow-up review held
        """
        #expect(try parse(dayFirst, fileName: "pm.md").rows.map(\.occurredAt)
            == [at("2022-05-06T09:10:00Z"), at("2022-05-06T23:45:00Z"), at("2022-06-13T14:00:00Z")])
        // ... and 06/13 can only be month first, so 06/05 is the 5th of June.
        let monthFirst = dayFirst.replacingOccurrences(of: "13/06/2022", with: "06/13/2022")
        #expect(try parse(monthFirst, fileName: "pm.md").rows.map(\.occurredAt)
            == [at("2022-06-05T09:10:00Z"), at("2022-06-05T23:45:00Z"), at("2022-06-13T14:00:00Z")])
        // Dotted European dates and two-digit years.
        let dotted = "## Timeline\n- 14.06.22 10:00 Paged\n- 14.06.22 10:30 Mitigated\n"
        #expect(try parse(dotted, fileName: "pm.md").rows.map(\.occurredAt) == [at("2022-06-14T10:00:00Z"), at("2022-06-14T10:30:00Z")])
        // Nothing settles it: refused, and the message says both readings.
        let error = rejection("## Timeline\n- 06/05/2022 9:10 am: Backed up\n- 06/05/2022 9:30 am: Restarted\n", fileName: "pm.md")
        #expect(error?.line == 2)
        #expect(error?.message.contains("2022-05-06 or 2022-06-05") == true)
        #expect(error?.message.contains("no other date in the document") == true)
    }

    @Test func tableCellsWithAMonthAndDayButNoYearTakeTheYearFromADateLine() throws {
        let md = """
        # Payment delays

        **Date:** March 3, 2022

        | Time (PST) | Event |
        |---|---|
        | Mar 3, 11:50 PM | Batch job started late |
        | Mar 4, 12:20 AM | Payments queued |
        """
        let result = try parse(md, fileName: "pm.md")
        #expect(result.rows.map(\.occurredAt) == [at("2022-03-04T07:50:00Z"), at("2022-03-04T08:20:00Z")])
    }

    @Test func timeOnlyBulletsRunPastMidnightWithTheDateOnlyInTheTitle() throws {
        let md = """
        # Incident report: DNS failure

        On October 4, 2021 our resolvers stopped answering.

        ## Timeline
        - 23:40 Resolver errors begin
        - 23:58 Paged
        - 00:15 Root cause found in the new zone file
        - 01:02 Resolved
        """
        let result = try parse(md, fileName: "pm.md")
        #expect(result.rows.map(\.occurredAt) == [at("2021-10-04T23:40:00Z"), at("2021-10-04T23:58:00Z"), at("2021-10-05T00:15:00Z"), at("2021-10-05T01:02:00Z")])
        // The day came from a sentence, not from the timeline: the note says so and where.
        #expect(result.notes.map(\.line) == [3])
        #expect(result.notes.first?.reason.contains("2021-10-04") == true)
        // --date still wins, and then there is nothing to note.
        let given = try parse(md, fileName: "pm.md", date: day("2021-10-05", in: utc))
        #expect(given.rows.first?.occurredAt == at("2021-10-05T23:40:00Z"))
        #expect(given.notes.isEmpty)
        // A title with a date dates the timeline as any heading does.
        let titled = md.replacingOccurrences(of: "DNS failure", with: "DNS failure on 2021-10-04")
            .replacingOccurrences(of: "On October 4, 2021 our", with: "Our")
        #expect(try parse(titled, fileName: "pm.md").rows.last?.occurredAt == at("2021-10-05T01:02:00Z"))
        // Without any date, the file is refused as before.
        #expect(rejection("## Timeline\n- 23:40 begin\n- 23:58 paged\n", fileName: "pm.md")?.message.contains("pass --date") == true)
    }

    @Test func linesHeldTogetherByTrailingSpacesAreEntriesEach() throws {
        let md = "## Timeline  \n2020-09-01  \n14:02 Deploy started  \n14:09 Errors began  \n14:15 Rolled back\n"
        let result = try parse(md, fileName: "pm.md")
        #expect(result.rows.map(\.text) == ["Deploy started", "Errors began", "Rolled back"])
        #expect(result.rows.map(\.occurredAt) == ["14:02", "14:09", "14:15"].map { at("2020-09-01T\($0):00Z") })
    }

    @Test func yamlFrontMatterIsSkippedAndItsDateIsTheLastResort() throws {
        let md = """
        ---
        title: "Queue outage: 10:00 - 11:00"
        date: 2019-07-02
        tags: [postmortem]
        ---

        ## Timeline
        - 10:00 Queue stopped
        - 10:45 Queue drained
        """
        let result = try parse(md, fileName: "pm.md")
        #expect(result.rows.map(\.occurredAt) == [at("2019-07-02T10:00:00Z"), at("2019-07-02T10:45:00Z")])
        #expect(result.rows.map(\.line) == [8, 9])
    }

    @Test func aSecondZoneForTheSameMomentAndALoneZoneWordLeaveTheText() throws {
        let md = """
        ## Timeline
        - 2023-05-20 10:14 PDT (17:14 UTC): A user reported the outage
        - 2023-05-20 10:20 PDT / 17:20 UTC - Paged the on-call
        - **2023-05-20 17:31** UTC A maintainer rolled back
        - 2023-05-20 17:40 UTC (see 18:00 UTC below): Not the same moment, kept
        """
        let result = try parse(md, fileName: "pm.md")
        #expect(result.rows.map(\.text) == [
            "A user reported the outage", "Paged the on-call", "A maintainer rolled back", "(see 18:00 UTC below): Not the same moment, kept",
        ])
        #expect(result.rows.map(\.occurredAt) == ["17:14", "17:20", "17:31", "17:40"].map { at("2023-05-20T\($0):00Z") })
    }

    @Test func timesInsideProseSentencesUnderATimelineHeading() throws {
        let md = """
        # Login failures

        ## Timeline

        On January 9, 2024, at 14:02 UTC, a certificate rotation started. The rotation finished at 14:20 UTC and logins began to fail. Nobody noticed at first.

        We rolled back at 2:45 pm UTC.

        ## Impact
        At 15:00 the queue was empty.
        """
        let result = try parse(md, fileName: "pm.md")
        // A paragraph is one entry, at its first time: the people who
        // counted published timelines by hand counted so (a university
        // radio's "by 6pm … By 6:20, …", Matrix's "at 16:45 UTC … We
        // started Synapse at 16:54 UTC", Let's Encrypt's and Allegro's).
        #expect(result.rows.map(\.occurredAt) == [at("2024-01-09T14:02:00Z"), at("2024-01-09T14:45:00Z")])
        #expect(result.rows.map(\.text) == [
            "On January 9, 2024, at 14:02 UTC, a certificate rotation started. The rotation finished at 14:20 UTC and logins began to fail. Nobody noticed at first.",
            "We rolled back at 2:45 pm UTC.",
        ])
    }

    @Test func aBareTimeInADocumentThatWritesAMAndPMKeepsTheHalfOfTheDay() throws {
        let md = "## Timeline\n- 2024-03-01 3:10 PM: Alert\n- 3:25: Acknowledged\n- 11:50 PM: Mitigated\n- 12:10: Resolved\n"
        #expect(try parse(md, fileName: "pm.md").rows.map(\.occurredAt)
            == [at("2024-03-01T15:10:00Z"), at("2024-03-01T15:25:00Z"), at("2024-03-01T23:50:00Z"), at("2024-03-02T00:10:00Z")])
    }

    @Test func anEntryFarOutOfOrderImportsWithANote() throws {
        // A typo'd year on the first entry.
        let md = """
        ## Timeline
        - 2012-04-05 09:00 UTC: Deploy started
        - 2022-04-05 09:05 UTC: Errors began
        - 2022-04-05 09:20 UTC: Rolled back
        - 2022-04-05 09:31 UTC: Recovered
        """
        let result = try parse(md, fileName: "pm.md")
        #expect(result.rows.count == 4)
        #expect(result.notes.map(\.line) == [2])
        #expect(result.notes.first?.reason.contains("2012-04-05T09:00:00Z is 3652 days from the entries next to it") == true)
        // A day slipped in a table that otherwise runs in minutes.
        let table = """
        | Time (UTC) | Event |
        |---|---|
        | 2022-04-05 09:00 | Deploy |
        | 2022-04-05 09:05 | Errors |
        | 2022-04-06 09:12 | Rolled back |
        | 2022-04-05 09:20 | Recovered |
        """
        let slipped = try parse(table, fileName: "pm.md")
        #expect(slipped.notes.map(\.line) == [5])
        // An incident over two days, each in minutes, is not out of order.
        let twoDays = table.replacingOccurrences(of: "2022-04-05 09:20", with: "2022-04-06 09:20")
        #expect(try parse(twoDays, fileName: "pm.md").notes.isEmpty)
    }

    @Test func everyUnreadLineOfTheTimelineSectionSaysWhy() throws {
        let md = """
        ## Timeline

        The following was put together from chat logs.

        - 14:02 Paged
        - 14:09 Rolled back

        Then the team went home.

        ### Afterwards
        - 14:30 Postmortem scheduled
        """
        let result = try parse(md, fileName: "pm.md", date: day("2026-03-01", in: utc))
        #expect(result.rows.map(\.text) == ["Paged", "Rolled back", "Postmortem scheduled"])
        #expect(result.unread == [
            SkippedRow(line: 3, reason: "no time in it, and not part of an entry above"),
            SkippedRow(line: 8, reason: "no time in it, and not part of an entry above"),
            SkippedRow(line: 10, reason: "a heading without a time"),
        ])
        // In a document with a timeline table, prose in the Timeline section is listed too.
        let table = "## Timeline\nRead from the pager.\n\n| Time | Event |\n|---|---|\n| 14:02 | Paged |\n"
        #expect(try parse(table, fileName: "pm.md", date: day("2026-03-01", in: utc)).unread
            == [SkippedRow(line: 2, reason: "outside the timeline table")])
    }
    @Test func numericDatesWithDashesAndNoPartOver12TakeTheReadingThatKeepsThemTogether() throws {
        // 04-03, 05-03, 06-03: three days in March, not April to June.
        let md = "## Timeline\n- **04-03-2026 15:48 UTC** – Report received\n- **05-03-2026 10:07 UTC** – Fix merged\n- **06-03-2026 19:56 UTC** – Hardening done\n"
        #expect(try parse(md, fileName: "pm.md").rows.map(\.occurredAt)
            == [at("2026-03-04T15:48:00Z"), at("2026-03-05T10:07:00Z"), at("2026-03-06T19:56:00Z")])
        // 7/5 and 7/6: a day apart month first, a month apart day first.
        let slash = "## Timeline\n_7/5/2023_\n- 1:11 PM: Phishing mail reported\n\n_7/6/23_\n- 9:05 AM: Cards reissued\n"
        #expect(try parse(slash, fileName: "pm.md").rows.map(\.occurredAt) == [at("2023-07-05T13:11:00Z"), at("2023-07-06T09:05:00Z")])
    }

    @Test func aDayStatedForAllEntriesHoldsWhatEverOneEntrySays() throws {
        let md = """
        ## Timeline of events

        Unless otherwise noted all events happened on 2019-10-21, and all times are in
        UTC.

        - **2019-10-20 00:55: builds started failing**
        - 01:38: alerts fired
        - 19:27: disk replaced
        """
        #expect(try parse(md, fileName: "pm.md").rows.map(\.occurredAt)
            == [at("2019-10-20T00:55:00Z"), at("2019-10-21T01:38:00Z"), at("2019-10-21T19:27:00Z")])
    }

    @Test func tomlFrontMatterAndATitleWithTheDate() throws {
        let md = """
        +++
        path = "2018/10/19/update"
        title = "Update on the October 15, 2018 incident"
        +++

        On Monday, Oct 15, starting at 20:00 UTC, the registry was flooded.

        ## Timeline of events
        - 20:09 UTC: An account registers
        - 00:40 UTC: The account is locked
        """
        // The path's 2018/10/19 is metadata; the sentence's "Oct 15" takes the title's year.
        #expect(try parse(md, fileName: "pm.md").rows.map(\.occurredAt) == [at("2018-10-15T20:09:00Z"), at("2018-10-16T00:40:00Z")])
    }

    @Test func aWeekdayColumnBesideADateColumnAndTheYearInItsHeader() throws {
        let md = """
        | Day | Date (2022) | Time (UTC) | Event |
        |-----|-------------|-----------|-------|
        | Fri | Jan 28 | 02:34 | Fraudulent charge reported
        | Sat | Jan 29 | 10:05 | Card frozen
        """
        let rows = try parse(md, fileName: "pm.md").rows
        #expect(rows.map(\.occurredAt) == [at("2022-01-28T02:34:00Z"), at("2022-01-29T10:05:00Z")])
        #expect(rows.map(\.text) == ["Fraudulent charge reported", "Card frozen"])
    }

    @Test func approximateTimesRangesCodeBlocksAndADateWithTheTimeInItsSentence() throws {
        let md = """
        # Outage 2018-04-18

        ## Timeline

        ## Timeline

        All times in CEST

        ### ~13:30-13:45
        Hub pods stop responding.

        ```
        Apr 18 13:41:07 hub-0 kernel: Out of memory
        ```

        - 2018-04-19: At 09:58, the fix was deployed.
        - 2018-04-20: Postmortem written.
        """
        let result = try parse(md, fileName: "pm.md")
        #expect(result.rows.map(\.occurredAt) == [at("2018-04-18T11:30:00Z"), at("2018-04-19T07:58:00Z")])
        #expect(result.rows.first?.text == "Hub pods stop responding.\n```\nApr 18 13:41:07 hub-0 kernel: Out of memory\n```")
        #expect(result.unread.map(\.line) == [17])
        // Under a Timeline heading one timed entry is a timeline.
        #expect(try parse("## Timeline\n- 2021-08-17: Report received\n- 2021-08-27: At 12:50:07 UTC, exploited.\n", fileName: "pm.md").rows.count == 1)
    }

    @Test func entriesRunTogetherWithBrAreEntriesEach() throws {
        let md = "## Timeline\n\n### 2023-08-25\n\n05:07 - DNS stops answering<br> 05:12 - Paged the on-call<br>\n05:30 - Records restored\n"
        let result = try parse(md, fileName: "pm.md")
        #expect(result.rows.map(\.text) == ["DNS stops answering", "Paged the on-call", "Records restored"])
        #expect(result.rows.map(\.line) == [5, 5, 6])
    }

    @Test func rangesCarryTheirZoneAndTimesMayFollowAWord() throws {
        let md = """
        ## 2. Timeline (CET)

        **Incident Date:** 11 December 2025

        ### 01:58–02:00 CET
        Validator misses blocks.
        ### After 02:10 CET
        Node restarted.
        - **03:33:20-03:33:24 UTC / 04:33:20-04:33:24 CET**: Signing resumed
        """
        let result = try parse(md, fileName: "pm.md")
        #expect(result.rows.map(\.occurredAt) == [at("2025-12-11T00:58:00Z"), at("2025-12-11T01:10:00Z"), at("2025-12-11T03:33:20Z")])
        #expect(result.rows.last?.text == "Signing resumed")
    }

    @Test func pacificWrittenAsPSTSlashPDTFollowsDaylightSaving() throws {
        let md = "## Timeline (all times PST/PDT)\n\n### 2016-11-02\n**15:11** Build broke\n### 2016-11-07\n**16:27** Fixed\n"
        #expect(try parse(md, fileName: "pm.md").rows.map(\.occurredAt) == [at("2016-11-02T22:11:00Z"), at("2016-11-08T00:27:00Z")])
    }

    @Test func twoEntriesAFewMinutesOutOfOrderStayOnTheirDay() throws {
        let md = "## Timeline\n**Date: 2023-11-22**\n- 14:46 An admin responds\n- 14:44 Admins discuss\n- 15:53 Closed\n- 00:10 Follow-up sent\n"
        #expect(try parse(md, fileName: "pm.md").rows.map(\.occurredAt)
            == [at("2023-11-22T14:46:00Z"), at("2023-11-22T14:44:00Z"), at("2023-11-22T15:53:00Z"), at("2023-11-23T00:10:00Z")])
    }

    @Test func aHeadingThatStatesATimeAndAnItemWithItsTextBelow() throws {
        let md = """
        ### Timeline
        #### **Phase 1: Initial degradation (23:15-00:30 UTC / 16:15-17:30 PDT)**
        - **23:15 UTC — Block production slows**
        - 2025-08-19 00:05 UTC:
          Validators restarted
        """
        let result = try parse(md, fileName: "pm.md", date: day("2025-08-18", in: utc))
        #expect(result.rows.map(\.occurredAt) == [at("2025-08-18T23:15:00Z"), at("2025-08-18T23:15:00Z"), at("2025-08-19T00:05:00Z")])
        #expect(result.rows.map(\.text) == [
            "Phase 1: Initial degradation (23:15-00:30 UTC / 16:15-17:30 PDT)", "Block production slows", "Validators restarted",
        ])
    }

    @Test func militaryTimesDottedDatesAndADateSlashTime() throws {
        let md = """
        # v22.0.1 patch upgrade
        - Date: 2025-Feb-07

        ## Timeline
        - Feb 7 1506 UTC: Patch agreed
        - 1936 UTC: Released
        - Feb 8 0117 UTC: First apphash reported
        """
        #expect(try parse(md, fileName: "pm.md").rows.map(\.occurredAt)
            == [at("2025-02-07T15:06:00Z"), at("2025-02-07T19:36:00Z"), at("2025-02-08T01:17:00Z")])
        // Dotted dates are day first; "1500" is not a year in a heading's sentence.
        let dotted = "**Date**: 03.08.2023\n\n## Timeline (CEST)\n- *09:03* Replica lag alert\n- *09:41* Cluster crashed\n"
        #expect(try parse(dotted, fileName: "pm.md").rows.map(\.occurredAt) == [at("2023-08-03T07:03:00Z"), at("2023-08-03T07:41:00Z")])
        let slash = "## Timeline\n*2023-01-04 05:13*: Monitor alerted<br />\n*2023-01-04/11:34*: Provider blocked the address\n"
        #expect(try parse(slash, fileName: "pm.md").rows.map(\.occurredAt) == [at("2023-01-04T05:13:00Z"), at("2023-01-04T11:34:00Z")])
    }

    @Test func whatIsInParenthesesAfterATableTimeGoesWithTheText() throws {
        let md = """
        ## Timeline
        | Time (UTC) | Event |
        |---|---|
        | Jan 27th 2025, 18:50:28 UTC (block [24154245](https://example.org/b/24154245)) | Block times rise |
        """
        let rows = try parse(md, fileName: "pm.md").rows
        #expect(rows.map(\.occurredAt) == [at("2025-01-27T18:50:28Z")])
        #expect(rows.first?.text == "Block times rise (block [24154245](https://example.org/b/24154245))")
    }

    @Test func timesAtTheEndOfItemsTimeThenDateAndDateHeadingsThatNameTheZone() throws {
        let atTheEnd = "## Timeline\n\n- Attacker funded the wallet at 2021-02-12 8:55 AM +UTC\n- Contract deployed at 2021-02-13 5:37 AM +UTC\n"
        #expect(try parse(atTheEnd, fileName: "pm.md").rows.map(\.occurredAt) == [at("2021-02-12T08:55:00Z"), at("2021-02-13T05:37:00Z")])
        let timeThenDate = "_Written 2021-02-22._\n\n## Timeline\n- 15:30 UTC Feb 20: Vulnerability confirmed\n- 04:00 UTC Feb 22: Funds returned\n"
        #expect(try parse(timeThenDate, fileName: "pm.md").rows.map(\.occurredAt) == [at("2021-02-20T15:30:00Z"), at("2021-02-22T04:00:00Z")])
        let headings = "## Timeline\n#### 29-09-2021 (All times CEST)\n- 17:46 Network down\n### 03-10-2021 (All times CEST)\n- 9:23 Restored\n"
        #expect(try parse(headings, fileName: "pm.md").rows.map(\.occurredAt) == [at("2021-09-29T15:46:00Z"), at("2021-10-03T07:23:00Z")])
    }

    @Test func threeBackticksWithABacktickAfterThemAreNotAFenceAndOtherLanguagesNameTheTimeline() throws {
        let md = "## Issue Timeline\n- 2022-04-22 11:01 Errors rise\n```etchError: bad ``` in the logs\n- 2022-04-22 12:10 Recovered\n"
        #expect(try parse(md, fileName: "pm.md").rows.map(\.occurredAt) == [at("2022-04-22T11:01:00Z"), at("2022-04-22T12:10:00Z")])
        let norwegian = "# Hendelse\n\n## Tidslinje\n- 2023-11-14 10:47 Feil oppdaget\n- 2023-11-15 14:24 Rettet\n\n## Tiltak\n- 2023-12-01 09:00 Ny test\n"
        #expect(try parse(norwegian, fileName: "pm.md").rows.count == 2)
        // Lines of one paragraph that each state their own time are entries each.
        let labelled = "## Tidslinje\n\nFeil introdusert: 14.11.2023 10:47\nFeil oppdaget: 15.11.2023 14:20\nFeil rettet: 15.11.2023 14:24\n"
        #expect(try parse(labelled, fileName: "pm.md").rows.map(\.occurredAt) == [at("2023-11-14T10:47:00Z"), at("2023-11-15T14:20:00Z"), at("2023-11-15T14:24:00Z")])
    }

    @Test func aLongRunOfDashedTimesIsReadInOnePass() throws {
        // Once read the end of each range by reading the rest of the line
        // again, nested: 40,000 of these took the process down.
        let line = String(repeating: "1:00-", count: 20_000)
        _ = TimelineTable.tokens(String(repeating: "12-05 ", count: 20_000), strict: false)
        _ = try? parse("## Timeline\n- " + line + " text\n- 2:00 next\n", fileName: "pm.md", date: day("2026-03-01", in: utc))
        _ = try? parse("| Time | Event |\n|---|---|\n| " + String(repeating: "1:00 - ", count: 20_000) + " | x |\n", fileName: "pm.md", date: day("2026-03-01", in: utc))
        #expect(try TimelineTable.stamp("14:02 – 14:05 UTC").zone?.secondsFromGMT() == 0)
        // A time followed by a megabyte of blanks (the day-after-a-time
        // pattern once backtracked over them), and a megabyte of tildes
        // (each once rescanned the line for a time).
        _ = TimelineTable.sentenceEntries("At 14:02 UTC" + String(repeating: " ", count: 1 << 20) + "x", order: nil)
        _ = TimelineTable.tokens(String(repeating: "x~", count: 1 << 19), strict: false)
        _ = try? parse("Deploy at 14:02 UTC" + String(repeating: "\t", count: 1 << 20) + "x.\n\nAt 15:00 UTC done.\n", fileName: "pm.md", date: day("2026-03-01", in: utc))
    }

    @Test func aQuotedTimeWithItsZoneDoesNotChangeTheTimelinesZone() throws {
        let md = """
        ## Timeline
        All times central.

        2017-12-11 9:00am
        Notice received:

        `
        End time: 11 Dec, 2017 10:00 CST
        Posted on 11 Dec, 2017 14:18 UTC by the provider
        `

        2017-12-12 3:47pm
        Workaround applied.
        """
        #expect(try parse(md, fileName: "pm.md").rows.map(\.occurredAt).last == at("2017-12-12T21:47:00Z"))
    }

    /// cState, the Hugo status page: each update's time is a shortcode at
    /// the end of its paragraph; an untimed "Information" block stays out.
    @Test func statusPageUpdatesDatedByAShortcodeAtTheEndOfTheirParagraph() throws {
        let md = """
        ---
        title: Signing outage
        date: 2026-02-17 13:56:00
        ---

        Builds cannot be signed: the hardware key
        is not answering. {{< track "2026-02-17 13:56:00" >}}

        We are in contact with the data centre. {{< track "2026-02-19 17:49:00" >}}

        **Information**

        Affected builds will be restarted in batches.

        All affected builds finished. {{< track "2026-02-23 16:40:00" >}}
        """
        let rows = try parse(md, fileName: "issue.md").rows
        #expect(rows.map(\.occurredAt) == [at("2026-02-17T13:56:00Z"), at("2026-02-19T17:49:00Z"), at("2026-02-23T16:40:00Z")])
        #expect(rows.first?.text == "Builds cannot be signed: the hardware key\nis not answering.")
        #expect(!rows.contains { $0.text.contains("{{") })
    }

    /// Updates headed by a bold label with a month, a day and a 12-hour
    /// time but no year, newest first, each with paragraphs below it after a
    /// blank line; the year from the front matter.
    @Test func boldUpdateLabelsHeadTheParagraphsBelowThem() throws {
        let md = """
        ---
        title: Datacenter power upgrade
        date: 2025-02-23T11:28:24.801Z
        ---
        **\\[ Update Mar 11, 11:00 a.m.]**

        Cloud, HPC and Grid are now operational.

        GPFS storage is now extended.

        **\\[ Update Feb 25, 05:30 p.m.]**

        The shutdown starts at 18:00.
        """
        let result = try parse(md, fileName: "issue.md")
        #expect(result.rows.map(\.occurredAt) == [at("2025-03-11T11:00:00Z"), at("2025-02-25T17:30:00Z")])
        #expect(result.rows.first?.text.contains("GPFS storage is now extended.") == true)
    }

    /// Zone abbreviations beyond Europe and North America, as written after
    /// the time: Gulf Standard Time is UTC+4.
    @Test func gulfAndOtherZoneAbbreviationsAreTheirOffsets() throws {
        let md = "## Timeline\n\n6th November 2022:\n16:42 GST: Chain halted  \n19:02 GST: Restart announced\n"
        #expect(try parse(md, fileName: "pm.md").rows.map(\.occurredAt) == [at("2022-11-06T12:42:00Z"), at("2022-11-06T15:02:00Z")])
        #expect(try TimelineTable.stamp("14:02 HKT").zone?.secondsFromGMT() == 8 * 3600)
        #expect(try TimelineTable.stamp("14:02 SAST").zone?.secondsFromGMT() == 2 * 3600)
    }

    /// "20:50pm" and "13:40 a.m.": a 24-hour clock with a meridiem out of
    /// habit; the hour says which half of the day.
    @Test func aTwentyFourHourClockWithAMeridiemKeepsItsHour() throws {
        #expect(try TimelineTable.stamp("20:50pm").time?.hour == 20)
        #expect(try TimelineTable.stamp("13:40 a.m.").time?.hour == 13)
        #expect(try TimelineTable.stamp("00:15am").time?.hour == 0)
        #expect(try TimelineTable.stamp("12:15am").time?.hour == 0)
        #expect(try TimelineTable.stamp("7:01am").time?.hour == 7)
    }

    /// A template's example timeline left in an HTML comment is not the
    /// incident's; the date in the table's header is.
    @Test func anExampleTimelineInsideAnHTMLCommentIsNotRead() throws {
        let md = """
        ## Timeline
        <!--
        Describe the events. Example:

        2019-12-31
            09:09 DOWNTIME START - backend fails
            09:40 DOWNTIME END
        -->

        | Timeline 20.04.22 | Event |
        |---|---|
        | 11:28 | Team was made aware of the problem <!-- link? --> |
        | 19:33 | Processing resumes |

        ```
        <!-- kept: this is code -->
        ```
        """
        let rows = try parse(md, fileName: "pm.md").rows
        #expect(rows.map(\.occurredAt) == [at("2022-04-20T11:28:00Z"), at("2022-04-20T19:33:00Z")])
        #expect(rows.first?.text == "Team was made aware of the problem")
        // A CSV file is read as written: its cells may quote markup.
        let csv = "time,text\n2026-03-01 14:02,the page showed <!-- debug --> and {{ user.name }}\n"
        #expect(try parse(csv, fileName: "t.csv").rows.first?.text == "the page showed <!-- debug --> and {{ user.name }}")
        var lines = ["a <!-- b", "c", "d --> e", "```", "<!-- x -->", "```", "b <!-- never closed", "", "c"]
        TimelineTable.blankHTMLComments(&lines)
        #expect(lines == ["a ", "", " e", "```", "<!-- x -->", "```", "b <!-- never closed", "", "c"])
    }

    /// A status log: each update's time on the last line of its paragraph
    /// (a timestamp span, or Statuspage's "Posted … ago."), newest first,
    /// the year from the heading above.
    @Test func statusUpdatesWithTheTimeOnTheirLastLine() throws {
        let md = """
        ### December 18, 2018

        #### Development node does not respond

        **Resolved**: Development node `qb3-dev1` is functional.
        <br><span class="timestamp">Dec 18, 20:50 PT</span>

        **Investigating**: Development node `qb3-dev1` does not respond to SSH.
        <br><span class="timestamp">Dec 18, 16:30 PT</span>
        """
        let rows = try parse(md, fileName: "incidents.md").rows
        #expect(rows.map(\.occurredAt) == [at("2018-12-19T04:50:00Z"), at("2018-12-19T00:30:00Z")])
        #expect(rows.first?.text == "**Resolved**: Development node `qb3-dev1` is functional.")
        let statuspage = """
        Resolved
        This incident has been resolved.
        Posted 2 months ago. Sep 12, 2023 - 15:58 UTC

        Monitoring
        A fix has been implemented.
        Posted 2 months ago. Sep 12, 2023 - 15:40 UTC
        """
        #expect(try parse(statuspage, fileName: "status.md").rows.map(\.occurredAt) == [at("2023-09-12T15:58:00Z"), at("2023-09-12T15:40:00Z")])
    }

    /// Status updates are often written newest first. A list of times
    /// without dates that steps back in time at almost every line is read
    /// from its end: the oldest entry is on the document's day, and the
    /// newest, after midnight, on the next, with a note saying so. A list
    /// read forward that passes midnight once is left as it is.
    @Test func aListOfBareTimesWrittenNewestFirstCountsItsDaysFromTheEnd() throws {
        let md = """
        # Registry outage, 2024-03-08

        ## Timeline
        * **01:10 UTC** Every image is back.
        * **23:40 UTC** Copy job still running, 80 % restored.
        * **19:05 UTC** Copy job started from the backup bucket.
        * **17:30 UTC** Cause found: the cleanup removed shared layers.
        * **16:55 UTC** First report of failed pulls.
        """
        let result = try parse(md, fileName: "registry.md")
        #expect(result.rows.map(\.occurredAt) == [at("2024-03-09T01:10:00Z"), at("2024-03-08T23:40:00Z"), at("2024-03-08T19:05:00Z"),
                                                   at("2024-03-08T17:30:00Z"), at("2024-03-08T16:55:00Z")])
        #expect(result.notes.contains { $0.reason.contains("newest first") && $0.reason.contains("2024-03-08") })
        let forward = "# Registry outage, 2024-03-08\n\n## Timeline\n- 21:00 Alert\n- 22:10 Rollback\n- 23:50 Copy job\n- 00:20 Restored\n- 00:45 Closed\n"
        let read = try parse(forward, fileName: "registry.md")
        #expect(read.rows.map(\.occurredAt) == [at("2024-03-08T21:00:00Z"), at("2024-03-08T22:10:00Z"), at("2024-03-08T23:50:00Z"),
                                                 at("2024-03-09T00:20:00Z"), at("2024-03-09T00:45:00Z")])
        #expect(!read.notes.contains { $0.reason.contains("newest first") })
        // A list whose first entry has a date of its own is placed by it, and
        // the bare times below it, running newest first, are counted back from it.
        let dated = "## Timeline\n- 2024-03-09 01:10 Back\n- 23:40 Copying\n- 19:05 Copy started\n- 17:30 Cause found\n- 16:55 Report\n"
        let placed = try parse(dated, fileName: "registry.md")
        #expect(placed.rows.map(\.occurredAt) == [at("2024-03-09T01:10:00Z"), at("2024-03-08T23:40:00Z"), at("2024-03-08T19:05:00Z"),
                                                   at("2024-03-08T17:30:00Z"), at("2024-03-08T16:55:00Z")])
        #expect(placed.notes.contains { $0.reason.contains("newest first") && $0.reason.contains("the oldest on 2024-03-08") })
    }

    /// Postmortems written in other languages: a Japanese table (時刻 in JST,
    /// 頃 for "about", 〜 for "from", 翌 for the next day) under a dated
    /// heading, with a background row dated in parentheses; a German one
    /// with "Uhr"; approximate ISO times (`T~12:00Z`).
    @Test func tablesInOtherLanguagesAndApproximateTimes() throws {
        let japanese = """
        # キャッシュ障害

        ## タイムライン(2026-03-14、JST = UTC+9)

        | 時刻 (JST) | 出来事 |
        |---|---|
        | (2025-11-02) | 旧設定を導入 |
        | 21:05 | 設定変更をデプロイ |
        | 21:20〜 | エラー率が上昇 |
        | 22:40 頃 | 調査開始 |
        | 翌 00:15 頃 | 復旧を確認 |
        """
        let read = try parse(japanese, fileName: "incident.md")
        #expect(read.rows.map(\.occurredAt) == [at("2026-03-14T12:05:00Z"), at("2026-03-14T12:20:00Z"), at("2026-03-14T13:40:00Z"), at("2026-03-14T15:15:00Z")])
        #expect(read.rows.map(\.text) == ["設定変更をデプロイ", "エラー率が上昇", "調査開始", "復旧を確認"])
        #expect(read.unread.contains { $0.line == 7 && $0.reason.contains("in parentheses") })
        let german = "## Zeitleiste 12.05.2025\n\n| Zeit | Ereignis |\n|---|---|\n| 10:00 Uhr | Störung gemeldet |\n| gegen 11:30 Uhr | Dienst wieder erreichbar |\n"
        #expect(try parse(german, fileName: "stoerung.md").rows.map(\.occurredAt) == [at("2025-05-12T10:00:00Z"), at("2025-05-12T11:30:00Z")])
        let approximate = """
        | Time (UTC) | Action |
        |---|---|
        | 2026-05-18T09:36:00Z | Detected |
        | 2026-05-18T~12:00Z–~14:00Z | Fix written |
        | 2026-05-18 ~16:55 | Recovered |
        """
        #expect(try parse(approximate, fileName: "pm.md").rows.map(\.occurredAt) == [at("2026-05-18T09:36:00Z"), at("2026-05-18T12:00:00Z"), at("2026-05-18T16:55:00Z")])
    }

    /// A summary that restates an entry with its zone ("Aug 31 at 10:27am
    /// Eastern") gives the timeline its zone, even said once; a date inside
    /// a name (`index-2018-04-09`) gives no year; "Some time before …" is a time.
    @Test func aSummaryRestatingAnEntryWithItsZoneZonesTheTimeline() throws {
        let md = """
        # Search index lost

        ## Incident Date
        - Discovered: Sept 3, 2019

        ## Summary
        - On Saturday, Aug 31 at 10:27am Eastern the writer created "index-2018-04-09" again, empty.

        ## Timeline
        - Aug 31 8:49am: Cluster health turns yellow.
        - Some time before Aug 31 10:27am: Every index deleted.
        - Aug 31 10:27am: 'index-2018-04-09' is created by the writer.
        - Sept 3, 4:26pm: First report from a reader.
        """
        let read = try parse(md, fileName: "index.md")
        #expect(read.rows.map(\.occurredAt) == [at("2019-08-31T12:49:00Z"), at("2019-08-31T14:27:00Z"), at("2019-08-31T14:27:00Z"), at("2019-09-03T20:26:00Z")])
        #expect(read.notes.contains { $0.reason.contains("Eastern") })
        // A date in an image's path is where the file was put, not a day of the incident.
        let imaged = "# Incident report for Nov 18, 2025\n\n![Uptime](/images/blog/2025-11-20-incident-report/chart.png)\n\n## Timeline (UTC)\n\n- **11:33** — Alerts.\n- **14:40** — Resolved.\n"
        #expect(try parse(imaged, fileName: "2025-11-20-incident-report.mdx").rows.map(\.occurredAt) == [at("2025-11-18T11:33:00Z"), at("2025-11-18T14:40:00Z")])
        // Said once about something else, a zone is not the timeline's.
        let unrelated = md.replacingOccurrences(of: "Aug 31 at 10:27am Eastern", with: "Aug 31 at 9:00am Eastern")
        #expect(try parse(unrelated, fileName: "index.md").rows.first?.occurredAt == at("2019-08-31T08:49:00Z"))
    }

    /// A pipe table without its outer pipes (GitHub renders it), and a
    /// status update whose list is followed by its time on a line alone.
    @Test func tablesWithoutOuterPipesAndUpdatesTimedAfterTheirList() throws {
        let table = """
        ## Timeline

        Pieced together from the status posts:

        Time (Pacific) | Description
        --------------:|------------
        14:50          | Configuration change released.
        19:07          | Last router stops announcing the prefixes.
        19:27          | Impact resolved.

        From this, impact started before the first post at 18:51.
        """
        let read = try parse(table, fileName: "2016-04-11-review.md")
        #expect(read.rows.map(\.occurredAt) == [at("2016-04-11T21:50:00Z"), at("2016-04-12T02:07:00Z"), at("2016-04-12T02:27:00Z")])
        #expect(read.rows.map(\.text) == ["Configuration change released.", "Last router stops announcing the prefixes.", "Impact resolved."])
        let status = """
        *Update* - Service is back. {{< track "2020-09-28 14:00:00" >}}

        *Update* - Imports are affected:

        - imports stall
        - uploads are slow

        {{< track "2020-09-28 10:05:00" >}}

        *Investigating* - Errors reported. {{< track "2020-09-28 09:55:00" >}}
        """
        let updates = try parse(status, fileName: "issue.md").rows
        #expect(updates.map(\.occurredAt) == [at("2020-09-28T14:00:00Z"), at("2020-09-28T10:05:00Z"), at("2020-09-28T09:55:00Z")])
        #expect(updates[1].text.hasPrefix("*Update* - Imports are affected"))
    }

    /// Japanese postmortems: the zone in the Timeline heading's full-width
    /// parentheses, the day from a facts table's 影響期間 (impact window) row,
    /// and a title that names a product called "timeline" is not the section.
    @Test func japaneseHeadingsAndFactsTablesDateAndZoneTheTimeline() throws {
        let listed = """
        # 障害報告: 公開タイムラインが全断した

        ## 概要

        公開タイムラインが 502 を返した。

        ## タイムライン（JST）

        - `2026-06-09 05:03` 不正な行を書き込み。
        - `2026-06-09 16:45` 修正を適用。
        - `2026-06-09 16:47` 復旧を確認。
        """
        #expect(try parse(listed, fileName: "pm.md").rows.map(\.occurredAt) == [at("2026-06-08T20:03:00Z"), at("2026-06-09T07:45:00Z"), at("2026-06-09T07:47:00Z")])
        let tabled = """
        # PM-001: パイプライン障害

        | 項目 | 値 |
        |------|-----|
        | 重大度 | SEV-3 |
        | 影響期間 | 2026-03-23 19:25 JST 〜 21:27 JST |

        ## タイムライン

        | 時刻 (JST) | イベント |
        |---|---|
        | 19:25 | 再起動 |
        | 21:27 | 復旧 |
        """
        #expect(try parse(tabled, fileName: "PM-001.md").rows.map(\.occurredAt) == [at("2026-03-23T10:25:00Z"), at("2026-03-23T12:27:00Z")])
    }

    /// What the words around times must not do: a filler that comes before
    /// a clock, after one, is the text's first word; an Airflow "DAG" column
    /// is not a date; "Eastern" and "EDT" agree; 翌 moves to the next day
    /// however close the clocks; a day in parentheses that is not before the
    /// timeline's day still dates the rows after it.
    @Test func wordsAroundTimesKeepTheirMeaning() throws {
        let list = "## Timeline\n\n- 14:05 Some customers saw errors.\n- 14:20 Just after the rollback, errors stopped.\n- 14:30 The incident was closed.\n"
        #expect(try parse(list, fileName: "pm.md", date: day("2026-03-01", in: utc)).rows.map(\.text)
                == ["Some customers saw errors.", "Just after the rollback, errors stopped.", "The incident was closed."])
        let dag = """
        # Pipeline outage, 2026-03-01

        | DAG | Owner | Description |
        |---|---|---|
        | ingest_daily | data | Loads the day's files |

        ## Timeline

        - 09:00 The ingest DAG failed.
        - 09:40 Rerun succeeded.
        """
        #expect(try parse(dag, fileName: "pm.md").rows.map(\.occurredAt) == [at("2026-03-01T09:00:00Z"), at("2026-03-01T09:40:00Z")])
        let zones = """
        # Outage on 2026-07-01

        The alert fired at 10:02 EDT and we were back by 11:30 EDT; the status page went up at 10:20 Eastern.

        ## Timeline

        - 10:02 Alert fired.
        - 11:30 Service restored.
        """
        #expect(try parse(zones, fileName: "pm.md").rows.map(\.occurredAt) == [at("2026-07-01T14:02:00Z"), at("2026-07-01T15:30:00Z")])
        // Korean: "시각은 KST다" (times are KST), a 시점 column, "16:02 이후" (after 16:02).
        let korean = "- 날짜: 2026-09-27\n\n## 타임라인\n\n시각은 KST다.\n\n| 시점 | 사건 |\n|---|---|\n| 13:54 | 배포 시작 |\n| 16:02 이후 | 재시작마다 실패 |\n"
        let readKorean = try parse(korean, fileName: "0005.md")
        #expect(readKorean.rows.map(\.occurredAt) == [at("2026-09-27T04:54:00Z"), at("2026-09-27T07:02:00Z")])
        #expect(readKorean.rows.map(\.text) == ["배포 시작", "재시작마다 실패"])
        let nextDay = "## タイムライン(2026-03-14)\n\n| 時刻 | 出来事 |\n|---|---|\n| 21:05 | 設定変更 |\n| 翌 21:30 | 再発 |\n"
        #expect(try parse(nextDay, fileName: "pm.md").rows.map(\.occurredAt) == [at("2026-03-14T21:05:00Z"), at("2026-03-15T21:30:00Z")])
        let separators = """
        ## Timeline (2025-04-25)

        | Time | Event |
        |---|---|
        | 22:00 | Deploy |
        | (Sat 2025-04-26) | |
        | 09:00 | Rollback |
        """
        #expect(try parse(separators, fileName: "pm.md").rows.map(\.occurredAt) == [at("2025-04-25T22:00:00Z"), at("2025-04-26T09:00:00Z")])
    }

    /// A post dated the day after, that says "Yesterday": the day before its date.
    @Test func yesterdayInAPostIsTheDayBeforeItsDate() throws {
        let md = """
        ---
        title: "Post-mortem: CDN breaking changes"
        pubDate: Jan 16, 2025
        ---

        import { Image } from "astro:assets";

        Yesterday the CDN deployed breaking changes that caused errors for our users.

        ### Timeline

        - **12:00am ET** - Errors started.
        - **4:00pm ET** - Lock files regenerated.
        """
        let read = try parse(md, fileName: "post-mortem.mdx")
        #expect(read.rows.map(\.occurredAt) == [at("2025-01-15T05:00:00Z"), at("2025-01-15T21:00:00Z")])
        // Without "Yesterday", the post's own date.
        let today = md.replacingOccurrences(of: "Yesterday the", with: "The")
        #expect(try parse(today, fileName: "post-mortem.mdx").rows.first?.occurredAt == at("2025-01-16T05:00:00Z"))
        // "Last night" in the title or the opening, as Rollbar's 2013 post says.
        let lastNight = "---\ntitle: \"Post-mortem from last night's outage\"\ndate: 2013-01-11 15:57\n---\n\n## Timeline\n\nAll times are PST.\n\n9:30pm: Pingdom alert.\n\n12:10am: Stable.\n"
        #expect(try parse(lastNight, fileName: "outage.md").rows.map(\.occurredAt) == [at("2013-01-11T05:30:00Z"), at("2013-01-11T08:10:00Z")])
        let lastNightOpening = "---\ndate: 2013-01-11\n---\n\nFrom about 9:30pm to 12:30am last night, our website was down.\n\n## Timeline\n\n- 21:30 alert\n"
        #expect(try parse(lastNightOpening, fileName: "outage.md").rows.first?.occurredAt == at("2013-01-10T21:30:00Z"))
        // Next.js and Astro blogs name the field `publishedAt`; the page then
        // writes "On 23rd September" without a year.
        let next = "---\ntitle: Our outage\npublishedAt: \"2025-09-23\"\n---\n\nOn 23rd September we had an outage.\n\n## Timeline\n\n- **2:30 pm**: Deleted.\n- **4:30 pm**: Restored.\n"
        #expect(try parse(next, fileName: "outage.mdx").rows.first?.occurredAt == at("2025-09-23T14:30:00Z"))
    }

    /// A long write-up with a second timeline for a continuation reads
    /// both, and nothing between them; a plan's timeline is not one.
    @Test func everyTimelineSectionIsReadButAPlans() throws {
        let md = """
        # Outage

        ## Timeline (UTC, 2026-02-07)

        | Time | Event |
        |---|---|
        | 07:43 | App healthy |
        | 08:20 | 502 on every request |

        ## Symptoms

        At 08:16 a flood of SIGTERM began.

        ## Feb 8 continuation

        ### Timeline (UTC, Feb 8)

        | Time | Event |
        |---|---|
        | 06:55 | Preview stops answering |
        | 07:00 | Preview restarted |

        ## Remediation timeline

        - 2026-03-01 10:00 Alerts on disk use
        """
        let read = try parse(md, fileName: "pm.md")
        #expect(read.rows.map(\.occurredAt) == [at("2026-02-07T07:43:00Z"), at("2026-02-07T08:20:00Z"), at("2026-02-08T06:55:00Z"), at("2026-02-08T07:00:00Z")])
        #expect(TimelineTable.TimelineLines([5 ..< 9, 0 ..< 2, 8 ..< 12]).ranges == [0 ..< 2, 5 ..< 12])
        // "Time-line", as some write it, names the section too.
        #expect(TimelineTable.namesTimeline("## Time-line of the incident") && TimelineTable.namesTimeline("## Time line"))
        #expect(TimelineTable.TimelineLines([0 ..< 2, 5 ..< 12]).contains(6) && !TimelineTable.TimelineLines([0 ..< 2, 5 ..< 12]).contains(3))
    }

    /// Blogs and incident folders name files by their day: the last resort
    /// for dateless times, with a note saying so; template tags' dates are not
    /// the incident's.
    @Test func theDayInTheFilesNameIsTheLastResortAndTemplateTagsAreNotText() throws {
        let md = "# Hub outage\n\n- 10:05 Apps missing\n- 11:40 Restored\n"
        let result = try parse(md, fileName: "outage/2023-01-13-hub-fio.md")
        #expect(result.rows.map(\.occurredAt) == [at("2023-01-13T10:05:00Z"), at("2023-01-13T11:40:00Z")])
        #expect(result.notes.contains { $0.reason.contains("the date in the file's name") })
        #expect(TimelineTable.fileNameDay("2016-11-03 -- The day the icons lost their colour.md")?.iso == "2016-11-03")
        #expect(TimelineTable.fileNameDay("20160-11-03.md") == nil)
        #expect(TimelineTable.fileNameDay("0002-terminating-nodes.md") == nil)
        #expect(TimelineTable.fileNameDay("20260324_mitlearn_outage.md")?.iso == "2026-03-24")
        #expect(TimelineTable.fileNameDay("12345678-build.md") == nil)
        // A page saved under its day, the day as a word of the name's own.
        #expect(TimelineTable.fileNameDay("keygen-under-ddos-2024-02-05.txt")?.iso == "2024-02-05")
        #expect(TimelineTable.fileNameDay("hub-incident-post-mortem-20240422.md")?.iso == "2024-04-22")
        for name in ["dump-2024-13-45.md", "build-20241345.md", "v1.2024-01-05.md", "build-123456789.md", "run-9999-01-01.md"] {
            #expect(TimelineTable.fileNameDay(name) == nil, "\(name)")
        }
        // Filed on one day about an incident on an earlier one.
        #expect(TimelineTable.fileNameDay("2016-04-14-lexie-Compute-Engine-2016-04-11.md")?.iso == "2016-04-11")
        #expect(TimelineTable.fileNameDay("2016-04-14-Compute-Engine-2016-04-19.md")?.iso == "2016-04-14")
        // The document's own date wins over the file's name.
        let dated = "# Outage on July 18th, 2018\n\nSee {% post_url 2016-03-12-frontend %}.\n\n## Timeline\n\nAt 11:15 we scaled out.\nAround 12:20 it was under control.\n"
        let rows = try parse(dated, fileName: "_posts/2018-08-31-postmortem.md").rows
        #expect(rows.map(\.occurredAt) == [at("2018-07-18T11:15:00Z"), at("2018-07-18T12:20:00Z")])
        // A figure's caption describes the chart, not a moment.
        let figure = dated.replacingOccurrences(of: "At 11:15 we scaled out.\n", with: "At 11:15 we scaled out.\n\n<figure>\n<img src=\"a.png\" />\n<figcaption>\nTraffic fell around 12:05.\n</figcaption>\n</figure>\n\n")
        #expect(try parse(figure, fileName: "_posts/2018-08-31-postmortem.md").rows.count == 2)
    }

    /// The day in parentheses after the time's zone: `**23:00 UTC(*April 5*)** - …`.
    @Test func aDayInParenthesesAfterTheZone() throws {
        let md = "## CI failures\n\n* **23:00 UTC(*April 5*)** - Failures seen\n* **11:00 UTC** - More failures\n* **04:00 UTC(*April 7*)** - Stable\n"
        let rows = try parse(md, fileName: "2022-04-06-aws.md").rows
        #expect(rows.map(\.occurredAt) == [at("2022-04-05T23:00:00Z"), at("2022-04-06T11:00:00Z"), at("2022-04-07T04:00:00Z")])
        #expect(rows.first?.text == "Failures seen")
    }

    /// A fence with a language never closes a code block (CommonMark): after
    /// a stray "```", "```bash" opens the next one, and the entries below
    /// stay entries.
    @Test func aFenceWithALanguageOpensACodeBlockAndNeverClosesOne() throws {
        let md = "## Timeline\n### 2017-02-09 00:25 AM\nRan it:\n```sql\nSELECT 1;\n```\n*exit*\n```\n```bash\nsqlite3\n```\n```sql\n.save db\n```\n\n### 1:12 AM\nNotebooks gone.\n\n### 2:40 AM\nRestored.\n"
        let rows = try parse(md, fileName: "pm.md").rows
        #expect(rows.map(\.occurredAt) == [at("2017-02-09T00:25:00Z"), at("2017-02-09T01:12:00Z"), at("2017-02-09T02:40:00Z")])
        #expect(TimelineTable.closesFence("```", "```") && TimelineTable.closesFence("````  ", "```"))
        #expect(!TimelineTable.closesFence("```bash", "```"))
    }

    /// A status log in a list: a range that ends on the next day, then
    /// nested "Update #N at …" labels with their details below them.
    @Test func statusLabelsWithTheirTimeInAListAndARangeEndingOnTheNextDay() throws {
        let md = """
        ## 2018-09-23 02:20 UTC

        - 2018-09-22 22:20 EDT to 2018-09-23 00:05 EDT: worked a queue backlog.
          - Update #1 at 2018-09-22 23:15 EDT
            - Summary: fetching one status seizes the workers.
          - MONITORING at 2018-09-23 00:05 EDT
            - Things are holding together.
          - Deployed the fix at 2018-09-23 00:20 EDT, watching.
        """
        let rows = try parse(md, fileName: "incident.md").rows
        #expect(rows.map(\.occurredAt) == [at("2018-09-23T02:20:00Z"), at("2018-09-23T03:15:00Z"), at("2018-09-23T04:05:00Z")])
        #expect(rows.first?.text == "worked a queue backlog.")
        #expect(rows[1].text.hasPrefix("Update #1") && rows[1].text.contains("seizes the workers"))
        #expect(rows[2].text.contains("Deployed the fix"))
    }

    /// Timeline times without a zone take the one the summary's times state.
    @Test func timesWithoutAZoneTakeTheOneTheDocumentsOtherTimesState() throws {
        let md = "On Thursday January 28th, 2021 there was an outage from ~13:22 PST to ~16:17 PST.\n\n# TL;DR\n\nThe bug is fixed in v4.5.16+; we run v4.5.20.\n\n# Play by Play\n\n13:22 Alerts fired\n\n16:17 Recovered\n\n# How did we resolve it?\n\nRolled back at 16:10.\n"
        let rows = try parse(md, fileName: "pm.md").rows
        #expect(rows.map(\.occurredAt) == [at("2021-01-28T21:22:00Z"), at("2021-01-29T00:17:00Z")], "\(rows.map { ($0.line, $0.occurredAt, $0.text) })")
        #expect(try parse(md, fileName: "pm.md").notes.contains { $0.reason.contains("read in PST") })
        // A zone chosen for the file wins; one mention, or a zone that is also a word, says too little.
        #expect(try TimelineTable.parse(md, fileName: "pm.md", timeZone: TimeZone(identifier: "America/New_York")!, zoneIsGiven: true, date: nil, skipBadRows: false)
            .rows.first?.occurredAt == at("2021-01-28T18:22:00Z"))
        let once = "It was resolved at 18:00 UTC.\n\n## Timeline\n\n2021-01-28 14:00 Alert fired\n"
        #expect(try TimelineTable.parse(once, fileName: "pm.md", timeZone: TimeZone(identifier: "America/New_York")!, date: nil, skipBadRows: false)
            .rows.first?.occurredAt == at("2021-01-28T19:00:00Z"))
        // Two zones in the summary settle nothing: the given zone stands.
        let two = "From 13:22 PST (21:22 UTC) it was down.\n\n## Timeline\n\n2021-01-28 13:22 Alerts fired\n"
        #expect(try parse(two, fileName: "pm.md").rows.map(\.occurredAt) == [at("2021-01-28T13:22:00Z")])
    }

    /// What the Markdown passes must leave alone: an unclosed `<!--` in a
    /// sentence, template syntax in code, a status-page time under a
    /// heading, a zone abbreviation that is also a word, "0:30 PM".
    @Test func markupThatIsTextStaysText() throws {
        let comment = "## Timeline\n- 14:00 UTC: A deploy added `<!--` to the header template\n- 14:20 UTC: Rolled back\n"
        let rows = try parse(comment, fileName: "2026-03-01-pm.md").rows
        #expect(rows.count == 2 && rows[0].text.contains("`<!--`"))
        let helm = "## Timeline\n- 2026-03-01 14:00 UTC: Set `{{ .Values.image }}` and `${{ github.head_ref }}`\n- 2026-03-01 14:20 UTC: Done\n"
        #expect(try parse(helm, fileName: "pm.md").rows.first?.text == "Set `{{ .Values.image }}` and `${{ github.head_ref }}`")
        let heading = "## Timeline\n- 2023-09-19 14:00 UTC: alert fired\n- 2023-09-19 14:30 UTC: resolved\n\n## Next review\nScheduled for\n2023-09-20 10:00 UTC\n"
        #expect(try parse(heading, fileName: "pm.md").rows.count == 2)
        let words = "## Timeline\n- 2026-03-01 14:00 SAST scan flagged the dependency\n- 2026-03-01 14:10 GST: invoices failed\n"
        let read = try parse(words, fileName: "pm.md").rows
        #expect(read.map(\.occurredAt) == [at("2026-03-01T14:00:00Z"), at("2026-03-01T10:10:00Z")])
        #expect(read.first?.text == "SAST scan flagged the dependency")
        #expect(try TimelineTable.stamp("0:30 PM").time?.hour == 12)
        #expect(try TimelineTable.stamp("1.4.22 14:00").day == 1)
        // A commented-out status update and a figure's caption are neither entries nor errors.
        let hidden = "## Timeline\n<!-- Example:\nWe are investigating.\nSep 12, 2023 - 15:58 UTC\n\n-->\n- 2023-09-12 16:00 UTC: paged\n<figure>\n<figcaption>\nTraffic fell\n12:05 UTC\n</figcaption>\n</figure>\n- 2023-09-12 16:30 UTC: fixed\n"
        #expect(try parse(hidden, fileName: "pm.md").rows.map(\.occurredAt) == [at("2023-09-12T16:00:00Z"), at("2023-09-12T16:30:00Z")])
    }

    /// A narrative with no timeline section, table or timed line: its
    /// sentences that state a time are the entries, said in a note; the
    /// facts list's "date: first reported about 2pm" is not one. One time
    /// alone is not a timeline.
    @Test func aNarrativeWithoutATimelineIsReadFromItsSentences() throws {
        let md = """
        # Deploying a broken AB test

        - date: First reported about 2pm
        - duration: 2.5 hours

        ## Cause

        On Tuesday 25 June this was merged to master.

        At approx 1:15pm the changes were released to PROD.

        At 2pm we were notified that the graphs had dropped off.

        We fixed the code and released it 4pm. The graphs recovered shortly after.
        """
        let result = try parse(md, fileName: "2013-06-25.md")
        #expect(result.rows.map(\.occurredAt) == [at("2013-06-25T13:15:00Z"), at("2013-06-25T14:00:00Z"), at("2013-06-25T16:00:00Z")])
        #expect(result.notes.contains { $0.reason.hasPrefix("no timeline section, table or timed line") })
        #expect(result.unread.isEmpty)
        #expect(throws: TimelineTableError.self) { try parse("# Notes\n\nWe met at 2pm to talk.\n", fileName: "2013-06-25.md") }
    }

    /// A day written after its time ("at 1:45 PM PST on July 21st") dates
    /// that time, and a date in the sentence before it (joined by two
    /// spaces, as typists write) does not. Paragraphs stay one entry each.
    @Test func aDayAfterItsTimeAndNotTheSentenceBefore() throws {
        let md = """
        # Delayed Ship Date Retro
        ## July 21st, 2021

        ### What Happened

        The team planned to release on July 20th, 2021.  We triggered the first release attempt at 1:45 PM PST on July 21st.  This release hung at 1:46 PM PST.

        A huddle was initiated at 2:36 PM PST to find the issue.

        At 3:04 PM PST we queued another release attempt, which went out on the 21st by 5:02 PM PST.
        """
        let rows = try parse(md, fileName: "retro.md").rows
        #expect(rows.map(\.occurredAt) == [at("2021-07-21T21:45:00Z"), at("2021-07-21T22:36:00Z"), at("2021-07-21T23:04:00Z")])
        // Only "on" and a date right after the time count: "the 2nd" later in
        // a sentence is not the time's day.
        // Three sentences joined by two spaces: the time's own is the last.
        let three = "# Retro 2021\n\n## July 21st, 2021\n\nFroze on July 19th, 2021.  Planned for July 20th, 2021.  We triggered it at 1:45 PM PST on July 21st.\n\nA huddle began at 2:36 PM PST.\n"
        #expect(try parse(three, fileName: "retro.md").rows.map(\.occurredAt) == [at("2021-07-21T21:45:00Z"), at("2021-07-21T22:36:00Z")])
        // A day without its year that is not right before the time names
        // something else ("the March 3 deploy"); the day in effect stands.
        let other = "## Timeline\n\nOn 1 March 2026 the pager fired at 14:02 UTC.\n\nWe rolled back the March 3 deploy at 16:04 UTC.\n"
        #expect(try parse(other, fileName: "pm.md").rows.map(\.occurredAt) == [at("2026-03-01T14:02:00Z"), at("2026-03-01T16:04:00Z")])
        let later = "## Timeline\n\nOn 1 March 2026 we paged at 14:02 UTC and kept at it until the 2nd.\n\nWe resumed at 09:00 UTC on March 2nd.\n"
        #expect(try parse(later, fileName: "pm.md").rows.map(\.occurredAt) == [at("2026-03-01T14:02:00Z"), at("2026-03-02T09:00:00Z")])
    }

    /// A date in parentheses inside a sentence is background, even when the
    /// sentence wraps so that the line starts with it; the front matter's
    /// date is the timeline's. A cell with several times ("05:52:02 /
    /// 05:52:19", two hosts; "21:16 / 21:19 / 22:15", three runs) is one
    /// entry at the first.
    @Test func aDateInParenthesesIsBackgroundAndACellWithSeveralTimesStartsAtTheFirst() throws {
        let md = """
        ---
        title: "ENA kernel panic"
        date: 2026-07-10
        ---

        ## Impact

        The migrate Job had been failing silently since #44 merged
        (2026-07-09), masked because the roles it creates already existed.

        ## Timeline (UTC)

        | Time | Event |
        |---|---|
        | 05:48–05:52 | deploy rolls every deployment |
        | 05:52:02 / 05:52:19 | two nodes stop logging |
        | 12:16 | CoreDNS restarted |
        | 21:16 / 21:19 / 22:15 | the plan ran three times |
        """
        let rows = try parse(md, fileName: "0001-testing-ena-panic.md").rows
        #expect(rows.map(\.occurredAt) == [at("2026-07-10T05:48:00Z"), at("2026-07-10T05:52:02Z"), at("2026-07-10T12:16:00Z"), at("2026-07-10T21:16:00Z")])
        #expect(rows[1].text == "two nodes stop logging")
        // A date in parentheses that ends a title is the day, when it is the only one.
        let titled = "Postmortem: API gateway outage (2026-07-09)\n\n## Timeline\n\n- 14:02 paged\n- 14:40 fixed\n"
        #expect(try parse(titled, fileName: "pm.md").rows.map(\.occurredAt) == [at("2026-07-09T14:02:00Z"), at("2026-07-09T14:40:00Z")])
        // Two different days are not one entry's two moments.
        #expect(throws: TimelineTableError.self) { try parse("| Time | Event |\n|---|---|\n| 2026-03-01 14:02 / 2026-03-02 09:00 | two days |\n", fileName: "pm.md", skipBadRows: false) }
    }

    /// A blog post exported from WordPress: its paragraphs are HTML, each
    /// update is "UPDATE 7 May 19:27 UTC - …" (a day without its year, the
    /// year from the page's `date:`), and the page's facts above it are no
    /// entry.
    @Test func htmlParagraphsWithDayAndMonthBeforeTheirTime() throws {
        let md = """
        title: Mail outage
        date: '2014-05-07T14:48:16+00:00'
        layout: post

        <p>During the afternoon of May 6th we began experiencing delays in mail delivery.&nbsp;</p>
          <p><b><u>UPDATE 7 May 19:27 UTC </u></b>- Drives have been replaced &amp; the array is rebuilding.</p>
          <p><u><b>UPDATE 8 May 05:00 UTC</b></u> - The disk array failed to repair itself.</p>
          <p><b>UPDATE 12 May 16:04 UTC</b> - Clarification: the <a href="https://example.org/q">queue</a> is long.</p>
        <h2>Lessons</h2>
        <li>Spare drives were fitted at 17:10 UTC</li>
        """
        let result = try parse(md, fileName: "mail_outage.md")
        #expect(result.rows.map(\.occurredAt) == [at("2014-05-07T19:27:00Z"), at("2014-05-08T05:00:00Z"), at("2014-05-12T16:04:00Z"), at("2014-05-12T17:10:00Z")])
        #expect(result.rows[0].text == "UPDATE 7 May 19:27 UTC - Drives have been replaced & the array is rebuilding.")
        #expect(result.rows[2].text.contains("the queue is long"))
        #expect(!result.rows.contains { $0.text.contains("<") })
        // Only the page's date is a fact to leave out: "Reported: 14:02 UTC"
        // in a narrative is still when something happened.
        let narrative = "date: 2026-03-01\n\nReported: 14:02 UTC by a customer.\n\nThe fix went out at 14:40 UTC.\n"
        #expect(try parse(narrative, fileName: "pm.md").rows.map(\.occurredAt) == [at("2026-03-01T14:02:00Z"), at("2026-03-01T14:40:00Z")])
    }

    /// A paragraph wrapped mid-sentence: the time's day is on the line
    /// above ("On August 27th, starting at" / "about 18:00 UTC …"). A line
    /// above that states its own time lends nothing ("Feil introdusert:
    /// 14.11.2023 10:47" / "Feil oppdaget: 15.11.2023 14:20").
    @Test func aWrappedSentenceKeepsItsDayFromTheLineAbove() throws {
        let md = """
        date: '2009-08-28T12:33:19+00:00'

        This is what happened on Friday August 28 2009 to the services. On August 27th, starting at
        about 18:00 UTC an account used for backups uploaded files.
        The attackers ran the scripts at 07:00 UTC on August 28.

        Feil introdusert: 14.11.2023 10:47
        Feil oppdaget: 15.11.2023 14:20
        """
        let rows = try parse(md, fileName: "downtime.md").rows
        #expect(rows.map(\.occurredAt) == [at("2009-08-27T18:00:00Z"), at("2009-08-28T07:00:00Z"), at("2023-11-14T10:47:00Z"), at("2023-11-15T14:20:00Z")])
    }

    /// Japanese ranges are written with a wave dash ("08:55〜09:01"); a tilde
    /// between two times is a range too, and before one it means "about".
    @Test func wavedAndTildeRangesStartAtTheirFirstTime() throws {
        let md = """
        # 障害報告 2026-09-30

        ## 時系列（JST）

        | 時刻 | 出来事 |
        |---|---|
        | 08:55〜09:01 | 設定を変更 |
        | 09:05～09:07 | 配備 |
        | 09:10~09:12 | 確認 |
        | ~09:20 | 復旧 |
        """
        let rows = try parse(md, fileName: "2026-09-30-oauth.md").rows
        #expect(rows.map(\.occurredAt) == [at("2026-09-29T23:55:00Z"), at("2026-09-30T00:05:00Z"), at("2026-09-30T00:10:00Z"), at("2026-09-30T00:20:00Z")])
    }

    /// No Timeline section: the chronology is paragraphs that open "At" with a
    /// full date and time, then a timed list. Both are entries; a summary
    /// that opens "On Thursday 12/8/2017 at 8:30pm" or "By 21:00" is not.
    @Test func paragraphsOpeningWithAFullDateAndTimeBesideATimedList() throws {
        let md = """
        # GitLab.com database incident

        By 23:30 UTC the site was down. On Tuesday 2017/01/31 at 17:20 UTC data stopped being saved.

        ## First incident

        At 2017/01/31 18:00 UTC, we detected that spammers were hammering the database.

        At 2017/01/31 21:00 UTC, this escalated causing a lockup on writes.

        ## Recovery

        - 2017/02/01 00:36 - Backup the staging data
        - 2017/02/01 00:55 - Mount it on the cluster
        """
        let rows = try parse(md, fileName: "incident.md").rows
        #expect(rows.map(\.occurredAt) == [at("2017-01-31T18:00:00Z"), at("2017-01-31T21:00:00Z"), at("2017-02-01T00:36:00Z"), at("2017-02-01T00:55:00Z")])
        #expect(rows[0].text.hasPrefix("At 2017/01/31 18:00 UTC, we detected"))
    }

    /// Dated entries in a document that writes AM and PM: a bare time
    /// earlier on the same day than the one before is the afternoon's; a
    /// date inside a name ("resources-2018-04-09") dates nothing.
    @Test func datedBareTimesAfterAnAfternoonAndDatesInsideNames() throws {
        let md = "Discovered: 2018-07-12. The old index 'resources-2017-04-09' was kept.\n\n## Timeline\n\n- July 12 1:34pm: alerted\n- July 12 2:00: logs examined\n- July 12 2:40: hotfix live\n- July 13 9:10: checked again\n"
        let rows = try parse(md, fileName: "pm.md").rows
        #expect(rows.map(\.occurredAt) == [at("2018-07-12T13:34:00Z"), at("2018-07-12T14:00:00Z"), at("2018-07-12T14:40:00Z"), at("2018-07-13T09:10:00Z")])
        #expect(TimelineTable.tokens("resources-2018-04-09", strict: false).allSatisfy { if case .isoDate = $0 { return false }; return true })
    }

    /// A timeline written as an HTML table, a tag per line.
    @Test func anHTMLTableIsReadLikeAPipeTable() throws {
        let md = """
        ## Timeline

        <table>
          <tr>
            <th>Time</th>
            <th>Component</th>
            <th>Description</th>
          </tr>
          <tr>
            <td>2024-08-02 10:06 CEST</td>
            <td>Messaging</td>
            <td>Rolling upgrade starts &amp; a new <b>balancer</b> is on.</td>
          </tr>
          <tr>
            <td>10:08 CEST</td>
            <td>Messaging</td>
            <td>Connection issues | seen.</td>
          </tr>
        </table>
        """
        let rows = try parse(md, fileName: "pm.md").rows
        #expect(rows.map(\.occurredAt) == [at("2024-08-02T08:06:00Z"), at("2024-08-02T08:08:00Z")])
        // Read forward once: 40,000 unclosed openings, rows and cells take no longer than their length.
        _ = try? parse(String(repeating: "<table\n<tr><td>", count: 40_000) + "</table>\n", fileName: "pm.md", date: day("2026-03-01", in: utc))
        _ = try? parse("<table>\n<tr>" + String(repeating: "<td><t<tr", count: 40_000) + "\n</table>\n", fileName: "pm.md", date: day("2026-03-01", in: utc))
        #expect(rows.first?.text.contains("Rolling upgrade starts & a new balancer is on.") == true)
        #expect(rows.last?.text.contains("Connection issues | seen.") == true)
    }

    /// A line that is only a span ("* 2024-03-02 09:10 - 11:45" over the
    /// entries of that span, "1. March 4th -- 16:30 to 17:00 UTC") is an
    /// entry at its start, the span as written its text; a heading that is
    /// only a span still takes the text below it.
    @Test func aLineThatIsOnlyASpanIsAnEntry() throws {
        let nested = """
        ## Timeline

        * 2024-03-02 09:10 - 11:45
          * 09:10 Alerts fire for the queue
          * 11:45 Backlog drained
        * 2024-03-04 08:00 - 08:30
          * Replayed the dead letters
        """
        let rows = try parse(nested, fileName: "pm.md").rows
        #expect(rows.map(\.occurredAt) == [at("2024-03-02T09:10:00Z"), at("2024-03-02T09:10:00Z"), at("2024-03-02T11:45:00Z"), at("2024-03-04T08:00:00Z")])
        #expect(rows.map(\.text).first == "2024-03-02 09:10 - 11:45")
        #expect(rows.last?.text.contains("Replayed the dead letters") == true)

        let numbered = "---\ndate: 2024-03-20\n---\n\nThe API was down three times:\n\n1. March 4th -- 16:30 to 17:00 UTC\n2. March 13th -- 15:00 to 19:30 UTC\n3. March 15th -- 15:30 to 18:00 UTC\n"
        let spans = try parse(numbered, fileName: "pm.md").rows
        #expect(spans.map(\.occurredAt) == [at("2024-03-04T16:30:00Z"), at("2024-03-13T15:00:00Z"), at("2024-03-15T15:30:00Z")])
        #expect(spans.first?.text == "March 4th -- 16:30 to 17:00 UTC")

        let headed = "## Timeline\n\n### 8:20 - 8:24\n\nThe deploy ran.\n\n### 8:30\n\nRolled back.\n"
        #expect(try parse(headed, fileName: "pm.md", date: day("2024-03-02", in: utc)).rows.map(\.text) == ["The deploy ran.", "Rolled back."])
        // One time alone is not a span: still no entry without text.
        #expect(!TimelineTable.spansTwoClocks("2024-03-02 09:10") && TimelineTable.spansTwoClocks("16:30 to 17:00 UTC"))
        #expect(!TimelineTable.spansTwoClocks("14.06.2022 10:00"), "a day.month date is not a clock")
        let dotted = "## Timeline\n\n- 14.06.2022 10:00\n  - 10:00 Alert\n  - 10:20 Fixed\n"
        #expect(try parse(dotted, fileName: "pm.md", skipBadRows: true).rows.map(\.text) == ["Alert", "Fixed"])
    }

    /// "16:4x": a minute known to ten minutes is read at the start of those ten.
    @Test func aMinuteKnownToTenMinutes() throws {
        let md = "## Timeline\n\n- `2026-06-09 16:4x` A user reports the error\n- `2026-06-09 16:45` Migration applied\n- 16:5X checked\n"
        let result = try parse(md, fileName: "pm.md")
        let rows = result.rows
        #expect(rows.map(\.occurredAt) == [at("2026-06-09T16:40:00Z"), at("2026-06-09T16:45:00Z"), at("2026-06-09T16:50:00Z")])
        #expect(result.notes.map(\.line) == [3, 5], "each guess is said")
        #expect(result.notes.first?.reason.contains("\"16:4x\" gives the minute to ten minutes") == true)
        #expect(rows.first?.text == "A user reports the error")
        for notATime in ["16:4xyz", "16:7x", "25:4x", "16:4x2"] {
            #expect(!TimelineTable.tokens(notATime, strict: false).contains { if case .clock = $0 { return true }; return false }, "\(notATime)")
        }
    }

    /// Dates written the Chinese, Japanese and Korean way ("2021年11月25日",
    /// "2021년 11월 25일", "11月25日"), and list items that are only a day
    /// ("* 11/26") over the timed items of that day.
    @Test func cjkDatesAndDayListItems() throws {
        let md = """
        ### 発生日時
        2021年11月25日午後3時

        ## 発生から復旧までのタイムライン
         * 11/25
             * 15:00 - v1.4.0リリース
                 * 確認
             * 16:17 - Issue 投稿
         * 11/26
             * 10:47 - iOS版の復旧報告
         * 11/27
             * 11:28 - Android版リリース
        """
        let rows = try parse(md, fileName: "pm.md").rows
        #expect(rows.map(\.occurredAt) == [at("2021-11-25T15:00:00Z"), at("2021-11-25T16:17:00Z"), at("2021-11-26T10:47:00Z"), at("2021-11-27T11:28:00Z")])
        // Only over entries nested under it: a fraction or a schedule among
        // the entries is their text, and a day before the one in effect is
        // in the next year.
        let fractions = "## Timeline\n\n- 2024-01-05 10:00 Rollout\n- 1/2\n- 10:40 Fixed\n- 24/7\n  - 3/4\n- 11:00 Done\n"
        let plain = try parse(fractions, fileName: "pm.md").rows
        #expect(plain.map(\.occurredAt) == [at("2024-01-05T10:00:00Z"), at("2024-01-05T10:40:00Z"), at("2024-01-05T11:00:00Z")])
        #expect(plain[0].text.contains("1/2") && plain[1].text.contains("24/7") && plain[1].text.contains("3/4"))
        let newYear = "Happened 2023-12-31.\n\n## Timeline\n\n* 12/31\n    * 23:50 - alert\n* 1/1\n    * 00:10 - fixed\n"
        #expect(try parse(newYear, fileName: "pm.md").rows.map(\.occurredAt) == [at("2023-12-31T23:50:00Z"), at("2024-01-01T00:10:00Z")])
        #expect(rows[2].text == "iOS版の復旧報告")
        let spaced = "## 事发过程\n\n2025 年 3 月 15 日上午，再次出现问题。下面是当日时间线：\n\n- **10:47** 发现被篡改\n- **16:30** 开启审计\n"
        #expect(try parse(spaced, fileName: "pm.md").rows.map(\.occurredAt) == [at("2025-03-15T10:47:00Z"), at("2025-03-15T16:30:00Z")])
        #expect(TimelineTable.tokens("2025年13月1日", strict: false).allSatisfy { if case .isoDate = $0 { return false }; return true }, "no 13th month")
        let korean = "## 타임라인\n\n2024년 3월 2일\n\n- 09:10 알림 발생\n- 09:40 복구\n"
        #expect(try parse(korean, fileName: "pm.md").rows.map(\.occurredAt) == [at("2024-03-02T09:10:00Z"), at("2024-03-02T09:40:00Z")])
        let chinese = "事件发生于 2025年3月15日。\n\n## 时间线\n\n**3月15日**\n\n- 10:47 发现异常\n- 21:00 处理完毕\n\n**3月16日**\n\n- 09:00 复盘\n"
        #expect(try parse(chinese, fileName: "pm.md").rows.map(\.occurredAt) == [at("2025-03-15T10:47:00Z"), at("2025-03-15T21:00:00Z"), at("2025-03-16T09:00:00Z")])
    }

    /// A list item wrapped over indented lines with its time at the end of
    /// the last ("… posted a dig of the" / "    domain at 2:50pm"), under a
    /// heading named "Running log"; day lines in bold between them.
    @Test func wrappedListItemsTimedAtTheirEnd() throws {
        let md = """
        ### Storefront unreachable - 2023-03-14

        A paragraph about the plan. At 9am we started, which is background.

        #### Running log

        * Ops confirmed the record had been changed at 2:15pm
        * Priya saw the old address still answering for her and posted a dig of the
            storefront domain at 2:50pm
        * Sam checked a propagation site and noted most resolvers had the new
            record at 3pm

        **NEXT DAY (2023-03-15)**

        * Priya ran some diagnostics. She found that one provider's servers still
            returned nothing at 10am
        * Sam confirmed it was fixed at 11:55am
        """
        let result = try parse(md, fileName: "pm.md")
        #expect(result.rows.map(\.occurredAt) == [at("2023-03-14T14:15:00Z"), at("2023-03-14T14:50:00Z"), at("2023-03-14T15:00:00Z"),
                                                  at("2023-03-15T10:00:00Z"), at("2023-03-15T11:55:00Z")])
        #expect(result.rows[1].text.contains("storefront domain"))
        #expect(result.rows.map(\.line) == [7, 8, 10, 15, 17])
        // An item with a time of its own keeps it; its wrapped note is its text.
        let own = "## Sequence of events\n\n- 10:00 Deploy started, which took\n  longer than the 10:30 window\n- 11:00 Done\n"
        let rows = try parse(own, fileName: "pm.md", date: day("2023-03-14", in: utc)).rows
        #expect(rows.map(\.occurredAt) == [at("2023-03-14T10:00:00Z"), at("2023-03-14T11:00:00Z")])
    }

    /// "12:39" then "1:50" on one day, no a.m. or p.m. anywhere: a 12-hour
    /// clock, said in a note; "12:39" then "01:50" is a 24-hour clock past
    /// midnight.
    @Test func aTwelveHourClockWithoutAMOrPM() throws {
        let md = """
        ## Timeline (UTC)

        * 2015-02-27 09:27 Build started
        * 2015-02-27 12:39 Workspaces wiped
        * 2015-02-27 1:50 Rebuilding the broken node
        * 2015-02-27 4:50 Asked for a status message
        * 2015-02-27 5:51 Incident over
        """
        let result = try parse(md, fileName: "pm.md")
        #expect(result.rows.map(\.occurredAt) == [at("2015-02-27T09:27:00Z"), at("2015-02-27T12:39:00Z"), at("2015-02-27T13:50:00Z"),
                                                  at("2015-02-27T16:50:00Z"), at("2015-02-27T17:51:00Z")])
        #expect(result.notes.contains { $0.line == 5 && $0.reason.contains("12-hour clock") })
        let bare = "## Timeline\n\n- 11:16 deployed\n- 12:16 creds rolled\n- 1:52 drains found\n- 3:31 trees reopened\n"
        #expect(try parse(bare, fileName: "pm.md", date: day("2019-03-20", in: utc)).rows.map(\.occurredAt)
                == [at("2019-03-20T11:16:00Z"), at("2019-03-20T12:16:00Z"), at("2019-03-20T13:52:00Z"), at("2019-03-20T15:31:00Z")])
        let midnight = "## Timeline\n\n- 11:10 paged\n- 12:39 still down\n- 01:50 fixed\n"
        let night = try parse(midnight, fileName: "pm.md", date: day("2019-03-20", in: utc))
        #expect(night.rows.last?.occurredAt == at("2019-03-21T01:50:00Z"))
        #expect(!night.notes.contains { $0.reason.contains("12-hour clock") })
    }

    /// No zone written anywhere but the front matter's date
    /// (`date: 2012-04-04 15:19:15 +0200`): the bare times are in that
    /// offset, with a note; a zone the text states wins.
    @Test func theFrontMatterDatesOffsetZonesBareTimes() throws {
        let md = "---\ntitle: Slow file access\ndate: 2012-04-04 15:19:15 +0200\n---\n\n**TIMELINE:**\n\n* 15:19 Opened incident report\n* 17:40 Resynchronising\n"
        let result = try parse(md, fileName: "pm.md")
        #expect(result.rows.map(\.occurredAt) == [at("2012-04-04T13:19:00Z"), at("2012-04-04T15:40:00Z")])
        #expect(result.notes.contains { $0.line == 3 && $0.reason.contains("UTC+02:00") && $0.reason.contains("offset of the page's date") })
        let stated = md.replacingOccurrences(of: "* 15:19 Opened", with: "* 15:19 CET Opened")
        #expect(try parse(stated, fileName: "pm.md").rows.first?.occurredAt == at("2012-04-04T14:19:00Z"))
        let utc = md.replacingOccurrences(of: "+0200", with: "+0000")
        #expect(try parse(utc, fileName: "pm.md").rows.first?.occurredAt == at("2012-04-04T15:19:00Z"))
        #expect(try TimelineTable.parse(md, fileName: "pm.md", timeZone: berlin, zoneIsGiven: true, date: nil, skipBadRows: false).rows.first?.occurredAt == at("2012-04-04T13:19:00Z"))
    }

    /// A page that opens with `Key: value` metadata (Pelican, MultiMarkdown):
    /// its fields are the page's facts, not entries.
    @Test func metadataLinesAtTheTopAreFrontMatter() throws {
        let md = """
        Title: Datacenter move
        Date: 2025-06-30 01:00+0000
        OutageFinish: 2025-07-04 01:00+0000

        We will be moving services.

        Update 2025-07-01 01:00UTC:

        Many services have been migrated.

        Update 2025-07-02 2:30UTC:

        All data migrated.
        """
        let rows = try parse(md, fileName: "move.md").rows
        #expect(rows.map(\.occurredAt) == [at("2025-07-01T01:00:00Z"), at("2025-07-02T02:30:00Z")])
        #expect(TimelineTable.frontMatterEnd(["Summary: x", "Impact: y", "", "text"]) == nil, "a block naming neither title nor date")
        #expect(TimelineTable.frontMatterEnd(["Title: x", "Date: 2025-06-30", "", "text"]) == 1)
        #expect(TimelineTable.frontMatterEnd(["Title: x", "10:00 started"]) == nil, "a timeline line is not metadata")
    }

    /// A story told in paragraphs without a timeline: each paragraph that
    /// states a time is one entry at its first, as people counting a
    /// published report count it, dated by the day the paragraph opens with
    /// (a year written ’24 too).
    @Test func aStoryIsReadParagraphByParagraph() throws {
        let md = """
        export const post = { title: 'Relay outage' }

        ## What happened

        On November 5th ’24 we had a global outage which started with degraded performance around 11:00 GMT and became a full outage by 17:00 GMT. It was reported by 22:50 GMT and resolved at 23:01 GMT.

        Traffic was shed from 23:10 GMT to 23:30 GMT.
        """
        let rows = try parse(md, fileName: "relay-outage.mdx").rows
        #expect(rows.map(\.occurredAt) == [at("2024-11-05T11:00:00Z"), at("2024-11-05T23:10:00Z")])
        #expect(rows[0].text.contains("resolved at 23:01 GMT"))
        #expect(TimelineTable.withShortYearsWritten("Nov 5th ’24 and May 3, '98, not don't or ’24 alone") == "Nov 5th 2024 and May 3, 1998, not don't or ’24 alone")
    }

    /// A paragraph that opens with its day ("Also on 15 April 2026, …")
    /// dates the times of its later sentences; German "gegen 17 Uhr" is a
    /// time; a page with front matter is Markdown whatever its name.
    @Test func aParagraphsOpeningDayAndGermanHours() throws {
        let md = """
        ## Establishing the timeline

        On 11 April 2026, error rates rose. This was resolved.

        Also on 15 April 2026, our database became CPU locked. We later found that at 2:10am SAST a cronjob had caused it.

        On 23 April 2026, 1AM SAST, our alerts fired. The issue came back that evening (8PM SAST).
        """
        let rows = try parse(md, fileName: "april.md").rows
        // (The evening's recurrence is told in the same paragraph: one entry.)
        #expect(rows.map(\.occurredAt) == [at("2026-04-15T00:10:00Z"), at("2026-04-22T23:00:00Z")])
        #expect(rows.last?.text.hasSuffix("(8PM SAST).") == true)
        let german = "---\nlayout: post\n---\nSeit dem 25.07.2019 gegen 17 Uhr liegt eine Störung vor.\n\nIm Augenblick sind 64% online (Stand 28.07.2019 15:13 Uhr).\n"
        #expect(try parse(german, fileName: "ausfall.mdx").rows.map(\.occurredAt) == [at("2019-07-25T17:00:00Z"), at("2019-07-28T15:13:00Z")])
    }

    /// Status updates in raw HTML (`<b>Update, October 19, 8:40am:</b><br>`),
    /// newest first: the bold label is the update's time, and a time in its
    /// text ("Starting at 11pm on October 17") is part of it.
    @Test func statusUpdatesInBoldHTML() throws {
        let md = """
        ---
        title: Dashboard errors
        date: 2022-10-18T19:52:46-04:00
        ---
        <p>
        <b>Update, October 19, 1:15pm:</b><br>
        All services have been restored.
        <br><br>
        <b>Initial Announcement, October 18, 7:50pm:</b><br>
        Starting at 11pm on October 17, the dashboard returned errors.
        </p>
        """
        let result = try parse(md, fileName: "issue.html")
        #expect(result.rows.map(\.occurredAt) == [at("2022-10-19T17:15:00Z"), at("2022-10-18T23:50:00Z")])
        #expect(result.rows[1].text.contains("Starting at 11pm"))
    }

    /// A line that is only a zone ("(UTC+9:30)") under the Timeline heading
    /// zones the times below it and is not itself a time of 9:30; a status
    /// page's italic "*Investigating 2019-01-28 17:33:00*:" is an update.
    @Test func aZoneAloneAndStatusWordsBeforeTheTime() throws {
        let md = "# 2018-04-24 journal outage\n\n## Timeline\n\n(UTC+9:30)\n\n6:54am - First alert\n\n9:20am - Investigation\n\n4:15pm - All nodes updated\n"
        let result = try parse(md, fileName: "outage.md")
        #expect(result.rows.map(\.occurredAt) == [at("2018-04-23T21:24:00Z"), at("2018-04-23T23:50:00Z"), at("2018-04-24T06:45:00Z")])
        let pdt = try parse("## Timeline\n\n**PDT**\n\n- 2024-06-01 10:00 paged\n- 2024-06-01 10:30 fixed\n", fileName: "pm.md").rows
        #expect(pdt.first?.occurredAt == at("2024-06-01T17:00:00Z"))
        #expect(TimelineTable.sentenceEntries("Sydney is at UTC+10:00 these days.", order: nil).allSatisfy { $0.time == nil })
        let status = """
        *Update 2019-01-29 14:40:00*: The host is up again.

        *Update 2019-01-28 21:30:00*: The host is compromised.

        *Investigating 2019-01-28 17:33:00*: The host is down.
        """
        let rows = try parse(status, fileName: "vela.md").rows
        #expect(rows.map(\.occurredAt) == [at("2019-01-29T14:40:00Z"), at("2019-01-28T21:30:00Z"), at("2019-01-28T17:33:00Z")])
        #expect(rows.last?.text == "The host is down.")
        // A date in parentheses glossing "yesterday" is the day, not background.
        let yesterday = "We were offline for much of yesterday (2018-09-20) afternoon.\n\n## Timeline\n\nTime | State\n--- | ---\n12:00 | unresponsive\n18:21 | back online\n"
        #expect(try parse(yesterday, fileName: "2018-09-21-downtime.md").rows.map(\.occurredAt) == [at("2018-09-20T12:00:00Z"), at("2018-09-20T18:21:00Z")])
    }

    /// What the new readings must leave alone, found by reviewing them:
    /// each is an ordinary timeline that read right before.
    @Test func lookAlikesOfTheNewReadings() throws {
        let d = day("2024-03-05", in: utc)
        // Indented lines that open with a time are entries, not a wrapped item.
        let nested = "- Timeline of the outage:\n    14:02 paged\n    14:10 acked\n    14:30 fixed\n"
        #expect(try parse(nested, fileName: "pm.md", date: d).rows.map(\.occurredAt) == [at("2024-03-05T14:02:00Z"), at("2024-03-05T14:10:00Z"), at("2024-03-05T14:30:00Z")])
        // A reference time inside a later sentence is not the item's moment.
        let reference = "## Timeline\n\n- 14:05 Alerts fire\n- Rolled back the release. The 09:00 deploy had changed the pool size.\n- 14:30 Errors stop\n"
        let refRows = try parse(reference, fileName: "pm.md", date: d).rows
        #expect(refRows.map(\.occurredAt) == [at("2024-03-05T14:05:00Z"), at("2024-03-05T14:30:00Z")])
        #expect(refRows[0].text.contains("Rolled back"))
        // A 24-hour clock: an afternoon hour that day, or a gap of many hours.
        let newest = "## Timeline\n\n- 16:20 Resolved\n- 14:10 Fix deployed\n- 12:30 Identified\n- 9:45 First reports\n"
        let newestRead = try parse(newest, fileName: "pm.md", date: d)
        #expect(newestRead.rows.map(\.occurredAt) == [at("2024-03-05T16:20:00Z"), at("2024-03-05T14:10:00Z"), at("2024-03-05T12:30:00Z"), at("2024-03-05T09:45:00Z")])
        #expect(!newestRead.notes.contains { $0.reason.contains("12-hour clock") })
        let gap = "## Timeline\n\n- 2024-03-05 11:00 paged\n- 2024-03-05 12:50 mitigated\n- 2024-03-06 8:30 confirmed\n"
        #expect(try parse(gap, fileName: "pm.md").rows.last?.occurredAt == at("2024-03-06T08:30:00Z"))
        // A paragraph's opening day stops where the clock goes back past
        // midnight: its sentences, each opening with its time, are a log.
        let night = "## What happened\n\nAt 23:50 on March 3 2024 the job started. At 00:20 it failed.\n"
        #expect(try parse(night, fileName: "pm.md").rows.map(\.occurredAt) == [at("2024-03-03T23:50:00Z"), at("2024-03-04T00:20:00Z")])
        // A story's paragraph is one entry, dated by the day it names.
        let story = "We deployed the fix at 14:00 and rolled it back at 15:30 on March 3, 2024. Nobody noticed until 16:00 that day.\n"
        #expect(try parse(story, fileName: "story.md").rows.map(\.occurredAt) == [at("2024-03-03T14:00:00Z")])
        // Headings that name logs or logging are not a timeline.
        for heading in ["### Improve incident logging", "## Running logrotate", "## Incident logs"] {
            #expect(!TimelineTable.namesTimeline(heading), "\(heading)")
        }
        #expect(TimelineTable.namesTimeline("#### Running log") && TimelineTable.namesTimeline("## Sequence of Events"))
        // A span in a date field is no offset.
        #expect(TimelineTable.clockOffset("2024-03-05 09:30-11:00") == nil)
        #expect(TimelineTable.clockOffset("2023-05-01T12:00:00-07:00")?.word == "UTC-07:00")
    }

    @Test func aStoryToldInWeekdays() throws {
        // 2019-05-13 is a Monday: "Last Wednesday" is the 8th, counted back
        // from the page's date; later weekdays count forward from the story's day.
        let story = """
        ---
        title: "Post-mortem: queue stall"
        date: 2019-05-13
        ---
        ## What happened?

        Last Wednesday, in the afternoon, we saw errors from the API.

        On Thursday, things got worse.

        At 8 pm CEST, builds stopped entirely.

        At around 2:30 am CEST, things were looking up.

        We finally pulled the plug at 2:00 am CEST on Saturday morning.

        On Monday the 13th, in the afternoon, capacity ran out again.

        That switch was deployed at 20:00 CEST.
        """
        let read = try parse(story, fileName: "stall.md")
        #expect(read.rows.map(\.occurredAt) == [
            at("2019-05-09T18:00:00Z"), at("2019-05-10T00:30:00Z"), at("2019-05-11T00:00:00Z"), at("2019-05-13T18:00:00Z"),
        ])
        #expect(read.notes.contains { $0.reason.contains("\"Last Wednesday\" was read as 2019-05-08") })
        #expect(read.notes.contains { $0.reason.contains("on Saturday\" was read as 2019-05-11") })
        // Under a Timeline heading too: "### Tuesday" dates the times below it.
        let headed = "## Timeline\n\n### Monday\n\n- 23:10 paged\n\n### Wednesday\n\n- 09:00 fix shipped\n"
        #expect(try parse(headed, fileName: "pm.md", date: day("2024-03-04", in: utc)).rows.map(\.occurredAt) == [at("2024-03-04T23:10:00Z"), at("2024-03-06T09:00:00Z")])
    }

    @Test func weekdaysThatNameNoDayOfTheStory() {
        #expect(TimelineTable.namedWeekday("On Wednesday night at around 22:30 UTC")?.weekday == 3)
        #expect(TimelineTable.namedWeekday("and at around 22:00 UTC last Thursday, all of it ran")?.past == true)
        #expect(TimelineTable.namedWeekday("Meanwhile, on Tuesday afternoon, requests timed out", opening: true)?.weekday == 2)
        #expect(TimelineTable.namedWeekday("On Monday the 22nd, in the afternoon", opening: true)?.ordinal == 22)
        // Habits, spans, deadlines and weekdays beside a date say nothing of the story's day.
        for text in ["On Mondays we deploy at 10:00", "every Friday at 16:00 the job runs", "Monday to Friday, 09:00 to 17:00",
                     "a fix is promised by Monday at 10:00", "Sundayschool starts at 9:00", "On Tuesday 25 June this was merged",
                     "On Friday, March 3 at 14:00 it failed", "until Thursday the queue was slow"] {
            #expect(TimelineTable.namedWeekday(text) == nil, "\(text)")
            #expect(TimelineTable.namedWeekday(text, opening: true) == nil, "\(text)")
        }
        // Nothing to count from: no day at all.
        #expect(TimelineTable.day(of: TimelineTable.NamedWeekday(weekday: 1, past: false, ordinal: nil, words: "Monday"), from: TimelineTable.DateContext(fallback: nil)) == nil)
    }

    @Test func statusPageUpdateLogs() throws {
        // Statusfy's update blocks, stamped to the millisecond.
        let statusfy = """
        ---
        title: Workspaces do not start
        date: '2021-01-13T17:06:46.693Z'
        ---
        We are investigating.

        ::: update Identified | 2021-01-13T17:12:46.693Z
        Traffic is routed to the EU cluster.
        :::

        ::: update Resolved | 2021-01-14T12:03:46.693Z
        This incident has been resolved.
        :::
        """
        let updates = try parse(statusfy, fileName: "workspaces.md").rows
        #expect(zip(updates.map(\.occurredAt), [at("2021-01-13T17:12:46.693Z"), at("2021-01-14T12:03:46.693Z")]).allSatisfy { abs($0.timeIntervalSince($1)) < 0.001 })
        #expect(updates.map(\.text) == ["Identified:\nTraffic is routed to the EU cluster.", "Resolved:\nThis incident has been resolved."])
        // Newest first, each time alone over its paragraphs, "---" between,
        // and only some times with a date: the bare ones are counted from
        // the dated one below them.
        let log = """
        ---
        title: Service disruption in PHX1
        date: 2024-01-17 23:04:00
        ---

        02:00 UTC

        We are closing this status.

        We will follow up with learnings.

        ---

        01:00 UTC

        Connectivity is restored; a small chance of disruption remains.

        ---

        00:25 UTC

        Still monitoring.

        ---

        2024-01-18 00:10 UTC

        Connectivity to PHX1 is being restored.

        ---

        23:45 UTC

        No further details from our partner.

        ---

        2024-01-17 23:30 UTC

        A full outage is reported at the partner site.
        """
        let read = try parse(log, fileName: "phx1.md")
        #expect(read.rows.map(\.occurredAt) == [
            at("2024-01-18T02:00:00Z"), at("2024-01-18T01:00:00Z"), at("2024-01-18T00:25:00Z"),
            at("2024-01-18T00:10:00Z"), at("2024-01-17T23:45:00Z"), at("2024-01-17T23:30:00Z"),
        ])
        #expect(read.rows[0].text == "We are closing this status.\nWe will follow up with learnings.")
        #expect(read.notes.contains { $0.reason.contains("newest first") && $0.reason.contains("2024-01-17") })
        // Read forward, dated rows that step forward are not a newest-first log.
        let forward = "## Timeline\n\n- 2024-01-17 23:30 outage\n- 23:45 no news\n- 2024-01-18 00:10 restoring\n- 00:25 monitoring\n- 01:00 restored\n"
        #expect(try parse(forward, fileName: "pm.md").rows.map(\.occurredAt).last == at("2024-01-18T01:00:00Z"))
    }

    @Test func aYearlessDayTakesTheFileNamesYearAndAChangelogDatesNothing() throws {
        let text = """
        ## TL;DR

        On Wednesday, 4th October, DNS resolution failed.

        ## Timeline

        All times given are in CEST (UTC+2)

        | **09:24** | Alerts are raised |
        | **10:00** | The cause is identified |

        ### Changelog

        2023-10-20 : Initial version
        """
        #expect(try parse(text, fileName: "2023-10-20-SPM-2023-001.md").rows.map(\.occurredAt) == [at("2023-10-04T07:24:00Z"), at("2023-10-04T08:00:00Z")])
    }

    @Test func underlinedHeadingsClocksWithoutAColonAndLabelledUpdates() throws {
        // reStructuredText: any punctuation underline; "0820UTC" is 08:20 UTC.
        let rst = """
        Migration of the build hosts
        ############################

        We plan the downtime for April 26.

        Update April 26, 0820UTC
        ========================

        The first host is migrated.

        Update April 26, 1110 UTC
        =========================

        Everything is up and running.
        """
        let read = try parse(rst, fileName: "2016-04-20-migration.rst")
        #expect(read.rows.map(\.occurredAt) == [at("2016-04-26T08:20:00Z"), at("2016-04-26T11:10:00Z")])
        #expect(read.rows.first?.text.contains("The first host is migrated.") == true)
        // Markdown's setext headings, and a "---" after a blank line is a break, not a heading.
        let setext = "Timeline\n--------\n\n- 14:00 paged\n- 14:20 rolled back\n\n---\n\nWritten by the on-call team.\n"
        let setextRows = try parse(setext, fileName: "pm.md", date: day("2024-03-05", in: utc)).rows
        #expect(setextRows.map(\.occurredAt) == [at("2024-03-05T14:00:00Z"), at("2024-03-05T14:20:00Z")])
        #expect(!setextRows[1].text.contains("Written by"))
        // Four digits are a clock only with a zone right after them.
        var lines = ["Served 1500 requests at 0820UTC, 0730Z and in 2016 (UTC+1)", "build 20160426 UTC"]
        TimelineTable.colonlessClocksBeforeAZone(&lines)
        #expect(lines == ["Served 1500 requests at 08:20 UTC, 07:30 UTC and in 2016 (UTC+1)", "build 20160426 UTC"])
        // A status word, its time in parentheses, then the update.
        let labelled = """
        The computing resources will be unavailable from Monday, 18 January 2021 15:00 UTC until 20 January 2021 15:00 UTC.

        * **UPDATE** (2021-01-19 12:00 UTC) - The electrical intervention has finished.
        * **UPDATE** (2021-01-20 22:00 UTC) - All systems were recovered.
        """
        let updates = try parse(labelled, fileName: "intervention.md").rows
        #expect(updates.map(\.occurredAt) == [at("2021-01-19T12:00:00Z"), at("2021-01-20T22:00:00Z")])
        #expect(updates.first?.text == "UPDATE: The electrical intervention has finished.")
        #expect(TimelineTable.labelledTime("Update (see below) - nothing timed", order: nil) == nil)
    }

    @Test func monthsInOtherLanguagesWeekdaysThatSettleTheYearAndZonesPerTimeline() throws {
        // Spanish, with "de" between the day and the month, and an abbreviated month.
        let spanish = "# Informe de incidente\n\nEl 2 de Enero 2025 el panel quedó expuesto.\n\n## Cronología\n\n- **18:00** - Detección\n- **19:30** - Respuesta\n"
        #expect(try parse(spanish, fileName: "informe.md").rows.map(\.occurredAt) == [at("2025-01-02T18:00:00Z"), at("2025-01-02T19:30:00Z")])
        let abbreviated = "# Ban de WhatsApp\n\n## Cronología\n\n- **29 dic 19:00** - Primer aviso\n- **29 dic 19:30** - Bloqueo\n"
        #expect(try parse(abbreviated, fileName: "2025-12-30-ban.md").rows.first?.occurredAt == at("2025-12-29T19:00:00Z"))
        for (word, month) in [("Oktober", 10), ("décembre", 12), ("março", 3), ("maart", 3), ("luglio", 7)] {
            #expect(TimelineTable.monthNumber(word.lowercased()) == month, "\(word)")
        }
        // English words are not months: "set", "ago", "out", "gen", "mag".
        #expect(["set", "ago", "out", "gen", "mag"].allSatisfy { TimelineTable.monthNumber($0) == nil })
        // "Monday 4th November" on a page of 2025: the 4th was a Monday in 2024.
        let weekdays = "---\ndate: 2025-12-04\n---\n## Timeline\n\nMonday 4th November:\n\n7:30am deployed the new login.\n\nTuesday 5th November\n\n9:27am first report of issues.\n"
        #expect(try parse(weekdays, fileName: "status.md").rows.map(\.occurredAt) == [at("2024-11-04T07:30:00Z"), at("2024-11-05T09:27:00Z")])
        // A weekday that fits no nearby year leaves the year alone.
        #expect(TimelineTable.weekdayYear(TimelineTable.tokens("Monday 4th November", strict: false), month: 11, day: 4, near: 2025) == 2024)
        #expect(TimelineTable.weekdayYear(TimelineTable.tokens("5th November", strict: false), month: 11, day: 5, near: 2025) == 2025)
        // An acronym in a long paragraph that mentions time is no zone ("ICT" the department, not Indochina Time).
        let acronym = """
        ## Timeline

        ICT reported that, due to heightened security arrangements put in place at the time, ICT prevented unauthorised app registrations.

        - 11:19 We discovered the issue.
        - 16:51 The application was approved.
        """
        #expect(try parse(acronym, fileName: "pm.md", date: day("2024-01-02", in: utc)).rows.first?.occurredAt == at("2024-01-02T11:19:00Z"))
        // One page, several incidents: each Timeline heading's zone is its own.
        let log = "## October\n\n### Timeline (UK / BST)\n\n2025/10/17 08:24 Inputs failed\n\n2025/10/17 13:07 Resolved\n\n## November 2024\n\n### Timeline\n\n2024/11/08 10:31 Intermittent\n\n2024/11/08 11:00 Solved\n"
        #expect(try parse(log, fileName: "status.md").rows.map(\.occurredAt) == [
            at("2025-10-17T07:24:00Z"), at("2025-10-17T12:07:00Z"), at("2024-11-08T10:31:00Z"), at("2024-11-08T11:00:00Z"),
        ])
    }

    @Test func clocksWrittenTheChineseJapaneseAndKoreanWay() throws {
        var lines = ["* 上午11时更新：原因已确定", "下午3点20分 恢复", "午後3時半に再開", "13時40分頃 停電発生", "오후 3시 20분 복구", "오전 2:27 ~ 오전 4:03",
                     "復旧に2時間かかった", "以下3点を確認", "3시간 동안", "2025年9月5日(金)13:40頃"]
        TimelineTable.cjkClocks(&lines)
        #expect(lines == ["*  11:00 更新：原因已确定", " 15:20  恢复", " 15:30 に再開", " 13:40 頃 停電発生", " 15:20  복구", " 02:27  ~  04:03 ",
                          "復旧に2時間かかった", "以下3点を確認", "3시간 동안", "2025年9月5日(金)13:40頃"])
        // A status post of 7 October (+08:00): bare hours, then "8日" for the next morning.
        let post = """
        +++
        date = "2021-10-07T09:45:00+08:00"
        title = "镜像站10月7日9时起服务不可用"
        +++

        镜像站服务目前处于不完全可用状态。

        * 上午11时更新：初步确定服务器无法启动的原因。
        * 下午3时更新：我们已经进入 recovery mode 进行修复工作。
        * 8日上午9时更新：服务已经恢复。
        """
        #expect(try parse(post, fileName: "2021-10-07-outage.md").rows.map(\.occurredAt) == [
            at("2021-10-07T03:00:00Z"), at("2021-10-07T07:00:00Z"), at("2021-10-08T01:00:00Z"),
        ])
        // A month and day marked as such, right before a time in a sentence.
        #expect(TimelineTable.dated("12:00", before: "一部を除き9月9日", order: nil) == "September 9 12:00")
    }

    @Test func aZoneTheProseStatesForAListWithoutATimelineHeading() throws {
        let text = """
        +++
        title = 'Mail Service Outage'
        date = 2023-07-15
        +++
        At 6:50PM CDT on July 15, 2023 our monitoring system detected our mail server went offline.

        **Updates**

        * 6:50PM - Outage start
        * 8:45PM - Node recovered
        * 12:00AM - Minor maintenance
        """
        let rows = try parse(text, fileName: "mail.md").rows
        #expect(rows.suffix(3).map(\.occurredAt) == [at("2023-07-15T23:50:00Z"), at("2023-07-16T01:45:00Z"), at("2023-07-16T05:00:00Z")])
    }

    @Test func logDatesLowerCaseZonesAndATimeBeforeItsDay() throws {
        var lines = ["__1:00 PM, 20-Dec-18: Outage due to AC failure__", "13-Apr-2017 10:02 UPS failure", "ticket 20-dec-18x and 1-2-3"]
        TimelineTable.hyphenatedDates(&lines)
        #expect(lines == ["__1:00 PM, 20 Dec 2018: Outage due to AC failure__", "13 Apr 2017 10:02 UPS failure", "ticket 20-dec-18x and 1-2-3"])
        // A bold heading with the time first and its day after it.
        let log = "## Alerts\n\n__1:00 PM, 20-Dec-18: Outage due to AC failure__\n\nAll systems were down.\n\n__2:30 PM, 11-Jul-18: Storage issues__\n\nStorage was slow.\n"
        #expect(try parse(log, fileName: "alerts.md").rows.map(\.occurredAt) == [at("2018-12-20T13:00:00Z"), at("2018-07-11T14:30:00Z")])
        // A zone written in lower case after a time in prose.
        let story = "On May 25, 2022 emails were delayed (~10:25 am edt). Assets failed to load until ~10:46 am edt.\n"
        #expect(try parse(story, fileName: "upgrade.md").rows.first?.occurredAt == at("2022-05-25T14:25:00Z"))
        // A number after a time is text unless a month follows it.
        #expect(TimelineTable.splitLeadingTime("14:00 3 servers failed")?.time == "14:00")
    }

    @Test func lookAlikesOfStop33sReadings() throws {
        let d = day("2024-03-05", in: utc)
        // "---" inside a code block, or under a long paragraph, is no heading.
        let fenced = "## Timeline\n\n- 10:00 UTC applied this manifest:\n\n```yaml\nkind: ConfigMap\n---\nkind: Deployment\n```\n\n- 10:20 UTC rolled back\n- 10:40 UTC resolved\n"
        #expect(try parse(fenced, fileName: "pm.md", date: d).rows.count == 3)
        let updates = "02:00 UTC\n\nWe are investigating reports of failed deploys in the EU region.\n---\n03:00 UTC\n\nA fix is rolling out.\n\n---\n\n04:00 UTC\n\nResolved.\n"
        #expect(try parse(updates, fileName: "status.md", date: d).rows.count == 3)
        // A zone said of the times in a long sentence, however it is put.
        for statement in ["All timestamps in this section are in Pacific Time as reported by our paging tool and the chat log.",
                          "This was the first time we had seen this failure; all times below are in PST as our paging tool shows them.",
                          "All of the times in this postmortem, unless noted otherwise, are given in Eastern Time as the team wrote them down."] {
            #expect(TimelineTable.zoneSaidOfTimes(statement) != nil, "\(statement)")
        }
        #expect(TimelineTable.zoneSaidOfTimes("ICT reported that, due to security arrangements put in place at the time, ICT prevented unauthorised app registrations.") == nil)
        // A CSV file's zone is not taken from the times its text mentions.
        let csv = "author,time,text\nalice,2024-01-18 10:00,errors from 02:00 PST\nbob,2024-01-18 10:05,the 02:05 PST deploy was rolled back\n"
        #expect(try parse(csv, fileName: "timeline.csv").rows.first?.occurredAt == at("2024-01-18T10:00:00Z"))
        // Weekdays that name no day of the story.
        for text in ["At 10:05 UTC we agreed to move the migration to Friday.", "At 10:05 UTC the Patch Tuesday updates landed.",
                     "At 10:05 UTC Black Friday traffic peaked."] {
            #expect(TimelineTable.namedWeekday(text) == nil, "\(text)")
        }
        #expect(TimelineTable.namedWeekday("Friday's config push turned out to be the trigger.", opening: true) == nil)
        // A weekday far from the date does not move its year; nor does "sat".
        let toks = TimelineTable.tokens("Our API was down on Nov 4 after the pod sat in CrashLoopBackOff", strict: false)
        #expect(TimelineTable.day(in: toks, fallbackYear: 2025, order: nil)?.year == 2025)
        // A number after a time is a day only before a month; "may" is a verb; "Mars" a planet.
        #expect(TimelineTable.splitLeadingTime("10:10 UTC 12 may need a restart")?.time == "10:10 UTC")
        #expect(TimelineTable.day(in: TimelineTable.tokens("The Mars 2 rover", strict: false), fallbackYear: 2025, order: nil) == nil)
        // Under a time alone, a paragraph that opens with its own time is its own entry; "next update at" is not.
        let alone = "## Timeline\n\n10:00 UTC\n\nThe alert fired.\n\nAt 10:20 UTC we rolled back.\n\n10:40 UTC\n\nResolved.\n"
        #expect(try parse(alone, fileName: "status.md", date: d).rows.map(\.occurredAt) == [at("2024-03-05T10:00:00Z"), at("2024-03-05T10:20:00Z"), at("2024-03-05T10:40:00Z")])
        let next = "10:00 UTC\n\nThe alert fired.\n\nNext update will be at 11:00 UTC.\n\n10:40 UTC\n\nResolved.\n"
        let nextRows = try parse(next, fileName: "status.md", date: d).rows
        #expect(nextRows.map(\.occurredAt) == [at("2024-03-05T10:00:00Z"), at("2024-03-05T10:40:00Z")])
        #expect(nextRows[0].text.contains("Next update will be at 11:00 UTC."))
        // A zone stated between two incidents' timelines holds for the second.
        let two = "## A\n\n### Timeline (UK / BST)\n\n- 2025-07-01 10:00 paged\n- 2025-07-01 10:30 fixed\n\n## B\n\nAll times for this incident are in PST.\n\n### Timeline\n\n- 2025-12-01 10:00 paged\n- 2025-12-01 10:30 fixed\n"
        #expect(try parse(two, fileName: "log.md").rows.map(\.occurredAt).suffix(2) == [at("2025-12-01T18:00:00Z"), at("2025-12-01T18:30:00Z")])
        // A revision history is no timeline.
        #expect(!TimelineTable.namesTimeline("## Versionsverlauf") && TimelineTable.namesTimeline("## Zeitlicher Verlauf"))
        // Years and packed stamps stay as written; "3 시도" (three attempts) is no clock; 晚上12点 is midnight.
        var lines = ["rolled back the 2023 GMT-offset patch", "X-Amz-Date 20240301T0820Z", "총 3 시도 후 실패", "晚上12点 恢复", "restarted api-7-decoder-12 and node-3-market-24"]
        TimelineTable.colonlessClocksBeforeAZone(&lines)
        TimelineTable.cjkClocks(&lines)
        TimelineTable.hyphenatedDates(&lines)
        #expect(lines == ["rolled back the 2023 GMT-offset patch", "X-Amz-Date 20240301T0820Z", "총 3 시도 후 실패", " 00:00 恢复", "restarted api-7-decoder-12 and node-3-market-24"])
    }

    @Test func yearsNotWrittenFrenchClocksLabelledUpdatesAndDayFirstFileNames() throws {
        // No year anywhere: the latest day up to today that fits, said in a note.
        let today = at("2026-12-06T12:00:00Z")
        let status = "Postmortem\n\nOn Wednesday, October 2nd between 00:56 and 01:04 UTC requests failed.\n\nTimeline\n\n00:56 - Database congested.\n\n01:04 - Congestion clears.\n"
        let read = try TimelineTable.parse(status, fileName: "pasted table", timeZone: utc, date: nil, skipBadRows: false, today: today)
        #expect(read.rows.map(\.occurredAt) == [at("2024-10-02T00:56:00Z"), at("2024-10-02T01:04:00Z")])
        #expect(read.notes.contains { $0.reason.hasPrefix("no year is written: read as 2024") })
        // Without a weekday, a day later in the year than today is last year's.
        let december = "Dec 20, 14:00 UTC\nInvestigating.\n\nDec 20, 15:00 UTC\nResolved.\n"
        #expect(try TimelineTable.parse(december, fileName: "status.md", timeZone: utc, date: nil, skipBadRows: false, today: today).rows.first?.occurredAt == at("2025-12-20T14:00:00Z"))
        // A year written anywhere wins, and --date still does.
        #expect(try TimelineTable.parse("On October 2nd, 2019:\n\n- 00:56 congested\n- 01:04 cleared\n", fileName: "pm.md", timeZone: utc, date: nil, skipBadRows: false, today: today).rows.first?.occurredAt == at("2019-10-02T00:56:00Z"))

        // French clocks, and the durations and look-alikes that stay as written.
        let durations = ["pendant 2h30 le site était lent", "it took 1h30 to restore", "a 1h30 outage", "rendu en 24h", "h264 at 5h", "it took 2h30m",
                         "After 1h30, traffic was back to normal", "- ~1h30 later the rollback completed", "Service was restored in 1h15.",
                         "Duration: 1h45", "une durée de 1h30", "the rollback will take ~1h30", "```", "sleep 3h15", "```"]
        var lines = ["Samedi, à 16h51, le serveur a été retrouvé freezé.", "indisponible de 1h02 à 10h17 (UTC+2)", "hors-service depuis environ 17h.",
                     "- 16h51 : redémarrage du serveur"] + durations
        TimelineTable.hourMarkedClocks(&lines)
        #expect(lines == ["Samedi, à 16:51, le serveur a été retrouvé freezé.", "indisponible de 1:02 à 10:17 (UTC+2)", "hors-service depuis environ 17:00.",
                          "- 16:51 : redémarrage du serveur"] + durations)
        // A duration in a timeline stays text and moves no entry.
        let timeline = "## Timeline\n\n- 10:00 UTC - Deploy started\n- After 1h30, traffic was back to normal\n- 11:50 UTC - Incident closed\n"
        #expect(try parse(timeline, fileName: "2023-03-02-x.md").rows.map(\.occurredAt) == [at("2023-03-02T10:00:00Z"), at("2023-03-02T11:50:00Z")])
        // An update's label and its time opening a paragraph.
        let updates = """
        ---
        title: Serveur hors-service
        date: 2021-05-18 17:20
        ---

        Mise à jour de 18h15 : finalement, le système de fichiers était corrompu.

        ---

        Mise à jour de 17h55 : le partitionnement du disque a disparu.
        """
        #expect(try parse(updates, fileName: "2021-05-18-serveur-hs.md").rows.map(\.occurredAt) == [at("2021-05-18T18:15:00Z"), at("2021-05-18T17:55:00Z")])
        let english = "**Update @ 10:51:** Storage is failing.\n\n**Update @ 11:21:** Maintenance takes longer.\n\nUpdate 13:44 UTC: Back up.\n"
        let englishRows = try parse(english, fileName: "status.rst", date: day("2019-05-07", in: utc)).rows
        #expect(englishRows.map(\.occurredAt) == [at("2019-05-07T10:51:00Z"), at("2019-05-07T11:21:00Z"), at("2019-05-07T13:44:00Z")])
        #expect(englishRows.map(\.text) == ["Update: Storage is failing.", "Update: Maintenance takes longer.", "Update: Back up."])
        #expect(TimelineTable.labelledParagraphTime("**OUTAGE UPDATE - 3:15PM Sunday, November 30th**:  Errors persist.", order: nil)?.time == "3:15PM Sunday, November 30th")
        #expect(TimelineTable.labelledParagraphTime("Update 2: we are still investigating since 10:00.", order: nil) == nil)
        #expect(TimelineTable.labelledParagraphTime("Updated the runbook: see 10:00 entry.", order: nil) == nil)
        #expect(TimelineTable.labelledParagraphTime("Edit 2023-03-09 08:00 UTC: corrected the duration in the summary.", order: nil) == nil)
        // A byline and a fact line are not status updates.
        let facts = "# Queue outage, 2023-03-02\n\nPosted Mar 5, 2023 - 14:00 UTC\n\nStarted: 2023-03-02 10:00 UTC\n\nResolved: 2023-03-02 11:45 UTC\n\n- 10:00 UTC Deploy started\n- 10:12 UTC Alert fired\n- 11:45 UTC Rolled back\n"
        #expect(try parse(facts, fileName: "queue.md").rows.map(\.occurredAt) == [at("2023-03-02T10:00:00Z"), at("2023-03-02T10:12:00Z"), at("2023-03-02T11:45:00Z")])

        // A file name with the day and month in either order.
        #expect(TimelineTable.fileNameDay("02-03-2021-outage-post-mortem.md", weekday: 2)?.iso == "2021-03-02")
        #expect(TimelineTable.fileNameDay("02-03-2021-outage-post-mortem.md", weekday: 3)?.iso == "2021-02-03")
        #expect(TimelineTable.fileNameDay("02-03-2021-outage-post-mortem.md", order: .dayFirst)?.iso == "2021-03-02")
        #expect(TimelineTable.fileNameDay("02-03-2021-outage-post-mortem.md") == nil)
        #expect(TimelineTable.fileNameDay("25-03-2021-outage.md")?.iso == "2021-03-25")
        // The weekday of a moment, not one mentioned in passing.
        #expect(TimelineTable.firstWeekdayNamed(["The release shipped Thursday; on Sunday at 02:01 the queue filled."]) == 0)
        #expect(TimelineTable.firstWeekdayNamed(["The release shipped on Thursday."]) == nil)
        let deno = "On Tuesday at 02:01 AM UTC several services were down.\n\n## Timeline of events\n\nAt 02:00 AM UTC we received an email. At 02:22 AM UTC we opened a ticket.\n"
        #expect(try parse(deno, fileName: "02-03-2021-outage-post-mortem.md").rows.first?.occurredAt == at("2021-03-02T02:00:00Z"))
    }

    @Test func statusPagesCopiedAsTextAndWebPageBullets() throws {
        // A Statuspage incident copied from the browser: each update's time on
        // the line after its text, the next update right below, newest first.
        let copied = """
        Degraded app performance
        Resolved -
        Update: Normal operations restored.
        Mar 13, 2026 14:24 MDT
        Monitoring -
        Update: Queues are draining.
        Mar 13, 2026 10:01 MDT
        Investigating -
        We are observing increased latency.
        Mar 13, 2026 07:00 MDT
        """
        let rows = try parse(copied, fileName: "status.txt").rows
        #expect(rows.map(\.occurredAt) == [at("2026-03-13T20:24:00Z"), at("2026-03-13T16:01:00Z"), at("2026-03-13T13:00:00Z")])
        #expect(rows[1].text.contains("Queues are draining") && rows[2].text.contains("increased latency"))
        // A status label and its stamp alone on a line, the update below it.
        let labelled = "Resolved [15/02/2022 23:09]\n\nIssue resolved.\n\nUpdate [14/02/2022 16:42]\n\nThe fibre dropped at around 04:40AM on Friday; the contractor repaired it by 12:52.\n\nIdentified [11/02/2022 09:47]\n\nA fibre outage.\n"
        #expect(try parse(labelled, fileName: "cix.md").rows.map(\.occurredAt) == [at("2022-02-15T23:09:00Z"), at("2022-02-14T16:42:00Z"), at("2022-02-11T09:47:00Z")])
        let posted = "Everything is back online.\nPosted May 01, 2022 - 19:38 UTC\nWe're currently investigating.\nPosted May 01, 2022 - 18:09 UTC\n"
        #expect(try parse(posted, fileName: "cfx.md").rows.map(\.occurredAt) == [at("2022-05-01T19:38:00Z"), at("2022-05-01T18:09:00Z")])
        // The postmortem's action points above the first stamp.
        let afterList = "Action points:\n\n  • Add a safe switch.\n  • Audit changes.\nPosted May 16, 2025 - 14:30 UTC\n\nResolved\n\nAll systems are normal.\nPosted May 15, 2025 - 13:17 UTC\n"
        #expect(try parse(afterList, fileName: "saltedge.md").rows.map(\.occurredAt) == [at("2025-05-16T14:30:00Z"), at("2025-05-15T13:17:00Z")])
        // "Resolved 2025-07-24 12:34" in a list of key events is a fact, not an update.
        #expect(TimelineTable.statusLabelTime("Resolved 2025-07-24 12:34", order: nil) == nil)
        #expect(TimelineTable.statusLabelTime("Posted May 01, 2022 - 19:38 UTC", order: nil)?.label == "Posted")
        // Bullets kept from a web page.
        let bullets = "Timeline\n\n  • 12:48 PM UTC: Configuration deployed\n  • 3:30 PM UTC: Issue discovered\n  • 4:32 PM UTC: Rolled back\n"
        #expect(try parse(bullets, fileName: "sorry.md", date: day("2026-01-30", in: utc)).rows.map(\.occurredAt) == [at("2026-01-30T12:48:00Z"), at("2026-01-30T15:30:00Z"), at("2026-01-30T16:32:00Z")])
        // A day in parentheses after the time is the time's.
        #expect(TimelineTable.splitLeadingTime("9:57 PM (June 7) - We received an alert")?.time == "9:57 PM June 7")
        #expect(TimelineTable.splitLeadingTime("9:57 PM (see below) - We received an alert")?.time == "9:57 PM")
        // Three updates that each go back in time are newest first; a log that crosses midnight is not.
        let three = "Incident - 12/1/2014\n\nUpdate 3 (9:00 PM PST): Recovering.\n\nUpdate 2 (8:00 PM PST): Still mitigating.\n\nUpdate 1 (6:30 PM PST): Renewed attacks.\n"
        #expect(try parse(three, fileName: "portalus.md").rows.map(\.occurredAt) == [at("2014-12-02T05:00:00Z"), at("2014-12-02T04:00:00Z"), at("2014-12-02T02:30:00Z")])
        let midnight = "## Timeline\n\n- 23:00 paged\n- 23:30 mitigated\n- 00:15 resolved\n"
        #expect(try parse(midnight, fileName: "pm.md", date: day("2024-03-05", in: utc)).rows.last?.occurredAt == at("2024-03-06T00:15:00Z"))
        // A date that reads both ways follows the zones of the document's times.
        #expect(TimelineTable.orderOfTheZones(["Update (9:00 PM PST): recovering"]) == .monthFirst)
        #expect(TimelineTable.orderOfTheZones(["Mise à jour 18:15 CEST"]) == .dayFirst)
        #expect(TimelineTable.orderOfTheZones(["le serveur est indisponible depuis 18:15, il est en panne"]) == nil)
    }

    @Test func webPagesCopiedAsTextKeepTheirSections() throws {
        // No "#" in the text: the line that names the timeline is its heading,
        // the postmortem's later sections end it, its subheadings do not.
        let page = """
        DNS issues
        Resolved
        Sep 09 at 07:07am PDT
        Summary Root Cause Analysis Report
        On August 29 2024 the domain had DNS issues.
        Timeline of the Events:
        August 29, 2024
        - 2:05pm PT: DNS issues began.
        - 3:38pm PT: Confirmed full resolution.
        Root Cause:
        The provider changed the nameservers at 2:00pm PT.
        """
        let rows = try parse(page, fileName: "limacharlie.txt").rows
        #expect(rows.map(\.occurredAt) == [at("2024-08-29T21:05:00Z"), at("2024-08-29T22:38:00Z")])
        let sub = "Status\n\nTimeline\n\nTimes are in CET:\n\n  • 12:33: The server failed.\n\nThe crash\n\n  • 12:59: Monitoring alerted engineers.\n\nRoot Cause\n\nA disk at 13:00 was full.\n"
        #expect(try parse(sub, fileName: "greenhost.txt", date: day("2024-12-12", in: utc)).rows.map(\.occurredAt) == [at("2024-12-12T11:33:00Z"), at("2024-12-12T11:59:00Z")])
        var lines = ["Timeline", "", "- 10:00 paged"]
        TimelineTable.plainHeadings(&lines)
        #expect(lines[0] == "## Timeline")
        // A line of the timeline that holds a section's word does not end it; a phase label does not either.
        let inside = "Timeline\n\n10:00 UTC Deploy started\n10:20 UTC Alert fired\n\nCustomer impact confirmed\n\nMitigation:\n09:41 UTC Rolled back\n\nWorkers restarted because of memory leak\n\n11:00 UTC Recovered\n\nRoot Cause:\n\nA leak; at 12:00 UTC we patched it.\n"
        #expect(try parse(inside, fileName: "x.txt", date: day("2024-03-05", in: utc)).rows.count == 4)
        // As a browser copies a heading between lists: no blank line above or
        // below "Timeline", over its times; "Root cause" named whole ends it.
        // (GOV.UK One Login's incident 001, MIT, as Chromium copies its page.)
        let betweenLists = """
        Incident 001: Lambda retries

        Date: 2026-06-18

        Summary

        The intervention processor lambda was throwing an error at the very end of its execution because of a malformed DynamoDB query. Because the error was at the end of the execution this led to many retries of tasks which had already been successfully carried out. These retries were idempotent so the impact was limited. The remediation was to revert the change, but this failed because the canary deployments were listening for the alarm that was still going off and rolled back the reverted version. The remediation for the deployment failing was to increase the thresholds on the alarm to stop it firing, then revert the increase after the deployment succeeded.

        Things that went well
        An alert fired!
        No fundamental missing test capability
        Things that went poorly
        We have a missing test case (no feature test for the final output of the lambda)
        We can't diagnose things without escalated access or VPN access, and we can't gain escalated access without using TEAM which requires 2 team members to be online.
        It wasn't obvious that the VPN not being on was blocking the ability to diagnose the issue
        It was unclear how severe the problem was, and who was responsible for it being resolved
        The alarm only went off when an event came in
        The alarm was hard to turn off
        Where we got lucky
        The issue wasn't a P1
        Actions
        Ed to create some docs around incidents.
        Developers to come up with a response approach to non-critical alarms in the next engineering catchup - something like a doc with:
        Our responsibilities if a non-critical alarm is going off.
        Principles like using IaC for changes where possible.
        Practical things like probably get on the vpc.
        "Hacks" like using alarm thresholds for unblocking canaries.
        Timeline
        [2026-06-09]

        [18:27] An alarm goes off

        [2026-06-10]

        [The morning] Edward and Kirsty fix the issue
        """
        #expect(try parse(betweenLists, fileName: "001-lambda-retries.md").rows.map(\.occurredAt) == [at("2026-06-09T18:27:00Z")])
        // The zone a long sentence above names before "time"; not a server's name.
        let eastern = "Site Incident Report - June 8, 2024\nWe've now fully recovered from an outage that began this morning Eastern time.\nTimeline\n9:57 PM (June 7)\n- We received an alert.\n5:41 AM (June 8)\n- Down again.\nWhat We've Learned\n- Test failovers.\n"
        #expect(try parse(eastern, fileName: "report.md").rows.map(\.occurredAt) == [at("2024-06-08T01:57:00Z"), at("2024-06-08T09:41:00Z")])
        #expect(TimelineTable.zoneSaidOfTimes("After that the central time server drifted and every host in the fleet lost sync with it.") == nil)
        // A table copied from a page: tab-separated lines, the header first.
        let tabs = "Timeline\nDay\tDate (2022)\tTime (UTC)\tEvent\nFri\tJan 28\t02:34\tA screenshot of a fraudulent charge.\nFri\tJan 28\t02:39\tThe employee reported two cards.\nSat\tJan 29\t10:00\tCards replaced.\nRoot Cause\nA leaked card number.\n"
        let tabRows = try parse(tabs, fileName: "chia.txt").rows
        #expect(tabRows.map(\.occurredAt) == [at("2022-01-28T02:34:00Z"), at("2022-01-28T02:39:00Z"), at("2022-01-29T10:00:00Z")])
        #expect(tabRows.first?.text == "A screenshot of a fraudulent charge.")
        // Tab-indented lines that are no table stay as they are.
        lines = ["Steps:", "\tcheck the disk", "\trestart at 10:00", "\tverify"]
        TimelineTable.tabTablesAsPipeTables(&lines)
        #expect(lines[1] == "\tcheck the disk")
        // A line of a list that only mentions the timeline is no heading.
        lines = ["Things that went poorly", "Updated the timeline", "We paged late"]
        TimelineTable.plainHeadings(&lines)
        #expect(lines[1] == "Updated the timeline")
        // A document with Markdown headings is left as it is.
        lines = ["# Outage", "", "Timeline", "", "- 10:00 paged"]
        TimelineTable.plainHeadings(&lines)
        #expect(lines[2] == "Timeline")
        // "04:13 mountain time", and New Zealand's NZT.
        lines = ["Service was restored at 04:13 mountain time, and 9:10 pm Eastern Time"]
        TimelineTable.lowerCaseZones(&lines)
        #expect(lines == ["Service was restored at 04:13 MT, and 9:10 pm ET"])
        #expect(TimelineTable.namedZone("nzt")?.secondsFromGMT(for: at("2016-06-09T00:00:00Z")) == 12 * 3600)
    }
    @Test func aStatusReportDatedByItsPostedStampAndEntriesMarkedStartAndEnd() throws {
        // One status update copied from the page: its times are in its
        // sentences, its day only in the "Posted" stamp under it; the title's
        // range sums the incident up and the stamp is when it was written.
        let report = """
        API errors from 09:10 UTC to 09:40 UTC
        Incident Report for Example
        Resolved
        At 09:10 UTC requests to the API began failing. The deploy was reverted at 09:25 UTC.

        By 09:40 UTC all requests succeeded again.

        To avoid this we now test the proxy configuration before each deploy.
        Posted Nov 03, 2025 - 11:05 CET
        This incident affected: API.
        """
        let read = try parse(report, fileName: "status.md")
        #expect(read.rows.map(\.occurredAt) == [at("2025-11-03T09:10:00Z"), at("2025-11-03T09:40:00Z")])
        #expect(read.notes.contains { $0.line == 9 && $0.reason.contains("2025-11-03") })
        // Posted just after midnight about the evening before: the times were
        // on the day before the stamp's.
        let late = "Queue delays\n\nAt 22:15 UTC the queue stopped. At 22:50 UTC it drained.\nPosted Mar 02, 2024 - 00:30 CET\n"
        let lateRead = try parse(late, fileName: "late.md")
        #expect(lateRead.rows.map(\.occurredAt) == [at("2024-03-01T22:15:00Z"), at("2024-03-01T22:50:00Z")])
        #expect(lateRead.notes.contains { $0.reason.contains("2024-03-01") })
        // Two stamps are a log of updates, each the time of its own.
        let log = "Everything works.\nPosted May 01, 2022 - 19:38 UTC\nInvestigating.\nPosted May 01, 2022 - 18:09 UTC\n"
        #expect(try parse(log, fileName: "log.md").rows.map(\.occurredAt) == [at("2022-05-01T19:38:00Z"), at("2022-05-01T18:09:00Z")])
        let logLines = log.components(separatedBy: "\n")
        #expect(TimelineTable.isStampedLog(logLines))
        #expect(!TimelineTable.isStampedLog(report.components(separatedBy: "\n")))
        #expect(TimelineTable.postedDay(logLines, stampedLog: TimelineTable.isStampedLog(logLines)) == nil)
        // Below front matter (which holds the title) the first line is an update.
        let cState = "---\ntitle: Judge down\ndate: 2022-11-10 22:56:00\nsection: issue\n---\n\n*Investigating* - We are looking into it. (2022-12-06 15:25)\n\n*Resolved* - The service was killed. (2022-12-06 16:15)\n"
        #expect(try parse(cState, fileName: "judge.md").rows.map(\.occurredAt) == [at("2022-12-06T15:25:00Z"), at("2022-12-06T16:15:00Z")])

        // A report written as questions; its timeline marks the start and end.
        let questions = """
        What happened?

        A file server was infected.

        What was the timeline of the incident?

        Start: 2015/03/12 16:30 – Analysts became aware of an issue.
        2015/03/12 16:35 – The server was removed from the network.
        2015/03/15 11:00 – The restoration was completed.
        End: 2015/03/15 11:00 – Access was enabled again.

        What was the root cause of the incident?

        A workstation, infected at 09:00, shared the directory.
        """
        let marked = try parse(questions, fileName: "report.txt")
        #expect(marked.rows.map(\.occurredAt) == [at("2015-03-12T16:30:00Z"), at("2015-03-12T16:35:00Z"), at("2015-03-15T11:00:00Z"), at("2015-03-15T11:00:00Z")])
        #expect(marked.rows.first?.text == "Start: Analysts became aware of an issue.")
        #expect(marked.rows.last?.text == "End: Access was enabled again.")
        // Outside a Timeline section, "Start: … – …" is a fact of the summary.
        guard case .prose = TimelineTable.lineShape("Start: 2015/03/12 16:30 – aware", order: nil, headed: false) else {
            Issue.record("a marked time outside a Timeline section was read as an entry")
            return
        }
        // A mark without a time, or a time without text after it, is not an entry.
        #expect(TimelineTable.boundaryLabelTime("Start: when the alert fired", order: nil) == nil)
        #expect(TimelineTable.boundaryLabelTime("Resolved: 2023-03-02 11:45 UTC", order: nil) == nil)
        #expect(TimelineTable.boundaryLabelTime("Started: prose about 10:00 later", order: nil) == nil)
    }

    @Test func clocksWithADotUnderDayHeadingsOfOneEntryEach() throws {
        // A Timeline whose clocks are written "10.30" has days with one entry:
        // each is read, in italics or not.
        let md = """
        # Retro: search unavailable

        ## Timeline

        ### Monday 4 September 2023

        09.12 Search is slow.
        *09.27 We are aware that search is unavailable.*
        10.02 Rolled back.

        ### Monday 11 September 2023

        *10.30 The site performed normally over the weekend.*

        ### Friday 15 September 2023

        15.30 Filters turned off for the weekend.

        ## Lessons

        Version 1.25 of the client was fine.
        """
        let rows = try parse(md, fileName: "retro.md").rows
        #expect(rows.map(\.occurredAt) == [at("2023-09-04T09:12:00Z"), at("2023-09-04T09:27:00Z"), at("2023-09-04T10:02:00Z"),
                                            at("2023-09-11T10:30:00Z"), at("2023-09-15T15:30:00Z")])
        // One such clock alone under a day is still a number, not a time.
        let single = "# Retro 2023-09-04\n\n## Timeline\n\n### Monday 4 September 2023\n\n09:12 Slow.\n\n### Tuesday 5 September 2023\n\n1.25 million requests were dropped.\n10:00 Fixed.\n"
        #expect(try parse(single, fileName: "one.md").rows.count == 2)
    }
    @Test func aWeekdayWrittenBesideADateSettlesTheYearOfTheDatesWithout() throws {
        // No year anywhere; the page's header dates it without a weekday, the
        // story with one. 28 March was a Friday in 2025, not in 2026.
        let page = """
        Bot offline

        Mar 28 at 12:57am GMT

        Timeline

        The bot went offline at 00:47 UTC on Friday, March 28th.

        At 06:29 UTC its token was revoked.
        """
        let today = at("2026-12-06T12:00:00Z")
        let read = try TimelineTable.parse(page, fileName: "status.txt", timeZone: utc, date: nil, skipBadRows: true, today: today)
        #expect(read.rows.map(\.occurredAt) == [at("2025-03-28T00:47:00Z"), at("2025-03-28T06:29:00Z")])
        #expect(read.notes.contains { $0.reason.contains("read as 2025") })
        // Without the weekday the latest year that fits is taken, as before.
        let plain = page.replacingOccurrences(of: "on Friday, March 28th", with: "that night")
        #expect(try TimelineTable.parse(plain, fileName: "status.txt", timeZone: utc, date: nil, skipBadRows: true, today: today)
            .rows.first?.occurredAt == at("2026-03-28T00:47:00Z"))
        // A weekday beside a date with its year settles nothing.
        let march28 = TimelineTable.Day(year: 2026, month: 3, day: 28)
        #expect(TimelineTable.yearOfANamedWeekday(["On Friday, March 28th 2025 at 10:00"], of: march28, order: nil) == nil)
        #expect(TimelineTable.yearOfANamedWeekday(["On Friday, March 28th at 10:00"], of: march28, order: nil) == 2025)
        // A weekday beside another day ("like the outage on Monday, June
        // 3rd") or abbreviated says nothing of this day's year.
        #expect(TimelineTable.yearOfANamedWeekday(["like the outage on Monday, June 3rd"], of: march28, order: nil) == nil)
        #expect(TimelineTable.yearOfANamedWeekday(["On Fri, March 28th at 10:00"], of: march28, order: nil) == nil)
    }
    @Test func dayLinesThatSayTheirZoneOneLetterMeridiemsDotClocksAfterADateAndHTMLCodeBlocks() throws {
        // "On the 15/12/21 (in CET):" dates and zones the list below it; a
        // page's "Last updated" stamp is not an entry.
        let days = """
        ## Event timeline

        On the 15/12/21 (in CET):
        - 6:00 - 8:00: maintenance.
        - 21:00: A fix is tested.

        On the 16/12/21:
        - 10:10: Service usage back to normal.

        <h5>Last updated: 2022-01-19 08:30:00 CET</h5>
        """
        let read = try parse(days, fileName: "incident.md")
        #expect(read.rows.map(\.occurredAt) == [at("2021-12-15T05:00:00Z"), at("2021-12-15T20:00:00Z"), at("2021-12-16T09:10:00Z")])
        #expect(TimelineTable.isPageEditStamp("Last updated: 2022-01-19 08:30:00 CET"))
        #expect(!TimelineTable.isPageEditStamp("At 10:00 the status page was updated: all clear"))
        // A dot clock after a date, with its meridiem or zone.
        let dotted = "## Timeline\n\n* 2018-11-09 6:00 AM CET: Alerts\n* 2018-11-09 6.30 AM CET: Escalated\n* 2018-11-09 7.45 CET: Failover\n"
        #expect(try parse(dotted, fileName: "gke.md").rows.map(\.occurredAt) == [at("2018-11-09T05:00:00Z"), at("2018-11-09T05:30:00Z"), at("2018-11-09T06:45:00Z")])
        // "6:10p", "3:00a"; in "at 3:00 a new server" the "a" is the article.
        var lines = ["1. **6:10p**: Put into rotation.", "4. **3:00a**: Snapshot completes.", "At 3:00 a new server came up.", "fe80::1:00a"]
        TimelineTable.oneLetterMeridiems(&lines)
        #expect(lines == ["1. **6:10 pm**: Put into rotation.", "4. **3:00 am**: Snapshot completes.", "At 3:00 a new server came up.", "fe80::1:00a"])
        // A log pasted in an HTML code block is text, not the timeline.
        let blog = """
        # Hacked, 2021-06-23

        1. **6:10p**: The new server was put into rotation.
        2. **9:35p**: The database was dropped.
        3. **3:00a**: Replication began.

        <div class="highlight"><pre class="highlight"><code>
        2021-06-24T01:33:45.531+0000 I NETWORK connection accepted
        2021-06-24T01:34:08.100+0000 I COMMAND dropDatabase
        </code></pre></div>
        """
        #expect(try parse(blog, fileName: "post.md").rows.map(\.occurredAt) == [at("2021-06-23T18:10:00Z"), at("2021-06-23T21:35:00Z"), at("2021-06-24T03:00:00Z")])
    }
    @Test func lookAlikesOfStop36sReadings() throws {
        // A page-edit label is a label, not a word before a clock.
        let updated = "## Timeline\n\n- 14:02 UTC Alert fired\n- Status page updated at 14:05 UTC\n\nWe updated DNS at 14:20 UTC.\n"
        #expect(try parse(updated, fileName: "pm.md", date: day("2024-03-02", in: utc)).rows.count == 3)
        // "6:10p.m." is already a 12-hour clock.
        var lines = ["- 6:10p.m. Deployed the fix."]
        TimelineTable.oneLetterMeridiems(&lines)
        #expect(lines == ["- 6:10p.m. Deployed the fix."])
        // A <pre> whose closing tag ends a line of text is left as it is,
        // and the timeline after it is still read.
        let pre = "<pre>\nlog line one\nlog line two: disk full</pre>\n\n## Timeline\n\n- 14:02 Alert\n- 14:10 Fixed\n"
        #expect(try parse(pre, fileName: "pm.md", date: day("2024-03-02", in: utc)).rows.count == 2)
        // Versions under day headings of colon clocks are not times.
        let versions = """
        ## Timeline

        ### Monday 4 March 2024
        - 14:02 Alert fired
        - 2.31 was deployed to canary

        ### Tuesday 5 March 2024
        - 09:00 Rolled forward
        - 2.32 was deployed to canary

        ### Wednesday 6 March 2024
        - 10:00 Closed
        - 2.33 was deployed to canary
        """
        #expect(try parse(versions, fileName: "pm.md").rows.count == 3)
        // A question alone in a plain-text timeline is one of its lines.
        let asked = "Timeline\n\n14:02 Alerts fired.\n\nIs the database down?\n\n14:10 Failed over.\n\n14:40 All clear.\n"
        #expect(try parse(asked, fileName: "notes.txt", date: day("2024-03-02", in: utc)).rows.count == 3)
        // Terse notes, one timed line each: the first line is an entry, not a title.
        let terse = "Prod DB went down at 14:02 UTC on 2024-03-02\nWe failed over at 14:10 UTC\nAll clear at 14:40 UTC\n"
        #expect(try parse(terse, fileName: "notes.txt").rows.map(\.occurredAt) == [at("2024-03-02T14:02:00Z"), at("2024-03-02T14:10:00Z"), at("2024-03-02T14:40:00Z")])
        // A notice of what will happen, and times without a zone, stay on the stamp's day.
        let notice = "Scheduled\n\nThe database will be upgraded at 22:00 UTC. The upgrade will end at 23:00 UTC.\nPosted Mar 02, 2024 - 14:00 UTC\n"
        #expect(try parse(notice, fileName: "notice.txt").rows.first?.occurredAt == at("2024-03-02T22:00:00Z"))
        let bare = "Resolved\n\nAt 10:40 the queue stopped. At 10:55 it drained.\nPosted Nov 03, 2025 - 11:05 CET\n"
        #expect(try parse(bare, fileName: "bare.txt").rows.first.map { TimelineTable.Day(date: $0.occurredAt, timeZone: utc).iso } == "2025-11-03")
    }
    @Test func frenchTimelinesReadAsAFrenchTeamWritesThem() throws {
        // "**9 h 21**" (French typography spaces the h) under a note of the
        // zone in French, the day in the title.
        let spaced = """
        # Incident du 29 avril 2021

        ### Chronologie

        (Heure française, UTC+1)

        * **9 h 21** livraison d'une mise à jour technique
        * **9 h 55** première vague d'erreurs remontée par la surveillance
        * **11 h 29** livraison d'une annulation
        """
        #expect(try parse(spaced, fileName: "incident.md").rows.map(\.occurredAt)
            == [at("2021-04-29T08:21:00Z"), at("2021-04-29T08:55:00Z"), at("2021-04-29T10:29:00Z")])
        // Weekday bullets over each day's timed items, the day only in the
        // file's name, and "À partir de 13:17" as a time.
        let days = """
        ### Chronologie

        * Mercredi
          * À partir de 13:17: erreurs 500 intermittentes
          * 16:41: retour en ligne
        * Jeudi
          * 8:15: scale manuel
          * Tout au long de la journée, quelques crashes
        * Vendredi
          * 12:27: déploiement des améliorations
        """
        let read = try parse(days, fileName: "incident-de-production-du-22-septembre-2021.md")
        #expect(read.rows.map(\.occurredAt) == [at("2021-09-22T13:17:00Z"), at("2021-09-22T16:41:00Z"), at("2021-09-23T08:15:00Z"), at("2021-09-24T12:27:00Z")])
        #expect(read.rows[2].text.contains("Tout au long de la journée"))
        #expect(read.notes.contains { $0.line == 6 && $0.reason.contains("2021-09-23") })
        // German weekday headings count the same way.
        let german = "## Zeitlinie (Uhrzeit in UTC)\n\n### Montag\n\n- 10:00 Alarm\n\n### Dienstag\n\n- 09:30 Behoben\n"
        #expect(try parse(german, fileName: "2024-03-04-ausfall.md").rows.map(\.occurredAt) == [at("2024-03-04T10:00:00Z"), at("2024-03-05T09:30:00Z")])
    }
    @Test func lookAlikesOfFrenchTimelines() throws {
        // Durations stay durations, with or without spaces.
        var lines = ["La coupure a duré 2 h 30 au total.", "une durée de 1 h 30", "* **9 h** de maintenance"]
        TimelineTable.hourMarkedClocks(&lines)
        #expect(lines == ["La coupure a duré 2 h 30 au total.", "une durée de 1 h 30", "* **9 h** de maintenance"])
        // A weekday that opens a sentence, or a weekday item with no timed
        // items under it, is text of the entry above.
        let prose = """
        ## Timeline

        - 14:02 Alert fired
          - Vendredi nous avons relancé le service
        - 14:10 Fixed
        - Mardi
        """
        let read = try parse(prose, fileName: "pm.md", date: day("2024-03-01", in: utc))
        #expect(read.rows.map(\.occurredAt) == [at("2024-03-01T14:02:00Z"), at("2024-03-01T14:10:00Z")])
        #expect(read.rows[0].text.contains("Vendredi nous avons"))
        // A file's name with a month's name dates only when a day and a year stand beside it.
        #expect(TimelineTable.fileNameDay("outage-march-3-2024.md") == TimelineTable.Day(year: 2024, month: 3, day: 3))
        #expect(TimelineTable.fileNameDay("incident-du-22-septembre-2021.md") == TimelineTable.Day(year: 2021, month: 9, day: 22))
        #expect(TimelineTable.fileNameDay("march-2024-review.md") == nil)
        #expect(TimelineTable.fileNameDay("top-40-may-2024-outages.md") == nil)
    }
    @Test func aZoneSaidWithItsCountry() throws {
        let said = "We started investigating immediately after receiving the notice. Within hours, our team took the following actions (all times US Pacific Time):"
        #expect(TimelineTable.zoneSaidOfTimes(said)?.identifier == "America/Los_Angeles")
        // A country before another word is no zone.
        #expect(TimelineTable.zoneSaidOfTimes("At those times US traffic time-outs rose sharply across every region we serve, and retries made it worse.") == nil)
        let post = """
        # What actions has Replit taken so far?

        We started investigating immediately after receiving the notice about a potential vulnerability, and we took the following actions to remedy (all times US Pacific Time):
        * **Sunday, April 2, 2023**
        * 11:21: An internal incident was created.
        * 18:19: Deleted the GitHub app.
        * **Monday, April 3, 2023**
        * 18:00: Notified impacted users directly by email.
        """
        #expect(try parse(post, fileName: "post.md").rows.map(\.occurredAt) == [at("2023-04-02T18:21:00Z"), at("2023-04-03T01:19:00Z"), at("2023-04-04T01:00:00Z")])
    }
    @Test func aSentenceAmongTimeFirstEntriesRetellsThem() throws {
        let post = """
        ## Timeline

        ### November 23 - Discovery

        Our security team was alerted to the threat actor's presence at 16:00 and deactivated the account 35 minutes later.

        15:58 - The threat actor adds the service account to an administrator group.
        16:00 - Automated alert about the change.
        16:12 - SOC starts investigating the alert.
        16:35 - Service account deactivated.
        17:23 - The user account is found and deactivated.
        17:43 - Internal incident declared.

        At 21:31 firewall rules were put in place.

        The team concluded that the last activity was on November 23 at 17:43.
        """
        let read = try parse(post, fileName: "2023-11-23-incident.md")
        #expect(read.rows.map(\.occurredAt) == [at("2023-11-23T15:58:00Z"), at("2023-11-23T16:00:00Z"), at("2023-11-23T16:12:00Z"),
                                                at("2023-11-23T16:35:00Z"), at("2023-11-23T17:23:00Z"), at("2023-11-23T17:43:00Z"), at("2023-11-23T21:31:00Z")])
        #expect(read.unread.contains { $0.line == 5 && $0.reason.contains("retelling") })
        #expect(read.unread.contains { $0.line == 16 && $0.reason.contains("retelling") })
        // With fewer time-first lines, the sentences are the timeline's entries too.
        let story = "## Timeline\n\nOur team was alerted at 16:00.\n\n16:12 - SOC starts investigating.\n16:35 - Account deactivated.\n\nThe account was found at 17:23.\n"
        #expect(try parse(story, fileName: "2023-11-23-incident.md").rows.count == 4)
    }
    @Test func lookAlikesFoundByStop37sReview() throws {
        let fixed = [at("2024-04-14T14:02:00Z"), at("2024-04-14T14:30:00Z")]
        // French "est" and "et", German "ist" are words, not zones, even
        // beside "heures" (hours) or "Ausfallzeit" (downtime).
        let hours = "# Panne du 14 avril 2024\n\nLe service est resté indisponible pendant deux heures.\n\n## Chronologie\n\n- 14:02 : alerte\n- 14:30 : correctif\n"
        #expect(try parse(hours, fileName: "panne.md").rows.map(\.occurredAt) == fixed)
        let downtime = "# Ausfall am 14. April 2024\n\nDie Ausfallzeit ist auf einen Konfigurationsfehler zurückzuführen.\n\n## Zeitlinie\n\n- 14:02 Alarm ausgelöst\n- 14:30 Behoben\n"
        #expect(try parse(downtime, fileName: "ausfall.md").rows.map(\.occurredAt) == fixed)
        let luckily = "# Panne du 14 avril 2024\n\n## Chronologie\n\nToutes les heures sont indiquées en CET.\n\n- 15:02 : alerte\n\nHeureusement, la base et les sauvegardes étaient intactes.\n\n- 15:30 : correctif\n"
        #expect(try parse(luckily, fileName: "panne.md").rows.map(\.occurredAt) == fixed)
        #expect(TimelineTable.zoneSaidInAnotherLanguage("Uhrzeit in MEZ")?.secondsFromGMT() == 3600)
        // "AU Eastern Time" is no US zone.
        #expect(TimelineTable.zoneSaidOfTimes("The incident began after a routine change to the load balancer configuration (all times AU Eastern Time):") == nil)
        // Labels with "created" or "reviewed" in them are moments, not the page's date.
        let labels = "## Timeline\n\n- 14:02 UTC: Alert fired\n- Incident created: 14:05 UTC\n- Fix PR reviewed: 14:35 UTC\n"
        #expect(try parse(labels, fileName: "pm.md", date: day("2024-05-14", in: utc)).rows.count == 3)
        // How long, spaced or in bold, is no clock.
        var lines = ["Au total, une panne de 2 h 30 pour les clients.", "* **2h30** de coupure", "* **9 h 21** livraison"]
        TimelineTable.hourMarkedClocks(&lines)
        #expect(lines == ["Au total, une panne de 2 h 30 pour les clients.", "* **2h30** de coupure", "* **9:21** livraison"])
        // A French range's end is not text.
        let range = "## Chronologie\n\n- de 14:10 à 14:40 : maintenance\n- 15:00 : fin\n"
        #expect(try parse(range, fileName: "pm.md", date: day("2024-05-14", in: utc)).rows.first?.text == "maintenance")
        // A file's name dates the page only where a day is meant.
        for name in ["top-10-may-2024.md", "sprint-12-oct-2024-retro.md", "release-1-june-2024.md"] {
            #expect(TimelineTable.fileNameDay(name) == nil, "\(name)")
        }
        // After a list of six, sentences with clocks of their own are moments
        // the list left out; one that retells a listed clock may still say the zone.
        let after = """
        ## Timeline

        - 14:02 Alert fired
        - 14:05 On-call acknowledged
        - 14:10 Incident declared
        - 14:20 Bad deploy identified
        - 14:31 Rollback started
        - 14:45 Rollback finished

        We then failed over the primary database at 16:10 after replication lag grew.

        The service was fully restored at 18:45.

        From here on all times are PDT; the rollback finished at 14:45.

        - 19:30 Incident closed
        """
        let read = try parse(after, fileName: "pm.md", date: day("2024-05-14", in: utc))
        #expect(read.rows.count == 9)
        #expect(read.rows.map(\.text).contains { $0.contains("fully restored") })
        #expect(read.rows.last?.occurredAt == at("2024-05-15T02:30:00Z"))
    }
    @Test func entriesWithoutAZoneTakeTheOneTheOthersState() throws {
        let one = "# Outage 2024-05-14\n\n## Timeline\n\n- 14:02 PDT alert fired\n- 14:10 rollback\n- 14:20 fixed\n"
        let read = try parse(one, fileName: "pm.md")
        #expect(read.rows.map(\.occurredAt) == [at("2024-05-14T21:02:00Z"), at("2024-05-14T21:10:00Z"), at("2024-05-14T21:20:00Z")])
        #expect(read.notes.contains { $0.reason.contains("the zone the timeline's other entries state") })
        // Entries that disagree, or a zone only in an entry's text, settle nothing.
        let two = "# Outage 2024-05-14\n\n## Timeline\n\n- 14:02 PDT alert fired\n- 14:10 rollback\n- 21:20 UTC fixed\n"
        #expect(try parse(two, fileName: "pm.md").rows[1].occurredAt != at("2024-05-14T21:10:00Z"))
        let text = "# Outage 2024-05-14\n\n## Timeline\n\n- 14:02 alert fired\n- 14:10 a customer called at 09:10 EST\n"
        #expect(try parse(text, fileName: "pm.md").rows.first?.occurredAt == at("2024-05-14T14:02:00Z"))
        // A zone a person gives wins.
        #expect(try TimelineTable.parse(one, fileName: "pm.md", timeZone: utc, zoneIsGiven: true, date: nil, skipBadRows: false).rows[1].occurredAt != at("2024-05-14T21:10:00Z"))
    }
    @Test func lookAlikesFoundByStop37sSecondReview() throws {
        let day = "# Incident 2024-05-14\n\n## Timeline\n\n"
        // The word for time with its endings, a colon after it.
        for said in ["Alle Zeiten in UTC+2.", "Zeitzone: UTC+2", "Heures : UTC+2", "Tutti gli orari sono in UTC+2."] {
            #expect(try parse(day + said + "\n\n- 14:00 alert\n- 14:10 rollback\n", fileName: "pm.md").rows.first?.occurredAt == at("2024-05-14T12:00:00Z"), "\(said)")
        }
        // "de 9 h 30 à 10 h 15" is a range from 9:30.
        var lines = ["Le service a été indisponible de 9 h 30 à 10 h 15."]
        TimelineTable.hourMarkedClocks(&lines)
        #expect(lines == ["Le service a été indisponible de 9:30 à 10:15."])
        // A zone another entry writes in lower case, or beside a second zone,
        // or under a line that says the zone, is that entry's alone.
        let french = day + "- 14:05 cet incident est détecté\n- 14:10 l'astreinte est appelée\n"
        #expect(try parse(french, fileName: "pm.md").rows[1].occurredAt == at("2024-05-14T14:10:00Z"))
        let twoZones = day + "- 10:00 PDT (17:00 UTC) alert fired\n- 17:05 on-call paged\n"
        #expect(try parse(twoZones, fileName: "pm.md").rows[1].occurredAt == at("2024-05-14T17:05:00Z"))
        let noted = day + "- 14:00 PDT alert\n- 21:10 rollback\n\n_All times are UTC unless noted._\n"
        #expect(try parse(noted, fileName: "pm.md").rows[1].occurredAt == at("2024-05-14T21:10:00Z"))
        // File names that date the page, and counts that do not.
        #expect(TimelineTable.fileNameDay("incident-review-2-july-2019.md") == TimelineTable.Day(year: 2019, month: 7, day: 2))
        #expect(TimelineTable.fileNameDay("aws-s3-feb-28-2017.md") == TimelineTable.Day(year: 2017, month: 2, day: 28))
        #expect(TimelineTable.fileNameDay("week-2-jan-2024-outages.md") == nil)
        // A sentence on another day with a listed clock is a moment of its own.
        let list = (0..<6).map { "- 14:\(String(format: "%02d", $0 * 5)) step \($0)" }.joined(separator: "\n")
        let later = day + list + "\n\nOn May 15 at 14:05 the permanent fix was deployed.\n"
        #expect(try parse(later, fileName: "pm.md").rows.last?.occurredAt == at("2024-05-15T14:05:00Z"))
    }
    @Test func aYearSlippedBesideItsWeekdayIsMended() throws {
        let post = """
        ## Timeline (all times UTC)

        * **Sunday, April 2, 2023**
        * 11:21: An internal incident was created.
        * **Monday, April 3, 2024**
        * 08:43: A new app was created.

        ### Tuesday, April 4, 2023

        - 09:00 Users notified.
        """
        let read = try parse(post, fileName: "post.md")
        #expect(read.rows.map(\.occurredAt) == [at("2023-04-02T11:21:00Z"), at("2023-04-03T08:43:00Z"), at("2023-04-04T09:00:00Z")])
        #expect(read.notes.contains { $0.line == 5 && $0.reason.contains("2024-04-03 is written here") })
        // A year that its weekday fits, or far from the days before it, is read as written.
        let fits = post.replacingOccurrences(of: "Monday, April 3, 2024", with: "Wednesday, April 3, 2024")
        #expect(try parse(fits, fileName: "post.md").rows[1].occurredAt == at("2024-04-03T08:43:00Z"))
        let far = post.replacingOccurrences(of: "Monday, April 3, 2024", with: "Monday, June 5, 2024")
        #expect(try parse(far, fileName: "post.md").rows[1].occurredAt == at("2024-06-05T08:43:00Z"))
    }
    @Test func daysWithoutTheirYearBeforeTheirTimes() throws {
        // Day first, settled by a day over 12; the year from the line above.
        let fasterize = """
        Date of post-mortem: 21/03/2017

        ## Timeline

        - 16/03 at 20:29 UTC+1: first alert
        - 19/03 at 23:22 UTC+1: second front excluded
        - 20/03 at 10:00 UTC+1: manual exclusion
        """
        let read = try parse(fasterize, fileName: "pm.md")
        #expect(read.rows.map(\.occurredAt) == [at("2017-03-16T19:29:00Z"), at("2017-03-19T22:22:00Z"), at("2017-03-20T09:00:00Z")])
        #expect(read.rows.first?.text == "first alert")
        // Month first when a part over 12 says so, as US teams write.
        let us = "# Outage of March 16, 2024\n\n## Timeline\n\n- 3/16 8:00 PM PDT: paged\n- 3/17 1:15 AM PDT: fixed\n"
        #expect(try parse(us, fileName: "pm.md").rows.map(\.occurredAt) == [at("2024-03-17T03:00:00Z"), at("2024-03-17T08:15:00Z")])
        // A table in Portuguese: nothing over 12, so the language says day first;
        // the zone is Brasília's, named by the heading; the year in the facts table.
        let portuguese = """
        # Postmortem: token exposto

        | | |
        |---|---|
        | **Data do incidente** | 07/10/2026 (detecção e contenção) |

        ## Linha do tempo (horário de Brasília)

        | Quando | O que aconteceu |
        |---|---|
        | 07/10 10:22 | Última vaga nova gravada na planilha, na linha 2009. |
        | 08/10 17:08 | Deploy do lançamento, sem relação causal com o problema. |
        | 09/10 ~10:05 | Correção definitiva em produção, com testes e revisão. |
        """
        #expect(try parse(portuguese, fileName: "pm.md").rows.map(\.occurredAt) == [at("2026-10-07T13:22:00Z"), at("2026-10-08T20:08:00Z"), at("2026-10-09T13:05:00Z")])
        // "20/jun 22:45": the day and its month's name.
        let named = "# Incidente (2026-06-21)\n\n## Linha do tempo (BRT)\n\n- **20/jun ~22:45** — últimas escritas\n- **21/jun 01:03** — health-check falha\n"
        #expect(try parse(named, fileName: "pm.md").rows.map(\.occurredAt) == [at("2026-06-21T01:45:00Z"), at("2026-06-21T04:03:00Z")])
        // Nothing says which in English: refused, saying both readings.
        let english = "# Outage 2024\n\n## Timeline\n\n| Time | Event |\n|---|---|\n| 03/04 10:00 | alert |\n| 03/04 10:30 | fixed |\n"
        #expect(rejection(english, fileName: "pm.md")?.description.contains("3 April or 4 March") == true)
    }
    @Test func lookAlikesOfDaysWithoutTheirYear() throws {
        let day = "# Incident 2024-05-14\n\n## Timeline\n\n"
        // A fraction, "24/7" and a ratio are no days, before a time or not.
        for text in ["24/7 support paged at 14:10", "1/2 of the hosts failed at 14:10", "v1/2 14:10 release", "3/4 of nodes down by 14:10"] {
            let read = try parse(day + "- 14:00 alert\n- \(text)\n", fileName: "pm.md")
            #expect(read.rows.allSatisfy { LoreTime.iso($0.occurredAt).hasPrefix("2024-05-14") }, "\(text)")
        }
        // "Fuseau horaire : UTC+2" on its own line; "heure de Paris".
        for said in ["Fuseau horaire : UTC+2", "Toutes les heures en heure de Paris."] {
            #expect(try parse(day + said + "\n\n- 14:00 alerte\n- 14:10 retour arrière\n", fileName: "pm.md").rows.first?.occurredAt == at("2024-05-14T12:00:00Z"), "\(said)")
        }
        // The language decides only when its small words clearly outnumber English's.
        #expect(TimelineTable.orderOfTheLanguage(["The rollback of the database was slow and we paged the team for it."]) == nil)
        #expect(TimelineTable.orderOfTheLanguage(["Die Datenbank ist ausgefallen und wir haben den Dienst mit einem Neustart auf der Seite der Kunden wieder hergestellt, das war nicht einfach."]) == .dayFirst)
    }
    @Test func statusLogsAsStatePagesWriteThem() throws {
        // Marks before an update's time; days newest first, and under a day
        // the updates newest first too (8 a.m. is that morning, not the next).
        let log = """
        # CMS status updates

        ## Dec. 12, 2018

        ✔ **Dec. 12, 3:38 p.m.** — Fixed.

        ⛔ **Dec. 12, 9:42 a.m.** — Issue found.

        ## Oct. 16, 2018

        ### 12:16 p.m.

        * Scheduling fails.

        ## Sept. 28, 2018

        ### 12:30 p.m.

        * Fixed.

        ### 8 a.m.

        * Links missing.
        """
        let read = try parse(log, fileName: "status.md")
        #expect(read.rows.map(\.occurredAt) == [at("2018-12-12T15:38:00Z"), at("2018-12-12T09:42:00Z"), at("2018-10-16T12:16:00Z"),
                                                at("2018-09-28T12:30:00Z"), at("2018-09-28T08:00:00Z")])
        #expect(read.rows.first?.text == "Fixed.")
        #expect(TimelineTable.withoutStatusMarks("🟡 → 🔵 2022-10-07 22:08 UTC") == "2022-10-07 22:08 UTC")
        #expect(TimelineTable.withoutStatusMarks("⚠️ 14:00 degraded") == "14:00 degraded")
        #expect(TimelineTable.withoutStatusMarks("→ 14:00 next") == "→ 14:00 next")
        // Days that run forward still pass midnight.
        let forward = "# Outage\n\n## 2018-09-28\n\n### 23:30\n\nAlert.\n\n### 00:10\n\nFixed.\n"
        #expect(try parse(forward, fileName: "status.md").rows.last?.occurredAt == at("2018-09-29T00:10:00Z"))
        // A sentence wrapped right before its time finishes in the update above.
        let wrapped = """
        ## 🔵 2022-10-06 02:01 UTC

        The servers are running fine.

        We're planning to change the resources between
        06:00 and 07:00 UTC. Let us know if you notice anything.

        ## 🔵 2022-10-06 09:39 UTC

        Resources are back to the usual amount.
        """
        let updates = try parse(wrapped, fileName: "status.md")
        #expect(updates.rows.map(\.occurredAt) == [at("2022-10-06T02:01:00Z"), at("2022-10-06T09:39:00Z")])
        #expect(updates.rows.first?.text.contains("06:00 and 07:00 UTC") == true)
        // Lines of a timeline, one per line, are entries still.
        let lines = "# Outage 2022-10-06\n\n## Timeline\n\n14:00 alert fired\n14:05 on-call paged\n14:30 fixed\n"
        #expect(try parse(lines, fileName: "pm.md").rows.count == 3)
    }
    @Test func lookAlikesFoundByStop38sReview() throws {
        // A count in the text is no day, nor a vote on the order of the dates.
        let counted = "# Outage of 04/05/2024\n\nAll times are in EDT.\n\n## Timeline\n\n- 10:00 Deploy started\n- 10:40 Rebooted node 1/3 at 10:40, then the others\n- 11:00 resolved\n"
        #expect(rejection(counted, fileName: "pm.md") != nil)
        // A terse English timeline is not taken for another language ("ET", "Z").
        let terse = "# API outage\n\nDate: 3/4/2024\n\n## Timeline\n\n" + (0..<12).map { "- \(9 + $0 / 6):\($0 % 6)0 AM ET: Alert state changed" }.joined(separator: "\n") + "\n"
        #expect(rejection(terse, fileName: "pm.md") != nil)
        // English facts rows that start with "Data" or end with "tag" date nothing.
        for row in ["| Data loss | None |", "| Release tag | 2024.02.28 |", "| Data as of | 2024-03-10 |"] {
            let facts = "# Outage\n\n| | |\n|---|---|\n\(row)\n| Incident date | 2024-03-05 |\n\n## Timeline\n\n- 10:00 alert\n- 10:30 fixed\n"
            #expect(try parse(facts, fileName: "pm.md").rows.first?.occurredAt == at("2024-03-05T10:00:00Z"), "\(row)")
        }
        // A status log's days running newest first leave a later timeline's midnight alone.
        let both = """
        ## Status updates

        ### March 7, 2024

        Monitoring.

        ### March 6, 2024

        Fix deployed.

        ### March 5, 2024

        Investigating.

        ## Timeline

        ### March 5, 2024

        - 22:00 UTC Deploy started
        - 23:30 UTC Errors
        - 00:40 UTC Rollback
        """
        #expect(try parse(both, fileName: "pm.md").rows.last?.occurredAt == at("2024-03-06T00:40:00Z"))
        // The first (newest) day of a log read newest first keeps its earlier updates.
        let newest = "## March 6, 2024\n\n- 22:00 UTC Resolved\n- 20:00 UTC Monitoring a fix\n\n## March 5, 2024\n\n- 18:00 UTC Investigating\n"
        #expect(try parse(newest, fileName: "status.md").rows.map(\.occurredAt) == [at("2024-03-06T22:00:00Z"), at("2024-03-06T20:00:00Z"), at("2024-03-05T18:00:00Z")])
        // Entries that end on "since", "to" or "around" end there.
        let ends = "# Outage 2024-03-05\n\n## Timeline\n\n14:02 Alerts fire\n14:10 Error rate back to baseline; no errors since\n14:35 Second wave of errors begins\n15:00 Resolved\n"
        #expect(try parse(ends, fileName: "pm.md").rows.count == 4)
        // "last night" as words, in the title key itself.
        let nightly = "---\ntitle: Database outage\ntitleImage: /img/yesterday.png\ndate: 2024-03-06\n---\n\nThe last nightly backup had completed.\n\n## Timeline\n\n- 09:00 API down\n"
        #expect(try parse(nightly, fileName: "pm.md").rows.first?.occurredAt == at("2024-03-06T09:00:00Z"))
        // A city's time said in passing in a sentence is not the timeline's zone.
        let passing = "# Incident 2024-05-14\n\n## Chronologie (UTC)\n\nNos clients européens ont été touchés en pleine journée, heure de Paris.\n\n- 10:00 Alertes\n"
        #expect(try parse(passing, fileName: "pm.md").rows.first?.occurredAt == at("2024-05-14T10:00:00Z"))
        // "16/03 às 20:29": the connecting word is read, not left in the text.
        let connected = "---\ndate: 2024-03-20\n---\n\n## Timeline\n\n- 18/03 10:00 first\n- 16/03 às 20:29 second\n"
        let read = try parse(connected, fileName: "pm.md")
        #expect(read.rows.last?.occurredAt == at("2024-03-16T20:29:00Z"))
        #expect(read.rows.last?.text == "second")
    }

    @Test func aLogOfDayHeadingsTellsItsTimesInSentences() throws {
        // An outage log kept as one heading per day (no Timeline heading),
        // its times inside short paragraphs, glued to Chinese text.
        let log = """
        # 爆炸记录

        ## 2024年4月13日晚上

        大约22:40开始504，重启无效，可能是证书问题。

        22:51恢复，确实是给 Traefik 的证书不对。

        ## 2024年2月4日中午

        13:50 开始 504 Gateway Timeout，现象同之前。

        15:12更新了证书，恢复。

        ## 2024年1月29日下午

        现象同上次，`sudo reboot`恢复。
        """
        let read = try parse(log, fileName: "down.md")
        #expect(read.rows.map(\.occurredAt) == [at("2024-04-13T22:40:00Z"), at("2024-04-13T22:51:00Z"), at("2024-02-04T13:50:00Z"), at("2024-02-04T15:12:00Z")])
        // The same in English: "## 2023-03-02: API errors" over its story.
        let english = "## 2023-03-02: API errors\n\nAround 14:05 UTC the API began returning errors.\n\nWe rolled back at 14:40 UTC.\n\n## 2023-02-20: Slow builds\n\nBuilds queued from 09:10 UTC until the runners were replaced.\n\n## 2023-01-11: Search\n\nSearch was slow for an hour.\n"
        #expect(try parse(english, fileName: "incidents.md").rows.map(\.occurredAt) == [at("2023-03-02T14:05:00Z"), at("2023-03-02T14:40:00Z"), at("2023-02-20T09:10:00Z")])
        // Look-alike: one dated title over a postmortem is no log; its
        // summary's times are not entries beside the timeline list.
        let titled = """
        ## 2023-03-02: API errors

        The API returned errors between 14:05 and 14:40 UTC, when we rolled back.

        ### What happened

        - 14:05 UTC errors begin
        - 14:20 UTC rollback started
        - 14:40 UTC recovered
        """
        #expect(try parse(titled, fileName: "pm.md").rows.count == 3)
    }

    @Test func aParagraphWrappedMidSentenceKeepsItsTimesInOneEntry() throws {
        // A prose timeline wrapped at 120 columns: a line that carries on the
        // sentence above ("continued," / "before 12:15 we …") is not an entry.
        let wrapped = """
        ---
        date: 2024-01-01
        ---

        # Why the shop went down

        ## Outage timeline

        At 11:50, traffic to the major services was already 50% higher than the day before.

        Increased response times caused some instances to not report their health status and
        at 12:05 the cluster started killing off unresponsive instances. While scaling continued,
        before 12:15 we started adding more resources to the cluster. At the same time, we shut down some
        services in order to free CPU and memory. Around 12:20, the situation was under control.
        """
        let read = try parse(wrapped, fileName: "pm.md")
        #expect(read.rows.map(\.occurredAt) == [at("2024-01-01T11:50:00Z"), at("2024-01-01T12:05:00Z")])
        #expect(read.rows.last?.text.contains("Around 12:20") == true)
        // Look-alike: terse lines, each a sentence of its own, stay entries.
        let terse = "# Outage 2024-03-05\n\n## Timeline\n\nError found at 11:02 by the on-call engineer\nFix deployed at 11:40 by the database team\nRecovered by 12:10\n"
        #expect(try parse(terse, fileName: "pm.md").rows.count == 3)
    }

    @Test func windowsToldAfterwardsOnwardsAndTerminalListings() throws {
        // A span that ended before the entry above looks back on that day.
        let window = """
        # Security incident

        Incident date: 2026-07-13

        ## Timeline (UTC)

        | Time | Event |
        |---|---|
        | ~04:17 | Admin invitations created with a stolen token. |
        | ~11:48 | Public communication published. |
        | 03:00 – 11:00 | Window during which wallet users were at risk. |
        | ~22:00 | Re-check of all actions taken. |
        """
        #expect(try parse(window, fileName: "pm.md").rows.map(\.occurredAt) == [at("2026-07-13T04:17:00Z"), at("2026-07-13T11:48:00Z"), at("2026-07-13T03:00:00Z"), at("2026-07-13T22:00:00Z")])
        // Look-alike: a span past midnight is the next night.
        let night = "# Outage 2026-07-13\n\n## Timeline\n\n| Time | Event |\n|---|---|\n| 23:50 | Alerts |\n| 00:10 – 00:40 | Failover |\n"
        #expect(try parse(night, fileName: "pm.md").rows.last?.occurredAt == at("2026-07-14T00:10:00Z"))
        // "10:49 onwards": from then on.
        let onwards = "# Outage 2026-05-11\n\n## Timeline\n\n| Time | Event |\n|---|---|\n| 10:40 | PR opened |\n| 10:49 onwards | Workflows run for the PR |\n"
        #expect(try parse(onwards, fileName: "pm.md").rows.map(\.text) == ["PR opened", "Workflows run for the PR"])
        // A page copied as text: the `ls -l` listing under the last entry is
        // no entry, nor the line that names the moment it lists.
        let copied = """
        Timeline - May 29, 2021
        16:37 Denver - Plugins updated, Jenkins restarted
        16:55 Denver - JDK tool definition updated
        17:15 Denver - Builds confirmed working
        17:39 Denver - Agents not allocated
        17:50 Denver - Plugin downgraded
        18:01 Denver - Plugin updated to the latest release
        20:09 Denver - Outage resolved
        Plugins that were upgraded at 16:37 Denver time
        -rw-r--r-- 1 jenkins jenkins  4200464 May 29 22:37 plugins/jacoco.jpi
        -rw-r--r-- 1 jenkins jenkins   380040 May 29 22:37 plugins/kubernetes.jpi
        """
        let read = try parse(copied, fileName: "outage.md")
        #expect(read.rows.count == 7)
        #expect(read.rows.last?.occurredAt == at("2021-05-30T02:09:00Z"))
    }

    @Test func pagesCopiedFromJapaneseAndKoreanSitesAndDateLines() throws {
        // A Korean notice: the page's stamp atop it, a numbered section that
        // names the timeline, `2020.09.10 11:20` dates year first.
        let korean = """
        2020.09.21 11:53:02

        웹메일 장애 보상 관련 공지

        1. 발생 시간 : 2020년 9월 10일 11시 20분 ~ 2020년 9월 14일 13시 00분

        4. 조치 내역 타임라인

          1) 2020.09.10 11:20 - 메일 서버 장애 상황 감지

          2) 2020.09.10 21:00 - 메일 서비스 정상화

          3) 2020.09.14 13:00 – 원격 저장소를 Local 저장소로 전환

        5. 재발방지 대책
        """
        let read = try parse(korean, fileName: "notice.txt")
        #expect(read.rows.map(\.occurredAt) == [at("2020-09-10T11:20:00Z"), at("2020-09-10T21:00:00Z"), at("2020-09-14T13:00:00Z")])
        // A Japanese page: the section named in brackets, the day from the
        // title, not from the stamp of when the page was posted.
        let japanese = """
        2013年12月24日 5:14 PM

        Backlogにアクセスしづらい件について (2013年12月23日)

        [障害の概要]
        15時36分頃に、アラートを検知しました。

        [障害発生の経緯]

          • 15:36 接続不可のアラートを検知
          • 20:06 Twitter で暫定対応報告
          • 23:14 通常状態への復帰報告

        [障害発生の原因]
        DNSに関連して、名前解決が正しくできていない状態となっておりました。
        """
        #expect(try parse(japanese, fileName: "news.txt").rows.map(\.occurredAt) == [at("2013-12-23T15:36:00Z"), at("2013-12-23T20:06:00Z"), at("2013-12-23T23:14:00Z")])
        // "Date: 2023-11-22" under the Timeline (its bold lost in the copy)
        // dates the times below it, not the page's posted date above.
        let dated = "Account takeover\n\nDecember 4, 2023\n\nTimeline\n\nall times are in UTC\n\nDate: 2023-11-22\n\n08:42:33 new account created\n08:50:27 account deleted\n"
        #expect(try parse(dated, fileName: "report.md").rows.first?.occurredAt == at("2023-11-22T08:42:33Z"))
        // Look-alikes: a version or an address is no date; a bracketed line
        // that names no section stays a line.
        #expect(TimelineTable.tokens("v2020.09.10 11:20", strict: false).contains(.isoDate(TimelineTable.Day(year: 2020, month: 9, day: 10))) == false)
        #expect(TimelineTable.tokens("2020.09.10.4", strict: false).contains(.isoDate(TimelineTable.Day(year: 2020, month: 9, day: 10))) == false)
        let bracketed = "# Outage 2024-03-05\n\n## Timeline\n\n- 10:00 Alerts\n\n[Update]\n\n- 10:30 Fixed\n"
        #expect(try parse(bracketed, fileName: "pm.md").rows.count == 2)
    }

    @Test func aDutchLiveBlogAndAnUptimeLogOfIncidents() throws {
        // Days as setext headings, one or more "**23.45 uur –**" paragraphs
        // each; a sentence wrapped before its time ("rond" / "13.00 uur").
        let blog = """
        ---
        date: 2013-11-10
        ---

        30 OKTOBER
        ----------

        **23.45 uur –**Vanuit het niets is onze applicatie onbereikbaar.

        31 OKTOBER
        ----------

        **0.00 uur –**De oorzaak is bekend.

        **8.30 uur –**Taken worden weer uitgevoerd.

        7 NOVEMBER
        ----------

        **13.30 uur** – Door een technische storing was Copernica vandaag rond
        13.00 uur een aantal minuten niet bereikbaar.
        """
        let read = try parse(blog, fileName: "live.md")
        #expect(read.rows.map(\.occurredAt) == [at("2013-10-30T23:45:00Z"), at("2013-10-31T00:00:00Z"), at("2013-10-31T08:30:00Z"), at("2013-11-07T13:30:00Z")])
        #expect(read.rows.first?.text.hasPrefix("Vanuit") == true)
        // An uptime log: a heading per incident that names its day, "Down:" and "Up:" below.
        let uptime = """
        This is a page where I discuss any downtime of the services I provide.

        #### Downtime on March 3rd, 2019

        - **Time**:
          - Down: 15:21 UTC (~ 5 minutes)
          - Up: 15:38 UTC (Manual Check). Reported back up at 15:40 UTC by Uptime Robot.
          - Total Time: 17 minutes down
        - **Reason/Cause**: a CPU-heavy program.

        #### Downtime on March 4th, 2019

        - **Time**:
          - Down: 10:32 UTC (~ 5 minutes)
          - Up: 13:28 UTC (Manual Check).

        #### Downtime on March 6th, 2019

        - **Reason/Cause**: tor took the CPU; no times were kept.
        """
        #expect(try parse(uptime, fileName: "downtime-report.md").rows.map(\.occurredAt) == [at("2019-03-03T15:21:00Z"), at("2019-03-03T15:38:00Z"), at("2019-03-04T10:32:00Z"), at("2019-03-04T13:28:00Z")])
        // Look-alike: one section heading that names a day is no log; the
        // summary's sentences beside a list of times are not entries.
        let one = "# API outage\n\n## Outage on March 3rd, 2019\n\nThe API failed at 15:21 UTC and was back at 15:38 UTC after a restart.\n\n- 15:21 UTC alerts\n- 15:30 UTC restart\n- 15:38 UTC recovered\n"
        #expect(try parse(one, fileName: "pm.md").rows.count == 3)
    }

    @Test func slavicMonthsAndCompactStamps() throws {
        // Ukrainian: "Хронологія" heads the timeline, months in the genitive.
        let ukrainian = """
        ---
        title: "Аналіз інциденту"
        date: 2004-06-02
        ---

        ## Хронологія інциденту

        Кожен час у UTC.

            20 травня 02:46 Пакет оновлено
            28 травня 09:26 Адміністратор виявляє слід вторгнення.

        ## Аналіз

        Вразливість була оголошена 19 травня.
        """
        #expect(try parse(ukrainian, fileName: "analysis.md").rows.map(\.occurredAt) == [at("2004-05-20T02:46:00Z"), at("2004-05-28T09:26:00Z")])
        // Polish and Russian dates, and Czech.
        for (written, iso) in [("15 marca 2024 14:05", "2024-03-15T14:05:00Z"), ("3 декабря 2023 09:10", "2023-12-03T09:10:00Z"), ("7 října 2022 10:00", "2022-10-07T10:00:00Z")] {
            let doc = "# Incident\n\n## Timeline\n\n- \(written) — alert\n- 15:00 resolved\n"
            #expect(try parse(doc, fileName: "pm.md").rows.first?.occurredAt == at(iso), "\(written)")
        }
        // "### 20251021 162404 (UTC+8)" under "## 过程": ISO 8601's basic form.
        let compact = "---\ntitle: 事故通报\n---\n\n## 过程\n\n### 20251021 162404 (UTC+8)\n\n发现 502\n\n### 20251021 172423 (UTC+8)\n\n恢复成功\n"
        #expect(try parse(compact, fileName: "notice.md").rows.map(\.occurredAt) == [at("2025-10-21T08:24:04Z"), at("2025-10-21T09:24:23Z")])
        // Look-alikes: eight digits alone, or before a number that is no time, stay numbers.
        #expect(TimelineTable.tokens("build 20251021 done", strict: false).contains(.isoDate(TimelineTable.Day(year: 2025, month: 10, day: 21))) == false)
        #expect(TimelineTable.tokens("order 20251021 9999", strict: false).contains(.isoDate(TimelineTable.Day(year: 2025, month: 10, day: 21))) == false)
    }

    @Test func stop40sShapesMailArchivesOffsetsAndFrenchStatusPages() throws {
        // A mailing list's archive (Mailman): the post's stamp and its sender
        // head the page; they are when it was sent, not a moment of the outage.
        let mail = """
        [Project-announce] Outage of the download mirrors 2019-03-04

        Tue Mar  5 10:12:44 UTC 2019
        Jo Maintainer <jo at project.example>

        Hi,

        At 06:40 UTC 2019-03-04 a certificate expired on the mirror hosts.

        By 07:55 UTC 2019-03-04 the new certificate was deployed.

        By 08:10 UTC 2019-03-04 all mirrors answered again.
        """
        let mailRows = try parse(mail, fileName: "outage.txt").rows
        #expect(mailRows.map(\.occurredAt) == [at("2019-03-04T06:40:00Z"), at("2019-03-04T07:55:00Z"), at("2019-03-04T08:10:00Z")])
        // Look-alike: a stamp with no sender beside it stays a moment of its own.
        let stampOnly = "Tue Mar  5 10:12:44 UTC 2019\n\nThe mirror went down.\n\nAt 11:00 UTC it was back.\n"
        #expect(try parse(stampOnly, fileName: "log.txt").rows.first?.occurredAt == at("2019-03-05T10:12:44Z"))

        // A date and time with the offset `date -R` and Git write, in fields
        // of an event list: "+0200" is the zone.
        let events = """
        .. event:: Storage maintenance
            :start: 2019-12-07 08:00 +0200
            :end: 2019-12-07 16:00 +0200

        .. event:: Node failure
            :start: 2019-12-02 18:45 +0200
        """
        #expect(try parse(events, fileName: "status.rst").rows.first?.occurredAt == at("2019-12-07T06:00:00Z"))
        // Look-alike: a number after a clock that is not an offset ("08:00 +20
        // users") changes nothing.
        #expect(try parse("## Timeline\n\n- 2019-12-07 08:00 +20 users joined\n- 2019-12-07 09:00 done\n", fileName: "pm.md").rows.first?.occurredAt == at("2019-12-07T08:00:00Z"))

        // Zendesk's French pages: "CALENDRIER" heads stamps that lead their
        // text, newest first, with French clocks ("19h56 UTC") and the same
        // moment in Pacific time; "POST-MORTEM" ends the timeline.
        let french = """
        SOMMAIRE
        Le 13 mars 2025, de 15 h 50 UTC à 19 h 48 UTC, les clients ont rencontré des erreurs.
        CALENDRIER
        13 mars 2025 19h56 UTC | 13 mars 2025 12h56 (heure du Pacifique)
        Le problème a été résolu.
        13 mars 2025 19h31 UTC | 13 mars 2025 12h31 (heure du Pacifique)
        Nous recevons des rapports d'erreurs.
        POST-MORTEM
        Analyse de la cause
        Un consommateur s'est arrêté sans redémarrer.
        """
        let frenchRows = try parse(french, fileName: "incident.txt").rows
        #expect(frenchRows.map(\.occurredAt) == [at("2025-03-13T19:56:00Z"), at("2025-03-13T19:31:00Z")])
        #expect(frenchRows.first?.text.contains("résolu") == true)
        #expect(frenchRows.last?.text.contains("Analyse") == false)
        // Look-alike: a duration in hours and minutes after a year is a
        // clock only with its minutes and before a zone or after a date.
        #expect(try parse("## Chronologie\n\n- 2025-03-13 10:00 incident ouvert, durée 1h30\n- 2025-03-13 11:30 fermé\n", fileName: "pm.md").rows.count == 2)

        // A zone written as a word on the first entry ("8:45 AM Eastern") is
        // the zone of the entries after it, in a list and in prose alike.
        let listed = "# Outage on 2021-11-22\n\n## Timeline\n\n- 8:45 AM Eastern: investigating\n- 10:00 AM: more memory\n- 10:45 AM: traffic split\n"
        #expect(try parse(listed, fileName: "pm.md").rows.last?.occurredAt == at("2021-11-22T15:45:00Z"))
        let told = """
        # Outage on 2021-11-22

        The team was investigating by 8:45 AM Eastern, and restarted some hosts.

        At 10:00 AM we increased the memory of the hosts.

        By 10:45 AM the team split the traffic into two groups.
        """
        #expect(try parse(told, fileName: "pm.md").rows.map(\.occurredAt) == [at("2021-11-22T13:45:00Z"), at("2021-11-22T15:00:00Z"), at("2021-11-22T15:45:00Z")])
        // Look-alike: "Eastern" as a word of the text ("10:00 Eastern region
        // failed over") under a stated UTC is no zone.
        let region = "# Outage on 2021-11-22\n\nAll times UTC.\n\n## Timeline\n\n- 09:00 Eastern region failed over\n- 10:00 back\n"
        #expect(try parse(region, fileName: "pm.md").rows.map(\.occurredAt) == [at("2021-11-22T09:00:00Z"), at("2021-11-22T10:00:00Z")])
        // A report in plain text whose title has a comma is prose, not a CSV
        // header: its sentences that state a time are its entries, in the
        // one zone it states.
        let plain = """
        Outage: March 3, 2016

        On 3 March 2016 at 14:40Z, one datacenter lost its uplink.

        The operations team saw the alert at 14:44Z, and declared an incident.

        Service was restored at 15:30Z.
        """
        #expect(try parse(plain, fileName: "outage.txt").rows.map(\.occurredAt) == [at("2016-03-03T14:40:00Z"), at("2016-03-03T14:44:00Z"), at("2016-03-03T15:30:00Z")])
        #expect(try parse(told, fileName: "outage.txt").rows.last?.occurredAt == at("2021-11-22T15:45:00Z"))
        // Look-alike: a CSV whose header lacks the columns is still refused
        // as a CSV, with what is missing.
        #expect { try parse("who,what\nAda,failed over the primary\nGrace,restarted the workers\n", fileName: "t.csv") } throws: { error in
            (error as? TimelineTableError)?.message.hasPrefix("no time column") == true
        }
        // A ticket's history: "20071219 10:53 GAR Created ticket", the date
        // in ISO 8601's basic form before an ordinary clock.
        let ticket = "Problem History:\n20071219 10:53 GAR Created ticket to track.\n\n20071221 09:52 RG Further flaps this morning.\n\n20071221 11:05 GAR Call from the carrier.\n"
        #expect(try parse(ticket, fileName: "ticket.txt").rows.map(\.occurredAt) == [at("2007-12-19T10:53:00Z"), at("2007-12-21T09:52:00Z"), at("2007-12-21T11:05:00Z")])
        #expect(!TimelineTable.tokens("build 20071219 10 items", strict: false).contains(.isoDate(TimelineTable.Day(year: 2007, month: 12, day: 19))))
        // "2022-04-06 11h Berlin time": the hour alone after a full date, and
        // a city's time, as the city's zone (CEST in April). "0.16: https://…"
        // above it is a version, not a quarter past midnight.
        let advisory = """
        # Advisory

        ## Patch

        0.16: https://example.com/compare/a...v0.16.7

        ## History

        - 2022-04-04: Patch announced
        - 2022-04-06 11h Berlin time: Patch released
        - 2022-04-06 14:30 Berlin time: Finding published
        """
        #expect(try parse(advisory, fileName: "advisory.md").rows.map(\.occurredAt) == [at("2022-04-06T09:00:00Z"), at("2022-04-06T12:30:00Z")])
        // Look-alike: a word that is no city before "time" stays text.
        #expect(try parse("## Timeline\n\n- 2022-04-06 14:30 Lunch time: paused\n- 2022-04-06 15:00 UTC resumed\n", fileName: "pm.md").rows.first?.text.contains("Lunch time") == true)
        // A front matter's instant falls on its day in the document's zone:
        // 22:30 UTC on the 17th is 09:30 on the 18th in Sydney.
        let sydney = """
        ---
        title: 'Upgrades'
        date: 2025-11-17T22:30:00.000Z
        ---
        *Update* as of 11:39AM all done.

        *Update* as of 10:15AM half done.

        *Update* This starts tomorrow at 9:30 AM AEDT.
        """
        #expect(try parse(sydney, fileName: "upgrades.md").rows.map(\.occurredAt) == [at("2025-11-18T00:39:00Z"), at("2025-11-17T23:15:00Z"), at("2025-11-17T22:30:00Z")])
        // "13 mars 2025" is March; "the Mars 2020 rover" is no month.
        #expect(TimelineTable.tokens("13 mars 2025", strict: false).contains(.word("march")))
        #expect(!TimelineTable.tokens("the Mars 2020 rover", strict: false).contains(.word("march")))
        // "16:35 (МСК)": Moscow time, UTC+3.
        let russian = "Начало: 15 сентября 2025 г., 16:35 (МСК)\n\nХронология\n\n16:35 (МСК): Рост ошибок 502.\n16:50 (МСК): Исправлено.\n"
        #expect(try parse(russian, fileName: "report.txt").rows.last?.occurredAt == at("2025-09-15T13:50:00Z"))
    }

    @Test func copiedPagesWhoseTimelineHeadingStatesItsZoneAndRecapsInAnEntry() throws {
        // "Timeline (times in BST)" heads the copied timeline, and "Follow-up
        // timeline (…)" a second one; "Detection" ends it, so a later sentence
        // that mentions one of its times is no entry.
        let copied = """
        Incident report August 12 2025 - hub outage

        Summary

        On August 12 2025 the hub went down.

        Timeline (times in BST)
        5:00 PM

        Incident declared

        5:32 PM

        Uptime check fails

        Detection

        Found while reviewing logs (the 5:32 PM check had already failed).
        """
        let read = try parse(copied, fileName: "report.md")
        #expect(read.rows.map(\.occurredAt) == [at("2025-08-12T16:00:00Z"), at("2025-08-12T16:32:00Z")])
        // A line of an entry that recalls an earlier hour looks back: it is
        // not the next night.
        let recap = "# Search down\n\n## Timeline\n\n### 26 February 2024\n\n08.48 Errors in search\n\n09.17 To recap - updown alerts at 5pm yesterday.<br>\nThen from approximately 1:30am we start seeing errors.<br>\nAnd at about 2am the tasks restarted.\n\n09.26 Digging into the errors\n"
        let recapped = try parse(recap, fileName: "retro.md")
        #expect(recapped.rows.map(\.occurredAt) == [at("2024-02-26T08:48:00Z"), at("2024-02-26T09:17:00Z"), at("2024-02-26T09:26:00Z")])
        // Look-alikes: a Japanese sentence about a process ("…過程で") is no
        // timeline heading; a programming language's smallest date is no day.
        let japanese = """
        発生から復旧までのタイムライン
        11/25
        15:00 - v1.4.0リリース
        16:17 - GitHub Issue 投稿
        原因

        当該部分を実装する過程で、まずはじめに検討した。
        DateTime.MinValue（0001/01/01 00:00:00）から減算をすると例外となる。
        """
        let jp = try parse(japanese, fileName: "v140.md", date: at("2021-11-25T00:00:00Z"))
        #expect(jp.rows.map(\.occurredAt) == [at("2021-11-25T15:00:00Z"), at("2021-11-25T16:17:00Z")])
    }

    @Test func lookAlikesFoundByStop39sReview() throws {
        // A timeline's phases copied as plain lines stay inside it.
        let phases = "Timeline (all times UTC)\nDetection\n14:05 Alerts fired for elevated 5xx rates\n14:09 On-call acknowledged the page\nMitigation\n14:20 Traffic drained\n14:30 Deploy rolled back\nRecovery\n14:41 Error rate back to normal\n14:55 Incident closed\n"
        #expect(try parse(phases, fileName: "report.md", date: at("2024-03-05T00:00:00Z")).rows.count == 6)
        // Sentences past midnight, each opening with its time, are entries.
        let night = "# Failover 2024-03-05\n\n## Timeline\n\nAt 23:10 UTC we were paged for replication lag.\nAt 23:40 UTC the on-call engineer started a failover.\nAt 00:35 UTC the failover completed and writes resumed.\nAt 01:20 UTC we closed the incident.\n"
        #expect(try parse(night, fileName: "pm.md").rows.map(\.occurredAt) == [at("2024-03-05T23:10:00Z"), at("2024-03-05T23:40:00Z"), at("2024-03-06T00:35:00Z"), at("2024-03-06T01:20:00Z")])
        // "om" ends a Dutch sentence ("zetten … om"): no time is wrapped after it.
        let dutch = "# Storing 2024-03-05\n\n## Tijdlijn\n\n14:12 We zetten de DNS naar de reservelocatie om\n14:20 Website weer bereikbaar voor alle klanten\n"
        #expect(try parse(dutch, fileName: "pm.md").rows.count == 2)
        // "leden" is Dutch for members, not Czech January.
        let members = "# Storing 2024-03-05\n\n## Tijdlijn\n\n- 14:05 melding\n- 14:20 12 leden konden niet inloggen\n"
        let read = try parse(members, fileName: "pm.md")
        #expect(read.rows.last?.occurredAt == at("2024-03-05T14:20:00Z"))
        #expect(read.rows.last?.text == "12 leden konden niet inloggen")
        // A short line that opens lowercase is an entry of its own.
        let terse = "# Outage 2024-03-05\n\n## Timeline\n\nAt 14:05 UTC crash reports began on Android\niOS clients started failing at 14:20 UTC as well.\n"
        #expect(try parse(terse, fileName: "pm.md").rows.count == 2)
        // "Release date:" in a timeline dates nothing.
        let release = "# Outage 2024-03-05\n\n## Timeline\n\n- 14:05 Deploy started\n\nRelease date: 2024-02-01\n\n- 14:30 Rolled back\n"
        #expect(try parse(release, fileName: "pm.md").rows.last?.occurredAt == at("2024-03-05T14:30:00Z"))
        // A span told hours before the entries around it is the next morning.
        let overnight = "# Outage 2024-03-05\n\n## Timeline\n\n| Time | Event |\n|---|---|\n| 14:00 | Disk alerts |\n| 19:30 | Replica failed |\n| 08:00 - 10:30 | Replica rebuilt |\n"
        #expect(try parse(overnight, fileName: "pm.md").rows.last?.occurredAt == at("2024-03-06T08:00:00Z"))
        // Two dated section headings do not make a postmortem a log.
        let twoDays = "# API outage\n\n## Outage on March 3rd, 2024\n\nThe API failed at 15:21 UTC.\n\n- 15:21 UTC alerts\n- 15:30 UTC restart\n- 15:38 UTC recovered\n\n## Postmortem review on March 5th, 2024\n\nThe team met at 10:00 UTC to review it.\n"
        #expect(try parse(twoDays, fileName: "pm.md").rows.count == 3)
        // A sentence on day two that names a clock listed on day one is its own moment.
        let dayTwo = "# Lag 2024-03-05\n\n## Timeline\n\n### March 5\n\n10:00 Lag alerts\n10:05 Replica rebuilt\n10:30 Lag gone\n11:00 Monitoring\n11:30 Closed\n12:00 Review scheduled\n\n### March 6\n\n08:30 Lag alerts fired again\nThe second replica was rebuilt at 10:05 and lag cleared.\n"
        #expect(try parse(dayTwo, fileName: "pm.md").rows.last?.occurredAt == at("2024-03-06T10:05:00Z"))
        // CalVer headings and an incident number glued to digits are no dates.
        #expect(TimelineTable.tokens("2024.5.3 rollout", strict: false).contains(.isoDate(TimelineTable.Day(year: 2024, month: 5, day: 3))) == false)
        #expect(TimelineTable.tokens("INC20240305 0042", strict: false).contains(.isoDate(TimelineTable.Day(year: 2024, month: 3, day: 5))) == false)
    }

    @Test func lookAlikesFoundByStop40sReview() throws {
        func times(_ text: String, _ name: String) throws -> [Date] { try parse(text, fileName: name).rows.map(\.occurredAt) }
        // A CSV file stays a CSV file when a row leaves out its last field:
        // a zone in one row's text moves no row.
        let csv = "id,time,event,owner\n1,2024-01-01 10:00,Deploy started (canary at 09:55 PST was fine)\n2,2024-01-01 10:30,Rolled back,alice\n3,2024-01-01 11:00,Resolved,bob\n"
        #expect(try times(csv, "t.csv") == [at("2024-01-01T10:00:00Z"), at("2024-01-01T10:30:00Z"), at("2024-01-01T11:00:00Z")])
        // A place after a zone's name is no zone: "Pacific Northwest",
        // "Eastern Canada"; a verb after it leaves it one.
        #expect(try times("# Outage on 2024-03-05\n\n- 14:00 Pacific Northwest region went down\n- 14:10 on-call paged\n- 14:30 fixed\n", "pm.md").first == at("2024-03-05T14:00:00Z"))
        #expect(try times("Database outage on 2024-03-05\n\nAt 09:00 Eastern Canada customers reported failed logins.\nAt 09:20 we noticed elevated latency on the API.\nAt 10:05 the primary was restored.\n", "pm.txt").last == at("2024-03-05T10:05:00Z"))
        #expect(try times("# Outage on 2024-03-05\n\n## Timeline\n\n- 8:45 AM Eastern paged the on-call engineer\n- 9:10 AM Eastern rolled back the release\n- 9:30 AM service recovered\n", "pm.md").last == at("2024-03-05T14:30:00Z"))
        // A front matter written with the author's own offset keeps the author's day.
        #expect(try times("---\nlayout: post\ndate: 2025-11-17T20:00:00-05:00\n---\n\n# API outage\n\n- 14:00 UTC deploy started\n- 15:00 UTC rolled back\n", "pm.md").first == at("2025-11-17T14:00:00Z"))
        // A sentence that ends with a host is no sender: both stamps are entries.
        #expect(try times("# Outage\n\nSat Apr 16 09:09:20 UTC 2016\nThe site went down at www.example.com\n\nSat Apr 16 09:30:00 UTC 2016\nThe site came back\n", "pm.md").count == 2)
        // "+2500 customers" after a clock is a number, not an offset.
        #expect(try times("# Outage report\n\nOn 2019-12-07 at 10:30 +2500 customers were affected.\n\nAt 11:00 we restored service.\n", "pm.md") == [at("2019-12-07T10:30:00Z"), at("2019-12-07T11:00:00Z")])
        // Zones as words carry to the entries without one: "мск" in lower
        // case, a city's time.
        #expect(try times("# Авария 2024-03-05\n\n## Хронология\n\n- 15:00 мск начались ошибки\n- 15:30 мск откат\n- 16:00 восстановлено\n", "pm.md").last == at("2024-03-05T13:00:00Z"))
        #expect(try times("# Outage 2024-03-05\n\n## Timeline\n\n- 14:30 Denver time: deploy started\n- 15:00 rollback\n", "pm.md") == [at("2024-03-05T21:30:00Z"), at("2024-03-05T22:00:00Z")])
        // Midnight's hour written "0.15" before text is a clock; a version before a link is not.
        #expect(try times("# Storing 2024-03-05\n\n## Tijdlijn\n\n- 23.50: melding ontvangen\n- 0.15: server herstart\n- 0.40: opgelost\n", "pm.md").count == 3)
        // A status update that mentions a timeline keeps its stamp.
        let status = "# Database outage\n\nResolved - This incident has been resolved.\nMar 13, 2024 - 07:00 UTC\n\nUpdate - A full timeline will follow\nMar 13, 2024 - 06:30 UTC\n\nInvestigating - We are investigating.\nMar 13, 2024 - 06:00 UTC\n"
        #expect(try times(status, "pm.md").count == 3)
        // Durations after a year or a date are no clocks: "In 2024 2h15 of
        // downtime", "2024-03-05 4h maintenance window".
        #expect(try times("# Incident report 2025\n\nIn 2024 2h15 of downtime was recorded across all regions.\n\nAt 10:00 UTC on 2025-01-05 the API failed.\nAt 10:30 UTC on 2025-01-05 it recovered.\n", "pm.md").count == 2)
        #expect(try times("# Maintenance log\n\n- 2024-03-05 4h maintenance window announced\n- 2024-03-06 10:00 maintenance started\n- 2024-03-06 12:00 maintenance finished\n", "pm.md").first == at("2024-03-06T10:00:00Z"))
    }

    /// Shapes from stop 41's blind sets and its review: a paragraph under a
    /// Timeline heading is one entry; "≤11:30" in a table; the hour with
    /// "Uhr" or "uur"; a day above entries written "10.42:"; TWiki pages; a
    /// copied page's byline.
    @Test func stop41sShapesParagraphsHoursBylinesAndWikis() throws {
        func times(_ text: String, _ name: String) throws -> [Date] { try parse(text, fileName: name).rows.map(\.occurredAt) }
        // A paragraph of a Timeline that tells two moments is one entry, as
        // the people who counted such paragraphs by hand counted it.
        let story = """
        ## Timeline of Events

        ### Sunday, September 8th, 2024

        10:02 AM, the studio reports that browsers cannot connect.

        Things came back, but by 6pm the site was still slow. By 6:20, the DNS fault was found and fixed.
        """
        let storyRows = try parse(story, fileName: "crash.md").rows
        #expect(storyRows.map(\.occurredAt) == [at("2024-09-08T10:02:00Z"), at("2024-09-08T18:00:00Z")])
        #expect(storyRows.last?.text.contains("By 6:20, the DNS fault") == true)
        // Look-alikes found by review: a log run together into one paragraph
        // (every sentence opens with its time) keeps each moment; a sentence
        // that names another day is its own entry, and dates those after it.
        #expect(try times("## Timeline\n\nMarch 5, 2024\n\nAt 14:00 UTC we deployed. At 14:05 UTC errors rose. At 14:30 UTC we rolled back. At 14:45 UTC it recovered.\n", "pm.md")
                == ["14:00", "14:05", "14:30", "14:45"].map { at("2024-03-05T\($0):00Z") })
        #expect(try times("## Timeline\n\nOn March 4, 2024 at 22:10 UTC we deployed a change. The bug stayed latent until March 7 at 09:02 UTC, when carts began to fail.\n\nAt 09:30 UTC we rolled back the change.\n", "pm.md")
                == [at("2024-03-04T22:10:00Z"), at("2024-03-07T09:02:00Z"), at("2024-03-07T09:30:00Z")])
        // Look-alike: a story told without a timeline is one entry per paragraph.
        #expect(try times("# Relay outage\n\nOn November 5th 2024 the relays degraded around 11:00 GMT and failed by 17:00 GMT. We resolved it at 23:01 GMT.\n", "pm.md").count == 1)

        // "≤11:30" in a timeline table: at 11:30 or a little before.
        let table = "# I/O saturation, 2026-07-24\n\n## Timeline (EDT)\n\n| Time | Event |\n|---|---|\n| ≤11:30 | Disk queue grows |\n| 11:33 | Alert fires |\n| 12:24 | Resolved |\n"
        #expect(try times(table, "pm.md") == [at("2026-07-24T15:30:00Z"), at("2026-07-24T15:33:00Z"), at("2026-07-24T16:24:00Z")])

        // The hour with the word for o'clock: "Gegen 10 Uhr", "10:00Uhr", "om 9 uur".
        let german = "---\ntitle: Ausfall\ndate: 2020-04-21 09:00:00\n---\n\nGegen 10 Uhr erreichten wir einen neuen Nutzerpeak.\n\nUm 16:30 war alles wieder normal.\n"
        #expect(try times(german, "ausfall.markdown") == [at("2020-04-21T10:00:00Z"), at("2020-04-21T16:30:00Z")])
        #expect(TimelineTable.sentenceEntries("Bei dem Crash heute morgen um 10:00Uhr gingen Daten verloren.", order: nil).first?.time == "10:00")
        var dutch = ["Storing op 3 maart 2024", "", "- Vanaf 9 uur waren de servers traag.", "- Het herstel duurde 2 uur lang."]
        TimelineTable.oClockHours(&dutch)
        #expect(dutch[2] == "- Vanaf 9:00 uur waren de servers traag.")
        // Look-alikes: "2 uur lang" and "met tot 3 uur vertraging" are how long, not when.
        #expect(dutch[3] == "- Het herstel duurde 2 uur lang.")
        var delay = ["Betalingen kwamen met tot 3 uur vertraging binnen."]
        TimelineTable.oClockHours(&delay)
        #expect(delay[0] == "Betalingen kwamen met tot 3 uur vertraging binnen.")

        // "This is the timeline of events on Thursday February 11 2016":
        // entries written "10.42:" are dated by it, not by a later sentence's
        // date ("since it went live on January 22, 2016").
        let dots = """
        February 11, 2016 incident report

        This is the timeline of events that occurred on Thursday February 11 2016, starting at 10.42am:

        10.42: the booking application became unavailable.
        10.46: engineers were alerted.
        10.56: the platform healed itself.

        This was the first failure since it went live on January 22, 2016.
        """
        #expect(try times(dots, "report.txt") == ["10:42", "10:46", "10:56"].map { at("2016-02-11T\($0):00Z") })

        // A TWiki page as exported: "---+++" is a heading, its list items are
        // indented three spaces, and one opens "At 10:55 AM EST".
        let wiki = """
        ---+++ The Event Timeline

        *December 13th 2011 Maintenance Window*
           * 9:00 AM EST two new instances of BDII were added to DNS round robin.
           * 9:51 AM EST is3 failed.
           * At 10:55 AM EST is5 failed. is3 failed at 10:59.
           * 13:00 EST service had been restored.
        """
        #expect(try times(wiki, "BDIIv5RCA.txt") == ["14:00", "14:51", "15:55", "18:00"].map { at("2011-12-13T\($0):00Z") })
        // An entry that opens "At 10:55" without a zone, among entries in
        // EST, is in EST too (not 10:55 in UTC, moved to the evening).
        let mixed = "## Timeline\n\nDecember 13th 2011\n* 9:00 AM EST instances added.\n* 9:51 AM EST is3 failed.\n* At 10:55 the host failed.\n* 13:00 EST service restored.\n"
        #expect(try times(mixed, "pm.md") == ["14:00", "14:51", "15:55", "18:00"].map { at("2011-12-13T\($0):00Z") })
        // Look-alikes: a note nested under an entry that opens "At 10:05"
        // stays in it; so does a nested item that mentions a later time.
        let nested = "# API outage 2024-03-05\n\n## Timeline\n\n- 10:40 UTC: we rolled back the 10:00 deploy\n  - At 10:05 the canary had already shown errors\n  - At that point nobody was watching\n- 10:52 UTC: error rates back to normal\n"
        #expect(try times(nested, "pm.md") == [at("2024-03-05T10:40:00Z"), at("2024-03-05T10:52:00Z")])
        // A page copied with its byline under the title: "2025/11/20" is
        // when it was published, not the day of the incident the title and
        // text name (nor is a date inside a link's address).
        let page = """
        Incident Report for Nov 18, 2025

        2025/11/20

        On November 18th, the service was down from 11:33am to 2:40pm UTC.

        ![Uptime](/images/blog/2025-11-20-incident-report/chart.png)
        Timeline (UTC)
        11:33 — Synthetic tests failed
        14:40 — Service restored
        """
        #expect(try times(page, "report.txt") == [at("2025-11-18T11:33:00Z"), at("2025-11-18T14:40:00Z")])
        // Look-alikes: a title that is a date ("# Outage on 2024-03-05") is no
        // byline, and a date the text refers back to ("Since 2024-02-12")
        // does not outrank one.
        #expect(try times("# Outage on 2024-03-05\n\n## Summary\n\nSince 2024-02-12 we have been migrating sessions.\n\n## Timeline\n\n- 09:12 UTC: sign-ins fail\n- 09:55 UTC: sign-ins recover\n", "pm.md").first == at("2024-03-05T09:12:00Z"))
        #expect(try times("API errors\n\n2024-03-05\n\nThis follows up on our preliminary note of 2024-02-28.\n\nTimeline (UTC)\n09:00 — API errors begin\n09:30 — resolved\n", "report.txt").first == at("2024-03-05T09:00:00Z"))
        // Look-alike: a date under the title that is the incident's day.
        #expect(try times("Database outage\n\n2025/11/20\n\nTimeline (UTC)\n11:33 — Synthetic tests failed\n14:40 — Service restored\n", "report.txt").first == at("2025-11-20T11:33:00Z"))
        #expect(try times("## Timeline\n\nMarch 5, 2024\n\n- 09:00 UTC deploy\n   - the next check was due at 09:30\n- 10:00 UTC rollback\n", "pm.md").count == 2)
    }

    @Test func stop42sShapesSummariesStatuspagePostmortemsAndZones() throws {
        func times(_ text: String, _ name: String) throws -> [Date] { try parse(text, fileName: name).rows.map(\.occurredAt) }

        // A summary of the incident's window above the entries, at the first
        // entry's moment and saying how long it lasted, is not an entry; the
        // preview says so.
        let window = """
        Cache degradation

        Posted: Thursday, 11 August 2022

        Incident window: 11:20 AM - 12:50 PM ET on 11 August 2022

        This morning a certificate renewal degraded the cache.

        - At 11:20 AM ET, a change installed a new certificate.
        - At 11:45 AM, generation was paused.
        - At 12:50 PM, the service was restored.
        """
        let windowRead = try parse(window, fileName: "report.txt")
        #expect(windowRead.rows.map(\.occurredAt) == ["15:20", "15:45", "16:50"].map { at("2022-08-11T\($0):00Z") })
        // (Its items open with their moments, so the window's line is read
        // only for its zone.)
        #expect(windowRead.notes.contains { $0.line == 5 && $0.reason.contains("zone the document's other times state") })
        let lasted = """
        ## Timeline

        On October 6, 2021, at 01:05 UTC, the site was down for approximately 1 hour and 15 minutes.

        ### Response

        On October 6, 2021, at 01:05 UTC, the site went down and we were alerted.

        At 01:46 UTC, the provider posted an update.

        At 02:20 UTC, the site was back.
        """
        #expect(try times(lasted, "pm.md") == ["01:05", "01:46", "02:20"].map { at("2021-10-06T\($0):00Z") })
        // Look-alikes: two entries at one moment, side by side, are both
        // entries; so is a first paragraph that says nothing of how long.
        #expect(try times("## Timeline\n\nMarch 5, 2024\n\n- 14:00-14:30 UTC deploy window\n- 14:00 UTC alert fired\n- 14:10 UTC rollback\n", "pm.md").count == 3)
        #expect(try times("## Timeline\n\nOn March 5, 2024 at 14:00 UTC the deploy began.\n\n### Log\n\n- 14:00 UTC alert fired\n- 14:10 UTC rollback\n", "pm.md").count == 3)
        // Look-alikes found by review: a first entry of a list, and a
        // paragraph about an alert's threshold, are entries.
        #expect(try times("## Timeline\n\nMarch 10, 2024\n\n### Detection\n\n- 14:02 UTC: alert fired after p99 stayed above 2s for 5 minutes.\n\n### Response\n\n- 14:02 UTC: on-call acknowledged.\n- 14:10 UTC: declared.\n- 14:45 UTC: fixed.\n", "pm.md").count == 4)
        #expect(try times("## Timeline\n\nMarch 10, 2024\n\nAt 14:02 UTC monitoring alerted (the threshold held for 10 minutes).\n\n### Response\n\nAt 14:02 UTC on-call acknowledged.\n\nAt 14:10 UTC we declared it.\n", "pm.md").count == 3)

        // Statuspage's postmortem, copied with its updates: "Postmortem", its
        // paragraphs, then its "Posted" stamp, is an update at that stamp.
        let statuspage = """
        Interruption of the Matching Engine
        Incident Report for Exchange
        Postmortem

        Between 04:52:11 UTC and 04:53:47 UTC on 20 December 2019, the engine stopped.

        It was resolved by 04:53:47 UTC.

        Posted Jan 14, 2020 - 19:38 UTC

        Resolved
        The issue has been resolved.
        Posted Dec 20, 2019 - 04:53 UTC
        Investigating
        We are looking into the interruption.
        Posted Dec 20, 2019 - 04:52 UTC
        """
        #expect(try times(statuspage, "status.txt") == [at("2020-01-14T19:38:00Z"), at("2019-12-20T04:53:00Z"), at("2019-12-20T04:52:00Z")])

        // Central, East and West Africa Time in a column's header or after a
        // clock; the English words are not zones.
        #expect(try times("# Login outage, 15 Oct 2025\n\n## Timeline\n\n| Time (CAT) | Event |\n|---|---|\n| 08:05 | First report |\n| 08:40 | Fixed |\n", "pm.md")
                == [at("2025-10-15T06:05:00Z"), at("2025-10-15T06:40:00Z")])
        #expect(try times("## Timeline\n\nMarch 5, 2024\n\n- 09:00 EAT: deploy\n- 09:30 EAT: rollback\n", "pm.md") == [at("2024-03-05T06:00:00Z"), at("2024-03-05T06:30:00Z")])
        #expect(try times("## Timeline\n\nMarch 5, 2024\n\n- 09:00 cat of the config showed the typo\n- 09:30 rollback\n", "pm.md") == [at("2024-03-05T09:00:00Z"), at("2024-03-05T09:30:00Z")])
        // In prose, before a noun, such a word is the text's ("the CAT
        // environment"); before a word that carries the sentence on, a zone.
        #expect(try times("## Timeline\n\nMarch 10, 2024\n\nAt 09:40 CAT environment deploys were paused.\n\nAt 10:05 UTC the release was rolled back.\n", "pm.md") == [at("2024-03-10T09:40:00Z"), at("2024-03-10T10:05:00Z")])
        #expect(TimelineTable.sentenceEntries("Between 15 Oct 2025 08:05 CAT and 08:40 CAT the login failed.", order: nil).first?.time?.hasSuffix("08:05 CAT") == true)
        #expect(TimelineTable.sentenceEntries("At 09:40 CAT environment deploys were paused.", order: nil).first?.time == "09:40")

        // "September 13, 2020 (CDT)": after a month and its day, a year, not
        // 20:20 in Central time (which moved every entry to that zone).
        let upcoming = "# Mail outage, 2020-09-10\n\n## Timeline\n\n- 09:00 - start\n- 10:00 - end\n- September 13, 2020 (CDT) - upgrades\n"
        #expect(try times(upcoming, "pm.md").prefix(2) == [at("2020-09-10T09:00:00Z"), at("2020-09-10T10:00:00Z")])
        #expect(try !times(upcoming, "pm.md").contains(at("2020-09-14T01:20:00Z")))
        // Look-alikes: "1936 UTC" and "May 5 at 2030 EDT" are still clocks without their colon.
        #expect(try times("# Outage, 2024\n\n## Timeline\n\n- May 5 at 1945 EDT: first alarm\n- May 5 at 2030 EDT: failover\n- May 5 at 2210 EDT: resolved\n", "pm.md").count == 3)
        #expect(try times("## Timeline\n\nMarch 5, 2024\n\n- 1936 UTC alert\n- 1940 UTC page\n", "pm.md") == [at("2024-03-05T19:36:00Z"), at("2024-03-05T19:40:00Z")])

        // "(GMT +1)", "UTC +2": an offset a space apart; a count after a
        // minus is not one.
        #expect(try times("## Timeline\n\n- 2013-05-04 03:20 (GMT +1) - down\n- 2013-05-04 03:26 GMT +1 - back\n", "pm.md") == [at("2013-05-04T02:20:00Z"), at("2013-05-04T02:26:00Z")])
        #expect(try times("Issue commenced: <strong>2013-05-04 03:20 (GMT +1)</strong>\nIssue closed: <strong>2013-05-04 14:20 (GMT +1)</strong>\n", "bulletin.md") == [at("2013-05-04T02:20:00Z"), at("2013-05-04T13:20:00Z")])
        #expect(try times("## Timeline\n\n- 2013-05-04 14:00 UTC -5 servers dropped out\n- 2013-05-04 14:30 UTC back\n", "pm.md") == [at("2013-05-04T14:00:00Z"), at("2013-05-04T14:30:00Z")])
        #expect(try times("## Timeline\n\nMarch 10, 2024\n\n- 14:00 UTC deploy started\n- 14:05 UTC +3 nodes failed health checks\n- 14:20 UTC rollback\n", "pm.md")
                == ["14:00", "14:05", "14:20"].map { at("2024-03-10T\($0):00Z") })
        #expect(TimelineTable.sentenceEntries("At 14:05 UTC +3 nodes failed.", order: nil).first?.time == "14:05 UTC")

        // A forum's "Edited by … on …" stamp is when the post was edited.
        #expect(try times("Server down\n\nAt about 8pm on June 13, 2002 the power went out.\n\nUpdate: it was back at 6pm on June 14, 2002.\n\nEdited by James Ross on 2002-06-15 12:29:51.\n", "news.md")
                == [at("2002-06-13T20:00:00Z"), at("2002-06-14T18:00:00Z")])
        // Look-alike: a status page's "Posted by … on …" stamps are its updates.
        let postedBy = "Resolved\nThis incident has been resolved.\nPosted by Jane Doe on Jan 14, 2020 - 19:38 UTC\n\nMonitoring\nA fix is out.\nPosted by Jane Doe on Jan 14, 2020 - 18:10 UTC\n\nInvestigating\nErrors are elevated.\nPosted by John Roe on Jan 14, 2020 - 17:45 UTC\n"
        #expect(try times(postedBy, "status.txt").count == 3)

        // What happened "on" a day, earlier in its sentence, happened that day.
        let lichess = "Post-mortem of two outages\n\nAll times are UTC.\n\nOn the 16th of January 2021, at 05:13, monitoring raised an alert.\n\nThe same crash happened on the 1st of February, this time with several rounds of restarts between 19:22 and 20:14.\n"
        #expect(try times(lichess, "post.txt") == [at("2021-01-16T05:13:00Z"), at("2021-02-01T19:22:00Z")])
        // Look-alikes: what was released "on" a day may fail days later; a
        // day after "of" names another day.
        #expect(try times("## Timeline\n\n### March 10, 2024\n\nThe release that went out on March 1 first failed at 14:05 UTC, when the batch ran.\n\nAt 14:20 UTC on-call was paged.\n", "pm.md")
                == [at("2024-03-10T14:05:00Z"), at("2024-03-10T14:20:00Z")])
        #expect(try times("## Timeline\n\nMarch 5, 2024\n\nAfter the incident of March 3 was closed, at 16:04 errors rose again.\n\nAt 16:30 we rolled back.\n", "pm.md")
                == [at("2024-03-05T16:04:00Z"), at("2024-03-05T16:30:00Z")])

        // A sentence that names the day its entries are on is no other day's:
        // the paragraph stays one entry.
        let sameDay = "## Timeline\n\n### 01 Dec 2020\n\nThe archive stopped updating at ~01:30 UT. The archive page was fixed as of ~18:00 UT 01 Dec 2020.\n\n### 02 Dec 2020\n\nAt 09:00 UT the backlog was cleared.\n"
        #expect(try times(sameDay, "pm.md") == [at("2020-12-01T01:30:00Z"), at("2020-12-02T09:00:00Z")])
    }

    @Test func stop42sStatusUpdatesCopiedFromTheirPages() throws {
        func rows(_ text: String, _ name: String) throws -> [ImportedTimelineRow] { try parse(text, fileName: name).rows }
        // Statuspage's history copied as text: a label alone, the update's
        // paragraphs, then its stamp (with how long before the update above
        // it came). Each label is an update at the stamp below it, with its
        // paragraphs as its text.
        let history = """
        Wrong emails sent to merchants

        Resolved

        Our monitoring shows that the fix holds.

        We do not expect further disruption.

        Tue, May 24, 2022, 04:29 PM

        Monitoring

        A fix was applied.

        Tue, May 24, 2022, 03:14 PM(1 hour earlier)

        Investigating

        We stopped the outgoing emails.

        Tue, May 24, 2022, 11:16 AM(4 hours earlier)
        """
        let read = try rows(history, "status.txt")
        #expect(read.map(\.occurredAt) == [at("2022-05-24T16:29:00Z"), at("2022-05-24T15:14:00Z"), at("2022-05-24T11:16:00Z")])
        #expect(read.first?.text.contains("the fix holds") == true)
        #expect(read.first?.text.contains("further disruption") == true)
        // Look-alike: a time alone over its text, with no label above it, is
        // still the time of what follows.
        #expect(try rows("# Outage, May 24, 2022\n\n14:05 UTC\n\nWe deployed.\n\n14:30 UTC\n\nWe rolled back.\n", "pm.md").map(\.occurredAt)
                == [at("2022-05-24T14:05:00Z"), at("2022-05-24T14:30:00Z")])

        // Updates set apart by thematic breaks, newest first, the first report
        // last and without a time of its own at its start: an update at the
        // first time its paragraph tells.
        let post = """
        ---
        title: Serveur hors-service
        date: 2021-05-18 17:20
        ---

        Mise à jour de 18h15 : le système de fichiers était corrompu ; `fsck` l'a réparé.

        ---

        Mise à jour de 17h55 : le disque n'a pas disparu, seulement sa table de partitions.

        ---

        Les services sont hors-service depuis environ 17h. Le disque de la base
        de données n'est plus accessible.
        """
        #expect(try rows(post, "2021-05-18-serveur.md").map(\.occurredAt) == [at("2021-05-18T18:15:00Z"), at("2021-05-18T17:55:00Z"), at("2021-05-18T17:00:00Z")])
        // Look-alike: a closing note after the updates, with a time later
        // than theirs, is no report of its own.
        let closing = "Mise à jour de 17h55 : le disque est revenu.\n\n---\n\nMise à jour de 17h20 : le disque a disparu.\n\n---\n\nNous publierons un bilan vers 19h.\n"
        #expect(try rows(closing, "2021-05-18-serveur.md").map(\.occurredAt) == [at("2021-05-18T17:55:00Z"), at("2021-05-18T17:20:00Z")])
    }
}

extension TimelineSectionShapeTests {
    @Test func stop43sStatusChipsDottedClocksAndZonedSections() throws {
        func times(_ text: String, _ name: String) throws -> [Date] { try parse(text, fileName: name).rows.map(\.occurredAt) }

        // A status page's history copied from a site that lists it as
        // numbered items, each a status chip in lower case and its stamp,
        // the update indented below. The facts block above it ("Started" /
        // its stamp) is not an update.
        let chips = """
        LaunchPad Slow Logins

        Started
        Sep 22, 2022, 02:29 PM UTC
        Resolved
        Sep 22, 2022, 06:17 PM UTC

        Update timeline

          1. investigating Sep 22, 2022, 02:29 PM UTC

            We're investigating slow logins into LaunchPad.

          2. identified Sep 22, 2022, 04:28 PM UTC

            Response times have improved.

          3. resolved Sep 22, 2022, 06:17 PM UTC

            This incident has been resolved.
        """
        let chipRows = try parse(chips, fileName: "classlink.txt").rows
        #expect(chipRows.map(\.occurredAt) == [at("2022-09-22T14:29:00Z"), at("2022-09-22T16:28:00Z"), at("2022-09-22T18:17:00Z")])
        #expect(chipRows.first?.text.contains("slow logins") == true)
        // Look-alike: a capitalised "Resolved 2025-07-24 12:34" among key
        // events is still a fact, not an update.
        #expect(TimelineTable.statusLabelTime("Resolved 2025-07-24 12:34", order: nil) == nil)
        #expect(TimelineTable.statusLabelTime("resolved Sep 22, 2022, 06:17 PM UTC", order: nil)?.label == "resolved")

        // "8.56am": a 12-hour clock written with a full stop, in prose with
        // no Timeline heading.
        let dotted = """
        RFO: Reason For Outage – 20/March/2015

        At approximately 8.56am, a management card failed.

        By 9.18am engineers were on site.

        By 9.41 a.m. all operations had reverted to normal.
        """
        #expect(try times(dotted, "rfo.txt") == [at("2015-03-20T08:56:00Z"), at("2015-03-20T09:18:00Z"), at("2015-03-20T09:41:00Z")])
        // Look-alikes: a version, a price and a 24-hour figure stay text.
        var versions = ["Upgraded to v1.10am-patch.", "It costs $1.50am.", "Load was 13.45 at peak."]
        TimelineTable.dottedTwelveHourClocks(&versions)
        #expect(versions == ["Upgraded to v1.10am-patch.", "It costs $1.50am.", "Load was 13.45 at peak."])

        // A page's fields run together ("Title: … Date: …, 14:46 UTC") date
        // the page; they are not an entry.
        let fields = """
        Mailbox outage

        Title: Mail client Syncing Issue Date: Monday 23rd March 2020, 14:46 UTC

        - UPDATE @ 25th March 2020, 15:18 UTC - IMAP enabled.
        - UPDATE @ 25th March 2020, 14:03 UTC - High load again.
        """
        #expect(try times(fields, "status.txt") == [at("2020-03-25T15:18:00Z"), at("2020-03-25T14:03:00Z")])

        // "What happened (all times UTC)": the section that states its
        // times' zone is the timeline; the summary above it is not an entry,
        // and each paragraph is one entry at its first time.
        let zoned = """
        Delay in Job Start Time

        On July 19, 2022, from 20:02 to 21:47 UTC, customers experienced delays.

        What happened (all times UTC)

        At approximately 18:55, a database cluster began to show elevated reads.

        By 19:30, this began to impact job start time.

        A public incident was declared at 20:02. At 20:12, connection pools became saturated.

        Future Prevention and Process Improvement:

        We are decoupling job execution from this database.
        """
        #expect(try times(zoned, "circleci.txt") == [at("2022-07-19T18:55:00Z"), at("2022-07-19T19:30:00Z"), at("2022-07-19T20:02:00Z")])

        // A Statuspage postmortem whose text ends in a list, right above its
        // "Posted" stamp: the stamp is the postmortem's, and each update
        // below keeps its own.
        let listed = """
        Workflows not executing
        Incident Report for CircleCI
        Postmortem

        On May 17 between 16:35 and 23:47 UTC we had an outage.

          • We monitor our database more rigorously.
          • We split queries across several instances.
        Posted Jul 13, 2018 - 16:27 UTC

        Resolved
        We have worked through the backlog.
        Posted May 17, 2018 - 23:51 UTC
        Update
        We are reducing the backlog.
        Posted May 17, 2018 - 23:07 UTC
        """
        let listedRows = try parse(listed, fileName: "circleci.txt").rows
        #expect(listedRows.map(\.occurredAt) == [at("2018-07-13T16:27:00Z"), at("2018-05-17T23:51:00Z"), at("2018-05-17T23:07:00Z")])
        #expect(listedRows.first?.text.contains("split queries") == true)

        // One titled heading per moment, its story in paragraphs below that
        // mention times of their own: an entry per heading.
        let story = """
        # CryptPad outage, December 8th, 2020

        ### December 8, 05:30 - Server update deployed

        I deployed a minor patch early in the morning.

        ### December 8, 12:42 - CryptPad goes down

        The last line in our server's log was written at 12:42.

        ### December 8, 15:00 - Host machine comes back online

        By 15:00 the physical server had been powered back up.

        At 15:40 the disk checks were interrupted.

        ### December 9, 16:14

        December 9th was not especially eventful.

        By about 13:30 the transfer was 90% complete.
        """
        let storyRows = try parse(story, fileName: "cryptpad.md").rows
        #expect(storyRows.map(\.occurredAt) == [at("2020-12-08T05:30:00Z"), at("2020-12-08T12:42:00Z"), at("2020-12-08T15:00:00Z"), at("2020-12-09T16:14:00Z")])
        #expect(storyRows[2].text.contains("At 15:40 the disk checks") == true)
        // Look-alike: under two timed headings only, a paragraph that opens
        // with its own time is still an entry of its own.
        let two = """
        # Outage, March 3, 2024

        ### 14:00 - Deploy

        We deployed.

        14:20 errors rose.

        ### 15:00 - Rollback

        We rolled back.
        """
        #expect(try times(two, "pm.md") == [at("2024-03-03T14:00:00Z"), at("2024-03-03T14:20:00Z"), at("2024-03-03T15:00:00Z")])

        // A status page kept as front matter alone: its list of updates is
        // the timeline, each with its status and its words.
        let states = """
        ---
        layout: post
        title: LiveAgent service outage
        date: 2022-02-02 22:08 GMT+1
        incident_states:
        - status: investigating
          content: "Outage on our EU and US based accounts."
          date: 2022-02-02 22:08 GMT+1
        - status: resolved
          content: "Under control for our EU customers as well."
          date: 2022-02-02 22:53 GMT+1
        ---
        """
        let stateRows = try parse(states, fileName: "2022-02-02-outage.md").rows
        #expect(stateRows.map(\.occurredAt) == [at("2022-02-02T21:08:00Z"), at("2022-02-02T21:53:00Z")])
        #expect(stateRows.first?.text == "investigating: Outage on our EU and US based accounts.")
        // Where the page's text tells the times, the text is the timeline.
        #expect(try times(states.replacingOccurrences(of: "\n---", with: "\n---\n\n- 22:10 GMT+1 paged\n- 22:40 GMT+1 fixed"), "outage.md")
                == [at("2022-02-02T21:10:00Z"), at("2022-02-02T21:40:00Z")])
        // Front matter and nothing else is said so, not called empty.
        #expect(rejection("---\ntitle: Outage\ndate: 2022-02-02\n---\n", fileName: "outage.md")?.message.contains("only front matter") == true)

        // Better Stack's page: when the incident began, over "Affected
        // services", is its header; each update is a label, its stamp, then
        // its paragraphs.
        let betterStack = """
        Back to overview
        Downtime

        Temporary Discord Bot Downtime

        Feb 05, 2026 at 09:37pm HST
        Affected services
        Discord Bot Main

        Resolved
        Feb 07, 2026 at 12:16am HST

        All errors fixed.

        Updated
        Feb 05, 2026 at 10:20pm HST

        Fixes are being deployed.
        """
        let stackRows = try parse(betterStack, fileName: "status.txt").rows
        #expect(stackRows.map(\.occurredAt) == [at("2026-02-07T10:16:00Z"), at("2026-02-06T08:20:00Z")])
        #expect(stackRows.first?.text.contains("All errors fixed") == true)
        #expect(stackRows.last?.text.contains("being deployed") == true)

        // A status log whose days, each a date alone on its line, run newest
        // first, the same day twice at the top: a time earlier than the one
        // above it is an earlier update of that day, not one past midnight.
        let log = """
        ---
        title: "Network status"
        ---

        2019-4-23

        8:00pm: Things should be connected again.

        12:00pm: We are having problems with our hub.

        2019-3-29

        4:30pm: Normal service resumed.

        4:25pm: Our Henry St hub is having problems.
        """
        #expect(try times(log, "status.md") == [at("2019-04-23T20:00:00Z"), at("2019-04-23T12:00:00Z"), at("2019-03-29T16:30:00Z"), at("2019-03-29T16:25:00Z")])
        // Look-alike: days that run forward still pass midnight.
        let forward = "2019-4-23\n\n11:00pm: paged.\n\n1:00am: fixed.\n\n2019-4-25\n\n9:00am: review.\n"
        #expect(try times(forward, "status.md") == [at("2019-04-23T23:00:00Z"), at("2019-04-24T01:00:00Z"), at("2019-04-25T09:00:00Z")])

        // A status page's report whose times state no zone, over its one
        // "Posted … GMT-03:00" stamp: the times are in the stamp's zone.
        let report = """
        Incidente no Fluxo de Roteamento
        Incident Report for OmniChat
        Resolved
        O que aconteceu?

        No dia 25/07/2024, às 16:30 horas, identificamos uma instabilidade.

        Identificamos a causa raiz às 17:20 do mesmo dia.
        Posted Jul 25, 2024 - 17:30 GMT-03:00
        """
        let reportRead = try parse(report, fileName: "omnichat.txt")
        #expect(reportRead.rows.map(\.occurredAt) == [at("2024-07-25T19:30:00Z"), at("2024-07-25T20:20:00Z")])
        // Look-alike: where the text states its zone, the stamp's is not used.
        #expect(try times(report.replacingOccurrences(of: "16:30 horas", with: "16:30 UTC"), "omnichat.txt").first == at("2024-07-25T16:30:00Z"))

        // A status page's incident file, opened late in the evening (its
        // front matter's date beside its status), with every update earlier
        // in the day than that: the updates came after midnight.
        let incident = """
        ---
        title: Degraded performance
        date: 2024-12-10 23:03:00 +0000
        status: resolved
        ---

        Not all data points seem to be stored. We are investigating.

        Update 02:24 UTC: we found the issue and solved it.

        Update 8:26 UTC: we are back!
        """
        #expect(try times(incident, "11.md") == [at("2024-12-11T02:24:00Z"), at("2024-12-11T08:26:00Z")])
        // Look-alike: a blog post published that evening about the day's
        // incident (no status in its front matter) keeps its day.
        #expect(try times(incident.replacingOccurrences(of: "status: resolved\n", with: ""), "11.md")
                == [at("2024-12-10T02:24:00Z"), at("2024-12-10T08:26:00Z")])

        // An update that announces the windows of a planned maintenance: the
        // windows are its text, not entries.
        let notice = """
        2023-07-13 22:30 BST

        The planned maintenance is now scheduled for Thursday-Sunday 20-23 July:

        - 20 July 2023 21:00 to 08:00 (BST)
        - 21 July 2023 21:00 to 08:00 (BST)

        ---

        2023-07-13 06:55 UTC

        We decided to postpone this maintenance.
        """
        let noticeRows = try parse(notice, fileName: "lon1.md").rows
        #expect(noticeRows.map(\.occurredAt) == [at("2023-07-13T21:30:00Z"), at("2023-07-13T06:55:00Z")])
        #expect(noticeRows.first?.text.contains("21 July 2023 21:00 to 08:00") == true)
        // Look-alike: spans listed under a lead-in that announces no plan
        // are entries.
        let spans = notice.replacingOccurrences(of: "The planned maintenance is now scheduled for Thursday-Sunday 20-23 July:", with: "Degraded periods so far:")
        #expect(try parse(spans, fileName: "lon1.md").rows.count == 4)

        // "8/04/2015" under a title that writes the day as 20150408: the
        // day comes first.
        let wiki = """
        RAL Tier1 Incident 20150408 network intervention

        Timeline of the Incident

        When What
        8/04/2015 10:00 Downtime starts in the GOCDB.
        8/04/2015 11:45 Castor change is abandoned and rollback starts.
        """
        #expect(try times(wiki, "incident.txt") == [at("2015-04-08T10:00:00Z"), at("2015-04-08T11:45:00Z")])
        #expect(TimelineTable.slashOrder(["Incident 2015-08-04", "8/04/2015 10:00"]) == .monthFirst)
        // Look-alike: with no such day written, the date stays ambiguous.
        #expect(rejection(wiki.replacingOccurrences(of: " 20150408", with: ""), fileName: "incident.txt")?.message.contains("ambiguous date") == true)

        // A copied page's posting stamp over its title dates the page; it is
        // not an entry (it was, and pushed every entry a day on).
        let bulletin = """
        06 Nov 2023, 05:45 PM

        Update on the issue with display of orders and positions

        09:15 AM: Order and position status updates were affected.

        12:09 PM: All restrictions on order placement are removed.
        """
        #expect(try times(bulletin, "bulletin.txt") == [at("2023-11-06T09:15:00Z"), at("2023-11-06T12:09:00Z")])
        // A status history copied without its labels: the postmortem's
        // paragraphs, a blank line, then its stamp, over the updates.
        let unlabelled = """
        Downtime with /bash endpoint
        Incident Report for Codecov

        The root cause was an infrastructure migration that completed at 22:00 UTC on Sep 23, 2022.

        Future work will be to improve monitoring around the endpoint.

        Posted Sep 24, 2022 - 23:57 UTC

        This issue is now resolved.
        Posted Sep 24, 2022 - 23:38 UTC
        We are currently investigating downtime with our /bash endpoint.
        Posted Sep 24, 2022 - 23:33 UTC
        """
        let unlabelledRows = try parse(unlabelled, fileName: "codecov.txt").rows
        #expect(unlabelledRows.map(\.occurredAt) == [at("2022-09-24T23:57:00Z"), at("2022-09-24T23:38:00Z"), at("2022-09-24T23:33:00Z")])
        #expect(unlabelledRows.first?.text.contains("improve monitoring") == true)

        // A status history under month and day headings, each update a label
        // and its stamp set apart by blank lines over its text.
        let history = """
        Previous incidents

        February 2024
        Feb 05, 2024
        1 incident

        Under DDoS


        Resolved Feb 06 at 08:04pm UTC

        We deployed a fix and are now accepting all traffic.

        December 2023
        Dec 18, 2023
        1 incident

        Partial Outage

        Resolved Dec 18 at 05:00pm UTC

        Today at 7am CST, we experienced a partial outage due to elevated API volume.
        """
        let historyRows = try parse(history, fileName: "history.txt").rows
        #expect(historyRows.map(\.occurredAt) == [at("2024-02-06T20:04:00Z"), at("2023-12-18T17:00:00Z")])
        #expect(historyRows.last?.text.contains("Today at 7am CST") == true)
        // Look-alike: "Resolved 2025-07-24 12:34" among key events copied as
        // lines stays a fact.
        let keyEvents = """
        Key events

        First detected 2025-07-23 15:35
        Incident declared 2025-07-23 16:48
        Resolved 2025-07-24 12:34

        Context:

        15:35 – Plan pushed to git branch

        16:08 – Initial finding of secret leakage
        """
        #expect(try times(keyEvents, "moj.txt").first == at("2025-07-23T15:35:00Z"))
        #expect(try parse(keyEvents, fileName: "moj.txt").rows.allSatisfy { !$0.text.hasPrefix("Resolved") })

        // A status chip for the postmortem, in lower case, is an update too.
        #expect(TimelineTable.statusLabelTime("postmortem May 11, 2021, 09:23 PM UTC", order: nil)?.label == "postmortem")
    }
}

extension TimelineSectionShapeTests {
    /// Cases a read-only reviewer wrote against stop 43's changes; each was
    /// read wrong by them before it was fixed.
    @Test func lookAlikesFoundByStop43sReview() throws {
        func times(_ text: String, _ name: String = "pm.md") throws -> [Date] { try parse(text, fileName: name).rows.map(\.occurredAt) }

        // "(times approximate)", "(times in ms)" name no zone: not a timeline.
        let impact = """
        # Search outage, February 20, 2024

        ## Timeline

        - 14:02 UTC deploy changes the mapping
        - 14:10 UTC search fails
        - 14:45 UTC rolled back

        ## Load test results (times in ms)

        At 10:30 the p99 was 120.
        """
        #expect(try times(impact).count == 3)

        // A blog's "status: published" beside its date is the post's: the
        // timeline keeps its day.
        let ghost = """
        ---
        title: Database failover
        date: 2023-11-14T21:10:00Z
        status: published
        ---

        - 14:02 UTC primary unresponsive
        - 15:00 UTC all services recovered
        """
        #expect(try times(ghost) == [at("2023-11-14T14:02:00Z"), at("2023-11-14T15:00:00Z")])

        // A page's own date under its title heads nothing: an oldest-first
        // night still passes midnight.
        let byline = """
        # How a certificate took down our API

        6 Mar 2024 · 4 min read

        Last night our API went down because an intermediate certificate expired.

        ## March 5, 2024

        - 23:10 UTC alerts fire
        - 23:40 UTC expired intermediate found
        - 00:20 UTC new chain deployed
        """
        #expect(try times(byline).last == at("2024-03-06T00:20:00Z"))

        // An update whose text begins "Affected components: …" is an update.
        let affected = """
        # API degradation on 2024-03-05

        ## Timeline

        14:02 UTC

        Affected services: API and Webhooks returned 502 errors.

        14:30 UTC

        Faulty load balancer replaced.
        """
        #expect(try times(affected) == [at("2024-03-05T14:02:00Z"), at("2024-03-05T14:30:00Z")])

        // Under titled timed headings, a log line that opens with its time is
        // an entry of its own (only a story's "By 15:00 …" joins the heading).
        let phases = """
        # Queue lag, June 11, 2024

        ### 23:15 UTC - Phase 1: Initial degradation

        23:22 UTC - On-call acknowledges.

        ### 23:40 UTC - Phase 2: Mitigation

        23:55 UTC - Lag starts to drop.

        ### 00:30 UTC - Phase 3: Recovery

        00:45 UTC - Incident closed.
        """
        #expect(try times(phases).count == 6)

        // German "Version 4.11 am Dienstag" ("on Tuesday") is no clock.
        var german = ["Nach dem Einspielen von Version 4.11 am Dienstag fiel die Suche aus."]
        TimelineTable.dottedTwelveHourClocks(&german)
        #expect(german == ["Nach dem Einspielen von Version 4.11 am Dienstag fiel die Suche aus."])
        var english = ["- 10.08 AM: NSE halted trading."]
        TimelineTable.dottedTwelveHourClocks(&english)
        #expect(english == ["- 10:08 AM: NSE halted trading."])

        // A front matter list that is not a list of updates (a document's
        // revisions) is not a timeline; a block scalar's text is kept.
        let revisions = """
        ---
        title: Object storage outage
        revisions:
        - date: 2024-04-02 10:00
          description: Added root cause section
        - date: 2024-04-03 09:00
          description: Corrected the impact estimate
        ---

        In the early afternoon our object storage failed.
        """
        #expect(rejection(revisions, fileName: "outage.md") != nil)
        let block = """
        ---
        title: Mail outage
        incident_states:
        - status: investigating
          content: >-
            We are investigating an outage
            on the mail cluster.
          date: 2022-02-02 22:08 GMT+1
        - status: resolved
          content: |
            The mail cluster is back.
          date: 2022-02-02 23:40 GMT+1
        ---
        """
        let blockRows = try parse(block, fileName: "mail.md").rows
        #expect(blockRows.map(\.text) == ["investigating: We are investigating an outage on the mail cluster.", "resolved: The mail cluster is back."])

        // Lower-case facts nested under a timed item are its text.
        let nested = """
        # Maintenance, May 1, 2024

        ## Timeline

        - 10:00 UTC window opens
        - 10:20 UTC migration starts
          - scheduled 2024-05-01 11:00 UTC
          - completed 2024-05-01 10:55 UTC
        - 11:00 UTC window closes
        """
        let nestedRows = try parse(nested, fileName: "pm.md").rows
        #expect(nestedRows.count == 3)
        #expect(nestedRows[1].text.contains("completed 2024-05-01 10:55 UTC"))

        // "All times in this report are Greenwich Mean Time": the report says
        // its zone, so the Posted stamp's is not taken.
        let gmt = """
        Deploy failure
        Incident Report for Example

        All times in this report are Greenwich Mean Time.

        14:02 deploy started
        14:31 rollback complete
        Posted Jul 25, 2024 - 17:30 GMT-03:00
        """
        #expect(try times(gmt, "report.txt") == [at("2024-07-25T14:02:00Z"), at("2024-07-25T14:31:00Z")])
    }
}

extension TimelineSectionShapeTests {
    @Test func stop44sRegionalZonesAndDaysInNames() throws {
        func times(_ text: String, _ name: String = "pm.md") throws -> [Date] { try parse(text, fileName: name).rows.map(\.occurredAt) }

        // A status page that stamps "PST" in September while its summary
        // says PDT means Pacific time by either: the stamps are UTC-7.
        let slack = """
        Thursday September 28, 2023

        Issue summary:
        From 8:00 AM PDT to 11:00 AM PDT on Thursday, September 28, 2023, a small number of users experienced delays.

        5:49 PM PST

        We resolved the latency issues.

        11:28 AM PST

        Some users may be seeing signs of improvement.

        10:02 AM PST

        A small number of users are reporting latency.
        """
        #expect(try times(slack, "slack.txt") == [at("2023-09-29T00:49:00Z"), at("2023-09-28T18:28:00Z"), at("2023-09-28T17:02:00Z")])
        // Look-alike: PST alone is UTC-8, as written, in any season.
        let literal = slack.replacingOccurrences(of: "8:00 AM PDT to 11:00 AM PDT", with: "8:00 AM to 11:00 AM")
        #expect(try times(literal, "slack.txt") == [at("2023-09-29T01:49:00Z"), at("2023-09-28T19:28:00Z"), at("2023-09-28T18:02:00Z")])
        // In winter both readings agree: PST is UTC-8.
        let winter = slack.replacingOccurrences(of: "September 28, 2023", with: "January 12, 2023")
        #expect(try times(winter, "slack.txt") == [at("2023-01-13T01:49:00Z"), at("2023-01-12T19:28:00Z"), at("2023-01-12T18:02:00Z")])
        // "PSTN" and "CESTA" are no zone words.
        #expect(TimelineTable.regionalZones(in: "PSTN lines down; PDT stamps") == [:])
        #expect(TimelineTable.regionalZones(in: "10:00 CET, 11:00 CEST")["cet"] == "Europe/Berlin")

        // A page saved under its day (the day at the end of its name) dates
        // times that have only a month and a day.
        let keygen = """
        Under DDoS

        Resolved
        Feb 06 at 08:04pm UTC

        We were able to locate the source of the problem.

        Updated
        Feb 05 at 09:01pm UTC

        Today, we experienced an unintentional DDoS.
        """
        #expect(try times(keygen, "keygen-under-ddos-2024-02-05.txt") == [at("2024-02-06T20:04:00Z"), at("2024-02-05T21:01:00Z")])
    }

    @Test func stop44sSignaturesWholeDatesWeekdaysAndTitles() throws {
        func times(_ text: String, _ name: String = "pm.txt") throws -> [Date] { try parse(text, fileName: name).rows.map(\.occurredAt) }

        // A status history copied without labels: the first update is a
        // quoted postmortem signed by its writer, over its "Posted" stamp.
        let signed = """
        Connectivity loss in Atlanta
        Incident Report for Linode

        Here is an excerpt from the postmortem received from our upstream provider:

        At 11:30 AM EST we began to monitor high CPU on the core routers. Once the attacking IPs were determined a filter was applied.

        We apologize for any inconvenience that this issue has caused.

        Alex Forster
        Network Engineer, Linode

        Posted Apr 06, 2015 - 19:20 UTC

        We have seen stabilized latency for approximately 40 minutes from all of our monitoring points.
        Posted Apr 06, 2015 - 18:18 UTC
        We have received notice that our upstream provider is absorbing a large DDoS attack.
        Posted Apr 06, 2015 - 17:03 UTC
        """
        let signedRows = try parse(signed, fileName: "linode.txt").rows
        #expect(signedRows.map(\.occurredAt) == [at("2015-04-06T19:20:00Z"), at("2015-04-06T18:18:00Z"), at("2015-04-06T17:03:00Z")])
        #expect(signedRows.first?.text.contains("Network Engineer, Linode") == true)

        // A log line that opens with a whole date is its own entry, even
        // when the line above ends on "at" (an address cut from the page).
        let log = """
        ## Timeline

        Sep 25, 2024 – 11:33 UTC – Rob Stradling posts an email message to kontakt at
        Sep 26, 2024 – 09:52 UTC – The message is sent from first line of technical support to the WebPKI team.
        Sep 26, 2024 – 11:11 UTC – The WebPKI team responds.
        """
        #expect(try times(log, "pm.md").count == 3)
        // Look-alike: a sentence wrapped before its time stays one entry.
        let wrapped = """
        # Outage, March 3, 2024

        ## Timeline

        14:02 UTC – We saw errors and decided to change the resources at
        15:00 when traffic is lower.
        15:30 UTC – Done.
        """
        #expect(try times(wrapped, "pm.md").count == 2)

        // No year anywhere, a weekday beside each day: the latest year in
        // which the 12th of October was a Friday, however far back (2018).
        let storm = """
        Hurricane Michael Restoration

        Friday, October 12, 3:30 PM:
        All outages have been restored.

        Thursday, October 11, 8PM:
        Our crews have made great headway on restoration today.
        """
        #expect(try TimelineTable.parse(storm, fileName: "news.txt", timeZone: utc, date: nil, skipBadRows: false, today: at("2025-06-01T00:00:00Z")).rows.map(\.occurredAt)
            == [at("2018-10-12T15:30:00Z"), at("2018-10-11T20:00:00Z")])

        // A title that names the month and its year dates the days written
        // without one ("Friday, July 21" fits 2017 and 2023 alike).
        let summary = """
        July 2017 IT service disruption summary

        On Friday, July 21, the university experienced a significant IT service disruption.

        The issues began at approximately 10 a.m. on Friday, July 21, when the firewall failed.

        By 9:30 p.m. on Friday, July 21, the website was restored.
        """
        #expect(try times(summary).first == at("2017-07-21T10:00:00Z"))
        #expect(TimelineTable.titleYear(["# Outage of May 2024, a review"]) == 2024)
        #expect(TimelineTable.titleYear(["# 2024 in review: May was quiet"]) == nil)

        // Statuspage's postmortem whose text ends in a numbered list right
        // above its "Posted" stamp keeps the stamp.
        let numbered = """
        Login issues
        Incident Report for SchemeServe
        Postmortem

        This morning we had issues with our Authentication API failing to serve login requests.

        In light of this we have:

          1. Changed the scale event triggers so that one scale event does not trigger another.
          2. Set up alerts to notify us when the symptoms begin to present themselves.
        Posted Apr 08, 2024 - 15:52 BST

        Resolved
        This incident has been resolved.
        Posted Apr 08, 2024 - 10:19 BST
        Investigating
        We are investigating a problem with logging in.
        Posted Apr 08, 2024 - 09:23 BST
        """
        #expect(try times(numbered) == [at("2024-04-08T14:52:00Z"), at("2024-04-08T09:19:00Z"), at("2024-04-08T08:23:00Z")])

        // An announcement's planned window ("Start: … @ 12:00 PM BST" over
        // "End: …") is its text; its updates are the entries.
        let announced = """
        AT-RISK: Emergency Power Maintenance
        We will be replacing a Power Distribution Unit in the rack your server is hosted in.

        Start: Thursday 13th July @ 12:00 PM BST
        End: Thursday 13th July @ 12:30 PM BST

        We will update this announcement once the works are due to commence.
        Updated by Dan Miller on 13th Jul 2017 @ 11:35am
        These works are about to commence.
        Updated by Dan Miller on 13th Jul 2017 @ 11:59am
        We have encountered an issue and engineers are reverting these works.
        Updated by Dan Miller on 13th Jul 2017 @ 12:22pm
        All services should be back online and functional.
        Updated by Dan Miller on 13th Jul 2017 @ 12:34pm
        """
        let announcedRead = try parse(announced, fileName: "status.txt")
        #expect(announcedRead.rows.count == 4)
        #expect(announcedRead.notes.contains { $0.line == 4 && $0.reason.contains("window a notice states") })
        // Look-alike: a log's own "Start: 14:02 deploy began" is a moment.
        let own = """
        # Deploy incident, March 3, 2024

        ## Timeline

        - Start: 14:02 deploy began
        - End: 14:40 rollback finished
        - 14:10 errors rose
        - 14:20 rollback started
        """
        #expect(try times(own, "pm.md").count == 4)

        // "(日本時間、以下同様)": Japan time, said of every time below.
        let japan = """
        発生概要
        - 発生期間:2025年11月6日 10:52 〜 2025年11月15日 10:50(日本時間、以下同様)
        タイムライン
        - 2025年11月6日
        - 10:52 移行作業を開始
        - 11:46 メトリックの表示欠損が発見された
        """
        #expect(try times(japan, "mackerel.txt") == [at("2025-11-06T01:52:00Z"), at("2025-11-06T02:46:00Z")])

        // A Timeline of bare clocks under a summary that writes the first
        // one with PM: the afternoon. A status label, its text and its
        // stamp are one update, even when the text opens with a time.
        let afternoon = """
        Severe degradation of customers API
        Incident Report for Sardine AI

        Summary

        Between 4:23 PM to 5:03 PM pacific time on May 16th we experienced degraded performance.

        Timeline

        4:23 Incident started

        4:27 Oncall engineer got paged

        5:03 fail over completes, issue resolved

        What Are We Doing About This?

          • Conduct fire-drill sessions so we can diagnose faster
        Posted May 17, 2024 - 21:42 UTC

        Resolved
        Between 4:23 PM to 5:03 PM pacific time we experienced degraded performance.
        Posted May 17, 2024 - 00:34 UTC
        """
        let afternoonRows = try parse(afternoon, fileName: "sardine-2024-05-16.txt").rows
        #expect(afternoonRows.map(\.occurredAt) == [at("2024-05-16T23:23:00Z"), at("2024-05-16T23:27:00Z"), at("2024-05-17T00:03:00Z"), at("2024-05-17T00:34:00Z")])
        #expect(afternoonRows.last?.text.hasPrefix("Resolved: Between 4:23 PM") == true)
        // Look-alike: a summary whose PM time is not the first entry's says nothing of the morning's clocks.
        let morning = afternoon.replacingOccurrences(of: "4:23 PM to 5:03 PM", with: "9:23 PM and 10:03 PM")
        #expect(try times(morning, "sardine-2024-05-16.txt").first == at("2024-05-16T11:23:00Z"))

        // A page that prints each update's label and stamp twice.
        let twice = """
        Updates
          • Completed
            June 08, 2024 at 2:04 PM
            Completed
            June 08, 2024 at 2:04 PM

            This has been completed and all services are back to normal operations.

          • Update
            June 08, 2024 at 1:46 AM
            In progress
            June 08, 2024 at 1:46 AM

            Some hardware has been replaced.
        """
        #expect(try times(twice, "breezehost.txt") == [at("2024-06-08T14:04:00Z"), at("2024-06-08T01:46:00Z")])

        // "at 9h06" in English prose is a clock; "after 1h30" is how long.
        var prose = ["At 9h06, the engineers located the issue.", "It was solved after 1h30 of work.", "We met at 1 h 30 past noon."]
        TimelineTable.hourMarkedClocks(&prose)
        #expect(prose == ["At 9:06, the engineers located the issue.", "It was solved after 1h30 of work.", "We met at 1 h 30 past noon."])
    }
}

extension TimelineSectionShapeTests {
    /// Cases a read-only reviewer wrote against stop 44's changes; each was
    /// read wrong by them (one crashed) before it was fixed.
    @Test func lookAlikesFoundByStop44sReview() throws {
        func times(_ text: String, _ name: String) throws -> [Date] { try parse(text, fileName: name).rows.map(\.occurredAt) }

        // A log that ends in its own "Start:" and "End:" items (it crashed).
        let case0 = """
        # Incident 2024-05-02: Checkout errors

        ## Timeline

        - 10:02 UTC: Alert fired for elevated 5xx on checkout.
        - 10:05 UTC: On-call acknowledged.
        - 10:20 UTC: Bad feature flag identified and reverted.
        - 10:34 UTC: Error rate back to baseline.
        - Start: 10:02 UTC
        - End: 10:34 UTC
        """
        #expect(try times(case0, "crash-list.md").count == 6)

        // EDT and EST written across the autumn change: each as written, EST in the repeated hour the second 01:30.
        let case1 = """
        # Postmortem: duplicate billing run during the DST change

        On Sunday, November 3, 2024 clocks in New York went back from 2:00 AM EDT to 1:00 AM EST, and the billing cron ran twice.

        ## Timeline

        - Nov 3, 2024 01:30 EDT: Nightly billing job starts.
        - Nov 3, 2024 01:52 EDT: Billing job finishes.
        - Nov 3, 2024 01:30 EST: Billing job starts again, because the wall clock repeated the hour.
        - Nov 3, 2024 01:49 EST: Second billing run finishes; customers charged twice.
        - Nov 3, 2024 09:10 EST: Support tickets about double charges escalated.
        """
        #expect(try times(case1, "dst.md") == [at("2024-11-03T05:30:00Z"), at("2024-11-03T05:52:00Z"), at("2024-11-03T06:30:00Z"), at("2024-11-03T06:49:00Z"), at("2024-11-03T14:10:00Z")])

        // AEST (Brisbane) beside AEDT (Sydney): each as written.
        let case2 = """
        # Payments outage, 2024-01-17

        Our support team is in Brisbane and works in AEST all year; the payments vendor is in Sydney and stamps its emails in AEDT.

        ## Timeline

        - 09:10 AEST: Brisbane support sees failed card payments.
        - 09:25 AEST: Ticket raised with the vendor.
        - 10:40 AEDT: Vendor acknowledges the ticket.
        - 10:05 AEST: Payments recover.
        """
        #expect(try times(case2, "brisbane.md") == [at("2024-01-16T23:10:00Z"), at("2024-01-16T23:25:00Z"), at("2024-01-16T23:40:00Z"), at("2024-01-17T00:05:00Z")])

        // One PM time in the summary says nothing of a morning timeline of bare clocks.
        let case3 = """
        # Stale auth tokens after a config push, 2024-05-14

        ## Summary

        A signing-key change was pushed at 9:40 PM on May 13. Tokens issued before it carry a 12-hour lifetime, so clients began failing to refresh at 9:40 the next morning, when the last old tokens expired.

        ## Timeline (May 14, UTC)

        9:40 First refresh failures in the mobile API.
        9:52 On-call paged by the auth error-rate alert.
        10:15 Old signing key re-added to the verifier set.
        10:31 Refresh success rate back to normal.
        """
        #expect(try times(case3, "ttl.md").first == at("2024-05-14T09:40:00Z"))

        // A slipped weekday does not move a year the title states.
        let case4 = """
        # March 2024 search outage postmortem

        On Monday, March 5, our search cluster ran out of heap after a mapping change.

        ## Timeline

        - 14:02 UTC: Mapping change deployed.
        - 14:20 UTC: Search latency alerts fire.
        - 15:05 UTC: Change rolled back; cluster recovers.
        """
        #expect(try times(case4, "search.md").first == at("2024-03-05T14:02:00Z"))

        // A short first update over its stamp is an update, not a signature.
        let case5 = """
        Connectivity loss in Atlanta
        Incident Report for Linode

        This incident has been resolved.

        Posted Apr 06, 2015 - 19:20 UTC

        We have seen stabilized latency for approximately 40 minutes from all of our monitoring points.
        Posted Apr 06, 2015 - 18:18 UTC
        We have received notice that our upstream provider is absorbing a large DDoS attack.
        Posted Apr 06, 2015 - 17:03 UTC
        """
        #expect(try times(case5, "linode.txt") == [at("2015-04-06T19:20:00Z"), at("2015-04-06T18:18:00Z"), at("2015-04-06T17:03:00Z")])

        // A log's "14:02 UTC: Investigating" over "14:02 UTC: Update: …" is two entries.
        let case6 = """
        # Incident 4821: Login failures, 2024-03-03

        ## Timeline

        - 14:02 UTC: Investigating
        - 14:02 UTC: Update: the IdP certificate expired at 14:00; renewal under way.
        - 14:30 UTC: Monitoring
        - 15:00 UTC: Resolved
        """
        #expect(try times(case6, "log.md").count == 4)

        // Where clocks are written 12:30, "at 1h30" is how long.
        let case7 = """
        Replication lag on the analytics cluster, 2024-04-10

        At 09:40 UTC a long-running migration blocked replication. Lag alerts fired at 10:05 UTC. The lag stood at 1h30 when the on-call engineer joined, and peaked at 2h15 before the migration was killed at 11:55 UTC. Replicas were caught up at 12:30 UTC.
        """
        #expect(try times(case7, "lag.txt") == [at("2024-04-10T09:40:00Z")])
        #expect(try parse(case7, fileName: "lag.txt").rows.first?.text.contains("stood at 1h30") == true)

        // A sentence wrapped before a whole date and time, with no separator after it, stays one entry.
        let case8 = """
        Incident report: object storage latency, 2024-09-25

        Timeline (all times UTC)

        22:10 - Latency alerts fire for the eu-west object store.
        22:40 - Engineers find a hot partition. The vendor's fix is expected to land at
        Sep 26, 2024 06:00 UTC, after their release freeze.
        23:05 - A temporary rate limit is applied; latency drops.
        """
        #expect(try times(case8, "storage.txt") == [at("2024-09-25T22:10:00Z"), at("2024-09-25T22:40:00Z"), at("2024-09-25T23:05:00Z")])
    }
}

extension TimelineSectionShapeTests {
    @Test func stop45sCityTimesWindowsAndOtherLanguages() throws {
        func times(_ text: String, _ name: String = "pm.txt") throws -> [Date] { try parse(text, fileName: name).rows.map(\.occurredAt) }

        // A span alone on its line, in a city's time: the line is the entry,
        // and "Singapore time zone" is UTC+8 for both ends.
        let spans = """
        Service interruption report

        Event Timeline

        July 26, 2016 From 12:23 AM until 1:05 AM Singapore time zone

        August 19, 2016 From 4:29 PM Until 4:32 PM Singapore time zone
        """
        let spanRows = try parse(spans, fileName: "rca.txt").rows
        #expect(spanRows.map(\.occurredAt) == [at("2016-07-25T16:23:00Z"), at("2016-08-19T08:29:00Z")])
        #expect(spanRows.first?.text.contains("until 1:05 AM Singapore time zone") == true)
        // "horário de Brasília" after the first time: the story's zone.
        let brasilia = """
        Indisponibilidade em 28/02/2017

        Por volta de 14:37, horário de Brasília, um time da AWS iniciou uma manutenção interna.

        A AWS restabeleceu o funcionamento do S3 às 18:54 e nossos serviços voltaram.
        """
        #expect(try times(brasilia, "pm.md") == [at("2017-02-28T17:37:00Z"), at("2017-02-28T21:54:00Z")])
        // Look-alike: "at 14:02 Paris datacenter" names a place, not a zone.
        let place = """
        Power loss, 2024-03-05

        At 14:02 Paris datacenter lost power.

        At 14:40 the generators took the load.
        """
        #expect(try times(place, "pm.md") == [at("2024-03-05T14:02:00Z"), at("2024-03-05T14:40:00Z")])

        // "by 3:30 this afternoon": the afternoon's, not the next night's.
        let afternoon = """
        2009/07/22 - Unscheduled Internet Outage
        Around 11:40, the University lost access to the Internet.
        We have reported the problem to our service providers.
        Further feedback is that it will be repaired by 3:30 this afternoon.
        Access was restored around 3:45 PM.
        """
        #expect(try times(afternoon, "notice.txt") == [at("2009-07-22T11:40:00Z"), at("2009-07-22T15:30:00Z"), at("2009-07-22T15:45:00Z")])

        // A notice's Start Date and End Date fields are its window, not updates.
        let fields = """
        Network outage across multiple campuses

        Start Date

        25th Feb 2017 10:30am

        End Date

        2nd Mar 2017 10:00am

        We have received many reports of network access outages.

        UPDATE 11:45am Saturday 25-Feb-2017: Network services have returned to some locations.

        UPDATE 12:40pm Saturday 25-Feb-2017: Network services are again offline.

        UPDATE 11:30am Sunday 26-Feb-2017: Firewall issues have been rectified.
        """
        let fieldRead = try parse(fields, fileName: "notice.txt")
        #expect(fieldRead.rows.map(\.occurredAt) == [at("2017-02-25T11:45:00Z"), at("2017-02-25T12:40:00Z"), at("2017-02-26T11:30:00Z")])
        // Each label straight over its value, no blank lines (found by the review).
        let noBlank = fields.replacingOccurrences(of: "Date\n\n", with: "Date\n").replacingOccurrences(of: "10:30am\n\nEnd", with: "10:30am\nEnd")
        #expect(try times(noBlank, "notice.txt") == [at("2017-02-25T11:45:00Z"), at("2017-02-25T12:40:00Z"), at("2017-02-26T11:30:00Z")])
        #expect(fieldRead.notes.contains { $0.line == 5 && $0.reason.contains("window a notice states") })
        // Look-alike: a log's own "Start" over a time with its text is a moment.
        let logStart = fields.replacingOccurrences(of: "End Date\n\n2nd Mar 2017 10:00am", with: "Later\n\n2nd Mar 2017 10:00am the fix was confirmed.")
        #expect(try times(logStart, "notice.txt").contains(at("2017-03-02T10:00:00Z")))

        // "21:39:12-13" ends a span a second later: no zone is 13 hours behind UTC.
        let seconds = """
        # Chain split, December 14, 2025 (UTC)

        ## Timeline of Events

        ### 21:38:47 - Catch-up complete

        ### 21:39:12-13 - Evidence of chain split

        ### 21:39:14 - Mismatch persists
        """
        #expect(try times(seconds, "split.md") == [at("2025-12-14T21:38:47Z"), at("2025-12-14T21:39:12Z"), at("2025-12-14T21:39:14Z")])
        // Look-alike: "-05" after seconds is still an offset.
        let offset = "time,text\n2019-03-01 14:02:33-05,deploy\n"
        #expect(try times(offset, "log.csv") == [at("2019-03-01T19:02:33Z")])

        // A day the file's name writes settles "03/01/2016", which either order allows.
        let photon = """
        Issue Summary
        On 03/01/2016 from 3:39 PM to 4:04 PM CET the name servers were denying service.
        Timeline (CET)
        3:39 PM Deployment of wrong package starts
        4:04 PM All name servers running correctly again
        """
        #expect(try times(photon, "photon-outage-2016-03-01.txt") == [at("2016-03-01T14:39:00Z"), at("2016-03-01T15:04:00Z")])
        #expect(try times(photon, "photon-outage-2016-01-03.txt") == [at("2016-01-03T14:39:00Z"), at("2016-01-03T15:04:00Z")])

        // The one year a file's name writes dates a weekday and day without one;
        // a later line that names its weekday goes on to that day.
        let easy = """
        On Saturday, Jan 07 commencing at approximately 3:30pm EST we were hit with a DDoS attack.
        The attack was a combination of floods.
        Our provider was able to mitigate starting around 4:40PM EST.
        We then made changes to direct queries toward the functional nodes.
        At approximately 3:00am Sunday morning we began routing queries elsewhere.
        """
        #expect(try times(easy, "post-mortem-jan-07-ddos-attack-2012.txt") == [at("2012-01-07T20:30:00Z"), at("2012-01-07T21:40:00Z"), at("2012-01-08T08:00:00Z")])
        // "label: 4:45 AM EST, 8/12/2022": the date right after the time and a comma is its day.
        let carrier = """
        Carrier Outage in August 2022

          • Incident reported: 4:45AM EST, 8/12/2022
          • Power issue solved: 5:55 AM EST, 8/12/2022
          • Software fix: 9:47 AM EST, 8/12/2022
        """
        #expect(try times(carrier, "carrier.txt") == [at("2022-08-12T09:45:00Z"), at("2022-08-12T10:55:00Z"), at("2022-08-12T14:47:00Z")])
        #expect(TimelineTable.fileNameYear("review-2019-vs-2020.md") == nil)
        #expect(TimelineTable.fileNameYear("v1.2024.md") == 2024)
    }

    @Test func stop45sNordicDatesStoriesAndStatusReports() throws {
        func times(_ text: String, _ name: String = "pm.txt") throws -> [Date] { try parse(text, fileName: name).rows.map(\.occurredAt) }

        // Swedish weekdays and months; a paragraph's earlier sentence names
        // its day, and a later sentence states the time.
        let swedish = """
        Redogörelse för gårdagens störningar

        2023-08-29

        Efter ett servicefönster söndag 27 augusti uppstod problem när man uppdaterade ett system. Efter omstart av servrar var allt återställt kl. 19:20.

        Måndag 28 augusti rapporterades flertalet incidenter.

        Alla tekniker samlades till ett felsökningsmöte kl 13:00.
        """
        #expect(try times(swedish) == [at("2023-08-27T19:20:00Z"), at("2023-08-28T13:00:00Z")])
        #expect(TimelineTable.monthNumber("augusti") == 8)
        #expect(TimelineTable.weekdayIndex("lørdag") == 6)
        // In English too: "Between Tuesday night and Wednesday morning,
        // 13/05/2020 … But at 5h30 …" is the 13th.
        let story = """
        Report on the outage of May 2020

        On Tuesday 12/05/2020 at the end of the day we saw an issue with a card in Germany.

        Between Tuesday night and Wednesday morning, 13/05/2020 the carrier had a planned maintenance. But at 5h30 an engineer jammed one of our fibre cables.

        At 9h06, the engineers located the jammed fibre and solved it.
        """
        #expect(try times(story) == [at("2020-05-13T05:30:00Z"), at("2020-05-13T09:06:00Z")])
        // Look-alike: a day without its weekday or year in an earlier
        // sentence (a release's) does not date the time.
        let release = """
        Incident on 2024-06-10

        The March 3 release changed the pool size. At 14:05 the pool ran dry.

        The pool was resized at 14:40.
        """
        #expect(try times(release, "pm.md") == [at("2024-06-10T14:05:00Z"), at("2024-06-10T14:40:00Z")])

        // A 24-hour clock with a full stop, beside a word for the time.
        let ballou = """
        DRIFTSTÖRNING

        Datum: 2019-04-04
        Tidpunkt: 10.20
        Åtgärd fortlöper.

        Datum: 2019-04-04
        Tidpunkt: 10.50
        Driftstörningen påverkar mail.

        Datum: 2019-04-04
        Tidpunkt: 11.20
        Åtgärd fortlöper.
        """
        #expect(try times(ballou) == [at("2019-04-04T10:20:00Z"), at("2019-04-04T10:50:00Z"), at("2019-04-04T11:20:00Z")])
        var lines = ["Upgrade to version 10.20 done", "kl. 14.30 the fix", "um 14.30 Uhr", "Kl 9.05: restart"]
        TimelineTable.dottedClocksBesideATimeWord(&lines)
        #expect(lines == ["Upgrade to version 10.20 done", "kl. 14:30 the fix", "um 14:30 Uhr", "Kl 9:05: restart"])

        // A status page's report that tells its own times keeps them as
        // entries; the untimed rest is the report's update at its stamp. One
        // UTC aside ("expired at 00:00 UTC") does not unsettle the CEST story.
        let reepay = """
        Acquirer Nets is experiencing problems
        Incident Report for Example

        At 2024-06-02 02:15 CEST we received an alarm that transactions were failing. The server certificate had expired at 00:00 UTC.

        At 02:45 We started investigating ways to bypass certificate validation.

        At 03:23 CEST the acquirer also concluded that the certificate had expired.

        The acquirer has now renewed the certificate.

        Best regards, Example

        Posted Jun 03, 2024 - 15:14 CEST

        This incident has been resolved.
        Posted Jun 02, 2024 - 06:35 CEST
        The acquirer is currently experiencing problems.
        Posted Jun 02, 2024 - 02:28 CEST
        """
        #expect(try times(reepay, "status.txt") == [
            at("2024-06-02T00:15:00Z"), at("2024-06-02T00:45:00Z"), at("2024-06-02T01:23:00Z"), at("2024-06-03T13:14:00Z"),
            at("2024-06-02T04:35:00Z"), at("2024-06-02T00:28:00Z"),
        ])
        // A paragraph whose timed sentences open with their times, among
        // more sentences without one, is a story: one entry at its first.
        let story2 = """
        Voice Outage 19/01/2021

        At around 10:25 our checks alerted us about a fluctuating link. We rerouted traffic. To begin with, this was not service impacting. Between 10:30 - 10:33 connections piled up and overloaded the database.

        We were able to regain service at around 11:10.
        """
        #expect(try times(story2, "pm.md") == [at("2021-01-19T10:25:00Z"), at("2021-01-19T11:10:00Z")])
        // Look-alike: a log run together, every sentence timed, is one entry each.
        let runTogether = """
        Deploy failure on 2021-01-19

        At 14:00 UTC we deployed. At 14:05 UTC errors rose. At 14:10 UTC we rolled back.
        """
        #expect(try times(runTogether, "pm.md") == [at("2021-01-19T14:00:00Z"), at("2021-01-19T14:05:00Z"), at("2021-01-19T14:10:00Z")])
        // "between 1232 CT-1234 CT": a clock without its colon before a region's zone.
        var colonless = ["These devices were switched over between 1232 CT-1234 CT on the same day.", "Offset 1200 CT-5 stays", "The 2023 ETL job"]
        TimelineTable.colonlessClocksBeforeAZone(&colonless)
        #expect(colonless == ["These devices were switched over between 12:32 CT-1234 CT on the same day.", "Offset 1200 CT-5 stays", "The 2023 ETL job"])

        // Look-alike: a report without its own times is one update at its stamp.
        let untimed = reepay.replacingOccurrences(of: "At 02:45 We", with: "We").replacingOccurrences(of: "At 03:23 CEST the", with: "The")
        #expect(try times(untimed, "status.txt") == [at("2024-06-03T13:14:00Z"), at("2024-06-02T04:35:00Z"), at("2024-06-02T00:28:00Z")])
    }
}

extension TimelineSectionShapeTests {
    /// Cases a read-only reviewer wrote against stop 45's changes; each was
    /// read wrongly before the fix that follows it.
    @Test func lookAlikesFoundByStop45sReview() throws {
        func times(_ text: String, _ name: String) throws -> [Date] { try parse(text, fileName: name).rows.map(\.occurredAt) }

        // A report that says what it will do at its times ("At 23:30 we will restart …") is one update at its stamp.
        let planned = """
        Elevated API errors
        Incident Report for Acme

        We rolled back the release and errors have stopped for now.

        At 23:30 we will restart the primary database to apply the fix.

        At 23:45 we will re-enable writes and watch error rates.

        We will post another update once the work is done.

        Posted Mar 05, 2024 - 22:00 CET

        We are investigating elevated errors.
        Posted Mar 05, 2024 - 21:15 CET
        """
        #expect(try times(planned, "report-future2.txt") == [at("2024-03-05T21:00:00Z"), at("2024-03-05T20:15:00Z")])

        // A report whose own times name no day is one update at its stamp, not refused.
        let undated = """
        Elevated API errors
        Incident Report for Acme

        At 02:45 CET we started a database migration.

        At 03:10 CET error rates rose and on-call was paged.

        We will add safeguards to migrations and improve alerting.

        Posted Mar 07, 2024 - 15:14 CET

        This incident has been resolved.
        Posted Mar 05, 2024 - 04:00 CET
        We are investigating elevated errors.
        Posted Mar 05, 2024 - 03:15 CET
        """
        #expect(try times(undated, "report-nodate.txt") == [at("2024-03-07T14:14:00Z"), at("2024-03-05T03:00:00Z"), at("2024-03-05T02:15:00Z")])

        // The report's untimed opening paragraph dates its times and stays in the first of them.
        let opening = undated.replacingOccurrences(of: "At 02:45 CET we", with: "On March 5, 2024 our API returned errors for 45 minutes because of a migration.\n\nAt 02:45 we")
            .replacingOccurrences(of: "At 03:10 CET error", with: "At 03:10 error")
        #expect(try times(opening, "report-unlabelled.txt") == [at("2024-03-05T01:45:00Z"), at("2024-03-05T02:10:00Z"), at("2024-03-07T14:14:00Z"), at("2024-03-05T03:00:00Z"), at("2024-03-05T02:15:00Z")])

        // "21:39:02-09" is a span as "21:39:12-13" is: no offset.
        let seconds = """
        # Chain split, December 14, 2025 (UTC)

        ## Timeline of Events

        ### 21:39:01 - Catch-up complete

        ### 21:39:02-09 - Evidence of chain split

        ### 21:39:12-13 - Mismatch

        ### 21:39:14 - Mismatch persists
        """
        #expect(try times(seconds, "chain-span.md") == [at("2025-12-14T21:39:01Z"), at("2025-12-14T21:39:02Z"), at("2025-12-14T21:39:12Z"), at("2025-12-14T21:39:14Z")])

        // A city after a span's end without "time" is a place.
        let spanPlace = """
        # Outage on 2024-03-05 (all times UTC)

        ## Timeline

        - From 14:02 until 14:40 Paris datacenter was without power
        - 14:45 UTC Paris traffic restored
        - 15:00 UTC closed
        """
        #expect(try times(spanPlace, "outage-spanplace.md") == [at("2024-03-05T14:02:00Z"), at("2024-03-05T14:45:00Z"), at("2024-03-05T15:00:00Z")])

        // A summary in EST whose moments the bare entries restate in UTC ("13:55 UTC" aside): the entries stay UTC.
        let mixed = """
        # API outage, March 5, 2024

        Between 09:02 EST and 09:45 EST customers on the east coast saw errors. Our support desk opened at 08:00 EST and the first ticket came at 09:10 EST.

        - 14:02 alerts fired
        - 14:10 rolled back
        - 14:45 resolved

        The root cause was a config push at 13:55 UTC.
        """
        #expect(try times(mixed, "outage-mixed.md") == [at("2024-03-05T14:02:00Z"), at("2024-03-05T14:10:00Z"), at("2024-03-05T14:45:00Z")])

        // "Response time 10.20" and "Resolution time: 15.45" are no clocks.
        let durations = """
        # Outage on 2024-03-05

        At 14:02 UTC alerts fired. Response time 10.20 was measured on the dashboard.

        Resolution time: 15.45 (we measured it in minutes). At 14:30 UTC we resolved it.
        """
        #expect(try times(durations, "outage-time.md") == [at("2024-03-05T14:02:00Z"), at("2024-03-05T14:30:00Z")])

        // A job's "Start" and "End" over their times are moments, not a notice's window.
        let jobs = """
        Backup job failure on 2024-03-05

        Start

        5th Mar 2024 1:00am

        End

        5th Mar 2024 1:40am

        We have received alerts that the backup did not complete.

        UPDATE 1:45am Tuesday 05-Mar-2024: The job was restarted by on-call.

        UPDATE 2:30am Tuesday 05-Mar-2024: The second run completed normally.
        """
        #expect(try times(jobs, "notice-jobs.txt") == [at("2024-03-05T01:00:00Z"), at("2024-03-05T01:40:00Z"), at("2024-03-05T01:45:00Z"), at("2024-03-05T02:30:00Z")])


        // A release's day in an earlier sentence, a week before the outage's title, does not date the time.
        let release = """
        # Outage on March 12, 2024

        We shipped version 4.2 on Monday, March 4, 2024. The bug it carried lay dormant for a week. At 14:02 UTC the cache expired and requests began to fail. At 14:40 UTC we rolled back.
        """
        #expect(try times(release, "outage-release.md") == [at("2024-03-12T14:02:00Z")])

        // "12:30 tonight" is half past midnight; "12:30 this afternoon", noon.
        #expect(TimelineTable.sentenceEntries("They will replace it at 12:30 tonight.", order: nil).first?.time == "12:30 AM")
        #expect(TimelineTable.sentenceEntries("It was done by 12:30 this afternoon.", order: nil).first?.time == "12:30 PM")
        // A file name's number is a year only at its start or end, not after
        // a word that makes it another number, and never in the future.
        let today = at("2026-12-07T12:00:00Z")
        #expect(TimelineTable.fileNameYear("inc-2031-db-failover.md", today: today) == nil)
        #expect(TimelineTable.fileNameYear("http-2000-errors.txt", today: today) == nil)
        #expect(TimelineTable.fileNameYear("build-1999.md", today: today) == nil)
        #expect(TimelineTable.fileNameYear("outage-2030.md", today: today) == nil)
        #expect(TimelineTable.fileNameYear("eclipse-websites-unresponsive-2021-11.txt", today: today) == 2021)
        // No clock in "load time 12.40 seconds" or "lasted 1.15h".
        var lines = ["Page load time 12.40 seconds was reported", "The outage lasted 1.15h in total"]
        TimelineTable.dottedClocksBesideATimeWord(&lines)
        #expect(lines == ["Page load time 12.40 seconds was reported", "The outage lasted 1.15h in total"])
    }

    /// Shapes met in stop 46's blind sets (62a–h, 63a–f), each written here
    /// in that shape with our own wording, and look-alikes that must stay as
    /// they were.
    @Test func stop46sBetterStackPagesHeaderWindowsAndSentenceZones() throws {
        func times(_ text: String, _ name: String) throws -> [Date] { try parse(text, fileName: name).rows.map(\.occurredAt) }

        // Better Stack copied as text, no blank lines: each label over its
        // stamp ("Resolved" / "Jun 21 at 10:17am CEST") starts an update;
        // the year is the one the report's whole dates write.
        let betterStack = """
        Back to overview
        Downtime
        API unreachable
        Jun 21 at 10:15am CEST
        Affected services
        API
        Resolved
        Jun 21 at 10:17am CEST
        Our provider fixed their issue, all systems are back online
        Affected services
        API
        Created
        Jun 21 at 10:15am CEST
        What happened
        - The API stopped responding at Jun 21, 2022 - 06:43 UTC
        - It answered again at 07:20 UTC
        """
        let read = try parse(betterStack, fileName: "status.txt")
        #expect(read.rows.map(\.occurredAt).prefix(2) == [at("2022-06-21T08:17:00Z"), at("2022-06-21T08:15:00Z")])
        #expect(read.rows.first?.text.hasPrefix("Resolved") == true)
        // "May 28 at 05:03am UTC": the date, "at", then its time.
        #expect(TimelineTable.splitLeadingTime("May 28 at 05:03am UTC")?.text == "")

        // "1. At 9:50PM PST, …" in a report without a Timeline heading: each
        // item that opens with its moment is an entry.
        let items = """
        Worker outage

        What happened

          1. At 9:50PM PST, all of our worker nodes lost connectivity on May 27, 2024.
          2. At 9:54PM PST, we were notified and responded.
          3. At 10:03PM PST, we changed the RPC configuration.
        """
        #expect(try times(items, "report.txt") == ["05:50", "05:54", "06:03"].map { at("2024-05-28T\($0):00Z") })

        // A notice's header field that states its whole window is not an entry.
        let notice = """
        Information: power outages on Saturday, August 20th, 2016

        Time: Aug 20th 2016, 0:00 a.m. - Aug 21st 2016, 6:00 p.m.
        Affected: all users

        Three power outages from 0:07 a.m. led to failures of storage systems.

        Network components to Aug 20th, 2016, around 8 a.m.
        Virtual servers to Aug 20th, 2016, around 10 a.m.
        """
        let noticeRead = try parse(notice, fileName: "nachlese.txt")
        #expect(noticeRead.rows.map(\.occurredAt) == [at("2016-08-20T00:07:00Z"), at("2016-08-20T08:00:00Z"), at("2016-08-20T10:00:00Z")])
        #expect(noticeRead.notes.contains { $0.line == 3 && $0.reason.contains("window the notice's header states") })
        #expect(TimelineTable.isHeaderWindow("Zeitraum: 14:00 - 18:00 Uhr"))
        // Look-alikes: one time under such a label is a moment; a list item is a log's.
        #expect(!TimelineTable.isHeaderWindow("Time: 14:02 UTC"))
        #expect(!TimelineTable.isHeaderWindow("- Time: 10:00 - 10:20 failover"))

        // A timeline told in sentences: the zone its first entry's time
        // states is that of the bare times after it.
        let told = """
        # VPC incident of November 7, 2023

        ## Timeline of the incident

        A first internal alert was triggered at 05:28 CET, as one node stopped answering.

        Other nodes stalled one after the other. By 06:24, all nodes were down.

        The healing process ran, and by 08:48 all nodes were up again.
        """
        #expect(try times(told, "update.md") == ["04:28", "05:24", "07:48"].map { at("2023-11-07T\($0):00Z") })
        // Look-alike: a timeline whose entries open with their times keeps
        // the rule that a zone inside an entry's text is not the timeline's.
        let opening = "## Timeline\n\nMarch 5, 2024\n\n- 14:02 a customer called at 09:10 EST\n- 14:30 we rolled back\n"
        #expect(try times(opening, "pm.md") == [at("2024-03-05T14:02:00Z"), at("2024-03-05T14:30:00Z")])

        // A day right after a time and its zone: "between 11:05 GMT 30th January".
        let report = """
        Broadband authentication issues
        Incident Report for Acme Telecom

        The supplier outage lasted between 11:05 GMT 30th January and 13:15 GMT 30th January.

        Engineers restored the routing process at 11:13 GMT.

        Posted Feb 04, 2020 - 13:00 GMT
        """
        #expect(try times(report, "report.txt") == [at("2020-01-30T11:05:00Z"), at("2020-01-30T11:13:00Z")])

        // "Update: 23:30 2018-10-12" over its text: an update's stamp, the
        // ISO date after its clock its day (a list's update, newest first).
        let updates = """
        Connectivity issues on Mail 124

        Update: 13:40 2018-10-14

        We have seen improved performance.

        Update: 23:30 2018-10-12
        We are seeing improved performance on this server.

        Update: 14:26 2018-10-12

        The mail server is still under high load.
        """
        let updatesRead = try parse(updates, fileName: "system_status.php")
        #expect(updatesRead.rows.map(\.occurredAt) == [at("2018-10-14T13:40:00Z"), at("2018-10-12T23:30:00Z"), at("2018-10-12T14:26:00Z")])
        #expect(updatesRead.rows.map(\.text) == ["Update\nWe have seen improved performance.", "Update\nWe are seeing improved performance on this server.", "Update\nThe mail server is still under high load."])
        // Look-alike: "Resolved: 2023-03-02 11:45 UTC" among a summary's facts stays a fact.
        let facts = "## Summary\n\nResolved: 2023-03-02 11:45 UTC\n\n## Timeline\n\n- 2023-03-02 10:02 UTC alert fired\n- 2023-03-02 11:45 UTC fix deployed\n"
        #expect(try times(facts, "pm.md") == [at("2023-03-02T10:02:00Z"), at("2023-03-02T11:45:00Z")])

        // A day the text measures from ("started BEFORE May 31, 2012") dates nothing.
        let measured = """
        Update regarding the outage on Wednesday, September 5th, 2012

        If your program started BEFORE May 31, 2012, this affects you less.

        Weds, 2:43am: the storage controller failed.

        Weds, 9:30pm: data restored.
        """
        #expect(try times(measured, "update.txt") == [at("2012-09-05T02:43:00Z"), at("2012-09-05T21:30:00Z")])
    }

    @Test func stop46sPlainTextOtherScriptsAndCopiedStatusPages() throws {
        func times(_ text: String, _ name: String) throws -> [Date] { try parse(text, fileName: name).rows.map(\.occurredAt) }

        // A log's one zoned note below all its lines is about another clock
        // (stop 45's review); one above them, or one that restates an
        // entry's clock, is the log's zone.
        let below = "2024-03-05 09:10 deploy started\n2024-03-05 09:20 errors rising\n\nNote: support noticed errors at 15:05 CET in another product.\n"
        #expect(try times(below, "log.txt") == [at("2024-03-05T09:10:00Z"), at("2024-03-05T09:20:00Z")])
        let above = "Outage\n\nWe first noticed errors at 09:05 CET on the dashboard.\n\n2024-03-05 09:10 deploy started\n2024-03-05 09:20 errors rising\n"
        #expect(try times(above, "log.txt") == [at("2024-03-05T08:10:00Z"), at("2024-03-05T08:20:00Z")])
        let restated = "2024-03-05 09:10 deploy started\n2024-03-05 09:20 errors rising\n\nNote: the deploy at 09:10 CET caused it.\n"
        #expect(try times(restated, "log.txt") == [at("2024-03-05T08:10:00Z"), at("2024-03-05T08:20:00Z")])

        // "・": Japanese bullets.
        let japanese = "# 障害報告 2024年5月23日\n\n## タイムライン\n\n・07:07 監視アラート発報\n・07:17 原因特定\n・07:37 復旧\n"
        #expect(try times(japanese, "report.md") == ["07:07", "07:17", "07:37"].map { at("2024-05-23T\($0):00Z") })
        #expect(TimelineTable.listItemContent("・ログインID") == "ログインID")

        // A plain-text page whose first line is a sentence with a comma is
        // prose, not a CSV header; "desde las 16.03" and "ore 13.27" are clocks.
        let spanish = """
        «Desde las 16.03 del 3 de agosto de 2023, incidencia que afecta al centro de control de tráfico».
        El servicio se restableció hacia las 18.30 del mismo día, según la empresa.
        """
        #expect(try times(spanish, "parados.txt") == [at("2023-08-03T16:03:00Z"), at("2023-08-03T18:30:00Z")])
        var dotted = ["Update 1 – ore 13.27", "alle 14.18 il servizio è tornato", "versione 10.20 rilasciata"]
        TimelineTable.dottedClocksBesideATimeWord(&dotted)
        #expect(dotted == ["Update 1 – ore 13:27", "alle 14:18 il servizio è tornato", "versione 10.20 rilasciata"])
        // A mail run onto one line is prose too, not a header of its fields:
        // what is said of it is not about missing columns.
        let mail = "Hello All, During the CI meeting, there was a request for a review of the downtime. Timeline: * September 27, 2021, 8:30am - the upgrade of the Jenkins server failed, triggering the downtime. * September 27, 2021, 8:40am - the failure was detected through notifications and job failures in Jenkins, and the team started to restore it. Thanks, Lincoln"
        do {
            _ = try parse(mail, fileName: "1-a.txt")
        } catch {
            #expect(!"\(error)".contains("column"))
        }
        // Look-alike: a real CSV header stays one.
        #expect(try parse("time,text\n2024-03-05 14:02,alert fired\n2024-03-05 14:10,rolled back\n", fileName: "log.txt").rows.count == 2)

        // A status page copied with its summary fields ("Started" over its
        // stamp) and an update whose text holds a heading four spaces in:
        // only the update timeline is read.
        let copied = """
        Acme incident

        Payment platform disruptions

        Started
        Mar 27, 2025, 03:42 PM UTC
        Resolved
        Mar 27, 2025, 05:00 PM UTC
        Duration
        1h 17m

        Update timeline

          1. monitoring Mar 27, 2025, 03:42 PM UTC

            An incident affected payments between 16h11 and 16h23.

          2. resolved Mar 27, 2025, 05:00 PM UTC

            The incident is resolved.

          3. postmortem Mar 31, 2025, 07:43 AM UTC

            # Post Mortem **Impact** No payment for 13 minutes.
        """
        #expect(try times(copied, "2171966.txt") == [at("2025-03-27T15:42:00Z"), at("2025-03-27T17:00:00Z"), at("2025-03-31T07:43:00Z")])
    }

    /// Shapes of stop 46's last blind set (64a–f), written here in that shape.
    @Test func stop46sSummariesOverListsOneDayTwiceAndWeekdayHeadings() throws {
        func times(_ text: String, _ name: String) throws -> [Date] { try parse(text, fileName: name).rows.map(\.occurredAt) }

        // A summary of the window right over the list it sums up, no blank line between.
        let summary = """
        1. Incident Impact and Timeline
        Between 8:39:00 AM and 09:28:15 AM UTC on March 17, 2023, trading experienced partial unavailability. Below is the chronology:
        - 08:39:00 AM UTC: Intermittent alerts triggered investigations.
        - 08:49:00 AM UTC: Trading was suspended.
        - 09:28:15 AM UTC: Full trading resumed.
        """
        let summaryRead = try parse(summary, fileName: "13560.html")
        #expect(summaryRead.rows.map(\.occurredAt) == [at("2023-03-17T08:39:00Z"), at("2023-03-17T08:49:00Z"), at("2023-03-17T09:28:15Z")])
        #expect(summaryRead.notes.contains { $0.line == 2 && $0.reason.contains("summary of the incident's window") })

        // "Sep 29 19:21:40" and, later in the paragraph, "2021-09-29T19:55:00Z"
        // name one day: one entry.
        let story = """
        Mirrorlist instability

        The certificate expired at Sep 29 19:21:40 2021 UTC. Access was restored by 2021-09-29T19:55:00Z.

        The second outage occurred around 2021-09-30T08:13:00Z.
        """
        #expect(try times(story, "4184.txt") == [at("2021-09-29T19:21:40Z"), at("2021-09-30T08:13:00Z")])

        // Days headed by a weekday and a date ("Montag, 15.01.2018"), newest
        // first, their times newest first too: a step back in time is the same day.
        let updates = """
        Montag, 15.01.2018

        17:46 Uhr: Die Stellungnahme ist online.

        13:40 Uhr: Wir arbeiten an der Stellungnahme.

        Samstag, 13.01.2018

        14:20 Uhr: Das Netzwerk läuft wieder stabil.
        """
        #expect(try times(updates, "mobilebasic.txt") == [at("2018-01-15T17:46:00Z"), at("2018-01-15T13:40:00Z"), at("2018-01-13T14:20:00Z")])
    }

    /// Stop 46's set 65a: a status history whose postmortem lists its times
    /// without a day, posted a day after the updates below it.
    @Test func stop46sPostmortemListsDatedByTheEarliestUpdate() throws {
        let history = """
        Anomalous metrics for authentication service
        Incident Report for Acme
        Postmortem
          1. 17:00 UTC We noticed latency spikes and began our investigation.
          2. 18:50 UTC The incident was closed.

        Posted Aug 13, 2018 - 18:05 UTC

        Resolved
        This incident has been resolved.
        Posted Aug 12, 2018 - 18:33 UTC
        Investigating
        Investigating high error rates for authentication service.
        Posted Aug 12, 2018 - 17:07 UTC
        """
        let read = try parse(history, fileName: "status.txt")
        #expect(read.rows.map(\.occurredAt) == [at("2018-08-12T17:00:00Z"), at("2018-08-12T18:50:00Z"), at("2018-08-12T18:33:00Z"), at("2018-08-12T17:07:00Z")])
        #expect(read.notes.contains { $0.reason.contains("times without a date were placed on 2018-08-12") })
    }

    /// Defects a read-only reviewer confirmed in stop 46's changes, each with
    /// its own case: what a careful reader takes from it.
    @Test func lookAlikesFoundByStop46sReview() throws {
        func times(_ text: String, _ name: String) throws -> [Date] { try parse(text, fileName: name).rows.map(\.occurredAt) }

        // "a las 2.300 tiendas": a number with a thousands point after "las" is no clock.
        let thousands = """
        Incidencia en los pagos del 3 de marzo de 2023

        A las 14:05 empezaron a fallar los pagos con tarjeta.

        El problema afectó a las 2.300 tiendas de la red durante casi una hora.

        A las 15:02 se restableció el servicio.
        """
        #expect(try times(thousands, "pagos.txt") == [at("2023-03-03T14:05:00Z"), at("2023-03-03T15:02:00Z")])
        var dotted = ["alle 1.200 aziende", "las 2.300 tiendas"]
        TimelineTable.dottedClocksBesideATimeWord(&dotted)
        #expect(dotted == ["alle 1.200 aziende", "las 2.300 tiendas"])

        // A paragraph that names two zones ("9:00 PST (17:00 UTC)") says nothing of the timeline's.
        let aside = """
        # Login outage of March 3, 2023

        ## Timeline

        Our first report came from a customer in California at 9:00 PST (17:00 UTC), who could not sign in.

        The on-call engineer found that the token service was failing by 17:20.

        The token service was rolled back at 17:45 and logins recovered.
        """
        #expect(try times(aside, "pm.md") == ["17:00", "17:20", "17:45"].map { at("2023-03-03T\($0):00Z") })

        // Stamps of "Dec 30" over "Postmortem published Jan 4, 2023" are 2022's.
        let published = """
        # Status page: Elevated API errors

        Resolved
        Dec 30 at 11:40pm UTC
        The fix has been rolled out and errors are back to normal.

        Monitoring
        Dec 30 at 11:05pm UTC
        We deployed a fix and are monitoring.

        Investigating
        Dec 30 at 10:30pm UTC
        We are investigating elevated API errors.

        Postmortem published Jan 4, 2023.
        """
        let publishedRead = try parse(published, fileName: "status.md")
        #expect(publishedRead.rows.map(\.occurredAt) == [at("2022-12-30T23:40:00Z"), at("2022-12-30T23:05:00Z"), at("2022-12-30T22:30:00Z")])
        #expect(publishedRead.notes.contains { $0.reason.contains("read in 2022, the year that puts them nearest") })

        // "Since May 31, 2022 at 14:20 UTC, …" is the incident's own day.
        let since = """
        # Login failures

        Since May 31, 2022 at 14:20 UTC, some customers could not log in to the dashboard.

        ## Timeline

        - 14:20 error rate on the auth service rises
        - 14:35 on-call engineer paged
        - 15:10 faulty config reverted, logins recover
        """
        #expect(try times(since, "pm.md") == ["14:20", "14:35", "15:10"].map { at("2022-05-31T\($0):00Z") })

        // A log of "Time: 10:02 - 10:05 UTC - …" lines is entries, the first included.
        let log = """
        Incident report: API error spikes on March 3, 2023

        Timeline
        Time: 10:02 - 10:05 UTC - first spike of 5xx errors on the API
        Time: 10:20 - 10:31 UTC - second spike, longer
        Time: 11:00 - 11:02 UTC - third spike, after which the bad node was drained
        """
        #expect(try times(log, "spikes.txt") == ["10:02", "10:20", "11:00"].map { at("2023-03-03T\($0):00Z") })

        // "At 02:00 UTC every night, the backup job …" is a schedule, not a moment.
        let schedule = """
        # Backup job locked the orders table on March 3, 2023

        Contributing factors:

        - At 02:00 UTC every night, the backup job takes a lock on the orders table.
        - The table had doubled in size since January.

        Events:

        - 02:10 UTC first failed checkout
        - 02:25 UTC on-call paged
        - 02:50 UTC backup finished, checkouts recovered
        """
        #expect(try times(schedule, "pm.md") == ["02:10", "02:25", "02:50"].map { at("2023-03-03T\($0):00Z") })
    }

    /// Shapes stop 47's blind sets showed: a local clock restated in UTC, a
    /// status update of several paragraphs, a French chronology by weekday
    /// and hour, seconds nobody knew, a news story dated by its byline and
    /// the weekday it names, a story that goes back in time, and cState's
    /// incident file. Each with the look-alike that must not change.
    @Test func stop47sLocalClocksNewsStoriesAndCStateFiles() throws {
        func times(_ text: String, _ name: String) throws -> [Date] { try parse(text, fileName: name).rows.map(\.occurredAt) }

        // "16:15 local time (14:15 UTC)" is 14:15 UTC; a parenthesis that
        // restates nothing leaves the clock as written.
        let local = """
        Unplanned outage on June 03

        On June 03, 2020, at around 16:15 local time (14:15 UTC), disk accesses became extremely slow.

        The controller was brought back by a powercycle at around 18:00 Ortszeit (16:00 UTC), and failed again.

        At 19:30 (for about 20 minutes) the mirrors were read-only.
        """
        #expect(try times(local, "outage.txt") == [at("2020-06-03T14:15:00Z"), at("2020-06-03T16:00:00Z"), at("2020-06-03T19:30:00Z")])

        // A labelled update of two paragraphs keeps its label and both.
        let paragraphs = """
        Incident Report for Acme
        Resolved
        Everything is now back to normal.
        Posted Aug 25, 2019 - 10:08 UTC
        Monitoring
        We have migrated the issue and everything is now operational again.

        We are monitoring the situation.
        Posted Aug 25, 2019 - 09:48 UTC
        Investigating
        We are experiencing a full-service outage.
        Posted Aug 25, 2019 - 09:39 UTC
        """
        let updates = try parse(paragraphs, fileName: "status.txt").rows
        #expect(updates.map(\.occurredAt) == ["10:08", "09:48", "09:39"].map { at("2019-08-25T\($0):00Z") })
        #expect(updates[1].text.hasPrefix("Monitoring: We have migrated the issue"))
        #expect(updates[1].text.contains("We are monitoring the situation."))

        // "Samedi 18h : …": a chronology by weekday and hour, its days from
        // the sentence above. ("Samedi 18h de queue" is how long.)
        let chronologie = """
        Grosse panne du réseau fixe

        Les communications passées entre samedi 30 octobre 2004 à 16 heures et dimanche 31 octobre 2004 à 21 heures ne seront pas facturées.

        Chronologie des faits

        Samedi 18h : l'opérateur constate un dysfonctionnement dans l'écoulement du trafic.
        Dimanche 12h : un correctif logiciel est développé.
        Dimanche 21h : retour à la normale.
        """
        #expect(try times(chronologie, "panne.txt") == [at("2004-10-30T18:00:00Z"), at("2004-10-31T12:00:00Z"), at("2004-10-31T21:00:00Z")])
        var queue = ["Samedi 18h de queue au guichet"]
        TimelineTable.hourMarkedClocks(&queue)
        #expect(queue == ["Samedi 18h de queue au guichet"])

        // "12:00:XX": seconds the writer did not know; the minute stands.
        let unknownSeconds = """
        ## Timeline (UTC), 2026-05-12

        | Time | Event |
        |---|---|
        | 12:00 | deploy started |
        | 12:00:XX | containers recreated, 502s begin |
        | 15:23 | recovered |
        """
        #expect(try times(unknownSeconds, "pm.md") == ["12:00", "12:00", "15:23"].map { at("2026-05-12T\($0):00Z") })

        // A news story dated by its byline, its day the weekday it names
        // ("ce mardi", the Tuesday before Thursday 1 December); the byline
        // itself is no entry.
        let news = """
        Panne géante chez l'opérateur

        Le groupe électrogène de secours est tombé en panne ce mardi.

        Thibaut Parat Publié le 01/12/2022 à 07:00, mis à jour le 02/12/2022 à 11:18

        A 14h34, très précisément, les services de téléphonie ont été perturbés.

        Ce n'est qu'à 20h45 que la téléphonie fixe a été rétablie pour tous.
        """
        let story = try parse(news, fileName: "panne.txt")
        #expect(story.rows.map(\.occurredAt) == [at("2022-11-29T14:34:00Z"), at("2022-11-29T20:45:00Z")])
        #expect(story.notes.contains { $0.reason.contains("the weekday the story names") })
        // A weekday in a plan ("will occur … this Friday") dates nothing: the byline's day stands.
        let plan = """
        Major Maintenance coming

        Published on 30 June 2020 at 09:28

        A major maintenance will occur in the night of this Friday to migrate all servers.

        UPDATE 12:10PM: A disk crash has occured in the game server.

        UPDATE 5:07PM: The game server has been shut down.
        """
        #expect(try times(plan, "forum.txt") == [at("2020-06-30T12:10:00Z"), at("2020-06-30T17:07:00Z")])

        // A mail's story told out of order: the upgrade "at 06:35:53, half
        // an hour before" was the morning of the day it was sent, not the next.
        let mail = """
        [ops] PSA: notifications outage

        Jane Doe jane at example.org
        Thu Mar 23 21:04:07 UTC 2023

        Today, starting from at least 07:04:22 UTC, mail notifications were dropped.

        As of 20:50 UTC, email delivery has resumed.

        The regression came with an upgrade that completed at 06:35:53, half an hour before the first email got lost.
        """
        #expect(try times(mail, "003588.html") == [at("2023-03-23T07:04:22Z"), at("2023-03-23T20:50:00Z"), at("2023-03-23T06:35:53Z")])

        // cState's incident file: the description at the front matter's
        // date, the untracked last update of a resolved incident at
        // resolved_on, the tracked ones at their tracks.
        let cState = """
        ---
        title: Sites unreachable
        date: 2019-03-30 20:03:00
        status: "resolved"
        resolved_on: 2019-03-30 20:45:19
        section: issue
        ---

        The website and the helpdesk cannot be reached. We are looking for the cause.

        **Identified** Our host reports a failed network device. {{< track "2019-03-30 20:08:19" >}}

        **Monitoring** The device was replaced. {{< track "2019-03-30 20:31:19" >}}

        **Resolved** Both servers work normally.
        """
        #expect(try times(cState, "2019-03-30-connectivity-issue.md") == [at("2019-03-30T20:03:00Z"), at("2019-03-30T20:08:19Z"), at("2019-03-30T20:31:19Z"), at("2019-03-30T20:45:19Z")])
        // (Still under way: no resolution time for the last paragraph.)
        let open = cState.replacingOccurrences(of: "status: \"resolved\"", with: "status: \"in_progress\"")
            .replacingOccurrences(of: "**Resolved** Both servers work normally.", with: "We keep watching the servers.")
        #expect(try times(open, "2019-03-30-connectivity-issue.md") == [at("2019-03-30T20:03:00Z"), at("2019-03-30T20:08:19Z"), at("2019-03-30T20:31:19Z")])

        // Japan's era years ("令和2年" is 2020, "平成30年" 2018, "令和元年"
        // 2019) date the days under them; "頃、" after a time is the time's.
        let osaka = """
        2.事案の経緯

        令和2年12月2日(水曜日)

        ○ 午後1時8分

        ・調査依頼の電子メールを送信。

        ○ 午後1時12分

        ・一覧表を誤って添付していたことが判明。

        令和2年12月3日(木曜日)

        ○ 午前9時30分頃

        ・全ての送信先に謝罪。
        """
        #expect(try times(osaka, "press.txt") == [at("2020-12-02T13:08:00Z"), at("2020-12-02T13:12:00Z"), at("2020-12-03T09:30:00Z")])
        let kochi = """
        1 概要・経緯
        平成30年8月20日午前6時30分頃、不審なメールが送信されていることを確認。
        午前9時頃、全教職員に周知。
        8月21日午前10時、部局長会を開催。
        """
        let kochiRows = try parse(kochi, fileName: "notice.txt").rows
        #expect(kochiRows.map(\.occurredAt) == [at("2018-08-20T06:30:00Z"), at("2018-08-20T09:00:00Z"), at("2018-08-21T10:00:00Z")])
        #expect(kochiRows.map(\.text) == ["不審なメールが送信されていることを確認。", "全教職員に周知。", "部局長会を開催。"])
        // "Tues, 5:00pm:" then "Weds, 2:43am:" under the outage "on
        // Wednesday, September 5th": the days so named nearest it; "Weds,
        // noon:" is 12:00. (Without a weekday, "Noon update" is no time.)
        let weekdays = """
        Update Regarding the Service Outage on Sept. 5, 2012

        As you know, we experienced a service outage on Wednesday, September 5th.

        Tues, 5:00pm:

        Last good back up complete.

        Weds, 2:43am:

        The storage controller failed.

        Weds, noon:

        Controller repaired. Systems up.

        Weds, 9:30pm:

        Data restored.
        """
        #expect(try times(weekdays, "outage.txt") == [at("2012-09-04T17:00:00Z"), at("2012-09-05T02:43:00Z"), at("2012-09-05T12:00:00Z"), at("2012-09-05T21:30:00Z")])
        #expect(throws: (any Error).self) { try TimelineTable.stamp("noon update") }
        #expect(try TimelineTable.stamp("Sun, midnight").time?.hour == 0)
        // A story that says its zone in passing, after its first times:
        // "(all times EDT)". (Two different zones said so: none is taken.)
        let inPassing = """
        Outage Postmortem - May 15th, 2019

        On May 15th, 2019, sites were slow starting at 3am and again around 7:30am. The issue was resolved at 11:34am (all times EDT).

        The downtime from around 7:30am until 8:10am was caused by a spike in database connections.
        """
        let passing = try parse(inPassing, fileName: "postmortem.txt")
        #expect(passing.rows.map(\.occurredAt) == [at("2019-05-15T07:00:00Z"), at("2019-05-15T11:30:00Z")])
        #expect(passing.notes.contains { $0.reason.contains("the zone the document says all its times are in") })
        #expect(TimelineTable.zoneSaidOfAllTimes(["(all times EDT)", "All times are in UTC."]) == nil)
        #expect(TimelineTable.zoneSaidOfAllTimes(["Not all times CAT scans work."]) == nil)

        // A news blog's title that names an hour in passing ("bis 15 Uhr")
        // over its date line: the date line dates the entries.
        let blog = """
        Newsblog zu IT-Problemen - +++ Eurowings streicht alle Flüge bis 15 Uhr +++

        Fr 19.07.24 | 13:21 Uhr

        Ein IT-Problem legt derzeit Computer weltweit lahm.

        13:14 Uhr - Eurowings streicht Flüge

        12:56 Uhr - Edeka fährt Systeme wieder hoch
        """
        #expect(try times(blog, "newsblog.html") == [at("2024-07-19T13:14:00Z"), at("2024-07-19T12:56:00Z")])

        var first = ["令和元年5月1日", "昭和64年1月7日", "平和 2年", "令和２年8月20日"]
        TimelineTable.japaneseEraYears(&first)
        #expect(first == ["2019年5月1日", "1989年1月7日", "平和 2年", "2020年8月20日"])
    }

    /// Defects a read-only reviewer confirmed in stop 47's changes, each
    /// with its own case: what a careful reader takes from it.
    @Test func lookAlikesFoundByStop47sReview() throws {
        func times(_ text: String, _ name: String) throws -> [Date] { try parse(text, fileName: name).rows.map(\.occurredAt) }

        // "A 4h outage" is how long, in English; "n'est qu'à 2h de route" how far.
        let duration = "# Network maintenance on March 5, 2024\n\nThe window opened at 14:00 UTC and closed at 16:00 UTC.\n\nA 4h outage of the backup link followed. It ended at 20:30 UTC.\n"
        #expect(try times(duration, "pm.md") == [at("2024-03-05T14:00:00Z"), at("2024-03-05T20:30:00Z")])
        let distance = "Le 5 mars 2024, le centre de données principal est tombé en panne à 14h10.\n\nLe site de secours n'est qu'à 2h de route, mais l'équipe n'y est arrivée qu'à 18h40.\n\nLe service est revenu à 19h05.\n"
        #expect(try times(distance, "panne.txt") == [at("2024-03-05T14:10:00Z"), at("2024-03-05T18:40:00Z"), at("2024-03-05T19:05:00Z")])

        // A first line with times but no date dates nothing from a background
        // date further down; only a date line right under it dates the page.
        let undated = "Our API was down from 14:00 to 15:10 UTC today.\n\nThe faulty configuration had been deployed on March 1, 2024, but only took effect after a restart.\n\nAt 14:50 UTC the configuration was reverted.\n"
        #expect(rejection(undated, fileName: "outage.txt")?.message.contains("times without a date") == true)

        // A review published on a Friday tells of the Monday before, not the next.
        let review = "# Storage incident review\n\nPublished on 2024-03-08\n\nMon, 10:00: A disk reported errors.\n\nTue, 14:00: A second disk failed.\n\nWed, 09:00: The array was rebuilt.\n"
        #expect(try times(review, "review.md") == [at("2024-03-04T10:00:00Z"), at("2024-03-05T14:00:00Z"), at("2024-03-06T09:00:00Z")])

        // "our Monday release" is no day phrase, and "today" is the byline's day.
        let today = "API errors\n\nPublished on 8 March 2024 at 16:00\n\nEarlier today at 09:00 UTC our API began failing. The bug came with our Monday release.\n\nAt 11:30 UTC the release was rolled back and the API recovered.\n"
        #expect(try times(today, "news.txt") == [at("2024-03-08T09:00:00Z"), at("2024-03-08T11:30:00Z")])

        // A local clock restated in UTC past midnight is the next day's.
        let midnight = "# Checkout outage\n\nOn March 5, 2024 at 9:30 PM local time (04:30 UTC) the checkout service began returning errors.\n\nEngineers restored it at 10:15 PM local time (05:15 UTC).\n"
        #expect(try times(midnight, "pm.md") == [at("2024-03-06T04:30:00Z"), at("2024-03-06T05:15:00Z")])

        // An editor's note below a cState incident's last update is no resolution.
        let note = """
        ---
        title: Sites unreachable
        date: 2019-03-30 20:03:00
        status: "resolved"
        resolved_on: 2019-04-02 09:00:00
        ---

        The website cannot be reached.

        **Identified** Our host reports a failed network device. {{< track "2019-03-30 20:08:19" >}}

        **Resolved** The device was replaced. {{< track "2019-03-30 20:31:19" >}}

        *This incident report was last reviewed on April 2, 2019.*
        """
        #expect(try times(note, "2019-03-30-issue.md") == [at("2019-03-30T20:03:00Z"), at("2019-03-30T20:08:19Z"), at("2019-03-30T20:31:19Z")])

        // A Markdown page whose only table is no timeline (disk reads before
        // and after, the times in its header) is read as its story; the
        // table's rows are no entries.
        let metrics = """
        # Incidents

        ## 2026-09-08 — one request wedged the VM

        **Impact.** Every service was unreachable 03:35–09:17 UTC.

        At 03:27:03 UTC a crawler asked for a whole table.

        | | 03:24 UTC | 03:34 → 09:16 (5 h 40 m) |
        |---|---|---|
        | Disk read | 0.1 MB/s | 251.7 MB/s |
        | CPU | 6.8 % | 42 % |

        The VM was reset at 09:16 UTC.
        """
        #expect(try times(metrics, "INCIDENTS.md") == [at("2026-09-08T03:35:00Z"), at("2026-09-08T03:27:03Z"), at("2026-09-08T09:16:00Z")])
        // (With no timed paragraph either, the table's error stands.)
        let onlyMetrics = "# Incidents\n\n| | 03:24 UTC | 03:34 UTC |\n|---|---|---|\n| CPU | 6.8 % | 42 % |\n"
        #expect(rejection(onlyMetrics, fileName: "INCIDENTS.md")?.message.hasPrefix("no timeline table") == true)

        // A status history's 24-hour stamps under a postmortem that writes
        // "10:44 AM": "Posted Sep 11, 2023 - 11:20 AEST" is 01:20 UTC.
        let history = """
        Incident Report for Acme

        10:44 AM: Support identifies the issue.
        10:54 AM: Incident declared.

        Posted Sep 18, 2023 - 12:12 AEST

        We are now closing this incident.
        Posted Sep 11, 2023 - 14:54 AEST
        We have identified the issue.
        Posted Sep 11, 2023 - 11:20 AEST
        """
        #expect(try times(history, "status.txt").suffix(2) == [at("2023-09-11T04:54:00Z"), at("2023-09-11T01:20:00Z")])
    }
}
