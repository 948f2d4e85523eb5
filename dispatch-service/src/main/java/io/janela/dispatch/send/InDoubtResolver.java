package io.janela.dispatch.send;

import io.janela.avro.MessageStatus;
import io.janela.avro.MetaError;
import io.janela.avro.SendKind;
import io.janela.serde.RegistryRetry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds out whether Meta accepted a send that is in doubt, by the status webhooks that echo its request id in
 * {@code biz_opaque_callback_data} (whatsapp.message-statuses): any status of the request after its attempt proves
 * acceptance (a {@code failed} one too: Meta accepted, then could not deliver). A fallback attempt ignores the 131047
 * failure of the free-form message before it.
 *
 * <p>It reads the statuses topic only while something is in doubt (rare: after a crash, a lost connection or an
 * unanswered call), from a little before the earliest attempt in doubt, on every partition, without a consumer group.
 * {@link #searchedUntil()} says up to when everything has been read, so that a request is declared unconfirmed only
 * after the statuses that could confirm it had their chance.
 */
final class InDoubtResolver implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(InDoubtResolver.class);
    private static final Duration POLL = Duration.ofMillis(200);

    /**
     * A request whose acceptance is sought.
     *
     * @param refusedWamid FALLBACK: the message id of the free-form message Meta refused with 131047 (its statuses echo
     *     the same request id and prove nothing about the fallback); null when unknown
     * @param decidedAt when the command was decided: for a FALLBACK, after Meta's refusal of the free-form message, so
     *     that no status of the fallback can be older
     */
    record Watch(
            String journalKey,
            String requestId,
            SendKind kind,
            Instant attemptedAt,
            String refusedWamid,
            Instant decidedAt) {}

    /**
     * How much older (by Meta's clock) than the fallback's decision a status may be and still be the fallback's: the
     * clocks' skew. Any other message of the request (a free-form message sent before the refused one) is older than
     * the refused one, which is older than the decision, by far more.
     */
    static final Duration CLOCK_TOLERANCE = Duration.ofSeconds(5);

    /** Meta accepted the send of {@code journalKey} as message {@code wamid}. */
    record Found(String journalKey, String wamid, Instant statusAt) {}

    /**
     * How long after Meta's time a status may reach Kafka (its record timestamp is the ingest time) and still count as
     * delivered on time. A later one was held back (an ingress outage, Meta's retries): it tells that statuses of its
     * time were not flowing.
     */
    static final Duration ON_TIME = Duration.ofSeconds(30);

    /**
     * How soon after an attempt an on-time status of its number must be to count as evidence that the attempt's own
     * status would have come: the webhooks were flowing right after it. Later statuses say nothing about the attempt's
     * time (an outage may have ended meanwhile, its statuses still in Meta's retry queue). It covers a sender's restart
     * after a crash (its sends resume within it).
     */
    static final Duration EVIDENCE_WINDOW = Duration.ofMinutes(2);

    /** How long status times are kept for evidence. */
    private static final Duration EVIDENCE_KEPT = Duration.ofHours(1);

    private final String topic;
    private final Map<String, Object> consumerConfig;
    private final Deserializer<MessageStatus> values;
    private final Duration lookback;
    private final Clock clock;
    private final Map<String, List<Watch>> watching = new ConcurrentHashMap<>();
    /** Per business number, the Meta times (whole seconds) of statuses of dispatch sends that came on time. */
    private final Map<String, NavigableSet<Instant>> onTime = new ConcurrentHashMap<>();
    /** Per business number, the latest Meta time of a status of a dispatch send that came late. */
    private final Map<String, Instant> lateUntil = new ConcurrentHashMap<>();

    private final RegistryRetry registryRetry;
    private final Runnable registryFailed;
    private final ConcurrentLinkedQueue<Found> found = new ConcurrentLinkedQueue<>();
    private final Object signal = new Object();
    private final Thread thread;
    /** Guarded by {@code signal}: where the next read starts, and how many watches were added so far. */
    private Instant seekTo;

    private long watches;
    private volatile Instant searchedUntil = Instant.MIN;
    private volatile boolean running = true;

    InDoubtResolver(
            String topic,
            Map<String, Object> consumerConfig,
            Deserializer<MessageStatus> values,
            Duration lookback,
            Duration registryRetryMaxBackoff,
            Runnable registryFailed,
            Clock clock) {
        this.topic = topic;
        this.registryRetry = new RegistryRetry(registryRetryMaxBackoff);
        this.registryFailed = registryFailed;
        this.consumerConfig = consumerConfig;
        this.values = values;
        this.lookback = lookback;
        this.clock = clock;
        this.thread =
                Thread.ofPlatform().name("dispatch-in-doubt-resolver").daemon().unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    void watch(Watch watch) {
        watching.computeIfAbsent(watch.requestId(), id -> new CopyOnWriteArrayList<>())
                .add(watch);
        synchronized (signal) {
            Instant from = watch.attemptedAt().minus(lookback);
            if (seekTo == null || from.isBefore(seekTo)) {
                seekTo = from;
            }
            watches++;
            searchedUntil = Instant.MIN;
            signal.notifyAll();
        }
    }

    void unwatch(String journalKey, String requestId) {
        List<Watch> watches = watching.get(requestId);
        if (watches != null) {
            watches.removeIf(watch -> watch.journalKey().equals(journalKey));
            if (watches.isEmpty()) {
                watching.remove(requestId);
            }
        }
    }

    /** Acceptances found since the last call. */
    List<Found> drain() {
        List<Found> drained = new ArrayList<>();
        for (Found next; (next = found.poll()) != null; ) {
            drained.add(next);
        }
        return drained;
    }

    /** The wall-clock time up to which every status is known to have been read; MIN while searching. */
    Instant searchedUntil() {
        return watching.isEmpty() ? clock.instant() : searchedUntil;
    }

    /**
     * Whether the statuses read prove that a send of this number attempted at {@code attemptedAt} would have had its
     * own status webhook by now, had Meta accepted it: the evidence a resend needs. That is, a status of another send
     * of the number, at least {@code margin} later than the attempt (Meta's time) and within {@link #EVIDENCE_WINDOW}
     * of it, came on time (webhooks were flowing right after the attempt), and no status from {@code margin} before
     * the attempt on came late (no outage held statuses of that time back: after one, Meta redelivers the held-back
     * statuses in no particular order, so that later ones arriving proves nothing).
     */
    boolean provesLost(String phoneNumberId, Instant attemptedAt, Duration margin) {
        Instant late = lateUntil.get(phoneNumberId);
        if (late != null && !late.isBefore(attemptedAt.minus(margin))) {
            return false;
        }
        NavigableSet<Instant> times = onTime.get(phoneNumberId);
        if (times == null) {
            return false;
        }
        Instant from = attemptedAt.plus(margin);
        Instant first = times.ceiling(from);
        return first != null && !first.isAfter(from.plus(EVIDENCE_WINDOW));
    }

    /** Where the next read must start, and the count of watches added so far; clears the seek. */
    record Round(Instant from, long watches) {}

    Round nextRound() {
        synchronized (signal) {
            Round round = new Round(seekTo, watches);
            seekTo = null;
            return round;
        }
    }

    /**
     * Everything up to {@code readAt} has been read: recorded only if no watch came in since the round began (a watch
     * moves the search back, and must not be declared searched by a read that started before it). Checked and set under
     * the lock {@link #watch} takes.
     */
    void caughtUp(Round round, Instant readAt) {
        synchronized (signal) {
            if (round.watches() == watches && seekTo == null) {
                searchedUntil = readAt;
            }
        }
    }

    private void run() {
        Map<String, Object> config = new HashMap<>(consumerConfig);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "dispatch-in-doubt-resolver");
        while (running) {
            try (KafkaConsumer<String, MessageStatus> consumer =
                    new KafkaConsumer<>(config, new StringDeserializer(), values)) {
                List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                        .map(info -> new TopicPartition(topic, info.partition()))
                        .toList();
                consumer.assign(partitions);
                consumer.seekToEnd(partitions);
                search(consumer, partitions);
            } catch (RuntimeException e) {
                if (running) {
                    log.warn("The search of in-doubt sends failed; starting it again: {}", e.toString());
                    sleep(Duration.ofSeconds(1));
                }
            }
        }
    }

    private void search(KafkaConsumer<String, MessageStatus> consumer, List<TopicPartition> partitions) {
        while (running) {
            synchronized (signal) {
                while (running && watching.isEmpty() && seekTo == null) {
                    try {
                        signal.wait(POLL.toMillis());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
            Round round = nextRound();
            if (round.from() != null) {
                seek(consumer, partitions, round.from());
            }
            Instant readAt = clock.instant();
            try {
                for (ConsumerRecord<String, MessageStatus> record : consumer.poll(POLL)) {
                    check(record.value(), Instant.ofEpochMilli(record.timestamp()));
                }
                registryRetry.succeeded();
            } catch (RecordDeserializationException e) {
                if (RegistryRetry.isTransient(e)) {
                    // Never skipped: the status may be the proof that Meta took a send in doubt.
                    Duration pause = registryRetry.failed();
                    registryFailed.run();
                    log.warn(
                            "The schema registry could not be reached to read the status at {}-{}; reading it again"
                                    + " in {}",
                            e.topicPartition(),
                            e.offset(),
                            pause);
                    consumer.seek(e.topicPartition(), e.offset());
                    sleep(pause);
                } else {
                    log.warn("Skipping a corrupt status at {}-{}: {}", e.topicPartition(), e.offset(), e.toString());
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                }
                continue;
            }
            boolean caughtUp = partitions.stream()
                    .allMatch(partition -> consumer.currentLag(partition).orElse(1) == 0);
            if (caughtUp) {
                caughtUp(round, readAt);
            }
        }
    }

    private void seek(KafkaConsumer<String, MessageStatus> consumer, List<TopicPartition> partitions, Instant from) {
        Map<TopicPartition, Long> times = new HashMap<>();
        partitions.forEach(partition -> times.put(partition, from.toEpochMilli()));
        Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(times, Duration.ofSeconds(30));
        for (TopicPartition partition : partitions) {
            OffsetAndTimestamp offset = offsets.get(partition);
            long position = consumer.position(partition);
            if (offset == null) {
                continue; // nothing that recent: keep reading from where we are
            }
            if (offset.offset() < position) {
                consumer.seek(partition, offset.offset());
            }
        }
    }

    /**
     * Looks at one status read: a proof for the sends in doubt it names, and evidence about its number's webhooks.
     *
     * @param ingestedAt when it reached Kafka (its record timestamp)
     */
    void check(MessageStatus status, Instant ingestedAt) {
        if (status == null || status.getBizOpaqueCallbackData() == null) {
            return;
        }
        if (status.getPhoneNumberId() != null && status.getTimestamp() != null) {
            Instant at = status.getTimestamp().truncatedTo(ChronoUnit.SECONDS);
            if (Duration.between(at, ingestedAt).compareTo(ON_TIME) <= 0) {
                NavigableSet<Instant> times =
                        onTime.computeIfAbsent(status.getPhoneNumberId(), number -> new ConcurrentSkipListSet<>());
                times.add(at);
                times.headSet(at.minus(EVIDENCE_KEPT)).clear();
            } else {
                lateUntil.merge(status.getPhoneNumberId(), at, (a, b) -> a.isAfter(b) ? a : b);
            }
        }
        List<Watch> watches = watching.get(status.getBizOpaqueCallbackData());
        if (watches == null) {
            return;
        }
        for (Watch watch : watches) {
            if (watch.kind() == SendKind.FALLBACK && !provesFallback(watch, status)) {
                continue;
            }
            log.info(
                    "Request {} ({}) in doubt: Meta accepted it, status {} names it",
                    watch.requestId(),
                    watch.kind(),
                    status.getStatus());
            found.add(new Found(watch.journalKey(), status.getMessageId(), status.getTimestamp()));
            unwatch(watch.journalKey(), watch.requestId());
        }
    }

    /**
     * A status echoing the request id of a fallback in doubt may be a free-form message's: the refused one's (its
     * 131047, or its {@code sent} before that), or that of a free-form message sent before it. The fallback's own
     * statuses are the ones of another message, from the fallback's decision on (less {@link #CLOCK_TOLERANCE}): the
     * refused message is known by its id, and every free-form message was sent before Meta refused it. For a command
     * that does not name the refused message (written before commands did), by time alone: not older than the attempt
     * (Meta's times are whole seconds).
     */
    static boolean provesFallback(Watch watch, MessageStatus status) {
        if (failedWithReengagement(status) || status.getTimestamp() == null) {
            return false;
        }
        if (watch.refusedWamid() != null) {
            return !watch.refusedWamid().equals(status.getMessageId())
                    && !status.getTimestamp()
                            .isBefore(watch.decidedAt()
                                    .truncatedTo(ChronoUnit.SECONDS)
                                    .minus(CLOCK_TOLERANCE));
        }
        return !status.getTimestamp().isBefore(watch.attemptedAt().truncatedTo(ChronoUnit.SECONDS));
    }

    private static boolean failedWithReengagement(MessageStatus status) {
        for (MetaError error : status.getErrors()) {
            if (error.getCode() == ErrorClassifier.REENGAGEMENT_CODE) {
                return true;
            }
        }
        return false;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        synchronized (signal) {
            signal.notifyAll();
        }
        try {
            thread.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
