package io.janela.serde;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;

/**
 * The serde's settings, read from the same keys as Confluent's {@code kafka-avro-serializer} so that either serde
 * can be configured by one set of Kafka client properties.
 *
 * @param registryUrls {@code schema.registry.url}: comma-separated base URLs, or one {@code mock://<scope>}
 * @param autoRegisterSchemas {@code auto.register.schemas} (default true): the serializer registers the record's
 *     schema; when false it looks the schema up and fails if the registry does not have it
 * @param useLatestVersion {@code use.latest.version} (default false): write with the subject's latest version
 * @param latestCompatibilityStrict {@code latest.compatibility.strict} (default true): with {@code useLatestVersion},
 *     refuse a record whose schema the latest version cannot read
 * @param specificAvroReader {@code specific.avro.reader} (default false): deserialize into generated classes
 *     rather than {@code GenericRecord}s
 * @param basicAuthUserInfo {@code user:password}, from {@code basic.auth.user.info} when
 *     {@code basic.auth.credentials.source=USER_INFO}, or from the URL's user info when it is {@code URL} (default)
 * @param latestCacheTtl {@code latest.cache.ttl.sec} (default -1: forever); how long a latest version is trusted
 * @param connectTimeout {@code http.connect.timeout.ms} (default 10 s)
 * @param requestTimeout {@code http.read.timeout.ms} (default 30 s)
 */
