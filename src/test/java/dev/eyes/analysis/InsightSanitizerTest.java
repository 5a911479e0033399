package dev.eyes.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eyes.event.Severity;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class InsightSanitizerTest {
    private final InsightSanitizer sanitizer = new InsightSanitizer();

    private static Insight insight(List<String> recs, Severity s, String root, String obs, String diag) {
        return new Insight("summary", root, recs, List.of("e"), obs, diag, List.of("given"), s);
    }

    @Test
    void capsSeverityAtTheTriggersAndSaysSo() {
        Insight out = sanitizer.sanitize(insight(List.of(), Severity.CRITICAL, "c", "high", "high"), Severity.WARNING);
        assertThat(out.severity()).isEqualTo(Severity.WARNING);
        assertThat(out.limitations()).containsExactly("given",
                "Severity lowered from critical to warning, the most this trigger allows");
        Insight lower = sanitizer.sanitize(insight(List.of(), Severity.INFO, "c", "high", "high"), Severity.CRITICAL);
        assertThat(lower.severity()).isEqualTo(Severity.INFO);
        assertThat(lower.limitations()).containsExactly("given");
    }

    @ParameterizedTest
    @CsvSource({"high, high", "High, high", "very high, high", "HIGH confidence, high", "medium, medium",
        "moderate, medium", "Medium-low, medium", "low, low", "very low, low", "0.9, high", "0.5, medium",
        "0.1, low", "85, high", "85%, high", "40%, medium", "-3, unknown", "certain, unknown", "'', unknown",
        "unknown, unknown"})
    void normalisesConfidence(String in, String out) {
        assertThat(InsightSanitizer.normalizeConfidence(in)).isEqualTo(out);
    }

    @Test
    void noRootCauseMeansLowDiagnosisConfidence() {
        Insight out = sanitizer.sanitize(insight(List.of(), Severity.INFO, null, "High", "high"), Severity.INFO);
        assertThat(out.observationConfidence()).isEqualTo("high");
        assertThat(out.diagnosisConfidence()).isEqualTo("low");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        // the original's markers
        "Run csrutil disable to allow the extension", "Delete the cache folder", "Disable SIP temporarily",
        "Run Disk Utility First Aid on the volume", "Erase the disk", "kill syspolicyd", "killall syspolicyd",
        "Reboot the machine", "Reinstall macOS", "Restart the system", "rm -rf ~/Library/Caches",
        // Linux
        "Clean up with rm -rf /", "sudo rm  -rf /var/lib/docker", "RM -RF /tmp/x", "rm\u00a0-rf /", "rm\u200b -rf /",
        "Recreate the filesystem with mkfs.ext4 /dev/sda1", "Run mkfs on the device",
        "dd if=/dev/zero of=/dev/sda bs=1M", "wipefs -a /dev/nvme0n1", "chmod -R 777 /var/www", "chmod 777 /etc",
        "setenforce 0", "Run `setenforce Permissive`", "iptables -F", "iptables --flush", "nft flush ruleset",
        "ufw disable", "kill -9 1", "sudo kill -KILL 1", "systemctl disable sshd", "systemctl disable --now ssh.service",
        "systemctl stop systemd-journald", "systemctl mask nginx.service", "systemctl disable NetworkManager",
        "systemctl isolate rescue.target", "shutdown -r now", "Run poweroff", "echo b > /proc/sysrq-trigger",
        "fsck -y /dev/sda2", "shred -u /var/log/auth.log", "journalctl --vacuum-time=1d",
        "apt purge openssh-server", "userdel -r alice", "docker system prune -a", "DROP TABLE events",
        "truncate -s 0 /var/log/syslog", "cat /dev/zero > /dev/sda"})
    void removesDestructiveAdvice(String rec) {
        Insight out = sanitizer.sanitize(insight(List.of("Check journalctl -u nginx", rec), Severity.WARNING, "c",
                "high", "high"), Severity.WARNING);
        assertThat(out.recommendations()).containsExactly("Check journalctl -u nginx");
        assertThat(out.limitations()).hasSize(2);
        assertThat(out.limitations().get(1))
                .startsWith("A recommendation was removed because it contained potentially destructive advice (matched");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Check systemctl status nginx", "Read journalctl -u nginx --since \"10 min ago\"",
        "systemctl restart nginx after checking its configuration", "Check free space with df -h",
        "Look at dmesg for OOM killer messages", "systemctl disable myapp-cleanup.timer if it is not needed",
        "Review why the service shut down", "Compare with the previous deployment", "Check the firewall rules with iptables -L"})
    void keepsSafeAdvice(String rec) {
        Insight out = sanitizer.sanitize(insight(List.of(rec), Severity.WARNING, "c", "high", "high"), Severity.WARNING);
        assertThat(out.recommendations()).containsExactly(rec);
        assertThat(out.limitations()).containsExactly("given");
    }

    @Test
    void eachRemovalIsItsOwnLimitation() {
        Insight out = sanitizer.sanitize(insight(List.of("rm -rf /", "mkfs /dev/sda", "ok"), Severity.WARNING, "c",
                "high", "high"), Severity.WARNING);
        assertThat(out.recommendations()).containsExactly("ok");
        assertThat(out.limitations()).containsExactly("given",
                "A recommendation was removed because it contained potentially destructive advice (matched \"rm -\")",
                "A recommendation was removed because it contained potentially destructive advice (matched \"mkfs\")");
    }
}
