package io.janela.ingress.parse;

import java.time.Instant;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;

/**
 * One record to publish, before serialisation. Key and value are functions of the webhook item alone (never of when
 * it arrived), so that Meta's retry of a delivery produces the same record.
 *
 * @param kind which topic it goes to
 * @param key the contact key, or the template key for template events
 * @param value the Avro value
 * @param timestamp Meta's time of the event (in the value; the Kafka record timestamp is the ingest time)
 * @param path where the item is in the body, e.g. {@code entry[0].changes[0].value.messages[3]}
 */
public record MappedRecord(RecordKind kind, String key, SpecificRecord value, Instant timestamp, String path) {

    public MappedRecord {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(path, "path");
    }
}
