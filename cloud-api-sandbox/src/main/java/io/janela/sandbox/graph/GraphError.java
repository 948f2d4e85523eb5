package io.janela.sandbox.graph;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Graph API error, answered in Meta's envelope (WHATSAPP.md §4.5):
 *
 * <pre>{@code {"error": {"message": "(#131056) ...", "type": "OAuthException", "code": 131056,
 *   "error_data": {"messaging_product": "whatsapp", "details": "..."}, "error_subcode": 2494055,
 *   "fbtrace_id": "..."}}}</pre>
 *
 * Clients must branch on {@code code} (and {@code error_data.details}); the HTTP status is what Meta most often
 * answers with for that code.
 */
public record GraphError(int httpStatus, int code, Integer subcode, String type, String title, String details) {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** The envelope as a JSON-ready map. */
    public Map<String, Object> body() {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", "(#" + code + ") " + title);
        error.put("type", type);
        error.put("code", code);
        if (details != null) {
            error.put("error_data", Map.of("messaging_product", "whatsapp", "details", details));
        }
        if (subcode != null) {
            error.put("error_subcode", subcode);
        }
        error.put("fbtrace_id", traceId());
        return Map.of("error", error);
    }

    /** The error object as status webhooks carry it in {@code statuses[].errors[]}. */
    public Map<String, Object> webhookError() {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("title", title);
        error.put("message", title);
        error.put("error_data", Map.of("details", details == null ? title : details));
        error.put("href", "/documentation/business-messaging/whatsapp/support/error-codes");
        return error;
    }

    /** An error of a code, with Meta's usual title and HTTP status for it. */
    public static GraphError of(int code, String details) {
        return new GraphError(httpStatusOf(code), code, null, "OAuthException", titleOf(code), details);
    }

    /** The same, answered with another HTTP status. */
    public GraphError withHttpStatus(int status) {
        return new GraphError(status, code, subcode, type, title, details);
    }

    public static GraphError invalidParameter(String details) {
        return new GraphError(400, 100, null, "OAuthException", "Invalid parameter", details);
    }

    public static GraphError unknownObject(String id) {
        return unknownObject(id, "post");
    }

    /** Meta's answer to a request ({@code method}: get, post) for an object it does not know. */
    public static GraphError unknownObject(String id, String method) {
        return new GraphError(
                400,
                100,
                33,
                "GraphMethodException",
                "Unsupported " + method + " request. Object with ID '" + id + "' does not exist, cannot be loaded due"
                        + " to missing permissions, or does not support this operation",
                null);
    }

    /** Meta's answer to {@code fields} naming a field the node does not have. */
    public static GraphError nonexistingField(String field, String nodeType) {
        return new GraphError(
                400,
                100,
                null,
                "OAuthException",
                "Tried accessing nonexisting field (" + field + ") on node type (" + nodeType + ")",
                null);
    }

    public static GraphError invalidToken() {
        return new GraphError(
                401, 190, null, "OAuthException", "Error validating access token", "The access token is invalid.");
    }

    static int httpStatusOf(int code) {
        return switch (code) {
            case 190, 0 -> 401;
            case 10, 200, 131005 -> 403;
            case 1, 2, 131000, 131016 -> 500;
            default -> 400;
        };
    }

    static String titleOf(int code) {
        return switch (code) {
            case 1 -> "An unknown error occurred";
            case 2 -> "Service temporarily unavailable";
            case 4 -> "Application request limit reached";
            case 80007 -> "Rate limit issues";
            case 130429 -> "Rate limit hit";
            case 130472 -> "User's number is part of an experiment";
            case 131000 -> "Something went wrong";
            case 131016 -> "Service unavailable";
            case 131026 -> "Message undeliverable";
            case 131031 -> "Account has been locked";
            case 131047 -> "Re-engagement message";
            case 131049 -> "This message was not delivered to maintain healthy ecosystem engagement.";
            case 131050 ->
                "Unable to deliver the message. This recipient has chosen to stop receiving marketing"
                        + " messages on WhatsApp from your business";
            case 131056 -> "(Business Account, Consumer Account) pair rate limit hit";
            case 131057 -> "Account in maintenance mode";
            case 131060 -> "Message unavailable";
            case 131062 -> "BSUID recipients are not supported for this message";
            case 131063 -> "Marketing template messages are disabled for Cloud API on this account";
            case 131064 -> "Messaging limit reached due to template classification violations";
            case 130497 -> "Business account is restricted from messaging users in this country";
            case 147001 -> "Username not available";
            case 132000 -> "Number of parameters does not match the expected number of params";
            case 132001 -> "Template name does not exist in the translation";
            case 132015 -> "Template is Paused";
            case 132016 -> "Template is Disabled";
            case 368 -> "Temporarily blocked for policies violations";
            default -> "Error " + code;
        };
    }

    private static String traceId() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
