package io.janela.ingress.webhook;

import io.janela.ingress.parse.DeadLetterReason;
import io.janela.ingress.parse.EnvelopeFailure;
import io.janela.ingress.parse.ItemProblem;
import io.janela.ingress.parse.MappedRecord;
import io.janela.ingress.parse.ParsedWebhook;
import io.janela.ingress.parse.RecordKind;
import io.janela.ingress.parse.WebhookParser;
import io.janela.ingress.publish.KafkaFailures;
import io.janela.ingress.publish.OutgoingRecords;
import io.janela.ingress.publish.PublishResult;
import io.janela.ingress.publish.RecordPublisher;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens to a webhook body once its signature is verified: parse it, publish every record, dead-letter what
 * cannot be published, and say how it ended. The outcome is only known once Kafka has answered for every record.
 *
 * <ul>
 *   <li>A body that is not a webhook envelope goes whole to the dead-letter topic; nothing else is published.
 *   <li>Every record's Kafka timestamp is the time this service took it, never Meta's time (which stays in the
 *       value): retention then counts from the acknowledgement, so an item Meta dated long ago is not deleted
 *       minutes after its 200. Such items are counted ({@code janela.webhook.records.old-dated}).
 *   <li>Items that cannot become records (no id, no timestamp, no identity), or whose Meta timestamp is too far in
 *       the future to trust, are left out; the other items are published and the body goes to the
 *       dead-letter topic once, its headers naming the items left out.
 *   <li>When Kafka refuses a record for good (too large, timestamp out of range), the body is dead-lettered; when it
 *       fails for any other reason (unreachable, timeout, too few in-sync replicas), the outcome is unavailable and
 *       Meta's retry will publish again. A record is never answered for before the producer reported on it.
 * </ul>
 *
 * <p>Logs name sizes, reasons, positions and counts; never the body, a phone number or a secret.
 */
public final class WebhookIngestion {

    private static final Logger log = LoggerFactory.getLogger(WebhookIngestion.class);
    private static final int MAX_PROBLEMS_IN_CAUSE = 20;

    private final WebhookParser parser;
    private final OutgoingRecords outgoing;
    private final RecordPublisher publisher;
    private final WebhookMetrics metrics;
    private final Clock clock;
    private final Duration maxFutureTimestamp;
    private final Duration oldDatedAfter;

    /**
     * @param maxFutureTimestamp items whose Meta time is further ahead of {@code clock} are dead-lettered
     * @param oldDatedAfter items whose Meta time is further behind {@code clock} are published and counted as
     *     old-dated ({@code janela.webhook.records.old-dated})
     */
    public WebhookIngestion(
            WebhookParser parser,
            OutgoingRecords outgoing,
            RecordPublisher publisher,
            WebhookMetrics metrics,
            Clock clock,
            Duration maxFutureTimestamp,
            Duration oldDatedAfter) {
        this.parser = parser;
        this.outgoing = outgoing;
        this.publisher = publisher;
        this.metrics = metrics;
        this.clock = clock;
        this.maxFutureTimestamp = maxFutureTimestamp;
        this.oldDatedAfter = oldDatedAfter;
    }

