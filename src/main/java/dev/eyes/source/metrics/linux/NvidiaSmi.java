package dev.eyes.source.metrics.linux;

import dev.eyes.source.metrics.Numbers;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * NVIDIA GPU usage and power from {@code nvidia-smi --query-gpu=… --format=csv[,noheader][,nounits]}.
 *
 * <p>Eyes asks for {@link #QUERY} with a header and without units, so columns are found by name whatever order or
 * extra columns a driver prints. The parser also reads other captures: with units ({@code 631.95 W},
 * {@code 100 %}), without a header (then the columns are taken to be {@link #QUERY}), and with hundreds of columns.
 * Values like {@code [N/A]}, {@code [Not Supported]} or {@code [Requested functionality has been deprecated]}
 * are absent, never zero. Power is {@code power.draw} (else {@code power.draw.average}, else
 * {@code power.draw.instant}), in W.
 *
 * <p>Several GPUs: usage is the busiest GPU's; power is the sum, reported only when every GPU reports it.
 */
public final class NvidiaSmi {
    /** The fields Eyes queries. */
    public static final List<String> QUERY = List.of("index", "name", "utilization.gpu", "power.draw");
    private static final List<String> POWER_FIELDS = List.of("power.draw", "power.draw.average", "power.draw.instant");

    private NvidiaSmi() {
    }

    /** One GPU's reading; null fields were not reported. */
    public record Gpu(String index, String name, Double utilizationPercent, Double powerWatts) {
    }

    /** All GPUs of one output, and how many data lines could not be read. */
    public record Parsed(List<Gpu> gpus, int skipped) {
    }

    /** What the metrics sample gets: the busiest GPU's usage and the total power, each null when unknown. */
    public record Summary(Double usagePercent, Double powerMw, int gpus) {
    }

    /** The command for one reading; with {@code loopSeconds} > 0, nvidia-smi repeats it every so many seconds. */
    public static List<String> command(String nvidiaSmi, int loopSeconds) {
        List<String> cmd = new ArrayList<>(List.of(nvidiaSmi, "--query-gpu=" + String.join(",", QUERY),
                "--format=csv,nounits"));
        if (loopSeconds > 0) {
            cmd.add("-l");
            cmd.add(Integer.toString(loopSeconds));
        }
        return cmd;
    }

    /** Parses a whole output. */
    public static Parsed parse(String text) {
        LineParser p = new LineParser();
        List<Gpu> gpus = new ArrayList<>();
        if (text != null) {
            for (String line : text.split("\n")) {
                Gpu g = p.line(line);
                if (g != null) {
                    gpus.add(g);
                }
            }
        }
        return new Parsed(List.copyOf(gpus), p.skipped());
    }

    public static Summary summarize(List<Gpu> gpus) {
        if (gpus.isEmpty()) {
            return new Summary(null, null, 0);
        }
        Double usage = null;
        double power = 0;
        boolean allPower = true;
        for (Gpu g : gpus) {
            if (g.utilizationPercent() != null && (usage == null || g.utilizationPercent() > usage)) {
                usage = g.utilizationPercent();
            }
            if (g.powerWatts() == null) {
                allPower = false;
            } else {
                power += g.powerWatts() * 1000.0;
            }
        }
        // a reading so large that the sum in mW overflows to Infinity is no reading
        return new Summary(usage, allPower && Double.isFinite(power) ? power : null, gpus.size());
    }

    /** Reads lines one at a time (a header line sets the columns). Single-threaded. */
    public static final class LineParser {
        private Map<String, Integer> columns = positional();
        private int width = QUERY.size();
        private int skipped;

        private static Map<String, Integer> positional() {
            Map<String, Integer> m = new HashMap<>();
            for (int i = 0; i < QUERY.size(); i++) {
                m.put(QUERY.get(i), i);
            }
            return m;
        }

        public int skipped() {
            return skipped;
        }

        /** A GPU reading, or null for a header, a blank line or a line that cannot be read (counted). */
        public Gpu line(String raw) {
            String line = raw.strip();
            if (line.isEmpty()) {
                return null;
            }
            String[] cells = line.split(",", -1);
            if (isHeader(cells)) {
                Map<String, Integer> m = new HashMap<>();
                for (int i = 0; i < cells.length; i++) {
                    m.putIfAbsent(fieldName(cells[i]), i);
                }
                columns = m;
                width = cells.length;
                return null;
            }
            if (cells.length != width) {
                skipped++;
                return null;
            }
            String index = cell(cells, "index");
            String name = cell(cells, "name");
            Double util = Numbers.leadingNumber(cell(cells, "utilization.gpu"));
            if (util != null && (util < 0 || util > 100)) {
                util = null;
            }
            Double power = null;
            for (String f : POWER_FIELDS) {
                power = Numbers.leadingNumber(cell(cells, f));
                if (power != null) {
                    break;
                }
            }
            if (power != null && power < 0) {
                power = null;
            }
            boolean hasUtil = columns.containsKey("utilization.gpu");
            boolean hasPower = POWER_FIELDS.stream().anyMatch(columns::containsKey);
            if (!hasUtil && !hasPower) {
                skipped++;
                return null;
            }
            return new Gpu(index == null ? "" : index, name == null ? "" : name, util, power);
        }

        private String cell(String[] cells, String field) {
            Integer i = columns.get(field);
            return i == null || i >= cells.length ? null : cells[i].strip();
        }

        private static boolean isHeader(String[] cells) {
            for (String c : cells) {
                String f = fieldName(c);
                if (f.equals("utilization.gpu") || f.startsWith("power.draw") || f.equals("index")
                        || f.equals("timestamp") || f.equals("pci.bus_id")) {
                    return true;
                }
            }
            return false;
        }

        /** {@code "utilization.gpu [%]"} → {@code "utilization.gpu"}. */
        private static String fieldName(String cell) {
            String c = cell.strip();
            int bracket = c.indexOf(" [");
            return (bracket > 0 ? c.substring(0, bracket) : c).toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The latest reading of each GPU from a looping {@code nvidia-smi -l N}, for the sampler to read at its own
     * pace. Readings older than the staleness limit are ignored (nvidia-smi stalled or exited).
     */
    public static final class Tracker {
        private record Seen(Gpu gpu, long nanoTime) {
        }

        private final Map<String, Seen> latest = new ConcurrentHashMap<>();
        private final LineParser parser = new LineParser();

        /** Called from the nvidia-smi reader thread. */
        public void onLine(String line, long nanoTime) {
            Gpu g;
            synchronized (parser) {
                g = parser.line(line);
            }
            if (g != null) {
                latest.put(g.index().isEmpty() ? g.name() : g.index(), new Seen(g, nanoTime));
            }
        }

        /** The GPUs seen within {@code maxAgeNanos} of {@code nowNanos}, or null when none. */
        public Summary summary(long nowNanos, long maxAgeNanos) {
            List<Gpu> fresh = new ArrayList<>();
            for (Seen s : latest.values()) {
                if (nowNanos - s.nanoTime <= maxAgeNanos) {
                    fresh.add(s.gpu);
                }
            }
            return fresh.isEmpty() ? null : summarize(fresh);
        }
    }
}
