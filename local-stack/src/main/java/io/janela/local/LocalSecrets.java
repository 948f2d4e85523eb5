package io.janela.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The local stack's stand-ins for the secrets production takes from a vault: the Meta app secret that signs webhooks
 * (shared by the sandbox, which signs, and ingress, which verifies), the verification token, and a Graph API access
 * token. They are made at random on the first start and kept in the data directory (owner-only), laid out the way
 * the services read secrets in production: ingress from a folder of one file per property, dispatch from a token file.
 */
record LocalSecrets(String appSecret, String verifyToken, Path ingressSecretsDirectory, Path accessTokenFile) {

    static LocalSecrets loadOrCreate(Path dataDirectory) {
        Path secrets = dataDirectory.resolve("secrets");
        Path ingress = secrets.resolve("ingress");
        String appSecret = readOrCreate(ingress.resolve("janela.ingress.app-secrets"));
        String verifyToken = readOrCreate(ingress.resolve("janela.ingress.verify-token"));
        Path accessToken = secrets.resolve("dispatch").resolve("access-token");
        readOrCreate(accessToken);
        return new LocalSecrets(appSecret, verifyToken, ingress, accessToken);
    }

    private static String readOrCreate(Path file) {
        try {
            if (Files.exists(file)) {
                return Files.readString(file, StandardCharsets.UTF_8).strip();
            }
            Files.createDirectories(file.getParent());
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            String value = "local-" + HexFormat.of().formatHex(random);
            Files.writeString(file, value, StandardCharsets.UTF_8);
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            }
            return value;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep a local secret in " + file, e);
        }
    }

    @Override
    public String toString() {
        return "LocalSecrets[redacted]";
    }
}
