package io.janela.local;

import java.nio.file.Path;
import java.util.List;

/**
 * The local stack's command-line options.
 *
 * @param dataDirectory where the broker, the registry and the Streams state keep their data ({@code --data-dir},
 *     default {@code .janela} under the working directory); it survives restarts
 * @param clean delete the data directory first ({@code --clean})
 * @param partitions partitions of each topic the stack creates ({@code --partitions}, default 6)
 */
record LocalStackOptions(Path dataDirectory, boolean clean, int partitions) {

    static LocalStackOptions parse(List<String> args) {
        Path dataDirectory = Path.of(".janela");
        boolean clean = false;
        int partitions = 6;
        for (String arg : args) {
            if (arg.equals("--clean")) {
                clean = true;
            } else if (arg.startsWith("--data-dir=")) {
                dataDirectory = Path.of(arg.substring("--data-dir=".length()));
            } else if (arg.startsWith("--partitions=")) {
                partitions = Integer.parseInt(arg.substring("--partitions=".length()));
            } else if (arg.equals("--help") || arg.equals("-h")) {
                throw new UsageException(null);
            } else {
                throw new UsageException("unknown option: " + arg);
            }
        }
        if (partitions < 1) {
            throw new UsageException("--partitions must be at least 1");
        }
        return new LocalStackOptions(dataDirectory.toAbsolutePath().normalize(), clean, partitions);
    }

    static final String USAGE = """
            Runs Janela on this machine: a Kafka node, a schema registry, the four services and a Cloud API sandbox.
            Options:
              --clean            delete the data directory before starting (a fresh broker, registry and state)
              --data-dir=PATH    where data is kept (default .janela in the working directory)
              --partitions=N     partitions of each topic created (default 6)
            """;

    /** A bad command line; the message says what, or null for a plain request for help. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
