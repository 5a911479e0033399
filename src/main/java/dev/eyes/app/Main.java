package dev.eyes.app;

import java.io.PrintWriter;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code eyes} command line. With no subcommand it runs the observer, like {@code eyes run}. */
@Command(name = "eyes", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Eyes watches this machine and tells you, in plain words, what is going wrong and why.",
        subcommands = {RunCommand.class, ReplayCommand.class, AnalyzeCommand.class, SampleCommand.class,
            ParseCommand.class, McpCommand.class, ConfigCommand.class, ServiceCommand.class, VersionCommand.class,
            CommandLine.HelpCommand.class})
public final class Main implements java.util.concurrent.Callable<Integer> {

    @Override
    public Integer call() throws Exception {
        return new RunCommand().call();
    }

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line and returns the exit status; usable from tests. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setParameterExceptionHandler((ex, a) -> {
            err.println("eyes: " + ex.getMessage());
            ex.getCommandLine().usage(err);
            return 1;
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof UserError u) {
                err.println("eyes: " + u.getMessage());
                return u.exitCode();
            }
            err.println("eyes: internal error: " + ex + " (run with --verbose for details)");
            LoggerFactory.getLogger(Main.class).debug("internal error", ex);
            return 1;
        });
        return cli.execute(args);
    }
}
