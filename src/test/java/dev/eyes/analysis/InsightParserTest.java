package dev.eyes.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eyes.event.Severity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InsightParserTest {
    private final InsightParser parser = new InsightParser(1024 * 1024);

    private static final String FULL = """
            {"summary": "nginx cannot reach its upstream", "root_cause": "upstream down",
             "recommendations": ["Check the upstream service"], "evidence": ["12 refused connections"],
             "observation_confidence": "high", "diagnosis_confidence": "medium",
             "limitations": ["no upstream logs"], "severity": "warning"}""";

    private static void assertFull(Insight i) {
        assertThat(i.summary()).isEqualTo("nginx cannot reach its upstream");
        assertThat(i.rootCause()).isEqualTo("upstream down");
        assertThat(i.recommendations()).containsExactly("Check the upstream service");
        assertThat(i.evidence()).containsExactly("12 refused connections");
        assertThat(i.observationConfidence()).isEqualTo("high");
        assertThat(i.diagnosisConfidence()).isEqualTo("medium");
        assertThat(i.limitations()).containsExactly("no upstream logs");
        assertThat(i.severity()).isEqualTo(Severity.WARNING);
    }

    @Test
    void rawJson() throws Exception {
        assertFull(parser.parse(FULL));
    }

    @Test
    void jsonFence() throws Exception {
        assertFull(parser.parse("Here is my analysis:\n```json\n" + FULL + "\n```\nHope it helps {not json}"));
    }

    @Test
    void jsonFenceAfterAnotherBraceText() throws Exception {
        // the original's fence bug: it matched its own opening fence; the first { … last } would span both blocks
        assertFull(parser.parse("Config {a} seen.\n```json\n" + FULL + "\n```\nAlso {b}."));
    }

    @Test
    void plainFenceWithObject() throws Exception {
        assertFull(parser.parse("```\n" + FULL + "\n```"));
        assertFull(parser.parse("```bash\nsystemctl status nginx\n```\n```\n" + FULL + "\n```"));
    }

    @Test
    void embeddedInProse() throws Exception {
        assertFull(parser.parse("Sure! " + FULL + " Let me know if you need more."));
    }

    @Test
    void aliasesAndDefaults() throws Exception {
        Insight i = parser.parse("""
                {"summary": "s", "recommendations": [], "severity": "CRITICAL", "confidence": "Medium",
                 "root_cause": "null"}""");
        assertThat(i.observationConfidence()).isEqualTo("Medium"); // normalised by the sanitizer
        assertThat(i.diagnosisConfidence()).isEqualTo("unknown");
        assertThat(i.rootCause()).isNull();
        assertThat(i.evidence()).isEmpty();
        assertThat(i.limitations()).isEmpty();
        assertThat(i.severity()).isEqualTo(Severity.CRITICAL);
        // observation_confidence wins over the alias
        i = parser.parse("{\"summary\":\"s\",\"recommendations\":[],\"severity\":\"info\",\"confidence\":\"low\","
                + "\"observation_confidence\":\"high\"}");
        assertThat(i.observationConfidence()).isEqualTo("high");
    }

    @Test
    void severityWordsOtherThanWarningOrCriticalAreInfo() throws Exception {
        assertThat(parse("high").severity()).isEqualTo(Severity.INFO);
        assertThat(parse("Warning").severity()).isEqualTo(Severity.WARNING);
        assertThat(parse("warn").severity()).isEqualTo(Severity.WARNING);
        assertThat(parse("error").severity()).isEqualTo(Severity.INFO);
    }

    private Insight parse(String severity) throws Exception {
        return parser.parse("{\"summary\":\"s\",\"recommendations\":[],\"severity\":\"" + severity + "\"}");
    }

    @Test
    void lenientWhereHarmless() throws Exception {
        Insight i = parser.parse("""
                {"summary": 42, "recommendations": "Check the unit", "severity": "warning",
                 "evidence": ["a", 3, null, {"text": "from object"}, {"other": 1}], "limitations": null,
                 "observation_confidence": 0.9, "diagnosis_confidence": {"x": 1}, "root_cause": ""}""");
        assertThat(i.summary()).isEqualTo("42");
        assertThat(i.recommendations()).containsExactly("Check the unit");
        assertThat(i.evidence()).containsExactly("a", "3", "from object", "{\"other\":1}");
        assertThat(i.limitations()).isEmpty();
        assertThat(i.observationConfidence()).isEqualTo("0.9");
        assertThat(i.diagnosisConfidence()).isEqualTo("unknown");
        assertThat(i.rootCause()).isNull();
        i = parser.parse("{\"summary\":\"s\",\"recommendations\":[{\"action\":\"Restart nothing\"}],"
                + "\"severity\":\"info\"}");
        assertThat(i.recommendations()).containsExactly("Restart nothing");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"recommendations\": [], \"severity\": \"info\"}",
        "{\"summary\": \"  \", \"recommendations\": [], \"severity\": \"info\"}",
        "{\"summary\": null, \"recommendations\": [], \"severity\": \"info\"}"})
    void missingSummaryIsInvalid(String json) {
        assertThatThrownBy(() -> parser.parse(json)).isInstanceOf(AnalysisException.class)
                .hasMessage("Invalid response format: the answer has no \"summary\"")
                .extracting(e -> ((AnalysisException) e).kind()).isEqualTo(AnalysisException.Kind.INVALID_RESPONSE);
    }

    @Test
    void otherRequiredFields() {
        assertThatThrownBy(() -> parser.parse("{\"summary\":\"s\",\"severity\":\"info\"}"))
                .hasMessageContaining("no \"recommendations\"");
        assertThatThrownBy(() -> parser.parse("{\"summary\":\"s\",\"recommendations\":[]}"))
                .hasMessageContaining("no \"severity\"");
    }

    @Test
    void wrongTypesAreInvalid() {
        assertThatThrownBy(() -> parser.parse("{\"summary\":{\"a\":1},\"recommendations\":[],\"severity\":\"info\"}"))
                .hasMessageContaining("\"summary\" should be text, got an object");
        assertThatThrownBy(() -> parser.parse("{\"summary\":\"s\",\"recommendations\":{\"a\":1},\"severity\":\"x\"}"))
                .hasMessageContaining("\"recommendations\" should be a list, got an object");
        assertThatThrownBy(() -> parser.parse("{\"summary\":\"s\",\"recommendations\":[],\"severity\":[\"info\"]}"))
                .hasMessageContaining("\"severity\" should be text, got a list");
    }

    @ParameterizedTest
    @ValueSource(strings = {"I could not analyse this.", "[1, 2, 3]", "{\"summary\": \"unterminated", "   ",
        "{a} and {b}"})
    void notAnObjectIsInvalid(String text) {
        assertThatThrownBy(() -> parser.parse(text)).isInstanceOf(AnalysisException.class)
                .hasMessageStartingWith("Invalid response format: ");
    }

    @Test
    void oversizedAnswerIsInvalid() {
        InsightParser small = new InsightParser(2048);
        String big = "{\"summary\":\"" + "é".repeat(1100) + "\",\"recommendations\":[],\"severity\":\"info\"}";
        assertThatThrownBy(() -> small.parse(big)).hasMessageContaining("exceeded ai.max_response_bytes (2048 bytes)");
    }
}
