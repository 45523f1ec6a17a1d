package lazycount.suite;

import lazycount.testkit.ClassGraph;
import lazycount.testkit.VerdictKeys;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import lazycount.counter.RssCounter;
import lazycount.counter.UpgradePolicy;
import lazycount.cpu.Cpus;
import lazycount.impl.CounterImplementation;
import lazycount.impl.Implementations;
import lazycount.testing.OnCpu;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./verify-suite --new NAME}: the scaffolded candidate compiles as
 * written, registers, and leaves the gate's checks of the declarations green
 * (REPORT.md's generated sections as they are, no recorded key wanted), as
 * any undecided candidate does.
 */
class ScaffoldTest {

    private static List<String> names() {
        return Implementations.all().stream().map(CounterImplementation::name).toList();
    }

    @Test
    void aScaffoldedCandidateCompilesRegistersAndLeavesTheGateGreen(@TempDir Path copy) throws Exception {
        VerdictKeysTest.copySources(copy);
        Scaffold.Written w = Scaffold.create(copy, "my-fold", names());
        assertEquals("lazycount.candidate.MyFoldImplementation", w.className());
        assertTrue(Files.readAllLines(copy.resolve(Scaffold.SERVICES)).contains(w.className()));
        String counter = Files.readString(copy.resolve(w.counter()));
        assertTrue(counter.contains("public final class MyFoldCounter extends"), counter);
        assertFalse(counter.replace("from the template {@code " + Scaffold.TEMPLATE + "}", "")
                .contains(Scaffold.TEMPLATE), "renamed throughout, but where it came from");
        assertTrue(counter.contains("./verify-suite --new my-fold"), "says where it came from");

        Path classes = Files.createDirectories(copy.resolve("classes"));
        compile(classes, copy.resolve(w.counter()), copy.resolve(w.implementation()));
        Path services = classes.resolve("META-INF/services/lazycount.impl.CounterImplementation");
        Files.createDirectories(services.getParent());
        Files.writeString(services, w.className() + "\n");

        List<String> registered = names();
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, before)) {
            thread.setContextClassLoader(loader);   // Implementations looks up per context class loader
            CounterImplementation scaffolded = Implementations.byName("my-fold");
            assertEquals(CounterImplementation.Kind.CANDIDATE, scaffolded.kind());
            assertNull(scaffolded.recordedVerdict(), "undecided");
            assertEquals(registered.size() + 1, Implementations.all().size(), "registered beside the others");

            // The gate's checks of the declarations: REPORT.md's generated sections and the recorded keys.
            String report = Files.readString(VerdictKeysTest.TOP.resolve("REPORT.md"));
            assertEquals(report, new CatalogIndex().rewrite(report), "an undecided candidate leaves REPORT.md as it is");
            assertEquals(List.of(), new VerdictKeys(VerdictKeysTest.TOP, ClassGraph.ofClassPath())
                    .problems(Implementations.all()), "an undecided candidate needs no recorded key");

            // The template's counter under its new name: counts, upgrades, tears down.
            Cpus cpus = new Cpus(2);
            RssCounter c = scaffolded.newLazyCounter(cpus, 32, UpgradePolicy.NEVER);
            c.bindOwner();
            OnCpu.run(cpus, 0, s -> c.addLocal(s, 5));
            assertTrue(c.upgrade());
            OnCpu.run(cpus, 1, s -> c.addOther(s, 2));
            assertEquals(7, c.destroy());
        } finally {
            thread.setContextClassLoader(before);
        }
    }

    @Test
    void aTakenOrMalformedNameIsRefusedByName(@TempDir Path copy) throws IOException {
        VerdictKeysTest.copySources(copy);
        IllegalArgumentException taken = assertThrows(IllegalArgumentException.class,
                () -> Scaffold.create(copy, "rfc", names()));
        assertTrue(taken.getMessage().contains("'rfc' is already registered"), taken.getMessage());
        IllegalArgumentException malformed = assertThrows(IllegalArgumentException.class,
                () -> Scaffold.create(copy, "My_Fold", names()));
        assertTrue(malformed.getMessage().contains("not 'My_Fold'"), malformed.getMessage());
        Scaffold.create(copy, "my-fold", names());
        IllegalArgumentException again = assertThrows(IllegalArgumentException.class,
                () -> Scaffold.create(copy, "my-fold", names()));
        assertTrue(again.getMessage().contains("MyFoldCounter.java already exists"), again.getMessage());
    }

    private static void compile(Path out, Path... sources) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        List<String> args = new java.util.ArrayList<>(List.of("--release", "17", "-cp", classPath, "-d",
                out.toString()));
        for (Path s : sources) {
            args.add(s.toString());
        }
        int status = javac.run(null, log, log, args.toArray(String[]::new));
        assertEquals(0, status, () -> "the scaffold does not compile:\n" + log.toString(StandardCharsets.UTF_8));
    }
}
