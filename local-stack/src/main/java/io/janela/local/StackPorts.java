package io.janela.local;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ports the stack listens on, and the two ways a port can be taken from it that are not another server:
 *
 * <ul>
 *   <li><b>A port inside the kernel's ephemeral range</b> ({@code /proc/sys/net/ipv4/ip_local_port_range}, 32768–60999
 *       by default) is handed out as the source port of outgoing connections. While a service is down, every client
 *       that retries it (Meta's retries, readiness probes) connects to a port nobody listens on; on Linux such a
 *       connect can pick the destination port itself as its source port and connect to itself (TCP simultaneous
 *       open). That socket, and its TIME_WAIT for 60 s after, make the service's bind fail with "address already in
 *       use", again and again while the retries go on. The launcher warns when a port of the stack is inside the
 *       range (the default ports are not; a {@code --port-offset} above about 23,600 is).
 *   <li><b>A leftover</b> (of a killed launcher, or not in its pid files) still listening, or its connections in
 *       TIME_WAIT: before starting anything, the launcher waits until every port can be bound, and names what holds
 *       one that stays taken.
 * </ul>
 */
final class StackPorts {

    /** Longer than Linux's TIME_WAIT (60 s): a port held only by closed connections is free by then. */
    static final Duration WAIT_FOR_FREE = Duration.ofSeconds(75);

    /** Linux's default when the range cannot be read. */
    static final Range DEFAULT_EPHEMERAL = new Range(32768, 60999);

    private static final Logger log = LoggerFactory.getLogger(StackPorts.class);
    private static final Map<String, String> TCP_STATES = Map.ofEntries(
            Map.entry("01", "ESTABLISHED"),
            Map.entry("02", "SYN_SENT"),
            Map.entry("03", "SYN_RECV"),
            Map.entry("04", "FIN_WAIT1"),
            Map.entry("05", "FIN_WAIT2"),
            Map.entry("06", "TIME_WAIT"),
            Map.entry("07", "CLOSE"),
            Map.entry("08", "CLOSE_WAIT"),
            Map.entry("09", "LAST_ACK"),
            Map.entry("0A", "LISTEN"),
            Map.entry("0B", "CLOSING"));

    /** Ports {@code low..high}, both included. */
    record Range(int low, int high) {

        boolean contains(int port) {
            return port >= low && port <= high;
        }
    }

    private StackPorts() {}

    /** Every port the stack listens on under {@code offset}: Kafka (client, controller), registry, dev endpoint, services. */
    static List<Integer> all(int offset) {
        List<Integer> ports = new ArrayList<>(List.of(
                LocalStack.KAFKA_PORT,
                LocalStack.KAFKA_CONTROLLER_PORT,
                LocalStack.REGISTRY_PORT,
                LocalStack.DEV_ENDPOINT_PORT));
        for (StackService service : StackService.values()) {
            ports.add(service.defaultPort());
        }
        return ports.stream().map(port -> port + offset).toList();
    }

    /** The kernel's ephemeral port range (Linux), or {@link #DEFAULT_EPHEMERAL}. */
    static Range ephemeralRange() {
        try {
            String[] bounds = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))
                    .trim()
                    .split("\\s+");
            return new Range(Integer.parseInt(bounds[0]), Integer.parseInt(bounds[1]));
        } catch (IOException | RuntimeException e) {
            return DEFAULT_EPHEMERAL;
        }
    }

    /** The ports of {@code ports} inside {@code range}. */
    static List<Integer> inside(List<Integer> ports, Range range) {
        return ports.stream().filter(range::contains).toList();
    }

    /** Logs a warning when a port of the stack may be handed out as a source port (see the class comment). */
    static void warnIfEphemeral(List<Integer> ports) {
        Range range = ephemeralRange();
        List<Integer> inside = inside(ports, range);
        if (!inside.isEmpty()) {
            log.warn(
                    "Ports {} are inside the kernel's ephemeral port range {}-{}: an outgoing connection (even a"
                            + " client retrying a service that is down, connecting to itself) can take one and make"
                            + " that service fail to bind. Choose a --port-offset that keeps every port below {}.",
                    inside,
                    range.low(),
                    range.high(),
                    range.low());
        }
    }

    /**
     * Waits until every port of {@code ports} can be bound (as a server binds it: every address, SO_REUSEADDR),
     * polling; logs what holds one the first time it is found taken. Fails, naming the holders, after {@code timeout}.
     *
     * @return how long it waited
     */
    static Duration awaitFree(List<Integer> ports, Duration timeout) {
        long began = System.nanoTime();
        long deadline = began + timeout.toNanos();
        List<Integer> reported = new ArrayList<>();
        for (int port : ports) {
            while (!free(port)) {
                if (!reported.contains(port)) {
                    reported.add(port);
                    log.warn(
                            "Port {} is taken ({}); waiting up to {} s for it",
                            port,
                            holders(port),
                            timeout.toSeconds());
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "port " + port + " is still taken after " + timeout.toSeconds() + " s: " + holders(port));
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
            }
        }
        Duration waited = Duration.ofNanos(System.nanoTime() - began);
        if (!reported.isEmpty()) {
            log.warn("Ports {} free after {} ms", reported, waited.toMillis());
        }
        return waited;
    }

    /** Whether a server could bind {@code port} now. */
    static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The sockets holding {@code port} as their local port, from {@code /proc/net/tcp} and {@code tcp6}: state, the
     * other end's port, and the owning process where it can be found (a TIME_WAIT socket has none). Empty on other
     * systems.
     */
    static String holders(int port) {
        List<String> found = new ArrayList<>();
        Map<String, String> ownerByInode = null;
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines;
            try {
                lines = Files.readAllLines(Path.of(table), StandardCharsets.US_ASCII);
            } catch (IOException e) {
                continue;
            }
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] fields = line.trim().split("\\s+");
                if (fields.length < 10 || localPort(fields[1]) != port) {
                    continue;
                }
                String state = TCP_STATES.getOrDefault(fields[3], fields[3]);
                int remotePort = localPort(fields[2]);
                StringBuilder holder = new StringBuilder(state);
                if (remotePort != 0) {
                    holder.append(" to port ").append(remotePort);
                    if (remotePort == port && fields[1].equals(fields[2])) {
                        holder.append(" (a connection to itself)");
                    }
                }
                String inode = fields[9];
                if (!inode.equals("0")) {
                    if (ownerByInode == null) {
                        ownerByInode = socketOwners();
                    }
                    String owner = ownerByInode.get(inode);
                    if (owner != null) {
                        holder.append(", ").append(owner);
                    }
                }
                found.add(holder.toString());
            }
        }
        return found.isEmpty() ? "no socket found in /proc/net/tcp" : String.join("; ", found);
    }

    /** {@code 0100007F:1F90} → 8080. */
    private static int localPort(String address) {
        int colon = address.lastIndexOf(':');
        try {
            return Integer.parseInt(address.substring(colon + 1), 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Socket inode → "pid N (command)", from {@code /proc/<pid>/fd}: the processes this user may look into. */
    private static Map<String, String> socketOwners() {
        Map<String, String> owners = new HashMap<>();
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path process : processes) {
                try (DirectoryStream<Path> fds = Files.newDirectoryStream(process.resolve("fd"))) {
                    for (Path fd : fds) {
                        String target = Files.readSymbolicLink(fd).toString();
                        if (target.startsWith("socket:[")) {
                            long pid = Long.parseLong(process.getFileName().toString());
                            String command = ProcessHandle.of(pid)
                                    .flatMap(handle -> handle.info().commandLine())
                                    .map(line -> line.length() > 160 ? line.substring(0, 160) + "…" : line)
                                    .orElse("?");
                            owners.put(
                                    target.substring(8, target.length() - 1),
                                    String.format(Locale.ROOT, "pid %d (%s)", pid, command));
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    // gone, or not ours to look into
                }
            }
        } catch (IOException e) {
            return owners;
        }
        return owners;
    }
}
