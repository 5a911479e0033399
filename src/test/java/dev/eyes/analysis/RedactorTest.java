package dev.eyes.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.strings;

import dev.eyes.analysis.Redactor.Kind;
import dev.eyes.event.Severity;
import dev.eyes.rule.Trigger;
import dev.eyes.testing.Triggers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RedactorTest {
    private final Redactor secrets = new Redactor(true, false);
    private final Redactor all = new Redactor(true, true);

    private static final String JWT = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ"
            + ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            bearer        | GET /api failed: Authorization: Bearer abcDEF123456ghiJKL789 rejected  | GET /api failed: Authorization: Bearer [REDACTED:bearer] rejected          | abcDEF123456ghiJKL789
            basic         | proxy sent Authorization: Basic dXNlcjpwYXNzd29yZA== upstream         | proxy sent Authorization: Basic [REDACTED:bearer] upstream                 | dXNlcjpwYXNzd29yZA==
            password=     | login failed password=hunter2 user=bob                                   | login failed password=[REDACTED:password] user=bob                         | hunter2
            passwd        | chpasswd: passwd: s3cr3t-Value for alice                                 | chpasswd: passwd: [REDACTED:password] for alice                            | s3cr3t-Value
            db_password   | DB_PASSWORD = 'p@ss w0rd' in env                                         | DB_PASSWORD = '[REDACTED:password]' in env                                 | p@ss w0rd
            json password | body {"user":"a","password":"Tr0ub4dor&3"} rejected                      | body {"user":"a","password":"[REDACTED:password]"} rejected                | Tr0ub4dor&3
            secret=       | oauth error client_secret=9f8e7d6c5b4a&grant=x                           | oauth error client_secret=[REDACTED:secret]&grant=x                        | 9f8e7d6c5b4a
            token=        | webhook?token=abc123xyz failed                                            | webhook?token=[REDACTED:token] failed                                      | abc123xyz
            api_key       | x-api-key: 0123456789abcdef refused                                      | x-api-key: [REDACTED:token] refused                                        | 0123456789abcdef
            aws id        | using key AKIAIOSFODNN7EXAMPLE for s3                                    | using key [REDACTED:aws_key] for s3                                        | AKIAIOSFODNN7EXAMPLE
            aws secret    | aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY set       | aws_secret_access_key=[REDACTED:secret] set                                | wJalrXUtnFEMI
            openai key    | invalid key sk-proj-AbCdEfGhIjKlMnOpQrStUvWx1234 for org                 | invalid key [REDACTED:token] for org                                       | AbCdEfGhIjKlMnOp
            github token  | clone with ghp_abcdefghijklmnopqrstuvwxyz0123456789 failed               | clone with [REDACTED:token] failed                                         | ghp_abcdefghij
            slack token   | slack xoxb-1234567890-abcdefghij failed                                  | slack [REDACTED:token] failed                                              | xoxb-1234567890
            url creds     | cannot connect to postgres://app:S3cr3t@db.internal:5432/app now         | cannot connect to postgres://[REDACTED:url_credentials]@db.internal:5432/app now | S3cr3t
            url at sign   | fetch https://user:p@ss@host.example/x failed                            | fetch https://[REDACTED:url_credentials]@host.example/x failed             | p@ss
            url token     | git fetch https://x-access-token:ghs_abc123@github.com/o/r failed        | git fetch https://[REDACTED:url_credentials]@github.com/o/r failed         | ghs_abc123
            """)
    void redactsEachSecretKind(String name, String in, String expected, String secret) {
        Redactor.Result r = secrets.redact(in.strip());
        assertThat(r.text()).isEqualTo(expected.strip());
        assertThat(r.text()).doesNotContain(secret.strip());
        assertThat(r.total()).isEqualTo(1);
    }

    @Test
    void redactsJwtAndPrivateKeyBlocks() {
        Redactor.Result r = secrets.redact("session " + JWT + " expired");
        assertThat(r.text()).isEqualTo("session [REDACTED:jwt] expired");
        assertThat(r.counts()).containsEntry(Kind.JWT, 1);

        String key = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n"
                + "AAAAAAAAAAEAAAAzAAAAC3NzaC1lZDI1NTE5\n-----END OPENSSH PRIVATE KEY-----";
        r = secrets.redact("loaded " + key + " from /root/.ssh/id_ed25519");
        assertThat(r.text()).isEqualTo("loaded [REDACTED:private_key] from /root/.ssh/id_ed25519");
        // a block cut off by a line limit still goes, to the end
        r = secrets.redact("dump: -----BEGIN RSA PRIVATE KEY----- MIIEpAIBAAKCAQEA75Zx");
        assertThat(r.text()).isEqualTo("dump: [REDACTED:private_key]");
    }

    @Test
    void networkIdentitiesOnlyWhenAsked() {
        String in = "login from alice@example.com at 203.0.113.7 and 2001:db8::1, fe80::1%eth0, ::ffff:192.0.2.1";
        assertThat(secrets.redact(in).text()).isEqualTo(in);
        Redactor.Result r = all.redact(in);
        assertThat(r.text()).isEqualTo("login from [REDACTED:email] at [REDACTED:ipv4] and [REDACTED:ipv6], "
                + "[REDACTED:ipv6], [REDACTED:ipv6]");
        assertThat(r.counts()).containsEntry(Kind.EMAIL, 1).containsEntry(Kind.IPV4, 1).containsEntry(Kind.IPV6, 3);
    }

    @Test
    void fullFormIpv6() {
        assertThat(all.redact("from 0:0:0:0:0:ffff:192.0.2.1 and 2001:0db8:85a3:0000:0000:8a2e:0370:7334.").text())
                .isEqualTo("from [REDACTED:ipv6] and [REDACTED:ipv6].");
    }

    @Test
    void leavesLookalikesAlone() {
        String in = "[10:30:45-10:30:50] std::string at 0x7ffd, MAC aa:bb:cc:dd:ee:ff, version 1.2.3, "
                + "port 8080, Failed password for root from ssh2, token expired";
        String out = all.redact(in).text();
        assertThat(out).startsWith("[10:30:45-10:30:50] std::string at 0x7ffd, MAC aa:bb:cc:dd:ee:ff, version 1.2.3, "
                + "port 8080, Failed password for root from ssh2");
    }

    @Test
    void isIdempotent() {
        String in = "Bearer abcdefgh12345678 password=\"x y\" AKIAIOSFODNN7EXAMPLE " + JWT
                + " postgres://a:b@h/db alice@example.com 10.0.0.1";
        Redactor.Result once = all.redact(in);
        Redactor.Result twice = all.redact(once.text());
        assertThat(twice.text()).isEqualTo(once.text());
        assertThat(twice.total()).isZero();
        assertThat(once.total()).isEqualTo(7);
    }

    @Test
    void offMeansOff() {
        Redactor off = new Redactor(false, true);
        String in = "password=hunter2 10.0.0.1";
        assertThat(off.redact(in).text()).isEqualTo(in);
        assertThat(off.redact(in).total()).isZero();
        assertThat(off.redactsNetworkIdentities()).isFalse();
    }

    @ParameterizedTest
    @CsvSource({
        "http://localhost:11434, true",
        "http://127.0.0.1:1234/v1, true",
        "http://127.1.2.3, true",
        "http://[::1]:8080/v1, true",
        "http://ollama.localhost, true",
        "mock, true",
        "https://api.openai.com/v1, false",
        "http://192.168.1.20:11434, false",
        "http://gpu-box:11434, false",
        "http://[2001:db8::1]:80, false"})
    void loopback(String url, boolean loopback) {
        assertThat(Redactor.isLoopback(url)).isEqualTo(loopback);
        assertThat(Redactor.forTarget(true, true, url).redactsNetworkIdentities()).isEqualTo(!loopback);
        assertThat(Redactor.forTarget(true, false, url).redactsNetworkIdentities()).isFalse();
    }

    @Test
    void redactsEveryHostTextOfATrigger() {
        Trigger t = Triggers.withMessage("auth failed password=hunter2 from 10.1.2.3", Severity.WARNING);
        Trigger withReason = new Trigger(t.timestamp(), t.rule(), "svc token=abc123", t.expectedSeverity(),
                "crash in \"password=hunter2\"", t.logEvents(), t.metricsEvents(), t.diskEvents());
        Redactor.RedactedTrigger r = all.redact(withReason);
        assertThat(r.trigger().logEvents().getFirst().message())
                .isEqualTo("auth failed password=[REDACTED:password] from [REDACTED:ipv4]");
        assertThat(r.trigger().reason()).doesNotContain("hunter2");
        assertThat(r.trigger().source()).isEqualTo("svc token=[REDACTED:token]");
        assertThat(r.count()).isEqualTo(4);
    }

    @Test
    void propertyNoInsertedSecretSurvives() {
        String[] templates = {"password=%s", "Authorization: Bearer %s", "secret: %s", "api_key=\"%s\"",
            "https://u:%s@example.org/", "passwd=%s"};
        qt().withExamples(400).forAll(strings().basicLatinAlphabet().ofLengthBetween(0, 30),
                        strings().basicLatinAlphabet().ofLengthBetween(0, 30),
                        integers().between(0, templates.length - 1),
                        strings().betweenCodePoints('a', 'z').ofLengthBetween(10, 24))
                .checkAssert((before, after, which, value) -> {
                    String secret = "Q7" + value + "9z";
                    String text = before + " " + templates[which].formatted(secret) + " " + after;
                    assertThat(secrets.redact(text).text()).doesNotContain(secret);
                });
    }

    @Test
    void propertyAwsKeysAndJwtsNeverSurvive() {
        qt().withExamples(200).forAll(strings().basicLatinAlphabet().ofLengthBetween(0, 30),
                        strings().betweenCodePoints('A', 'Z').ofLength(16),
                        strings().betweenCodePoints('a', 'z').ofLengthBetween(8, 30))
                .checkAssert((noise, key, sig) -> {
                    String aws = "AKIA" + key;
                    String jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0." + sig;
                    String out = secrets.redact(noise + " " + aws + " " + noise + " " + jwt + " " + noise).text();
                    assertThat(out).doesNotContain(aws).doesNotContain(jwt);
                });
    }
}
