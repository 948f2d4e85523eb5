package io.janela.ingress.signature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.janela.ingress.TestWebhooks;
import io.janela.ingress.signature.SignatureCheck.Outcome;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class SignatureVerifierTest {

    private static final String OLD_SECRET = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";
    private final SignatureVerifier verifier = new SignatureVerifier(List.of(TestWebhooks.APP_SECRET));
    private final byte[] body = TestWebhooks.load("messages/text.json");

    @Test
    void acceptsABodySignedWithTheAppSecret() {
        SignatureCheck check = verifier.verify(TestWebhooks.signature(body), body);

        assertThat(check.outcome()).isEqualTo(Outcome.VALID);
        assertThat(check.secretIndex()).isZero();
    }

    /**
     * Meta signs its own serialisation, which escapes non-ASCII characters (é as \u00e9, an emoji as a surrogate
     * pair) and slashes. The expected signature below was computed outside Janela (Python's hmac module) over the
     * file's bytes, as Meta computes it.
     */
    @Test
    void verifiesMetasEscapedUnicodeSerialisationOverTheBytesAsReceived() {
        byte[] escaped = TestWebhooks.load("signed/escaped-unicode.json");
        assertThat(new String(escaped, StandardCharsets.US_ASCII))
                .contains("\\u00e9", "\\ud83d\\ude9a", "https:\\/\\/");

        SignatureCheck check =
                verifier.verify("sha256=1acd8d5dc039d3df77a2d27813dda16853b1b0ed871d0ab91feb32ea50719b9e", escaped);

        assertThat(check.outcome()).isEqualTo(Outcome.VALID);
    }

    @Test
    void refusesTheSameContentOnceReserialised() {
        byte[] escaped = TestWebhooks.load("signed/escaped-unicode.json");
        String metasSignature = "sha256=1acd8d5dc039d3df77a2d27813dda16853b1b0ed871d0ab91feb32ea50719b9e";
        JsonMapper json = JsonMapper.builder().build();
        byte[] reserialised = json.writeValueAsBytes(json.readTree(escaped));
        assertThat(json.readTree(reserialised)).isEqualTo(json.readTree(escaped));

        assertThat(verifier.verify(metasSignature, reserialised).outcome()).isEqualTo(Outcome.MISMATCH);
    }

    @Test
    void acceptsEverySecretOfTheListWhileOneIsRotatedAndSaysWhichSigned() {
        SignatureVerifier rotating = new SignatureVerifier(List.of(TestWebhooks.APP_SECRET, OLD_SECRET));

        SignatureCheck signedWithNew = rotating.verify(TestWebhooks.signature(body), body);
        SignatureCheck signedWithOld = rotating.verify(TestWebhooks.signature(OLD_SECRET, body), body);

        assertThat(signedWithNew).isEqualTo(new SignatureCheck(Outcome.VALID, 0));
        assertThat(signedWithOld).isEqualTo(new SignatureCheck(Outcome.VALID, 1));
    }

    @Test
    void refusesASignatureMadeWithAnotherSecret() {
        assertThat(verifier.verify(TestWebhooks.signature(OLD_SECRET, body), body)
                        .outcome())
                .isEqualTo(Outcome.MISMATCH);
    }

    @Test
    void refusesABodyChangedAfterSigning() {
        String signature = TestWebhooks.signature(body);
        byte[] tampered = new String(body, StandardCharsets.UTF_8)
                .replace("another color", "another colour")
                .getBytes(StandardCharsets.UTF_8);

        assertThat(verifier.verify(signature, tampered).outcome()).isEqualTo(Outcome.MISMATCH);
    }

    @Test
    void refusesAMissingHeader() {
        assertThat(verifier.verify(null, body).outcome()).isEqualTo(Outcome.MISSING);
        assertThat(verifier.verify("", body).outcome()).isEqualTo(Outcome.MISSING);
        assertThat(verifier.rejectHeader(null)).contains(SignatureCheck.MISSING);
    }

    @Test
    void refusesHeadersThatAreNotSha256HexDigests() {
        String hex = TestWebhooks.signature(body).substring("sha256=".length());

        for (String header : List.of(
                hex, // no prefix
                "sha1=" + hex,
                "sha256=" + hex.substring(2), // too short
                "sha256=" + hex + "00", // too long
                "sha256=" + hex.substring(1) + "g")) { // not hex
            assertThat(verifier.verify(header, body).outcome()).as(header).isEqualTo(Outcome.MALFORMED);
            assertThat(verifier.rejectHeader(header)).as(header).contains(SignatureCheck.MALFORMED);
        }
    }

    @Test
    void readsUpperCaseHexAndPrefixAsTheSameDigest() {
        String signature = TestWebhooks.signature(body).toUpperCase(java.util.Locale.ROOT);

        assertThat(verifier.rejectHeader(signature)).isEmpty();
        assertThat(verifier.verify(signature, body).isValid()).isTrue();
    }

    @Test
    void verifiesAnEmptyBodyLikeAnyOther() {
        byte[] empty = new byte[0];

        assertThat(verifier.verify(TestWebhooks.signature(empty), empty).isValid())
                .isTrue();
    }

    @Test
    void needsAtLeastOneNonBlankSecret() {
        assertThatThrownBy(() -> new SignatureVerifier(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SignatureVerifier(List.of(" "))).isInstanceOf(IllegalArgumentException.class);
    }
}
