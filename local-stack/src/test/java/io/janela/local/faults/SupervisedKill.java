package io.janela.local.faults;

import io.janela.local.LocalHttp;
import io.janela.local.StackHandle;
import io.janela.local.demo.PrometheusText;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * SIGKILL of one service of a running stack, then what its restart by the launcher's supervision took: from the kill
 * to the new process (the back-off), from the new process's start to readiness, and to the first answer of a check
 * the scenario gives (a window query). It also reads, from the service's log after the kill, how many changelog
 * records Kafka Streams restored into each store (its "Finished restoring changelog" lines), and, from the new
 * process's {@code /actuator/prometheus} once it answered, how its restores started (the shared restore listener's
 * {@code janela_streams_restores_started_total{store, from}}: from a store's committed offset or from scratch).
 */
final class SupervisedKill {

    private static final Duration LIMIT = Duration.ofMinutes(5);
    private static final Pattern RESTORED = Pattern.compile(
            "Finished restoring changelog (\\S+) to store (\\S+) with a total number of (\\d+) records");

    /**
     * @param backOff from the SIGKILL to the new process's start
     * @param startToReady from the new process's start to its readiness probe's first 200
     * @param startToAnswer from the new process's start to the first success of the scenario's check
     * @param restoredByStore changelog records restored per store after the kill (from the log; absent: none)
     * @param corruptedTasks log lines after the kill that report a corrupted task or a store that could not be
     *     opened from its local state at start-up
     * @param restores how the new process's restores started, as its Prometheus endpoint showed once it answered
     * @param scratchRestores the restores from scratch the new process logged, by changelog partition
     */
    record Restart(
            Duration backOff,
            Duration startToReady,
            Duration startToAnswer,
            Map<String, Long> restoredByStore,
            long corruptedTasks,
            Restores restores,
            List<ScratchRestore> scratchRestores) {}

    /** The restart after a clean stop, and where every partition ended when the stopped process had flushed. */
    record CleanRestart(Restart restart, FlushedState flushed) {}

    /**
     * The new process's restores, from its {@code janela_streams_*} restore meters; all empty if no scrape answered.
     *
     * @param started restores of a changelog partition begun, by {@code from} ({@code checkpoint}, {@code scratch})
     * @param records changelog records restored, by {@code from}
     * @param fromScratch the stores with a restore from scratch, and the records each restored from scratch
     */
    record Restores(
            boolean scraped,
            Map<String, Double> started,
            Map<String, Double> records,
            Map<String, Double> fromScratch) {

        static final String STARTED = "janela_streams_restores_started_total";
        static final String RESTORED = "janela_streams_records_restored_total";

        static Restores of(String page) {
            if (page == null) {
                return new Restores(false, Map.of(), Map.of(), Map.of());
            }
            PrometheusText text = PrometheusText.parse(page);
            Map<String, Double> scratch = new TreeMap<>();
            text.samples().stream()
                    .filter(sample -> sample.name().equals(STARTED)
                            && sample.label("from").equals("scratch")
                            && sample.value() > 0)
                    .map(sample -> sample.label("store"))
                    .forEach(store -> scratch.put(
                            store,
                            text.sum(
                                    RESTORED,
                                    sample -> sample.label("store").equals(store)
                                            && sample.label("from").equals("scratch"))));
            return new Restores(
                    true,
                    text.sumBy(STARTED, "from", sample -> true),
                    text.sumBy(RESTORED, "from", sample -> true),
                    scratch);
        }

        double started(String from) {
            return started.getOrDefault(from, 0.0);
        }

        @Override
        public String toString() {
            return scraped
                    ? String.format(
                            Locale.ROOT,
                            "%.0f restores from the stores' committed offsets (%.0f records), %.0f from scratch"
                                    + " (%.0f records%s)",
                            started("checkpoint"),
                            records.getOrDefault("checkpoint", 0.0),
                            started("scratch"),
                            records.getOrDefault("scratch", 0.0),
                            fromScratch.isEmpty() ? "" : ", records by store " + fromScratch)
                    : "its Prometheus endpoint did not answer";
        }
    }

    private SupervisedKill() {}

