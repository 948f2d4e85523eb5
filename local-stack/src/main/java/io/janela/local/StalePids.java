package io.janela.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remembers the services' process ids in the data directory, so that a stack that was killed without its shutdown
 * (SIGKILL, a closed terminal) does not leave services holding the ports: the next start stops them first.
 */
final class StalePids {

    private static final Logger log = LoggerFactory.getLogger(StalePids.class);

    private StalePids() {}

    static void record(Path pidFile, List<ServiceProcess> services) {
        try {
            Files.createDirectories(pidFile.getParent());
            Files.write(
                    pidFile,
                    services.stream().map(s -> s.pid() + " " + s.name()).toList(),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + pidFile, e);
        }
    }

    static void stopLeftovers(Path pidFile) {
        if (!Files.exists(pidFile)) {
            return;
        }
        try {
            for (String line : Files.readAllLines(pidFile, StandardCharsets.UTF_8)) {
                String[] parts = line.trim().split(" ", 2);
                if (parts.length == 2) {
                    stopIfStillOurs(Long.parseLong(parts[0]), parts[1]);
                }
            }
            Files.delete(pidFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + pidFile, e);
        }
    }

    /** Only a live process whose command line names the service's jar: a reused pid belongs to someone else. */
    private static void stopIfStillOurs(long pid, String service) {
        ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(handle -> handle.info().commandLine().orElse("").contains(service))
                .ifPresent(handle -> {
                    log.warn("Stopping {} (pid {}) left over from an earlier run", service, pid);
                    handle.destroy();
                    try {
                        handle.onExit().get(Duration.ofSeconds(45).toMillis(), TimeUnit.MILLISECONDS);
                    } catch (Exception e) {
                        handle.destroyForcibly();
                    }
                });
    }
}
