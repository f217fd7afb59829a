package io.edgestop.devtools;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;


import io.edgestop.adapter.client.StopJobClient;
import io.edgestop.launcher.Seed;
import io.edgestop.launcher.json.AvroJson;
import io.edgestop.schema.JobStatus;
import io.edgestop.testkit.KafkaBroker;
import io.edgestop.testkit.RealKafka;

/**
 * The Grafana dashboard (docs/grafana/edge-stop.json) against what the components really export:
 * the dev stack (orchestrator, one edge worker per seeded cluster, adapter) on the test broker, one
 * stop driven through to COMPLETED, then every component's /metrics scraped; every metric named by
 * any PromQL expression of the dashboard must be in some scrape.
 */
@RealKafka
class DashboardTest {

    static final Path DASHBOARD = Path.of("..", "docs", "grafana", "edge-stop.json").toAbsolutePath().normalize();

    /**
     * The rule for a metric name in PromQL: an identifier left after removing string literals, label
     * matchers {...}, ranges and subqueries [...], and the label lists of by/without/on/ignoring/
     * group_left/group_right, that is not followed by '(' (a function or aggregation) and is not a
     * keyword or operator word. Numbers never start with a letter, so they are not identifiers.
     */
    static Set<String> metricNames(String expr) {
        String s = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*(\\s*\\()?").matcher(s);
        while (m.find()) {
            if (m.group(1) == null && !KEYWORDS.contains(m.group().trim())) {
                names.add(m.group().trim());
            }
        }
        return names;
    }

    static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "bool", "and", "or", "unless", "offset", "atan2", "inf", "nan", "Inf", "NaN");

    @Test
    void theMetricNameRuleFindsMetricsAndSkipsFunctionsLabelsAndRanges() {
        assertEquals(Set.of("http_requests_total"), metricNames(
                "histogram_quantile(0.99, sum by (le, code) (rate(http_requests_total{job=\"a b\", code=~\"5..\"}[$__rate_interval])))"));
        assertEquals(Set.of("a_total", "b"), metricNames("sum(rate(a_total[5m])) / on (x) group_left (y) max(b) > bool 0"));
        assertEquals(Set.of(), metricNames("vector(1)"));
    }

    @Test
    void everyQueryOfTheDashboardNamesAMetricTheComponentsExport(KafkaBroker broker, @TempDir Path dataDir) throws Exception {
        List<String> queries = new ArrayList<>();
        AvroJson.MAPPER.readTree(Files.readString(DASHBOARD)).findValues("targets")
                .forEach(targets -> targets.forEach(t -> queries.add(t.path("expr").asText())));
        assertTrue(queries.size() >= 12, "the dashboard's queries: " + queries);

        try (DevStack stack = DevStack.start(DevStack.Options.defaults()
                .withBootstrapServers(broker.bootstrapServers())
                .withTopicPrefix(broker.uniquePrefix())
                .withHttpPort(0)
                .withDataDir(dataDir))) {
            Map<String, URI> admins = stack.adminUrls();
            for (Map.Entry<String, URI> a : admins.entrySet()) {
                assertEquals(200, get(a.getValue().resolve("/readyz")).statusCode(), a.getKey() + " ready once started");
                assertEquals(200, get(a.getValue().resolve("/healthz")).statusCode(), a.getKey());
            }

            // one stop through: decided, directive handled by the worker, report, COMPLETED
            Seed.Credential c = stack.seed().example().orElseThrow().credential();
            Seed.Job job = stack.seed().example().orElseThrow().job();
            HttpResponse<String> stop = get(new StopJobClient(stack.baseUrl(), c.accessKeyId(), c.accessKeySecret())
                    .signedV1Url(job.clusterId(), job.jobId()));
            assertEquals(200, stop.statusCode(), stop.body());
            await().atMost(Duration.ofSeconds(30)).until(() -> stack.edge(job.clusterId()).orElseThrow()
                    .status(job.clusterId(), job.jobId()).orElseThrow() == JobStatus.STOPPED);
            URI orchestrator = admins.get("orchestrator");
            await().atMost(Duration.ofSeconds(30)).until(() -> get(orchestrator.resolve("/metrics")).body()
                    .contains("edgestop_orchestrator_decisions_total{code=\"Success\",outcome=\"ACCEPTED\"} 1.0"));

            Map<String, URI> scraped = new LinkedHashMap<>(admins);
            assertEquals(404, get(stack.baseUrl().resolve("/metrics")).statusCode(), "no metrics on the API port");
            Map<String, Set<String>> exported = new LinkedHashMap<>();
            for (Map.Entry<String, URI> e : scraped.entrySet()) {
                HttpResponse<String> r = get(e.getValue().resolve("/metrics"));
                assertEquals(200, r.statusCode(), e.getKey());
                exported.put(e.getKey(), seriesNames(r.body()));
            }
            Set<String> all = new TreeSet<>();
            exported.values().forEach(all::addAll);
            assertTrue(exported.get("edge-worker " + job.clusterId()).contains("edgestop_worker_report_latency_seconds_bucket"));

            List<String> missing = new ArrayList<>();
            for (String q : queries) {
                Set<String> names = metricNames(q);
                assertFalse(names.isEmpty(), "a query naming no metric: " + q);
                names.stream().filter(n -> !all.contains(n)).forEach(n -> missing.add(n + " (in " + q + ")"));
            }
            assertEquals(List.of(), missing, "metrics the dashboard queries and nothing exports");
        }
    }

    /** The names of the series in a Prometheus text exposition (comments skipped). */
    private static Set<String> seriesNames(String exposition) {
        Set<String> names = new TreeSet<>();
        exposition.lines().filter(l -> !l.isBlank() && !l.startsWith("#"))
                .forEach(l -> names.add(l.split("[{ ]", 2)[0]));
        return names;
    }

    private static HttpResponse<String> get(URI uri) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
