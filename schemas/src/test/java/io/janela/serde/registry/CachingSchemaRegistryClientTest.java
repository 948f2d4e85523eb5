package io.janela.serde.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.janela.avro.ContactAlias;
import java.net.ConnectException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CachingSchemaRegistryClientTest {

    private static final Schema SCHEMA = ContactAlias.SCHEMA$;

    private final String scope = "caching-" + UUID.randomUUID();
    private final FlakyRegistry registry = new FlakyRegistry(MockSchemaRegistry.forScope(scope));
    private final AtomicLong clock = new AtomicLong();
    private final CachingSchemaRegistryClient client =
            new CachingSchemaRegistryClient(registry, Duration.ofSeconds(30), clock::get);

    @AfterEach
    void dropRegistry() {
        MockSchemaRegistry.dropScope(scope);
    }

    @Test
    void keepsServingIdsAndSchemasItHasSeenWhenTheRegistryIsDown() {
        int id = client.register("s-value", SCHEMA);
        registry.down = true;

        assertThat(client.register("s-value", SCHEMA)).isEqualTo(id);
        assertThat(client.idOf("s-value", SCHEMA)).isEqualTo(id);
        assertThat(client.schemaById(id)).isEqualTo(SCHEMA);
        assertThat(registry.calls).hasValue(1);
    }

    @Test
    void failsForWhatItHasNotSeenWhileTheRegistryIsDown() {
        registry.down = true;

        assertThatThrownBy(() -> client.schemaById(1))
                .isInstanceOfSatisfying(
                        SchemaRegistryException.class,
                        e -> assertThat(e.isTransient()).isTrue());
    }

    @Test
    void refreshesTheLatestVersionAfterItsTimeToLive() {
        MockSchemaRegistry.forScope(scope).register("s-value", SCHEMA);
        client.latest("s-value");
        client.latest("s-value");
        assertThat(registry.calls).as("within the TTL").hasValue(1);

        clock.addAndGet(Duration.ofSeconds(31).toNanos());
        client.latest("s-value");

        assertThat(registry.calls).hasValue(2);
    }

    @Test
    void servesTheLastLatestVersionWhenRefreshingFailsForATransientReason() {
        MockSchemaRegistry.forScope(scope).register("s-value", SCHEMA);
        RegisteredSchema seen = client.latest("s-value");
        clock.addAndGet(Duration.ofMinutes(5).toNanos());
        registry.down = true;

        assertThat(client.latest("s-value")).isEqualTo(seen);
    }

    @Test
    void doesNotCacheFailures() {
        assertThatThrownBy(() -> client.schemaById(1)).isInstanceOf(SchemaRegistryException.class);
        int id = MockSchemaRegistry.forScope(scope).register("s-value", SCHEMA);

        assertThat(client.schemaById(id)).isEqualTo(SCHEMA);
    }

    /** Counts the calls that reach the registry, and fails them as an unreachable registry would when down. */
    private static final class FlakyRegistry implements SchemaRegistryClient {
        private final SchemaRegistryClient delegate;
        private final AtomicInteger calls = new AtomicInteger();
        private volatile boolean down;

        FlakyRegistry(SchemaRegistryClient delegate) {
            this.delegate = delegate;
        }

        private void call() {
            calls.incrementAndGet();
            if (down) {
                throw new SchemaRegistryException("schema registry unreachable", new ConnectException());
            }
        }

        @Override
        public int register(String subject, Schema schema) {
            call();
            return delegate.register(subject, schema);
        }

        @Override
        public int idOf(String subject, Schema schema) {
            call();
            return delegate.idOf(subject, schema);
        }

        @Override
        public Schema schemaById(int id) {
            call();
            return delegate.schemaById(id);
        }

        @Override
        public RegisteredSchema latest(String subject) {
            call();
            return delegate.latest(subject);
        }
    }
}
