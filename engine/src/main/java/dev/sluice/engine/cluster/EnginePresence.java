package dev.sluice.engine.cluster;

import dev.sluice.worker.cluster.Clustering;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which engines are up, for {@code GET /api/cluster} on any of them: each publishes itself on
 * {@value #ADDRESS} every {@link #EVERY}, the leader with its workers; one not heard from for
 * {@link #GONE} is left out.
 */
public final class EnginePresence implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EnginePresence.class);

    static final String ADDRESS = "sluice.engines";
    static final Duration EVERY = Duration.ofSeconds(1);
    static final Duration GONE = Duration.ofSeconds(10);

    private record Seen(JsonObject facts, Instant at) {}

    private final Vertx vertx;
    private final String id;
    private final String name;
    private final String apiUrl;
    private final Clock clock;
    private final Supplier<JsonObject> leaderFacts;
    private final Instant joinedAt;
    private final Map<String, Seen> others = new ConcurrentHashMap<>();
    private final Future<MessageConsumer<JsonObject>> consumer;
    private final long timer;

    /** @param leaderFacts {@code {"leader": bool, "workers": [...]}} of this engine now */
    public EnginePresence(Vertx vertx, String id, String name, String apiUrl, Clock clock, Supplier<JsonObject> leaderFacts) {
        this.vertx = vertx;
        this.id = id;
        this.name = name;
        this.apiUrl = apiUrl;
        this.clock = clock;
        this.leaderFacts = leaderFacts;
        this.joinedAt = clock.instant();
        // registered again when the cluster refuses it while its member list changes (another engine joining)
        this.consumer = Clustering.<JsonObject>consumer(vertx, ADDRESS, m -> {
            JsonObject f = m.body();
            String from = f.getString("id");
            if (from != null && !from.equals(id)) others.put(from, new Seen(f, clock.instant()));
        }).onFailure(e -> log.error("cannot hear the other engines ({}): the cluster's page shows only this one", e.toString()));
        this.timer = vertx.setPeriodic(0, EVERY.toMillis(), t -> vertx.eventBus().publish(ADDRESS, self()));
    }

    public String apiUrl() {
        return apiUrl;
    }

    public Instant joinedAt() {
        return joinedAt;
    }

    private JsonObject self() {
        return leaderFacts.get().copy().put("id", id).put("name", name).put("url", apiUrl).put("joinedAt", joinedAt.toString());
    }

    /** Engines (the leader first), then the leader's workers. */
    public List<Member> members() {
        Instant now = clock.instant();
        List<JsonObject> engines = new ArrayList<>();
        engines.add(self().put("lastSeen", now.toString()));
        others.values().removeIf(s -> Duration.between(s.at(), now).compareTo(GONE) > 0);
        for (Seen s : others.values()) engines.add(s.facts().copy().put("lastSeen", s.at().toString()));
        engines.sort(Comparator.comparing((JsonObject e) -> !e.getBoolean("leader", false)).thenComparing(e -> e.getString("name", "")));
        List<Member> all = new ArrayList<>();
        JsonArray workers = new JsonArray();
        for (JsonObject e : engines) {
            all.add(new Member(e.getString("id"), e.getString("name"), "engine", e.getBoolean("leader", false), e.getString("url"),
                    List.of(), 0, 0, Instant.parse(e.getString("joinedAt")), Instant.parse(e.getString("lastSeen"))));
            if (e.getBoolean("leader", false) && workers.isEmpty()) workers = e.getJsonArray("workers", new JsonArray());
        }
        for (Object o : workers) all.add(fromJson((JsonObject) o));
        return all;
    }

    public static JsonArray toJson(List<Member> members) {
        JsonArray a = new JsonArray();
        for (Member m : members) {
            a.add(new JsonObject().put("id", m.id()).put("name", m.name()).put("address", m.address())
                    .put("labels", new JsonArray(m.labels())).put("slots", m.slots()).put("running", m.running())
                    .put("joinedAt", m.joinedAt().toString()).put("lastSeen", m.lastSeen().toString()));
        }
        return a;
    }

    private static Member fromJson(JsonObject w) {
        List<String> labels = new ArrayList<>();
        for (Object l : w.getJsonArray("labels", new JsonArray())) labels.add(String.valueOf(l));
        return new Member(w.getString("id"), w.getString("name"), "worker", false, w.getString("address"), labels,
                w.getInteger("slots", 0), w.getInteger("running", 0), Instant.parse(w.getString("joinedAt")),
                Instant.parse(w.getString("lastSeen")));
    }

    @Override
    public void close() {
        vertx.cancelTimer(timer);
        consumer.onSuccess(MessageConsumer::unregister);
    }
}
