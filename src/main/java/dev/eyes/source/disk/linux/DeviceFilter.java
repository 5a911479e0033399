package dev.eyes.source.disk.linux;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Which devices of {@code /proc/diskstats} are reported: not those matching a {@code metrics.disk_exclude} glob
 * ({@code *}, {@code ?}, {@code [abc]}; default {@code loop*}, {@code ram*}, {@code zram*}), and not partitions
 * (their I/O is already counted on their disk, and two devices spiking for one cause would fire twice). A device
 * is a whole disk when {@code /sys/block/<name>} exists ({@code /} in a name is {@code !} there); when
 * {@code /sys/block} cannot be read, partitions cannot be told apart and every device is kept.
 */
public final class DeviceFilter implements Predicate<String> {
    private final List<Pattern> exclude;
    private final Path sysBlock;
    private final boolean knowsDisks;

    public DeviceFilter(List<String> excludeGlobs, Path sysBlock) {
        this.exclude = excludeGlobs.stream().map(DeviceFilter::globPattern).toList();
        this.sysBlock = sysBlock;
        this.knowsDisks = sysBlock != null && Files.isDirectory(sysBlock);
    }

    @Override
    public boolean test(String name) {
        for (Pattern p : exclude) {
            if (p.matcher(name).matches()) {
                return false;
            }
        }
        return !knowsDisks || Files.exists(sysBlock.resolve(name.replace('/', '!')));
    }

    /** A shell-style glob as a regex: {@code *} any run, {@code ?} one character, {@code [...]} a class. */
    public static Pattern globPattern(String g) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < g.length(); i++) {
            char c = g.charAt(i);
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                case '[' -> {
                    int close = g.indexOf(']', i + 2);
                    if (close < 0) {
                        re.append("\\[");
                    } else {
                        String body = g.substring(i + 1, close);
                        boolean neg = body.startsWith("!");
                        if (neg) {
                            body = body.substring(1);
                        }
                        re.append('[').append(neg ? "^" : "").append(body.replace("\\", "\\\\").replace("[", "\\["))
                                .append(']');
                        i = close;
                    }
                }
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        try {
            return Pattern.compile(re.toString());
        } catch (java.util.regex.PatternSyntaxException e) {
            return Pattern.compile(Pattern.quote(g));
        }
    }
}
