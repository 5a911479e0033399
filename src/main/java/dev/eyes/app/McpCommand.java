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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code eyes mcp}: the MCP server over stdio for AI agents (see {@link EyesMcpServer}). stdout carries protocol
 * frames only: the server writes to file descriptor 1 directly and {@code System.out} is pointed at stderr first,
 * so a stray print from any library lands in the log, not in the protocol. Exits 0 when stdin closes; exits 1,
 * before serving, when there is no database or it cannot be opened.
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
            description = "SQLite file written by eyes run (default: storage.database_path of the configuration).")
    Path database;

    @Override
    public Integer call() throws Exception {
        OutputStream protocol = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 64 * 1024);
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8));
        Logging.configure(configOptions.verbose, Level.INFO);
        EyesConfig config = configOptions.load().config();
        Path file = (database != null ? database : config.storage().databasePath()).toAbsolutePath().normalize();
        if (!Files.isRegularFile(file)) {
            throw new UserError("there is no Eyes database at " + file + " (give --database with the file eyes run "
                    + "writes, or set storage.database_path; eyes run creates it)");
        }
        Database db;
        try {
            db = Database.open(file);
        } catch (StoreException e) {
            throw new UserError(e.getMessage());
        }
        try (EyesMcpServer server = new EyesMcpServer(db, Version.current(), InstantSource.system())) {
            LOG.info("eyes mcp {}: serving {} over stdio", Version.current(), file);
            server.serve(new FileInputStream(FileDescriptor.in), protocol);
        }
        LOG.info("eyes mcp: stdin closed; exiting");
        return 0;
    }
}
