package io.janela.survey.asking;

import io.janela.avro.SurveyEventKind;
import io.janela.survey.rules.Ignored;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * The survey-service's own meters (the CSAT figures themselves are the metrics-service's, from whatsapp.survey-events).
 * Tags come from closed sets; every counter is registered at 0 so that rates and alerts see it from the start.
 *
 * <ul>
 *   <li>{@code janela.survey.events{kind}}: survey events emitted (sent, delivered, skipped, answered, expired,
 *       cancelled);
 *   <li>{@code janela.survey.requests}: OutboundRequests produced for dispatch;
 *   <li>{@code janela.survey.ignored{reason}}: inputs that changed no survey, by {@link Ignored} reason;
 *   <li>{@code janela.survey.invalid}: resolutions that name no business number or recipient (dead-lettered);
 *   <li>{@code janela.survey.punctuation}: how long each punctuation took;
 *   <li>{@code janela.survey.deadline.index.rebuild}: from a task's start until its contacts' deadlines were back in
 *       the index, which has no changelog (records flow meanwhile: {@link io.janela.streams.DeadlineRebuild}).
 * </ul>
 */
public final class SurveyMetrics {

    static final String INDEX_REBUILD = "janela.survey.deadline.index.rebuild";

    private final Map<SurveyEventKind, Counter> events = new EnumMap<>(SurveyEventKind.class);
    private final Map<Ignored, Counter> ignored = new EnumMap<>(Ignored.class);
    private final Counter requests;
    private final Counter invalid;
    private final Timer punctuation;
    private final Timer indexRebuild;

    public SurveyMetrics(MeterRegistry registry) {
        for (SurveyEventKind kind : SurveyEventKind.values()) {
            if (kind != SurveyEventKind.UNKNOWN) {
                events.put(
                        kind,
                        Counter.builder("janela.survey.events")
                                .description("Survey events emitted")
                                .tag("kind", kind.name().toLowerCase(Locale.ROOT))
                                .register(registry));
            }
        }
        for (Ignored reason : Ignored.values()) {
            ignored.put(
                    reason,
                    Counter.builder("janela.survey.ignored")
                            .description("Inputs that changed no survey")
                            .tag("reason", reason.name().toLowerCase(Locale.ROOT))
                            .register(registry));
        }
        requests = Counter.builder("janela.survey.requests")
                .description("Survey requests produced for dispatch")
                .register(registry);
        invalid = Counter.builder("janela.survey.invalid")
                .description("Resolutions without a business number or recipient")
                .register(registry);
        punctuation = Timer.builder("janela.survey.punctuation")
                .description("Time taken by one punctuation")
                .register(registry);
        indexRebuild = Timer.builder(INDEX_REBUILD)
                .description("From a task's start until its contacts' deadlines were back in the index (records flow"
                        + " meanwhile)")
                .register(registry);
    }

    void event(SurveyEventKind kind) {
        Counter counter = events.get(kind);
        if (counter != null) {
            counter.increment();
        }
    }

    void ignored(Ignored reason) {
        ignored.get(reason).increment();
    }

    void requested() {
        requests.increment();
    }

    void invalid() {
        invalid.increment();
    }

    void punctuation(Duration took) {
        punctuation.record(took);
    }

    void indexRebuilt(Duration took) {
        indexRebuild.record(took);
    }
}
