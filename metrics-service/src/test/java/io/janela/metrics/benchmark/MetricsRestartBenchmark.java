package io.janela.metrics.benchmark;

import io.janela.contract.TopicNames;
import io.janela.metrics.MetricsApplication;
import io.janela.metrics.testing.InputProducer;
import io.janela.testfixtures.MetaRecords;
import io.janela.testfixtures.MetaRecords.Contact;
import io.janela.testfixtures.restart.RestartTarget;
import io.janela.testsupport.benchmark.ThroughputRun;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * The metrics-service's restart benchmark (issue 14, docs/benchmarks.md "metrics-service", "Restart"), run by the shared
 * {@link io.janela.testfixtures.restart.RestartBenchmark}: the real {@link MetricsApplication} in a child JVM with the
 * heap the deployment gives it (60 % of the container's 2 GiB limit) takes on {@code contacts} contacts, each with a
 * window open and a customer message waiting for a reply (two input records: the OPENED event and the message, two
 * hours old, so every contact's conversation state stays open), and is restarted on the same state directory. It
 * answers again when the summary (GET /metrics/summary?phoneNumberId=…, read from its summary store) answers 200; its
 * deadline indexes (the message and conversation steps', one per task each) are rebuilt by every start.
 *
 * <pre>
 * ./mvnw -B -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp \
 *   -Dmdep.includeScope=test -pl metrics-service -am
 * cd metrics-service &amp;&amp; nice -n 10 java -cp target/test-classes:target/classes:$(cat target/bench.cp) \
 *   io.janela.metrics.benchmark.MetricsRestartBenchmark contacts=1000000
 * </pre>
 */
public final class MetricsRestartBenchmark implements RestartTarget {

    private static final TopicNames TOPICS = TopicNames.defaults();

    public static void main(String[] arguments) {
        io.janela.testfixtures.restart.RestartBenchmark.main(arguments, new MetricsRestartBenchmark());
    }

    @Override
    public String name() {
        return "metrics-service";
    }

    @Override
    public Class<?> application() {
        return MetricsApplication.class;
    }

    @Override
    public String applicationId() {
        return "janela-metrics";
    }

    @Override
    public String heap() {
        return "-XX:MaxRAM=2g -XX:MaxRAMPercentage=60";
    }

    @Override
    public String load(Environment environment, int partitions, int contacts) throws Exception {
        ThroughputRun.createTopics(
                environment.bootstrapServers(),
                List.of(
                                TOPICS.inboundMessages(),
                                TOPICS.windowEvents(),
                                TOPICS.dispatchResults(),
                                TOPICS.messageStatuses(),
                                TOPICS.contactAliases(),
                                TOPICS.conversationResolutions(),
                                TOPICS.messageEchoes(),
                                TOPICS.surveyEvents())
                        .stream()
                        .map(name -> new NewTopic(name, partitions, (short) 1))
                        .toList());
        Instant base = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(2));
        try (InputProducer input =
                new InputProducer(environment.bootstrapServers(), environment.mockRegistryUrl(), false)) {
            for (int i = 0; i < contacts; i++) {
                Contact contact = contact(i);
                Instant opened = base.plusMillis(i % 3_600_000);
                input.send(MetaRecords.opened(contact, opened, "wamid.load-" + i, i % 3 == 0));
                input.send(MetaRecords.customerMessage(contact, "wamid.load-" + i, opened));
            }
        }
        return String.format(
                "%,d contacts: %,d records (an OPENED window event and a customer message each)",
                contacts, 2L * contacts);
    }

    private static Contact contact(int i) {
        return new Contact("US.%020d".formatted(i), "1555%07d".formatted(i % 10_000_000));
    }

    @Override
    public List<String> takeOnTopics() {
        return List.of(TOPICS.inboundMessages(), TOPICS.windowEvents());
    }

    @Override
    public Map<String, Object> properties(int partitions) {
        return Map.of("janela.metrics.topic-partitions", partitions);
    }

    @Override
    public Answer answer(int contacts) {
        return new Query("/metrics/summary?phoneNumberId=" + MetaRecords.PHONE_NUMBER_ID);
    }

    @Override
    public Rebuild rebuild(int partitions) {
        return new Rebuild("janela_deadline_index_rebuild_seconds", 2 * partitions);
    }
}
