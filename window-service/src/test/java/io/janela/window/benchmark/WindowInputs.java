package io.janela.window.benchmark;

import io.janela.avro.InboundMessage;
import io.janela.avro.InboundMessageType;
import io.janela.contract.ContactKey;
import io.janela.contract.JanelaTopics;
import io.janela.contract.TopicDescriptor;
import io.janela.window.tracking.WindowTopology;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** What the window benchmarks load: the window-service's topics, and customer messages from many contacts. */
final class WindowInputs {

    static final String PHONE_NUMBER_ID = "106540352242922";

    private WindowInputs() {}

    /**
     * Creates every Janela topic ({@code topics.all()}), the window topology's handovers topic and {@code extra}, with
     * {@code partitions} partitions each, and waits until every partition has its leader.
     */
    static void createTopics(String bootstrapServers, JanelaTopics topics, int partitions, List<String> extra)
            throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            List<NewTopic> created = new ArrayList<>();
            for (TopicDescriptor<?, ?> topic : topics.all()) {
                created.add(new NewTopic(topic.name(), partitions, (short) 1).configs(topic.requiredConfigs()));
            }
            // The window topology's own topic (a contact's state handed over to its new user id).
            created.add(new NewTopic(WindowTopology.HANDOVERS, partitions, (short) 1));
            extra.forEach(name -> created.add(new NewTopic(name, partitions, (short) 1)));
            admin.createTopics(created).all().get();
            // Producing before every partition has its leader makes the idempotent producer lose batches
            // (out-of-order sequence after NOT_LEADER_OR_FOLLOWER); wait for the leaders first.
            List<String> names = created.stream().map(NewTopic::name).toList();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!haveLeaders(admin, names)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the benchmark topics have no leaders after 60 s");
                }
                Thread.sleep(100);
            }
        }
    }

    /** Whether every partition of {@code names} has a leader; false while the broker does not know a topic yet. */
    private static boolean haveLeaders(Admin admin, List<String> names) throws InterruptedException {
        try {
            return admin.describeTopics(names).allTopicNames().get().values().stream()
                    .flatMap(description -> description.partitions().stream())
                    .allMatch(partition ->
                            partition.leader() != null && !partition.leader().isEmpty());
        } catch (ExecutionException e) {
            // Just created: the broker's metadata may not list the topic for a moment.
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return false;
            }
            throw new IllegalStateException("could not describe the benchmark topics", e);
        }
    }

    /** Writes {@code count} text messages to {@code topic}: message {@code i} from contact {@code contact(i)}. */
    static void produce(
            String bootstrapServers,
            TopicDescriptor<String, InboundMessage> topic,
            int count,
            IntFunction<String> contact,
            IntFunction<Instant> at) {
        String rawJson = "{\"from\":\"16505551234\",\"from_user_id\":\"US.13491208655302741918\",\"id\":\"wamid.%d\","
                + "\"timestamp\":\"%d\",\"type\":\"text\",\"text\":{\"body\":\"Does it come in another color?\"}}";
        try (KafkaProducer<String, InboundMessage> producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers,
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        // A partition that has just got its leader may still answer NOT_LEADER_OR_FOLLOWER; the
                        // idempotent producer can lose batches on that path (OUT_OF_ORDER_SEQUENCE_NUMBER). One request
                        // in flight keeps the order without it.
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        "false",
                        ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION,
                        "1",
                        ProducerConfig.LINGER_MS_CONFIG,
                        "20",
                        ProducerConfig.BATCH_SIZE_CONFIG,
                        Integer.toString(256 * 1024)),
                topic.keySerde().serializer(),
                topic.valueSerde().serializer())) {
            AtomicLong failed = new AtomicLong();
            for (int i = 0; i < count; i++) {
                String contactId = contact.apply(i);
                Instant sentAt = Instant.ofEpochSecond(at.apply(i).getEpochSecond());
                InboundMessage message = InboundMessage.newBuilder()
                        .setMessageId("wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQ" + contactId + "." + i)
                        .setPhoneNumberId(PHONE_NUMBER_ID)
                        .setDisplayPhoneNumber("15550783881")
                        .setContactId(contactId)
                        .setUserId(contactId)
                        .setTimestamp(sentAt)
                        .setType(InboundMessageType.TEXT)
                        .setText("Does it come in another color?")
                        .setRawJson(String.format(rawJson, i, sentAt.getEpochSecond()))
                        .build();
                producer.send(
                        new ProducerRecord<>(
                                topic.name(),
                                null,
                                sentAt.toEpochMilli(),
                                new ContactKey(PHONE_NUMBER_ID, contactId).format(),
                                message),
                        (metadata, error) -> {
                            if (error != null) {
                                failed.incrementAndGet();
                            }
                        });
            }
            producer.flush();
            if (failed.get() > 0) {
                throw new IllegalStateException(failed.get() + " of " + count + " inbound messages were not written");
            }
        }
    }
}
