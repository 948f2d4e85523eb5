package io.janela.ingress.publish;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.scheduler.Scheduler;

/**
 * Makes the value serializers learn their schema ids before traffic needs them. The serializers ask the schema registry
 * once per schema, over HTTP and blocking, then answer from their cache; until that has happened, serialising on an
 * HTTP event loop could stall it for the registry's timeouts. This serialises a sample record of every type at
 * start, and again every {@code retry} until the registry has answered, and says whether it has.
 */
public final class SchemaWarmUp {

    private static final Logger log = LoggerFactory.getLogger(SchemaWarmUp.class);

    private final OutgoingRecords outgoing;
    private volatile boolean done;

    public SchemaWarmUp(OutgoingRecords outgoing) {
        this.outgoing = outgoing;
    }

    /** Whether every value serializer has its schema id, so that serialising no longer calls the registry. */
    public boolean done() {
        return done;
    }

    /** Tries at once on {@code scheduler} (where blocking is allowed), then every {@code retry} until it succeeds. */
    public void start(Scheduler scheduler, Duration retry) {
        scheduler.schedule(() -> attempt(scheduler, retry));
    }

    private void attempt(Scheduler scheduler, Duration retry) {
        try {
            outgoing.serializeSamples();
            done = true;
            log.info("Schema ids of the webhook topics known");
        } catch (RuntimeException e) {
            log.warn(
                    "Schema registry not answering yet ({}); webhooks are serialised off the event loop meanwhile",
                    e.toString());
            scheduler.schedule(() -> attempt(scheduler, retry), retry.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
