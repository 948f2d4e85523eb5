package io.janela.dispatch.send;

import io.janela.avro.SendCommand;
import io.janela.dispatch.business.BusinessNumbers;
import io.janela.dispatch.config.DispatchProperties;
import io.janela.dispatch.graph.GraphApiClient;
import io.janela.dispatch.graph.SendResponse;
import io.janela.dispatch.topics.DispatchTopics;
import io.janela.serde.RegistryRetry;
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
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
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
 *
 * <p><b>Parts.</b> This class runs the send loop (one thread, which alone changes the sender's state) over one Kafka
 * session at a time, and ties the parts together, each with one job and its own unit test:
 *
 * <ul>
 *   <li>{@link AssignmentListener}: the order of taking and giving up partitions (position, journal, hold; release
 *       first);
 *   <li>{@link CommandIntake}: what the journal makes of each command read (done, in doubt, new), and unreadable
 *       commands (registry outage: read again; corrupt: FAILED once);
 *   <li>{@link SendScheduler}: which call goes next, and what an answer means;
 *   <li>{@link SenderTransactions}: what goes into each transaction, and that attempts commit before their calls;
 *   <li>{@link NumberRates}: each number's rate, the calls journaled ahead of the pacer, how long they stay fresh;
 *   <li>{@link FiringPacer} (its own thread): makes the calls at the rate, only fresh ones of partitions held;
 *   <li>{@link GraphCalls} (the HTTP client's threads): the calls, and the hand-off of their answers to the loop;
 *   <li>{@link InDoubtResolver} (its own thread): the status search for sends in doubt;
 *   <li>{@link FlowControl}: which partitions the consumer reads.
 * </ul>
 */
public final class Sender implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Sender.class);
    private static final Duration BUSY_POLL = Duration.ofMillis(5);
    private static final Duration IDLE_POLL = Duration.ofMillis(100);
    private static final Duration JOURNAL_LOAD_TIMEOUT = Duration.ofMinutes(2);

    private final Map<String, Object> consumerConfig;
    private final Map<String, Object> producerConfig;
    private final DispatchTopics topics;
    private final DispatchProperties.Sender settings;
    private final Clock clock;
    private final SendScheduler scheduler;
    private final SendJournal journal;
    private final FiringPacer pacer;
    private final InDoubtResolver resolver;
    private final SenderMetrics metrics;
    private final GraphCalls calls;
    private final NumberRates rates;
    private final RateBackoff backoff;
    private final ThroughputReader throughput;
    /** Meta asked for each number's throughput level at start; null when not asked. */
    private final ThroughputQuestions questions;

    private final FlowControl flow;
    private final CommandIntake intake;

    private final Map<TopicPartition, PartitionProgress> progress = new HashMap<>();
    /**
     * The partitions whose calls the pacer may make (read on the pacer's thread): added once a partition's journal is
     * loaded, removed before anything else when it is revoked or lost, or when the session ends.
     */
    private final Set<TopicPartition> held = ConcurrentHashMap.newKeySet();
    /** The partitions the rates were last set for (the send loop's). */
    private Collection<TopicPartition> ratesFor;

    private final Thread thread;
    private volatile boolean running = true;
    private KafkaConsumer<String, SendCommand> consumer;
    /** The current Kafka session's transactions (its transactional producer); null between sessions. */
    private SenderTransactions transactions;

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
        this.metrics = new SenderMetrics(registry, scheduler::held, scheduler::inDoubt);
        this.journal = new SendJournal(
                topics.sendJournal().name(),
                this.consumerConfig,
                topics.sendJournal().valueSerde().deserializer(),
                settings.registryRetryMaxBackoff(),
                () -> metrics.registryUnavailable(SenderMetrics.JOURNAL));
        this.pacer = new FiringPacer(
                FiringPacer.MAX_CATCH_UP.toNanos(),
                pending -> held.contains(pending.partition),
                metrics::departed,
                settings.throughputCountedAt());
        this.resolver = new InDoubtResolver(
                topics.shared().messageStatuses().name(),
                this.consumerConfig,
                topics.shared().messageStatuses().valueSerde().deserializer(),
                settings.statusLookback(),
                settings.registryRetryMaxBackoff(),
                () -> metrics.registryUnavailable(SenderMetrics.STATUSES),
                clock);
        this.calls = new GraphCalls(numbers, graph, clock);
        ThroughputReports reports =
                new ThroughputReports(numbers.all(), settings.throughputLevels(), metrics::throughputReport);
        this.throughput = new ThroughputReader(
                topics.shared().accountEvents().name(),
                this.consumerConfig,
                topics.shared().accountEvents().valueSerde().deserializer(),
                reports,
                settings.registryRetryMaxBackoff());
        this.backoff = new RateBackoff(
                settings.throughputBackoff().step(),
                settings.throughputBackoff().floor(),
                settings.throughputBackoff().recoverEvery());
        this.questions = settings.throughputLevels().askAtStart()
                ? new ThroughputQuestions(
                        numbers,
                        graph,
                        settings.throughputLevels().askTimeout(),
                        clock,
                        throughput::told,
                        metrics::throughputAsked)
                : null;
        this.rates = new NumberRates(
                numbers.all(),
                reports::limit,
                settings.throughputShare(),
                settings.lookahead(),
                FiringPacer.MAX_CATCH_UP,
                backoff);
        this.flow = new FlowControl(settings.maxQueued());
        this.intake = new CommandIntake(
                journal,
                scheduler,
                progress,
                flow,
                new RegistryRetry(settings.registryRetryMaxBackoff()),
                metrics,
                clock,
                this::watch);
        this.thread = Thread.ofPlatform().name("dispatch-sender").unstarted(this::run);
    }

    public void start() {
        throughput.start();
        if (questions != null) {
            questions.ask().subscribe(); // each question bounded by its time-out; the answers change the rates
        }
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
            consumer = newConsumer;
            newProducer.initTransactions();
            transactions = new SenderTransactions(
                    newProducer,
                    newConsumer::groupMetadata,
                    journal,
                    topics.shared().dispatchResults().name(),
                    settings.commitInterval(),
                    progress,
                    pending -> resolver.unwatch(pending.journalKey, pending.requestId()),
                    metrics);
            consumer.subscribe(List.of(topics.sendCommands().name()), new AssignmentListener(consumer, new Held()));
            while (running) {
                step();
            }
            stopSending(Set.copyOf(progress.keySet()));
        } finally {
            held.clear();
            ratesFor = null;
            consumer = null;
            transactions = null;
        }
    }

    private void step() {
        boolean busy = scheduler.held() > 0 || flow.waitingForRegistry();
        boolean changed = false;
        try {
            for (ConsumerRecord<String, SendCommand> record : consumer.poll(busy ? BUSY_POLL : IDLE_POLL)) {
                intake.read(record);
                changed = true;
            }
            intake.polled();
        } catch (RecordDeserializationException e) {
            changed |= intake.unreadable(e, consumer, transactions::unreadable);
        } catch (WakeupException e) {
            return;
        }
        if (throughput.takeChanged() && ratesFor != null) {
            updateRates(ratesFor); // Meta reported a new throughput level for a number
        }
        if (backoff.recover(clock.instant()) && ratesFor != null) {
            updateRates(ratesFor); // a number Meta refused went a while without a refusal: half a step back
        }
        Instant now = clock.instant();
        long nowNanos = System.nanoTime();
        List<SendScheduler.Finish> finished = new ArrayList<>();
        changed |= collectAnswers(finished);
        changed |= takeBackWithheld(Set.of(), new ArrayList<>());
        for (InDoubtResolver.Found found : resolver.drain()) {
            SendScheduler.Finish finish = scheduler.accepted(found.journalKey(), found.wamid(), found.statusAt());
            if (finish != null) {
                metrics.inDoubtSettled(SenderMetrics.CONFIRMED);
                finished.add(finish);
            }
        }
        SendScheduler.Settled settled = scheduler.settleInDoubt(
                now,
                resolver.searchedUntil(),
                (number, attemptedAt) -> resolver.provesLost(number, attemptedAt, settings.inDoubtEvidenceMargin()));
        finished.addAll(settled.finished());
        metrics.inDoubtSettled(SenderMetrics.RETRIES_EXHAUSTED, settled.retriesExhausted());
        for (Pending resent : settled.resent()) {
            metrics.inDoubtSettled(SenderMetrics.RESENT);
            resolver.unwatch(resent.journalKey, resent.requestId());
        }
        boolean resend = !settled.resent().isEmpty();
        List<SendScheduler.Start> starts =
                changed || resend || !finished.isEmpty() || !now.isBefore(scheduler.nextEligibleAt())
                        ? scheduler.due(now, rates.room(pacer::waiting), finished)
                        : List.of();
        transactions.publish(finished);
        // The attempts are committed to the journal before the pacer may make their calls.
        transactions.commit(starts, List.of(), now, false);
        for (SendScheduler.Start start : starts) {
            Pending pending = start.pending();
            String number = pending.phoneNumberId();
            pacer.submit(
                    number,
                    new FiringPacer.Call(
                            pending,
                            callProgress -> calls.call(pending, callProgress),
                            rates.fireBy(number, nowNanos)));
        }
        flowControl();
        scheduler.forgetIdlePaces(now);
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
        for (GraphCalls.Answer answer : calls.drain()) {
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
                throughputRefusal(
                        pending.phoneNumberId(), response, answer.at().minusNanos(answer.nanos()), answer.at());
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

    /** Meta counted one call too many for the number where it counts (130429): its pace goes down a step. */
    private void throughputRefusal(String phoneNumberId, SendResponse response, Instant callStarted, Instant at) {
        if (response instanceof SendResponse.Refused refused
                && refused.error() != null
                && refused.error().code() == RateBackoff.THROUGHPUT_REACHED
                && backoff.refused(phoneNumberId, callStarted, at)) {
            log.info(
                    "Meta refused a call of {} with 130429: its pace lowered to {} of its rate",
                    phoneNumberId,
                    String.format(java.util.Locale.ROOT, "%.2f", backoff.factor(phoneNumberId)));
            if (ratesFor != null) {
                updateRates(ratesFor);
            }
        }
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
        if (partitions.isEmpty() || transactions == null) {
            return;
        }
        Set<TopicPartition> stopping = new HashSet<>(partitions);
        List<ProducerRecord<String, Object>> notMade = new ArrayList<>();
        List<Pending> withdrawn = new ArrayList<>(pacer.withdraw(candidate -> stopping.contains(candidate.partition)));
        takeBackWithheld(stopping, withdrawn);
        for (Pending pending : withdrawn) {
            scheduler.unstarted(pending);
            notMade.add(
                    SenderTransactions.asObject(journal.tombstone(pending.partition.partition(), pending.journalKey)));
        }
        long deadline = System.nanoTime() + settings.shutdownTimeout().toNanos();
        List<SendScheduler.Finish> finished = new ArrayList<>();
        while (scheduler.calling(stopping) && System.nanoTime() < deadline) {
            collectAnswers(finished);
            pause(Duration.ofMillis(10));
        }
        collectAnswers(finished);
        transactions.publish(finished);
        try {
            transactions.commit(List.of(), notMade, clock.instant(), true);
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
        ratesFor = List.copyOf(held);
        int total = consumer.partitionsFor(topics.sendCommands().name(), Duration.ofSeconds(30))
                .size();
        List<Integer> partitions =
                held.stream().map(TopicPartition::partition).sorted().toList();
        Map<String, Double> perNumber = rates.update(total, partitions);
        Map<String, ThroughputReports.Limit> limits = rates.limits();
        perNumber.forEach(
                (number, rate) -> metrics.rate(number, limits.get(number).source(), rate));
        pacer.rates(perNumber);
        log.info(
                "Sender {} holds partitions {} of {}; aiming at {} messages/s per number",
                settings.instanceId(),
                partitions,
                total,
                perNumber);
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
        calls.clear();
        rates.reset();
        progress.clear();
        flow.reset();
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
        throughput.close();
    }

    /** The sender's side of a change of partitions (see {@link AssignmentListener} for the order). */
    private final class Held implements AssignmentListener.Partitions {

        @Override
        public void release(Collection<TopicPartition> partitions) {
            held.removeAll(partitions);
        }

        @Override
        public void handOver(Collection<TopicPartition> partitions) {
            stopSending(partitions);
            flow.forget(partitions);
        }

        @Override
        public void abandon(Collection<TopicPartition> partitions) {
            pacer.withdraw(pending -> partitions.contains(pending.partition));
            for (TopicPartition partition : partitions) {
                forget(scheduler.drop(partition));
                progress.remove(partition);
            }
            journal.forget(partitions.stream().map(TopicPartition::partition).toList());
            flow.forget(partitions);
            if (transactions != null) {
                transactions.forget(partitions);
            }
        }

        @Override
        public void loadJournal(Collection<TopicPartition> partitions) {
            journal.load(partitions.stream().map(TopicPartition::partition).toList(), JOURNAL_LOAD_TIMEOUT);
        }

        @Override
        public void hold(Collection<TopicPartition> partitions) {
            for (TopicPartition partition : partitions) {
                progress.put(partition, new PartitionProgress());
            }
            held.addAll(partitions);
        }

        @Override
        public void rates(Collection<TopicPartition> partitions) {
            updateRates(partitions);
        }
    }
}
