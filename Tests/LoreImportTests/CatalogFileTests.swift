import Testing
@testable import LoreImport
import LoreCore

/// The problems a file is rejected with; records an issue if it is accepted.
private func problems(_ text: String, knownTeams: Set<String> = [], sourceLocation: SourceLocation = #_sourceLocation) -> [CatalogFileError.Problem] {
    do {
        let file = try CatalogFile.parse(text, fileName: "catalog.yaml", knownTeams: knownTeams)
        Issue.record("expected the file to be rejected, got \(file)", sourceLocation: sourceLocation)
        return []
    } catch {
        #expect(error.fileName == "catalog.yaml", sourceLocation: sourceLocation)
        return error.problems
    }
}

/// The one problem a file is rejected with.
private func problem(_ text: String, knownTeams: Set<String> = [], sourceLocation: SourceLocation = #_sourceLocation) -> CatalogFileError.Problem? {
    let all = problems(text, knownTeams: knownTeams, sourceLocation: sourceLocation)
    #expect(all.count == 1, "expected one problem, got \(all)", sourceLocation: sourceLocation)
    return all.first
}

@Suite struct CatalogFileParsingTests {
    @Test func fullFileRoundTrip() throws {
        let text = """
        # Lore catalog
        teams:
          - name: Payments
            slug: payments
            members:
              - email: Maya@Example.com
                role: manager
              - ana@example.com
              - email: jonas@example.com
                role: member
          - name: Platform SRE
        services:
          - name: Checkout API
            slug: checkout-api
            owner: payments
            paged: [payments, platform-sre]
            pagerduty: PXYZ123
          - name: Search
            owner: platform-sre
            paged: platform-sre
          - name: Ledger
            paged: []
          - name: Status page
        """
        let file = try CatalogFile.parse(text, fileName: "catalog.yaml")
        #expect(file == CatalogFile(
            teams: [
                .init(input: TeamInput(name: "Payments", slug: "payments"), members: [
                    .init(email: "maya@example.com", role: .manager),
                    .init(email: "ana@example.com", role: .member),
                    .init(email: "jonas@example.com", role: .member),
                ], line: 3),
                .init(input: TeamInput(name: "Platform SRE", slug: "platform-sre"), members: [], line: 11),
            ],
            services: [
                .init(input: ServiceInput(name: "Checkout API", slug: "checkout-api", owningTeam: "payments", pagedTeams: ["payments", "platform-sre"], pagerDutyServiceID: "PXYZ123"), line: 13),
                .init(input: ServiceInput(name: "Search", slug: "search", owningTeam: "platform-sre", pagedTeams: ["platform-sre"]), line: 18),
                .init(input: ServiceInput(name: "Ledger", slug: "ledger", pagedTeams: []), line: 21),
                .init(input: ServiceInput(name: "Status page", slug: "status-page"), line: 23),
            ]
        ))
        #expect(file.services[3].input.pagedTeams == nil)

        // What the file gives passes LoreCore's own rules.
        let slugs = Set(file.teams.compactMap(\.input.slug))
        for team in file.teams { _ = try team.input.validated() }
        let search = try file.services[1].input.validated(knownTeams: slugs)
        #expect(search.onCallTeam == "platform-sre")
        #expect(search.owningTeam == "platform-sre")
    }

    @Test func emptySectionsAreAllowed() throws {
        #expect(try CatalogFile.parse("teams:\nservices: []\n", fileName: "c.yaml") == CatalogFile())
        #expect(try CatalogFile.parse("teams:\n  - name: Ops\n", fileName: "c.yaml").services.isEmpty)
    }

    @Test func quotedNumbersAndNullWordsAreText() throws {
        let file = try CatalogFile.parse("""
        teams:
          - name: 'null'
            slug: team-null
        services:
          - name: "2048"
            pagerduty: 12345
        """, fileName: "c.yaml")
        #expect(file.teams[0].input.name == "null")
        #expect(file.services[0].input.slug == "2048")
        #expect(file.services[0].input.pagerDutyServiceID == "12345")
    }

    @Test func knownTeamsCanBeReferred() throws {
        let text = """
        services:
          - name: Search
            owner: search-team
            paged: [search-team, sre]
        """
        let without = problems(text, knownTeams: ["sre"])
        #expect(without.map(\.line) == [3, 4])
        #expect(without.allSatisfy { $0.message.contains(#""search-team" is not in the file or the catalog"#) })

        let file = try CatalogFile.parse(text, fileName: "catalog.yaml", knownTeams: ["search-team", "sre"])
        #expect(file.services.first?.input.owningTeam == "search-team")
        #expect(file.services.first?.input.pagedTeams == ["search-team", "sre"])
    }

    @Test func servicesMayComeBeforeTeams() throws {
        let file = try CatalogFile.parse("""
        services:
          - name: Search
            owner: ops
        teams:
          - name: Ops
        """, fileName: "catalog.yaml")
        #expect(file.services.first?.input.owningTeam == "ops")
        #expect(file.teams.first?.line == 5)
    }
}

