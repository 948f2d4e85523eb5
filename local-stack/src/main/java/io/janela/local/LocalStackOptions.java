package io.janela.local;

import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;

/**
 * The local stack's command-line options.
 *
 * @param dataDirectory where the broker, the registry and the Streams state keep their data ({@code --data-dir},
 *     default {@code .janela} under the working directory, {@code .janela-demo} with {@code --demo}); it survives
 *     restarts
 * @param clean delete the data directory first ({@code --clean}; always with {@code --demo})
 * @param partitions partitions of each topic the stack creates ({@code --partitions}, default 6)
 * @param portOffset added to every port the stack listens on ({@code --port-offset}, default 0), so that two stacks
 *     (or a stack and a test run) can share a machine
 * @param windowLength the customer service window the services are told to use ({@code --window-length}); null: Meta's
 *     24 hours. Shorter only to watch windows close (the demo)
 * @param demo play the demonstration scenario once everything is ready ({@code --demo}), then keep running
 */
record LocalStackOptions(
        Path dataDirectory, boolean clean, int partitions, int portOffset, Duration windowLength, boolean demo) {

    /** The window the demo uses unless {@code --window-length} says otherwise. */
    static final Duration DEMO_WINDOW_LENGTH = Duration.ofSeconds(45);

    static LocalStackOptions parse(List<String> args) {
        Path dataDirectory = null;
        boolean clean = false;
        int partitions = 6;
        int portOffset = 0;
        Duration windowLength = null;
        boolean demo = false;
        for (String arg : args) {
            if (arg.equals("--clean")) {
                clean = true;
            } else if (arg.equals("--demo")) {
                demo = true;
            } else if (arg.startsWith("--data-dir=")) {
                dataDirectory = Path.of(arg.substring("--data-dir=".length()));
            } else if (arg.startsWith("--partitions=")) {
                partitions = integer(arg, "--partitions=");
            } else if (arg.startsWith("--port-offset=")) {
                portOffset = integer(arg, "--port-offset=");
            } else if (arg.startsWith("--window-length=")) {
                windowLength = duration(arg.substring("--window-length=".length()));
            } else if (arg.equals("--help") || arg.equals("-h")) {
                throw new UsageException(null);
            } else {
                throw new UsageException("unknown option: " + arg);
            }
        }
        if (partitions < 1) {
            throw new UsageException("--partitions must be at least 1");
        }
        if (portOffset < 0 || portOffset > 50_000) {
            throw new UsageException("--port-offset must be between 0 and 50000");
        }
        if (windowLength != null && windowLength.compareTo(Duration.ofSeconds(20)) < 0) {
            throw new UsageException("--window-length must be at least 20s");
        }
        if (demo) {
            // A demo's short windows and made-up contacts never mix with the data of a real run.
            clean = true;
            dataDirectory = dataDirectory == null ? Path.of(".janela-demo") : dataDirectory;
            windowLength = windowLength == null ? DEMO_WINDOW_LENGTH : windowLength;
        }
        dataDirectory = dataDirectory == null ? Path.of(".janela") : dataDirectory;
        return new LocalStackOptions(
                dataDirectory.toAbsolutePath().normalize(), clean, partitions, portOffset, windowLength, demo);
    }

    /** The window length in force: the one given, else Meta's 24 hours. */
    Duration effectiveWindowLength() {
        return windowLength == null ? Duration.ofHours(24) : windowLength;
    }

    private static int integer(String arg, String prefix) {
        try {
            return Integer.parseInt(arg.substring(prefix.length()));
        } catch (NumberFormatException e) {
            throw new UsageException("not a number: " + arg);
        }
    }

    /** {@code 45s}, {@code 2m}, {@code 1h}, or ISO-8601 ({@code PT45S}). */
    static Duration duration(String text) {
        String value = text.strip().toLowerCase(Locale.ROOT);
        try {
            if (value.startsWith("pt")) {
                return Duration.parse(value.toUpperCase(Locale.ROOT));
            }
            long amount = Long.parseLong(value.substring(0, value.length() - 1));
            return switch (value.charAt(value.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                default -> throw new UsageException("not a duration (45s, 2m, 1h): " + text);
            };
        } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
            throw new UsageException("not a duration (45s, 2m, 1h): " + text);
        }
    }

    static final String USAGE = """
            Runs Janela on this machine: a Kafka node, a schema registry, the five services and a Cloud API sandbox.
            Options:
              --clean               delete the data directory before starting (a fresh broker, registry and state)
              --data-dir=PATH       where data is kept (default .janela in the working directory)
              --partitions=N        partitions of each topic created (default 6)
              --port-offset=N       add N to every port (Kafka 9092, registry 8085, services 8080-8084, sandbox 8090,
                                    dev endpoint 8079)
              --window-length=D     a shorter customer service window than Meta's 24h (e.g. 45s): demonstrations only
              --demo                start clean in .janela-demo with a 45s window, play a scenario and print what
                                    happened, by the numbers; the stack keeps running until Ctrl-C
            """;

    /** A bad command line; the message says what, or null for a plain request for help. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
