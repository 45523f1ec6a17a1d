package lazycount.impl;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Finds counter implementations on the class path ({@link ServiceLoader}):
 * the reference (this module), the candidates and the mutants, each module
 * registering its own. Which one a run checks is {@link UnderTest}'s to say.
 */
public final class Implementations {

    private Implementations() {
    }

    /**
     * The implementations found per class loader. Looked up once: checks ask for the selected
     * implementation every time they build a counter (Lincheck once per invocation), and a
     * ServiceLoader scan there would cost more than the counter's own work. Implementations
     * are stateless factories, so sharing the instances is safe.
     */
    private static final Map<ClassLoader, List<CounterImplementation>> FOUND = new ConcurrentHashMap<>();
    private static final ClassLoader BOOT = new ClassLoader(null) { };

    /** Every implementation on the class path: correct ones, candidates, mutants, each kind by name. */
    public static List<CounterImplementation> all() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return FOUND.computeIfAbsent(loader == null ? BOOT : loader, l -> {
            List<CounterImplementation> found = new ArrayList<>();
            ServiceLoader.load(CounterImplementation.class, loader).forEach(found::add);
            found.sort(Comparator.comparing(CounterImplementation::kind).thenComparing(CounterImplementation::name));
            return List.copyOf(found);
        });
    }

    /** @throws IllegalArgumentException naming the known implementations if none is called {@code name} */
    public static CounterImplementation byName(String name) {
        List<CounterImplementation> all = all();
        return all.stream().filter(i -> i.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no counter implementation named '" + name
                        + "' on the class path; known: "
                        + all.stream().map(CounterImplementation::name).collect(Collectors.joining(", "))));
    }

    /** Lists the implementations on the class path, one a line: name, kind, what it is or breaks. */
    public static void main(String[] args) {
        for (CounterImplementation i : all()) {
            System.out.println(i.name() + "\t" + i.kind().name().toLowerCase(java.util.Locale.ROOT) + "\t" + i.description());
        }
    }
}
