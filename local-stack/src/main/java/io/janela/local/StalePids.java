package io.janela.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the services a stack that was killed without its shutdown (SIGKILL, a closed terminal) left running, from the
 * {@code <name>.pid} file each {@link ServiceProcess} keeps, and stops them all at once before the next start.
 *
 * <p>Those services lost their broker with the launcher that held it, so a graceful shutdown has nothing left to
 * flush and would only wait for Kafka clients that cannot reach anyone: each gets SIGTERM and {@link #GRACE}, then
 * SIGKILL, every one in parallel. (Stopping them one at a time with a long grace took 105 s.) Every service survives a
 * SIGKILL by design: exactly-once Streams, an idempotent ingress, a journal in dispatch.
 */
final class StalePids {

    static final Duration GRACE = Duration.ofSeconds(3);

    private static final Logger log = LoggerFactory.getLogger(StalePids.class);

    private StalePids() {}

    /** Stops every leftover named by a pid file of {@code pidDir}; returns how many pid files there were. */
    static int stopLeftovers(Path pidDir) {
        if (!Files.isDirectory(pidDir)) {
            return 0;
        }
        List<CompletableFuture<Void>> stopping = new ArrayList<>();
        try (Stream<Path> files = Files.list(pidDir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".pid")).toList()) {
                String[] parts =
                        Files.readString(file, StandardCharsets.UTF_8).trim().split(" ", 2);
                if (parts.length == 2) {
                    long pid = Long.parseLong(parts[0]);
                    stopping.add(CompletableFuture.runAsync(() -> stopIfStillOurs(pid, parts[1])));
                }
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + pidDir, e);
        }
        CompletableFuture.allOf(stopping.toArray(CompletableFuture[]::new)).join();
        return stopping.size();
    }

    /** Only a live process whose command line names the service's jar: a reused pid belongs to someone else. */
    private static void stopIfStillOurs(long pid, String service) {
        ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(handle -> handle.info().commandLine().orElse("").contains(service))
                .ifPresent(handle -> {
                    long began = System.nanoTime();
                    handle.destroy();
                    try {
                        handle.onExit().get(GRACE.toMillis(), TimeUnit.MILLISECONDS);
                    } catch (Exception e) {
                        handle.destroyForcibly();
                        handle.onExit()
                                .orTimeout(10, TimeUnit.SECONDS)
                                .exceptionally(t -> null)
                                .join();
                    }
                    log.warn(
                            "Stopped {} (pid {}) left over from an earlier run in {} ms",
                            service,
                            pid,
                            (System.nanoTime() - began) / 1_000_000);
                });
    }
}
