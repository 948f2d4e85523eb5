package io.janela.ingress.publish;

/** Builds {@link PublishResult}s for tests in other packages. */
public final class PublishResults {

    private PublishResults() {}

    public static PublishResult of(Throwable... failures) {
        return new PublishResult(failures.clone());
    }
}
