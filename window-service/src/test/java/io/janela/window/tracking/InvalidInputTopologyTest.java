package io.janela.window.tracking;

import static io.janela.window.tracking.WindowTopologyTest.ANA;
import static io.janela.window.tracking.WindowTopologyTest.START;
import static org.assertj.core.api.Assertions.assertThat;

import io.janela.contract.DeadLetterHeaders;
import io.janela.testfixtures.MetaRecords;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Records that break the contract go to whatsapp.window.dead-letter with their cause, and the stream goes on. */
class InvalidInputTopologyTest {

    final TrackingDriver t = TrackingDriver.start(TrackingDriver.SETTINGS, START);

    @AfterEach
    void stop() {
        t.close();
    }

    @Test
    void aKeyThatIsNotAContactKeyIsDeadLetteredWithItsCause() {
        t.inbound.pipeInput("not-a-contact-key", MetaRecords.text("wamid.1", START, ANA), START.toEpochMilli());

        TestRecord<byte[], byte[]> dead = t.deadLetters.readRecord();
        assertThat(header(dead.headers(), DeadLetterHeaders.REASON)).isEqualTo("PROCESSING_FAILED");
        assertThat(header(dead.headers(), DeadLetterHeaders.CAUSE)).contains("not a contact key");
        assertThat(header(dead.headers(), DeadLetterHeaders.SOURCE_TOPIC))
                .isEqualTo(t.topics.inboundMessages().name());
        assertThat(new String(dead.key(), StandardCharsets.UTF_8)).isEqualTo("not-a-contact-key");
        assertThat(t.counter(WindowMetrics.INVALID, "source", "inbound", "reason", "bad_key"))
                .isEqualTo(1);
        afterwardsRecordsStillFlow();
    }

    @Test
    void aKeyNamingAnotherContactThanTheRecordIsDeadLettered() {
        t.inbound.pipeInput(
                MetaRecords.PHONE_NUMBER_ID + ":US.999", MetaRecords.text("wamid.1", START, ANA), START.toEpochMilli());

        TestRecord<byte[], byte[]> dead = t.deadLetters.readRecord();
        assertThat(header(dead.headers(), DeadLetterHeaders.CAUSE)).contains("another contact than the record");
        assertThat(t.counter(WindowMetrics.INVALID, "source", "inbound", "reason", "key_mismatch"))
                .isEqualTo(1);
        afterwardsRecordsStillFlow();
    }

    @Test
    void aTimestampFarInTheFutureIsDeadLettered() {
        t.customerWrites(MetaRecords.text("wamid.1", START.plus(Duration.ofHours(3)), ANA));

        TestRecord<byte[], byte[]> dead = t.deadLetters.readRecord();
        assertThat(header(dead.headers(), DeadLetterHeaders.CAUSE)).contains("ahead of the clock");
        assertThat(t.counter(WindowMetrics.INVALID, "source", "inbound", "reason", "future_timestamp"))
                .isEqualTo(1);
        afterwardsRecordsStillFlow();
    }

    /**
     * TopologyTestDriver does not send the records a deserialization handler returns, so this shows the handler ran
     * and the stream went on; WindowServiceIT reads the dead letter from a real broker.
     */
    @Test
    void bytesThatAreNotAvroAreHandedToTheDeadLetterHandlerAndTheStreamGoesOn() {
        SimpleMeterRegistry global = new SimpleMeterRegistry();
        Metrics.addRegistry(global);
        try {
            t.rawInbound.pipeInput(
                    "106540352242922:US.1".getBytes(StandardCharsets.UTF_8),
                    "{\"not\":\"avro\"}".getBytes(StandardCharsets.UTF_8));

            assertThat(global.find("janela.deadletter.records")
                            .tags("source_topic", t.topics.inboundMessages().name(), "stage", "deserialization")
                            .counter())
                    .isNotNull()
                    .satisfies(counter -> assertThat(counter.count()).isEqualTo(1));
        } finally {
            Metrics.removeRegistry(global);
        }
        afterwardsRecordsStillFlow();
    }

    @Test
    void aRecordWithoutAValueIsSkippedAndCounted() {
        t.inbound.pipeInput(MetaRecords.PHONE_NUMBER_ID + ":" + ANA, null, START.toEpochMilli());

        assertThat(t.counter(WindowMetrics.IGNORED, "source", "inbound", "reason", "empty"))
                .isEqualTo(1);
        afterwardsRecordsStillFlow();
    }

    private void afterwardsRecordsStillFlow() {
        t.customerWrites(MetaRecords.text("wamid.ok", START, ANA));
        assertThat(t.events.readValue().getType()).isEqualTo(io.janela.avro.WindowEventType.OPENED);
        t.states.readValue();
        t.assertNothingElseEmitted();
    }

    private static String header(Headers headers, String name) {
        var header = headers.lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
