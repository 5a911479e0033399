package dev.eyes.rule;

import dev.eyes.config.EyesConfig;
import dev.eyes.config.RulesConfig;
import dev.eyes.event.Event;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Runs every enabled rule on the events it looks at, applies the per-(rule, source) cooldown, and hands each
 * trigger on. Owned by the event-loop thread; {@link #evaluations()} may be read from any thread.
 *
 * <p>The rule set can be replaced while running ({@link #reconfigure}, on the loop thread, e.g. after SIGHUP):
 * a rule whose settings did not change keeps its object and so its windows; a new or changed rule is primed from
 * the rolling buffers with firing switched off, so it knows the recent past but does not fire on events that were
 * already judged.
 */
public final class TriggerEngine {
    /** Notified of every trigger; receives it after its cooldown was stamped. */
    public interface Listener {
        void onTrigger(Trigger trigger);

        /** A rule's condition held but its (rule, source) was cooling down. */
        default void onSuppressed(String rule, String source) {
        }
    }

    /**
     * How to build one rule, and the settings it is built from: two definitions with the same name and equal
     * settings build rules that behave the same, so a reload keeps the running one.
     *
     * @param settings compared with {@link Objects#equals}; null means "never equal" (always rebuilt)
     */
    public record Definition(String name, Object settings, Supplier<Rule> factory) {
    }

    /** What a {@link #reconfigure} did, by rule name. */
    public record Reconfigured(List<String> kept, List<String> added, List<String> changed, List<String> removed,
                               boolean cooldownChanged) {
        public boolean rulesChanged() {
            return !added.isEmpty() || !changed.isEmpty() || !removed.isEmpty();
        }

        /** "added A, changed B, removed C" (the empty parts left out), for the reload's log line. */
        public String describe() {
            List<String> parts = new ArrayList<>();
            if (!added.isEmpty()) {
                parts.add("added " + String.join(", ", added));
            }
            if (!changed.isEmpty()) {
                parts.add("changed " + String.join(", ", changed));
            }
            if (!removed.isEmpty()) {
                parts.add("removed " + String.join(", ", removed));
            }
            return String.join(", ", parts);
        }
    }

    /** A running rule with what it was built from, and the event counts per input when it was installed. */
    private record Installed(Rule rule, Object settings, long[] startCounts) {
    }

    private static final Rule.Input[] INPUTS = Rule.Input.values();

    private volatile List<Installed> installed;
    private final EnumMap<Rule.Input, Rule[]> byInput = new EnumMap<>(Rule.Input.class);
    /** Events handed to the rules, per input kind; written only by the loop thread. */
    private final AtomicLongArray seen = new AtomicLongArray(INPUTS.length);
    /** Evaluations of rules that were replaced or removed, so the per-rule totals never go down. */
    private final Map<String, Long> retired = new ConcurrentHashMap<>();
    private Cooldowns cooldowns;
    private RecentEvents recent;
    private final Listener listener;
    private final Rule.Firing firing = new Rule.Firing() {
        @Override
        public boolean coolingDown(String rule, String source, Instant at) {
            boolean active = cooldowns.active(Trigger.cooldownKey(rule, source), at);
            if (active) {
                listener.onSuppressed(rule, source);
            }
            return active;
        }

        @Override
        public RecentEvents recent() {
            return recent;
        }

        @Override
        public void fire(Trigger trigger) {
            cooldowns.stamp(trigger.cooldownKey(), trigger.timestamp());
            listener.onTrigger(trigger);
        }
    };

    public TriggerEngine(List<Rule> rules, Cooldowns cooldowns, RecentEvents recent, Listener listener) {
        this.cooldowns = cooldowns;
        this.recent = recent;
        this.listener = listener;
        List<Installed> list = new ArrayList<>();
        for (Rule r : rules) {
            list.add(new Installed(r, null, new long[INPUTS.length]));
        }
        install(list);
    }

    /** An engine built from definitions, so that a later {@link #reconfigure} can keep unchanged rules. */
    public static TriggerEngine of(List<Definition> definitions, Cooldowns cooldowns, RecentEvents recent,
                                   Listener listener) {
        TriggerEngine e = new TriggerEngine(List.of(), cooldowns, recent, listener);
        List<Installed> list = new ArrayList<>();
        for (Definition d : definitions) {
            list.add(new Installed(d.factory().get(), d.settings(), new long[INPUTS.length]));
        }
        e.install(list);
        return e;
    }

    /** A listener that only forwards triggers. */
    public static Listener listener(Consumer<Trigger> onTrigger) {
        return onTrigger::accept;
    }

    private void install(List<Installed> list) {
        for (Rule.Input in : INPUTS) {
            List<Rule> rs = new ArrayList<>();
            for (Installed i : list) {
                if (i.rule().inputs().contains(in)) {
                    rs.add(i.rule());
                }
            }
            byInput.put(in, rs.toArray(Rule[]::new));
        }
        installed = List.copyOf(list);
    }

    public void onEvent(Event event) {
        Rule.Input in = Rule.Input.of(event);
        int k = in.ordinal();
        seen.lazySet(k, seen.get(k) + 1); // single writer: a plain increment, published without a fence
        for (Rule r : byInput.get(in)) {
            r.onEvent(event, firing);
        }
    }

    public List<Rule> rules() {
        List<Rule> out = new ArrayList<>();
        for (Installed i : installed) {
            out.add(i.rule());
        }
        return out;
    }

    public Cooldowns cooldowns() {
        return cooldowns;
    }

    /** Restores persisted cooldown stamps (key → time it last fired). */
    public void restoreCooldowns(Map<String, Instant> stamps) {
        cooldowns.restore(stamps);
    }

    /**
     * Events each rule has looked at since Eyes started (only the kinds it reads: the crash rule counts log
     * events, the disk rule disk samples), by rule name, including rules that were since replaced by a reload.
     * Safe from any thread.
     */
    public Map<String, Long> evaluations() {
        Map<String, Long> out = new LinkedHashMap<>(retired);
        for (Installed i : installed) {
            out.merge(i.rule().name(), evaluated(i), Long::sum);
        }
        return out;
    }

    private long evaluated(Installed i) {
        long n = 0;
        for (Rule.Input in : i.rule().inputs()) {
            n += seen.get(in.ordinal()) - i.startCounts()[in.ordinal()];
        }
        return n;
    }

    /**
     * Replaces the rule set and the cooldown length; call on the loop thread. Rules with the same name and
     * equal settings keep running untouched. A new or changed rule is fed {@code history} (the rolling buffers,
     * oldest first) with firing off, so its windows reflect the recent past. Cooldown stamps are kept.
     *
     * @param recent the buffers evidence comes from from now on (they may have been resized)
     */
    public Reconfigured reconfigure(List<Definition> definitions, Duration cooldown, RecentEvents recent,
                                    List<? extends Event> history) {
        Map<String, Installed> old = new LinkedHashMap<>();
        for (Installed i : installed) {
            old.put(i.rule().name(), i);
        }
        List<String> kept = new ArrayList<>();
        List<String> added = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        List<Installed> next = new ArrayList<>();
        List<Rule> fresh = new ArrayList<>();
        long[] now = new long[INPUTS.length];
        for (int k = 0; k < now.length; k++) {
            now[k] = seen.get(k);
        }
        for (Definition d : definitions) {
            Installed prev = old.remove(d.name());
            if (prev != null && d.settings() != null && d.settings().equals(prev.settings())) {
                next.add(prev);
                kept.add(d.name());
                continue;
            }
            if (prev != null) {
                retire(prev);
                changed.add(d.name());
            } else {
                added.add(d.name());
            }
            Rule r = d.factory().get();
            fresh.add(r);
            next.add(new Installed(r, d.settings(), now.clone()));
        }
        List<String> removed = new ArrayList<>(old.keySet());
        old.values().forEach(this::retire);
        this.recent = recent;
        prime(fresh, recent, history);
        boolean cooldownChanged = !cooldowns.cooldown().equals(cooldown);
        if (cooldownChanged) {
            cooldowns = cooldowns.withCooldown(cooldown);
        }
        install(next);
        return new Reconfigured(kept, added, changed, removed, cooldownChanged);
    }

    private void retire(Installed i) {
        retired.merge(i.rule().name(), evaluated(i), Long::sum);
    }

    /** Feeds past events to new rules with firing off: they update their windows, and every firing is dropped. */
    private static void prime(List<Rule> rules, RecentEvents recent, List<? extends Event> history) {
        if (rules.isEmpty()) {
            return;
        }
        Rule.Firing silent = new Rule.Firing() {
            @Override
            public boolean coolingDown(String rule, String source, Instant at) {
                return true; // treated as already fired: no evidence is gathered, nothing fires
            }

            @Override
            public RecentEvents recent() {
                return recent;
            }

            @Override
            public void fire(Trigger trigger) {
                // priming never fires
            }
        };
        for (Event e : history) {
            Rule.Input in = Rule.Input.of(e);
            for (Rule r : rules) {
                if (r.inputs().contains(in)) {
                    r.onEvent(e, silent);
                }
            }
        }
    }

    /** The built-in rules that the configuration enables, in a fixed order. */
    public static List<Rule> rulesFor(EyesConfig config) {
        List<Rule> rules = new ArrayList<>();
        for (Definition d : definitionsFor(config)) {
            rules.add(d.factory().get());
        }
        return rules;
    }

    /**
     * The definitions of the rules the configuration enables, in a fixed order, each with exactly the settings it
     * reads (so a reload that changes, say, only the disk thresholds rebuilds only the disk rule).
     */
    public static List<Definition> definitionsFor(EyesConfig config) {
        RulesConfig rc = config.rules();
        List<String> benignPatterns = rc.benign().patterns().stream().map(Pattern::pattern).toList();
        Supplier<BenignNoise> benign = () -> new BenignNoise(rc.benign().patterns());
        Duration window = Duration.ofSeconds(config.triggers().errorWindowSeconds());
        int maxSize = config.buffer().maxSize();
        List<Definition> defs = new ArrayList<>();
        if (rc.errorFrequency().enabled()) {
            int threshold = config.triggers().errorThreshold();
            defs.add(new Definition(ErrorFrequencyRule.NAME, List.of(threshold, window, maxSize, benignPatterns),
                    () -> new ErrorFrequencyRule(threshold, window, maxSize, benign.get())));
        }
        if (rc.crash().enabled()) {
            List<String> extra = rc.crash().extraKeywords();
            defs.add(new Definition(CrashDetectionRule.NAME, List.of(extra, window, benignPatterns),
                    () -> new CrashDetectionRule(extra, window, benign.get())));
        }
        if (rc.memoryPressure().enabled()) {
            var threshold = config.triggers().memoryThreshold();
            Duration age = Duration.ofSeconds(config.buffer().maxAgeSeconds());
            defs.add(new Definition(MemoryPressureRule.NAME, List.of(threshold, age, benignPatterns),
                    () -> new MemoryPressureRule(threshold, age, benign.get())));
        }
        if (rc.resourceSpike().enabled()) {
            RulesConfig.ResourceSpike rs = rc.resourceSpike();
            defs.add(new Definition(ResourceSpikeRule.NAME, List.of(rs, maxSize, benignPatterns),
                    () -> new ResourceSpikeRule(Duration.ofSeconds(rs.comparisonWindowSeconds()), rs.cpuPowerDeltaMw(),
                            rs.gpuPowerDeltaMw(), rs.cpuUsageDeltaPercent(), maxSize, benign.get())));
        }
        if (rc.diskIoSpike().enabled()) {
            RulesConfig.DiskIoSpike ds = rc.diskIoSpike();
            defs.add(new Definition(DiskIOSpikeRule.NAME, List.of(ds, maxSize, benignPatterns),
                    () -> new DiskIOSpikeRule(Duration.ofSeconds(ds.comparisonWindowSeconds()), ds.readDeltaKbPerSec(),
                            ds.writeDeltaKbPerSec(), maxSize, benign.get())));
        }
        return defs;
    }

    public static Cooldowns cooldownsFor(EyesConfig config) {
        return new Cooldowns(cooldownFor(config));
    }

    public static Duration cooldownFor(EyesConfig config) {
        return Duration.ofSeconds(config.triggers().cooldownSeconds());
    }
}
