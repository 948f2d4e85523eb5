package io.janela.testfixtures.restart;

import java.util.List;
import java.util.Map;

/**
 * A Streams service as {@link RestartBenchmark} runs it: which application, how its input of {@code contacts} is
 * loaded, the properties it runs with, and how the benchmark knows it answers again after a restart.
 */
public interface RestartTarget {

    /** The service's name, e.g. {@code metrics-service}: in the report, the log file and the registry scope. */
    String name();

    /** The Spring Boot application class the child JVM runs (its log's "Started {simple name}" line is read). */
    Class<?> application();

    /** Its Kafka Streams {@code application.id}: the group whose commits say that the take-on is done. */
    String applicationId();

    /**
     * The heap the deployment gives it, as JVM options: the image's {@code -XX:MaxRAMPercentage=60} of the container's
     * memory limit in deploy/base.
     */
    String heap();

    /**
     * Creates the service's input topics with {@code partitions} partitions and writes the input that gives it
     * {@code contacts} contacts; returns what it wrote, for the report.
     */
    String load(Environment environment, int partitions, int contacts) throws Exception;

    /** The topics whose every record the service must have committed before the take-on counts as done. */
    List<String> takeOnTopics();

    /** The service's own properties on top of the benchmark's (broker, registry, state directory, membership). */
    Map<String, Object> properties(int partitions);

    /** Properties that name the child's HTTP port (e.g. the port it advertises for queries); none by default. */
    default Map<String, Object> portProperties(int port) {
        return Map.of();
    }

    /** How the benchmark knows the service answers again: a query, or an output record for a probe input. */
    Answer answer(int contacts);

    /**
     * The deadline index's rebuild timer (its Prometheus name without suffix) and how many rebuilds a start of
     * {@code partitions} partitions records; null when the service has no deadline index.
     */
    Rebuild rebuild(int partitions);

    /** What the service started beside the broker and the registry (e.g. Meta's sandbox) is stopped here. */
    default void close() {}

    /** What the benchmark's JVM runs for the child: the broker and the registry the child is pointed at. */
    record Environment(String bootstrapServers, String registryUrl, String mockRegistryUrl) {}

    /** How the benchmark knows the service answers again after a start. */
    sealed interface Answer {}

    /** An HTTP GET of {@code path} that answers 200 once the service can (e.g. a window query). */
    record Query(String path) implements Answer {}

    /**
     * A probe input written at the child's start, whose output record (read committed from {@code topics}; its key or
     * value holds the marker {@code probe} returns) says the service processes again.
     */
    record Output(List<String> topics, Probe probe) implements Answer {}

    /** Writes the {@code n}th probe input to the broker and returns a marker its output record holds. */
    @FunctionalInterface
    interface Probe {
        String send(Environment environment, int n) throws Exception;
    }

    /**
     * The deadline index's rebuild timer, e.g. {@code janela_window_deadline_index_rebuild_seconds}, and the rebuilds
     * (tasks × indexes) one start records.
     */
    record Rebuild(String timer, int rebuilds) {}
}
