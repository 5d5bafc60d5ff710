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
    ])
    func acceptedFormats(cell: String, expected: String) throws {
        #expect(try time(cell) == at(expected))
    }

    @Test(arguments: ["24:61", "25:00", "13:00 PM", "14", "yesterday", "2026-02-30 10:00", "March 2026 14:02", "11-12", "2026-03-01 2561"])
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
        #expect(try parse(brackets, fileName: "pm.md", date: day("2019-03-26", in: utc)).rows.map(\.occurredAt)
            == [at("2019-12-05T16:21:00Z"), at("2019-12-05T16:40:00Z")])

        // Statuspage writes "Jan 10, 2023 - 18:14 UTC".
        let status = try parse("Posted,Update\n\"Jan 10, 2023 - 18:14 UTC\",This incident has been resolved.\n".replacingOccurrences(of: "Posted,Update", with: "time,text"))
        #expect(status.rows.map(\.occurredAt) == [at("2023-01-10T18:14:00Z")])
        // A dash after a time still ends the cell.
        for cell in ["2pm - 3pm", "23:00-ish", "14:02 – 14:05"] {
            #expect(try TimelineTable.stamp(cell).time != nil, "\(cell)")
        }
    }

    @Test func aRowWithADayButNoTimeStartsThatDayAndIsNoted() throws {
        let md = """
        | Date | Event |
        |---|---|
        | 2021-12-10 | The vulnerability was published |
        | 2021-12-10 14:00 | Scanning started |
        | 16:30 | Patched the edge services |
        """
        let result = try parse(md, fileName: "pm.md", timeZone: berlin)
        #expect(result.rows.map(\.occurredAt) == [at("2021-12-09T23:00:00Z"), at("2021-12-10T13:00:00Z"), at("2021-12-10T15:30:00Z")])
        #expect(result.notes.map(\.line) == [3])

        // The first row names the day (no year: it comes from --date); later rows only times.
        let firstRow = """
        | Time (UTC) | Event |
        |---|---|
        | `May 31` | The contract was deployed |
        | `07:35` | Tokens were sent |
        """
        let rows = try parse(firstRow, fileName: "pm.md", date: day("2022-05-31", in: utc)).rows
        #expect(rows.map(\.occurredAt) == [at("2022-05-31T00:00:00Z"), at("2022-05-31T07:35:00Z")])
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
        #expect(result.rows.map(\.line) == [7, 8, 10, 11, 12])
        #expect(result.rows.map(\.text) == [
            "A change to the hook deployment merged", "Jobs stopped starting\n(only on the new cluster)",
            "Someone restarted the controller", "Rolled back — recovery began", "All jobs running again",
        ])
        // PST is UTC-8; the untimed item is the moment of the one above it.
        #expect(result.rows.map(\.occurredAt) == ["22:54", "23:10", "23:10", "23:20", "23:41"].map { at("2019-01-22T\($0):00Z") })

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

        let notHeader = rejection("Incident log for the checkout outage\n14:02 paged\n", fileName: "log.txt")
        #expect(notHeader?.line == 1)
        #expect(notHeader?.message.contains("\"Incident log for the checkout outage\" is not a header") == true)
    }
}
