package dev.sluice.engine.scheduler;

import dev.sluice.worker.protocol.AttemptKey;
import java.util.List;

/** A worker for tests that decide themselves what {@code dispatch} does: always a free slot, cancel does nothing. */
abstract class FakeDispatcher implements Dispatcher {

    private final String worker;

    FakeDispatcher(String worker) {
        this.worker = worker;
    }

    @Override
    public Placement place(List<String> labels) {
        return Placement.on(worker);
    }

    @Override
    public void release(Placement placement) {}

    @Override
    public boolean cancel(AttemptKey key) {
        return false;
    }

    @Override
    public int freeSlots() {
        return 2;
    }
}
