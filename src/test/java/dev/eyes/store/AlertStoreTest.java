package dev.eyes.store;

import static dev.eyes.testing.AlertFixtures.insight;
import static dev.eyes.testing.AlertFixtures.trigger;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eyes.event.Severity;
import dev.eyes.rule.Trigger;
import dev.eyes.testing.AlertFixtures;
import dev.eyes.testing.ManualClock;
import dev.eyes.testing.Sql;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The triage API on a real SQLite file: list, search, get, reviews, resolution, grouping, rules, silences. */
class AlertStoreTest {
    /** Trigger times after the wall clock, so a recurrence's trigger time moves its group's updated_at up. */
    Instant T;

    @TempDir
    Path dir;

    AlertFixtures fx;
    ManualClock clock;
    SqliteAlertStore store;

    @BeforeEach
    void setUp() throws Exception {
        T = Instant.now().plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS);
        fx = new AlertFixtures(dir.resolve("eyes.db"));
        clock = new ManualClock(Instant.now().truncatedTo(ChronoUnit.MICROS).plusSeconds(3600));
        store = new SqliteAlertStore(fx.db, clock);
    }

    static AlertException.Kind kindOf(Throwable t) {
        return ((AlertException) t).kind();
    }

    private long root(String source, Severity s, Instant at, String msg) throws Exception {
        return fx.analyzed("ErrorFrequencyRule", source, s, at, msg).candidateId();
    }

    // ---- list ------------------------------------------------------------------------------------------------

    @Test
    void listPagesSortsAndCountsRootsOnly() throws Exception {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            Severity s = i % 3 == 0 ? Severity.CRITICAL : i % 3 == 1 ? Severity.WARNING : Severity.INFO;
            ids.add(root("svc" + i + ".service/svc" + i, s, T.plusSeconds(i), (char) ('a' + (11 - i)) + " failure " + i));
        }
        // two children of the first root (same rule and source, within 24 h) and one unanalysed root
        fx.analyzed("ErrorFrequencyRule", "svc0.service/svc0", Severity.WARNING, T.plusSeconds(100), "again");
        fx.record(trigger("ErrorFrequencyRule", "svc0.service/svc0", Severity.CRITICAL, T.plusSeconds(101), "x"));
        long unanalysed = fx.record(trigger("CrashDetectionRule", "crash.service/crash", Severity.CRITICAL,
                T.plusSeconds(200), "segfault"));

        AlertPage p = store.listAlerts(AlertListRequest.defaults());
        assertThat(p.groupsTotal()).isEqualTo(13);
        assertThat(p.page()).isEqualTo(1);
        assertThat(p.pageSize()).isEqualTo(10);
        assertThat(p.totalPages()).isEqualTo(2);
        assertThat(p.alerts()).hasSize(10).allMatch(AlertRecord::root);
        // counts cover every candidate: 12 roots, 2 children, 1 unanalysed (critical expected)
        assertThat(p.counts()).isEqualTo(new AlertPage.Counts(15, 6, 5, 4));
        // newest activity first: the group with the recurrences was bumped to its latest trigger time
        assertThat(p.alerts().getFirst().id()).isEqualTo(ids.getFirst());
        assertThat(p.alerts().getFirst().updatedAt()).isEqualTo(T.plusSeconds(101));
        AlertRecord grouped = store.listAlerts(AlertListRequest.defaults().withPage(1, 50)).alerts().stream()
                .filter(a -> a.id() == ids.getFirst()).findFirst().orElseThrow();
        assertThat(grouped.similarAlertCount()).isEqualTo(2);
        assertThat(grouped.recommendations()).isEmpty();
        AlertRecord notAnalysed = store.getAlert(unanalysed);
        assertThat(notAnalysed.observationConfidence()).isEqualTo("not analyzed");
        assertThat(notAnalysed.summary()).isEqualTo(notAnalysed.triggerReason());
        assertThat(notAnalysed.status()).isNull();

        AlertPage second = store.listAlerts(AlertListRequest.defaults().withPage(2, 10));
        assertThat(second.alerts()).hasSize(3);
        AlertPage past = store.listAlerts(AlertListRequest.defaults().withPage(9, 10));
        assertThat(past.alerts()).isEmpty();
        assertThat(past.totalPages()).isEqualTo(2);

        assertThat(store.listAlerts(AlertListRequest.defaults().withPage(1, 1)).pageSize()).isEqualTo(5);
        assertThat(store.listAlerts(AlertListRequest.defaults().withPage(1, 500)).pageSize()).isEqualTo(50);
        assertThatThrownBy(() -> store.listAlerts(AlertListRequest.defaults().withPage(0, 10)))
                .isInstanceOf(AlertException.class).hasMessage("page must be 1 or more")
                .satisfies(e -> assertThat(kindOf(e)).isEqualTo(AlertException.Kind.INVALID));

        List<AlertRecord> bySeverity = store.listAlerts(AlertListRequest.defaults().withPage(1, 50)
                .withSort("severity", "desc")).alerts();
        assertThat(bySeverity.stream().map(AlertRecord::severity).toList())
                .isSortedAccordingTo((a, b) -> b.compareTo(a));
        List<AlertRecord> bySummary = store.listAlerts(AlertListRequest.defaults().withPage(1, 50)
                .withSort("summary", "asc")).alerts();
        assertThat(bySummary.stream().map(a -> a.summary().toLowerCase()).toList()).isSorted();
        List<AlertRecord> oldestFirst = store.listAlerts(AlertListRequest.defaults().withPage(1, 50)
                .withSort("nonsense", "asc")).alerts();
        assertThat(oldestFirst.stream().map(AlertRecord::updatedAt).toList()).isSorted();
        List<AlertRecord> byStatus = store.listAlerts(AlertListRequest.defaults().withPage(1, 50)
                .withSort("status", "asc")).alerts();
        assertThat(byStatus.stream().map(AlertRecord::analysisStatus).toList()).isSorted();
    }

    @Test
    void listHidesResolvedGroupsAndFilters() throws Exception {
        long a = root("a.service/a", Severity.WARNING, T, "disk quota exceeded");
        long b = root("b.service/b", Severity.CRITICAL, T.plusSeconds(1), "kernel oops");
        long c = root("c.service/c", Severity.INFO, T.plusSeconds(2), "slow request");
        long d = fx.record(trigger("CrashDetectionRule", "d.service/d", Severity.CRITICAL, T.plusSeconds(3), "boom"));
        store.resolveAlert(c, "agent", "fixed");
        store.appendAgentReview(a, "claude", "Looks like the NFS mount is full");
        store.acknowledgeAlert(b, "alice", "on it");

        AlertListRequest all = AlertListRequest.defaults().withPage(1, 50);
        assertThat(ids(store.listAlerts(all))).containsExactlyInAnyOrder(a, b, d);
        assertThat(ids(store.listAlerts(all.withShowResolved(true)))).containsExactlyInAnyOrder(a, b, c, d);
        assertThat(ids(store.listAlerts(all.withFilters("critical", null, null, null, null, null, null))))
                .containsExactlyInAnyOrder(b, d);
        assertThat(ids(store.listAlerts(all.withFilters(null, "not_done", null, null, null, null, null)))).isEmpty();
        assertThat(ids(store.listAlerts(all.withFilters(null, "pending", null, null, null, null, null))))
                .containsExactly(d);
        assertThat(ids(store.listAlerts(all.withFilters(null, null, null, "CrashDetectionRule", null, null, null))))
                .containsExactly(d);
        assertThat(ids(store.listAlerts(all.withFilters(null, null, null, null, "a.service/a", null, null))))
                .containsExactly(a);
        // q finds text in reviews too, any case
        assertThat(ids(store.listAlerts(all.withFilters(null, null, null, null, null, "nfs MOUNT", null))))
                .containsExactly(a);
        assertThat(ids(store.listAlerts(all.withFilters(null, null, null, null, null, null, true))))
                .containsExactly(b);
        assertThat(ids(store.listAlerts(all.withFilters(null, null, null, null, null, null, false))))
                .containsExactlyInAnyOrder(a, d);
        // counts ignore the severity filter and resolution (they are the page's facets)
        AlertPage crit = store.listAlerts(all.withFilters("critical", null, null, null, null, null, null));
        assertThat(crit.counts()).isEqualTo(new AlertPage.Counts(4, 2, 1, 1));
        assertThat(crit.groupsTotal()).isEqualTo(2);

        assertThatThrownBy(() -> store.listAlerts(all.withFilters("urgent", null, null, null, null, null, null)))
                .hasMessage("severity must be one of info, warning, critical");
        assertThatThrownBy(() -> store.listAlerts(all.withFilters(null, "done", null, null, null, null, null)))
                .hasMessage("status must be one of pending, analyzed, failed, not_done");
        assertThatThrownBy(() -> store.listAlerts(all.withFilters(null, null, "sent", null, null, null, null)))
                .hasMessage("alert_status must be one of pending, suppressed, silenced, queued, delivered, "
                        + "delivery_failed, dropped");
    }

    private static List<Long> ids(AlertPage p) {
        return p.alerts().stream().map(AlertRecord::id).toList();
    }

    // ---- search ----------------------------------------------------------------------------------------------

    @Test
    void searchIncludesChildrenNewestFirstAndValidates() throws Exception {
        long r = root("web.service/nginx", Severity.WARNING, T, "upstream timed out");
        long child = fx.analyzed("ErrorFrequencyRule", "web.service/nginx", Severity.WARNING, T.plusSeconds(60),
                "upstream timed out again").candidateId();
        long other = root("db.service/postgres", Severity.CRITICAL, T.plusSeconds(30), "100% of 10_000 done");

        AlertSearchPage all = store.searchAlerts(AlertSearchRequest.all());
        assertThat(all.alerts().stream().map(AlertSummary::id).toList()).containsExactly(child, other, r);
        assertThat(all.total()).isEqualTo(3);
        assertThat(all.limit()).isEqualTo(25);
        assertThat(all.alerts().getFirst().groupParentId()).isEqualTo(r);

        AlertSearchPage q = store.searchAlerts(AlertSearchRequest.of("TIMED OUT", null, null, 1, 1));
        assertThat(q.total()).isEqualTo(2);
        assertThat(q.alerts()).extracting(AlertSummary::id).containsExactly(r);
        // LIKE wildcards are literal
        assertThat(store.searchAlerts(AlertSearchRequest.of("100%", null, null, null, null)).total()).isEqualTo(1);
        assertThat(store.searchAlerts(AlertSearchRequest.of("10_0", null, null, null, null)).total()).isEqualTo(1);
        assertThat(store.searchAlerts(AlertSearchRequest.of("1_0", null, null, null, null)).total()).isZero();
        assertThat(store.searchAlerts(AlertSearchRequest.of(null, "critical", null, null, null)).alerts())
                .extracting(AlertSummary::id).containsExactly(other);
        store.resolveAlert(r, "a", "b");
        assertThat(store.searchAlerts(AlertSearchRequest.of(null, null, "resolved", null, null)).alerts())
                .extracting(AlertSummary::id).containsExactly(r);
        assertThat(store.searchAlerts(AlertSearchRequest.of(null, null, "open", null, null)).total()).isEqualTo(2);

        assertThatThrownBy(() -> store.searchAlerts(AlertSearchRequest.of("  ", null, null, null, null)))
                .hasMessage("query cannot be empty");
        assertThatThrownBy(() -> store.searchAlerts(AlertSearchRequest.of(null, null, null, 0, null)))
                .hasMessage("limit must be 1..100");
        assertThatThrownBy(() -> store.searchAlerts(AlertSearchRequest.of(null, null, null, 101, null)))
                .hasMessage("limit must be 1..100");
        assertThat(store.searchAlerts(AlertSearchRequest.of(null, null, null, 100, null)).limit()).isEqualTo(100);
        assertThatThrownBy(() -> store.searchAlerts(AlertSearchRequest.of(null, null, null, null, -1)))
                .hasMessage("offset must be 0 or more");
        assertThatThrownBy(() -> store.searchAlerts(AlertSearchRequest.of(null, null, "closed", null, null)))
                .hasMessage("resolution_status must be open or resolved");
        assertThatThrownBy(() -> store.searchAlerts(AlertSearchRequest.of(null, "bad", null, null, null)))
                .hasMessage("severity must be one of info, warning, critical");
    }

    // ---- get -------------------------------------------------------------------------------------------------

    @Test
    void getAlertHydratesEverything() throws Exception {
        long r = root("web.service/nginx", Severity.WARNING, T, "upstream timed out");
        long c1 = fx.analyzed("ErrorFrequencyRule", "web.service/nginx", Severity.WARNING, T.plusSeconds(60), "2")
                .candidateId();
        long c2 = fx.analyzed("ErrorFrequencyRule", "web.service/nginx", Severity.WARNING, T.plusSeconds(120), "3")
                .candidateId();
        store.appendAgentReview(c1, "claude", "same cause");
        AlertRecord a = store.getAlert(r);
        assertThat(a.analysisStatus()).isEqualTo("analyzed");
        assertThat(a.recommendations()).containsExactly("Restart the upstream", "Check its logs");
        assertThat(a.evidence()).containsExactly("12 refused connections");
        assertThat(a.rootCause()).isEqualTo("the upstream is down");
        assertThat(a.observationConfidence()).isEqualTo("high");
        assertThat(a.analysis().backend()).isEqualTo("mock");
        assertThat(a.logEvents()).hasSize(1);
        assertThat(a.logEvents().getFirst().message()).isEqualTo("upstream timed out");
        assertThat(a.transitions()).extracting(StateChange::to).containsExactly("pending", "analyzed");
        assertThat(a.similarAlertCount()).isEqualTo(2);
        // newest first, with their reviews but without their events
        assertThat(a.similarAlerts()).extracting(AlertRecord::id).containsExactly(c2, c1);
        assertThat(a.similarAlerts().get(1).agentReviews()).extracting(AgentReview::body).containsExactly("same cause");
        assertThat(a.similarAlerts().get(1).logEvents()).isEmpty();
        AlertRecord child = store.getAlert(c1);
        assertThat(child.groupParentId()).isEqualTo(r);
        assertThat(child.similarAlerts()).isEmpty();
        assertThat(child.transitions()).anySatisfy(t -> {
            assertThat(t.aspect()).isEqualTo("group");
            assertThat(t.to()).isEqualTo("child of " + r);
            assertThat(t.reason()).contains("same rule and source as open alert " + r);
        });
        assertThatThrownBy(() -> store.getAlert(999)).hasMessage("Alert candidate 999 does not exist")
                .satisfies(e -> assertThat(kindOf(e)).isEqualTo(AlertException.Kind.NOT_FOUND));
    }

    // ---- reviews and resolution ------------------------------------------------------------------------------

    @Test
    void reviewsAndResolution() throws Exception {
        long r = root("web.service/nginx", Severity.WARNING, T, "x");
        long child = fx.analyzed("ErrorFrequencyRule", "web.service/nginx", Severity.WARNING, T.plusSeconds(1), "y")
                .candidateId();
        Instant before = store.getAlert(r).updatedAt();
        AgentReview review = store.appendAgentReview(r, "  claude ", "  looked at it  ");
        assertThat(review.agentName()).isEqualTo("claude");
        assertThat(review.body()).isEqualTo("looked at it");
        assertThat(review.reviewType()).isEqualTo("review");
        assertThat(store.getAlert(r).updatedAt()).isEqualTo(before);
        assertThatThrownBy(() -> store.appendAgentReview(r, " ", "x")).hasMessage("agent_name cannot be empty");
        assertThatThrownBy(() -> store.appendAgentReview(r, "a", "")).hasMessage("review cannot be empty");
        assertThatThrownBy(() -> store.appendAgentReview(77, "a", "b")).hasMessage("Alert candidate 77 does not exist");

        clock.advance(Duration.ofMinutes(5));
        AgentReview resolution = store.resolveAlert(r, "claude", "restarted the upstream");
        assertThat(resolution.reviewType()).isEqualTo("resolution");
        AlertRecord a = store.getAlert(r);
        assertThat(a.resolutionStatus()).isEqualTo("resolved");
        assertThat(a.resolvedAt()).isEqualTo(clock.instant());
        assertThat(a.updatedAt()).isEqualTo(clock.instant());
        assertThat(a.agentReviews()).extracting(AgentReview::reviewType).containsExactly("review", "resolution");
        assertThat(a.transitions()).anySatisfy(t -> assertThat(t.aspect() + " " + t.from() + "→" + t.to())
                .isEqualTo("resolution open→resolved"));
        // not cascaded to the children
        assertThat(store.getAlert(child).resolutionStatus()).isEqualTo("open");
        assertThatThrownBy(() -> store.resolveAlert(r, "claude", "again")).hasMessage("Alert " + r
                + " is already resolved").satisfies(e -> assertThat(kindOf(e)).isEqualTo(AlertException.Kind.CONFLICT));
        assertThatThrownBy(() -> store.resolveAlert(42, "claude", "x")).hasMessage("Alert candidate 42 does not exist");
        assertThatThrownBy(() -> store.resolveAlert(child, "claude", " ")).hasMessage("resolution cannot be empty");
    }

    @Test
    void resolutionIsAtomic() throws Exception {
        long r = root("web.service/nginx", Severity.WARNING, T, "x");
        try (Connection c = fx.db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TRIGGER no_reviews BEFORE INSERT ON alert_agent_reviews "
                    + "BEGIN SELECT RAISE(ABORT, 'reviews are read-only today'); END");
        }
        assertThatThrownBy(() -> store.resolveAlert(r, "claude", "fixed")).isInstanceOf(StoreException.class)
                .hasMessageContaining("reviews are read-only today");
        // the resolution was rolled back with the review
        AlertRecord a = store.getAlert(r);
        assertThat(a.resolutionStatus()).isEqualTo("open");
        assertThat(a.resolvedAt()).isNull();
        assertThat(a.transitions()).noneMatch(t -> t.aspect().equals("resolution"));
        try (Connection c = fx.db.connect(); Statement s = c.createStatement()) {
            s.execute("DROP TRIGGER no_reviews");
        }

        // many writers at once, each with its own store (as the dashboard and an agent would): exactly one wins
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<String>> outcomes = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int n = i;
            outcomes.add(pool.submit(() -> {
                try (SqliteAlertStore own = new SqliteAlertStore(Database.open(fx.db.path()))) {
                    go.await();
                    own.resolveAlert(r, "agent" + n, "fixed");
                    return "ok";
                } catch (AlertException e) {
                    return e.kind() + ": " + e.getMessage();
                }
            }));
        }
        go.countDown();
        List<String> results = new ArrayList<>();
        for (Future<String> f : outcomes) {
            results.add(f.get());
        }
        pool.shutdown();
        assertThat(results).filteredOn("ok"::equals).hasSize(1);
        assertThat(results).filteredOn(s -> !s.equals("ok"))
                .allMatch(s -> s.equals("CONFLICT: Alert " + r + " is already resolved"));
        assertThat(Sql.count(fx.db.path(), "SELECT COUNT(*) FROM alert_agent_reviews WHERE review_type = 'resolution'"))
                .isEqualTo(1);
    }

    // ---- acknowledgement -------------------------------------------------------------------------------------

    @Test
    void acknowledgingAChildAcknowledgesItsGroup() throws Exception {
        long r = root("web.service/nginx", Severity.WARNING, T, "x");
        long child = fx.analyzed("ErrorFrequencyRule", "web.service/nginx", Severity.WARNING, T.plusSeconds(1), "y")
                .candidateId();
        assertThatThrownBy(() -> store.acknowledgeAlert(r, " ", null)).hasMessage("acknowledged_by cannot be empty");
        AlertRecord a = store.acknowledgeAlert(child, "alice", "looking into it");
        assertThat(a.id()).isEqualTo(r);
        assertThat(a.acknowledgedBy()).isEqualTo("alice");
        assertThat(a.acknowledgedAt()).isEqualTo(clock.instant());
        assertThat(a.acknowledgementNote()).isEqualTo("looking into it");
        assertThat(a.agentReviews()).singleElement().satisfies(rv -> {
            assertThat(rv.reviewType()).isEqualTo("acknowledgement");
            assertThat(rv.body()).isEqualTo("looking into it (through alert " + child + ")");
        });
        assertThat(store.getAlert(child).acknowledgedBy()).isNull();
        assertThatThrownBy(() -> store.acknowledgeAlert(r, "bob", null))
                .hasMessage("Alert " + r + " is already acknowledged by alice")
                .satisfies(e -> assertThat(kindOf(e)).isEqualTo(AlertException.Kind.CONFLICT));
        long other = root("db.service/pg", Severity.CRITICAL, T, "z");
        store.resolveAlert(other, "a", "b");
        assertThatThrownBy(() -> store.acknowledgeAlert(other, "bob", null))
                .hasMessage("Alert " + other + " is already resolved");
        assertThatThrownBy(() -> store.acknowledgeAlert(5000, "bob", null))
                .hasMessage("Alert candidate 5000 does not exist");
    }

    // ---- manual grouping -------------------------------------------------------------------------------------

    @Test
    void attachSimilarAlertsRepointsChildrenAndRetargetsRules() throws Exception {
        long p = root("a.service/a", Severity.WARNING, T, "primary");
        long s = root("b.service/b", Severity.WARNING, T, "similar");
        long sChild = fx.analyzed("ErrorFrequencyRule", "b.service/b", Severity.WARNING, T.plusSeconds(5), "again")
                .candidateId();
        long t = root("c.service/c", Severity.INFO, T, "third");
        AutoGroupRule rule = store.createAutoGroupRule(new AutoGroupRuleRequest(s, "b", null, null, null, "similar"));
        assertThat(rule.targetAlertId()).isEqualTo(s);

        assertThatThrownBy(() -> store.attachSimilarAlerts(p, List.of()))
                .hasMessage("Invalid alert grouping: similar_alert_ids cannot be empty");
        assertThatThrownBy(() -> store.attachSimilarAlerts(p, List.of(s, s)))
                .hasMessage("Invalid alert grouping: alert " + s + " is listed more than once");
        assertThatThrownBy(() -> store.attachSimilarAlerts(p, List.of(p)))
                .hasMessage("Invalid alert grouping: alert " + p + " cannot be grouped under itself");
        assertThatThrownBy(() -> store.attachSimilarAlerts(sChild, List.of(t)))
                .hasMessage("Invalid alert grouping: alert " + sChild + " is grouped under alert " + s + "; use " + s
                        + " as the primary")
                .satisfies(e -> assertThat(kindOf(e)).isEqualTo(AlertException.Kind.INVALID));
        assertThatThrownBy(() -> store.attachSimilarAlerts(999, List.of(s)))
                .hasMessage("Alert candidate 999 does not exist");
        assertThatThrownBy(() -> store.attachSimilarAlerts(p, List.of(s, 998L)))
                .hasMessage("Alert candidate 998 does not exist");
        // nothing changed by the refused calls
        assertThat(store.getAlert(s).groupParentId()).isNull();

        clock.advance(Duration.ofMinutes(1));
        AlertRecord primary = store.attachSimilarAlerts(p, List.of(s, t));
        assertThat(primary.updatedAt()).isEqualTo(clock.instant());
        assertThat(primary.similarAlertCount()).isEqualTo(3);
        assertThat(primary.similarAlerts()).extracting(AlertRecord::id).containsExactlyInAnyOrder(s, sChild, t);
        // one level deep: the child of s now hangs directly under p
        assertThat(store.getAlert(sChild).groupParentId()).isEqualTo(p);
        assertThat(store.getAlert(s).groupParentId()).isEqualTo(p);
        assertThat(store.getAlert(s).similarAlertCount()).isZero();
        assertThat(store.listAutoGroupRules()).singleElement().extracting(AutoGroupRule::targetAlertId).isEqualTo(p);
        assertThat(store.listAlerts(AlertListRequest.defaults()).alerts()).extracting(AlertRecord::id)
                .containsExactly(p);
        assertThat(store.getAlert(sChild).transitions()).anySatisfy(tr -> assertThat(tr.reason())
                .isEqualTo("its group's root, alert " + s + ", was attached to alert " + p));
    }

    // ---- auto-group rules ------------------------------------------------------------------------------------

    @Test
    void autoGroupRulesAreValidatedAndFirstCreatedWins() throws Exception {
        long a = root("a.service/a", Severity.WARNING, T, "first target");
        long b = root("b.service/b", Severity.WARNING, T, "second target");
        long bChild = fx.analyzed("ErrorFrequencyRule", "b.service/b", Severity.WARNING, T.plusSeconds(1), "x")
                .candidateId();
        assertThatThrownBy(() -> store.createAutoGroupRule(new AutoGroupRuleRequest(a, " ", null, "", null, "x")))
                .hasMessage("Invalid auto-group rule: at least one of process, subsystem, trigger_source or "
                        + "triggered_by is required");
        assertThatThrownBy(() -> store.createAutoGroupRule(new AutoGroupRuleRequest(a, "p", null, null, null, " ")))
                .hasMessage("Invalid auto-group rule: message_regex cannot be empty");
        assertThatThrownBy(() -> store.createAutoGroupRule(new AutoGroupRuleRequest(a, "p", null, null, null, "(oops")))
                .hasMessageStartingWith("Invalid auto-group rule: message_regex is not a valid regular expression: "
                        + "Unclosed group")
                .satisfies(e -> assertThat(kindOf(e)).isEqualTo(AlertException.Kind.INVALID));
        assertThatThrownBy(() -> store.createAutoGroupRule(new AutoGroupRuleRequest(404, "p", null, null, null, "x")))
                .hasMessage("Alert candidate 404 does not exist");

        // a rule aimed at a child is canonicalised to its root; Rust/Python named groups are accepted
        AutoGroupRule first = store.createAutoGroupRule(new AutoGroupRuleRequest(a, " worker ", null, null, null,
                "(?P<what>disk|quota) (?P=what)?"));
        assertThat(first.process()).isEqualTo("worker");
        AutoGroupRule second = store.createAutoGroupRule(new AutoGroupRuleRequest(bChild, "worker", null, null,
                "ErrorFrequencyRule", "quota"));
        assertThat(second.targetAlertId()).isEqualTo(b);
        assertThat(store.listAutoGroupRules()).extracting(AutoGroupRule::id).containsExactly(first.id(), second.id());

        // both match: the first created wins; the group floats up to the recurrence's trigger time
        Instant later = T.plus(Duration.ofDays(3));
        long recurrence = fx.record(new Trigger(later, "ErrorFrequencyRule", "jobs.service/worker", Severity.WARNING,
                "r", List.of(new dev.eyes.event.LogEvent(later, dev.eyes.event.MessageType.ERROR, "jobs.service", "",
                "worker", 7, "disk quota exceeded")), List.of(), List.of()));
        AlertRecord got = store.getAlert(recurrence);
        assertThat(got.groupParentId()).isEqualTo(a);
        assertThat(store.getAlert(a).updatedAt()).isEqualTo(later);
        assertThat(got.transitions()).anySatisfy(tr -> assertThat(tr.reason())
                .startsWith("auto-group rule " + first.id() + " (process worker, message /(?P<what>disk|quota)"));
        // the second rule matches only ErrorFrequencyRule; the first only process worker; neither matches this
        long crash = fx.record(new Trigger(later, "CrashDetectionRule", "jobs.service/other", Severity.CRITICAL, "r",
                List.of(new dev.eyes.event.LogEvent(later, dev.eyes.event.MessageType.ERROR, "jobs.service", "",
                        "other", 7, "disk quota exceeded")), List.of(), List.of()));
        assertThat(store.getAlert(crash).groupParentId()).isNull();
        // a trigger without log events never matches a rule
        long noLogs = fx.record(new Trigger(later, "ErrorFrequencyRule", "x", Severity.WARNING, "quota", List.of(),
                List.of(), List.of()));
        assertThat(store.getAlert(noLogs).groupParentId()).isNull();

        assertThat(store.deleteAutoGroupRule(first.id())).isEqualTo(first);
        assertThatThrownBy(() -> store.deleteAutoGroupRule(first.id()))
                .hasMessage("rule " + first.id() + " does not exist")
                .satisfies(e -> assertThat(kindOf(e)).isEqualTo(AlertException.Kind.NOT_FOUND));
        // the group it made stays; the next recurrence goes to the second rule's target
        assertThat(store.getAlert(recurrence).groupParentId()).isEqualTo(a);
        long next = fx.record(new Trigger(later.plusSeconds(1), "ErrorFrequencyRule", "jobs2.service/worker",
                Severity.WARNING, "r", List.of(new dev.eyes.event.LogEvent(later, dev.eyes.event.MessageType.ERROR,
                "jobs2.service", "", "worker", 7, "quota")), List.of(), List.of()));
        assertThat(store.getAlert(next).groupParentId()).isEqualTo(b);
    }

    @Test
    void catastrophicPatternsAreCutOff() {
        Pattern evil = Regexes.compile("(a+)+$");
        String text = "a".repeat(40) + "!";
        long start = System.nanoTime();
        assertThat(Regexes.find(evil, text)).isFalse();
        assertThat(System.nanoTime() - start).isLessThan(Duration.ofSeconds(2).toNanos());
        assertThat(Regexes.find(Regexes.compile("(?P<x>ab)c"), "xxabc")).isTrue();
        assertThat(Regexes.problem("x".repeat(1001))).contains("longer than 1000 characters");
    }

    // ---- same-source grouping --------------------------------------------------------------------------------

    @Test
    void sameSourceGroupingWithinTheWindowOnlyUnderOpenRoots() throws Exception {
        long r = root("web.service/nginx", Severity.WARNING, T, "a");
        long within = fx.record(trigger("ErrorFrequencyRule", "web.service/nginx", Severity.WARNING,
                T.plus(Duration.ofHours(23)), "b"));
        long otherSource = fx.record(trigger("ErrorFrequencyRule", "api.service/nginx", Severity.WARNING,
                T.plusSeconds(5), "c"));
        long otherRule = fx.record(trigger("CrashDetectionRule", "web.service/nginx", Severity.CRITICAL,
                T.plusSeconds(5), "d"));
        long outside = fx.record(trigger("ErrorFrequencyRule", "web.service/nginx", Severity.WARNING,
                T.plus(Duration.ofHours(25)), "e"));
        assertThat(store.getAlert(within).groupParentId()).isEqualTo(r);
        assertThat(store.getAlert(otherSource).groupParentId()).isNull();
        assertThat(store.getAlert(otherRule).groupParentId()).isNull();
        // outside the root's window: a new root (and later ones join the newest open root)
        assertThat(store.getAlert(outside).groupParentId()).isNull();
        long afterOutside = fx.record(trigger("ErrorFrequencyRule", "web.service/nginx", Severity.WARNING,
                T.plus(Duration.ofHours(26)), "f"));
        assertThat(store.getAlert(afterOutside).groupParentId()).isEqualTo(outside);
        // a resolved root takes no new children
        store.resolveAlert(outside, "ops", "fixed");
        long afterResolve = fx.record(trigger("ErrorFrequencyRule", "web.service/nginx", Severity.WARNING,
                T.plus(Duration.ofHours(27)), "g"));
        assertThat(store.getAlert(afterResolve).groupParentId()).isNull();
        // system-wide triggers (no source) group with each other
        long mem = fx.record(trigger("MemoryPressureRule", null, Severity.WARNING, T, "pressure"));
        long mem2 = fx.record(trigger("MemoryPressureRule", null, Severity.WARNING, T.plusSeconds(300), "pressure"));
        assertThat(store.getAlert(mem2).groupParentId()).isEqualTo(mem);

        // group_window_hours = 0 turns it off
        AlertFixtures off = new AlertFixtures(dir.resolve("off.db"), Duration.ZERO);
        long a = off.record(trigger("ErrorFrequencyRule", "web.service/nginx", Severity.WARNING, T, "a"));
        long b = off.record(trigger("ErrorFrequencyRule", "web.service/nginx", Severity.WARNING, T.plusSeconds(1), "b"));
        SqliteAlertStore offStore = new SqliteAlertStore(off.db);
        assertThat(offStore.getAlert(a).groupParentId()).isNull();
        assertThat(offStore.getAlert(b).groupParentId()).isNull();
    }

    // ---- silences --------------------------------------------------------------------------------------------

    static SilenceRequest silence(String by, Instant starts, Instant ends, Duration d, String rule, String source,
                                  String minimum, String regex) {
        return new SilenceRequest(by, "maintenance", starts, ends, d, rule, source, null, null, minimum, regex);
    }

    @Test
    void silencesAreValidatedAndExpireOnTheirOwn() throws Exception {
        Instant now = clock.instant();
        assertThatThrownBy(() -> store.createSilence(silence(" ", null, null, Duration.ofHours(1), "r", null, null,
                null))).hasMessage("Invalid silence: created_by cannot be empty");
        assertThatThrownBy(() -> store.createSilence(silence("ops", null, null, Duration.ofHours(1), null, null,
                null, null))).hasMessageStartingWith("Invalid silence: at least one matcher is required");
        assertThatThrownBy(() -> store.createSilence(silence("ops", null, null, null, "r", null, null, null)))
                .hasMessage("Invalid silence: ends_at or a duration is required");
        assertThatThrownBy(() -> store.createSilence(silence("ops", null, now.minusSeconds(1), null, "r", null, null,
                null))).hasMessage("Invalid silence: ends_at must be after starts_at");
        assertThatThrownBy(() -> store.createSilence(silence("ops", now.minusSeconds(60), now.minusSeconds(1), null,
                "r", null, null, null))).hasMessage("Invalid silence: ends_at must be in the future");
        assertThatThrownBy(() -> store.createSilence(silence("ops", null, null, Duration.ofHours(1), null, null,
                "severe", null))).hasMessage("Invalid silence: minimum_severity must be one of info, warning, critical");
        assertThatThrownBy(() -> store.createSilence(silence("ops", null, null, Duration.ofHours(1), null, null, null,
                "[unclosed"))).hasMessageStartingWith("Invalid silence: message_regex is not a valid regular expression");
        assertThatThrownBy(() -> SilenceRequest.parseDuration("duration", "soon"))
                .hasMessage("Invalid silence: duration must be a duration such as 90m, 2h or 1d12h, not 'soon'");
        assertThat(SilenceRequest.parseDuration("duration", "1d12h30m")).isEqualTo(Duration.ofMinutes(36 * 60 + 30));
        assertThat(SilenceRequest.parseTime("ends_at", "2026-03-01T12:00:00+02:00"))
                .isEqualTo(Instant.parse("2026-03-01T10:00:00Z"));

        Silence active = store.createSilence(silence("ops", null, null, Duration.ofHours(2), "ErrorFrequencyRule",
                " web.service/nginx ", null, null));
        assertThat(active.state()).isEqualTo("active");
        assertThat(active.source()).isEqualTo("web.service/nginx");
        assertThat(active.startsAt()).isEqualTo(now);
        assertThat(active.endsAt()).isEqualTo(now.plus(Duration.ofHours(2)));
        Silence later = store.createSilence(silence("ops", now.plus(Duration.ofHours(1)), null, Duration.ofHours(1),
                null, null, "critical", null));
        assertThat(later.state()).isEqualTo("pending");
        try (Connection c = fx.db.connect()) {
            assertThat(SilenceTable.activeSilences(c, now)).extracting(Silence::id).containsExactly(active.id());
            assertThat(SilenceTable.activeSilences(c, now.plus(Duration.ofMinutes(90))))
                    .extracting(Silence::id).containsExactly(active.id(), later.id());
            assertThat(SilenceTable.activeSilences(c, now.plus(Duration.ofHours(2)))).isEmpty();
        }
        clock.advance(Duration.ofHours(2));
        assertThat(store.getSilence(active.id()).state()).isEqualTo("expired");
        assertThat(store.listSilences(false)).isEmpty();
        assertThat(store.listSilences(true)).extracting(Silence::id).containsExactly(later.id(), active.id());
        assertThatThrownBy(() -> store.expireSilence(active.id())).hasMessage("Silence " + active.id()
                + " is already expired");

        Silence third = store.createSilence(silence("ops", null, null, Duration.ofHours(1), null, null, null,
                "disk.*full"));
        Silence extended = store.updateSilence(third.id(), silence("", null, null, Duration.ofHours(5), null, null,
                null, "disk.*full"));
        assertThat(extended.createdBy()).isEqualTo("ops");
        assertThat(extended.endsAt()).isEqualTo(clock.instant().plus(Duration.ofHours(5)));
        clock.advance(Duration.ofMinutes(1));
        Silence expired = store.expireSilence(third.id());
        assertThat(expired.state()).isEqualTo("expired");
        assertThat(expired.expiredAt()).isEqualTo(clock.instant());
        assertThat(expired.endsAt()).isEqualTo(clock.instant());
        assertThatThrownBy(() -> store.updateSilence(third.id(), silence("ops", null, null, Duration.ofHours(1), "r",
                null, null, null))).hasMessage("Silence " + third.id() + " is already expired")
                .satisfies(e -> assertThat(kindOf(e)).isEqualTo(AlertException.Kind.CONFLICT));
        assertThatThrownBy(() -> store.getSilence(999)).hasMessage("Silence 999 does not exist");
        assertThatThrownBy(() -> store.expireSilence(999)).hasMessage("Silence 999 does not exist");
    }

    // ---- concurrency with other processes --------------------------------------------------------------------

    @Test
    @Timeout(60)
    void aLockHeldLongerThanTheBusyTimeoutIsWaitedOut() throws Exception {
        long r = root("web.service/nginx", Severity.WARNING, T, "x");
        CountDownLatch locked = new CountDownLatch(1);
        Thread holder = Thread.ofPlatform().start(() -> {
            try (Connection c = fx.db.connect(); Statement s = c.createStatement()) {
                s.execute("BEGIN IMMEDIATE");
                s.execute("UPDATE alert_candidates SET trigger_reason = trigger_reason");
                locked.countDown();
                Thread.sleep(Database.BUSY_TIMEOUT_MS + 1500);
                s.execute("COMMIT");
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        locked.await();
        long start = System.nanoTime();
        AgentReview review = store.appendAgentReview(r, "claude", "written after the lock is released");
        assertThat(System.nanoTime() - start).isGreaterThan(Duration.ofMillis(Database.BUSY_TIMEOUT_MS).toNanos());
        assertThat(review.body()).isEqualTo("written after the lock is released");
        holder.join();
    }

    // ---- JSON ------------------------------------------------------------------------------------------------

    @Test
    void jsonShapesUseTheReferenceNames() throws Exception {
        long r = root("web.service/nginx", Severity.WARNING, T, "upstream timed out");
        fx.analyzed("ErrorFrequencyRule", "web.service/nginx", Severity.WARNING, T.plusSeconds(1), "again");
        store.appendAgentReview(r, "claude", "ok");
        JsonNode rec = AlertJson.record(store.getAlert(r));
        assertThat(rec.propertyNames()).contains("id", "assessed_at", "created_at", "updated_at", "summary",
                "root_cause", "severity", "observation_confidence", "diagnosis_confidence", "recommendations",
                "evidence", "notification_title", "notification_body", "status", "status_reason", "silence_id",
                "delivery_attempted_at", "delivered_at", "failure_message", "analysis_status", "analysis_failure",
                "analysis", "triggered_by", "trigger_source", "trigger_reason", "log_event_count",
                "metrics_event_count", "disk_event_count", "log_events", "group_parent_id", "resolution_status",
                "resolved_at", "acknowledged", "acknowledged_at", "acknowledged_by", "similar_alert_count",
                "agent_review_count", "agent_reviews", "similar_alerts", "transitions");
        // empty lists are left out, as the original's serde does
        assertThat(rec.has("limitations")).isFalse();
        assertThat(rec.has("metrics_events")).isFalse();
        assertThat(rec.path("severity").asString()).isEqualTo("warning");
        assertThat(rec.path("log_events").get(0).path("message").asString()).isEqualTo("upstream timed out");
        assertThat(rec.path("similar_alerts").get(0).path("group_parent_id").asLong()).isEqualTo(r);
        assertThat(rec.path("analysis").path("backend").asString()).isEqualTo("mock");

        JsonNode page = AlertJson.page(store.listAlerts(AlertListRequest.defaults()));
        assertThat(page.propertyNames()).containsExactly("alerts", "counts", "groups_total", "page", "page_size",
                "total_pages");
        assertThat(page.path("counts").propertyNames()).containsExactly("total", "critical", "warning", "info");
        JsonNode search = AlertJson.searchPage(store.searchAlerts(AlertSearchRequest.all()));
        assertThat(search.propertyNames()).containsExactly("alerts", "total", "limit", "offset");
        assertThat(search.path("alerts").get(0).propertyNames()).contains("id", "group_parent_id", "assessed_at",
                "updated_at", "summary", "severity", "analysis_status", "resolution_status", "resolved_at",
                "triggered_by", "trigger_source", "similar_alert_count", "agent_review_count");
        AutoGroupRule rule = store.createAutoGroupRule(new AutoGroupRuleRequest(r, "nginx", null, null, null, "x"));
        assertThat(AlertJson.rule(rule).propertyNames()).containsExactly("id", "created_at", "target_alert_id",
                "process", "subsystem", "trigger_source", "triggered_by", "message_regex");
        assertThat(AlertJson.rule(rule).get("subsystem").isNull()).isTrue();
        Silence s = store.createSilence(silence("ops", null, null, Duration.ofHours(1), "R", null, null, null));
        assertThat(AlertJson.silence(s).propertyNames()).containsExactly("id", "created_at", "created_by", "comment",
                "starts_at", "ends_at", "expired_at", "state", "rule", "source", "process", "subsystem",
                "minimum_severity", "message_regex", "silenced_alerts");
        assertThat(AlertJson.review(store.appendAgentReview(r, "a", "b")).propertyNames())
                .containsExactly("id", "alert_id", "created_at", "agent_name", "review_type", "body");
        assertThat(AlertJson.error("nope").toString()).isEqualTo("{\"message\":\"nope\"}");
    }
}
