package dev.eyes.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eyes.selfmon.Health;
import dev.eyes.store.Database;
import dev.eyes.store.HeartbeatStore;
import dev.eyes.testing.EyesProcess;
import dev.eyes.testing.Tool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code eyes service install|uninstall|status} as a real process, with the generated files checked by the
 * platforms' own tools: {@code systemd-analyze verify} (and {@code security}) for units, python3's plistlib for
 * launchd property lists. This machine, like CI, has no systemd as PID 1.
 */
class ServiceCommandTest {
    static final Path LAUNCHER = Path.of(System.getProperty("user.dir"), "bin", "eyes").toAbsolutePath();

    @TempDir
    Path dir;

    Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("HOME", dir.resolve("home").toString());
        env.put("XDG_CONFIG_HOME", "");
        env.put("XDG_STATE_HOME", "");
        env.put("XDG_CACHE_HOME", "");
        env.put("EYES_LAUNCHER", "");
        return env;
    }

    record Run(int code, String out, String err) {
    }

    Run eyes(Map<String, String> env, String... args) throws Exception {
        try (EyesProcess p = EyesProcess.start(env, args)) {
            int code = p.awaitExit(Duration.ofSeconds(30));
            return new Run(code, String.join("\n", p.stdout()) + "\n", String.join("\n", p.stderr()));
        }
    }

    /** A configuration in a directory with a space, whose database lives outside the state directory. */
    Path config() throws Exception {
        Path cfgDir = Files.createDirectories(dir.resolve("my configs"));
        Path data = Files.createDirectories(dir.resolve("data 100%"));
        Path c = cfgDir.resolve("config.toml");
        Files.writeString(c, "[storage]\ndatabase_path = \"" + data.resolve("eyes.db") + "\"\n");
        return c;
    }

    Tool.Result verify(String unit, boolean user) throws Exception {
        Path file = Files.createDirectories(dir.resolve(user ? "user" : "system")).resolve("eyes.service");
        Files.writeString(file, unit);
        Path runtime = Files.createDirectories(dir.resolve("xdg-runtime"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        String analyze = Tool.require("systemd-analyze", "systemd").toString();
        return Tool.run(user ? List.of(analyze, "--user", "verify", file.toString())
                : List.of(analyze, "verify", file.toString()), null, Map.of("XDG_RUNTIME_DIR", runtime.toString()));
    }

    @Test
    void theSystemUnitPassesSystemdAnalyzeAndIsHardened() throws Exception {
        Path config = config();
        Run r = eyes(env(), "service", "install", "--system", "--dry-run", "--launcher", LAUNCHER.toString(),
                "--config", config.toString());
        assertThat(r.code()).as(r.err()).isZero();
        String unit = r.out();
        Tool.Result v = verify(unit, false);
        assertThat(v.code()).as("systemd-analyze verify:\n%s\n%s", v.all(), unit).isZero();
        assertThat(v.all()).as("systemd-analyze verify warnings").isBlank();

        assertThat(unit).contains("ExecStart=" + LAUNCHER + " run --config \"" + config + "\"\n")
                .contains("Restart=on-failure\n", "MemoryMax=384M\n", "MemoryHigh=256M\n", "NoNewPrivileges=yes\n",
                        "ProtectSystem=strict\n", "ProtectHome=read-only\n", "PrivateTmp=yes\n",
                        "ReadWritePaths=\"" + dir.resolve("data 100%%") + "\"\n", "StateDirectory=eyes\n",
                        "WorkingDirectory=%S/eyes\n", "Environment=EYES_NO_BUILD=1\n", "KillMode=mixed\n",
                        "ExecReload=", " -HUP $MAINPID\n", "WantedBy=multi-user.target\n")
                // these would block nvidia-smi (/dev), hide the processes Eyes reports, or break the JIT
                .doesNotContain("ProtectClock", "PrivateDevices", "ProtectProc", "MemoryDenyWriteExecute",
                        "DynamicUser", "PrivateUsers");
        List<String> exec = ServiceCommand.splitExec(unit.lines().filter(l -> l.startsWith("ExecStart="))
                .findFirst().orElseThrow().substring("ExecStart=".length()));
        assertThat(exec).containsExactly(LAUNCHER.toString(), "run", "--config", config.toString());

        Path file = dir.resolve("system/eyes.service");
        Tool.Result security = Tool.run(List.of(Tool.require("systemd-analyze", "systemd").toString(), "security",
                "--offline=yes", file.toString()), null, Map.of());
        Matcher m = Pattern.compile("Overall exposure level for eyes.service: (\\d+\\.\\d)").matcher(security.all());
        assertThat(m.find()).as(security.all()).isTrue();
        assertThat(Double.parseDouble(m.group(1))).as("exposure (10 = unprotected)").isLessThan(5.0);
    }

    @Test
    void theUserUnitPassesSystemdAnalyzeWithOnlyWhatAUserManagerCanApply() throws Exception {
        Run r = eyes(env(), "service", "install", "--dry-run", "--launcher", LAUNCHER.toString());
        assertThat(r.code()).as(r.err()).isZero();
        Tool.Result v = verify(r.out(), true);
        assertThat(v.code()).as("systemd-analyze --user verify:\n%s\n%s", v.all(), r.out()).isZero();
        assertThat(v.all()).isBlank();
        assertThat(r.out()).contains("ExecStart=" + LAUNCHER + " run\n", "Restart=on-failure\n",
                        "NoNewPrivileges=yes\n", "MemoryMax=384M\n", "WantedBy=default.target\n")
                // file-system namespacing needs privileges (or PrivateUsers=, which would hide the journal group)
                .doesNotContain("ProtectSystem", "ProtectHome", "PrivateTmp", "CapabilityBoundingSet");
    }

    @Test
    void installStatusUninstallOnAMachineWithoutSystemd() throws Exception {
        assertThat(Files.isDirectory(Path.of("/run/systemd/system")))
                .as("this test expects a machine without systemd as PID 1 (as CI is): it would enable a real unit")
                .isFalse();
        Path config = config();
        Path unit = dir.resolve("home/.config/systemd/user/eyes.service");

        Run before = eyes(env(), "service", "status");
        assertThat(before.code()).isEqualTo(1);
        assertThat(before.out()).contains("unit: " + unit + " (not installed)")
                .contains("systemd: systemd is not running on this machine (PID 1 is ");

        Run install = eyes(env(), "service", "install", "--launcher", LAUNCHER.toString(), "--config",
                config.toString());
        assertThat(install.code()).as(install.err()).isZero();
        assertThat(unit).isRegularFile();
        assertThat(install.out()).contains("wrote " + unit)
                .contains("so the unit was written but not enabled")
                .contains("systemctl --user daemon-reload && systemctl --user enable --now eyes.service");
        assertThat(verify(Files.readString(unit), true).code()).isZero();

        Run status = eyes(env(), "service", "status");
        assertThat(status.code()).isZero();
        Path db = dir.resolve("data 100%/eyes.db");
        assertThat(status.out()).contains("unit: " + unit + " (installed)")
                .contains("runs: " + LAUNCHER + " run --config " + config)
                .contains("the service cannot be started here")
                .contains("observer: never ran (no database at " + db + ")");

        // an observer that runs writes heartbeats; status reads them from the database the service uses
        HeartbeatStore hs = new HeartbeatStore(Database.open(db));
        hs.write(new Health(Instant.now(), 4321, "0.1.0", Health.State.RUNNING, Instant.now(), List.of(), null, null,
                null, null, null, null, List.of()));
        assertThat(eyes(env(), "service", "status").out()).contains("observer: running (pid 4321, last heartbeat");
        hs.write(new Health(Instant.now().minusSeconds(300), 4321, "0.1.0", Health.State.RUNNING, Instant.now(),
                List.of(), null, null, null, null, null, null, List.of()));
        assertThat(eyes(env(), "service", "status").out()).contains("observer: not running (the last heartbeat, from"
                + " pid 4321, is 5 min old)");

        Run uninstall = eyes(env(), "service", "uninstall");
        assertThat(uninstall.code()).isZero();
        assertThat(uninstall.out()).contains("removed " + unit);
        assertThat(unit).doesNotExist();
        assertThat(eyes(env(), "service", "uninstall").out()).contains("not installed");
        assertThat(eyes(env(), "service", "status").code()).isEqualTo(1);
    }

    @Test
    void launchdPropertyListsParseWithTheExpectedKeys() throws Exception {
        Path config = config();
        for (boolean system : new boolean[] {false, true}) {
            Run r = system
                    ? eyes(env(), "service", "install", "--dry-run", "--os", "macos", "--system", "--launcher",
                            LAUNCHER.toString(), "--config", config.toString())
                    : eyes(env(), "service", "install", "--dry-run", "--os", "macos", "--launcher",
                            LAUNCHER.toString(), "--config", config.toString());
            assertThat(r.code()).as(r.err()).isZero();
            Path plist = dir.resolve(system ? "daemon.plist" : "agent.plist");
            Files.writeString(plist, r.out());
            Tool.Result parsed = Tool.run(List.of(Tool.require("python3", "python3").toString(), "-c",
                    "import json, plistlib, sys; print(json.dumps(plistlib.load(open(sys.argv[1], 'rb'))))",
                    plist.toString()), null, Map.of());
            assertThat(parsed.code()).as("plistlib:\n%s\n%s", parsed.all(), r.out()).isZero();
            JsonNode p = JsonMapper.builder().build().readTree(parsed.out());
            assertThat(p.propertyNames()).contains("Label", "ProgramArguments", "RunAtLoad", "KeepAlive",
                    "StandardOutPath", "StandardErrorPath", "WorkingDirectory", "EnvironmentVariables");
            assertThat(p.path("Label").asString()).isEqualTo("dev.eyes.observer");
            assertThat(p.path("ProgramArguments")).extracting(JsonNode::asString)
                    .containsExactly(LAUNCHER.toString(), "run", "--config", config.toString());
            assertThat(p.path("RunAtLoad").asBoolean(false)).isTrue();
            assertThat(p.path("KeepAlive").path("SuccessfulExit").isBoolean()).isTrue();
            assertThat(p.path("KeepAlive").path("SuccessfulExit").asBoolean(true)).isFalse();
            String home = dir.resolve("home").toString();
            if (system) {
                assertThat(p.path("StandardErrorPath").asString()).isEqualTo("/Library/Logs/eyes/eyes.err.log");
                assertThat(p.path("WorkingDirectory").asString()).isEqualTo("/Library/Application Support/eyes");
            } else {
                assertThat(p.path("StandardOutPath").asString()).isEqualTo(home + "/Library/Logs/eyes/eyes.out.log");
                assertThat(p.path("StandardErrorPath").asString()).isEqualTo(home + "/Library/Logs/eyes/eyes.err.log");
            }
            assertThat(p.path("EnvironmentVariables").path("EYES_NO_BUILD").asString()).isEqualTo("1");
        }
    }

    @Test
    void refusesWhatCannotWork() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.toml"), "[triggers]\nerror_threshold = \"many\"\n");
        Run r = eyes(env(), "service", "install", "--dry-run", "--launcher", LAUNCHER.toString(), "--config",
                bad.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("triggers.error_threshold must be an integer");

        Run missing = eyes(env(), "service", "install", "--dry-run", "--launcher", dir.resolve("nope").toString());
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).contains("is not an executable file");

        // a checkout whose jar was never built: the service would have to build it under a read-only sandbox
        Path checkout = Files.createDirectories(dir.resolve("checkout/bin"));
        Path launcher = Files.writeString(checkout.resolve("eyes"), "#!/bin/sh\n");
        launcher.toFile().setExecutable(true);
        Files.writeString(dir.resolve("checkout/pom.xml"), "<project/>");
        Map<String, String> env = env();
        env.put("EYES_LAUNCHER", launcher.toString());
        Run unbuilt = eyes(env, "service", "install", "--dry-run");
        assertThat(unbuilt.code()).isEqualTo(1);
        assertThat(unbuilt.err()).contains("build Eyes first");

        Run os = eyes(env(), "service", "install", "--os", "macos", "--launcher", LAUNCHER.toString());
        assertThat(os.code()).isEqualTo(1);
        assertThat(os.err()).contains("--os is only for --dry-run");
    }

    @Test
    void commandLinesSurviveQuotingBothWays() {
        List<String> args = List.of("/opt/eyes dir/bin/eyes", "run", "--config", "/etc/eyes/100% \"odd\" $HOME\\x");
        String line = ServiceFiles.execLine(args);
        assertThat(line).isEqualTo("\"/opt/eyes dir/bin/eyes\" run --config"
                + " \"/etc/eyes/100%% \\\"odd\\\" $$HOME\\\\x\"");
        assertThat(ServiceCommand.splitExec(line)).isEqualTo(args);
    }
}