@Suite struct CatalogFileErrorTests {
    @Test func malformedYAMLReportsYamsLine() {
        let p = problem("""
        teams:
          - name: Payments
            slug: "payments
        """)
        #expect(p?.line == 3 || p?.line == 4)
        #expect(p?.message.hasPrefix("not valid YAML:") == true)

        let indent = problem("teams:\n  - name: Payments\n   slug: payments\n")
        #expect(indent?.line == 3)

        let tab = problem("teams:\n\t- name: Payments\n")
        #expect(tab?.line == 2)
        #expect(tab?.message.contains("not tabs") == true)
    }

    @Test func duplicateKeysAreReported() {
        let p = problem("teams:\n  - name: A\n    name: B\n")
        #expect(p?.line == 2)
        #expect(p?.message.contains("\"name\"") == true)
    }

    @Test func twoDocumentsAreRejected() {
        let p = problem("teams: []\n---\nservices: []\n")
        #expect(p?.line == 2)
    }

    @Test func emptyFileIsRejected() {
        #expect(problem("")?.line == nil)
        #expect(problem("# nothing yet\n")?.message.contains("empty") == true)
    }

    @Test func topLevelMustBeAMappingOfKnownKeys() {
        #expect(problem("- Payments\n- Platform\n")?.line == 1)
        #expect(problem("just words\n")?.message.contains("must be a mapping") == true)

        let typo = problem("teams: []\nservice:\n  - name: Search\n")
        #expect(typo?.line == 2)
        #expect(typo?.message == #"unknown top-level key "service" (did you mean "services"?); accepted keys: teams and services"#)

        let notList = problem("teams: Payments\n")
        #expect(notList?.line == 1)
        #expect(notList?.message.contains("must be a list") == true)
    }

    @Test func teamNeedsAName() {
        let p = problem("teams:\n  - slug: ops\n")
        #expect(p?.line == 2)
        #expect(p?.message == "team #1: name is required")

        let plain = problem("teams:\n  - Payments\n")
        #expect(plain?.line == 2)
        #expect(plain?.message.contains("must be a mapping with the keys name, slug and members") == true)

        let tooLong = problem("teams:\n  - name: \(String(repeating: "x", count: Limits.name + 1))\n")
        #expect(tooLong?.message.contains("the limit is \(Limits.name)") == true)
    }

    @Test func slugsMustBeValid() {
        let p = problem("teams:\n  - name: Payments\n    slug: Payments Team\n")
        #expect(p?.line == 3)
        #expect(p?.message.contains(#"slug "Payments Team" is not valid"#) == true)
        #expect(p?.message.contains(#"for example "payments-team""#) == true)

        let noSlug = problem("teams:\n  - name: 日本\n")
        #expect(noSlug?.line == 2)
        #expect(noSlug?.message.contains("add a slug") == true)

        let service = problem("services:\n  - name: Search\n    slug: -search\n")
        #expect(service?.line == 3)
        #expect(service?.message.hasPrefix(#"service "Search": slug"#) == true)
    }

    @Test func duplicateSlugsAreErrors() {
        let teams = problem("""
        teams:
          - name: Payments
          - name: Payments Two
            slug: payments
        """)
        #expect(teams?.line == 4)
        #expect(teams?.message == #"team "Payments Two": team slug "payments" is already used by the team on line 2; each team needs its own slug"#)

        let services = problem("""
        services:
          - name: Search
          - name: search
        """)
        #expect(services?.line == 3)
        #expect(services?.message.contains("already used by the service on line 2") == true)
    }

