package io.janela.streams;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Metrics;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the deadlines a processor's states name back into its {@link DeadlineIndex} in slices, from a wall-clock
 * punctuation, so that the task runs (processes records, answers queries, punctuates) while the index is rebuilt.
 * Why this is correct, and how late a deadline may fire meanwhile, is in {@link DeadlineIndex}'s class comment.
 *
 * <p>A slice reads states in key order from just after the last key the previous slice read, until it has read {@link
 * Pace#statesPerSlice} or spent {@link Pace#timePerSlice}, and hands each to the processor's {@code scheduleFor}. Each
 * slice opens and closes its own iterator: nothing is held across the records processed between slices, and a state
 * changed or deleted meanwhile is read as it is when the rebuild reaches it.
 *
 * <p>Progress shows in the log (start, every {@value #PROGRESS_EVERY_SECONDS} s, end: states read, wall time and
 * stream-thread time) and in Micrometer's global registry (Spring Boot's registry is part of it): {@code
 * janela.deadline.index.rebuilds.running{index}}, the tasks of this instance whose rebuild is not complete, and
 * {@code janela.deadline.index.rebuild.states{index}}, states read by rebuilds.
 *
 * <p>Not thread-safe: one per processor instance and task start, used from its stream thread.
 *
 * @param <V> the states' type
 */
public final class DeadlineRebuild<V> {

    static final String RUNNING = "janela.deadline.index.rebuilds.running";
    static final String STATES = "janela.deadline.index.rebuild.states";
    private static final long PROGRESS_EVERY_SECONDS = 10;
    private static final Logger log = LoggerFactory.getLogger(DeadlineRebuild.class);
    private static final Map<String, AtomicInteger> running = new ConcurrentHashMap<>();

    /**
     * How a rebuild shares its stream thread.
     *
     * @param every how often a slice runs (wall clock); 1 ms means on every pass of the stream thread's loop, between
     *     the records it processes
     * @param statesPerSlice the most states one slice reads
     * @param timePerSlice the most stream-thread time one slice takes (it stops after the state that goes past it): a
     *     record that arrives meanwhile waits at most about this long, once per task being rebuilt
     */
    public record Pace(Duration every, int statesPerSlice, Duration timePerSlice) {

        /**
         * A slice on every pass of the loop, up to 50 ms each. An idle stream thread blocks up to {@code poll.ms} (100
         * ms) in each poll, so a lone task's rebuild takes about 3 times its reading time; a thread with six tasks to
         * rebuild spends 300 ms of each pass on them (about 75 %) and still processes records between passes.
         */
        public static final Pace DEFAULT = new Pace(Duration.ofMillis(1), 100_000, Duration.ofMillis(50));

        public Pace {
            if (every == null || every.toMillis() < 1) {
                throw new IllegalArgumentException("a rebuild slice cannot run more often than every 1 ms: " + every);
            }
            if (statesPerSlice < 1) {
                throw new IllegalArgumentException("a rebuild slice must read at least one state: " + statesPerSlice);
            }
            if (timePerSlice == null || timePerSlice.isNegative() || timePerSlice.isZero()) {
                throw new IllegalArgumentException("a rebuild slice needs some time: " + timePerSlice);
            }
        }
    }

    /**
     * What a rebuild has done so far.
     *
     * @param statesRead states handed to {@code scheduleFor}
     * @param slices slices run
     * @param busy stream-thread time spent in slices
     * @param done whether every state has been read
     */
    public record Progress(long statesRead, int slices, Duration busy, boolean done) {}

    private final KeyValueStore<String, V> states;
    private final BiConsumer<String, V> scheduleFor;
    private final LongSupplier nanoClock;
    private String lastKey;
    private boolean done;
    private long statesRead;
    private int slices;
    private long busyNanos;

    /**
     * A rebuild that has not read anything yet; {@link #slice} reads on. {@link #restart} is what a processor calls.
     *
     * @param scheduleFor puts the deadlines one state names (entries already there stay; putting one twice leaves one)
     * @param nanoClock {@link System#nanoTime}, or a test's clock
     */
    DeadlineRebuild(KeyValueStore<String, V> states, BiConsumer<String, V> scheduleFor, LongSupplier nanoClock) {
        this.states = Objects.requireNonNull(states, "states");
        this.scheduleFor = Objects.requireNonNull(scheduleFor, "scheduleFor");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    }

    /**
     * Starts rebuilding a task's index, from {@code Processor.init}, after {@linkplain Handle#close closing} the rebuild
     * of the processor's previous start if there is one: Kafka Streams initialises the same processor instance again
     * when it revives a task, not always after {@code Processor.close()} (a task closed dirty before it ran), and a
     * rebuild left running would go on reading for a start that is over and count as running for good. The new rebuild
     * begins again from the first state.
     *
     * <p>The first slice runs on the first punctuation, {@code pace.every()} after the call, and each later one on the
     * punctuation after; once every state is read the punctuation is cancelled and {@code onDone} hears what it took.
     * Call it after everything in {@code init} that can fail: a rebuild started by an {@code init} that then throws is
     * never closed (the task is closed dirty, without {@code Processor.close()}).
     *
     * @param previous what this returned at the processor's previous {@code init}; null on the first
     * @param index a fixed word naming the index in the log and the {@code index} tag (e.g. {@code contacts})
     * @param onDone hears the wall time from the start to the end and the states read
     * @return the new rebuild, to keep for the next {@code init} and to close in {@code Processor.close()}
     */
    public static <V> Handle restart(
            Handle previous,
            ProcessorContext<?, ?> context,
            String index,
            KeyValueStore<String, V> states,
            BiConsumer<String, V> scheduleFor,
            Pace pace,
            Consumer<DeadlineIndex.Rebuilt> onDone) {
        if (previous != null) {
            previous.close();
        }
        return new Handle(context, index, new DeadlineRebuild<>(states, scheduleFor, System::nanoTime), pace, onDone);
    }

    /**
     * Reads on, at most {@code maxStates} states or until {@code budget} is spent (checked after each state), and
     * returns whether every state has now been read.
     */
    public boolean slice(int maxStates, Duration budget) {
        if (done) {
            return true;
        }
        long started = nanoClock.getAsLong();
        long until = started + budget.toNanos();
        int read = 0;
        try (KeyValueIterator<String, V> next = lastKey == null ? states.all() : states.range(lastKey, null)) {
            while (read < maxStates && next.hasNext()) {
                KeyValue<String, V> state = next.next();
                if (state.key.equals(lastKey)) {
                    continue; // the range starts at the last key read, inclusive
                }
                scheduleFor.accept(state.key, state.value);
                lastKey = state.key;
                read++;
                if (nanoClock.getAsLong() - until >= 0) {
                    break;
                }
            }
            done = !next.hasNext();
        } finally {
            statesRead += read;
            slices++;
            busyNanos += nanoClock.getAsLong() - started;
        }
        return done;
    }

    public Progress progress() {
        return new Progress(statesRead, slices, Duration.ofNanos(busyNanos), done);
    }

    /** A rebuild running from a punctuation, as {@link #restart} returns it. */
    public static final class Handle {

        private final String task;
        private final String index;
        private final DeadlineRebuild<?> rebuild;
        private final Pace pace;
        private final Consumer<DeadlineIndex.Rebuilt> onDone;
        private final long started = System.nanoTime();
        private final AtomicInteger runningInIndex;
        private final Cancellable punctuation;
        private long lastLogged = started;
        private boolean finished;

        private Handle(
                ProcessorContext<?, ?> context,
                String index,
                DeadlineRebuild<?> rebuild,
                Pace pace,
                Consumer<DeadlineIndex.Rebuilt> onDone) {
            this.task = String.valueOf(context.taskId());
            this.index = index;
            this.rebuild = rebuild;
            this.pace = pace;
            this.onDone = onDone;
            this.runningInIndex = running.computeIfAbsent(index, name -> {
                AtomicInteger count = new AtomicInteger();
                Gauge.builder(RUNNING, count, AtomicInteger::get)
                        .description("Tasks of this instance whose deadline index is still being rebuilt")
                        .tag("index", name)
                        .register(Metrics.globalRegistry);
                return count;
            });
            runningInIndex.incrementAndGet();
            log.info("Task {}: rebuilding the {} deadline index from its states, in slices", task, index);
            this.punctuation = context.schedule(pace.every(), PunctuationType.WALL_CLOCK_TIME, now -> slice());
        }

        /** Whether every state has been read (the index holds every deadline the states named when read). */
        public boolean done() {
            return finished;
        }

        public Progress progress() {
            return rebuild.progress();
        }

        /** Stops a rebuild that is not complete (the task closes); a later start begins again from the first state. */
        public void close() {
            if (!finished) {
                finished = true;
                punctuation.cancel();
                runningInIndex.decrementAndGet();
                log.info(
                        "Task {}: {} deadline index rebuild stopped after {} states",
                        task,
                        index,
                        rebuild.progress().statesRead());
            }
        }

        private void slice() {
            if (finished) {
                return;
            }
            long before = rebuild.progress().statesRead();
            boolean complete = rebuild.slice(pace.statesPerSlice(), pace.timePerSlice());
            Metrics.counter(STATES, "index", index).increment(rebuild.progress().statesRead() - before);
            long now = System.nanoTime();
            Progress progress = rebuild.progress();
            if (complete) {
                finished = true;
                punctuation.cancel();
                runningInIndex.decrementAndGet();
                Duration took = Duration.ofNanos(now - started);
                log.info(
                        "Task {}: {} deadline index rebuilt from {} states in {} ms ({} ms of stream-thread time in {}"
                                + " slices)",
                        task,
                        index,
                        progress.statesRead(),
                        took.toMillis(),
                        progress.busy().toMillis(),
                        progress.slices());
                onDone.accept(new DeadlineIndex.Rebuilt(progress.statesRead(), took));
            } else if (now - lastLogged
                    >= Duration.ofSeconds(PROGRESS_EVERY_SECONDS).toNanos()) {
                lastLogged = now;
                log.info(
                        "Task {}: rebuilding the {} deadline index, {} states read in {} ms",
                        task,
                        index,
                        progress.statesRead(),
                        Duration.ofNanos(now - started).toMillis());
            }
        }
    }
}
