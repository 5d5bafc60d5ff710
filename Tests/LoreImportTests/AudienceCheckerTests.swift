import Foundation
import LoreCore
import LoreImport
import Testing

/// The audience rule set on what a support lead would actually be handed:
/// drafts with the insider words engineers write without noticing.
@Suite struct AudienceCheckerTests {
    static func checker() throws -> AudienceChecker {
        try AudienceChecker(
            rules: try LanguageRuleFile.audienceRules(), blameRules: try LanguageRuleFile.defaultRules(),
            catalog: .init(serviceSlugs: ["checkout-api", "orders-db"], teamNames: ["Payments", "Site Reliability"], people: ["Priya Raman", "Priya", "Tom"]))
    }

    static func rules(_ text: String) throws -> [String] { try checker().check(text).map(\.ruleID) }

    @Test func internalNamesAreFlagged() throws {
        let text = "Between 14:02 and 14:47 checkout-api on edge-03 and orders-db.internal (10.4.2.17) failed; see OPS-118 and INC-42. The Payments team fixed it."
        let found = try Self.checker().check(text)
        let hits = Dictionary(grouping: found, by: \.ruleID).mapValues { $0.map(\.matchedText) }
        #expect(hits["internal-service"]?.contains("checkout-api") == true)
        #expect(Set(hits["internal-host"] ?? []) == ["edge-03", "orders-db.internal", "10.4.2.17"])
        #expect(Set(hits["internal-ticket"] ?? []) == ["OPS-118", "INC-42"])
        #expect(hits["internal-team"]?.first?.lowercased() == "payments team")
        #expect(!found.contains { $0.ruleID == "unexplained-acronym" && $0.matchedText == "OPS" }, "a ticket key is not an acronym")
        // Positions are the text's own (UTF-16), for the editor.
        let ns = text as NSString
        for f in found { #expect(ns.substring(with: NSRange(location: f.range.lowerBound, length: f.range.count)) == f.matchedText) }
    }

    @Test func peopleAreNeverNamedAndBlameIsFlagged() throws {
        let found = try Self.checker().check("Priya restarted the service while Tom watched the queue. The engineer was careless.")
        #expect(found.filter { $0.ruleID == "person-named" }.map(\.matchedText) == ["Priya", "Tom"])
        #expect(found.contains { $0.category == "blame" })
    }

    @Test func jargonAndAcronymsUnlessSpelledOut() throws {
        let jargon = try Self.rules("We rolled back the deploy after p99 latency rose and the RCA found a bad config on one pod.")
        #expect(jargon.filter { $0.hasPrefix("jargon-") }.count >= 5)
        #expect(try Self.rules("A DNS change broke sign-in.").contains("unexplained-acronym"))
        #expect(!(try Self.rules("A Domain Name System (DNS) change broke sign-in; DNS now has a second provider.")).contains("unexplained-acronym"))
        #expect(!(try Self.rules("Customers in the EU and the US could not pay between 2 PM and 3 PM UTC.")).contains("unexplained-acronym"))
    }

    /// Ordinary English that only looks like a machine, a ticket, an acronym
    /// or a person is left alone; a real one nearby is still found.
    @Test func everydayWordsAreNotInternalNames() throws {
        let checker = try AudienceChecker(
            rules: try LanguageRuleFile.audienceRules(), blameRules: try LanguageRuleFile.defaultRules(),
            catalog: .init(serviceSlugs: ["checkout", "orders-db"], teamNames: ["Payments"], people: ["Will Turner", "Will", "May Chen", "May"]))
        let text = "Will I be charged twice? On May 3, in mid-2026 and during Covid-19 (COVID-19), our top-10 pages in UTF-8 loaded; checkout worked. Will Turner confirmed on db-7."
        let found = checker.check(text)
        #expect(Set(found.map(\.matchedText)) == ["Will Turner", "db-7"], "\(found.map { "\($0.ruleID): \($0.matchedText)" })")
        #expect(!checker.check("We changed a setting in the DNS (the service) today.").filter { $0.ruleID == "unexplained-acronym" }.isEmpty,
                "a parenthesis that does not spell it out explains nothing")
    }

    /// What a good summary looks like passes clean: the checker is for the
    /// words customers trip on, not for everything an engineer would say.
    @Test func aPlainSummaryIsClean() throws {
        let text = """
        For about 45 minutes on 3 March, around one in five card payments was declined at checkout. Customers could retry, and \
        most payments went through on the second attempt. No card was charged twice. We found that a change to how we connect \
        to our payment provider had gone wrong, undid it, and added a check that stops such a change before it reaches customers.
        """
        let found = try Self.checker().check(text)
        #expect(found.isEmpty, "\(found.map(\.matchedText))")
    }
}