    static Restart killAndWatch(StackHandle stack, String service, BooleanSupplier answers) {
        return killAndWatch(
                stack, service, answers, pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }

    /** As above, {@code kill} sending the SIGKILL to the pid it is given (at a moment of its choosing). */
    static Restart killAndWatch(StackHandle stack, String service, BooleanSupplier answers, LongConsumer kill) {
        long oldPid = stack.services().get(service).pid();
        Path log = stack.logFile(service);
        long logOffset = size(log);
        ProcessHandle old = ProcessHandle.of(oldPid).orElseThrow();
        kill.accept(oldPid);
        Instant killedAt = Instant.now();
        old.onExit().orTimeout(2, TimeUnit.MINUTES).join(); // a SIGTERM waits for the graceful shutdown
        long deadline = System.nanoTime() + LIMIT.toNanos();
        long newPid = oldPid;
        while (newPid == oldPid) {
            ensureBefore(deadline, service + " was not restarted");
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            newPid = stack.services().get(service).pid();
        }
        Instant started = ProcessHandle.of(newPid)
                .flatMap(handle -> handle.info().startInstant())
                .orElse(Instant.now());
        String readiness = stack.services().get(service).baseUrl() + "/actuator/health/readiness";
        while (!LocalHttp.answers200(readiness)) {
            ensureBefore(deadline, service + " did not become ready after its restart");
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        Instant ready = Instant.now();
        while (!answers.getAsBoolean()) {
            ensureBefore(deadline, service + " did not answer after its restart");
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        Instant answered = Instant.now();
        String after = tail(log, logOffset);
        Map<String, Long> restored = new TreeMap<>();
        Matcher matcher = RESTORED.matcher(after);
        while (matcher.find()) {
            restored.merge(matcher.group(2), Long.parseLong(matcher.group(3)), Long::sum);
        }
        long corrupted = after.lines()
                .filter(line -> line.contains("TaskCorruptedException")
                        || line.contains("Failed to register startup state stores"))
                .count();
        // Readiness is UP only once Streams is RUNNING, so every active task's restore has started by now.
        Restores restores = Restores.of(LocalHttp.bodyOrNull(
                stack.services().get(service).baseUrl() + "/actuator/prometheus", Duration.ofSeconds(10)));
        return new Restart(
                Duration.between(killedAt, started),
                Duration.between(started, ready),
                Duration.between(started, answered),
                restored,
                corrupted,
                restores,
                ScratchRestore.in(after));
    }

    /**
     * The check that the restarted service reused its local state: after every kill, its restores started from the
     * stores' committed offsets, except those of partitions that were still empty when the clean stop before the kills
     * flushed the stores ({@link FlushedState}: nothing on disk to resume from); some restore was seen, and the log's
     * restores from scratch are as many as the listener's meters counted, so that the check is not vacuous.
     */
    static void checkNoRestoreFromScratch(
            ScenarioResult result, List<CompletableFuture<Restart>> restarts, CleanRestart clean) {
        StringBuilder detail = new StringBuilder();
        boolean holds = !restarts.isEmpty() && clean != null;
        int kill = 0;
        for (CompletableFuture<Restart> future : restarts) {
            Restart restart = future.join();
            Restores restores = restart.restores();
            List<ScratchRestore> scratch = restart.scratchRestores();
            List<ScratchRestore> unexplained =
                    clean == null ? scratch : clean.flushed().unexplained(scratch);
            int explained = scratch.size() - unexplained.size();
            holds &= restores.scraped()
                    && restores.started("checkpoint") > 0
                    && restores.started("scratch") == scratch.size()
                    && unexplained.isEmpty();
            detail.append(kill++ == 0 ? "" : "; ")
                    .append("kill ")
                    .append(kill)
                    .append(": ")
                    .append(restores)
                    .append("; of the restores from scratch ")
                    .append(explained)
                    .append(" of partitions empty at the clean stop (never flushed), ")
                    .append(unexplained.size())
                    .append(" of partitions that held records then")
                    .append(unexplained.isEmpty() ? "" : " " + unexplained);
        }
        if (clean == null) {
            detail.append(" (no clean stop before the kills)");
        }
        result.check("no store was restored from scratch after a kill", holds, detail.toString());
    }

    /**
     * Stops the service cleanly (SIGTERM: Spring's graceful shutdown closes Kafka Streams, which flushes its RocksDB
     * stores) once its Streams app ({@code group}) has committed a transaction, and waits for the launcher's restart to
     * answer. After a SIGKILL, Kafka Streams 4.4 resumes a transactional store from the committed offset it last
     * flushed to disk (RocksDB's write-ahead log is off, so what is only in the memtable is lost with the process); a
     * store that never flushed since it was created has none and is restored from the changelog's beginning. A service
     * in production has been stopped or has filled a memtable before; a quick scenario's few hundred contacts fill none,
     * so this stop gives the stores what a long-running service has. {@code uncommitted} counts a stop that came before
     * any commit (after 2 minutes of waiting).
     */
    static CleanRestart stopCleanlyAndRestart(
            StackHandle stack, String service, String group, BooleanSupplier answers, AtomicInteger uncommitted) {
        AtomicReference<FlushedState> flushed = new AtomicReference<>();
        Restart restart = killAndWatch(stack, service, answers, pid -> {
            if (!awaitFirstCommit(stack, group, Duration.ofMinutes(2))) {
                uncommitted.incrementAndGet();
            }
            ProcessHandle.of(pid).ifPresent(process -> {
                process.destroy(); // SIGTERM: Kafka Streams closes and flushes its stores
                process.onExit().orTimeout(2, TimeUnit.MINUTES).join();
            });
            // Before the launcher's restart (1 s back-off) writes anything: the ends as the stores flushed them.
            flushed.set(FlushedState.read(stack.bootstrapServers()));
        });
        return new CleanRestart(restart, flushed.get());
    }

    /**
     * Waits until the Streams app of consumer group {@code group} has committed a transaction (its group has an
     * offset), at most {@code limit}, so that a kill finds committed state in its stores, which a restart from scratch
     * would have to bring back; whether it had.
     */
    static boolean awaitFirstCommit(StackHandle stack, String group, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            while (System.nanoTime() < deadline) {
                try {
                    if (!admin.listConsumerGroupOffsets(group)
                            .partitionsToOffsetAndMetadata()
                            .get(10, TimeUnit.SECONDS)
                            .isEmpty()) {
                        return true;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    // The group may not exist yet: ask again.
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
            }
        }
        return false;
    }

    private static void ensureBefore(long deadline, String what) {
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException(what + " within " + LIMIT);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    /** What was appended to {@code file} after {@code offset} (the launcher appends across restarts). */
    private static String tail(Path file, long offset) {
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long length = in.length();
            if (length <= offset) {
                return "";
            }
            byte[] bytes = new byte[(int) Math.min(length - offset, 64L * 1024 * 1024)];
            in.seek(offset);
            in.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
