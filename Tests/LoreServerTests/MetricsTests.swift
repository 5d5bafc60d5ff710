import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LoreCore
import LoreServer
import LoreStore
import LoreTestSupport
import Testing

/// A strict reader of the Prometheus text format (0.0.4), as a scraper holds
/// it: names and labels by the grammar, escapes, one TYPE and HELP per
/// family before its samples, values as floats, histograms cumulative with a
/// `+Inf` bucket equal to `_count` and a `_sum`.
struct PrometheusText {
    struct Sample: Equatable {
        var name: String
        var labels: [String: String]
        var value: Double
    }
    var types: [String: String] = [:]
    var samples: [Sample] = []

    struct Problem: Error, CustomStringConvertible {
        var line: Int
        var message: String
        var description: String { "line \(line): \(message)" }
    }

    static var name: Regex<Substring> { /[a-zA-Z_:][a-zA-Z0-9_:]*/ }
    static var labelName: Regex<Substring> { /[a-zA-Z_][a-zA-Z0-9_]*/ }

    static func parse(_ text: String) throws -> PrometheusText {
        var out = PrometheusText()
        var helped: Set<String> = []
        guard text.hasSuffix("\n") else { throw Problem(line: 0, message: "the text must end with a newline") }
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().enumerated() {
            let n = index + 1
            if line.hasPrefix("# HELP ") || line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false)
                guard parts.count >= 3, parts[2].wholeMatch(of: name) != nil else { throw Problem(line: n, message: "bad metric name in \(line)") }
                let family = String(parts[2])
                if parts[1] == "TYPE" {
                    guard parts.count == 4, ["counter", "gauge", "histogram", "summary", "untyped"].contains(parts[3]) else { throw Problem(line: n, message: "bad type") }
                    guard out.types[family] == nil else { throw Problem(line: n, message: "second TYPE for \(family)") }
                    guard !out.samples.contains(where: { Self.family(of: $0.name, types: out.types) == family }) else { throw Problem(line: n, message: "TYPE after samples") }
                    out.types[family] = String(parts[3])
                } else {
                    guard helped.insert(family).inserted else { throw Problem(line: n, message: "second HELP for \(family)") }
                }
                continue
            }
            if line.hasPrefix("#") { continue }
            guard !line.isEmpty else { throw Problem(line: n, message: "empty line") }
            out.samples.append(try sample(String(line), line: n))
        }
        try out.checkHistograms()
        return out
    }

    static func sample(_ line: String, line n: Int) throws -> Sample {
        var rest = Substring(line)
        guard let m = rest.prefixMatch(of: name) else { throw Problem(line: n, message: "no metric name") }
        let metric = String(m.output)
        rest = rest[m.range.upperBound...]
        var labels: [String: String] = [:]
        if rest.first == "{" {
            rest = rest.dropFirst()
            while rest.first != "}" {
                guard let l = rest.prefixMatch(of: labelName) else { throw Problem(line: n, message: "bad label name") }
                let key = String(l.output)
                rest = rest[l.range.upperBound...]
                guard rest.hasPrefix("=\"") else { throw Problem(line: n, message: "label without =\"") }
                rest = rest.dropFirst(2)
                var value = ""
                while true {
                    guard let c = rest.first else { throw Problem(line: n, message: "unterminated label value") }
                    rest = rest.dropFirst()
                    if c == "\"" { break }
                    if c == "\\" {
                        guard let e = rest.first, "\\\"n".contains(e) else { throw Problem(line: n, message: "bad escape") }
                        value.append(e == "n" ? "\n" : e)
                        rest = rest.dropFirst()
                    } else {
                        value.append(c)
                    }
                }
                guard labels.updateValue(value, forKey: key) == nil else { throw Problem(line: n, message: "label \(key) twice") }
                if rest.first == "," { rest = rest.dropFirst() }
            }
            rest = rest.dropFirst()
        }
        guard rest.first == " " else { throw Problem(line: n, message: "no space before the value") }
        let fields = rest.dropFirst().split(separator: " ")
        guard (1...2).contains(fields.count) else { throw Problem(line: n, message: "value and at most a timestamp") }
        let text = String(fields[0])
        guard let value = ["+Inf": Double.infinity, "-Inf": -Double.infinity, "NaN": Double.nan][text] ?? Double(text) else {
            throw Problem(line: n, message: "\"\(text)\" is not a value")
        }
        return Sample(name: metric, labels: labels, value: value)
    }

    static func family(of sample: String, types: [String: String]) -> String {
        for suffix in ["_bucket", "_count", "_sum"] where sample.hasSuffix(suffix) {
            let base = String(sample.dropLast(suffix.count))
            if types[base] == "histogram" { return base }
        }
        return sample
    }

    func checkHistograms() throws {
        for (family, type) in types where type == "histogram" {
            var series: [[String: String]: [(Double, Double)]] = [:]
            for s in samples where s.name == family + "_bucket" {
                guard let le = s.labels["le"] else { throw Problem(line: 0, message: "\(family) bucket without le") }
                var key = s.labels
                key["le"] = nil
                series[key, default: []].append((le == "+Inf" ? .infinity : Double(le) ?? .nan, s.value))
            }
            for (key, buckets) in series {
                guard buckets.last?.0 == .infinity else { throw Problem(line: 0, message: "\(family) without +Inf") }
                guard zip(buckets, buckets.dropFirst()).allSatisfy({ $0.0 < $1.0 && $0.1 <= $1.1 }) else { throw Problem(line: 0, message: "\(family) not cumulative") }
                guard let count = samples.first(where: { $0.name == family + "_count" && $0.labels == key }), count.value == buckets.last!.1 else {
                    throw Problem(line: 0, message: "\(family)_count differs from its +Inf bucket")
                }
                guard samples.contains(where: { $0.name == family + "_sum" && $0.labels == key }) else { throw Problem(line: 0, message: "\(family) without _sum") }
            }
        }
    }
}

