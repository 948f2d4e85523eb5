package io.janela.ingress.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The ingress-service's own settings ({@code janela.ingress.*}). Kafka client settings live under {@code
 * spring.kafka.*}; topic names under {@code janela.topics.*}.
 *
 * @param appSecrets the Meta app secrets whose HMAC-SHA256 signatures are accepted; more than one while a secret is
 *     rotated. From the environment ({@code JANELA_INGRESS_APP_SECRETS=a,b}) or a mounted file, never from the repo.
 * @param verifyToken the token Meta echoes in the verification handshake; from the environment or a mounted file
 * @param maxBodySize larger webhook bodies are refused with 413
 * @param publishTimeout how long Kafka has to acknowledge the records of one request, counted from when they are
 *     handed to the producer; it is also the producer's {@code delivery.timeout.ms}, so that records of a request
 *     answered 503 are dropped by the producer rather than written after the answer
 * @param inlineBodyLimit bodies up to this size are checked, parsed and handed to Kafka on the HTTP event loop that
 *     read them (nothing on that path blocks; about a millisecond of work at most); larger ones on Reactor's parallel
 *     scheduler, so that they do not hold up the other connections of the event loop. 0 moves every body
 * @param maxFutureTimestamp an item whose Meta timestamp is further ahead of this service's clock is dead-lettered
 *     instead of published: Meta's time drives every window and metric downstream, and a time that far ahead is a
 *     clock that is off, not an event
 * @param oldDatedAfter an item whose Meta timestamp is further behind this service's clock is still published (its
 *     record timestamp is the ingest time, so retention counts from its 200) and counted in {@code
 *     janela.webhook.records.old-dated}: a delivery Meta retried for a long time, a history sync, a clock far off
 * @param topics whether and how the service creates the topics it writes
 */
@ConfigurationProperties("janela.ingress")
@Validated
record IngressProperties(
        @NotEmpty List<@NotBlank String> appSecrets,
        @NotBlank String verifyToken,
        @DefaultValue("4MB") @NotNull DataSize maxBodySize,
        @DefaultValue("5s") @NotNull Duration publishTimeout,
        @DefaultValue("32KB") @NotNull DataSize inlineBodyLimit,
        @DefaultValue("55m") @NotNull Duration maxFutureTimestamp,
        @DefaultValue("24h") @NotNull Duration oldDatedAfter,
        @DefaultValue @Valid Topics topics) {

    public IngressProperties {
        // Mounted secret files and environment variables often end with a newline; a secret never does.
        appSecrets = appSecrets == null
                ? List.of()
                : appSecrets.stream().map(String::strip).toList();
        verifyToken = verifyToken == null ? null : verifyToken.strip();
    }

    @AssertTrue(message = "janela.ingress.max-body-size must be between 1 KB and 64 MB")
    boolean isMaxBodySizeSensible() {
        return maxBodySize == null
                || (maxBodySize.toBytes() >= 1024
                        && maxBodySize.toBytes() <= DataSize.ofMegabytes(64).toBytes());
    }

    @AssertTrue(message = "janela.ingress.publish-timeout must be between 1 s and 5 min")
    boolean isPublishTimeoutSensible() {
        return publishTimeout == null
                || (publishTimeout.compareTo(Duration.ofSeconds(1)) >= 0
                        && publishTimeout.compareTo(Duration.ofMinutes(5)) <= 0);
    }

    @AssertTrue(message = "janela.ingress.inline-body-limit must be between 0 and 1 MB")
    boolean isInlineBodyLimitSensible() {
        return inlineBodyLimit == null
                || (inlineBodyLimit.toBytes() >= 0
                        && inlineBodyLimit.toBytes() <= DataSize.ofMegabytes(1).toBytes());
    }

    @AssertTrue(message = "janela.ingress.max-future-timestamp must not be negative")
    boolean isMaxFutureTimestampSensible() {
        return maxFutureTimestamp == null || !maxFutureTimestamp.isNegative();
    }

    @AssertTrue(message = "janela.ingress.old-dated-after must be positive")
    boolean isOldDatedAfterSensible() {
        return oldDatedAfter == null || oldDatedAfter.isPositive();
    }

    /** The body limit in bytes, as an int (it is at most 64 MB). */
    public int maxBodyBytes() {
        return (int) maxBodySize.toBytes();
    }

    /** Never prints the secrets: configuration reports and exception messages may reach logs. */
    @Override
    public String toString() {
        return "IngressProperties[appSecrets=" + appSecrets.size() + " redacted, verifyToken=redacted, maxBodySize="
                + maxBodySize + ", publishTimeout=" + publishTimeout + ", inlineBodyLimit=" + inlineBodyLimit
                + ", maxFutureTimestamp=" + maxFutureTimestamp + ", oldDatedAfter=" + oldDatedAfter
                + ", topics=" + topics + "]";
    }

    /**
     * Creation of the topics this service writes (inbound messages, statuses, template events, user preferences and
     * the webhook dead-letter topic) when they do not exist. An existing topic is left as it is, except that Spring's
     * {@code KafkaAdmin} adds partitions when it has fewer than {@code partitions}.
     *
     * @param create false where topics are managed elsewhere (for example by Strimzi resources)
     * @param partitions partitions of each topic; records are keyed by contact, so this bounds the parallelism of
     *     every consumer of these topics
     * @param replicationFactor replicas of each topic; -1 takes the broker's {@code default.replication.factor}
     * @param retention {@code retention.ms} of the four event topics. Kafka's time-based retention counts from the
     *     record timestamp, which is the time this service took the record (Meta's time is in the value), so every
     *     acknowledged record is kept this long after its 200, whatever date Meta gave it
     * @param deadLetterRetention how long dead-lettered webhook bodies are kept for someone to look at and replay
     */
    public record Topics(
            @DefaultValue("true") boolean create,
            @DefaultValue("6") @Min(1) int partitions,
            @DefaultValue("-1") @Min(-1) int replicationFactor,
            @DefaultValue("14d") @NotNull Duration retention,
            @DefaultValue("30d") @NotNull Duration deadLetterRetention) {}
}
