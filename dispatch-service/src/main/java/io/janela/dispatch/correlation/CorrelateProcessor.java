package io.janela.dispatch.correlation;

import io.janela.avro.MessageStatus;
import io.janela.avro.MetaError;
import io.janela.avro.SendCommand;
import io.janela.avro.SendKind;
import io.janela.contract.ContactKey;
import io.janela.dispatch.outcome.Results;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Ties a {@code failed} status webhook back to its request through {@code biz_opaque_callback_data} (the request id)
 * and records it as a DELIVERY_FAILED result, once per message (webhooks come more than once). When Meta reports
 * 131047 (the customer service window had closed) for a free-form message whose request carried a fallback template
 * that passed the checks at decision time, the fallback goes to the sender, once.
 */
final class CorrelateProcessor implements Processor<String, CorrelationInput, String, CorrelationOutput> {

    static final int REENGAGEMENT = 131047;
    private static final String FALLBACK_SENT = "fallback-sent:";

    private final Duration retention;
    private ProcessorContext<String, CorrelationOutput> context;
    private WindowStore<String, SendCommand> plans;
    private WindowStore<String, Long> reported;

    CorrelateProcessor(Duration retention) {
        this.retention = retention;
    }

    @Override
    public void init(ProcessorContext<String, CorrelationOutput> context) {
        this.context = context;
        this.plans = context.getStateStore(CorrelationTopology.FALLBACK_PLANS_STORE);
        this.reported = context.getStateStore(CorrelationTopology.REPORTED_STORE);
    }

    @Override
    public void process(Record<String, CorrelationInput> record) {
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        switch (record.value()) {
            case CorrelationInput.Plan plan -> plans.put(record.key(), plan.command(), now.toEpochMilli());
            case CorrelationInput.Failure failure -> failed(record, failure.status(), now);
        }
    }

    private void failed(Record<String, CorrelationInput> record, MessageStatus status, Instant now) {
        if (seen(status.getMessageId(), now)) {
            return;
        }
        mark(status.getMessageId(), now);
        SendCommand plan = latest(plans, record.key(), now);
        String key = plan != null
                ? Results.key(plan)
                : new ContactKey(status.getPhoneNumberId(), status.getContactId()).format();
        context.forward(
                record.withKey(key).withValue(new CorrelationOutput.Result(Results.deliveryFailed(status, plan, now))));
        MetaError error =
                status.getErrors().isEmpty() ? null : status.getErrors().getFirst();
        boolean reengagement = error != null && error.getCode() == REENGAGEMENT;
        if (reengagement && plan != null && plan.getFallback() != null && !seen(FALLBACK_SENT + record.key(), now)) {
            mark(FALLBACK_SENT + record.key(), now);
            SendCommand fallback = SendCommand.newBuilder(plan)
                    .setKind(SendKind.FALLBACK)
                    .setPrimary(plan.getFallback())
                    .setFallback(null)
                    .setDecidedAt(now)
                    .setPreviousAttempts(1)
                    .setPrimaryWamid(status.getMessageId())
                    .build();
            context.forward(record.withKey(key).withValue(new CorrelationOutput.Fallback(fallback)));
        }
    }

    private boolean seen(String key, Instant now) {
        try (WindowStoreIterator<Long> found = reported.fetch(key, now.minus(retention), now)) {
            return found.hasNext();
        }
    }

    private void mark(String key, Instant now) {
        reported.put(key, now.toEpochMilli(), now.toEpochMilli());
    }

    private SendCommand latest(WindowStore<String, SendCommand> store, String key, Instant now) {
        SendCommand latest = null;
        try (WindowStoreIterator<SendCommand> found = store.fetch(key, now.minus(retention), now)) {
            while (found.hasNext()) {
                latest = found.next().value;
            }
        }
        return latest;
    }
}
