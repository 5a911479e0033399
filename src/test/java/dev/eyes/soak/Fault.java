package dev.eyes.soak;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A resource fault put on the database while Eyes runs, and taken away again. */
sealed interface Fault extends AutoCloseable permits Fault.FullDisk, Fault.HeldLock {
    /** For the report. */
    String title();

    /** A word the store's error names while the fault holds (SQLite's own message). */
    String symptom();

    /** Puts the fault in place; returns once it holds. */
    void begin() throws Exception;

    /** Takes it away; returns once it is gone. */
    void end() throws Exception;

    @Override
    default void close() throws Exception {
        end();
    }

    /**
     * Fills the database's filesystem with a filler file until not one more byte fits, and keeps taking whatever
     * space is freed (as a runaway log would: SQLite frees its WAL file when its last connection closes); {@link #end}
     * stops that and deletes the filler.
     */
    final class FullDisk implements Fault {
        private final Path filler;
        private volatile boolean hogging;
        private Thread hog;
        long fillerBytes;

        FullDisk(Path mount) {
            this.filler = mount.resolve("filler");
        }

        @Override
        public String title() {
            return "Full filesystem";
        }

        @Override
        public String symptom() {
            return "full";
        }

        @Override
        public void begin() throws IOException {
            fill();
            long free = Files.getFileStore(filler).getUsableSpace();
            if (free != 0) {
                throw new IllegalStateException("the filesystem still has " + free + " bytes free after the filler");
            }
            hogging = true;
            hog = Thread.ofVirtual().name("filler").start(() -> {
                while (hogging) {
                    try {
                        fill();
                        Thread.sleep(5);
                    } catch (IOException | InterruptedException e) {
                        return;
                    }
                }
            });
        }

        /** Appends to the filler, 1 MiB at a time down to 1 byte, until nothing more fits. */
        private synchronized void fill() throws IOException {
            byte[] chunk = new byte[1 << 20];
            java.util.Arrays.fill(chunk, (byte) 0x5a);
            try (OutputStream out = Files.newOutputStream(filler, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND)) {
                for (int size = chunk.length; size >= 1; size /= 2) {
                    while (hogging || hog == null) {
                        try {
                            out.write(chunk, 0, size);
                            out.flush();
                            fillerBytes += size;
                        } catch (IOException full) {
                            break; // no room for this size: try a smaller one
                        }
                    }
                }
            } catch (IOException closing) {
                // closing a stream whose last write failed may repeat the failure: the file is what it is
            }
        }

        @Override
        public void end() throws IOException, InterruptedException {
            hogging = false;
            if (hog != null) {
                hog.join();
            }
            Files.deleteIfExists(filler);
        }
    }

    /**
     * Another process — Debian's {@code sqlite3} command-line shell — holds {@code BEGIN EXCLUSIVE} on the database
     * until {@link #end} commits.
     */
    final class HeldLock implements Fault {
        private final Path db;
        private Process shell;
        private Writer in;

        HeldLock(Path db) {
            this.db = db;
        }

        @Override
        public String title() {
            return "Locked database";
        }

        @Override
        public String symptom() {
            return "locked";
        }

        @Override
        public void begin() throws IOException, InterruptedException {
            try {
                shell = new ProcessBuilder(List.of("sqlite3", "-batch", db.toString()))
                        .redirectErrorStream(true).start();
            } catch (IOException e) {
                throw new IllegalStateException("the sqlite3 command-line shell is needed for the locked-database "
                        + "fault (bin/test installs the Debian package sqlite3): " + e.getMessage(), e);
            }
            in = new java.io.OutputStreamWriter(shell.getOutputStream(), StandardCharsets.UTF_8);
            BufferedReader out = new BufferedReader(new InputStreamReader(shell.getInputStream(),
                    StandardCharsets.UTF_8));
            in.write(".timeout 30000\nBEGIN EXCLUSIVE;\nSELECT 'lock ' || 'held';\n");
            in.flush();
            String line;
            while ((line = out.readLine()) != null) {
                if (line.equals("lock held")) {
                    Thread.ofVirtual().start(() -> drain(out));
                    return;
                }
            }
            throw new IllegalStateException("sqlite3 could not take the lock (exit " + shell.waitFor() + ")");
        }

        private static void drain(BufferedReader out) {
            try (out) {
                while (out.readLine() != null) {
                    // keep the pipe moving
                }
            } catch (IOException ignored) {
                // the shell ended
            }
        }

        @Override
        public void end() throws IOException, InterruptedException {
            if (shell == null) {
                return;
            }
            try {
                in.write("COMMIT;\n.quit\n");
                in.close();
            } catch (IOException e) {
                // it died: the lock went with it
            }
            if (!shell.waitFor(30, TimeUnit.SECONDS)) {
                shell.destroyForcibly();
            }
            shell = null;
        }
    }
}
