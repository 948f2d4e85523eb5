package io.janela.local.faults;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.UnaryOperator;

/**
 * Posts signed {@code messages} webhooks, one new contact each, the way Meta delivers them: every answer other than 200
 * (a 503, a refused connection, a timeout) is retried, at once and then with a growing pause ({@link #FIRST_RETRY}
 * doubling to {@link #MAX_RETRY}), until it gets its 200 or the sender is closed. It keeps, per webhook, whether and
 * when it was accepted.
 */
final class MetaLikeSender implements AutoCloseable {

    static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    static final Duration MAX_RETRY = Duration.ofSeconds(8);

    /** One webhook: a customer message from a contact never seen before. */
    record Webhook(String messageId, String phoneNumberId, String userId, String waId, String body) {

        String contactKey() {
            return phoneNumberId + ":" + userId;
        }
    }

    private final String url;
    private final UnaryOperator<String> signer;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "webhook-retries");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, Webhook> sent = new ConcurrentHashMap<>();
    private final Map<String, Long> acceptedAt = new ConcurrentHashMap<>();
    /** Each 200: when its POST went out and when its answer was handled (both nanoTime). */
    private final ConcurrentLinkedQueue<long[]> answers200 = new ConcurrentLinkedQueue<>();

    private final AtomicLong posts = new AtomicLong();
    private final AtomicLong unavailable = new AtomicLong();
    private final AtomicLong otherStatus = new AtomicLong();
    private final AtomicLong failedRequests = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();

    MetaLikeSender(String url, UnaryOperator<String> signer) {
        this.url = url;
        this.signer = signer;
    }

    /** A webhook for contact {@code index} of run {@code run}: a text from a new user id, dated now. */
    static Webhook newContact(String phoneNumberId, String run, long index) {
        String userId = "BR.fault" + run + "x" + index;
        String waId = String.format(Locale.ROOT, "55219%08d", index % 100_000_000);
        String messageId = "wamid.fault-" + run + "-" + index;
        String body = ("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"200000000000001\",\"changes\":"
                        + "[{\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":"
                        + "\"15550000001\",\"phone_number_id\":\"%s\"},\"contacts\":[{\"profile\":{\"name\":\"Fault\"},"
                        + "\"wa_id\":\"%s\",\"user_id\":\"%s\"}],\"messages\":[{\"from\":\"%s\",\"from_user_id\":"
                        + "\"%s\",\"id\":\"%s\",\"timestamp\":\"%d\",\"type\":\"text\",\"text\":"
                        + "{\"body\":\"Hello, is my order on its way?\"}}]},\"field\":\"messages\"}]}]}")
                .formatted(
                        phoneNumberId,
                        waId,
                        userId,
                        waId,
                        userId,
                        messageId,
                        Instant.now().getEpochSecond());
        return new Webhook(messageId, phoneNumberId, userId, waId, body);
    }

    /**
     * Posts at least {@code count} new contacts at {@code perSecond}, from this thread, and goes on while {@code more}
     * says so (a scenario's faults are not over yet); {@code onProgress} is told each index before its webhook goes
     * (a scenario uses it to time its faults).
     */
    void send(
            String phoneNumberId,
            String run,
            int count,
            int perSecond,
            java.util.function.IntConsumer onProgress,
            java.util.function.BooleanSupplier more) {
        long interval = 1_000_000_000L / perSecond;
        long next = System.nanoTime();
        for (int i = 0; (i < count || more.getAsBoolean()) && !closed.get(); i++) {
            long now = System.nanoTime();
            if (now < next) {
                LockSupport.parkNanos(next - now);
            }
            next += interval;
            onProgress.accept(i);
            Webhook webhook = newContact(phoneNumberId, run, i);
            sent.put(webhook.messageId(), webhook);
            post(webhook, 0);
        }
    }

    private void post(Webhook webhook, int attempt) {
        if (closed.get()) {
            return;
        }
        posts.incrementAndGet();
        long sentAt = System.nanoTime();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .header("X-Hub-Signature-256", signer.apply(webhook.body()))
                .POST(HttpRequest.BodyPublishers.ofString(webhook.body()))
                .build();
        http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
            if (failure == null && response.statusCode() == 200) {
                long now = System.nanoTime();
                answers200.add(new long[] {sentAt, now});
                acceptedAt.putIfAbsent(webhook.messageId(), now);
                return;
            }
            if (failure != null) {
                failedRequests.incrementAndGet();
            } else if (response.statusCode() == 503) {
                unavailable.incrementAndGet();
            } else {
                otherStatus.incrementAndGet();
            }
            long pause = attempt == 0
                    ? 0
                    : Math.min(FIRST_RETRY.toMillis() << Math.min(attempt - 1, 10), MAX_RETRY.toMillis());
            if (!closed.get()) {
                retries.schedule(() -> post(webhook, attempt + 1), pause, TimeUnit.MILLISECONDS);
            }
        });
    }

    /** Waits until every webhook sent so far got its 200, or {@code timeout}; whether they all did. */
    boolean awaitAllAccepted(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (acceptedAt.size() == sent.size()) {
                return true;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
        return acceptedAt.size() == sent.size();
    }

    /**
     * When the first 200 to a POST sent at or after {@code nanoTime} was handled, if any. Only POSTs sent after it
     * count: under load the answers of earlier POSTs (to a server that is gone since) can be handled seconds late.
     */
    java.util.OptionalLong firstAcceptedAfter(long nanoTime) {
        return answers200.stream()
                .filter(answer -> answer[0] >= nanoTime)
                .mapToLong(answer -> answer[1])
                .min();
    }

    /** Webhooks accepted (each counted once, however many times it was posted) before {@code nanoTime}. */
    List<Webhook> acceptedBefore(long nanoTime) {
        return acceptedAt.entrySet().stream()
                .filter(e -> e.getValue() < nanoTime)
                .map(e -> sent.get(e.getKey()))
                .toList();
    }

    List<Webhook> sent() {
        return List.copyOf(sent.values());
    }

    List<Webhook> accepted() {
        return acceptedAt.keySet().stream().map(sent::get).toList();
    }

    int attempted() {
        return sent.size();
    }

    int acceptedCount() {
        return acceptedAt.size();
    }

    int withoutOutcome() {
        return sent.size() - acceptedAt.size();
    }

    /** POSTs made, retries included. */
    long posts() {
        return posts.get();
    }

    long unavailableAnswers() {
        return unavailable.get();
    }

    long otherAnswers() {
        return otherStatus.get();
    }

    long failedRequests() {
        return failedRequests.get();
    }

    @Override
    public void close() {
        closed.set(true);
        retries.shutdownNow();
    }

    /** Counts for a report line. */
    String summary() {
        return String.format(
                Locale.ROOT,
                "webhooks attempted %d, accepted %d, without outcome %d; POSTs %d (503 %d, other non-200 %d,"
                        + " failed connections/timeouts %d)",
                attempted(),
                acceptedCount(),
                withoutOutcome(),
                posts(),
                unavailableAnswers(),
                otherAnswers(),
                failedRequests());
    }
}
