package io.janela.testsupport.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What a benchmark reports of the machine it ran on. */
public final class Machine {

    private Machine() {}

    /** The load average over 1, 5 and 15 minutes, from /proc/loadavg; "n/a" elsewhere. */
    public static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return String.join(" ", java.util.Arrays.copyOf(fields, Math.min(3, fields.length)));
        } catch (IOException e) {
            return "n/a";
        }
    }
}
