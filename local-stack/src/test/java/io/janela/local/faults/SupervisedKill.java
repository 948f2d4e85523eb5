package io.janela.local.faults;

import io.janela.local.LocalHttp;
import io.janela.local.StackHandle;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SIGKILL of one service of a running stack, then what its restart by the launcher's supervision took: from the kill
 * to the new process (the back-off), from the new process's start to readiness, and to the first answer of a check
 * the scenario gives (a window query). It also reads, from the service's log after the kill, how many changelog
 * records Kafka Streams restored into each store (its "Finished restoring changelog" lines).
 */
final class SupervisedKill {

    private static final Duration LIMIT = Duration.ofMinutes(3);
    private static final Pattern RESTORED = Pattern.compile(
            "Finished restoring changelog (\\S+) to store (\\S+) with a total number of (\\d+) records");

    /**
     * @param backOff from the SIGKILL to the new process's start
     * @param startToReady from the new process's start to its readiness probe's first 200
     * @param startToAnswer from the new process's start to the first success of the scenario's check
     * @param restoredByStore changelog records restored per store after the kill (from the log; absent: none)
     * @param corruptedTasks log lines after the kill that report a corrupted task or a store that could not be
     *     opened from its local state at start-up
     */
    record Restart(
            Duration backOff,
            Duration startToReady,
            Duration startToAnswer,
            java.util.Map<String, Long> restoredByStore,
            long corruptedTasks) {}

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
        old.onExit().orTimeout(30, TimeUnit.SECONDS).join();
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
        java.util.Map<String, Long> restored = new java.util.TreeMap<>();
        Matcher matcher = RESTORED.matcher(after);
        while (matcher.find()) {
            restored.merge(matcher.group(2), Long.parseLong(matcher.group(3)), Long::sum);
        }
        long corrupted = after.lines()
                .filter(line -> line.contains("TaskCorruptedException")
                        || line.contains("Failed to register startup state stores"))
                .count();
        return new Restart(
                Duration.between(killedAt, started),
                Duration.between(started, ready),
                Duration.between(started, answered),
                restored,
                corrupted);
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
