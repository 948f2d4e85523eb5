package io.janela.dispatch.send;

import io.janela.avro.DispatchResult;
import io.janela.avro.SendCommand;
import io.janela.avro.SendJournalEntry;
import io.janela.avro.SendState;
import io.janela.contract.ContactKey;
import io.janela.dispatch.business.BusinessNumber;
import io.janela.dispatch.business.BusinessNumbers;
import io.janela.dispatch.config.DispatchProperties;
import io.janela.dispatch.graph.GraphApiClient;
import io.janela.dispatch.graph.MessageRequests;
import io.janela.dispatch.graph.SendResponse;
import io.janela.dispatch.topics.DispatchTopics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the decided messages (whatsapp.dispatch.send-commands) through the Graph API and publishes their results on
 * whatsapp.dispatch-results, exactly once per command, also across crashes.
 *
 * <p><b>Exactly one result, nothing sent twice.</b> Meta has no idempotency key, so the sender keeps a write-ahead
 * journal ({@link SendJournal}) and works in Kafka transactions tied to its consumer group (a zombie instance's
 * transactions are fenced):
 *
 * <ol>
 *   <li>a transaction records ATTEMPTING for the calls about to be made, and commits, before any of them is made;
 *   <li>the calls are made at the number's pace ({@link FiringPacer});
 *   <li>a later transaction publishes each final result with DONE for its command and commits the command offsets up
 *       to the lowest command still open.
 * </ol>
 *
 * After a crash, the commands from the committed offset on are read again with the journal: DONE ones are skipped;
 * ATTEMPTING ones are in doubt (Meta may have accepted them) and are not sent again until the
 * {@link InDoubtResolver} has looked for a status webhook that echoes their request id: found, the result is SENT with
 * that message id; not found within {@code in-doubt-timeout}, the {@code in-doubt-resolution} applies (send again, or
 * FAILED SEND_IN_DOUBT). A call left unanswered (a timeout) is in doubt the same way.
 *
 * <p><b>Pace.</b> Each instance aims at its share of each number's throughput limit: the limit times the fraction of
 * the send-commands partitions it holds, so all instances together stay under it. One contact's commands go one at a
 * time, in order, at the pair rate; different contacts go concurrently.
 */
