package io.janela.dispatch.graph;

/**
 * A Graph API error (WHATSAPP.md §4.5). Handling branches on {@code code} and {@code details}, never on the message
 * text, which Meta says will change.
 */
public record GraphError(int code, Integer subcode, String type, String message, String details, String fbtraceId) {

    /** A short description for logs and results: code, subcode and details; never a message body or token. */
    public String describe() {
        return "(#" + code + (subcode == null ? "" : "/" + subcode) + ") " + (details != null ? details : message);
    }
}
