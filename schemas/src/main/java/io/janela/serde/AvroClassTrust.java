package io.janela.serde;

import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.avro.specific.AvroGenerated;
import org.apache.avro.util.ClassSecurityValidator;

/**
 * Avro 1.12.2 refuses to load any class while reading or writing specific records unless it is trusted, its own
 * generated classes included. This adds one rule to Avro's global validator, once per JVM: classes that
 * avro-maven-plugin generated (annotated {@link AvroGenerated}) are trusted. They are plain data holders; the
 * validator's purpose, refusing arbitrary classes named by a schema's {@code java-class} property, is kept.
 */
public final class AvroClassTrust {

    private static final AtomicBoolean INSTALLED = new AtomicBoolean();

    private AvroClassTrust() {}

    /** Installs the rule; later calls do nothing. */
    public static void trustGeneratedClasses() {
        if (INSTALLED.compareAndSet(false, true)) {
            ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(
                    ClassSecurityValidator.getGlobal(), type -> type.isAnnotationPresent(AvroGenerated.class)));
        }
    }
}
