package dev.eyes.testing;

/** Model answers for tests. */
public final class Answers {
    /** A complete, valid answer. */
    public static final String GOOD = "{\"summary\":\"nginx cannot reach its upstream\",\"root_cause\":null,"
            + "\"recommendations\":[\"Check the upstream service\"],\"evidence\":[\"12 refused connections\"],"
            + "\"observation_confidence\":\"high\",\"diagnosis_confidence\":\"low\",\"limitations\":[],"
            + "\"severity\":\"warning\"}";

    private Answers() {
    }
}
