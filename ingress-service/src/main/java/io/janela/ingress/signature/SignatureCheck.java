package io.janela.ingress.signature;

/**
 * The result of checking {@code X-Hub-Signature-256} against a body.
 *
 * @param outcome what was found
 * @param secretIndex for {@link Outcome#VALID}, the position of the app secret that signed the body in the configured
 *     list (it tells an operator rotating secrets when the old one is no longer used); -1 otherwise
 */
public record SignatureCheck(Outcome outcome, int secretIndex) {

    public enum Outcome {
        /** Signed by one of the configured app secrets. */
        VALID,
        /** No {@code X-Hub-Signature-256} header. */
        MISSING,
        /** A header that is not {@code sha256=<64 hex digits>}. */
        MALFORMED,
        /** A well-formed signature that none of the app secrets produces for this body. */
        MISMATCH
    }

    static final SignatureCheck MISSING = new SignatureCheck(Outcome.MISSING, -1);
    static final SignatureCheck MALFORMED = new SignatureCheck(Outcome.MALFORMED, -1);
    static final SignatureCheck MISMATCH = new SignatureCheck(Outcome.MISMATCH, -1);

    static SignatureCheck valid(int secretIndex) {
        return new SignatureCheck(Outcome.VALID, secretIndex);
    }

    public boolean isValid() {
        return outcome == Outcome.VALID;
    }
}
