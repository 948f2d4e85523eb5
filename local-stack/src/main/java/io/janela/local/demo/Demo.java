package io.janela.local.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.janela.avro.ConversationResolution;
import io.janela.avro.DispatchResult;
import io.janela.local.outbound.OutboundJson;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * A day at a shop, squeezed into about a minute by a shortened customer service window: customers write (two of them
 * from a click-to-WhatsApp ad), a bot answers some at once, agents answer others late, two are never answered; a
 * campaign sends marketing and utility templates, one of them to a customer who stopped marketing messages, one with a
 * missing parameter; a free-form message to someone who never wrote is refused; an agent's message after a window
 * closed goes out as its fallback template. Four conversations are resolved; the survey-service asks each customer's
 * satisfaction, three of them tap a score (5, 4, 2) and one never answers. The sandbox answers every send and posts
 * the statuses back. At the end the numbers are read from the services' {@code /actuator/prometheus} and printed.
 *
 * <p>Every contact is new on each run (random numbers), and the numbers are the difference between a scrape before
 * and one after, so a demo can be played again against the same stack.
 */
public final class Demo {

    /** What the scenario fixes, whatever the machine's speed. */
    public record Expected(
            long customerMessages,
            long windowsOpened,
            long windowsClosedReplied,
            long windowsClosedUnreplied,
            long firstResponses,
            long sends,
            Map<String, Long> rejectionsByReason,
            Map<String, Long> messagesByCategory,
            long surveys,
            Map<String, Long> surveyScores) {

        public long windowsClosed() {
            return windowsClosedReplied + windowsClosedUnreplied;
        }

        public long surveyAnswers() {
            return surveyScores.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /**
     * Eight customer messages and three survey answers (a tap on the survey list each); nine requests of the scenario
     * and four surveys (interactive lists, service messages) sent.
     */
    public static final Expected EXPECTED = new Expected(
            11,
            7,
            5,
            2,
            5,
            13,
            Map.of("marketing_opted_out", 1L, "template_parameters_mismatch", 1L, "window_closed", 1L),
            Map.of("service", 9L, "marketing", 1L, "utility", 3L),
            4,
            Map.of("5", 1L, "4", 1L, "2", 1L));

    private static final String AD_REFERRAL = """
            {"source_url": "https://fb.me/3cr4Wqqkv", "source_id": "120226305854810726", "source_type": "ad",
             "body": "Summer sale: 30% off every jacket", "headline": "Chat with us", "media_type": "image",
             "image_url": "https://scontent.xx.fbcdn.net/v/t45.1600-4/ad-image.jpg",
             "ctwa_clid": "ARAkLkA8rmlFeiCktEJQ-QTwRiyYHAFDLMNDBH0CD3qpjd0HR4irJ6LEkR7JwFF4XvnO2E4Nx0",
             "welcome_message": {"text": "Hi! How can we help you with the summer sale?"}}""";

    private final DemoTarget target;
    private final Consumer<String> narrator;
    private final String run =
            String.format(Locale.ROOT, "%06d", ThreadLocalRandom.current().nextInt(1_000_000));
    private final List<String> requestIds = new ArrayList<>();
    private Instant start;
    private Scenes scenes;

    public Demo(DemoTarget target) {
        this(target, System.out::println);
    }

    public Demo(DemoTarget target, Consumer<String> narrator) {
        this.target = target;
        this.narrator = narrator;
    }

    /**
     * A contact: profile name, phone number (E.164), business-scoped user id, and whether the business knows the user
     * id (it learns it from the contact's webhooks; campaign targets who never wrote are known by phone number only).
     */
    record Contact(String name, String phone, String userId, boolean knownByUserId) {

        String waId() {
            return phone.substring(1);
        }

        Contact byPhoneOnly() {
            return new Contact(name, phone, userId, false);
        }
    }

    public DemoSummary play() {
        Contact ana = contact("Ana", 1);
        Contact bruno = contact("Bruno", 2);
        Contact carla = contact("Carla", 3);
        Contact diego = contact("Diego", 4);
        Contact eva = contact("Eva", 5);
        Contact fabio = contact("Fabio", 6);
        Contact gabi = contact("Gabi", 7);
        Contact hugo = contact("Hugo", 8).byPhoneOnly();
        Contact iris = contact("Iris", 9);
        Contact jonas = contact("Jonas", 10).byPhoneOnly();
        Contact kim = contact("Kim", 11).byPhoneOnly();

        Map<String, PrometheusText> before = scrapeAll();
        Duration window = target.windowLength();
        try (DispatchResultsWatch results = new DispatchResultsWatch(target.bootstrapServers(), target.registryUrl())) {
            results.awaitAssigned(Duration.ofSeconds(60));
            TemplateCatalogWatch.awaitTemplates(
                    target.bootstrapServers(),
                    Set.of(
                            target.wabaId() + ":seasonal_promotion:en_US",
                            target.wabaId() + ":order_confirmation:en_US",
                            target.wabaId() + ":" + SURVEY_TEMPLATE + ":en_US"),
                    Duration.ofSeconds(90));
            start = Instant.now();
            say("The demo starts: customer service window " + window.toSeconds() + " s (Meta's is 24 h)");

            writes(ana, "Hi, where is my order 4711?", false);
            writes(bruno, "I saw your ad: is it still on sale?", true);
            writes(carla, "Do you have the jacket in blue?", true);
            writes(diego, "My package arrived damaged.", false);
            writes(eva, "Can I change my delivery address?", false);
            writes(fabio, "Is the store open on Sunday?", false);
            writes(gabi, "Hello?", false);
            stopsMarketing(iris);
            for (Contact customer : List.of(ana, bruno, carla, diego, eva, fabio, gabi)) {
                awaitWindow(customer, true);
            }
            say("Seven windows are open (Bruno and Carla came from an ad: a free entry point if answered)");

            answers(ana, "BOT", "Your order 4711 ships today.");
            answers(bruno, "BOT", "Yes, 30% off until Sunday!");
            resolves(ana, "order 4711", "bot-orders");
            resolves(bruno, "summer sale", "bot-sales");
            template(hugo, "CAMPAIGN", marketing("Hugo"), "campaign: marketing template to Hugo, who never wrote");
            template(iris, "CAMPAIGN", marketing("Iris"), "campaign: marketing template to Iris, who opted out");
            template(jonas, "SYSTEM", utility("Jonas", "4712"), "utility template to Jonas, who never wrote");
            template(ana, "SYSTEM", utility("Ana", "4711"), "utility template to Ana, inside her window");
            ObjectNode missing = marketing("Kim");
            ((ObjectNode) missing.get("parameters")).remove("season");
            template(kim, "CAMPAIGN", missing, "campaign: marketing template to Kim with a parameter missing");
            text(kim, "AGENT", "Hello Kim!", null);
            say("agent: free-form message to Kim, who never wrote (no window, no fallback)");
            rates(ana, "5");
            rates(bruno, "4");

            at(Duration.ofSeconds(5));
            writes(gabi, "Anyone there? I need help with a refund.", false);
            at(Duration.ofSeconds(6));
            answers(gabi, "BOT", "Sorry for the wait: refunds take 3 days.");
            resolves(gabi, "refund 982", "bot-refunds");
            rates(gabi, "2");
            at(Duration.ofSeconds(12));
            answers(diego, "AGENT", "So sorry! A replacement is on its way.");
            resolves(diego, "replacement 5531", "agent-7");
            say("Diego will never answer his survey");
            at(Duration.ofSeconds(18));
            answers(carla, "AGENT", "Yes, in blue too, size M to XL.");
            say("Eva and Fabio are never answered; waiting for the windows to close");

            awaitWindow(fabio, false);
            text(fabio, "AGENT", "Sorry we missed you: yes, 10am to 4pm.", utility("Fabio", "0"));
            say("agent: free-form message to Fabio after his window closed, with a fallback template");

            Map<String, DispatchResult> outcomes =
                    results.awaitOutcomes(requestIds, window.plus(Duration.ofMinutes(2)));
            say("Dispatch answered all " + requestIds.size() + " requests; waiting for the metrics to settle");
            DemoSummary summary = awaitNumbers(before, window.plus(Duration.ofMinutes(2)));
            say(outcomeLine(outcomes, requestIds));
            scenes = callRestrictionAndTemplateSurvey(results, contact("Lia", 12), eva, contact("Mia", 13));
            return summary;
        }
    }

    /**
     * What the scenes after the numbers showed (they come after the last scrape, so the summary's counts are those of
     * the scenario above): a customer's call opened a window that a free-form reply then used; a survey asked after
     * the customer's window had closed went as the utility survey template; a restricted account refused a template
     * before any call to Meta.
     *
     * @param callReply the outcome of the free-form reply to the customer who called
     * @param callReplyFallback whether that reply went as a fallback template (it must not: the call opened the window)
     * @param survey the outcome of the out-of-window survey
     * @param surveyTemplate the template the out-of-window survey went as, null if none
     * @param restricted the outcome of the template sent while the account was restricted
     * @param restriction the restriction dispatch named
     */
    public record Scenes(
            String callReply,
            boolean callReplyFallback,
            String survey,
            String surveyTemplate,
            String restricted,
            String restriction) {}

    /** The scenes after the numbers, once {@link #play()} has returned. */
    public Scenes scenes() {
        return scenes;
    }

    /** The survey template the local stack configures for the survey-service (WHATSAPP.md §11.5: it names the order). */
    public static final String SURVEY_TEMPLATE = "satisfaction_survey";

    private Scenes callRestrictionAndTemplateSurvey(
            DispatchResultsWatch results, Contact lia, Contact eva, Contact mia) {
        Duration timeout = Duration.ofSeconds(60);
        // Eva's window closed unanswered long ago: her survey can only go as the utility template.
        resolves(eva, "address change 3307", "agent-3");
        StackHttp.Answer call = StackHttp.postJson(
                target.sandboxUrl() + "/sandbox/customer-calls",
                Map.of(
                        "phoneNumberId", target.phoneNumberId(),
                        "waId", lia.waId(),
                        "userId", lia.userId(),
                        "name", lia.name()));
        if (call.status() != 200) {
            throw new IllegalStateException("the sandbox could not post Lia's call: " + call.status());
        }
        say("Lia calls the business (a calls webhook, no message)");
        awaitWindow(lia, true);
        say("Lia's call opened a window");
        text(lia, "AGENT", "Thanks for calling! Your exchange is booked for Monday.", null);
        DispatchResult reply =
                results.awaitOutcomes(List.of(requestIds.getLast()), timeout).get(requestIds.getLast());
        say("agent: free-form reply to Lia inside the window her call opened: " + outcome(reply));

        DispatchResult survey = results.awaitOutcome(
                "Eva's survey to be sent",
                result -> result.getSurveyId() != null && eva.userId().equals(result.getContactId()),
                timeout);
        say("Eva's survey went as the utility template " + survey.getTemplateName() + " (her window had closed): "
                + outcome(survey));

        long expiration = Instant.now().plus(Duration.ofHours(1)).getEpochSecond();
        accountRestriction(
                List.of(Map.of("restriction_type", "RESTRICTED_BIZ_INITIATED_MESSAGING", "expiration", expiration)));
        say("Meta restricts the account from business-initiated messages for an hour (an account_update webhook)");
        DispatchResult refused = null;
        // Dispatch reads restrictions as a global table: until it has this one, a template still goes (and is
        // counted nowhere above, the numbers are taken).
        for (int attempt = 0; attempt < 20 && (refused == null || refused.getReason() == null); attempt++) {
            template(mia, "CAMPAIGN", utility("Mia", "4713"), "utility template to Mia, who never wrote");
            refused = results.awaitOutcomes(List.of(requestIds.getLast()), timeout)
                    .get(requestIds.getLast());
            if (refused.getReason() == null) {
                Waits.pause(Duration.ofMillis(300));
            }
        }
        say("dispatch refused it before calling Meta: " + outcome(refused) + " (" + refused.getRestriction() + " until "
                + refused.getRetryAfter() + ")");
        accountRestriction(List.of());
        say("Meta lifts the restriction (an ACCOUNT_RESTRICTION without restriction_info)");
        return new Scenes(
                outcome(reply),
                reply.getFallbackUsed(),
                outcome(survey),
                survey.getFallbackUsed() ? survey.getTemplateName() : null,
                outcome(refused),
                String.valueOf(refused.getRestriction()));
    }

    private void accountRestriction(List<Map<String, Object>> restrictions) {
        StackHttp.Answer answer = StackHttp.postJson(
                target.sandboxUrl() + "/sandbox/account-events",
                Map.of(
                        "field", "account_update",
                        "phoneNumberId", target.phoneNumberId(),
                        "value", Map.of("event", "ACCOUNT_RESTRICTION", "restriction_info", restrictions)));
        if (answer.status() != 200) {
            throw new IllegalStateException("the sandbox could not post the account update: " + answer.status());
        }
    }

    private static String outcome(DispatchResult result) {
        return result.getOutcome() + (result.getReason() == null ? "" : " " + result.getReason());
    }

    private DemoSummary awaitNumbers(Map<String, PrometheusText> before, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            DemoSummary summary = summarise(before, scrapeAll());
            boolean settled = summary.windowsClosed() >= EXPECTED.windowsClosed()
                    && summary.firstResponses() >= EXPECTED.firstResponses()
                    && summary.messagesByCategory().values().stream()
                                    .mapToLong(Long::longValue)
                                    .sum()
                            >= EXPECTED.sends()
                    && summary.statusesReceived() >= 3 * EXPECTED.sends()
                    && summary.surveysDelivered() >= EXPECTED.surveys()
                    && summary.surveyAnswers() >= EXPECTED.surveyAnswers();
            if (settled || System.nanoTime() > deadline) {
                if (!settled) {
                    say("Not every number arrived in time: printing what the services show now");
                }
                return summary;
            }
            Waits.pause(Duration.ofMillis(500));
        }
    }

    private DemoSummary summarise(Map<String, PrometheusText> before, Map<String, PrometheusText> after) {
        PrometheusText ingress = after.get("ingress").minus(before.get("ingress"));
        PrometheusText window = after.get("window").minus(before.get("window"));
        PrometheusText dispatch = after.get("dispatch").minus(before.get("dispatch"));
        PrometheusText metrics = after.get("metrics").minus(before.get("metrics"));
        String pn = target.phoneNumberId();
        Map<String, Long> rejections = new LinkedHashMap<>();
        dispatch.sumBy(
                        "janela_dispatch_decisions_total",
                        "reason",
                        s -> s.label("outcome").equals("rejected"))
                .forEach((reason, count) -> {
                    if (count > 0) {
                        rejections.put(reason, Math.round(count));
                    }
                });
        Map<String, Long> byCategory = new LinkedHashMap<>();
        metrics.sumBy(
                        "janela_messages_sent_total",
                        "category",
                        s -> s.label("phone_number_id").equals(pn))
                .forEach((category, count) -> {
                    if (count > 0) {
                        byCategory.put(category, Math.round(count));
                    }
                });
        Map<String, Double> cost = new LinkedHashMap<>();
        String[] currency = {"USD"};
        metrics.samples().stream()
                .filter(s -> s.name().equals("janela_messages_estimated_cost_total")
                        && s.label("phone_number_id").equals(pn))
                .forEach(s -> {
                    cost.merge(s.label("category"), s.value(), Double::sum);
                    currency[0] = s.label("currency");
                });
        PrometheusText survey = after.get("survey").minus(before.get("survey"));
        Map<String, Long> surveyScores = new LinkedHashMap<>();
        metrics.sumBy(
                        "janela_survey_responses_total",
                        "score",
                        s -> s.label("phone_number_id").equals(pn))
                .forEach((score, count) -> {
                    if (count > 0) {
                        surveyScores.put(score, Math.round(count));
                    }
                });
        JsonNode report = summaryReport();
        String firstResponse = "janela_first_response_time_seconds";
        return new DemoSummary(
                target.windowLength(),
                count(metrics.sum(
                        "janela_windows_opened_total",
                        s -> s.label("phone_number_id").equals(pn))),
                count(window.sum(
                        "janela_window_events_total", s -> s.label("type").equals("OPENED"))),
                count(metrics.sum(
                        "janela_windows_closed_total",
                        s -> s.label("phone_number_id").equals(pn))),
                count(metrics.sum(
                        "janela_windows_closed_total", s -> s.label("outcome").equals("replied"))),
                count(metrics.sum(
                        "janela_windows_closed_total",
                        s -> s.label("customer_waiting").equals("true"))),
                count(metrics.sum(firstResponse + "_count")),
                metrics.histogramQuantile(0.5, firstResponse, s -> true),
                metrics.histogramQuantile(0.9, firstResponse, s -> true),
                quantile(report, "p50Seconds"),
                quantile(report, "p90Seconds"),
                count(dispatch.sum(
                        "janela_dispatch_decisions_total",
                        s -> s.label("outcome").equals("send"))),
                rejections,
                byCategory,
                cost,
                currency[0],
                count(ingress.sum(
                        "janela_webhook_records_published_total",
                        s -> s.label("kind").equals("message_status"))),
                count(ingress.sum(
                        "janela_webhook_records_published_total",
                        s -> s.label("kind").equals("inbound_message"))),
                surveys(metrics, "sent"),
                surveys(metrics, "delivered"),
                surveys(metrics, "answered"),
                surveyScores,
                count(survey.sum(
                        "janela_survey_events_total", s -> s.label("kind").equals("answered"))));
    }

    private long surveys(PrometheusText metrics, String kind) {
        return count(metrics.sum(
                "janela_surveys_total",
                s -> s.label("phone_number_id").equals(target.phoneNumberId())
                        && s.label("kind").equals(kind)));
    }

    private JsonNode summaryReport() {
        Instant from = start.minus(Duration.ofMinutes(10));
        Instant to = Instant.now().plus(Duration.ofMinutes(10));
        return StackHttp.getJson(target.metricsUrl() + "/metrics/summary?phoneNumberId=" + target.phoneNumberId()
                        + "&from=" + from + "&to=" + to)
                .body();
    }

    private static Double quantile(JsonNode report, String field) {
        JsonNode value = report == null ? null : report.path("firstResponse").get(field);
        return value == null || !value.isNumber() ? null : value.asDouble();
    }

    private Map<String, PrometheusText> scrapeAll() {
        return Map.of(
                "ingress", StackHttp.scrape(target.ingressUrl()),
                "window", StackHttp.scrape(target.windowUrl()),
                "dispatch", StackHttp.scrape(target.dispatchUrl()),
                "metrics", StackHttp.scrape(target.metricsUrl()),
                "survey", StackHttp.scrape(target.surveyUrl()));
    }

    private void writes(Contact customer, String text, boolean fromAd) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("phoneNumberId", target.phoneNumberId());
        body.put("waId", customer.waId());
        body.put("userId", customer.userId());
        body.put("name", customer.name());
        body.put("text", text);
        if (fromAd) {
            body.put("referral", json(AD_REFERRAL));
        }
        StackHttp.Answer answer = StackHttp.postJson(target.sandboxUrl() + "/sandbox/customer-messages", body);
        if (answer.status() != 200) {
            throw new IllegalStateException("the sandbox could not post " + customer.name() + "'s message: "
                    + answer.status() + " " + answer.body());
        }
        say(customer.name() + " writes" + (fromAd ? " from a click-to-WhatsApp ad" : ""));
    }

