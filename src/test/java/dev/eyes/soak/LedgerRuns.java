package dev.eyes.soak;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The ledger file, split into runs: after each kill everything appended since the previous split belongs to
 * the run just killed (a dead process writes nothing more).
 */
final class LedgerRuns {
    private final Path file;
    private final List<List<Integer>> runs = new ArrayList<>();
    private long offset;
    private int partial;

    LedgerRuns(Path file) {
        this.file = file;
    }

    /** The numbered entries the run that just ended processed, in order. */
    List<Integer> nextRun() throws IOException {
        List<Integer> run = new ArrayList<>();
        if (Files.exists(file)) {
            byte[] bytes;
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
                bytes = new byte[(int) (f.length() - offset)];
                f.seek(offset);
                f.readFully(bytes);
            }
            offset += bytes.length;
            String text = new String(bytes, StandardCharsets.UTF_8);
            if (!text.isEmpty() && !text.endsWith("\n")) {
                partial++;
            }
            for (String line : completeLines(text)) {
                int tab = line.indexOf('\t');
                if (tab > 0 && line.substring(0, tab).equals(CrashConsistency.NUMBERED)) {
                    int n = SourceKills.number(line.substring(tab + 1));
                    if (n >= 0) {
                        run.add(n);
                    }
                }
            }
        }
        runs.add(run);
        return run;
    }

    int size() {
        return runs.size();
    }

    /** Everything runs before {@code index} processed. */
    Set<Integer> before(int index) {
        Set<Integer> s = new HashSet<>();
        for (int i = 0; i < index; i++) {
            s.addAll(runs.get(i));
        }
        return s;
    }

    /** How many entries run {@code index} processed that an earlier run had processed already. */
    int again(int index) {
        Set<Integer> earlier = before(index);
        return (int) runs.get(index).stream().filter(earlier::contains).count();
    }

    Set<Integer> all() {
        return before(runs.size());
    }

    /** Whether the closed runs plus what the running one wrote so far cover entries 0..written-1. */
    boolean coversWithCurrent(int written) throws IOException {
        Set<Integer> seen = all();
        String text = Files.exists(file) ? tail() : "";
        for (String line : completeLines(text)) {
            int tab = line.indexOf('\t');
            if (tab > 0 && line.substring(0, tab).equals(CrashConsistency.NUMBERED)) {
                int n = SourceKills.number(line.substring(tab + 1));
                if (n >= 0) {
                    seen.add(n);
                }
            }
        }
        for (int i = 0; i < written; i++) {
            if (!seen.contains(i)) {
                return false;
            }
        }
        return true;
    }

    private String tail() throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            byte[] bytes = new byte[(int) (f.length() - offset)];
            f.seek(offset);
            f.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** The lines that ended with a newline (a line still being written is left out). */
    static List<String> completeLines(String text) {
        int end = text.lastIndexOf('\n');
        return end < 0 ? List.of() : List.of(text.substring(0, end).split("\n"));
    }

    int partialLines() {
        return partial;
    }
}
