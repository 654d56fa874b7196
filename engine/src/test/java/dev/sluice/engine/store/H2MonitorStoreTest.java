package dev.sluice.engine.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The monitoring store contract on the embedded H2 database. */
class H2MonitorStoreTest extends MonitorStoreContractTest {

    @TempDir
    Path dataDir;

    @Override
    protected Store openStore() {
        return Stores.open(null, dataDir);
    }
}
