package io.janela.dispatch.send;

import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.DispatchOutcome;
import io.janela.avro.DispatchReason;
import io.janela.serde.AvroClassTrust;
import io.janela.serde.RegistryRetry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class UnreadableCommandTest {

    static {
        // Avro 1.12.2 refuses generated classes it was not told to trust; the serde does this in the service.
        AvroClassTrust.trustGeneratedClasses();
    }

    @Test
    void answersACorruptCommandFailedWithTheRequestIdItsBytesStillCarry() {
        // Confluent frame (magic 0, schema id 7), then the Avro string "r-42" (zig-zag length 4 = 8), then garbage.
        ByteBuffer value = ByteBuffer.wrap(new byte[] {0, 0, 0, 0, 7, 8, 'r', '-', '4', '2', (byte) 0xff, (byte) 0xff});
        RecordDeserializationException failure = new RecordDeserializationException(
                RecordDeserializationException.DeserializationExceptionOrigin.VALUE,
                new TopicPartition("whatsapp.dispatch.send-commands", 3),
                17,
                0,
                TimestampType.CREATE_TIME,
                ByteBuffer.wrap("100:wa-1".getBytes(StandardCharsets.UTF_8)),
                value,
                null,
                "cannot read",
                new IllegalStateException("corrupt"));

        UnreadableCommand command = UnreadableCommand.of(failure, Instant.EPOCH);

        assertThat(command.requestId()).isEqualTo("r-42");
        assertThat(command.result().getOutcome()).isEqualTo(DispatchOutcome.FAILED);
        assertThat(command.result().getReason()).isEqualTo(DispatchReason.INVALID_REQUEST);
        assertThat(command.result().getPhoneNumberId()).isEqualTo("100");
        assertThat(command.result().getDetail()).doesNotContain("wa-1");
        assertThat(UnreadableCommand.journalKey(17)).isEqualTo("UNREADABLE:17");
    }

    @Test
    void findsNoRequestIdInBytesThatAreNotAConfluentFrame() {
        assertThat(UnreadableCommand.requestId(ByteBuffer.wrap("not avro".getBytes(StandardCharsets.UTF_8))))
                .isNull();
        assertThat(UnreadableCommand.requestId(null)).isNull();
    }

    @Test
    void pausesLongerAfterEachRegistryFailureUpToTheMaximumAndStartsOverAfterASuccess() {
        RegistryRetry retry = new RegistryRetry(Duration.ofSeconds(1));

        assertThat(retry.failed()).isEqualTo(Duration.ofMillis(100));
        assertThat(retry.failed()).isEqualTo(Duration.ofMillis(200));
        assertThat(retry.failed()).isEqualTo(Duration.ofMillis(400));
        assertThat(retry.failed()).isEqualTo(Duration.ofMillis(800));
        assertThat(retry.failed()).isEqualTo(Duration.ofSeconds(1));
        retry.succeeded();
        assertThat(retry.failed()).isEqualTo(Duration.ofMillis(100));
    }
}
