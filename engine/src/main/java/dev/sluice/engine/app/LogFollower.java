package dev.sluice.engine.app;

import dev.sluice.engine.client.ServerClient;
import dev.sluice.engine.client.SseEvent;
import java.io.PrintWriter;

/**
 * Prints a followed log stream's lines as they come. The server puts an event id on the last line
 * of each stored chunk only, so after a reconnect it sends again the lines after the last id seen:
 * those already printed are skipped.
 */
final class LogFollower implements ServerClient.StreamListener {

    private final PrintWriter out;
    private long sinceId;
    private long toSkip;

    LogFollower(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void connected(boolean again) {
        toSkip = again ? sinceId : 0;
    }

    @Override
    public boolean event(SseEvent e) {
        if (e.event().equals("end")) return false;
        if (!e.event().equals("log")) return true;
        if (toSkip > 0) {
            toSkip--;
            return true;
        }
        out.println(e.data());
        out.flush();
        sinceId = e.id() != null ? 0 : sinceId + 1;
        return true;
    }
}
