package io.janela.metrics.streams;

import io.janela.metrics.state.BusinessMessageHandover;
import io.janela.metrics.state.ConversationState;
import io.janela.metrics.state.MessageState;
import io.janela.metrics.state.SummaryBucket;
import org.apache.avro.specific.SpecificData;

/**
 * Switches Avro's generated custom coders on for the state-store schemas (and the business messages the message
 * step hands the conversation step through a repartition topic). They exist because those schemas have no
 * logical types ({@link StoredTimes}); each generated class has its own {@link SpecificData}, so this touches only
 * them. The stores are written on almost every record: the generic schema walk they replace took about a fifth of the
 * stream thread's time in the benchmark.
 */
public final class StoreCoders {

    private StoreCoders() {}

    /** Switches them on; calling it again changes nothing. */
    public static void enable() {
        SpecificData.getForClass(ConversationState.class).setCustomCoders(true);
        SpecificData.getForClass(MessageState.class).setCustomCoders(true);
        SpecificData.getForClass(SummaryBucket.class).setCustomCoders(true);
        SpecificData.getForClass(BusinessMessageHandover.class).setCustomCoders(true);
    }
}
