package dev.eyes.soak;

import java.util.List;

/**
 * One parser under fuzz: {@link #run} feeds an input through the entry points production uses and accounts for
 * every record. It returns what became of the records, or throws {@link ContractViolation} when a result breaks the
 * parser's contract or the records do not add up; any other Throwable is an uncaught exception of the parser.
 * {@code run} must depend on its input only (no state across inputs), so a saved input replays the same way.
 */
interface FuzzTarget {
    String name();

    /** The real captures the mutated inputs start from; never empty. */
    List<byte[]> corpus();

    Tally run(byte[] input) throws Exception;

    /** Records parsed, and records counted as skipped (malformed, ignored or unparseable). */
    record Tally(long parsed, long skipped) {
    }

    /** A result outside the parser's contract, or records that were neither parsed nor counted as skipped. */
    final class ContractViolation extends RuntimeException {
        ContractViolation(String message) {
            super(message);
        }
    }

    static void check(boolean ok, String what, Object... args) {
        if (!ok) {
            throw new ContractViolation(String.format(java.util.Locale.ROOT, what, args));
        }
    }

    /** null, or a finite number in [min, max]. */
    static void range(Double v, double min, double max, String what) {
        check(v == null || (Double.isFinite(v) && v >= min && v <= max), "%s = %s is outside [%s, %s]", what, v, min,
                max);
    }

    /** null, or a finite number ≥ 0. */
    static void nonNegative(Double v, String what) {
        check(v == null || (Double.isFinite(v) && v >= 0), "%s = %s is not a finite number >= 0", what, v);
    }
}
