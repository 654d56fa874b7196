package dev.sluice.engine.store;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

/**
 * Drops exactly one log line: Flyway's {@code Using H2 2.4.240 which is newer than the version
 * Flyway has been verified with}. Sluice pins its H2 and tests its migrations on it, so the line
 * says nothing a user can act on, and it was the first thing every command printed. Every other
 * message of that logger (an unsupported database, a PostgreSQL newer than Flyway knows) and of
 * Flyway stays. Installed by {@code app.LogSetup}.
 */
public final class FlywayH2VersionFilter extends TurboFilter {

    static final String LOGGER = "org.flywaydb.core.internal.database.base.Database";

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        return matches(logger == null ? null : logger.getName(), level, format) ? FilterReply.DENY : FilterReply.NEUTRAL;
    }

    static boolean matches(String logger, Level level, String message) {
        return LOGGER.equals(logger) && level == Level.WARN && message != null
                && message.startsWith("Using H2 ")
                && message.contains("which is newer than the version Flyway has been verified with");
    }
}
