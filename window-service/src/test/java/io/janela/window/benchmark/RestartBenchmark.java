package io.janela.window.benchmark;

import io.janela.contract.JanelaTopics;
import io.janela.contract.TopicNames;
import io.janela.contract.ValueSerdes;
import io.janela.testfixtures.restart.RestartTarget;
import io.janela.window.WindowApplication;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The window-service's restart benchmark (issue 14, docs/benchmarks.md "window-service restart"), run by the shared
 * {@link io.janela.testfixtures.restart.RestartBenchmark}: the real {@link WindowApplication} in a child JVM with the
 * heap the deployment gives it (60 % of the container's 2 GiB limit: {@code -XX:MaxRAM=2g -XX:MaxRAMPercentage=60})
 * takes on {@code contacts} new contacts (one customer message each opens a window), and is restarted on the same state
 * directory; it answers again when a window query (GET /windows/{phoneNumberId}/{contactId}) answers 200 with the
 * last contact's window. Its deadline index is rebuilt by each of the {@code partitions} tasks.
 *
 * <pre>
 * ./mvnw -B -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp \
 *   -Dmdep.includeScope=test -pl window-service -am
 * cd window-service &amp;&amp; nice -n 10 java -cp target/test-classes:target/classes:$(cat target/bench.cp) \
 *   io.janela.window.benchmark.RestartBenchmark contacts=1000000 rounds=1
 * </pre>
 */
public final class RestartBenchmark implements RestartTarget {

    public static void main(String[] arguments) {
        io.janela.testfixtures.restart.RestartBenchmark.main(arguments, new RestartBenchmark());
    }

    @Override
    public String name() {
        return "window-service";
    }

    @Override
    public Class<?> application() {
        return WindowApplication.class;
    }

    @Override
    public String applicationId() {
        return "janela-window";
    }

    @Override
    public String heap() {
        return "-XX:MaxRAM=2g -XX:MaxRAMPercentage=60";
    }

    @Override
    public String load(Environment environment, int partitions, int contacts) throws Exception {
        JanelaTopics topics = JanelaTopics.create(
                TopicNames.defaults(),
                ValueSerdes.janela(Map.of("schema.registry.url", environment.mockRegistryUrl())));
        WindowInputs.createTopics(environment.bootstrapServers(), topics, partitions, List.of());
        Instant sentAt = Instant.ofEpochSecond(Instant.now().minusSeconds(600).getEpochSecond());
        WindowInputs.produce(
                environment.bootstrapServers(), topics.inboundMessages(), contacts, i -> "US.load" + i, i -> sentAt);
        return String.format("%,d messages from as many new contacts", contacts);
    }

    @Override
    public List<String> takeOnTopics() {
        return List.of(TopicNames.defaults().inboundMessages());
    }

    @Override
    public Map<String, Object> properties(int partitions) {
        // The service adds partitions to a topic that has fewer than it declares, which would move the contacts' keys.
        return Map.of("janela.window.topics.partitions", partitions);
    }

    @Override
    public Map<String, Object> portProperties(int port) {
        return Map.of("janela.window.query.advertised-port", port);
    }

    @Override
    public Answer answer(int contacts) {
        return new Query("/windows/" + WindowInputs.PHONE_NUMBER_ID + "/US.load" + (contacts - 1));
    }

    @Override
    public Rebuild rebuild(int partitions) {
        return new Rebuild("janela_window_deadline_index_rebuild_seconds", partitions);
    }
}