    /** A company system says the conversation is resolved: the survey-service asks for a rating seconds later. */
    private void resolves(Contact customer, String reference, String agentId) {
        target.outbound()
                .publish(ConversationResolution.newBuilder()
                        .setResolutionId("demo-" + run + "-resolution-" + customer.name())
                        .setPhoneNumberId(target.phoneNumberId())
                        .setRecipientUserId(customer.userId())
                        .setRecipientPhoneNumber(customer.phone())
                        .setResolvedAt(Instant.now())
                        .setAgentId(agentId)
                        .setTeam("support")
                        .setReference(reference)
                        .setLanguage("en")
                        .build());
        say(customer.name() + "'s conversation is resolved (" + reference + ")");
    }

    /**
     * The customer taps a row of the survey list the sandbox received for them ({@code "5"} picks "5 - Excellent"),
     * as soon as it has arrived: the sandbox posts the reply with Meta's {@code context.id}, the survey's wamid.
     */
    private void rates(Contact customer, String score) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("phoneNumberId", target.phoneNumberId());
        body.put("waId", customer.waId());
        body.put("userId", customer.userId());
        body.put("choice", score);
        StackHttp.Answer[] answer = new StackHttp.Answer[1];
        Waits.until(customer.name() + "'s survey to arrive", Duration.ofSeconds(60), () -> {
            answer[0] = StackHttp.postJson(target.sandboxUrl() + "/sandbox/customer-replies", body);
            return answer[0].status() != 404;
        });
        if (answer[0].status() != 200) {
            throw new IllegalStateException("the sandbox could not post " + customer.name() + "'s rating: "
                    + answer[0].status() + " " + answer[0].body());
        }
        say(customer.name() + " rates " + score + " in the survey list");
    }

    private void stopsMarketing(Contact customer) {
        StackHttp.Answer answer = StackHttp.postJson(
                target.sandboxUrl() + "/sandbox/user-preferences",
                Map.of(
                        "phoneNumberId", target.phoneNumberId(),
                        "waId", customer.waId(),
                        "userId", customer.userId(),
                        "value", "stop"));
        if (answer.status() != 200) {
            throw new IllegalStateException("the sandbox could not post the opt-out: " + answer.status());
        }
        say(customer.name() + " stops marketing messages");
    }

    private void awaitWindow(Contact customer, boolean open) {
        String url = target.windowUrl() + "/windows/" + target.phoneNumberId() + "/" + customer.userId();
        Waits.until(
                customer.name() + "'s window to be " + (open ? "open" : "closed"),
                target.windowLength().plus(Duration.ofSeconds(90)),
                () -> {
                    StackHttp.Answer answer = StackHttp.getAnswer(url);
                    return answer.status() == 200 && answer.body().path("open").asBoolean() == open;
                });
        if (!open) {
            say(customer.name() + "'s window closed, unanswered");
        }
    }

    private void text(Contact to, String origin, String text, ObjectNode fallback) {
        ObjectNode request = request(to, origin);
        request.put("text", text);
        if (fallback != null) {
            request.set("fallbackTemplate", fallback);
        }
        publish(request);
    }

    private void answers(Contact customer, String origin, String text) {
        text(customer, origin, text, null);
        say(origin.toLowerCase(Locale.ROOT) + " answers " + customer.name());
    }

    private void template(Contact to, String origin, ObjectNode template, String narration) {
        ObjectNode request = request(to, origin);
        request.set("template", template);
        publish(request);
        say(narration);
    }

    private ObjectNode request(Contact to, String origin) {
        String requestId = "demo-" + run + "-" + (requestIds.size() + 1);
        requestIds.add(requestId);
        ObjectNode request = StackHttp.JSON.createObjectNode();
        request.put("requestId", requestId);
        request.put("to", to.phone());
        if (to.knownByUserId()) {
            request.put("userId", to.userId());
        }
        request.put("origin", origin);
        return request;
    }

    private void publish(ObjectNode request) {
        target.outbound().publish(OutboundJson.parse(request, target.phoneNumberId(), Instant.now()));
    }

    private static ObjectNode marketing(String firstName) {
        ObjectNode template = StackHttp.JSON.createObjectNode();
        template.put("name", "seasonal_promotion");
        template.put("language", "en_US");
        template.putObject("parameters").put("first_name", firstName).put("season", "summer");
        return template;
    }

    private static ObjectNode utility(String firstName, String order) {
        ObjectNode template = StackHttp.JSON.createObjectNode();
        template.put("name", "order_confirmation");
        template.put("language", "en_US");
        template.putArray("parameters").add(firstName).add(order);
        template.putArray("headerParameters").add(order);
        return template;
    }

    private Contact contact(String name, int index) {
        String digits = run + String.format(Locale.ROOT, "%02d", index);
        return new Contact(name, "+551199" + digits, "BR." + digits + "0" + name.length(), true);
    }

    private void at(Duration offset) {
        Waits.pause(Duration.between(Instant.now(), start.plus(offset)));
    }

    private void say(String line) {
        narrator.accept(String.format(
                Locale.ROOT,
                "[demo %5.1f s] %s",
                start == null ? 0.0 : Duration.between(start, Instant.now()).toMillis() / 1000.0,
                line));
    }

    private static String outcomeLine(Map<String, DispatchResult> outcomes, List<String> requestIds) {
        Map<String, Long> counts = new java.util.TreeMap<>();
        requestIds.stream()
                .map(outcomes::get)
                .forEach(result -> counts.merge(
                        result.getOutcome() + (result.getReason() == null ? "" : " " + result.getReason()),
                        1L,
                        Long::sum));
        return "Outcomes in whatsapp.dispatch-results: " + counts;
    }

    private static long count(double value) {
        return Math.round(value);
    }

    private static JsonNode json(String text) {
        try {
            return StackHttp.JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
