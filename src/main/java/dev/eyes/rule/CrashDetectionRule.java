package dev.eyes.rule;

import dev.eyes.event.Event;
import dev.eyes.event.LogEvent;
import dev.eyes.event.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Rule 3 of reference §7: a non-benign Error/Fault message containing a crash signature fires Critical for
 * its source. Matching is case-insensitive and whole-word: the characters around the match must not be
 * letters, digits or {@code _}, so "Crashpad", "abortGated" and "aborting" do not match. The 16 signatures of
 * the original, plus the Linux ones below, plus {@code [rules.crash] extra_keywords}.
 */
public final class CrashDetectionRule implements Rule {
    public static final String NAME = "CrashDetectionRule";

    /** The original's signatures (reference §7). */
    public static final List<String> ORIGINAL_KEYWORDS = List.of("crash", "crashed", "segmentation fault", "segfault",
            "kernel panic", "panic(cpu", "abort trap", "abort() called", "aborted due to signal",
            "terminated unexpectedly", "signal 11", "sigsegv", "sigabrt", "exc_bad_access",
            "termination reason: namespace signal", "fatal error");

    /** Linux additions: systemd core dumps, the OOM killer, kernel oopses. */
    public static final List<String> LINUX_KEYWORDS = List.of("core dumped", "code=dumped", "dumped core",
            "core-dump", "out of memory", "oom-kill", "general protection fault", "kernel bug", "oops");

    private final Pattern pattern;
    private final Duration window;
    private final BenignNoise benign;

    public CrashDetectionRule(List<String> extraKeywords, Duration evidenceWindow, BenignNoise benign) {
        List<String> all = new ArrayList<>(ORIGINAL_KEYWORDS);
        all.addAll(LINUX_KEYWORDS);
        all.addAll(extraKeywords);
        // longest first, so "crashed" is tried before "crash"
        all.sort((a, b) -> Integer.compare(b.length(), a.length()));
        this.pattern = Pattern.compile(all.stream().map(String::trim).filter(s -> !s.isEmpty()).map(Pattern::quote)
                .collect(Collectors.joining("|", "(?<![\\p{Alnum}_])(?:", ")(?![\\p{Alnum}_])")),
                Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        this.window = evidenceWindow;
        this.benign = benign;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The signature found in {@code message}, or null. */
    public String signature(String message) {
        Matcher m = pattern.matcher(message);
        return m.find() ? m.group() : null;
    }

    @Override
    public java.util.Set<Input> inputs() {
        return java.util.EnumSet.of(Input.LOG);
    }

    @Override
    public void onEvent(Event event, Firing out) {
        if (!(event instanceof LogEvent e) || !e.messageType().isErrorOrFault()) {
            return;
        }
        String found = signature(e.message());
        if (found == null || benign.isBenign(e)) {
            return;
        }
        LogSource key = LogSource.of(e);
        String source = key.displayName();
        Instant at = e.timestamp();
        if (out.coolingDown(NAME, source, at)) {
            return;
        }
        Instant from = at.minus(window);
        var logs = out.recent().logs(from, x -> x.messageType().isErrorOrFault() && key.matches(x)
                && !benign.isBenign(x), ErrorFrequencyRule.EVIDENCE_LIMIT);
        if (logs.isEmpty() || logs.getLast() != e) {
            List<LogEvent> withThis = new ArrayList<>(logs);
            withThis.add(e);
            logs = withThis;
        }
        var metrics = out.recent().metrics(from.minus(window), Evidence.METRICS_LIMIT);
        var disks = out.recent().disks(from.minus(window), d -> true, Evidence.DISK_LIMIT);
        out.fire(new Trigger(at, NAME, source, Severity.CRITICAL, "Rule '" + NAME + "' triggered for " + source
                + ": crash signature \"" + found + "\" in: \"" + ErrorFrequencyRule.abbreviate(e.message(), 200)
                + "\"", logs, metrics, disks));
    }
}
