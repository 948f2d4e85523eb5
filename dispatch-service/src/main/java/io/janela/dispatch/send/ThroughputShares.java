package io.janela.dispatch.send;

import java.util.Collection;

/**
 * How a business number's throughput limit is shared between sender instances: by the send-command partitions each
 * holds, since a number's contacts spread evenly over the partitions. When the limit has at least one message per
 * second per partition, each partition gets a whole quota ({@code limit / partitions}, the remainder going one each
 * to the first partitions), so that the instances' rates are whole numbers that add up to exactly the limit.
 * Otherwise an instance gets the limit times its fraction of the partitions.
 */
final class ThroughputShares {

    private ThroughputShares() {}

    /**
     * @param limit the number's messages per second
     * @param partitionCount partitions of the send-commands topic
     * @param held the partitions this instance holds
     */
    static double rate(int limit, int partitionCount, Collection<Integer> held) {
        if (partitionCount <= 0 || held.isEmpty()) {
            return 0;
        }
        if (limit < partitionCount) {
            return (double) limit * held.size() / partitionCount;
        }
        int base = limit / partitionCount;
        int remainder = limit % partitionCount;
        return held.stream()
                .mapToInt(partition -> base + (partition < remainder ? 1 : 0))
                .sum();
    }
}
