package io.janela.dispatch.graph;

/** A Graph API call other than a send failed. */
public final class GraphApiException extends RuntimeException {

    private final int httpStatus;
    private final transient GraphError error;

    public GraphApiException(int httpStatus, GraphError error, String message) {
        super(message);
        this.httpStatus = httpStatus;
        this.error = error;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** The Graph error, or null when the answer was not one. */
    public GraphError error() {
        return error;
    }
}
