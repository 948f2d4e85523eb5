package io.janela.dispatch.benchmark;

import io.janela.avro.ContactWindow;
import io.janela.avro.OutboundRequest;
import io.janela.avro.Recipient;
import io.janela.avro.TextPayload;
import io.janela.contract.JanelaTopics;
import io.janela.contract.TopicNames;
import io.janela.contract.ValueSerdes;
import io.janela.dispatch.DispatchApplication;
import io.janela.dispatch.Fixtures;
import io.janela.sandbox.CloudApiSandbox;
import io.janela.testfixtures.restart.RestartTarget;
import io.janela.testsupport.benchmark.ThroughputRun;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The dispatch-service's restart benchmark for its decision topology (issue 14, docs/benchmarks.md "dispatch-service",
 * "Restart"), run by the shared {@link io.janela.testfixtures.restart.RestartBenchmark}: the real
 * {@link DispatchApplication} (decision, correlation and catalog topologies and the sender) in a child JVM with the heap
 * the deployment gives it (60 % of the container's 2 GiB limit), against Meta's sandbox in this JVM, takes on
 * {@code contacts} contacts' open windows (one record each on the compacted whatsapp.window-state, which the decision
 * topology reads as a table restored from the topic itself), and is restarted on the same state directory. It answers
 * again when the output of a probe is read: at each start a free-form request to one more loaded contact, written at
 * the child's start, and its send command on whatsapp.dispatch.send-commands (read committed), which the decision
 * writes only after the window join. No deadline index.
 *
 * <pre>
 * ./mvnw -B -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp \
 *   -Dmdep.includeScope=test -pl dispatch-service -am
 * cd dispatch-service &amp;&amp; nice -n 10 java -cp target/test-classes:target/classes:$(cat target/bench.cp) \
 *   io.janela.dispatch.benchmark.DispatchRestartBenchmark contacts=1000000
 * </pre>
 */
public final class DispatchRestartBenchmark implements RestartTarget {

    private static final TopicNames NAMES = TopicNames.defaults();
    private static final String SEND_COMMANDS = "whatsapp.dispatch.send-commands";
    private CloudApiSandbox sandbox;

    public static void main(String[] arguments) {
        io.janela.testfixtures.restart.RestartBenchmark.main(arguments, new DispatchRestartBenchmark());
    }

    @Override
    public String name() {
        return "dispatch-service";
    }

    @Override
    public Class<?> application() {
        return DispatchApplication.class;
    }

    @Override
    public String applicationId() {
        return "dispatch-service";
    }

    @Override
    public String heap() {
        return "-XX:MaxRAM=2g -XX:MaxRAMPercentage=60";
    }

    @Override
    public String load(Environment environment, int partitions, int contacts) throws Exception {
        Fixtures.businessNumber(); // trusts Avro's generated classes
        sandbox = CloudApiSandbox.start(Map.of(
                "server.port", 0,
                "janela.sandbox.phone-numbers[0].id", Fixtures.PHONE_NUMBER_ID,
                "janela.sandbox.phone-numbers[0].waba-id", Fixtures.WABA_ID,
                "janela.sandbox.phone-numbers[0].display-phone-number", "15550783881",
                "janela.sandbox.phone-numbers[0].access-token", "benchmark-token",
                "janela.sandbox.webhook-url", "http://127.0.0.1:9/webhook",
                "janela.sandbox.app-secret", "benchmark-secret"));
        JanelaTopics topics = topics(environment);
        ThroughputRun.createTopics(
                environment.bootstrapServers(),
                topics.all().stream()
                        .map(topic ->
                                new NewTopic(topic.name(), partitions, (short) 1).configs(topic.requiredConfigs()))
                        .toList());
        Instant opened = Instant.now().minus(Duration.ofHours(1));
        try (KafkaProducer<String, ContactWindow> windows = new KafkaProducer<>(
                Benchmarks.inputProducer(environment.bootstrapServers()),
                new StringSerializer(),
                topics.windowState().valueSerde().serializer())) {
            for (int i = 0; i < contacts; i++) {
                String contact = contact(i);
                windows.send(new ProducerRecord<>(
                        topics.windowState().name(),
                        Fixtures.PHONE_NUMBER_ID + ":" + contact,
                        Fixtures.openWindow(opened)
                                .setContactId(contact)
                                .setUserId(contact)
                                .build()));
            }
            windows.flush();
        }
        return String.format(
                "%,d contacts' open windows on %s",
                contacts, topics.windowState().name());
    }

    private static JanelaTopics topics(Environment environment) {
        return JanelaTopics.create(
                NAMES, ValueSerdes.janela(Map.of("schema.registry.url", environment.mockRegistryUrl())));
    }

    private static String contact(int i) {
        return "US.load%08d".formatted(i);
    }

    @Override
    public List<String> takeOnTopics() {
        return List.of(NAMES.windowState());
    }

    @Override
    public Map<String, Object> properties(int partitions) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("janela.dispatch.partitions", partitions);
        properties.put("janela.dispatch.business-numbers[0].phone-number-id", Fixtures.PHONE_NUMBER_ID);
        properties.put("janela.dispatch.business-numbers[0].waba-id", Fixtures.WABA_ID);
        properties.put("janela.dispatch.business-numbers[0].access-token", "benchmark-token");
        properties.put("janela.dispatch.graph-api.base-url", sandbox.baseUrl().toString());
        properties.put("janela.dispatch.sender.instance-id", "dispatch-restart-benchmark-1");
        properties.put("janela.dispatch.template-sync.enabled", false);
        return properties;
    }

    @Override
    public Answer answer(int contacts) {
        return new Output(List.of(SEND_COMMANDS), DispatchRestartBenchmark::probe);
    }

    /** A free-form request to loaded contact {@code n}; its send command holds its request id. */
    private static String probe(Environment environment, int n) {
        JanelaTopics topics = topics(environment);
        String requestId = "restart-probe-%06d".formatted(n);
        try (KafkaProducer<String, OutboundRequest> producer = new KafkaProducer<>(
                Benchmarks.inputProducer(environment.bootstrapServers()),
                new StringSerializer(),
                topics.outboundRequests().valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(
                    topics.outboundRequests().name(),
                    requestId,
                    OutboundRequest.newBuilder()
                            .setRequestId(requestId)
                            .setPhoneNumberId(Fixtures.PHONE_NUMBER_ID)
                            .setRecipient(new Recipient(null, contact(n)))
                            .setCreatedAt(Instant.now())
                            .setPayload(new TextPayload("Your order " + n + " has shipped.", false))
                            .build()));
            producer.flush();
        }
        return requestId;
    }

    @Override
    public Rebuild rebuild(int partitions) {
        return null;
    }

    @Override
    public void close() {
        if (sandbox != null) {
            sandbox.close();
        }
    }
}
