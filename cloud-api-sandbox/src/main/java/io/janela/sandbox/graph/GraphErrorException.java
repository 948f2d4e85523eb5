package io.janela.sandbox.graph;

/** Ends handling of a request with a Graph API error. */
public final class GraphErrorException extends RuntimeException {

    private final transient GraphError error;

    public GraphErrorException(GraphError error) {
        super("(#" + error.code() + ") " + error.title(), null, false, false);
        this.error = error;
    }

    public GraphError error() {
        return error;
    }
}
