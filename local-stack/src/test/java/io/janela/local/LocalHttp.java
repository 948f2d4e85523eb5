package io.janela.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The HTTP calls test drivers make to a local stack (readiness, Prometheus scrapes, the sandbox's control API), with
 * short timeouts and no exception for a service that is down: what the fault scenarios and the end-to-end benchmark
 * share.
 */
public final class LocalHttp {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private LocalHttp() {}

    /** The body of a GET of {@code url} that answered 200 within {@code timeout}; null otherwise (down, other status). */
    public static String bodyOrNull(String url, Duration timeout) {
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout).build());
    }

    /** Whether a GET of {@code url} answers 200 within 2 s. */
    public static boolean answers200(String url) {
        return bodyOrNull(url, Duration.ofSeconds(2)) != null;
    }

    /** PUTs {@code json} to {@code url}; whether it answered 2xx. */
    public static boolean putJson(String url, String json) {
        HttpResponse<String> response = exchange(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json))
                .build());
        return response != null && response.statusCode() / 100 == 2;
    }

    private static String send(HttpRequest request) {
        HttpResponse<String> response = exchange(request);
        return response != null && response.statusCode() == 200 ? response.body() : null;
    }

    private static HttpResponse<String> exchange(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
