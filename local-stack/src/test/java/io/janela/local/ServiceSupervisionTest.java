package io.janela.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's supervision of its services, with child JVMs ({@link ReadinessStub}) killed by SIGKILL: restarted
 * after a back-off, their log appended to and rotated by size, and the leftovers of a killed launcher stopped in
 * parallel.
 */
class ServiceSupervisionTest {

    private static final Duration READY = Duration.ofSeconds(30);

    @TempDir
    Path data;

    private final List<ServiceProcess> started = new ArrayList<>();
    private final List<Process> leftovers = new ArrayList<>();

    @AfterEach
    void stopEverything() {
        started.forEach(service -> service.stop(Duration.ofSeconds(5)));
        leftovers.forEach(Process::destroyForcibly);
    }

    @Test
    void restartsAServiceKilledWithSigkillAndAppendsToItsLog() throws IOException {
        ServiceProcess service = stub("stub-a");
        service.awaitReady(READY);
        long firstPid = service.pid();

        ProcessHandle.of(firstPid).orElseThrow().destroyForcibly(); // SIGKILL

        await().atMost(READY).until(() -> service.restarts() == 1 && service.pid() != firstPid);
        service.awaitReady(READY);
        assertThat(Files.readString(data.resolve("run/stub-a.pid"), StandardCharsets.UTF_8))
                .startsWith(service.pid() + " stub-a");
        String log = Files.readString(service.logFile(), StandardCharsets.UTF_8);
        assertThat(log).contains("stub started, pid " + firstPid).contains("stub started, pid " + service.pid());
    }

    @Test
    void doesNotRestartAServiceItWasAskedToStop() {
        ServiceProcess service = stub("stub-b");
        service.awaitReady(READY);
        ProcessHandle first = ProcessHandle.of(service.pid()).orElseThrow();

        service.stop(Duration.ofSeconds(10));

        await().during(ServiceProcess.FIRST_BACK_OFF.multipliedBy(3))
                .atMost(Duration.ofSeconds(10))
                .until(() -> !first.isAlive()
                        && service.restarts() == 0
                        && !service.handle().isAlive());
        assertThat(data.resolve("run/stub-b.pid")).doesNotExist();
    }

    @Test
    void aServiceHeldDownIsRestartedOnlyOnceItsHoldIsOver() {
        ServiceProcess service = stub("stub-held");
        ProcessHandle first = service.handle();
        Duration hold = ServiceProcess.FIRST_BACK_OFF.multipliedBy(2);
        service.holdRestarts(hold);

        long killed = System.nanoTime();
        first.destroyForcibly(); // SIGKILL

        await().atMost(READY).until(() -> service.restarts() == 1);
        assertThat(Duration.ofNanos(System.nanoTime() - killed)).isGreaterThanOrEqualTo(hold);
        assertThat(service.handle().pid()).isNotEqualTo(first.pid());
    }

    @Test
    void movesALogThatReachedItsLimitAsideBeforeAStart() throws IOException {
        Path logs = Files.createDirectories(data.resolve("logs"));
        Files.write(logs.resolve("stub-c.log"), new byte[(int) ServiceProcess.MAX_LOG_BYTES]);

        ServiceProcess service = stub("stub-c");
        service.awaitReady(READY);

        assertThat(Files.size(logs.resolve("stub-c.log.1"))).isEqualTo(ServiceProcess.MAX_LOG_BYTES);
        assertThat(Files.size(service.logFile())).isLessThan(ServiceProcess.MAX_LOG_BYTES);
    }

    @Test
    void killsAllTheLeftoversOfAKilledLauncherThatHangOnSigtermWithinOneGracePeriod() throws Exception {
        Path pids = Files.createDirectories(data.resolve("run"));
        for (String name : List.of("leftover-1", "leftover-2", "leftover-3")) {
            Process process = new ProcessBuilder(stubCommand(name, freePort(), "--hang-on-term"))
                    .redirectErrorStream(true)
                    .redirectOutput(data.resolve(name + ".out").toFile())
                    .start();
            leftovers.add(process);
            Files.writeString(pids.resolve(name + ".pid"), process.pid() + " " + name + "\n");
        }
        // Their shutdown hooks, which never finish, are in place once they print that they started.
        await().atMost(READY).until(() -> {
            for (String name : List.of("leftover-1", "leftover-2", "leftover-3")) {
                if (!output(name).contains("stub started")) {
                    return false;
                }
            }
            return true;
        });

        long began = System.nanoTime();
        int found = StalePids.stopLeftovers(pids);
        Duration took = Duration.ofNanos(System.nanoTime() - began);

        assertThat(found).isEqualTo(3); // the launcher then starts ingress first (recovery after a crash)
        assertThat(leftovers).noneMatch(Process::isAlive);
        // SIGTERM did not stop them: they were killed once the grace period ran out, all in one grace period.
        assertThat(took).isGreaterThanOrEqualTo(StalePids.GRACE).isLessThan(StalePids.GRACE.multipliedBy(2));
        try (var files = Files.list(pids)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void killsAServiceWhoseShutdownHangsOnSigtermOnceItsGraceRunsOut() {
        int port = freePort();
        ServiceProcess service = ServiceProcess.start(
                "stub-hang",
                port,
                stubCommand("stub-hang", port, "--hang-on-term"),
                Map.of(),
                data.resolve("logs"),
                data.resolve("run"));
        started.add(service);
        service.awaitReady(READY); // its hook is registered before it listens
        ProcessHandle process = service.handle();
        Duration grace = Duration.ofSeconds(1);

        long began = System.nanoTime();
        service.stop(grace);
        Duration took = Duration.ofNanos(System.nanoTime() - began);

        assertThat(process.isAlive()).isFalse();
        assertThat(took).isGreaterThanOrEqualTo(grace).isLessThan(grace.plusSeconds(10));
        assertThat(service.restarts()).isZero();
    }

    private String output(String name) throws IOException {
        return Files.readString(data.resolve(name + ".out"), StandardCharsets.UTF_8);
    }

    private ServiceProcess stub(String name) {
        int port = freePort();
        ServiceProcess service = ServiceProcess.start(
                name, port, stubCommand(name, port), Map.of(), data.resolve("logs"), data.resolve("run"));
        started.add(service);
        return service;
    }

    /**
     * The name comes first so that the command line names it, as a service's names its jar (the JDK reads only the
     * start of a long command line, and the test class path is long).
     */
    private static List<String> stubCommand(String name, int port, String... extra) {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-Dstub.name=" + name,
                "-Xmx32m",
                "-cp",
                System.getProperty("java.class.path"),
                ReadinessStub.class.getName(),
                "--server.port=" + port));
        command.addAll(List.of(extra));
        return command;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
