package io.janela.survey.benchmark;

import io.janela.contract.JanelaTopics;
import io.janela.contract.TopicNames;
import io.janela.contract.ValueSerdes;
import io.janela.survey.SurveyApplication;
import io.janela.survey.benchmark.SurveyThroughputBenchmark.Input;
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
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * The survey-service's restart benchmark (issue 14, docs/benchmarks.md "survey-service", "Restart"), run by the shared
 * {@link io.janela.testfixtures.restart.RestartBenchmark}: the real {@link SurveyApplication} in a child JVM with the
 * heap the deployment gives it (60 % of the container's 1 GiB limit) takes on {@code contacts} contacts, each with a
 * window open and a customer message (two input records, two hours old: one {@code survey-contacts} state each), and
 * is restarted on the same state directory. The survey-service answers no query, so it answers again when the output of
 * a probe is read: at each start a resolution of one more loaded contact, resolved six minutes ago (due at once under
 * the 5-minute delay), written at the child's start, and the first record keyed by that contact on
 * whatsapp.outbound-requests or whatsapp.survey-events (read committed) after the punctuation (every second) asked for
 * its survey. Its deadline index is rebuilt by each of the {@code partitions} tasks.
 *
 * <pre>
 * ./mvnw -B -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp \
 *   -Dmdep.includeScope=test -pl survey-service -am
 * cd survey-service &amp;&amp; nice -n 10 java -cp target/test-classes:target/classes:$(cat target/bench.cp) \
 *   io.janela.survey.benchmark.SurveyRestartBenchmark contacts=1000000
 * </pre>
 */
public final class SurveyRestartBenchmark implements RestartTarget {

    private static final TopicNames NAMES = TopicNames.defaults();

    public static void main(String[] arguments) {
        io.janela.testfixtures.restart.RestartBenchmark.main(arguments, new SurveyRestartBenchmark());
    }

    @Override
    public String name() {
        return "survey-service";
    }

    @Override
    public Class<?> application() {
        return SurveyApplication.class;
    }

    @Override
    public String applicationId() {
        return "janela-survey";
    }

    @Override
    public String heap() {
        return "-XX:MaxRAM=1g -XX:MaxRAMPercentage=60";
    }

    @Override
    public String load(Environment environment, int partitions, int contacts) throws Exception {
        JanelaTopics topics = topics(environment);
        ThroughputRun.createTopics(
                environment.bootstrapServers(),
                List.of(
                                topics.inboundMessages(),
                                topics.windowEvents(),
                                topics.dispatchResults(),
                                topics.messageStatuses(),
                                topics.conversationResolutions(),
                                topics.contactAliases(),
                                topics.outboundRequests(),
                                topics.surveyEvents(),
                                topics.surveyDeadLetter())
                        .stream()
                        .map(topic ->
                                new NewTopic(topic.name(), partitions, (short) 1).configs(topic.requiredConfigs()))
                        .toList());
        Instant base = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(2));
        try (KafkaProducer<String, byte[]> producer = Input.bulkProducer(environment.bootstrapServers())) {
            Input input = new Input(producer);
            for (int i = 0; i < contacts; i++) {
                Contact contact = contact(i);
                Instant opened = base.plusMillis(i % 3_600_000);
                input.send(
                        topics.windowEvents(),
                        contact.key(),
                        MetaRecords.opened(contact, opened, "wamid.load-" + i, i % 3 == 0),
                        opened);
                input.send(
                        topics.inboundMessages(),
                        contact.key(),
                        SurveyThroughputBenchmark.customerMessage(contact, "wamid.load-" + i, opened),
                        opened);
            }
            producer.flush();
            input.check();
        }
        return String.format(
                "%,d contacts: %,d records (an OPENED window event and a customer message each)",
                contacts, 2L * contacts);
    }

    private static JanelaTopics topics(Environment environment) {
        return JanelaTopics.create(
                NAMES, ValueSerdes.janela(Map.of("schema.registry.url", environment.mockRegistryUrl())));
    }

    private static Contact contact(int i) {
        return new Contact("US.%020d".formatted(i), "1555%07d".formatted(i % 10_000_000));
    }

    @Override
    public List<String> takeOnTopics() {
        return List.of(NAMES.inboundMessages(), NAMES.windowEvents());
    }

    @Override
    public Map<String, Object> properties(int partitions) {
        return Map.of("janela.survey.topics.partitions", partitions);
    }

    @Override
    public Answer answer(int contacts) {
        return new Output(List.of(NAMES.outboundRequests(), NAMES.surveyEvents()), SurveyRestartBenchmark::probe);
    }

    /** A resolution of loaded contact {@code n}, resolved six minutes ago; its survey's records are keyed by it. */
    private static String probe(Environment environment, int n) {
        JanelaTopics topics = topics(environment);
        Contact contact = contact(n);
        Instant resolved = Instant.now().minus(Duration.ofMinutes(6));
        try (KafkaProducer<String, byte[]> producer = Input.bulkProducer(environment.bootstrapServers())) {
            Input input = new Input(producer);
            input.send(
                    topics.conversationResolutions(),
                    "restart-probe-" + n,
                    SurveyThroughputBenchmark.resolution(contact, n, resolved),
                    resolved);
            producer.flush();
            input.check();
        }
        return contact.key();
    }

    @Override
    public Rebuild rebuild(int partitions) {
        return new Rebuild("janela_survey_deadline_index_rebuild_seconds", partitions);
    }
}
