package io.janela.dispatch.it;

import static org.awaitility.Awaitility.await;

import io.janela.testsupport.kafka.KafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * What the {@code *KillIT} tests share: the {@link DispatchEnvironment} (broker, sandbox, webhook relay), the test's
 * registry served over HTTP to the child JVM ({@link RegistryOverHttp}), the child's log, and the properties a child
 * runs with: the same instance id on every start (the same transactional id and static group member, as a StatefulSet
 * pod replaced after its node died), a 30 s answer timeout (the sandbox answers slowly so that calls are in flight at
 * the kill), and static membership for the Streams side too, so that a restarted child takes its tasks back at once.
 */
final class KillHarness implements AutoCloseable {

    /** How long a child JVM may take to be ready (Spring, Kafka Streams and the sender, on a loaded machine). */
    static final Duration START = Duration.ofSeconds(120);

    final DispatchEnvironment environment;
    final RegistryOverHttp registry;
    private final Path log;

    /**
     * @param scope names the registry scope, the Streams application and the child's log
     * @param overrides service properties on top of the harness's
     * @param sandboxOverrides sandbox properties on top of the environment's
     */
    KillHarness(
            KafkaBroker broker,
            String scope,
            int throughputLimit,
            Map<String, Object> overrides,
            Map<String, Object> sandboxOverrides) {
        Map<String, Object> service = new LinkedHashMap<>(Map.of(
                "janela.dispatch.template-sync.enabled",
                false,
                "janela.dispatch.graph-api.response-timeout",
                "30s",
                "janela.streams.instance-id",
                scope + "-streams"));
        service.putAll(overrides);
        this.environment = new DispatchEnvironment(broker, scope, throughputLimit, service, sandboxOverrides);
        this.registry = new RegistryOverHttp(scope);
        try {
            this.log = Files.createDirectories(Path.of("target", "kill-it")).resolve(scope + ".log");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the service in a child JVM (it may still be starting when this returns). */
    DispatchChildProcess start() {
        Map<String, Object> properties = environment.serviceProperties();
        properties.put("spring.kafka.properties.schema.registry.url", registry.url());
        return DispatchChildProcess.start(properties, log);
    }

    /** Starts the service in a child JVM and waits until it is ready. */
    DispatchChildProcess startReady() {
        return start().awaitReady(START);
    }

    /** {@code count} request ids, {@code prefix} followed by a number. */
    static List<String> requestIds(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> prefix + i).toList();
    }

    /**
     * Waits until the sandbox has accepted at least {@code count} sends of these requests, then kills the child with
     * SIGKILL; returns how many it had accepted at the kill.
     */
    int killOnceAccepted(DispatchChildProcess child, String prefix, int count, Duration timeout) {
        await("Meta accepted " + count + " sends before the kill")
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(20))
                .until(() -> environment.accepted(prefix).size() >= count);
        child.kill();
        return environment.accepted(prefix).size();
    }

    @Override
    public void close() {
        registry.close();
        environment.close();
    }
}
