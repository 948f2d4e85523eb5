package io.janela.dispatch.send;

import io.janela.avro.AccountEvent;
import io.janela.avro.AccountEventKind;
import io.janela.avro.ThroughputLevel;
import io.janela.dispatch.business.BusinessNumber;
import io.janela.dispatch.business.BusinessNumbers;
import io.janela.dispatch.graph.GraphApiClient;
import io.janela.dispatch.graph.GraphApiException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Asks Meta once, at start, for the throughput level of each configured business number that is not pinned ({@code GET
 * /{phone-number-id}?fields=throughput}, WHATSAPP.md §6.1), so that a number Meta upgraded is paced at its level before
 * (or without) a report on whatsapp.account-events. Each answer is told to the throughput reports as a THROUGHPUT report
 * of the time the question was asked, under a key of its own ({@link #key}): a report from the topic newer than that
 * time replaces it, an older one does not (the newest by time wins, {@link ThroughputReports}).
 *
 * <p>One question per number, never repeated: no answer within the time-out, no connection, or Meta's refusal leave the
 * number as it was (its configured limit, or what the topic says), logged (number id, and Meta's error or the failure;
 * never the token) and counted ({@link #OUTCOMES}).
 */
final class ThroughputQuestions {

    private static final Logger log = LoggerFactory.getLogger(ThroughputQuestions.class);

    static final String ANSWERED = "answered";
    static final String REFUSED = "refused";
    static final String UNANSWERED = "unanswered";
    /** How a question ends ({@code janela.dispatch.throughput.asked{outcome}}). */
    static final List<String> OUTCOMES = List.of(ANSWERED, REFUSED, UNANSWERED);
    /** Questions in flight at once. */
    static final int AT_ONCE = 4;

    private final BusinessNumbers numbers;
    private final GraphApiClient graph;
    private final Duration timeout;
    private final Clock clock;
    private final BiConsumer<String, AccountEvent> told;
    private final Consumer<String> counted;

    /**
     * @param told takes each answer as a report, with its key ({@link ThroughputReader#told})
     * @param counted takes each question's outcome ({@link #OUTCOMES})
     */
    ThroughputQuestions(
            BusinessNumbers numbers,
            GraphApiClient graph,
            Duration timeout,
            Clock clock,
            BiConsumer<String, AccountEvent> told,
            Consumer<String> counted) {
        this.numbers = numbers;
        this.graph = graph;
        this.timeout = timeout;
        this.clock = clock;
        this.told = told;
        this.counted = counted;
    }

    /**
     * Asks for every number not pinned, {@link #AT_ONCE} at a time (the questions share the app's Graph API call budget
     * with the catalog's sync, and every instance asks at every start); completes when each is answered or given up
     * (never fails).
     */
    Mono<Void> ask() {
        return Flux.fromIterable(numbers.all())
                .filter(number -> !number.throughputPinned())
                .flatMap(this::ask, AT_ONCE)
                .then();
    }

    /** The key an answer is held under among the reports: no record of the topic has it. */
    static String key(BusinessNumber number) {
        return number.wabaId() + ":THROUGHPUT:graph-api:" + number.phoneNumberId();
    }

    private Mono<Void> ask(BusinessNumber number) {
        Instant askedAt = clock.instant();
        return Mono.defer(() -> graph.throughputLevel(number.phoneNumberId(), numbers.accessToken(number)))
                .timeout(timeout)
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty())
                .doOnNext(level -> answered(number, level.orElse(null), askedAt))
                .onErrorResume(e -> {
                    failed(number, e);
                    return Mono.empty();
                })
                .then();
    }

    private void answered(BusinessNumber number, String level, Instant askedAt) {
        if (level == null) {
            log.warn("Business number {}: Meta's answer to fields=throughput names no level", number.phoneNumberId());
            counted.accept(ANSWERED);
            return;
        }
        ThroughputLevel parsed = parse(level);
        log.info(
                "Business number {}: Meta answers throughput level {} (asked at {})",
                number.phoneNumberId(),
                parsed,
                askedAt);
        told.accept(
                key(number),
                AccountEvent.newBuilder()
                        .setKind(AccountEventKind.THROUGHPUT)
                        .setField("graph_api")
                        .setEvent("GET fields=throughput")
                        .setWabaId(number.wabaId())
                        .setPhoneNumberId(number.phoneNumberId())
                        .setThroughputLevel(parsed)
                        .setTimestamp(askedAt)
                        .setRawJson("{\"throughput\":{\"level\":\"" + parsed.name() + "\"}}")
                        .build());
        counted.accept(ANSWERED); // after it was taken: a failure there counts the question unanswered, not both
    }

    private void failed(BusinessNumber number, Throwable e) {
        if (e instanceof GraphApiException refused) {
            counted.accept(REFUSED);
            log.warn(
                    "Business number {}: Meta refused the question for its throughput level; it keeps its limit: {}",
                    number.phoneNumberId(),
                    refused.getMessage());
        } else {
            counted.accept(UNANSWERED);
            log.warn(
                    "Business number {}: no answer to the question for its throughput level within {}; it keeps its"
                            + " limit: {}",
                    number.phoneNumberId(),
                    timeout,
                    e.toString());
        }
    }

    /** Meta's level; one Janela does not know is UNKNOWN (the number keeps its configured limit). */
    private static ThroughputLevel parse(String level) {
        try {
            return ThroughputLevel.valueOf(level.strip());
        } catch (IllegalArgumentException e) {
            return ThroughputLevel.UNKNOWN;
        }
    }
}
