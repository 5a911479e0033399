package dev.eyes.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Which whole-disk device holds a path on this Linux host, from /proc/self/mountinfo, /proc/diskstats and /sys. */
public final class BlockDevices {
    private BlockDevices() {
    }

    /** The disk (as named in /proc/diskstats, partitions resolved to their disk) that holds {@code path}. */
    public static Optional<String> diskOf(Path path) throws IOException {
        Path real = path.toRealPath();
        String best = null;
        String devId = null;
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] f = line.split(" ");
            if (f.length < 5) {
                continue;
            }
            String mount = f[4].replace("\\040", " ");
            if ((real.startsWith(mount)) && (best == null || mount.length() >= best.length())) {
                best = mount;
                devId = f[2];
            }
        }
        if (devId == null || devId.startsWith("0:")) {
            return Optional.empty(); // tmpfs, overlay …: no block device
        }
        String[] mm = devId.split(":");
        for (String line : Files.readAllLines(Path.of("/proc/diskstats"))) {
            String[] f = line.strip().split("\\s+");
            if (f.length > 3 && f[0].equals(mm[0]) && f[1].equals(mm[1])) {
                String name = f[2];
                Path cls = Path.of("/sys/class/block", name.replace('/', '!'));
                if (Files.exists(cls.resolve("partition"))) {
                    return Optional.of(cls.toRealPath().getParent().getFileName().toString().replace('!', '/'));
                }
                return Optional.of(name);
            }
        }
        return Optional.empty();
    }

    /** A directory on a real disk: the temp dir when it is on one, else the build directory. */
    public static Path scratchOnDisk() throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        if (diskOf(tmp).isPresent()) {
            return tmp;
        }
        Path target = Path.of("target").toAbsolutePath();
        Files.createDirectories(target);
        return target;
    }
}