@Suite("Metrics")
struct MetricsTests {
    @Test(arguments: Backend.available) func aScrapeWithTheTokenReadsAsStrictPrometheusText(backend: Backend) async throws {
        var configuration = LoreServerConfiguration()
        configuration.metricsToken = "scrape-token-7d1f"
        try await withApp(backend, configuration: configuration) { client, store, f in
            let (token, _) = try await store.createAPIToken(userID: f.member.id, name: "test")
            let api = APIClient(client: client, token: token)
            #expect(try await api.call(.post, "/incidents", json: ["title": "Orders slow", "severity": "SEV3", "detectionSource": "monitoring alert"]).status == .created)
            #expect(try await api.call(.get, "/incidents/INC-1").status == .ok)
            #expect(try await api.call(.get, "/incidents/INC-77").status == .notFound)
            let unsigned = try await client.execute(uri: "/hooks/pagerduty/nobody", method: .post, body: ByteBuffer(string: "{}"))
            #expect(unsigned.status == .unauthorized)

            func scrape(_ bearer: String?) async throws -> TestResponse {
                var headers = HTTPFields()
                if let bearer { headers[.authorization] = "Bearer \(bearer)" }
                return try await client.execute(uri: "/metrics", method: .get, headers: headers)
            }
            #expect(try await scrape(nil).status == .unauthorized)
            #expect(try await scrape("wrong").status == .unauthorized)
            let response = try await scrape("scrape-token-7d1f")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
            let text = String(buffer: response.body)
            let parsed = try PrometheusText.parse(text)

            func value(_ name: String, _ labels: [String: String]) -> Double? {
                parsed.samples.first { $0.name == name && $0.labels == labels }?.value
            }
            #expect(parsed.types["lore_http_requests_total"] == "counter")
            #expect(parsed.types["lore_http_request_duration_seconds"] == "histogram")
            #expect(value("lore_http_requests_total", ["route": "/api/v1/incidents", "method": "POST", "status": "201"]) == 1)
            #expect(value("lore_http_requests_total", ["route": "/api/v1/incidents/{key}", "method": "GET", "status": "200"]) == 1)
            #expect(value("lore_http_requests_total", ["route": "/api/v1/incidents/{key}", "method": "GET", "status": "404"]) == 1)
            #expect(value("lore_http_request_duration_seconds_count", ["route": "/api/v1/incidents/{key}", "method": "GET"]) == 2)
            #expect(value("lore_pagerduty_deliveries_total", ["outcome": "unknown_subscription"]) == 1)
            #expect(value("lore_jobs_pending", [:]) != nil && value("lore_jobs_oldest_due_seconds", [:]) != nil)
            // Route patterns only: no key, id, query or subscription name a request carried.
            let labelValues = parsed.samples.flatMap { $0.labels.values }
            for bad in ["INC-1", "INC-77", "nobody", "?"] { #expect(!labelValues.contains { $0.contains(bad) }, "\(bad)") }
            let uuidLike = labelValues.filter { $0.contains { $0.isNumber } && $0.count >= 13 && $0.filter { $0 == "-" }.count >= 2 }
            #expect(uuidLike.isEmpty, "\(uuidLike)")
            #expect(!text.contains(token) && !text.contains("scrape-token-7d1f"))
        }
    }

    @Test func withoutATokenThereIsNoMetricsPage() async throws {
        try await withApp { client, _, _ in
            var headers = HTTPFields()
            headers[.authorization] = "Bearer anything"
            let response = try await client.execute(uri: "/metrics", method: .get, headers: headers)
            #expect(response.status == .notFound)
        }
    }

    @Test func theParserRefusesWhatAScraperWould() {
        for bad in ["x 1", "x{a=\"1} 1\n", "1x 1\n", "x{a=\"\\q\"} 1\n", "x one\n", "# TYPE x counter\n# TYPE x counter\n",
                    "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_count 1\nh_sum 0\n"] {
            #expect((try? PrometheusText.parse(bad)) == nil, "\(bad)")
        }
        #expect((try? PrometheusText.parse("# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_count 2\nh_sum 0.5\n")) != nil)
    }
}
