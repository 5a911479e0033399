package dev.eyes.source.metrics.linux;

import dev.eyes.source.metrics.Numbers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * CPU package power from Intel RAPL (also used for AMD by recent kernels) through the powercap framework:
 * {@code /sys/class/powercap/intel-rapl:N/energy_uj}, a cumulative energy counter in µJ that wraps at
 * {@code max_energy_range_uj}. Power = Δenergy / Δtime over the package zones ({@code name} = {@code package-N});
 * their sub-zones ({@code intel-rapl:N:M}: core, uncore, dram) are already included and are not added, and
 * {@code psys} (the whole platform) is not CPU power. Since Linux 5.10 {@code energy_uj} is readable by root only.
 */
public final class Rapl {
    private static final Pattern PACKAGE_ZONE = Pattern.compile("intel-rapl:\\d+");

    /** One package zone. */
    public record Zone(String id, String name, Path energy, long maxRange) {
    }

    /** Cumulative energy of every zone at one instant. */
    public record Reading(long nanoTime, long[] energyMicroJoules) {
    }

    private final Path powercap;
    private final List<Zone> zones;
    private final String unavailable;

    /** Finds the zones under {@code powercap} (normally {@code /sys/class/powercap}) and checks they can be read. */
    public Rapl(Path powercap) {
        this.powercap = powercap;
        List<Zone> found = new ArrayList<>();
        String why = null;
        if (!Files.isDirectory(powercap)) {
            why = "no RAPL: " + powercap + " does not exist (no powercap driver, as in most VMs)";
        } else {
            try (DirectoryStream<Path> dir = Files.newDirectoryStream(powercap)) {
                for (Path p : dir) {
                    String id = p.getFileName().toString();
                    if (!PACKAGE_ZONE.matcher(id).matches()) {
                        continue;
                    }
                    String name = readString(p.resolve("name"));
                    if (name == null || !name.startsWith("package")) {
                        continue;
                    }
                    long max = Numbers.parseLong(readString(p.resolve("max_energy_range_uj")), -1);
                    found.add(new Zone(id, name, p.resolve("energy_uj"), max));
                }
            } catch (IOException e) {
                why = "no RAPL: cannot list " + powercap + ": " + e.getMessage();
            }
            found.sort(java.util.Comparator.comparing(Zone::id));
            if (why == null && found.isEmpty()) {
                why = "no RAPL: " + powercap + " has no intel-rapl package zones";
            }
            if (why == null) {
                try {
                    for (Zone z : found) {
                        readEnergy(z);
                    }
                } catch (AccessDeniedException e) {
                    why = "RAPL present but " + e.getFile() + " is not readable (root only since Linux 5.10)";
                } catch (IOException | NumberFormatException e) {
                    why = "RAPL present but unreadable: " + e.getMessage();
                }
            }
        }
        this.zones = why == null ? List.copyOf(found) : List.of();
        this.unavailable = why;
    }

    public boolean available() {
        return unavailable == null;
    }

    /** Why RAPL cannot be used, or null. */
    public String unavailableReason() {
        return unavailable;
    }

    public List<Zone> zones() {
        return zones;
    }

    public Path powercap() {
        return powercap;
    }

    /** Reads every zone now; null when RAPL is unavailable or a read fails. */
    public Reading read(long nanoTime) {
        if (zones.isEmpty()) {
            return null;
        }
        long[] e = new long[zones.size()];
        try {
            for (int i = 0; i < e.length; i++) {
                e[i] = readEnergy(zones.get(i));
            }
        } catch (IOException | NumberFormatException ex) {
            return null;
        }
        return new Reading(nanoTime, e);
    }

    /**
     * Power in mW between two readings, summed over the zones; a counter that went down wrapped at its
     * {@code max_energy_range_uj}. Null when the readings do not match, no time passed, or a counter went down
     * without a known range (never a negative or made-up number).
     */
    public Double powerMw(Reading before, Reading after) {
        if (before == null || after == null || before.energyMicroJoules.length != after.energyMicroJoules.length
                || after.energyMicroJoules.length != zones.size()) {
            return null;
        }
        long dt = after.nanoTime - before.nanoTime;
        if (dt <= 0) {
            return null;
        }
        double joulesMicro = 0;
        for (int i = 0; i < zones.size(); i++) {
            Long d = delta(before.energyMicroJoules[i], after.energyMicroJoules[i], zones.get(i).maxRange);
            if (d == null) {
                return null;
            }
            joulesMicro += d;
        }
        // µJ per ns = kW; × 1e6 = mW
        return joulesMicro / dt * 1e6;
    }

    /** The energy consumed between two counter values, allowing one wrap at {@code maxRange}. */
    static Long delta(long before, long after, long maxRange) {
        if (after >= before) {
            return after - before;
        }
        if (maxRange <= 0 || before > maxRange) {
            return null;
        }
        return maxRange - before + after;
    }

    private static long readEnergy(Zone z) throws IOException {
        String s = Files.readString(z.energy(), StandardCharsets.ISO_8859_1).strip();
        long v = Numbers.parseLong(s, -1);
        if (v < 0) {
            throw new NumberFormatException(z.energy() + " holds \"" + s + "\", not a counter");
        }
        return v;
    }

    private static String readString(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8).strip();
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            return null;
        }
    }
}
