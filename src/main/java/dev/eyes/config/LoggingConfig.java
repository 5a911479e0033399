package dev.eyes.config;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code [logging]}: which system logs to follow.
 *
 * @param predicate        macOS {@code log stream --predicate} (original key)
 * @param sources          auto | journald | oslog | none; auto = journald on Linux, oslog on macOS
 * @param journaldPriority passed to {@code journalctl -p}: a name (emerg..debug), a number 0..7 or a range like 0..3
 * @param journaldDirectory a journal directory to read ({@code journalctl -D}) instead of the system journal; "" = system
 * @param journaldNamespace a journald namespace to read ({@code journalctl --namespace}); "" = the default one
 * @param files            text or JSON log files to tail ({@code [[logging.files]]})
 * @param errorKeywords    words that mark a syslog/plain line without a priority as an error (whole-word, case-insensitive)
 */
public record LoggingConfig(String predicate, List<String> sources, String journaldPriority, String journaldDirectory,
                            String journaldNamespace, List<FileSource> files, List<String> errorKeywords) {

    public static final String DEFAULT_PREDICATE = "messageType == error OR messageType == fault";
    public static final List<String> DEFAULT_ERROR_KEYWORDS = List.of("error", "errors", "fail", "failed", "failure",
            "failing", "fatal", "panic", "segfault", "segmentation fault", "denied", "refused", "critical", "crash",
            "crashed", "abort", "aborted", "exception", "timed out", "unreachable", "out of memory", "i/o error",
            "corrupt", "corrupted");

    /** One {@code [[logging.files]]} entry. format: syslog | journald-json | plain (| oslog-json | oslog-ndjson). */
    public record FileSource(Path path, String format) {
    }

    public static LoggingConfig defaults() {
        return new LoggingConfig(DEFAULT_PREDICATE, List.of("auto"), "err", "", "", List.of(), DEFAULT_ERROR_KEYWORDS);
    }
}
