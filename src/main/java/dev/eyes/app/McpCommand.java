package dev.eyes.app;

import ch.qos.logback.classic.Level;
import dev.eyes.config.EyesConfig;
import dev.eyes.mcp.EyesMcpServer;
import dev.eyes.store.Database;
import dev.eyes.store.StoreException;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code eyes mcp}: the MCP server over stdio for AI agents (see {@link EyesMcpServer}). stdout carries protocol
 * frames only: the server writes to file descriptor 1 directly and {@code System.out} is pointed at stderr first,
 * so a stray print from any library lands in the log, not in the protocol. Exits 0 when stdin closes; exits 1,
 * before serving, when there is no database file (one that cannot be opened makes every tool answer why).
 */
@Command(name = "mcp", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Serve Eyes' alerts to AI agents over the Model Context Protocol (stdio): list, search, read, "
                + "resolve, group, acknowledge, silence, analyse.",
            "Register it with an MCP client as the command 'eyes' (or java -jar eyes.jar) with the arguments "
                + "'mcp --database /absolute/path/eyes.db'."})
final class McpCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(McpCommand.class);

    @Mixin
    ConfigOptions configOptions = new ConfigOptions();

    @Option(names = "--database", paramLabel = "FILE",
            description = "SQLite file written by eyes run (default: storage.database_path of the configuration; "
                    + "with --database and no --config, no configuration is read).")
    Path database;

    @Override
    public Integer call() throws Exception {
        OutputStream protocol = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 64 * 1024);
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8));
        Logging.configure(configOptions.verbose, Level.INFO);
        Path file = database;
        if (file == null || configOptions.config != null) {
            // with --database alone no configuration is read: nothing else in it matters here, a broken
            // ~/.config/eyes/config.toml cannot keep the agent from its alerts, and start-up is faster
            EyesConfig config = configOptions.load().config();
            file = database != null ? database : config.storage().databasePath();
        }
        file = file.toAbsolutePath().normalize();
        if (!Files.isRegularFile(file)) {
            throw new UserError("there is no Eyes database at " + file + " (give --database with the file eyes run "
                    + "writes, or set storage.database_path; eyes run creates it)");
        }
        // SQLite opens (driver, pragmas, migrations) while the client's initialize is answered; a database that
        // cannot be opened makes every tool call answer with the reason
        Path dbFile = file;
        CompletableFuture<Database> opening = new CompletableFuture<>();
        Thread.ofVirtual().name("eyes-mcp-open").start(() -> {
            try {
                opening.complete(Database.open(dbFile));
            } catch (StoreException | RuntimeException e) {
                LOG.error("{}", e.getMessage());
                opening.completeExceptionally(e);
            }
        });
        try (EyesMcpServer server = new EyesMcpServer(opening, file, Version.current(), InstantSource.system())) {
            LOG.info("eyes mcp {}: serving {} over stdio", Version.current(), file);
            server.serve(new FileInputStream(FileDescriptor.in), protocol);
        }
        LOG.info("eyes mcp: stdin closed; exiting");
        return 0;
    }
}
