package dev.eyes.testing;

import tools.jackson.databind.json.JsonMapper;

/**
 * A full Jackson mapper for tests (reading answers, writing requests from maps). The main code reads and writes its
 * trees without one ({@code dev.eyes.json.JsonTrees}); the tests may use one freely.
 */
public final class TestJson {
    public static final JsonMapper MAPPER = JsonMapper.builder().build();

    private TestJson() {
    }
}
