package dev.eyes.store;

import java.util.Locale;

/** Where a candidate's analysis stands: pending → analyzed | failed | not_done; failed/not_done → pending by a manual retry. */
public enum AnalysisStatus {
    PENDING, ANALYZED, FAILED, NOT_DONE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static AnalysisStatus parse(String s) {
        for (AnalysisStatus a : values()) {
            if (a.wireName().equals(s)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown analysis status " + s);
    }
}
