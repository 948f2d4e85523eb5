package io.janela.avro;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every topic schema stays backward compatible with every version released before it (Confluent's
 * BACKWARD_TRANSITIVE): a consumer built with today's classes reads any record ever written. The released versions
 * are kept in {@code schemas/history/<Record>/v<N>.avsc}.
 *
 * <p>The latest kept version must equal today's schema, so that no change ships unrecorded. After changing an
 * {@code .avsc} compatibly, record it as the next version:
 *
 * <pre>./mvnw -pl schemas -am test -Dtest=SchemaEvolutionTest -Dsurefire.failIfNoSpecifiedTests=false -Djanela.schemas.record=true</pre>
 */
class SchemaEvolutionTest {

    private static final Path HISTORY = Path.of("history");
    private static final boolean RECORD = Boolean.getBoolean("janela.schemas.record");

    @TestFactory
    Stream<DynamicTest> everyTopicSchemaReadsAllItsReleasedVersions() {
        return TopicSchemas.ALL.stream()
                .map(current -> DynamicTest.dynamicTest(current.getName(), () -> check(current)));
    }

    private static void check(Schema current) throws IOException {
        Path folder = HISTORY.resolve(current.getName());
        List<Path> versions = versions(folder);
        if (RECORD && (versions.isEmpty() || !parse(versions.getLast()).equals(current))) {
            Files.createDirectories(folder);
            Files.writeString(folder.resolve("v" + (versions.size() + 1) + ".avsc"), current.toString(true) + "\n");
            versions = versions(folder);
        }
        assertThat(versions)
                .as(
                        "no released version of %s is kept in %s; record it (see this test's Javadoc)",
                        current.getName(), folder)
                .isNotEmpty();
        for (Path version : versions) {
            SchemaCompatibility.SchemaPairCompatibility compatibility =
                    SchemaCompatibility.checkReaderWriterCompatibility(current, parse(version));
            assertThat(compatibility.getType())
                    .as(
                            "%s cannot read records written with %s: %s",
                            current.getName(),
                            version,
                            compatibility.getResult().getIncompatibilities())
                    .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
        }
        assertThat(parse(versions.getLast()))
                .as(
                        "%s changed since %s; record the new version (see this test's Javadoc)",
                        current.getName(), versions.getLast())
                .isEqualTo(current);
    }

    private static List<Path> versions(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(file -> file.getFileName().toString().matches("v\\d+\\.avsc"))
                    .sorted(Comparator.comparingInt(SchemaEvolutionTest::versionNumber))
                    .toList();
        }
    }

    private static int versionNumber(Path file) {
        String name = file.getFileName().toString();
        return Integer.parseInt(name.substring(1, name.length() - ".avsc".length()));
    }

    private static Schema parse(Path file) throws IOException {
        return new Schema.Parser().parse(file.toFile());
    }
}
