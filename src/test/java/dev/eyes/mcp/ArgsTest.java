package dev.eyes.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Argument reading: every type a JSON parser may hand over, and the plain message for each mistake. */
class ArgsTest {
    static final Schema SCHEMA = Schema.object().id("alert_id", "id").integer("limit", "l", 1, 100L, 25)
            .string("name", "n", false).bool("all", "a", false).optionalBool("acknowledged", "ack")
            .ids("ids", "ids");

    static Args args(Map<String, Object> m) throws ToolError {
        return new Args("tool", m, SCHEMA);
    }

    static Map<String, Object> one(String k, Object v) {
        Map<String, Object> m = new HashMap<>();
        m.put(k, v);
        return m;
    }

    @Test
    void integersComeInManyJsonShapes() throws ToolError {
        assertThat(args(one("alert_id", 42)).requiredLong("alert_id")).isEqualTo(42);
        assertThat(args(one("alert_id", 42L)).requiredLong("alert_id")).isEqualTo(42);
        assertThat(args(one("alert_id", 42.0)).requiredLong("alert_id")).isEqualTo(42);
        assertThat(args(one("alert_id", new BigDecimal("4.2E1"))).requiredLong("alert_id")).isEqualTo(42);
        assertThat(args(one("alert_id", BigInteger.valueOf(Long.MAX_VALUE))).requiredLong("alert_id"))
                .isEqualTo(Long.MAX_VALUE);
        assertThat(args(one("limit", 5_000_000_000L)).optionalInt("limit")).isEqualTo(Integer.MAX_VALUE);
        assertThat(args(one("limit", -5_000_000_000L)).optionalInt("limit")).isEqualTo(Integer.MIN_VALUE);
        assertThat(args(Map.of()).optionalInt("limit")).isNull();
        assertThat(args(one("limit", null)).optionalInt("limit")).isNull();
    }

    @Test
    void wrongTypesAreNamedPlainly() {
        assertThatThrownBy(() -> args(one("alert_id", "42")).requiredLong("alert_id"))
                .isInstanceOf(ToolError.class).hasMessage("alert_id must be an integer, not the string \"42\"");
        assertThatThrownBy(() -> args(one("alert_id", 4.2)).requiredLong("alert_id"))
                .hasMessage("alert_id must be an integer, not 4.2");
        assertThatThrownBy(() -> args(one("alert_id", 1e30)).requiredLong("alert_id"))
                .hasMessage("alert_id is out of range: 1.0E30");
        assertThatThrownBy(() -> args(one("alert_id", Double.NaN)).requiredLong("alert_id"))
                .hasMessage("alert_id must be an integer, not NaN");
        assertThatThrownBy(() -> args(one("alert_id", Map.of("id", 1))).requiredLong("alert_id"))
                .hasMessage("alert_id must be an integer, not an object");
        assertThatThrownBy(() -> args(one("alert_id", "x".repeat(100))).requiredLong("alert_id"))
                .hasMessage("alert_id must be an integer, not the string \"" + "x".repeat(40) + "…\"");
        assertThatThrownBy(() -> args(Map.of()).requiredLong("alert_id")).hasMessage("alert_id is required");
        assertThatThrownBy(() -> args(one("name", 7)).optionalString("name"))
                .hasMessage("name must be a string, not the number 7");
        assertThatThrownBy(() -> args(one("all", 1)).bool("all", false))
                .hasMessage("all must be true or false, not the number 1");
        assertThatThrownBy(() -> args(one("acknowledged", "false")).optionalBool("acknowledged"))
                .hasMessage("acknowledged must be true or false, not the string \"false\"");
        assertThatThrownBy(() -> args(one("ids", List.of(1, "2"))).longs("ids"))
                .hasMessage("ids[1] must be an integer, not the string \"2\"");
        assertThatThrownBy(() -> args(one("ids", java.util.Arrays.asList(1, null))).longs("ids"))
                .hasMessage("ids[1] must be an integer, not null");
        assertThatThrownBy(() -> args(one("ids", 3)).longs("ids"))
                .hasMessage("ids must be an array of integers, not the number 3");
        assertThatThrownBy(() -> args(one("alertId", 3)))
                .hasMessage("unknown argument 'alertId'; tool takes alert_id, limit, name, all, acknowledged, ids");
        assertThatThrownBy(() -> new Args("get_health", one("x", 1), Schema.object()))
                .hasMessage("unknown argument 'x'; get_health takes no arguments");
    }

    @Test
    void absentOptionalValuesAreNullOrTheirDefault() throws ToolError {
        Args a = args(null);
        assertThat(a.optionalString("name")).isNull();
        assertThat(a.bool("all", true)).isTrue();
        assertThat(a.optionalBool("acknowledged")).isNull();
        assertThat(args(one("acknowledged", false)).optionalBool("acknowledged")).isFalse();
        assertThat(args(one("ids", List.of(3, 4.0))).longs("ids")).containsExactly(3L, 4L);
    }

    @Test
    void theSchemaSaysWhatArgsEnforces() {
        Map<String, Object> m = SCHEMA.toMap();
        assertThat(m).containsEntry("type", "object").containsEntry("additionalProperties", false)
                .containsEntry("required", List.of("alert_id", "ids"));
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> props = (Map<String, Map<String, Object>>) m.get("properties");
        assertThat(props.get("limit")).containsEntry("minimum", 1L).containsEntry("maximum", 100L)
                .containsEntry("default", 25L);
        assertThat(props.get("ids")).containsEntry("type", "array").containsEntry("minItems", 1);
        assertThat(Schema.object().toMap()).doesNotContainKey("required");
    }
}
