package dev.sluice.engine.leader;

import java.util.concurrent.atomic.AtomicInteger;

/** The leader contract on an in-memory H2 database per test (the lease and the fence are plain SQL there too). */
class LeaderH2Test extends LeaderContractTest {

    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final String url = "jdbc:h2:mem:leader-" + DATABASES.incrementAndGet();

    @Override
    protected String databaseUrl() {
        return url;
    }
}
