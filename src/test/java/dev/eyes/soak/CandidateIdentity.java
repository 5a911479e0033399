package dev.eyes.soak;

import dev.eyes.store.Timestamps;
import dev.eyes.testing.Sql;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** R2's reading of the stored candidates: how many, and which were stored twice. */
record CandidateIdentity(int total, int burstsWithCandidate, List<String> duplicates) {
    private static final java.util.regex.Pattern MESSAGE =
            java.util.regex.Pattern.compile("\"message\":\"((?:[^\"\\\\]|\\\\.)*)\"");

    /**
     * Identity as the store defines it: a candidate is its cooldown key (rule and source) — which fires at most
     * once per {@code triggers.cooldown_seconds} of event time, a rule the store keeps across restarts — plus
     * its evidence. So two candidates are one stored twice when they share a key and their trigger times are
     * less than the cooldown apart (or equal), or when they share a key and any evidence entry.
     */
    static CandidateIdentity read(Path db, int bursts, Duration cooldown) throws Exception {
        List<Map<String, Object>> rows = Sql.query(db,
                "SELECT id, trigger_rule, trigger_source, triggered_at FROM alert_candidates ORDER BY id");
        List<String> duplicates = new ArrayList<>();
        Map<String, List<Map<String, Object>>> byKey = new HashMap<>();
        for (Map<String, Object> r : rows) {
            byKey.computeIfAbsent(r.get("trigger_rule") + "|" + r.get("trigger_source"), k -> new ArrayList<>())
                    .add(r);
        }
        byKey.forEach((key, list) -> {
            for (int i = 0; i < list.size(); i++) {
                for (int j = i + 1; j < list.size(); j++) {
                    java.time.Instant a = Timestamps.parse((String) list.get(i).get("triggered_at"));
                    java.time.Instant b = Timestamps.parse((String) list.get(j).get("triggered_at"));
                    if (Duration.between(a, b).abs().compareTo(cooldown) < 0) {
                        duplicates.add("#" + list.get(i).get("id") + " and #" + list.get(j).get("id") + " (" + key
                                + ", " + Duration.between(a, b).abs().toMillis() + " ms apart)");
                    }
                }
            }
        });
        Map<String, Long> evidence = new HashMap<>();
        for (Map<String, Object> r : Sql.query(db, """
                SELECT c.id, c.trigger_rule, c.trigger_source, e.payload FROM alert_candidates c
                JOIN alert_candidate_context_events e ON e.candidate_id = c.id AND e.event_kind = 'log'
                ORDER BY c.id, e.position""")) {
            long id = ((Number) r.get("id")).longValue();
            java.util.regex.Matcher m = MESSAGE.matcher((String) r.get("payload"));
            if (!m.find()) {
                continue;
            }
            String key = r.get("trigger_rule") + "|" + r.get("trigger_source") + "|" + m.group(1);
            Long other = evidence.putIfAbsent(key, id);
            if (other != null && other != id) {
                duplicates.add("#" + id + " and #" + other + " share evidence " + m.group(1));
            }
        }
        int withCandidate = 0;
        for (int k = 0; k < bursts; k++) {
            if (byKey.containsKey("ErrorFrequencyRule|" + CrashConsistency.burstSource(k))) {
                withCandidate++;
            }
        }
        return new CandidateIdentity(rows.size(), withCandidate, duplicates.stream().distinct().limit(20).toList());
    }
}
