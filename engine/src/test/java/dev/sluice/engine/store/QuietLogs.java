package dev.sluice.engine.store;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/** Keeps the libraries' DEBUG chatter (pool, migrations, embedded server) out of test output. */
final class QuietLogs {

    private QuietLogs() {}

    static void apply() {
        for (String name : new String[] {"com.zaxxer.hikari", "org.flywaydb", "io.zonky", "org.postgresql"}) {
            ((Logger) LoggerFactory.getLogger(name)).setLevel(Level.WARN);
        }
    }
}
