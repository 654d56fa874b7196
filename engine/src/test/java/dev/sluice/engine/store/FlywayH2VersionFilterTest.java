package dev.sluice.engine.store;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class FlywayH2VersionFilterTest {

    @TempDir
    Path dir;

    @Test
    void migratingANewH2StoreLogsNoWarning() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> seen = new ListAppender<>();
        seen.start();
        root.addAppender(seen);
        try (Store store = Stores.open(null, dir.resolve("data"))) {
            assertThat(store).isNotNull();
        } finally {
            root.detachAppender(seen);
        }
        assertThat(seen.list).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .extracting(ILoggingEvent::getFormattedMessage).isEmpty();
    }

    @Test
    void dropsOnlyTheH2VersionNotice() {
        String logger = FlywayH2VersionFilter.LOGGER;
        assertThat(FlywayH2VersionFilter.matches(logger, Level.WARN,
                "Using H2 2.4.240 which is newer than the version Flyway has been verified with. "
                        + "The latest verified version of H2 is 2.3.232.")).isTrue();
        assertThat(FlywayH2VersionFilter.matches(logger, Level.WARN,
                "Using PostgreSQL 19.0 which is newer than the version Flyway has been verified with.")).isFalse();
        assertThat(FlywayH2VersionFilter.matches(logger, Level.WARN,
                "Support for H2 is not formally supported")).isFalse();
        assertThat(FlywayH2VersionFilter.matches("org.flywaydb.core.Flyway", Level.WARN,
                "Using H2 2.4.240 which is newer than the version Flyway has been verified with.")).isFalse();
    }
}
