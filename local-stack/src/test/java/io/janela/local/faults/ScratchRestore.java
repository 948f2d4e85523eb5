package io.janela.local.faults;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.TopicPartition;

/**
 * A restore that started at its changelog's beginning, as the shared restore listener logs it in the service's log
 * ({@code Restore started: store=… changelog=… partition=… from=scratch …}; always at INFO, since such a restore has
 * offsets to replay).
 *
 * @param endingOffset the changelog partition's end when the restore started
 */
record ScratchRestore(String store, TopicPartition changelog, long endingOffset) {

    private static final Pattern LINE = Pattern.compile(
            "Restore started: store=(\\S+) changelog=(\\S+) partition=(\\d+) from=scratch startingOffset=\\d+"
                    + " endingOffset=(\\d+)");

    /** The restores from scratch a stretch of a service's log reports. */
    static List<ScratchRestore> in(String log) {
        List<ScratchRestore> restores = new ArrayList<>();
        Matcher matcher = LINE.matcher(log);
        while (matcher.find()) {
            restores.add(new ScratchRestore(
                    matcher.group(1),
                    new TopicPartition(matcher.group(2), Integer.parseInt(matcher.group(3))),
                    Long.parseLong(matcher.group(4))));
        }
        return restores;
    }

    @Override
    public String toString() {
        return store + " " + changelog + " (" + endingOffset + " offsets)";
    }
}
