package io.janela.testsupport.kafka;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * A real Apache Kafka broker (KRaft) that an integration test talks to over the network.
 *
 * <p>Start one with {@link KafkaBrokers#start()}, which picks the kind that the {@code janela.test.kafka} switch
 * names; close it when the test is done.
 */
public interface KafkaBroker extends AutoCloseable {

    /** The bootstrap servers, as {@code host:port[,host:port]}. */
    String bootstrapServers();

    /** Which kind of broker this is, for logs and reports. */
    BrokerKind kind();

    /** Creates topics and waits until the broker has them. */
    default void createTopics(NewTopic... topics) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            admin.createTopics(List.of(topics)).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not create topics on " + bootstrapServers(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
    }

    /** Stops the broker and deletes its data. */
    @Override
    void close();
}