public final class Sender implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Sender.class);
    private static final Duration BUSY_POLL = Duration.ofMillis(5);
    private static final Duration IDLE_POLL = Duration.ofMillis(100);
    private static final Duration JOURNAL_LOAD_TIMEOUT = Duration.ofMinutes(2);

    /** An answer from Meta, handed from the HTTP client's thread to the send loop. */
    private record Answer(Pending pending, SendResponse response, Instant at, long nanos) {}

    private final Map<String, Object> consumerConfig;
    private final Map<String, Object> producerConfig;
    private final DispatchTopics topics;
    private final DispatchProperties.Sender settings;
    private final BusinessNumbers numbers;
    private final GraphApiClient graph;
    private final Clock clock;
    private final SendScheduler scheduler;
    private final SendJournal journal;
    private final FiringPacer pacer;
    private final InDoubtResolver resolver;
    private final SenderMetrics metrics;
    private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
    /** Final results not committed yet: they ride with the next transaction, at most a commit interval later. */
    private final List<SendScheduler.Finish> unpublished = new ArrayList<>();
    /** Send commands that could not be read, answered FAILED with the next transaction. */
    private final List<Unreadable> unreadable = new ArrayList<>();

    private final FlowControl flow;
    private final RegistryRetry registryRetry;

    private final Set<String> refilling = new HashSet<>();
    private final Map<TopicPartition, PartitionProgress> progress = new HashMap<>();
    /**
     * The partitions whose calls the pacer may make (read on the pacer's thread): added once a partition's journal is
     * loaded, removed before anything else when it is revoked or lost, or when the session ends.
     */
    private final Set<TopicPartition> held = ConcurrentHashMap.newKeySet();

    private final Map<String, Double> rates = new HashMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    private KafkaConsumer<String, SendCommand> consumer;
    private KafkaProducer<String, Object> producer;
    private Instant lastCommit = Instant.MIN;

    /** A send command that could not be read, where it was. */
    private record Unreadable(TopicPartition partition, long offset, UnreadableCommand command) {}

    /**
     * @param consumerConfig Kafka consumer settings (bootstrap servers, security...); the group, isolation and
     *     deserializers are set here
     * @param producerConfig Kafka producer settings; the transactional id and serializers are set here
     * @param groupId the consumer group of all the service's sender instances
     */
    public Sender(
            Map<String, Object> consumerConfig,
            Map<String, Object> producerConfig,
            String groupId,
            DispatchTopics topics,
            DispatchProperties.Sender settings,
            BusinessNumbers numbers,
            GraphApiClient graph,
            MeterRegistry registry,
            Clock clock) {
        this.topics = topics;
        this.settings = settings;
        this.numbers = numbers;
        this.graph = graph;
        this.clock = clock;
        this.consumerConfig = new HashMap<>(consumerConfig);
        this.consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        this.consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        this.consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        this.consumerConfig.put(ConsumerConfig.CLIENT_ID_CONFIG, groupId + "-" + settings.instanceId());
        // Static membership (the instance id is the StatefulSet pod name, stable across restarts, like the
        // transactional id): a replaced sender takes its partitions back at once instead of waiting out its dead
        // predecessor's session; a sender that does not come back gives them up after the session timeout.
        this.consumerConfig.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, groupId + "-" + settings.instanceId());
        this.consumerConfig.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int)
                settings.sessionTimeout().toMillis());
        this.producerConfig = new HashMap<>(producerConfig);
        this.producerConfig.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, groupId + "-" + settings.instanceId());
        this.producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        this.producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        this.producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, groupId + "-" + settings.instanceId());
        this.scheduler = new SendScheduler(
                settings,
                new RetryPolicy(
                        settings.initialBackoff(),
                        settings.maxBackoff(),
                        settings.downtimeBackoff(),
                        ThreadLocalRandom.current()));
        this.journal = new SendJournal(
                topics.sendJournal().name(),
                this.consumerConfig,
                topics.sendJournal().valueSerde().deserializer());
        this.pacer = new FiringPacer(FiringPacer.MAX_CATCH_UP.toNanos(), pending -> held.contains(pending.partition));
        this.metrics = new SenderMetrics(registry, scheduler::held, scheduler::inDoubt);
        this.resolver = new InDoubtResolver(
                topics.shared().messageStatuses().name(),
                this.consumerConfig,
                topics.shared().messageStatuses().valueSerde().deserializer(),
                settings.statusLookback(),
                settings.registryRetryMaxBackoff(),
                () -> metrics.registryUnavailable(SenderMetrics.STATUSES),
                clock);
        this.flow = new FlowControl(settings.maxQueued());
        this.registryRetry = new RegistryRetry(settings.registryRetryMaxBackoff());
        this.thread = Thread.ofPlatform().name("dispatch-sender").unstarted(this::run);
    }

    public void start() {
        pacer.start();
        resolver.start();
        thread.start();
    }

    /** Whether the send loop is running (for health). */
    public boolean isRunning() {
        return thread.isAlive() && running;
    }

    private void run() {
        while (running) {
            try {
                session();
            } catch (RuntimeException e) {
                if (running) {
                    log.error("The sender's Kafka session failed; starting a new one", e);
                    resetState();
                    pause(Duration.ofSeconds(1));
                }
            }
        }
    }

    /** One consumer and one transactional producer, until stopped or fenced. */
    private void session() {
        try (KafkaProducer<String, Object> newProducer =
                        new KafkaProducer<>(producerConfig, new StringSerializer(), new AnySerializer(topics));
                KafkaConsumer<String, SendCommand> newConsumer = new KafkaConsumer<>(
                        consumerConfig,
                        new StringDeserializer(),
                        topics.sendCommands().valueSerde().deserializer())) {
            producer = newProducer;
            consumer = newConsumer;
            producer.initTransactions();
            consumer.subscribe(List.of(topics.sendCommands().name()), new Rebalance());
            while (running) {
                step();
            }
            stopSending(Set.copyOf(progress.keySet()));
        } finally {
            held.clear();
            consumer = null;
            producer = null;
        }
    }

    private void step() {
        boolean busy = scheduler.held() > 0 || flow.waitingForRegistry();
        boolean changed = false;
        try {
            for (ConsumerRecord<String, SendCommand> record : consumer.poll(busy ? BUSY_POLL : IDLE_POLL)) {
                read(record);
                changed = true;
            }
            registryRetry.succeeded();
        } catch (RecordDeserializationException e) {
            changed |= unreadable(e);
        } catch (WakeupException e) {
            return;
        }
        Instant now = clock.instant();
        long nowNanos = System.nanoTime();
        List<SendScheduler.Finish> finished = new ArrayList<>();
        changed |= collectAnswers(finished);
        changed |= takeBackWithheld(Set.of(), new ArrayList<>());
        for (InDoubtResolver.Found found : resolver.drain()) {
            SendScheduler.Finish finish = scheduler.accepted(found.journalKey(), found.wamid(), found.statusAt());
            if (finish != null) {
                log.info(
                        "Request {} settled SENT ({}): a status webhook proved Meta accepted it before its answer was"
                                + " lost; not sent again",
                        finish.pending().requestId(),
                        finish.pending().command.getKind());
                metrics.inDoubtSettled(SenderMetrics.CONFIRMED);
                finished.add(finish);
            }
        }
        SendScheduler.Settled settled = scheduler.settleInDoubt(now, resolver.searchedUntil(), resolver::watermark);
        finished.addAll(settled.finished());
        for (Pending resent : settled.resent()) {
            metrics.inDoubtSettled(SenderMetrics.RESENT);
            resolver.unwatch(resent.journalKey, resent.requestId());
        }
        boolean resend = !settled.resent().isEmpty();
        List<SendScheduler.Start> starts =
                changed || resend || !finished.isEmpty() || !now.isBefore(scheduler.nextEligibleAt())
                        ? scheduler.due(now, pacerRoom(), finished)
                        : List.of();
        unpublished.addAll(finished);
        commit(starts, List.of(), now, false);
        for (SendScheduler.Start start : starts) {
            String number = start.pending().phoneNumberId();
            pacer.submit(number, new FiringPacer.Call(start.pending(), () -> call(start), fireBy(number, nowNanos)));
        }
        flowControl();
        scheduler.forgetIdlePaces(now);
    }

    private void read(ConsumerRecord<String, SendCommand> record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        PartitionProgress partitionProgress = progress.get(partition);
        if (partitionProgress == null) {
            return;
        }
        if (record.value() == null) {
            partitionProgress.alreadyDone(record.offset(), "");
            return;
        }
        SendCommand command = record.value();
        String contactKey = new ContactKey(command.getPhoneNumberId(), command.getContactId()).format();
        Pending pending = new Pending(command, partition, record.offset(), contactKey);
        SendJournalEntry entry = journal.get(record.partition(), pending.journalKey);
        if (entry != null && entry.getState() == SendState.DONE) {
            partitionProgress.alreadyDone(record.offset(), pending.journalKey);
            return;
        }
        partitionProgress.read(record.offset(), pending.journalKey);
        if (entry != null && entry.getState() == SendState.ATTEMPTING) {
            log.warn(
                    "Request {} was being sent (attempt {}) when its last owner stopped: in doubt until a status"
                            + " webhook says whether Meta accepted it",
                    pending.requestId(),
                    entry.getAttempt());
            // The fallback's state survives the crash: the fallback is what was being sent, and its result names the
            // refusal that closed the window.
            pending.fallbackActive = entry.getFallbackActive();
            pending.refusedWith = entry.getPrimaryRefusedWith();
            pending.refusedAt = entry.getPrimaryRefusedAt();
            scheduler.addInDoubt(pending, entry.getAttempt(), entry.getAt());
            watch(pending);
        } else {
            scheduler.add(pending);
        }
    }

    /**
     * A send command the consumer could not read. When the schema registry was unreachable, the partition waits and
     * reads the same offset again (backoff); a command unreadable for a reason of its own is answered FAILED (once: the
     * journal marks it) and passed. Returns whether a command was passed.
     */
    private boolean unreadable(RecordDeserializationException e) {
        TopicPartition partition = e.topicPartition();
        PartitionProgress partitionProgress = progress.get(partition);
        if (RegistryRetry.isTransient(e)) {
            Duration pause = registryRetry.failed();
            metrics.registryUnavailable(SenderMetrics.COMMANDS);
            log.warn(
                    "The schema registry could not be reached to read the send command at {}-{}; reading it again in"
                            + " {}",
                    partition,
                    e.offset(),
                    pause);
            consumer.seek(partition, e.offset());
            flow.retryAt(partition, clock.instant().plus(pause));
            return false;
        }
        consumer.seek(partition, e.offset() + 1);
        if (partitionProgress == null) {
            return false;
        }
        String journalKey = UnreadableCommand.journalKey(e.offset());
        SendJournalEntry entry = journal.get(partition.partition(), journalKey);
        if (entry != null && entry.getState() == SendState.DONE) {
            partitionProgress.alreadyDone(e.offset(), journalKey);
            return true;
        }
        UnreadableCommand command = UnreadableCommand.of(e, clock.instant());
        log.error(
                "The send command at {}-{} (request {}) cannot be read: answered FAILED, nothing sent",
                partition,
                e.offset(),
                command.requestId(),
                e);
        partitionProgress.read(e.offset(), journalKey);
        unreadable.add(new Unreadable(partition, e.offset(), command));
        return true;
    }

    /**
     * Until when a call journaled at {@code journaledNanos} may be made: the lookahead it was journaled ahead of its
     * slot, one interval of its number's pace (the last call of a full lookahead waits that long), and the pacer's
     * catch-up allowance. Later, its journal entry is stale (see {@link FiringPacer}).
     */
    private long fireBy(String phoneNumberId, long journaledNanos) {
        double rate = rates.getOrDefault(phoneNumberId, 0.0);
        long interval = rate > 0 ? (long) (1e9 / rate) : 0;
        return journaledNanos + settings.lookahead().toNanos() + interval + FiringPacer.MAX_CATCH_UP.toNanos();
    }

    /**
     * Calls the pacer did not make (stale, or of a partition given up): not made, so their commands go back to their
     * queue, to be journaled again (by a transaction that is fenced if this instance lost the partition); those of the
     * {@code stopping} partitions go to {@code notMade} instead, for their journal entries to be removed. Returns
     * whether there were any.
     */
    private boolean takeBackWithheld(Set<TopicPartition> stopping, List<Pending> notMade) {
        boolean any = false;
        for (FiringPacer.Withheld withheld : pacer.withheld()) {
            any = true;
            Pending pending = withheld.pending();
            metrics.withheld(withheld.reason());
            if (pending.state != Pending.State.IN_FLIGHT || !progress.containsKey(pending.partition)) {
                continue; // its partition was given up: the next owner finds it in doubt
            }
            if (stopping.contains(pending.partition)) {
                notMade.add(pending);
                continue;
            }
            log.warn(
                    "Request {} ({}) was not sent: its call was {} when its turn came; journaled again",
                    pending.requestId(),
                    pending.command.getKind(),
                    withheld.reason() == FiringPacer.Reason.STALE ? "stale" : "of a partition no longer held");
            scheduler.unstarted(pending);
        }
        return any;
    }

    /** Takes Meta's answers in; returns whether there were any. */
    private boolean collectAnswers(List<SendScheduler.Finish> finished) {
        boolean any = false;
        for (Answer answer; (answer = answers.poll()) != null; ) {
            any = true;
            Pending pending = answer.pending();
            if (pending.state != Pending.State.IN_FLIGHT || !progress.containsKey(pending.partition)) {
                continue; // its partition was revoked meanwhile: the next owner finds it in doubt
            }
            SendResponse response = answer.response();
            metrics.answered(pending.phoneNumberId(), answerKind(response), Duration.ofNanos(answer.nanos()));
            if (!(response instanceof SendResponse.Accepted)) {
                ErrorClass errorClass = ErrorClassifier.classify(response);
                metrics.error(pending.phoneNumberId(), errorClass);
                log.info(
                        "Send of request {} from {} attempt {}: {}",
                        pending.requestId(),
                        pending.phoneNumberId(),
                        pending.attempts,
                        errorClass);
            }
            SendScheduler.Finish finish = scheduler.answered(pending, response, answer.at());
            if (finish != null) {
                finished.add(finish);
            } else if (pending.state == Pending.State.IN_DOUBT) {
                watch(pending);
            }
        }
        return any;
    }

    private void watch(Pending pending) {
        resolver.watch(new InDoubtResolver.Watch(
                pending.journalKey,
                pending.requestId(),
                pending.command.getKind(),
                pending.inDoubtSince,
                pending.command.getPrimaryWamid(),
                pending.command.getDecidedAt()));
    }

    /**
     * One transaction: attempts about to be made, final results, extra journal records, and the offsets they allow to
     * commit. Skipped when there is nothing to write and the offsets did not move (or moved less than a commit
     * interval ago), unless {@code force}.
     */
    private void commit(
            List<SendScheduler.Start> starts, List<ProducerRecord<String, Object>> extra, Instant now, boolean force) {
        boolean due = Duration.between(lastCommit, now).compareTo(settings.commitInterval()) >= 0;
        boolean waiting = !unpublished.isEmpty()
                || !unreadable.isEmpty()
                || progress.values().stream().anyMatch(PartitionProgress::advanced);
        // Attempts must be journaled before their calls; results and offsets can wait for the commit interval, so
        // that a busy sender commits a few times a second rather than at every step.
        if (!force && starts.isEmpty() && extra.isEmpty() && !(waiting && due)) {
            return;
        }
        List<SendScheduler.Finish> finished = List.copyOf(unpublished);
        unpublished.clear();
        long began = System.nanoTime();
        producer.beginTransaction();
        extra.forEach(producer::send);
        for (SendScheduler.Start start : starts) {
            producer.send(asObject(journal.attempting(start.pending(), start.attempt(), now)));
        }
        for (SendScheduler.Finish finish : finished) {
            Pending pending = finish.pending();
            DispatchResult result = finish.result();
            producer.send(new ProducerRecord<>(topics.shared().dispatchResults().name(), pending.contactKey, result));
            producer.send(asObject(journal.done(pending, now)));
            progress.get(pending.partition).done(pending.offset);
            resolver.unwatch(pending.journalKey, pending.requestId());
            metrics.result(result);
        }
        for (Unreadable command : List.copyOf(unreadable)) {
            producer.send(new ProducerRecord<>(
                    topics.shared().dispatchResults().name(),
                    command.command().key(),
                    command.command().result()));
            producer.send(asObject(journal.unreadable(command.partition().partition(), command.offset(), now)));
            PartitionProgress partitionProgress = progress.get(command.partition());
            if (partitionProgress != null) {
                partitionProgress.done(command.offset());
            }
            metrics.result(command.command().result());
        }
        unreadable.clear();
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        progress.forEach((partition, partitionProgress) -> {
            long committable = partitionProgress.committable();
            if (committable >= 0) {
                offsets.put(partition, new OffsetAndMetadata(committable));
                for (String key : partitionProgress.committedUpTo(committable)) {
                    producer.send(asObject(journal.tombstone(partition.partition(), key)));
                }
            }
        });
        // Sent even when unchanged: it ties this transaction to the group's generation, so that an instance that lost
        // its partitions cannot journal an attempt and then make the call.
        producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
        producer.commitTransaction();
        metrics.committed(Duration.ofNanos(System.nanoTime() - began));
        lastCommit = now;
    }

    private void call(SendScheduler.Start start) {
        Pending pending = start.pending();
        BusinessNumber number = numbers.get(pending.phoneNumberId());
        long began = System.nanoTime();
        graph.send(
                        number.phoneNumberId(),
                        numbers.accessToken(number),
                        MessageRequests.of(pending.command, pending.sendsFallback()))
                .subscribe(response ->
                        answers.add(new Answer(pending, response, clock.instant(), System.nanoTime() - began)));
    }

    /**
     * Whether a number's pacer takes another call this step: calls are journaled {@code lookahead} ahead of the pacer,
     * in batches (refilled when half the lookahead is left), so that the transactions that journal them stay few and
     * the pacer never waits for one.
     */
    private java.util.function.Predicate<String> pacerRoom() {
        Map<String, Integer> planned = new HashMap<>();
        return phoneNumberId -> {
            Double rate = rates.get(phoneNumberId);
            if (rate == null || rate <= 0) {
                return false;
            }
            int capacity =
                    Math.max(1, (int) Math.ceil(rate * settings.lookahead().toNanos() / 1e9));
            int waiting = pacer.waiting(phoneNumberId) + planned.getOrDefault(phoneNumberId, 0);
            if (waiting < Math.max(1, capacity / 2)) {
                refilling.add(phoneNumberId);
            }
            if (!refilling.contains(phoneNumberId) || waiting >= capacity) {
                refilling.remove(phoneNumberId);
                return false;
            }
            planned.merge(phoneNumberId, 1, Integer::sum);
            return true;
        };
    }

    private void flowControl() {
        FlowControl.Change change = flow.apply(consumer.assignment(), scheduler.held(), clock.instant());
        if (!change.pause().isEmpty()) {
            consumer.pause(change.pause());
        }
        if (!change.resume().isEmpty()) {
            consumer.resume(change.resume());
        }
    }

    /**
     * Stops sending for these partitions: calls still waiting for their slot are withdrawn (their journal entry is
     * removed: they were not made), calls in flight get {@code shutdown-timeout} to be answered, and the results and
     * offsets so far are committed. What is still unanswered stays ATTEMPTING in the journal: in doubt for the next
     * owner.
     */
    private void stopSending(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty() || producer == null) {
            return;
        }
        Set<TopicPartition> stopping = new HashSet<>(partitions);
        List<ProducerRecord<String, Object>> notMade = new ArrayList<>();
        List<Pending> withdrawn = new ArrayList<>(pacer.withdraw(candidate -> stopping.contains(candidate.partition)));
        takeBackWithheld(stopping, withdrawn);
        for (Pending pending : withdrawn) {
            scheduler.unstarted(pending);
            notMade.add(asObject(journal.tombstone(pending.partition.partition(), pending.journalKey)));
        }
        long deadline = System.nanoTime() + settings.shutdownTimeout().toNanos();
        List<SendScheduler.Finish> finished = new ArrayList<>();
        while (scheduler.calling(stopping) && System.nanoTime() < deadline) {
            collectAnswers(finished);
            pause(Duration.ofMillis(10));
        }
        collectAnswers(finished);
        unpublished.addAll(finished);
        try {
            commit(List.of(), notMade, clock.instant(), true);
        } catch (RuntimeException e) {
            log.warn(
                    "Could not commit while giving up partitions {}: their last sends will be in doubt", partitions, e);
        }
        for (TopicPartition partition : partitions) {
            forget(scheduler.drop(partition));
            progress.remove(partition);
        }
        journal.forget(partitions.stream().map(TopicPartition::partition).toList());
    }

    private void updateRates(Collection<TopicPartition> held) {
        int total = consumer.partitionsFor(topics.sendCommands().name(), Duration.ofSeconds(30))
                .size();
        List<Integer> partitions =
                held.stream().map(TopicPartition::partition).sorted().toList();
        rates.clear();
        for (BusinessNumber number : numbers.all()) {
            double rate =
                    ThroughputShares.rate(number.throughputLimit(), total, partitions) * settings.throughputShare();
            rates.put(number.phoneNumberId(), rate);
            metrics.rate(number.phoneNumberId(), rate);
        }
        pacer.rates(rates);
        log.info(
                "Sender {} holds partitions {} of {}; aiming at {} messages/s per number",
                settings.instanceId(),
                partitions,
                total,
                rates);
    }

    /** Stops looking for the statuses of commands this instance no longer holds. */
    private void forget(List<Pending> dropped) {
        for (Pending pending : dropped) {
            resolver.unwatch(pending.journalKey, pending.requestId());
        }
    }

    private void resetState() {
        held.clear();
        for (TopicPartition partition : Set.copyOf(progress.keySet())) {
            forget(scheduler.drop(partition));
        }
        pacer.withdraw(pending -> true);
        pacer.withheld();
        answers.clear();
        unpublished.clear();
        unreadable.clear();
        refilling.clear();
        progress.clear();
        flow.reset();
    }

    @SuppressWarnings("unchecked")
    private static ProducerRecord<String, Object> asObject(ProducerRecord<String, ?> record) {
        return (ProducerRecord<String, Object>) record;
    }

    private static String answerKind(SendResponse response) {
        return switch (response) {
            case SendResponse.Accepted ignored -> "accepted";
            case SendResponse.Refused ignored -> "refused";
            case SendResponse.Unanswered ignored -> "unanswered";
        };
    }

    private static void pause(Duration duration) {
        try {
            TimeUnit.NANOSECONDS.sleep(duration.toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops the sender: no new calls, calls in flight get {@code shutdown-timeout} to be answered, results and offsets
     * are committed.
     */
    @Override
    public void close() {
        running = false;
        KafkaConsumer<String, SendCommand> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        try {
            thread.join(settings.shutdownTimeout().plusSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pacer.close();
        resolver.close();
    }

    /**
     * Establishes the consumer's position on each newly assigned partition, then loads their journal. The position
     * (read_committed: the committed offset is fetched as stable) is known only once the previous owner's pending
     * transaction is fenced or resolved; loading the journal before that could miss ATTEMPTING entries that a stalled
     * previous owner commits afterwards, and both would send.
     */
    static void loadAfterPosition(
            Consumer<?, ?> consumer,
            Collection<TopicPartition> partitions,
            java.util.function.Consumer<Collection<TopicPartition>> loadJournal) {
        for (TopicPartition partition : partitions) {
            consumer.position(partition, JOURNAL_LOAD_TIMEOUT);
        }
        loadJournal.accept(partitions);
    }

    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            held.removeAll(partitions);
            stopSending(partitions);
            flow.forget(partitions);
            Set<TopicPartition> kept = new HashSet<>(consumer.assignment());
            kept.removeAll(partitions);
            updateRates(kept);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            loadAfterPosition(
                    consumer,
                    partitions,
                    assigned -> journal.load(
                            assigned.stream().map(TopicPartition::partition).toList(), JOURNAL_LOAD_TIMEOUT));
            for (TopicPartition partition : partitions) {
                progress.put(partition, new PartitionProgress());
            }
            held.addAll(partitions);
            updateRates(consumer.assignment());
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            held.removeAll(partitions);
            pacer.withdraw(pending -> partitions.contains(pending.partition));
            for (TopicPartition partition : partitions) {
                forget(scheduler.drop(partition));
                progress.remove(partition);
            }
            journal.forget(partitions.stream().map(TopicPartition::partition).toList());
            flow.forget(partitions);
            unreadable.removeIf(command -> partitions.contains(command.partition()));
            Set<TopicPartition> kept = new HashSet<>(consumer.assignment());
            kept.removeAll(partitions);
            updateRates(kept);
        }
    }
}
