package dev.sluice.worker.cluster;

import com.hazelcast.cluster.Address;
import com.hazelcast.core.Hazelcast;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code --cluster-tls} end to end: clustered Vert.x instances on loopback, started by
 * {@link Clustering#start} with PKCS#12 stores made by the JDK's {@code keytool} (a CA, two members
 * it signed, a truststore holding the CA, and a rogue member signed by another CA).
 *
 * <p>The rogue's key pair is signed by a CA the cluster does not trust, and it is given the
 * cluster's real truststore: it accepts the trusted members' certificates, so only the trusted
 * member's own checks can keep it out. What it can and cannot do, as observed here:
 * <ul>
 *   <li>It <b>joins the Hazelcast cluster</b>: membership is not authenticated in the open-source
 *       edition, so it is listed as a member, reads the event bus's address book and registers
 *       consumers in it.</li>
 *   <li>Its request to a consumer on a trusted member is routed there (the request does not fail
 *       with {@code NO_HANDLERS}), but the trusted member refuses its client certificate during the
 *       TLS handshake (the rogue logs {@code SSLHandshakeException: Received fatal alert:
 *       bad_certificate}): the consumer receives nothing, the request fails with
 *       {@link ReplyFailure#TIMEOUT} after its send timeout.</li>
 *   <li>A trusted member's request to a consumer the rogue registered is routed to the rogue (so a
 *       rogue <b>can</b> deny service: an address only it listens on swallows requests), but the
 *       trusted member refuses the rogue's server certificate ({@code PKIX path building failed},
 *       logged as {@code Connecting to server ... failed}): the rogue's consumer receives nothing,
 *       the request fails with {@code TIMEOUT}. This needs {@code trustAll} off: with the event
 *       bus's default the sender checked no server certificate and the rogue got the message.</li>
 * </ul>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterTlsTest {

    private static final String PASSWORD = "changeit";
    private static final long SEND_TIMEOUT_MILLIS = 2_000;

    private Path dir;
    private ClusterTls memberA;
    private ClusterTls memberB;
    private ClusterTls rogue;
    private final List<Vertx> started = new ArrayList<>();

    @BeforeAll
    void makeStores(@TempDir Path tempDir) throws Exception {
        dir = tempDir;
        newCa("cluster-ca");
        newCa("rogue-ca");
        Path trust = truststore("trust", "cluster-ca");
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            Future<Path> a = pool.submit(() -> member("member-a", "cluster-ca"));
            Future<Path> b = pool.submit(() -> member("member-b", "cluster-ca"));
            Future<Path> r = pool.submit(() -> member("rogue", "rogue-ca"));
            memberA = new ClusterTls(a.get(), PASSWORD, trust, PASSWORD);
            memberB = new ClusterTls(b.get(), PASSWORD, trust, PASSWORD);
            rogue = new ClusterTls(r.get(), PASSWORD, trust, PASSWORD);
        } finally {
            pool.shutdownNow();
        }
    }

    @AfterEach
    void close() {
        Collections.reverse(started); // the joiners first: the first member holds the cluster's data
        for (Vertx v : started) {
            try {
                v.close().await(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.out.println("close: " + e);
            }
        }
        started.clear();
    }

    @Test
    void membersWithCertificatesOfTheClusterCaExchangeRequestsBothWays() throws Exception {
        String cluster = uniqueName();
        Vertx a = start(cluster, List.of(), memberA);
        Vertx b = start(cluster, List.of(join(a)), memberB);
        echo(a, "sluice.test.a", new CopyOnWriteArrayList<>());
        echo(b, "sluice.test.b", new CopyOnWriteArrayList<>());

        JsonObject fromA = b.eventBus().<JsonObject>request("sluice.test.a", new JsonObject().put("n", 1), timeout())
                .await(10, TimeUnit.SECONDS).body();
        JsonObject fromB = a.eventBus().<JsonObject>request("sluice.test.b", new JsonObject().put("n", 2), timeout())
                .await(10, TimeUnit.SECONDS).body();

        assertThat(fromA).isEqualTo(new JsonObject().put("n", 1).put("echoed", true));
        assertThat(fromB).isEqualTo(new JsonObject().put("n", 2).put("echoed", true));
    }

    @Test
    void aMemberSignedByAnotherCaJoinsHazelcastButNoEventBusMessageCrossesEitherWay() throws Exception {
        String cluster = uniqueName();
        Vertx a = start(cluster, List.of(), memberA);
        Vertx r = start(cluster, List.of(join(a)), rogue);
        List<JsonObject> receivedByA = new CopyOnWriteArrayList<>();
        List<JsonObject> receivedByRogue = new CopyOnWriteArrayList<>();
        echo(a, "sluice.test.a", receivedByA);
        echo(r, "sluice.test.rogue", receivedByRogue);

        assertThat(Clustering.hazelcast(a).orElseThrow().getCluster().getMembers()).as("the rogue is a Hazelcast member").hasSize(2);

        var rogueToA = r.eventBus().<JsonObject>request("sluice.test.a", new JsonObject().put("from", "rogue"), timeout());
        var aToRogue = a.eventBus().<JsonObject>request("sluice.test.rogue", new JsonObject().put("from", "a"), timeout());

        assertThatThrownBy(() -> rogueToA.await(10, TimeUnit.SECONDS)).isInstanceOfSatisfying(ReplyException.class,
                e -> assertThat(e.failureType()).as("routed to A (not NO_HANDLERS), never answered").isEqualTo(ReplyFailure.TIMEOUT));
        assertThatThrownBy(() -> aToRogue.await(10, TimeUnit.SECONDS)).isInstanceOfSatisfying(ReplyException.class,
                e -> assertThat(e.failureType()).as("routed to the rogue, never answered").isEqualTo(ReplyFailure.TIMEOUT));
        assertThat(receivedByA).as("what reached A's consumer").isEmpty();
        assertThat(receivedByRogue).as("what reached the rogue's consumer").isEmpty();
    }

    @Test
    void aMissingStoreOrAWrongPasswordFailsTheStartAtOnceNamingTheFile() {
        String cluster = uniqueName();
        Path missing = dir.resolve("missing.p12");
        Path keystore = memberA.keystore();
        Path truststore = memberA.truststore();

        assertStartFails(cluster, new ClusterTls(missing, PASSWORD, truststore, PASSWORD),
                "cluster TLS: the keystore " + missing + " does not exist");
        assertStartFails(cluster, new ClusterTls(keystore, "wrong", truststore, PASSWORD),
                "cluster TLS: wrong password for the keystore " + keystore);
        assertStartFails(cluster, new ClusterTls(keystore, PASSWORD, truststore, "wrong"),
                "cluster TLS: wrong password for the truststore " + truststore);
        assertStartFails(cluster, new ClusterTls(truststore, PASSWORD, truststore, PASSWORD),
                "cluster TLS: the keystore " + truststore + " holds no private key");
        assertThat(Hazelcast.getAllHazelcastInstances()).as("no member of " + cluster + " was started")
                .noneMatch(hz -> hz.getConfig().getClusterName().equals(cluster));
    }

    private void assertStartFails(String cluster, ClusterTls tls, String message) {
        var start = Clustering.start(new ClusterOptions(cluster, "127.0.0.1", 0, List.of(), false, Optional.of(tls)));
        assertThatThrownBy(() -> started.add(start.await(10, TimeUnit.SECONDS)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    // ---- members

    private Vertx start(String cluster, List<String> members, ClusterTls tls) throws Exception {
        boolean lite = !members.isEmpty();
        Vertx vertx = Clustering.start(new ClusterOptions(cluster, "127.0.0.1", 0, members, lite, Optional.of(tls)))
                .await(60, TimeUnit.SECONDS);
        started.add(vertx);
        return vertx;
    }

    private static void echo(Vertx vertx, String address, List<JsonObject> received) throws Exception {
        vertx.eventBus().<JsonObject>consumer(address, (Message<JsonObject> m) -> {
            received.add(m.body());
            m.reply(m.body().copy().put("echoed", true));
        }).completion().await(10, TimeUnit.SECONDS);
    }

    private static DeliveryOptions timeout() {
        return new DeliveryOptions().setSendTimeout(SEND_TIMEOUT_MILLIS);
    }

    private static String join(Vertx member) {
        Address address = Clustering.hazelcast(member).orElseThrow().getCluster().getLocalMember().getAddress();
        return address.getHost() + ":" + address.getPort();
    }

    private static String uniqueName() {
        return "sluice-tls-" + UUID.randomUUID();
    }

    // ---- keytool, as docs/security.md tells people to use it (through files instead of pipes)

    /** A CA key pair in {@code name.p12}, its certificate in {@code name.pem}. */
    private void newCa(String name) throws Exception {
        keytool("-genkeypair", "-alias", "ca", "-dname", "CN=" + name, "-keyalg", "EC", "-ext", "bc:c", "-validity", "2",
                "-keystore", store(name), "-storepass", PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", store(name), "-storepass", PASSWORD,
                "-file", dir.resolve(name + ".pem").toString());
    }

    /**
     * A member's key pair signed by {@code ca}. The signed certificate is imported together with the
     * CA's (a chain): imported alone into a keystore that does not hold the CA, keytool refuses it
     * ("Failed to establish chain from reply").
     */
    private Path member(String name, String ca) throws Exception {
        keytool("-genkeypair", "-alias", "node", "-dname", "CN=" + name, "-keyalg", "EC", "-validity", "2",
                "-keystore", store(name), "-storepass", PASSWORD);
        Path request = dir.resolve(name + ".csr");
        Path certificate = dir.resolve(name + ".pem");
        keytool("-certreq", "-alias", "node", "-keystore", store(name), "-storepass", PASSWORD, "-file", request.toString());
        keytool("-gencert", "-rfc", "-alias", "ca", "-keystore", store(ca), "-storepass", PASSWORD, "-validity", "2",
                "-infile", request.toString(), "-outfile", certificate.toString());
        Path chain = dir.resolve(name + "-chain.pem");
        Files.writeString(chain, Files.readString(certificate) + Files.readString(dir.resolve(ca + ".pem")));
        keytool("-importcert", "-noprompt", "-alias", "node", "-keystore", store(name), "-storepass", PASSWORD,
                "-file", chain.toString());
        return Path.of(store(name));
    }

    private Path truststore(String name, String ca) throws Exception {
        keytool("-importcert", "-noprompt", "-alias", "ca", "-keystore", store(name), "-storepass", PASSWORD,
                "-file", dir.resolve(ca + ".pem").toString());
        return Path.of(store(name));
    }

    private String store(String name) {
        return dir.resolve(name + ".p12").toString();
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of("-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC")); // starts faster
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("keytool %s ended", args[0]).isTrue();
        assertThat(process.exitValue()).as("keytool %s: %s", String.join(" ", args), output).isZero();
    }
}