public record AvroSerdeConfig(
        List<URI> registryUrls,
        boolean autoRegisterSchemas,
        boolean useLatestVersion,
        boolean latestCompatibilityStrict,
        boolean specificAvroReader,
        Optional<String> basicAuthUserInfo,
        Duration latestCacheTtl,
        Duration connectTimeout,
        Duration requestTimeout) {

    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    public static final String USE_LATEST_VERSION = "use.latest.version";
    public static final String LATEST_COMPATIBILITY_STRICT = "latest.compatibility.strict";
    public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
    /** Confluent's older name for {@link #BASIC_AUTH_USER_INFO}; still read. */
    public static final String SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO = "schema.registry.basic.auth.user.info";

    public static final String LATEST_CACHE_TTL_SEC = "latest.cache.ttl.sec";
    public static final String HTTP_CONNECT_TIMEOUT_MS = "http.connect.timeout.ms";
    public static final String HTTP_READ_TIMEOUT_MS = "http.read.timeout.ms";
    public static final String KEY_SUBJECT_NAME_STRATEGY = "key.subject.name.strategy";
    public static final String VALUE_SUBJECT_NAME_STRATEGY = "value.subject.name.strategy";

    /** The only subject naming this serde implements: {@code <topic>-key} and {@code <topic>-value}. */
    static final String TOPIC_NAME_STRATEGY = "io.confluent.kafka.serializers.subject.TopicNameStrategy";

    static final String MOCK_SCHEME = "mock";

    /** Reads the settings; a missing URL or an unsupported option is a {@link ConfigException} naming the key. */
    public static AvroSerdeConfig from(Map<String, ?> configs) {
        List<URI> urls = urls(configs.get(SCHEMA_REGISTRY_URL));
        rejectOtherSubjectStrategies(configs);
        String source = text(configs, BASIC_AUTH_CREDENTIALS_SOURCE, "URL").toUpperCase(Locale.ROOT);
        Optional<String> userInfo = switch (source) {
            case "URL" ->
                urls.stream()
                        .map(URI::getRawUserInfo)
                        .filter(info -> info != null && !info.isEmpty())
                        .findFirst()
                        .map(info -> URLDecoder.decode(info, StandardCharsets.UTF_8));
            case "USER_INFO" ->
                Optional.of(text(
                                configs, BASIC_AUTH_USER_INFO, text(configs, SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO, "")))
                        .filter(info -> !info.isEmpty());
            default ->
                throw new ConfigException(
                        BASIC_AUTH_CREDENTIALS_SOURCE, source, "supported sources are URL and USER_INFO");
        };
        long ttlSeconds = number(configs, LATEST_CACHE_TTL_SEC, -1);
        return new AvroSerdeConfig(
                urls.stream().map(AvroSerdeConfig::withoutUserInfo).toList(),
                bool(configs, AUTO_REGISTER_SCHEMAS, true),
                bool(configs, USE_LATEST_VERSION, false),
                bool(configs, LATEST_COMPATIBILITY_STRICT, true),
                bool(configs, SPECIFIC_AVRO_READER, false),
                userInfo,
                ttlSeconds < 0 ? null : Duration.ofSeconds(ttlSeconds),
                Duration.ofMillis(number(configs, HTTP_CONNECT_TIMEOUT_MS, 10_000)),
                Duration.ofMillis(number(configs, HTTP_READ_TIMEOUT_MS, 30_000)));
    }

    /** The scope of a {@code mock://} registry, if that is what the URL names. */
    public Optional<String> mockScope() {
        URI first = registryUrls.getFirst();
        return MOCK_SCHEME.equals(first.getScheme())
                ? Optional.of(first.getSchemeSpecificPart().replaceFirst("^//", ""))
                : Optional.empty();
    }

    private static List<URI> urls(Object value) {
        List<String> texts = switch (value) {
            case null -> List.of();
            case String text -> Arrays.asList(text.split(","));
            case Collection<?> items -> items.stream().map(String::valueOf).toList();
            default -> List.of(String.valueOf(value));
        };
        List<URI> urls = texts.stream()
                .map(String::trim)
                .filter(text -> !text.isEmpty())
                .map(text -> {
                    try {
                        return URI.create(text);
                    } catch (IllegalArgumentException e) {
                        throw new ConfigException(SCHEMA_REGISTRY_URL, text, "not a URL: " + e.getMessage());
                    }
                })
                .toList();
        if (urls.isEmpty()) {
            throw new ConfigException(
                    SCHEMA_REGISTRY_URL,
                    value,
                    "the Avro serde needs a schema registry URL"
                            + " (http://host:8081, or mock://<scope> for an in-process registry)");
        }
        long mocks =
                urls.stream().filter(url -> MOCK_SCHEME.equals(url.getScheme())).count();
        if (mocks > 0 && urls.size() > 1) {
            throw new ConfigException(SCHEMA_REGISTRY_URL, value, "a mock:// registry cannot be combined with others");
        }
        return urls;
    }

    private static void rejectOtherSubjectStrategies(Map<String, ?> configs) {
        for (String key : List.of(KEY_SUBJECT_NAME_STRATEGY, VALUE_SUBJECT_NAME_STRATEGY)) {
            Object strategy = configs.get(key);
            if (strategy != null) {
                String name = strategy instanceof Class<?> type ? type.getName() : String.valueOf(strategy);
                if (!name.equals(TOPIC_NAME_STRATEGY)) {
                    throw new ConfigException(
                            key,
                            name,
                            "this serde names subjects <topic>-key and <topic>-value" + " (TopicNameStrategy) only");
                }
            }
        }
    }

    private static URI withoutUserInfo(URI url) {
        if (url.getRawUserInfo() == null) {
            return url;
        }
        return URI.create(url.getScheme() + "://"
                + url.getRawAuthority().substring(url.getRawUserInfo().length() + 1)
                + (url.getRawPath() == null ? "" : url.getRawPath()));
    }

    private static String text(Map<String, ?> configs, String key, String fallback) {
        Object value = configs.get(key);
        return value == null ? fallback : String.valueOf(value).trim();
    }

    private static boolean bool(Map<String, ?> configs, String key, boolean fallback) {
        Object value = configs.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Boolean flag) {
            return flag;
        }
        String text = String.valueOf(value).trim();
        if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(text);
        }
        throw new ConfigException(key, value, "expected true or false");
    }

    private static long number(Map<String, ?> configs, String key, long fallback) {
        Object value = configs.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Number number) {
            return number.longValue();
        }
        try {
            return Long.parseLong(String.valueOf(value).trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(key, value, "expected a whole number");
        }
    }
}