    /** Ingests a body whose signature was verified. Never blocks: the outcome completes when Kafka has answered. */
    public CompletableFuture<IngestionOutcome> ingest(byte[] body) {
        ParsedWebhook parsed = parser.parse(body);
        metrics.noted(parsed.notes());
        if (!parsed.notes().platformErrorCodes().isEmpty()) {
            log.warn(
                    "Meta reported account-level errors with codes {}",
                    parsed.notes().platformErrorCodes());
        }
        if (parsed.failure().isPresent()) {
            EnvelopeFailure failure = parsed.failure().get();
            log.warn(
                    "Dead-lettering a signed webhook body of {} bytes: {} ({})",
                    body.length,
                    failure.reason(),
                    failure.cause());
            return deadLetterOnly(body, failure.reason(), failure.cause(), failure.exception(), 0);
        }

        Instant now = clock.instant();
        Instant latestAcceptable = now.plus(maxFutureTimestamp);
        Instant oldDatedBefore = now.minus(oldDatedAfter);
        List<MappedRecord> records = new ArrayList<>(parsed.records().size());
        List<ItemProblem> problems = new ArrayList<>(parsed.problems());
        for (MappedRecord record : parsed.records()) {
            if (record.timestamp().isAfter(latestAcceptable)) {
                problems.add(new ItemProblem(
                        record.path(), "timestamp more than " + maxFutureTimestamp + " ahead of this service's clock"));
            } else {
                records.add(record);
            }
        }

        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>(records.size() + 1);
        try {
            for (MappedRecord record : records) {
                out.add(outgoing.serialize(record, now));
            }
        } catch (RuntimeException e) {
            // Typically the schema registry cannot be reached: nothing was sent, and Meta's retry will try again.
            log.warn("Could not serialise the records of a webhook; answering 503: {}", e.toString());
            return CompletableFuture.completedFuture(IngestionOutcome.unavailable(0));
        }
        boolean withDeadLetter = !problems.isEmpty();
        if (withDeadLetter) {
            log.warn(
                    "Publishing {} of {} items of a webhook body of {} bytes; dead-lettering it for the others: {}",
                    records.size(),
                    records.size() + problems.size(),
                    body.length,
                    describe(problems));
            out.add(outgoing.deadLetter(body, DeadLetterReason.INVALID_ITEMS, describe(problems), null));
        }

        long started = System.nanoTime();
        return publisher.publish(out).thenCompose(result -> {
            metrics.publishDuration(Duration.ofNanos(System.nanoTime() - started), result.allAcknowledged());
            int published = countPublished(records, result, oldDatedBefore);
            if (result.allAcknowledged()) {
                if (withDeadLetter) {
                    metrics.deadLettered(DeadLetterReason.INVALID_ITEMS);
                    return done(IngestionOutcome.Status.DEAD_LETTERED, published);
                }
                return done(IngestionOutcome.Status.ACCEPTED, published);
            }
            boolean deadLetterFailed = withDeadLetter && !result.acknowledged(out.size() - 1);
            if (!deadLetterFailed && result.failures().stream().allMatch(KafkaFailures::isRecordRejection)) {
                String cause = rejections(records, result);
                log.warn(
                        "Kafka refused records of a webhook body of {} bytes; dead-lettering it: {}",
                        body.length,
                        cause);
                if (withDeadLetter) {
                    metrics.deadLettered(DeadLetterReason.INVALID_ITEMS);
                }
                Throwable first = result.failures().getFirst();
                return deadLetterOnly(
                        body,
                        DeadLetterReason.REJECTED_BY_KAFKA,
                        cause,
                        first.getClass().getName(),
                        published);
            }
            log.warn(
                    "Kafka did not acknowledge {} of {} records of a webhook; answering 503 so that Meta retries: {}",
                    result.failures().size(),
                    result.size(),
                    result.failures().getFirst().toString());
            return CompletableFuture.completedFuture(IngestionOutcome.unavailable(published));
        });
    }

    private CompletableFuture<IngestionOutcome> deadLetterOnly(
            byte[] body, DeadLetterReason reason, String cause, String exception, int published) {
        ProducerRecord<byte[], byte[]> deadLetter = outgoing.deadLetter(body, reason, cause, exception);
        return publisher.publish(List.of(deadLetter)).thenApply(result -> {
            if (result.allAcknowledged()) {
                metrics.deadLettered(reason);
                return new IngestionOutcome(IngestionOutcome.Status.DEAD_LETTERED, published);
            }
            Throwable failure = result.failure(0);
            if (KafkaFailures.isRecordRejection(failure)) {
                // Nothing more can be done here: an operator must let the dead-letter topic take bodies this large.
                log.error(
                        "The dead-letter topic {} refused a webhook body of {} bytes ({}); answering 503 so that the"
                                + " body is not lost while Meta retries",
                        outgoing.deadLetterTopic(),
                        body.length,
                        failure.toString());
            } else {
                log.warn("Could not dead-letter a webhook body; answering 503: {}", failure.toString());
            }
            return IngestionOutcome.unavailable(published);
        });
    }

    private int countPublished(List<MappedRecord> records, PublishResult result, Instant oldDatedBefore) {
        int[] byKind = new int[RecordKind.values().length];
        int[] oldByKind = new int[RecordKind.values().length];
        int published = 0;
        for (int i = 0; i < records.size(); i++) {
            if (result.acknowledged(i)) {
                MappedRecord record = records.get(i);
                byKind[record.kind().ordinal()]++;
                if (record.timestamp().isBefore(oldDatedBefore)) {
                    oldByKind[record.kind().ordinal()]++;
                }
                published++;
            }
        }
        for (RecordKind kind : RecordKind.values()) {
            metrics.published(kind, byKind[kind.ordinal()]);
            metrics.oldDated(kind, oldByKind[kind.ordinal()]);
        }
        return published;
    }

    private static String rejections(List<MappedRecord> records, PublishResult result) {
        List<String> refused = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            Throwable failure = result.failure(i);
            if (failure != null) {
                refused.add(records.get(i).path() + ": refused by Kafka ("
                        + failure.getClass().getSimpleName() + ")");
            }
        }
        return String.join("; ", refused);
    }

    private static String describe(List<ItemProblem> problems) {
        String listed = problems.stream()
                .limit(MAX_PROBLEMS_IN_CAUSE)
                .map(ItemProblem::toString)
                .collect(Collectors.joining("; "));
        int more = problems.size() - MAX_PROBLEMS_IN_CAUSE;
        return more > 0 ? listed + "; and " + more + " more" : listed;
    }

    private static CompletableFuture<IngestionOutcome> done(IngestionOutcome.Status status, int published) {
        return CompletableFuture.completedFuture(new IngestionOutcome(status, published));
    }
}
