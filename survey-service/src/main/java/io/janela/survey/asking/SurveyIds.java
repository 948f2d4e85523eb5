package io.janela.survey.asking;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;

/**
 * Survey ids, deterministic from what triggered the survey so that reprocessing (and a redelivered resolution) gives
 * the same id: 22 characters of base64url (128 bits of SHA-256), no colon, short enough for a list row id (Meta:
 * ≤ 200 characters) with its prefix and score. Request ids are {@code survey:{surveyId}}.
 */
final class SurveyIds {

    static final String REQUEST_PREFIX = "survey:";

    private SurveyIds() {}

    /** A resolution's survey: by its resolution id, or, without one, by its contact and time. */
    static String forResolution(String contactKey, String resolutionId, Instant resolvedAt) {
        return hash(
                resolutionId != null
                        ? "resolution|" + contactKey + "|" + resolutionId
                        : "resolution-at|" + contactKey + "|" + resolvedAt.toEpochMilli());
    }

    /** The window policy's survey of one window. */
    static String forWindow(String contactKey, Instant windowOpenedAt) {
        return hash("window|" + contactKey + "|" + windowOpenedAt.toEpochMilli());
    }

    static String requestId(String surveyId) {
        return REQUEST_PREFIX + surveyId;
    }

    /** The survey id a request id (or a status's callback data) names, or null. */
    static String fromRequestId(String requestId) {
        return requestId != null && requestId.startsWith(REQUEST_PREFIX)
                ? requestId.substring(REQUEST_PREFIX.length())
                : null;
    }

    private static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(digest, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
