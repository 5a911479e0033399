package dev.eyes.source.metrics.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cgroup v1, v2 and hybrid layouts, laid out as files (the mountinfo lines are of the real kernels' form). */
class CgroupMemoryTest {

    private static Path write(Path p, String text) throws IOException {
        Files.createDirectories(p.getParent());
        return Files.writeString(p, text);
    }

    @Test
    void v2InAContainerWithItsOwnNamespace(@TempDir Path root) throws IOException {
        Path proc = root.resolve("proc");
        write(proc.resolve("self/cgroup"), "0::/\n");
        write(proc.resolve("self/mountinfo"), """
                610 609 0:58 / / rw,relatime master:280 - overlay overlay rw,lowerdir=/x
                620 610 0:62 / /sys/fs/cgroup ro,nosuid,nodev,noexec,relatime - cgroup2 cgroup rw,nsdelegate
                """);
        Path cg = root.resolve("sys/fs/cgroup");
        write(cg.resolve("cgroup.controllers"), "cpuset cpu io memory hugetlb pids\n");
        write(cg.resolve("memory.max"), "536870912\n");
        write(cg.resolve("memory.current"), "300000000\n");
        write(cg.resolve("memory.stat"), "anon 100\nfile 200\ninactive_file 100000000\nactive_file 5\n");
        write(cg.resolve("memory.pressure"), "some avg10=12.00 avg60=1 avg300=0 total=5\n");
        CgroupMemory m = CgroupMemory.locate(proc, root);
        assertThat(m.problem()).isNull();
        assertThat(m.version()).isEqualTo(CgroupMemory.Version.V2);
        CgroupMemory.Snapshot s = m.read();
        assertThat(s.limited()).isTrue();
        assertThat(s.limitBytes()).isEqualTo(536870912L);
        assertThat(s.usageBytes()).isEqualTo(300000000L);
        assertThat(s.workingSetBytes()).isEqualTo(200000000L);
        assertThat(s.pressureFile()).isEqualTo(cg.resolve("memory.pressure"));
    }

    @Test
    void v2NestedTakesTheSmallestLimitUpToTheMountRoot(@TempDir Path root) throws IOException {
        Path proc = root.resolve("proc");
        write(proc.resolve("self/cgroup"), "0::/system.slice/eyes.service\n");
        write(proc.resolve("self/mountinfo"),
                "35 24 0:30 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw\n");
        Path cg = root.resolve("sys/fs/cgroup");
        write(cg.resolve("cgroup.controllers"), "memory pids\n");
        write(cg.resolve("system.slice/memory.max"), "1073741824\n");
        write(cg.resolve("system.slice/eyes.service/memory.max"), "max\n");
        write(cg.resolve("system.slice/eyes.service/memory.current"), "4096\n");
        CgroupMemory.Snapshot s = CgroupMemory.locate(proc, root).read();
        assertThat(s.directory()).isEqualTo(cg.resolve("system.slice/eyes.service"));
        assertThat(s.limitBytes()).isEqualTo(1073741824L);
        assertThat(s.workingSetBytes()).as("no memory.stat: usage as is").isEqualTo(4096);
    }

    @Test
    void v1DockerWithoutNamespaceStripsTheMountRoot(@TempDir Path root) throws IOException {
        Path proc = root.resolve("proc");
        write(proc.resolve("self/cgroup"), """
                12:pids:/docker/abc
                4:memory:/docker/abc
                1:name=systemd:/docker/abc
                """);
        write(proc.resolve("self/mountinfo"), """
                1105 1096 0:36 /docker/abc /sys/fs/cgroup/memory ro,nosuid,nodev,noexec,relatime master:16 - cgroup cgroup rw,memory
                1106 1096 0:37 /docker/abc /sys/fs/cgroup/pids ro,nosuid,nodev,noexec,relatime master:17 - cgroup cgroup rw,pids
                """);
        Path cg = root.resolve("sys/fs/cgroup/memory");
        write(cg.resolve("memory.limit_in_bytes"), "268435456\n");
        write(cg.resolve("memory.usage_in_bytes"), "200000000\n");
        write(cg.resolve("memory.stat"), "cache 1\ninactive_file 9\ntotal_inactive_file 50000000\n");
        CgroupMemory m = CgroupMemory.locate(proc, root);
        assertThat(m.version()).isEqualTo(CgroupMemory.Version.V1);
        CgroupMemory.Snapshot s = m.read();
        assertThat(s.directory()).isEqualTo(cg);
        assertThat(s.limitBytes()).isEqualTo(268435456L);
        assertThat(s.workingSetBytes()).isEqualTo(150000000L);
        assertThat(s.pressureFile()).as("v1 has no per-cgroup PSI").isNull();
    }

    @Test
    void hybridUsesTheV1MemoryController(@TempDir Path root) throws IOException {
        // this machine's own layout: v1 controllers plus an empty v2 tree at /sys/fs/cgroup/unified
        Path proc = root.resolve("proc");
        write(proc.resolve("self/cgroup"), """
                9:name=systemd:/
                4:memory:/process_api/55c5
                1:cpu:/
                0::/
                """);
        write(proc.resolve("self/mountinfo"), """
                30 22 0:27 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
                31 30 0:28 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
                34 30 0:31 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
                40 30 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
                """);
        write(root.resolve("sys/fs/cgroup/unified/cgroup.controllers"), "\n");
        Path cg = root.resolve("sys/fs/cgroup/memory/process_api/55c5");
        write(cg.resolve("memory.limit_in_bytes"), "9223372036854771712\n");
        write(cg.resolve("memory.usage_in_bytes"), "14442496\n");
        write(root.resolve("sys/fs/cgroup/memory/memory.limit_in_bytes"), "9223372036854771712\n");
        CgroupMemory m = CgroupMemory.locate(proc, root);
        assertThat(m.version()).isEqualTo(CgroupMemory.Version.V1);
        CgroupMemory.Snapshot s = m.read();
        assertThat(s.directory()).isEqualTo(cg);
        assertThat(s.limited()).as("LONG_MAX rounded to a page is no limit").isFalse();
        assertThat(s.usageBytes()).isEqualTo(14442496L);
    }

    @Test
    void v2WithoutTheMemoryControllerIsAProblemNotACrash(@TempDir Path root) throws IOException {
        Path proc = root.resolve("proc");
        write(proc.resolve("self/cgroup"), "0::/user.slice\n");
        write(proc.resolve("self/mountinfo"), "35 24 0:30 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n");
        write(root.resolve("sys/fs/cgroup/cgroup.controllers"), "cpu io\n");
        CgroupMemory m = CgroupMemory.locate(proc, root);
        assertThat(m.problem()).contains("no memory controller");
        assertThat(m.read()).isNull();
        assertThat(CgroupMemory.locate(root.resolve("nowhere"), root).problem()).contains("cannot read");
    }

    @Test
    void limitParsing() {
        assertThat(CgroupMemory.parseLimit("max")).isEqualTo(-1);
        assertThat(CgroupMemory.parseLimit("-1")).isEqualTo(-1);
        assertThat(CgroupMemory.parseLimit("9223372036854771712")).isEqualTo(-1);
        assertThat(CgroupMemory.parseLimit("1048576\n")).isEqualTo(1048576);
        assertThat(CgroupMemory.parseLimit(null)).isEqualTo(-1);
    }

    @Test
    void thisHostsMemoryCgroupIsFound() {
        CgroupMemory m = CgroupMemory.locate(Path.of("/proc"), Path.of("/"));
        assertThat(m.problem()).as("this Linux host mounts a memory cgroup").isNull();
        CgroupMemory.Snapshot s = m.read();
        assertThat(s).isNotNull();
        assertThat(s.usageBytes()).isPositive();
    }
}
