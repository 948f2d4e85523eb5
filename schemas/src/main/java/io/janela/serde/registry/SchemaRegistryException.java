package io.janela.serde.registry;

/**
 * A schema registry call failed. Carries the HTTP status and the registry's {@code error_code} (Confluent's codes:
 * 40401 subject not found, 40402 version not found, 40403 schema not found, 40404-40407 soft deletion, 40408 no
 * subject-level compatibility, 42201 invalid schema, 42202 invalid version, 42203 invalid compatibility level, 409
 * incompatible, 50001-50003 server errors), or status 0 when the registry could not be reached at all.
 */
public class SchemaRegistryException extends RuntimeException {

    public static final int SUBJECT_NOT_FOUND = 40401;
    public static final int VERSION_NOT_FOUND = 40402;
    public static final int SCHEMA_NOT_FOUND = 40403;
    public static final int SUBJECT_SOFT_DELETED = 40404;
    public static final int SUBJECT_NOT_SOFT_DELETED = 40405;
    public static final int VERSION_SOFT_DELETED = 40406;
    public static final int VERSION_NOT_SOFT_DELETED = 40407;
    public static final int SUBJECT_COMPATIBILITY_NOT_CONFIGURED = 40408;
    public static final int INVALID_SCHEMA = 42201;
    public static final int INVALID_VERSION = 42202;
    public static final int INVALID_COMPATIBILITY_LEVEL = 42203;
    public static final int STORE_ERROR = 50001;
    public static final int INCOMPATIBLE_SCHEMA = 409;

    private final int httpStatus;
    private final int errorCode;

    public SchemaRegistryException(int httpStatus, int errorCode, String message) {
        super(message);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    public SchemaRegistryException(String message, Throwable cause) {
        super(message, cause);
        this.httpStatus = 0;
        this.errorCode = 0;
    }

    /** The HTTP status; 0 when no answer came. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The registry's error code; 0 when no answer came. */
    public int errorCode() {
        return errorCode;
    }

    /**
     * True when trying again later may succeed: the registry was unreachable, overloaded or failing. Consumers must
     * not dead-letter a record for such an error: the record is fine, the registry is not.
     */
    public boolean isTransient() {
        return httpStatus == 0 || httpStatus >= 500 || httpStatus == 408 || httpStatus == 429;
    }
}
