package dev.eyes.app;

import ch.qos.logback.classic.Level;
import dev.eyes.config.EyesConfig;
import dev.eyes.event.LogEvent;
import dev.eyes.store.Timestamps;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code eyes parse --format FORMAT FILE}: reads a captured tool output with the parser Eyes uses for it and prints
 * what it understood, one record per line (text, or JSON with {@code --json}) — for bug reports and for checking a
 * parser against a real capture. Nothing readable: a message and exit 1. Partly readable: the records, and on
 * stderr how many were skipped.
 */
@Command(name = "parse", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Parse a captured tool output and print what Eyes reads from it.")
final class ParseCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions configOptions = new ConfigOptions();

    @Option(names = "--format", paramLabel = "FORMAT", required = true,
            description = "journald-json, syslog, plain, oslog-json, oslog-ndjson, powermetrics-plist, top, vm_stat,"
                    + " memory_pressure, sysctl, iostat, proc-diskstats, proc-pressure, proc-meminfo, proc-stat,"
                    + " nvidia-smi-csv.")
    String format;

    @Option(names = "--json", description = "One JSON object per record.")
    boolean json;

    @Parameters(index = "0", paramLabel = "FILE", description = "The captured output (- for stdin).")
    Path file;

    @Override
    public Integer call() throws Exception {
        Logging.configure(configOptions.verbose, Level.WARN);
        String fmt = format.trim().toLowerCase(Locale.ROOT);
        if (!Parsers.FORMATS.contains(fmt)) {
            throw new UserError("--format must be one of " + String.join(", ", Parsers.FORMATS) + ", got \"" + format
                    + "\"");
        }
        EyesConfig config = configOptions.load().config();
        byte[] content;
        Instant modified;
        String name;
        try {
            if (file.toString().equals("-")) {
                content = System.in.readAllBytes();
                modified = Instant.now();
                name = "stdin";
            } else {
                if (Files.isDirectory(file)) {
                    throw new UserError("cannot read " + file + ": it is a directory");
                }
                content = Files.readAllBytes(file);
                modified = Files.getLastModifiedTime(file).toInstant();
                name = file.getFileName().toString();
            }
        } catch (java.nio.file.NoSuchFileException e) {
            throw new UserError("cannot read " + file + ": no such file");
        } catch (IOException e) {
            throw new UserError("cannot read " + file + ": " + e.getMessage());
        }
        Parsers.Parsed parsed = Parsers.parse(fmt, content, config, name, modified);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (parsed.records().isEmpty()) {
            throw new UserError(file + ": no " + fmt + " records found"
                    + (parsed.skipped() > 0 ? " (" + parsed.skipped() + " unreadable skipped)" : "")
                    + "; is it really " + fmt + " output?");
        }
        for (int i = 0; i < parsed.records().size(); i++) {
            ObjectNode n = parsed.records().get(i);
            if (json) {
                out.println(n);
            } else if (!parsed.logs().isEmpty()) {
                out.println(logLine(parsed.logs().get(i)));
            } else {
                out.println(textLine(n));
            }
        }
        out.flush();
        if (parsed.skipped() > 0) {
            err.printf(Locale.ROOT, "parse: %d records read, %d skipped as unreadable%n", parsed.records().size(),
                    parsed.skipped());
            err.flush();
        }
        return 0;
    }

    static String logLine(LogEvent e) {
        String where = e.subsystem().isEmpty() ? "" : " (" + e.subsystem()
                + (e.category().isEmpty() ? "" : "/" + e.category()) + ")";
        return Timestamps.format(e.timestamp()) + " " + e.messageType().wireName() + " "
                + (e.process().isEmpty() ? "?" : e.process()) + (e.processId() > 0 ? "[" + e.processId() + "]" : "")
                + where + ": " + e.message().replace("\n", "\\n");
    }

    /** {@code key=value} pairs; nested objects and arrays as compact JSON. */
    static String textLine(ObjectNode n) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, JsonNode> e : n.properties()) {
            if (!b.isEmpty()) {
                b.append(' ');
            }
            JsonNode v = e.getValue();
            b.append(e.getKey()).append('=');
            if (v.isString()) {
                String s = v.asString();
                b.append(s.contains(" ") || s.isEmpty() ? "\"" + s + "\"" : s);
            } else {
                b.append(v);
            }
        }
        return b.toString();
    }
}
