package dev.eyes.source.metrics.linux;

import dev.eyes.source.metrics.Numbers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The memory limit of the cgroup Eyes runs in, for containers: when it is lower than the host's memory, "memory
 * used" is the container's, not the host's.
 *
 * <p>Finding the cgroup: {@code /proc/self/cgroup} names the process's cgroup per hierarchy, and
 * {@code /proc/self/mountinfo} where each hierarchy is mounted (and which part of it: inside a container the mount's
 * root is the container's own cgroup). The memory controller is
 * <ul>
 *   <li>cgroup v1: the {@code cgroup} mount whose options include {@code memory};</li>
 *   <li>cgroup v2: the {@code cgroup2} mount, when its {@code cgroup.controllers} lists {@code memory};</li>
 *   <li>hybrid (v1 controllers plus a v2 tree at {@code /sys/fs/cgroup/unified} without controllers): v1 wins,
 *       because that is where the memory controller is.</li>
 * </ul>
 * The limit is the smallest of the cgroup's and its ancestors' (up to the mount's root): v2 {@code memory.max}
 * ({@code max} = none), v1 {@code memory.limit_in_bytes} (a huge page-rounded number = none). Usage is the working
 * set, as {@code docker stats} and the kubelet count it: v2 {@code memory.current}, v1
 * {@code memory.usage_in_bytes}, minus {@code inactive_file} ({@code total_inactive_file} in v1) from
 * {@code memory.stat}. For v2, the cgroup's own {@code memory.pressure} is offered too.
 *
 * <p>Mount points are absolute paths; they are resolved against {@code fsRoot} so tests can lay out a tree.
 */
public final class CgroupMemory {
    /** A limit at or above this many bytes is "no limit" (v1 reports LONG_MAX rounded down to a page). */
    static final long UNLIMITED = 1L << 62;

    public enum Version {
        V1, V2
    }

    /** The memory cgroup of this process: where it is and what it holds now. */
    public record Snapshot(Version version, String cgroupPath, Path directory, long limitBytes, long usageBytes,
                           long workingSetBytes, Path pressureFile) {
        public boolean limited() {
            return limitBytes > 0 && limitBytes < UNLIMITED;
        }
    }

    private final Version version;
    private final String cgroupPath;
    private final Path directory;
    private final Path mountRoot;
    private final String problem;

    private CgroupMemory(Version version, String cgroupPath, Path directory, Path mountRoot, String problem) {
        this.version = version;
        this.cgroupPath = cgroupPath;
        this.directory = directory;
        this.mountRoot = mountRoot;
        this.problem = problem;
    }

    /** Locates the memory cgroup from {@code <proc>/self/cgroup} and {@code <proc>/self/mountinfo}. */
    public static CgroupMemory locate(Path proc, Path fsRoot) {
        String cgroups = read(proc.resolve("self/cgroup"));
        String mountinfo = read(proc.resolve("self/mountinfo"));
        if (cgroups == null || mountinfo == null) {
            return new CgroupMemory(null, null, null, null, "cannot read " + proc + "/self/cgroup or mountinfo");
        }
        String v1Path = null;
        String v2Path = null;
        for (String line : cgroups.split("\n")) {
            String[] f = line.strip().split(":", 3);
            if (f.length < 3) {
                continue;
            }
            if (f[0].equals("0") && f[1].isEmpty()) {
                v2Path = f[2];
            } else if (List.of(f[1].split(",")).contains("memory")) {
                v1Path = f[2];
            }
        }
        Mount v1 = null;
        Mount v2 = null;
        for (String line : mountinfo.split("\n")) {
            Mount m = Mount.parse(line);
            if (m == null) {
                continue;
            }
            if (m.fsType.equals("cgroup") && List.of(m.superOptions.split(",")).contains("memory") && v1 == null) {
                v1 = m;
            } else if (m.fsType.equals("cgroup2") && v2 == null) {
                v2 = m;
            }
        }
        if (v1 != null && v1Path != null) {
            return at(Version.V1, v1, v1Path, fsRoot);
        }
        if (v2 != null && v2Path != null) {
            Path mount = resolve(fsRoot, v2.mountPoint);
            String controllers = read(mount.resolve("cgroup.controllers"));
            if (controllers != null && List.of(controllers.strip().split("\\s+")).contains("memory")) {
                return at(Version.V2, v2, v2Path, fsRoot);
            }
            return new CgroupMemory(null, v2Path, null, null, "the cgroup v2 tree at " + v2.mountPoint
                    + " has no memory controller" + (v1 == null ? "" : " and no cgroup v1 memory path"));
        }
        return new CgroupMemory(null, null, null, null, "no memory cgroup is mounted");
    }

    private static CgroupMemory at(Version version, Mount mount, String path, Path fsRoot) {
        Path mountDir = resolve(fsRoot, mount.mountPoint);
        String rel = path;
        if (!mount.root.equals("/") && (path.equals(mount.root) || path.startsWith(mount.root + "/"))) {
            rel = path.substring(mount.root.length());
        }
        Path dir = mountDir;
        for (String part : rel.split("/")) {
            if (!part.isEmpty() && !part.equals("..") && !part.equals(".")) {
                dir = dir.resolve(part);
            }
        }
        if (!Files.isDirectory(dir)) {
            // e.g. a container without its own cgroup namespace that sees only its own cgroup mounted
            dir = mountDir;
        }
        return new CgroupMemory(version, path, dir, mountDir, null);
    }

    /** Why no memory cgroup was found, or null. */
    public String problem() {
        return problem;
    }

    public Version version() {
        return version;
    }

    /** Reads the limit and usage now; null when there is no memory cgroup or its files cannot be read. */
    public Snapshot read() {
        if (directory == null) {
            return null;
        }
        long limit = Long.MAX_VALUE;
        for (Path d = directory; d != null && d.startsWith(mountRoot); d = d.getParent()) {
            long l = version == Version.V2 ? parseLimit(read(d.resolve("memory.max")))
                    : parseLimit(read(d.resolve("memory.limit_in_bytes")));
            if (l > 0) {
                limit = Math.min(limit, l);
            }
            if (d.equals(mountRoot)) {
                break;
            }
        }
        long usage = Numbers.parseLong(strip(read(directory.resolve(version == Version.V2 ? "memory.current"
                : "memory.usage_in_bytes"))), -1);
        if (usage < 0) {
            return null;
        }
        long inactive = statValue(read(directory.resolve("memory.stat")),
                version == Version.V2 ? "inactive_file" : "total_inactive_file");
        if (inactive < 0 && version == Version.V1) {
            inactive = statValue(read(directory.resolve("memory.stat")), "inactive_file");
        }
        long workingSet = Math.max(0, usage - Math.max(0, inactive));
        Path pressure = version == Version.V2 && Files.isReadable(directory.resolve("memory.pressure"))
                ? directory.resolve("memory.pressure") : null;
        return new Snapshot(version, cgroupPath, directory, limit == Long.MAX_VALUE ? -1 : limit, usage, workingSet,
                pressure);
    }

    /** A limit in bytes; -1 for "max", "-1", unreadable or anything at or above {@link #UNLIMITED}. */
    static long parseLimit(String s) {
        if (s == null) {
            return -1;
        }
        long v = Numbers.parseLong(s.strip(), -1);
        return v <= 0 || v >= UNLIMITED ? -1 : v;
    }

    private static long statValue(String stat, String key) {
        if (stat == null) {
            return -1;
        }
        for (String line : stat.split("\n")) {
            int sp = line.indexOf(' ');
            if (sp > 0 && line.substring(0, sp).equals(key)) {
                return Numbers.parseLong(line.substring(sp + 1).strip(), -1);
            }
        }
        return -1;
    }

    private static String strip(String s) {
        return s == null ? null : s.strip();
    }

    private static Path resolve(Path fsRoot, String absolute) {
        Path p = fsRoot;
        for (String part : absolute.split("/")) {
            if (!part.isEmpty()) {
                p = p.resolve(part);
            }
        }
        return p;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** One line of mountinfo: {@code id parent maj:min root mountpoint opts [optional…] - fstype source superopts}. */
    private record Mount(String root, String mountPoint, String fsType, String superOptions) {
        static Mount parse(String line) {
            String[] f = line.strip().split(" ");
            int dash = -1;
            for (int i = 6; i < f.length; i++) {
                if (f[i].equals("-")) {
                    dash = i;
                    break;
                }
            }
            if (dash < 0 || dash + 1 >= f.length) {
                return null;
            }
            String superOpts = dash + 3 < f.length ? f[dash + 3] : "";
            return new Mount(unescape(f[3]), unescape(f[4]), f[dash + 1], superOpts);
        }

        /** mountinfo escapes space, tab, newline and backslash as \ooo octal. */
        private static String unescape(String s) {
            if (s.indexOf('\\') < 0) {
                return s;
            }
            StringBuilder b = new StringBuilder(s.length());
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '\\' && i + 3 < s.length() && isOctal(s, i + 1) && isOctal(s, i + 2) && isOctal(s, i + 3)) {
                    b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                    i += 3;
                } else {
                    b.append(c);
                }
            }
            return b.toString();
        }

        private static boolean isOctal(String s, int i) {
            return i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '7';
        }
    }
}
