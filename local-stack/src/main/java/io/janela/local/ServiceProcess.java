package io.janela.local;

import static java.nio.file.StandardCopyOption.REPLACE_EXISTING;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One service of the local stack, run as a child JVM from its executable jar, with its output appended to a log file
 * that is rotated by size. The stack starts it, waits until Actuator says it is ready, and stops it with SIGTERM
 * (Spring's graceful shutdown), forcing it only after a deadline.
 *
 * <p>It is supervised: when the process exits without having been asked to stop (a crash, a SIGKILL, an OOM), it is
 * started again after a back-off that doubles from {@link #FIRST_BACK_OFF} up to {@link #MAX_BACK_OFF} and starts over
 * once a run has lasted {@link #STABLE_RUN}; every restart is logged. Its pid is kept in {@code <name>.pid} in the
 * pid folder, rewritten on each restart, so that a launcher started after this one was killed finds it.
 */
final class ServiceProcess {

    static final Duration FIRST_BACK_OFF = Duration.ofSeconds(1);
    static final Duration MAX_BACK_OFF = Duration.ofSeconds(30);
    static final Duration STABLE_RUN = Duration.ofSeconds(60);
    /** A log reaching this size is moved to {@code <name>.log.1} (the older ones shift up) before a start. */
    static final long MAX_LOG_BYTES = 20L * 1024 * 1024;

    static final int KEPT_LOGS = 3;

    private static final Logger log = LoggerFactory.getLogger(ServiceProcess.class);
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ScheduledExecutorService RESTARTS = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "service-restarts");
        thread.setDaemon(true);
        return thread;
    });

    private final String name;
    private final int port;
    private final Path logFile;
    private final Path pidFile;
    private final List<String> command;
    private final Map<String, String> environment;
    private final AtomicInteger restarts = new AtomicInteger();
    private volatile Process process;
    private volatile boolean stopping;
    private volatile long startedAt;
    /** {@link System#nanoTime()} before which a restart does not happen (0: none); see {@link #holdRestarts}. */
    private volatile long heldUntil;

    private Duration backOff = FIRST_BACK_OFF;

    private ServiceProcess(
            String name, int port, Path logFile, Path pidFile, List<String> command, Map<String, String> environment) {
        this.name = name;
        this.port = port;
        this.logFile = logFile;
        this.pidFile = pidFile;
        this.command = List.copyOf(command);
        this.environment = Map.copyOf(environment);
    }

    /**
     * Starts {@code jar} with the same Java as this JVM.
     *
     * @param properties Spring properties, passed as {@code --key=value} arguments (they win over application.yml)
     * @param environment variables added to this JVM's environment: secrets go here, not in the arguments
     * @param pidDir where {@code <name>.pid} is kept
     */
    static ServiceProcess start(
            String name,
            Path jar,
            int port,
            List<String> jvmOptions,
            Map<String, String> properties,
            Map<String, String> environment,
            Path logDir,
            Path pidDir) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(
                    name + ": " + jar + " does not exist; build it first (the run command" + " packages every module)");
        }
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toString());
        command.add("--server.port=" + port);
        properties.forEach((key, value) -> command.add("--" + key + "=" + value));
        return start(name, port, command, environment, logDir, pidDir);
    }

    /** Starts {@code command} as the service {@code name} (its readiness answered at {@code port}). */
    static ServiceProcess start(
            String name, int port, List<String> command, Map<String, String> environment, Path logDir, Path pidDir) {
        ServiceProcess service = new ServiceProcess(
                name, port, logDir.resolve(name + ".log"), pidDir.resolve(name + ".pid"), command, environment);
        service.launch();
        return service;
    }

    private synchronized void launch() {
        try {
            Files.createDirectories(logFile.getParent());
            Files.createDirectories(pidFile.getParent());
            rotateLog();
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().putAll(environment);
            Process started = builder.redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
            process = started;
            startedAt = System.nanoTime();
            Files.writeString(pidFile, started.pid() + " " + name + "\n", StandardCharsets.UTF_8);
            started.onExit().thenAccept(this::exited);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    private void rotateLog() throws IOException {
        if (!Files.exists(logFile) || Files.size(logFile) < MAX_LOG_BYTES) {
            return;
        }
        for (int i = KEPT_LOGS - 1; i >= 1; i--) {
            Path older = logFile.resolveSibling(logFile.getFileName() + "." + i);
            if (Files.exists(older)) {
                Files.move(older, logFile.resolveSibling(logFile.getFileName() + "." + (i + 1)), REPLACE_EXISTING);
            }
        }
        Files.move(logFile, logFile.resolveSibling(logFile.getFileName() + ".1"), REPLACE_EXISTING);
    }

    private synchronized void exited(Process exited) {
        if (stopping || exited != process) {
            return;
        }
        Duration ran = Duration.ofNanos(System.nanoTime() - startedAt);
        if (ran.compareTo(STABLE_RUN) >= 0) {
            backOff = FIRST_BACK_OFF;
        }
        Duration wait = backOff;
        backOff = backOff.multipliedBy(2).compareTo(MAX_BACK_OFF) > 0 ? MAX_BACK_OFF : backOff.multipliedBy(2);
        Duration held = Duration.ofNanos(heldUntil - System.nanoTime());
        if (heldUntil != 0 && held.compareTo(wait) > 0) {
            wait = held;
        }
        log.warn(
                "{} (pid {}) exited with {} after {} s; restarting it in {} ms (see {})",
                name,
                exited.pid(),
                exited.exitValue(),
                ran.toSeconds(),
                wait.toMillis(),
                logFile);
        RESTARTS.schedule(this::restart, wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    private synchronized void restart() {
        if (stopping) {
            return;
        }
        try {
            launch();
            restarts.incrementAndGet();
            log.warn("{} restarted (pid {}), restart {}", name, process.pid(), restarts.get());
        } catch (RuntimeException e) {
            log.error("{} could not be restarted: {}", name, e.toString());
            RESTARTS.schedule(this::restart, MAX_BACK_OFF.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Waits until {@code /actuator/health/readiness} answers 200; fails if the process exits or time runs out. */
    void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health/readiness"))
                .timeout(Duration.ofSeconds(2))
                .build();
        while (System.nanoTime() < deadline) {
            Process current = process;
            if (!current.isAlive() && stopping) {
                throw new IllegalStateException(name + " exited with " + current.exitValue() + "; see " + logFile);
            }
            try {
                if (HTTP.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + name, e);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + name, e);
            }
        }
        throw new IllegalStateException(name + " was not ready within " + timeout + "; see " + logFile);
    }

    /**
     * Keeps the service down for {@code hold} from now should it exit meanwhile: its next restart waits until then
     * (or its back-off, if longer). What a fault scenario uses to keep a service down for a while ("ingress down for
     * 3 minutes") while the launcher still supervises it.
     */
    void holdRestarts(Duration hold) {
        heldUntil = System.nanoTime() + hold.toNanos();
    }

    /** Sends SIGTERM and restarts it no more; {@link #stop(Duration)} waits for the exit. */
    void requestStop() {
        stopping = true;
        process.destroy();
    }

    /** SIGTERM, then up to {@code grace} for Spring's graceful shutdown, then SIGKILL. Not restarted after. */
    void stop(Duration grace) {
        Process process;
        synchronized (this) {
            stopping = true;
            process = this.process;
        }
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            log.warn("cannot delete {}: {}", pidFile, e.toString());
        }
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    /** How many times it was restarted after exiting on its own. */
    int restarts() {
        return restarts.get();
    }

    ProcessHandle handle() {
        return process.toHandle();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    Path logFile() {
        return logFile;
    }
}
