package io.janela.localkafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Apache Kafka node, broker and KRaft controller combined, run in this JVM from Kafka's own server classes
 * ({@code kafka.server.KafkaRaftServer}). It listens on the loopback interface only, on fixed ports, and keeps its
 * data in a folder of the caller's choosing, so that it can be stopped and started again with its topics, offsets
 * and transactions intact, which spring-kafka-test's broker (random ports, temporary folder) cannot do.
 *
 * <p>Single node: internal topics have one replica. Topic auto-creation is off, as in production.
 */
public final class LocalKafkaBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalKafkaBroker.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Path dataDirectory;
    private final int port;
    private final int controllerPort;
    private final Map<String, String> overrides;
    private KafkaRaftServer server;

    private LocalKafkaBroker(Path dataDirectory, int port, int controllerPort, Map<String, String> overrides) {
        this.dataDirectory = dataDirectory;
        this.port = port;
        this.controllerPort = controllerPort;
        this.overrides = Map.copyOf(overrides);
    }

    /**
     * Starts a node whose data lives in {@code dataDirectory} (formatted on first use, reused after), listening on
     * {@code port} for clients and {@code controllerPort} for its controller; 0 picks free ports.
     *
     * @param overrides broker properties that replace the defaults, e.g. {@code log.retention.hours}
     */
    public static LocalKafkaBroker start(
            Path dataDirectory, int port, int controllerPort, Map<String, String> overrides) {
        LocalKafkaBroker broker = new LocalKafkaBroker(
                dataDirectory.toAbsolutePath(),
                port == 0 ? freePort() : port,
                controllerPort == 0 ? freePort() : controllerPort,
                overrides);
        broker.start();
        return broker;
    }

    /** Starts (again) with the same data and ports. Does nothing when running. */
    public synchronized void start() {
        if (server != null) {
            return;
        }
        long began = System.nanoTime();
        Properties properties = properties();
        formatOnFirstUse(properties);
        KafkaRaftServer starting = new KafkaRaftServer(KafkaConfig.fromProps(properties, false), Time.SYSTEM);
        starting.startup();
        server = starting;
        awaitReady();
        log.info(
                "Kafka node ready at {} in {} ms (data in {})",
                bootstrapServers(),
                (System.nanoTime() - began) / 1_000_000,
                dataDirectory);
    }

    /** Shuts the node down cleanly and waits for it; its data stays. Does nothing when stopped. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        server.shutdown();
        server.awaitShutdown();
        server = null;
        log.info("Kafka node at {} stopped", bootstrapServers());
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    /** {@code 127.0.0.1:<port>}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    @Override
    public void close() {
        stop();
    }

    private Properties properties() {
        Properties properties = new Properties();
        properties.put("process.roles", "broker,controller");
        properties.put("node.id", "1");
        properties.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        properties.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        properties.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        properties.put("controller.listener.names", "CONTROLLER");
        properties.put("inter.broker.listener.name", "PLAINTEXT");
        properties.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        properties.put("log.dirs", dataDirectory.resolve("logs").toString());
        properties.put("offsets.topic.replication.factor", "1");
        properties.put("transaction.state.log.replication.factor", "1");
        properties.put("transaction.state.log.min.isr", "1");
        properties.put("share.coordinator.state.topic.replication.factor", "1");
        properties.put("share.coordinator.state.topic.min.isr", "1");
        // Streams apps and tests should not wait for a rebalance delay meant for many consumers joining at once.
        properties.put("group.initial.rebalance.delay.ms", "0");
        properties.put("auto.create.topics.enable", "false");
        properties.putAll(overrides);
        return properties;
    }

    /**
     * A KRaft node's folder must be formatted once with a cluster id. Formatting again, even with
     * {@code --ignore-formatted}, checks the id, so it happens only when the folder holds no {@code meta.properties}.
     */
    private void formatOnFirstUse(Properties properties) {
        Path logs = dataDirectory.resolve("logs");
        if (Files.exists(logs.resolve("meta.properties"))) {
            return;
        }
        try {
            Files.createDirectories(logs);
            Path config = dataDirectory.resolve("server.properties");
            try (var out = Files.newOutputStream(config)) {
                properties.store(out, "Written by LocalKafkaBroker to format the storage; not read afterwards");
            }
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            int exit = StorageTool.execute(
                    new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c", config.toString()},
                    new PrintStream(output, true, StandardCharsets.UTF_8));
            if (exit != 0) {
                throw new IllegalStateException("could not format " + logs + ": " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not prepare " + dataDirectory, e);
        }
    }

    private void awaitReady() {
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                "5000"))) {
            admin.describeCluster().nodes().get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka node at " + bootstrapServers() + " did not become ready", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Kafka", e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }
}
