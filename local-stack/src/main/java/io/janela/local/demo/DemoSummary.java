package io.janela.local.demo;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What the demo made happen, by the numbers, all read from the services' {@code /actuator/prometheus} (the difference
 * between a scrape before the scenario and one after it), so that they are what Prometheus shows; the first-response
 * quantiles also as {@code GET /metrics/summary} computes them.
 *
 * @param windowsOpened {@code janela_windows_opened_total} (metrics-service)
 * @param windowEventsOpened {@code janela_window_events_total{type="OPENED"}} (window-service), for comparison
 * @param windowsClosed {@code janela_windows_closed_total}
 * @param windowsClosedReplied those with {@code outcome="replied"}
 * @param windowsExpiredWhileWaiting those with {@code customer_waiting="true"}
 * @param firstResponses the count of {@code janela_first_response_time_seconds}
 * @param firstResponseP50 {@code histogram_quantile(0.5, ...)} in seconds
 * @param firstResponseP90 {@code histogram_quantile(0.9, ...)} in seconds
 * @param summaryP50 the summary endpoint's p50 in seconds (null when it did not answer)
 * @param summaryP90 the summary endpoint's p90 in seconds
 * @param sends {@code janela_dispatch_decisions_total{outcome="send"}} (dispatch)
 * @param rejectionsByReason {@code janela_dispatch_decisions_total{outcome="rejected"}} by reason
 * @param messagesByCategory {@code janela_messages_sent_total} by category (metrics-service)
 * @param costByCategory {@code janela_messages_estimated_cost_total} by category
 * @param currency the rate card's currency
 * @param statusesReceived {@code janela_webhook_records_published_total{kind="message_status"}} (ingress)
 * @param customerMessages {@code janela_webhook_records_published_total{kind="inbound_message"}} (ingress)
 * @param surveysSent {@code janela_surveys_total{kind="sent"}} (metrics-service, from whatsapp.survey-events)
 * @param surveysDelivered {@code janela_surveys_total{kind="delivered"}}
 * @param surveysAnswered {@code janela_surveys_total{kind="answered"}}
 * @param surveyScores {@code janela_survey_responses_total} by score
 * @param surveyAnswersRecorded {@code janela_survey_events_total{kind="answered"}} (survey-service), for comparison
 */
public record DemoSummary(
        Duration windowLength,
        long windowsOpened,
        long windowEventsOpened,
        long windowsClosed,
        long windowsClosedReplied,
        long windowsExpiredWhileWaiting,
        long firstResponses,
        double firstResponseP50,
        double firstResponseP90,
        Double summaryP50,
        Double summaryP90,
        long sends,
        Map<String, Long> rejectionsByReason,
        Map<String, Long> messagesByCategory,
        Map<String, Double> costByCategory,
        String currency,
        long statusesReceived,
        long customerMessages,
        long surveysSent,
        long surveysDelivered,
        long surveysAnswered,
        Map<String, Long> surveyScores,
        long surveyAnswersRecorded) {

    public double responseRate() {
        return windowsClosed == 0 ? Double.NaN : (double) windowsClosedReplied / windowsClosed;
    }

    /** Survey answers by score, summed. */
    public long surveyAnswers() {
        return surveyScores.values().stream().mapToLong(Long::longValue).sum();
    }

    /** CSAT: answers scoring 4 or 5 ÷ answers. */
    public double csat() {
        long answers = surveyAnswers();
        long satisfied = surveyScores.getOrDefault("4", 0L) + surveyScores.getOrDefault("5", 0L);
        return answers == 0 ? Double.NaN : (double) satisfied / answers;
    }

    /** Survey response rate: answered ÷ delivered surveys. */
    public double surveyResponseRate() {
        return surveysDelivered == 0 ? Double.NaN : (double) surveysAnswered / surveysDelivered;
    }

    public long rejections() {
        return rejectionsByReason.values().stream().mapToLong(Long::longValue).sum();
    }

    public double totalCost() {
        return costByCategory.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    public String text() {
        return """

                ============================================================================================
                 Janela demo: what happened, by the numbers
                 (customer service window shortened to %d s for the demo; Meta's is 24 h)
                ============================================================================================
                 Customer messages received      %d
                 Windows opened                  %d   (window-service OPENED events: %d)
                 Windows closed                  %d   (%d with a business reply, %d expired while the customer waited)
                 Response rate                   %s
                 First response                  p50 %s, p90 %s over %d windows (histogram_quantile)
                                                 p50 %s, p90 %s (GET /metrics/summary)
                 Requests sent to Meta           %d
                 Rejections                      %d   %s
                 Messages by category            %s
                 Estimated cost                  %s   %s
                 Status webhooks received        %d   (sent, delivered, read from the sandbox)
                 Satisfaction surveys            %d sent, %d delivered, %d answered   (scores %s)
                 CSAT                            %s   (answers of 4 or 5 / answers; survey-service answers: %d)
                 Survey response rate            %s   (answers / delivered surveys)
                 Every number above is read from the services' /actuator/prometheus.
                ============================================================================================
                """.formatted(
                        windowLength.toSeconds(),
                        customerMessages,
                        windowsOpened,
                        windowEventsOpened,
                        windowsClosed,
                        windowsClosedReplied,
                        windowsExpiredWhileWaiting,
                        percent(responseRate()),
                        seconds(firstResponseP50),
                        seconds(firstResponseP90),
                        firstResponses,
                        summaryP50 == null ? "n/a" : seconds(summaryP50),
                        summaryP90 == null ? "n/a" : seconds(summaryP90),
                        sends,
                        rejections(),
                        counts(rejectionsByReason),
                        counts(messagesByCategory),
                        money(totalCost()),
                        costByCategory.entrySet().stream()
                                .map(e -> e.getKey() + " " + money(e.getValue()))
                                .collect(Collectors.joining(", ", "(", ")")),
                        statusesReceived,
                        surveysSent,
                        surveysDelivered,
                        surveysAnswered,
                        counts(surveyScores).replace("(", "").replace(")", ""),
                        percent(csat()),
                        surveyAnswersRecorded,
                        percent(surveyResponseRate()));
    }

    private String money(double amount) {
        return String.format(Locale.ROOT, "%.4f %s", amount, currency);
    }

    private static String counts(Map<String, Long> counts) {
        return counts.isEmpty()
                ? "(none)"
                : counts.entrySet().stream()
                        .map(e -> e.getKey() + " " + e.getValue())
                        .collect(Collectors.joining(", ", "(", ")"));
    }

    private static String percent(double ratio) {
        return Double.isNaN(ratio) ? "n/a" : String.format(Locale.ROOT, "%.1f %%", ratio * 100);
    }

    private static String seconds(double value) {
        return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%.1f s", value);
    }
}
