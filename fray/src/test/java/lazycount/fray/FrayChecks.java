package lazycount.fray;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/**
 * Where Fray leaves the report of its last failure. (Also the class the suite
 * finds the Fray checks' test-jar by.)
 */
final class FrayChecks {

    private FrayChecks() {
    }

    /** Copies Fray's report of the last failure (its {@code recording/} included) to {@code target}. */
    static Path saveRecording(Path target) {
        Path source = Path.of(System.getProperty("fray.workDir", "target/fray/fray-report"));
        try (Stream<Path> files = Files.walk(source)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path dest = target.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target.toAbsolutePath();
    }
}
