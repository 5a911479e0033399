package dev.eyes.bench;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * The whole-process baseline for P1: read a journald JSON file and let Jackson tokenize every line, nothing else.
 * Prints {@code lines seconds lines/s}.
 */
public final class BareJacksonParse {
    private BareJacksonParse() {
    }

    public static void main(String[] args) throws Exception {
        JsonFactory json = JsonFactory.builder().build();
        long start = System.nanoTime();
        long lines = 0;
        long tokens = 0;
        try (InputStream in = Files.newInputStream(Path.of(args[0]));
             JsonParser p = json.createParser(ObjectReadContext.empty(), in)) {
            JsonToken t;
            int depth = 0;
            while ((t = p.nextToken()) != null) {
                tokens++;
                if (t == JsonToken.START_OBJECT && depth++ == 0) {
                    lines++;
                } else if (t == JsonToken.END_OBJECT) {
                    depth--;
                }
            }
        }
        double s = (System.nanoTime() - start) / 1e9;
        System.out.printf("%d %.3f %.0f%n", lines, s, lines / s);
        if (tokens == 0) {
            System.exit(1);
        }
    }
}
