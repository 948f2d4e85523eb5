package io.janela.dispatch.decision;

import io.janela.avro.AccountEvent;
import io.janela.avro.AccountEventKind;
import io.janela.avro.DispatchOutcome;
import io.janela.avro.DispatchReason;
import io.janela.avro.DispatchResult;
import io.janela.avro.SendCommand;
import io.janela.contract.ContactKey;
import io.janela.dispatch.business.BusinessNumbers;
import io.janela.dispatch.outcome.Results;
import io.janela.dispatch.policy.PortfolioLimit;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;

/**
 * The business portfolio's messaging limit (DESIGN.md §4, "The account's own state"; WHATSAPP.md §6.3), applied to
 * every business-initiated send (a template outside an open window) before it goes to the sender. They arrive keyed by
 * portfolio (one partition holds all of a portfolio's, so one processor counts them, in order); one that would reach a
 * user not counted in the moving 24 h while the portfolio's {@link PortfolioReach} is at its limit is refused, REJECTED
 * MESSAGING_LIMIT with {@code retryAfter} = when the oldest counted user leaves the moving 24 h. The others go on,
 * keyed by their contact again.
 *
 * <p>The limit is the newest MESSAGING_LIMIT account event of the portfolio's business accounts ({@link
 * PortfolioLimit}); none, unlimited or an unknown tier: nothing is refused (Meta's 131064 remains the backstop), but
 * the users reached are still counted, so that a lower limit applies at once when Meta announces one.
 */
final class MessagingLimitProcessor implements Processor<String, SendCommand, String, DecisionOutput> {

    private static final Duration GAUGE_INTERVAL = Duration.ofSeconds(30);

    private final BusinessNumbers numbers;
    private final DecisionMetrics metrics;
    private ProcessorContext<String, DecisionOutput> context;
    private TimestampedKeyValueStore<String, AccountEvent> accountEvents;
    private PortfolioReach reach;

    MessagingLimitProcessor(BusinessNumbers numbers, DecisionMetrics metrics) {
        this.numbers = numbers;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, DecisionOutput> context) {
        this.context = context;
        this.accountEvents = context.getStateStore(DecisionTopology.ACCOUNT_EVENTS_STORE);
        KeyValueStore<String, Long> store = context.getStateStore(DecisionTopology.PORTFOLIO_REACH_STORE);
        this.reach = new PortfolioReach(store);
        numbers.portfolios().forEach(metrics::portfolio);
        context.schedule(GAUGE_INTERVAL, PunctuationType.WALL_CLOCK_TIME, now -> report(Instant.ofEpochMilli(now)));
    }

    @Override
    public void process(Record<String, SendCommand> record) {
        SendCommand command = record.value();
        String contactKey = new ContactKey(command.getPhoneNumberId(), command.getContactId()).format();
        Record<String, DecisionOutput> onward =
                new Record<>(contactKey, new DecisionOutput.Command(command), record.timestamp(), new RecordHeaders());
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        String portfolio = record.key();
        PortfolioLimit limit = limit(portfolio);
        // Meta counts people per portfolio, whichever of its numbers wrote to them, and a BSUID is the same on all of
        // them (WHATSAPP.md §1.3, §6.3): the user, not the number's contact key, is what is counted.
        PortfolioReach.Admission admission = reach.admit(portfolio, command.getContactId(), now, limit);
        metrics.portfolioLimit(portfolio, limit);
        if (admission instanceof PortfolioReach.Admission.Refused refused) {
            metrics.decided("rejected", DispatchReason.MESSAGING_LIMIT);
            DispatchResult result = Results.refused(
                    command.getRequest(),
                    command.getContactId(),
                    DispatchOutcome.REJECTED,
                    DispatchReason.MESSAGING_LIMIT,
                    "the business portfolio reached " + refused.counted() + " unique users with business-initiated"
                            + " messages in the moving 24 h, its messaging limit (" + limit.tier() + ")"
                            + (refused.retryAfter() == null ? "" : "; room again at " + refused.retryAfter()),
                    command.getPrimary().getCategory(),
                    now);
            result.setRetryAfter(refused.retryAfter());
            context.forward(new Record<>(
                    contactKey, new DecisionOutput.Result(result), record.timestamp(), new RecordHeaders()));
        } else {
            metrics.decided("send", null);
            context.forward(onward);
        }
        metrics.portfolioReach(portfolio, reach.count(portfolio, now));
    }

    /**
     * Wall clock: the gauges follow the moving 24 h also when no send comes. Every task of this processor shares the
     * instance's gauges, but only the one that owns a portfolio's partition counts it: the others leave its reach alone
     * (were they to report their 0, the gauge would saw-tooth and an alert with {@code for:} would never fire).
     */
    private void report(Instant now) {
        for (String portfolio : numbers.portfolios()) {
            metrics.portfolioLimit(portfolio, limit(portfolio));
            if (reach.holds(portfolio)) {
                metrics.portfolioReach(portfolio, reach.count(portfolio, now));
            }
        }
    }

    /**
     * The task is closed or moved: the reach it reported is no longer this instance's to show (the new owner reports
     * it from its own copy of the store); left as it was, {@code max by (portfolio_id)} across instances would keep it.
     */
    @Override
    public void close() {
        try {
            for (String portfolio : numbers.portfolios()) {
                if (reach != null && reach.holds(portfolio)) {
                    metrics.portfolioReach(portfolio, 0);
                }
            }
        } catch (InvalidStateStoreException closedFirst) {
            // A task closed dirty may have lost its store first; its gauges are then the next owner's to set.
        }
    }

    private PortfolioLimit limit(String portfolio) {
        List<AccountEvent> events = new ArrayList<>();
        for (String wabaId : numbers.wabaIds(portfolio)) {
            events.add(AccountFacts.newest(accountEvents, wabaId, AccountEventKind.MESSAGING_LIMIT));
        }
        return PortfolioLimit.newest(events);
    }
}
