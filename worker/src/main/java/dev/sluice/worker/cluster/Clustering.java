package dev.sluice.worker.cluster;

import com.hazelcast.config.ClassFilter;
import com.hazelcast.config.Config;
import com.hazelcast.config.IcmpFailureDetectorConfig;
import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.JksOptions;
import io.vertx.core.net.KeyStoreOptionsBase;
import io.vertx.core.net.PfxOptions;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Starts a clustered Vert.x on a hardened Hazelcast, the same way for the engine and the workers.
 *
 * <p>Hazelcast only carries membership and the event bus's address book (which member listens on
 * which address); messages travel over Vert.x's own TCP connections between members, as JSON. The
 * configuration is built here in code (no {@code cluster.xml}, no {@code hazelcast.xml} is read):
 *
 * <h2>Membership</h2>
 * <ul>
 *   <li><b>Cluster name</b> {@link ClusterOptions#clusterName()}: members of other names are refused.
 *       It separates clusters; it is not a secret (Hazelcast's open-source edition has no member
 *       authentication: keep the cluster port on a private network).</li>
 *   <li><b>Join by TCP-IP only</b>, with the explicit {@link ClusterOptions#members()}; multicast,
 *       auto-detection, AWS, GCP, Azure, Kubernetes, Eureka and discovery SPI are all off, so a
 *       member never finds (or is found by) anything it was not told about.</li>
 *   <li><b>Bind</b>: the member listens on {@link ClusterOptions#host()} only
 *       ({@code hazelcast.socket.bind.any=false} and an interface restricted to that address),
 *       never on the wildcard address. Port: {@link ClusterOptions#port()} or, when taken, the
 *       next free one of 100 (several workers on one machine); {@code 0} for any free port.</li>
 *   <li><b>Lite member</b> {@link ClusterOptions#liteMember()}: holds no partition of cluster
 *       data, so a worker joining or leaving moves no data.</li>
 *   <li>{@code hazelcast.wait.seconds.before.join=0} and
 *       {@code hazelcast.max.wait.seconds.before.join=1} (defaults 5 and 20): a member joins as
 *       soon as the master answers instead of waiting for other joiners (start-up in about a
 *       second on loopback).</li>
 *   <li>{@code hazelcast.merge.first.run.delay.seconds=10} and
 *       {@code hazelcast.merge.next.run.delay.seconds=10} (defaults 300 and 120): two clusters
 *       formed apart (e.g. a worker started before any engine, or the two sides of a healed
 *       network split) look for each other every 10 s and merge.</li>
 * </ul>
 *
 * <h2>Failure detection</h2>
 * Hazelcast's defaults declare a silent member dead after 60 s. Here:
 * <ul>
 *   <li>{@code hazelcast.heartbeat.interval.seconds=1} (default 5): members heartbeat every second;</li>
 *   <li>{@code hazelcast.max.no.heartbeat.seconds=5} (default 60): with the default
 *       {@code deadline} failure detector ({@code hazelcast.heartbeat.failuredetector.type}), a
 *       member silent for 5 s (killed, frozen by SIGSTOP, cut off) is removed. A member killed
 *       with {@code kill -9} usually goes faster: its peers see its connections reset and, after
 *       {@code hazelcast.connection.monitor.max.faults} (3) failed reconnects, suspect it.</li>
 *   <li>{@code hazelcast.member.list.publish.interval.seconds=5} (default 60): the master
 *       re-publishes the member list, so a member that missed an update converges quickly;</li>
 *   <li>ICMP pings stay off (they need privileges and add nothing on loopback).</li>
 * </ul>
 * Vert.x then drops the removed member's event-bus registrations and the engine's membership
 * listener sees it leave. A long GC pause over 5 s also gets a member removed; it rejoins (the
 * merge settings above) and Sluice's leases decide what happens to its work.
 *
 * <h2>Serialization</h2>
 * Sluice's messages are JSON ({@code JsonObject}), never Java-serialized. Hazelcast's Java
 * deserialization filter is on with its permissive defaults (every class under {@code java*}) off
 * and only this whitelist: class-name prefixes {@code com.hazelcast.} (Hazelcast's own types),
 * {@code io.vertx.} (the cluster manager's node and registration records), and the packages
 * {@code java.lang}, {@code java.util}, {@code java.util.concurrent}, {@code java.time}, plus
 * {@link #ALLOWED_ARRAYS} (stack traces of exceptions members send each other). Anything else is
 * refused before it is instantiated.
 *
 * <h2>Other hardening</h2>
 * <ul>
 *   <li>{@code hazelcast.phone.home.enabled=false}: no usage report to hazelcast.com;</li>
 *   <li>Jet (stream processing), metrics collection, the REST and memcache endpoints are off;</li>
 *   <li>{@code hazelcast.logging.type=slf4j}, {@code hazelcast.logging.emoji.enabled=false}:
 *       Hazelcast logs through SLF4J like the rest of Sluice;</li>
 *   <li>{@code hazelcast.graceful.shutdown.max.wait=10} (default 600): closing a data member waits
 *       at most 10 s for its partitions to move;</li>
 *   <li>Hazelcast's shutdown hook is off (Vert.x turns it off too): whoever calls
 *       {@link #start} closes the {@link Vertx}, which leaves the cluster cleanly.</li>
 * </ul>
 *
 * <h2>Event bus</h2>
 * Vert.x's event bus listens on {@link ClusterOptions#host()}, any free port. With
 * {@link ClusterOptions#tls()} every event-bus connection is TLS with the member's keystore and
 * truststore, and client authentication is REQUIRED (mutual TLS): the receiving member checks the
 * sender's certificate, and the sender the receiver's ({@code trustAll} off: Vert.x's event bus
 * trusts every server by default, which would let a rogue member with any certificate receive
 * messages sent to the addresses it registers). Vert.x checks no host name on event-bus
 * connections: any certificate that chains to one in the truststore is accepted, whatever its
 * name, so the truststore should hold a CA that signs Sluice's members only.
 * Hazelcast's own traffic (membership, the address book) is not encrypted: TLS for it is in
 * Hazelcast's enterprise edition only.
 *
 * <p>The Vert.x maps of the cluster manager ({@code __vertx.subs}, {@code __vertx.haInfo},
 * {@code __vertx.nodeInfo}) are configured as in vertx-hazelcast's default {@code cluster.xml}
 * (one backup; the subscriptions as a set).
 */
public final class Clustering {

    /** Java-deserializable class-name prefixes (everything else is refused). */
    static final String[] ALLOWED_PREFIXES = {"com.hazelcast.", "io.vertx."};
    /** Java-deserializable packages (exact package names). */
    static final String[] ALLOWED_PACKAGES = {"java.lang", "java.util", "java.util.concurrent", "java.time"};
    /**
     * Arrays of those, which the filter names by their array class: members send each other
     * exceptions (an operation's error response, e.g. while the member list changes) with their
     * stack traces, and refusing those left a joining member waiting on an answer it could not read.
     */
    static final String[] ALLOWED_ARRAYS = {"[Ljava.lang.StackTraceElement;", "[Ljava.lang.Throwable;",
        "[Ljava.lang.Object;", "[Ljava.lang.String;"};

    private Clustering() {}

    /** How often registering a consumer is tried before giving up. */
    static final int CONSUMER_TRIES = 10;

    /**
     * Registers an event-bus consumer and waits until the cluster knows it, trying again (after
     * 100 ms, 200 ms, ...) when that fails: the registration is a Hazelcast operation, refused while
     * the member list changes (e.g. {@code ClusterTopologyChangedException} when two workers join
     * at once).
     */
    public static <T> Future<MessageConsumer<T>> consumer(Vertx vertx, String address, Handler<Message<T>> handler) {
        return consumer(vertx, address, handler, 1);
    }

    private static <T> Future<MessageConsumer<T>> consumer(Vertx vertx, String address, Handler<Message<T>> handler, int attempt) {
        MessageConsumer<T> consumer = vertx.eventBus().consumer(address, handler);
        return consumer.completion().map(v -> consumer).recover(e -> {
            if (attempt >= CONSUMER_TRIES) return Future.failedFuture(e);
            Promise<MessageConsumer<T>> again = Promise.promise();
            consumer.unregister().onComplete(u -> vertx.setTimer(100L * attempt,
                    t -> consumer(vertx, address, handler, attempt + 1).onComplete(again)));
            return again.future();
        });
    }

    /**
     * Starts a clustered Vert.x joined to the cluster {@code options} describe. Fails at once,
     * before joining anything, when the TLS stores cannot be opened ({@link ClusterTls#check()}).
     */
    public static Future<Vertx> start(ClusterOptions options) {
        Config config;
        try {
            options.tls().ifPresent(ClusterTls::check);
            config = hazelcastConfig(options);
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(e);
        }
        return Vertx.builder()
                .with(vertxOptions(options))
                .withClusterManager(new HazelcastClusterManager(config))
                .buildClustered();
    }

    /**
     * The Hazelcast member under a Vert.x that {@link #start} started: for membership listeners
     * ({@code getCluster().addMembershipListener}) and this member's address. Empty for a Vert.x
     * that is not clustered on Hazelcast.
     */
    public static Optional<HazelcastInstance> hazelcast(Vertx vertx) {
        ClusterManager manager = vertx instanceof VertxInternal internal ? internal.clusterManager() : null;
        return manager instanceof HazelcastClusterManager hz ? Optional.ofNullable(hz.getHazelcastInstance()) : Optional.empty();
    }

    /** The hardened Hazelcast configuration described in the class comment. */
    public static Config hazelcastConfig(ClusterOptions options) {
        Config config = new Config();
        config.setClusterName(options.clusterName());
        config.setLiteMember(options.liteMember());
        properties().forEach(config::setProperty);

        NetworkConfig network = config.getNetworkConfig();
        network.setPort(options.port());
        network.setPortAutoIncrement(options.port() != 0);
        network.setPortCount(100);
        network.getInterfaces().setEnabled(true).addInterface(address(options.host()));
        network.getRestApiConfig().setEnabled(false);
        network.getMemcacheProtocolConfig().setEnabled(false);
        network.setIcmpFailureDetectorConfig(new IcmpFailureDetectorConfig().setEnabled(false));

        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getAwsConfig().setEnabled(false);
        join.getGcpConfig().setEnabled(false);
        join.getAzureConfig().setEnabled(false);
        join.getKubernetesConfig().setEnabled(false);
        join.getEurekaConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(options.members()).setConnectionTimeoutSeconds(5);

        config.getJetConfig().setEnabled(false);
        config.getMetricsConfig().setEnabled(false);
        config.getSerializationConfig().setJavaSerializationFilterConfig(deserializationFilter());

        config.addMultiMapConfig(new MultiMapConfig("__vertx.subs").setBackupCount(1)
                .setValueCollectionType(MultiMapConfig.ValueCollectionType.SET));
        config.addMapConfig(new MapConfig("__vertx.haInfo").setBackupCount(1));
        config.addMapConfig(new MapConfig("__vertx.nodeInfo").setBackupCount(1));
        return config;
    }

    /** The Hazelcast properties of the class comment. */
    static Map<String, String> properties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("hazelcast.phone.home.enabled", "false");
        p.put("hazelcast.logging.type", "slf4j");
        p.put("hazelcast.logging.emoji.enabled", "false");
        p.put("hazelcast.socket.bind.any", "false");
        p.put("hazelcast.wait.seconds.before.join", "0");
        p.put("hazelcast.max.wait.seconds.before.join", "1");
        p.put("hazelcast.heartbeat.interval.seconds", "1");
        p.put("hazelcast.max.no.heartbeat.seconds", "5");
        p.put("hazelcast.heartbeat.failuredetector.type", "deadline");
        p.put("hazelcast.member.list.publish.interval.seconds", "5");
        p.put("hazelcast.merge.first.run.delay.seconds", "10");
        p.put("hazelcast.merge.next.run.delay.seconds", "10");
        p.put("hazelcast.graceful.shutdown.max.wait", "10");
        p.put("hazelcast.shutdownhook.enabled", "false");
        return p;
    }

    /** The event bus on the member's host, any port; mutual TLS when asked. */
    public static VertxOptions vertxOptions(ClusterOptions options) {
        VertxOptions vertx = new VertxOptions();
        EventBusOptions bus = vertx.getEventBusOptions().setHost(options.host()).setPort(0);
        options.tls().ifPresent(tls -> bus.setSsl(true)
                .setKeyCertOptions(store(tls.keystore(), tls.keystorePassword()))
                .setTrustOptions(store(tls.truststore(), tls.truststorePassword()))
                .setClientAuth(ClientAuth.REQUIRED)
                // the event bus's default is to trust ALL servers: a sender would then deliver to a
                // rogue member's consumers without looking at its certificate
                .setTrustAll(false));
        return vertx;
    }

    /**
     * A {@link JksOptions} or a {@link PfxOptions}, never a plain {@code KeyStoreOptions}: the
     * clustered event bus copies its options through {@code EventBusOptions.toJson()}, which keeps
     * only these two store types (and PEM); a {@code KeyStoreOptions} is silently dropped and the
     * event bus then fails to start with "Key/certificate is mandatory for SSL".
     */
    private static KeyStoreOptionsBase store(Path path, String password) {
        KeyStoreOptionsBase store = ClusterTls.storeType(path).equals("JKS") ? new JksOptions() : new PfxOptions();
        return store.setPath(path.toString()).setPassword(password);
    }

    private static JavaSerializationFilterConfig deserializationFilter() {
        ClassFilter allowed = new ClassFilter().addPrefixes(ALLOWED_PREFIXES).addPackages(ALLOWED_PACKAGES)
                .addClasses(ALLOWED_ARRAYS);
        return new JavaSerializationFilterConfig().setDefaultsDisabled(true).setWhitelist(allowed);
    }

    /** The IP address of {@code host}, as Hazelcast's interface list wants it. */
    private static String address(String host) {
        try {
            return InetAddress.getByName(host).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("unknown cluster host: " + host);
        }
    }
}
