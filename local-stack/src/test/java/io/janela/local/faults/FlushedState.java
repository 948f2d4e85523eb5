package io.janela.local.faults;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

/**
 * Where every topic partition of the stack's broker ended when a service stopped cleanly, which is when its stores last
 * flushed to disk for sure. It explains the restores from scratch after a later SIGKILL: Kafka Streams 4.4 resumes a
 * transactional store partition from the offset it last flushed (RocksDB's write-ahead log is off, so the memtable dies
 * with the process); a partition that was still empty at the flush has no offset on disk and is read again from its
 * changelog's beginning. That is expected. A partition that held records at the flush and is restored from its
 * beginning lost local state it had: that is the failure the restore check is there to catch.
 */
record FlushedState(Map<TopicPartition, Long> endOffsets) {

    /** The end offsets of every partition of every topic now. */
    static FlushedState read(String bootstrapServers) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            Map<String, TopicDescription> described =
                    admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = described.values().stream()
                    .flatMap(topic -> topic.partitions().stream()
                            .map(partition -> new TopicPartition(topic.name(), partition.partition())))
                    .collect(Collectors.toMap(Function.identity(), partition -> OffsetSpec.latest()));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
                    admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
            return new FlushedState(ends.entrySet().stream()
                    .collect(Collectors.toMap(
                            Map.Entry::getKey, end -> end.getValue().offset())));
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Could not read the topics' end offsets at the clean stop", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Restores from scratch of partitions that were empty at the flush: nothing on disk to resume from. */
    List<ScratchRestore> explained(List<ScratchRestore> restores) {
        return restores.stream().filter(this::emptyAtFlush).toList();
    }

    /** Restores from scratch of partitions that held records at the flush (or are unknown): local state was lost. */
    List<ScratchRestore> unexplained(List<ScratchRestore> restores) {
        return restores.stream().filter(restore -> !emptyAtFlush(restore)).toList();
    }

    private boolean emptyAtFlush(ScratchRestore restore) {
        return endOffsets.getOrDefault(restore.changelog(), -1L) == 0L;
    }
}
