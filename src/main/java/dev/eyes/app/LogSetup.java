package dev.eyes.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.status.NopStatusListener;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * Logback's configuration, in code: one appender on stderr (stdout carries command output and, for
 * {@code eyes mcp}, the protocol), lines like {@code 2026-11-28T02:38:21.407Z INFO  Observer: following journald}.
 * Configuring in code rather than with {@code logback.xml} keeps logback's XML configurator and the JDK's XML
 * parser out of the process: about 500 classes, a few MB of resident memory in a process meant to stay small.
 * A {@code logback-test.xml} on the class path or {@code -Dlogback.configurationFile} still wins.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_NORMAL_PRIORITY)
public final class LogSetup extends ContextAwareBase implements Configurator {
    /** Libraries that are chatty at INFO. */
    private static final String[] QUIET = {"oshi", "reactor", "io.modelcontextprotocol", "com.networknt",
        "io.micrometer"};

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null
                || LogSetup.class.getClassLoader().getResource("logback-test.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        context.getStatusManager().add(new NopStatusListener());
        Line layout = new Line();
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(stderr);
        for (String name : QUIET) {
            context.getLogger(name).setLevel(Level.WARN);
        }
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** {@code <time> <LEVEL> <logger's simple name>: <message>} and the stack trace, if any. */
    static final class Line extends LayoutBase<ILoggingEvent> {
        private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX")
                .withZone(ZoneId.systemDefault());

        @Override
        public String doLayout(ILoggingEvent e) {
            StringBuilder b = new StringBuilder(128);
            TIME.formatTo(Instant.ofEpochMilli(e.getTimeStamp()), b);
            String level = e.getLevel().toString();
            b.append(' ').append(level);
            for (int i = level.length(); i < 5; i++) {
                b.append(' ');
            }
            String logger = e.getLoggerName();
            b.append(' ').append(logger, logger.lastIndexOf('.') + 1, logger.length()).append(": ")
                    .append(e.getFormattedMessage()).append(CoreConstants.LINE_SEPARATOR);
            IThrowableProxy t = e.getThrowableProxy();
            if (t != null) {
                b.append(ThrowableProxyUtil.asString(t)).append(CoreConstants.LINE_SEPARATOR);
            }
            return b.toString();
        }
    }
}
