package io.janela.survey;

import io.janela.avro.ConversationResolution;
import io.janela.avro.OutboundRequest;
import io.janela.contract.JanelaTopics;
import io.janela.contract.TopicDescriptor;
import io.janela.testsupport.kafka.RetentionCheck;
import io.janela.testsupport.kafka.TopicReader;
import io.janela.testsupport.kafka.UsesKafkaBroker;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;

/**
 * A conversation resolution a company system wrote with a record timestamp two years old (a backlog replayed with its
 * original times) stays readable for the whole retention of whatsapp.conversation-resolutions from the moment it was
 * written, and the survey-service asks its survey. The topic the service creates is stamped by the broker
 * ({@code message.timestamp.type=LogAppendTime}); created without it, as before, retention deleted the resolution
 * before the service read it. The broker keeps records 10 minutes, checks retention every 200 ms and rolls segments
 * after 100 ms; the service's Kafka Streams starts only once retention has run.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = {
            "spring.kafka.properties.schema.registry.url=mock://survey-old-dated-resolution-it",
            "spring.kafka.streams.application-id=survey-old-dated-resolution-it",
            "spring.kafka.streams.state-dir=${java.io.tmpdir}/survey-old-dated-resolution-it-${random.uuid}",
            "spring.kafka.streams.auto-startup=false",
            "janela.survey.delay=1s",
            "janela.survey.punctuation-interval=200ms",
            "janela.survey.topics.partitions=1",
            "janela.survey.templates.[*].name=csat_survey",
            "janela.survey.templates.[*].language=en_US"
        })
@UsesKafkaBroker(
        brokerProperties = {"log.retention.ms=600000", "log.retention.check.interval.ms=200", "log.roll.ms=100"})
class OldDatedResolutionRetentionIT {

    private static final String NUMBER = "106540352242922";
    private static final String OLD_USER = "US.20001";
    private static final String CURRENT_USER = "US.20002";
    private static final Duration RETENTION = Duration.ofMinutes(10);
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Autowired
    JanelaTopics topics;

    @Autowired
    StreamsBuilderFactoryBean streams;

    @Value("${spring.kafka.bootstrap-servers}")
    String bootstrapServers;

    @Test
    void aResolutionWithARecordTimestampTwoYearsOldIsStillSurveyedAfterRetentionRan() throws Exception {
        Instant twoYearsAgo = Instant.now().minus(Duration.ofDays(730)).truncatedTo(ChronoUnit.MILLIS);
        long writtenFrom = System.currentTimeMillis();
        // The first record of the topic's one partition: nothing newer in its segment keeps it.
        send("ticket-old", resolution("ticket-old", OLD_USER, twoYearsAgo), twoYearsAgo);
        // Retention has run at least once since the resolution was written...
        RetentionCheck.awaitRun(bootstrapServers, RETENTION, PATIENCE);
        // ...and again after the next resolution rolled its segment.
        Instant now = Instant.now();
        send("ticket-current", resolution("ticket-current", CURRENT_USER, now), now);
        RetentionCheck.awaitRun(bootstrapServers, RETENTION, PATIENCE);

        try (TopicReader<String, ConversationResolution> resolutions = reader(topics.conversationResolutions())) {
            // One partition, in order: once the later resolution is read, so is the old one, unless it was deleted.
            readUntil(
                    resolutions,
                    read -> read.stream()
                            .anyMatch(
                                    record -> CURRENT_USER.equals(record.value().getRecipientUserId())));
            // The resolution dated two years ago, still in the topic.
            RetentionCheck.brokerStamped(
                    resolutions.received(),
                    record -> OLD_USER.equals(record.value().getRecipientUserId()),
                    writtenFrom);
        }

        streams.start();
        try (TopicReader<String, OutboundRequest> requests = reader(topics.outboundRequests())) {
            readUntil(
                    requests,
                    read -> read.stream()
                            .map(record -> record.value().getRecipient().getUserId())
                            .toList()
                            .containsAll(List.of(OLD_USER, CURRENT_USER)));
        }
    }

    /** Reads until what was read satisfies {@code done}; fails with what was read after {@link #PATIENCE}. */
    private static <V> void readUntil(TopicReader<String, V> reader, Predicate<List<ConsumerRecord<String, V>>> done) {
        Awaitility.await()
                .atMost(PATIENCE)
                .alias("read so far")
                .until(
                        () -> {
                            try {
                                reader.awaitRecords(reader.received().size() + 1, Duration.ofMillis(100));
                            } catch (AssertionError nothingNew) {
                                // nothing new within the poll
                            }
                            return reader.received();
                        },
                        done);
    }

    private static ConversationResolution resolution(String id, String user, Instant resolvedAt) {
        return ConversationResolution.newBuilder()
                .setResolutionId(id)
                .setPhoneNumberId(NUMBER)
                .setRecipientUserId(user)
                .setResolvedAt(resolvedAt)
                .setTeam("support")
                .setReference(id)
                .build();
    }

    private <V> TopicReader<String, V> reader(TopicDescriptor<String, V> topic) {
        return BrokerTopics.reader(bootstrapServers, topic);
    }

    /** As a company system that sets its own record timestamps writes it. */
    private void send(String key, ConversationResolution value, Instant recordTimestamp) {
        BrokerTopics.send(
                bootstrapServers, topics.conversationResolutions(), key, value, recordTimestamp.toEpochMilli());
    }
}