    @Test func membersAreChecked() {
        let all = problems("""
        teams:
          - name: Payments
            members:
              - maya@example
              - email: ana@example.com
                role: owner
              - email: jonas@example.com
                roel: manager
              - role: manager
              - ANA@example.com
              - [a, b]
        """)
        #expect(all.map(\.line) == [4, 6, 8, 9, 10, 11])
        #expect(all[0].message == #"team "Payments": member "maya@example" is not an email address (expected name@example.com)"#)
        #expect(all[1].message == #"team "Payments": member "ana@example.com": role "owner" is not accepted; use member or manager"#)
        #expect(all[2].message == #"team "Payments": member #3: unknown key "roel" (did you mean "role"?); accepted keys: email and role"#)
        #expect(all[3].message == "team \"Payments\": member #4: email is required")
        #expect(all[4].message.contains("listed twice (first on line 5)"))
        #expect(all[5].message.contains("must be an email or a mapping"))

        let notList = problem("teams:\n  - name: Payments\n    members: maya@example.com\n")
        #expect(notList?.line == 3)
    }

    @Test func unknownKeysInEntriesNameTheAcceptedKeys() {
        let team = problem("teams:\n  - name: Payments\n    colour: red\n")
        #expect(team?.line == 3)
        #expect(team?.message == #"team "Payments": unknown key "colour"; accepted keys: name, slug and members"#)

        let service = problem("teams:\n  - name: Ops\nservices:\n  - name: Search\n    ownr: ops\n")
        #expect(service?.line == 5)
        #expect(service?.message == #"service "Search": unknown key "ownr" (did you mean "owner"?); accepted keys: name, slug, owner, paged and pagerduty"#)
    }

    @Test func serviceTeamReferencesMustExist() {
        let all = problems("""
        teams:
          - name: Payments
        services:
          - name: Checkout
            owner: paymnts
            paged:
              - payments
              - nope
              - payments
          - name: Search
            paged: {team: payments}
        """)
        #expect(all.map(\.line) == [5, 8, 9, 11])
        #expect(all[0].message == #"service "Checkout": owner team "paymnts" is not in the file or the catalog (did you mean "payments"?); use a team slug"#)
        #expect(all[1].message == #"service "Checkout": paged team "nope" is not in the file or the catalog; use a team slug"#)
        #expect(all[2].message == #"service "Checkout": paged team "payments" is listed twice"#)
        #expect(all[3].message.contains("paged must be a team slug or a list of team slugs"))
    }

    @Test func textFieldsRejectListsAndMappings() {
        let p = problem("teams:\n  - name: [Pay, ments]\n")
        #expect(p?.line == 2)
        #expect(p?.message == "team #1: name must be text, not a list")
        #expect(problem("teams:\n  - name: Ops\nservices:\n  - name: S\n    pagerduty: {id: P1}\n")?.line == 5)
    }

    @Test func multipleErrorsAreReportedTogetherInLineOrder() {
        let text = """
        teams:
          - name: Payments
            members:
              - not-an-email
          - slug: ops
        service:
          - name: Search
        services:
          - name: Search
            paged: [payments, nope]
        """
        do {
            _ = try CatalogFile.parse(text, fileName: "catalog.yaml")
            Issue.record("expected the file to be rejected")
        } catch {
            #expect(error.problems.map(\.line) == [4, 5, 6, 10])
            #expect(error.description == """
            catalog.yaml:4: team "Payments": member "not-an-email" is not an email address (expected name@example.com)
            catalog.yaml:5: team #2: name is required
            catalog.yaml:6: unknown top-level key "service" (did you mean "services"?); accepted keys: teams and services
            catalog.yaml:10: service "Search": paged team "nope" is not in the file or the catalog; use a team slug
            """)
        }
    }

    @Test func descriptionWithoutLine() {
        let error = CatalogFileError(fileName: "c.yaml", problems: [.init(line: nil, message: "the file is empty"), .init(line: 3, message: "x")])
        #expect(error.description == "c.yaml: the file is empty\nc.yaml:3: x")
    }
}
