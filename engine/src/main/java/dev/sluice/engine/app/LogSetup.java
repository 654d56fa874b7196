package dev.sluice.engine.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.status.NopStatusListener;
import dev.sluice.engine.store.FlywayH2VersionFilter;

/**
 * Sluice's logging set up in code (found by logback through {@code META-INF/services}), as
 * {@code logback.xml} did: the command line talks to people on stderr; Sluice's own log stays quiet
 * unless asked ({@code SLUICE_LOG_LEVEL=info} or {@code debug}); step output never goes here, it is
 * stored per attempt. Reading an XML file meant a SAX parser and logback's Joran model, some 300
 * classes and tens of milliseconds on every command before it did any work.
 *
 * <p>{@code -Dlogback.configurationFile=...} or a {@code logback-test.xml} on the class path still
 * win: then this steps aside for logback's own configurator.
 */
public final class LogSetup extends ContextAwareBase implements Configurator {

    static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{0} %msg%n";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null
                || LogSetup.class.getClassLoader().getResource("logback-test.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        context.getStatusManager().add(new NopStatusListener());
        // Flyway's "Using H2 ... newer than the version Flyway has been verified with": Sluice pins
        // its H2, so a user can do nothing about it; only that line goes, Flyway's other warnings stay
        context.addTurboFilter(new FlywayH2VersionFilter());

        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();

        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(stderr);
        context.getLogger("dev.sluice").setLevel(Level.toLevel(level(), Level.WARN));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** {@code SLUICE_LOG_LEVEL}, a system property first and then the environment, as logback.xml's variable was. */
    private static String level() {
        String level = System.getProperty("SLUICE_LOG_LEVEL");
        return level != null ? level : System.getenv("SLUICE_LOG_LEVEL");
    }
}
