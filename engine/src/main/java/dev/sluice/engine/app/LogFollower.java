package dev.sluice.engine.app;

import dev.sluice.engine.client.ServerClient;
import dev.sluice.engine.client.SseEvent;
import java.io.PrintWriter;

/**
 * Prints a followed log stream's lines as they come. After a reconnect without event ids the
 * server sends the attempt's log from its start again: the lines already printed are skipped.
 */
final class LogFollower implements ServerClient.StreamListener {

    private final PrintWriter out;
    private long printed;
    private long toSkip;
    private boolean ids;

    LogFollower(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void connected(boolean again) {
        toSkip = again && !ids ? printed : 0;
    }

    @Override
    public boolean event(SseEvent e) {
        if (e.event().equals("end")) return false;
        if (!e.event().equals("log")) return true;
        if (e.id() != null) ids = true;
        if (toSkip > 0) {
            toSkip--;
            return true;
        }
        out.println(e.data());
        out.flush();
        printed++;
        return true;
    }
}
