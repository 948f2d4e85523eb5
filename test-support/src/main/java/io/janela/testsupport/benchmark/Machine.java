package io.janela.testsupport.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What a benchmark reports of the machine it ran on. */
public final class Machine {

    private Machine() {}

    /** The load average over 1, 5 and 15 minutes and the running/total tasks, from /proc/loadavg; "n/a" elsewhere. */
    public static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "n/a";
        }
    }
}
