package io.janela.testsupport.kafka;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real broker for the test class that registers it, started before its first test and stopped after its last:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();
 * ... kafka.bootstrapServers() ...
 * }</pre>
 *
 * Each class gets its own broker, so that no topic, group or transaction leaks from one class into another.
 */
public final class KafkaBrokerExtension implements BeforeAllCallback, AfterAllCallback {

    private final boolean restartable;
    private KafkaBroker broker;

    /** A broker of the kind the {@code janela.test.kafka} switch selects. */
    public KafkaBrokerExtension() {
        this(false);
    }

    private KafkaBrokerExtension(boolean restartable) {
        this.restartable = restartable;
    }

    /** A broker the test can stop and restart: see {@link #restartableBroker()}. */
    public static KafkaBrokerExtension restartable() {
        return new KafkaBrokerExtension(true);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        broker = restartable ? RestartableKafkaBroker.start() : KafkaBrokers.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

    /** The running broker; only between {@code beforeAll} and {@code afterAll}. */
    public KafkaBroker broker() {
        if (broker == null) {
            throw new IllegalStateException("the broker runs only while the test class runs; register the extension"
                    + " on a static field with @RegisterExtension");
        }
        return broker;
    }

    public String bootstrapServers() {
        return broker().bootstrapServers();
    }

    /** The broker of an extension made by {@link #restartable()}. */
    public RestartableKafkaBroker restartableBroker() {
        if (!(broker() instanceof RestartableKafkaBroker restartableBroker)) {
            throw new IllegalStateException("this broker cannot restart; use KafkaBrokerExtension.restartable()");
        }
        return restartableBroker;
    }
}
