package lazycount.impl;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import lazycount.rss.RssDesign;

/**
 * Finds counter implementations on the class path ({@link ServiceLoader}) and
 * the one selected for this run by the system property {@value #PROPERTY}
 * (default {@value ReferenceImplementation#NAME}).
 */
public final class Implementations {

    public static final String PROPERTY = "lazycount.impl";

    /** The rss_stat design the mm-level tests build: {@code -Dlazycount.design=EAGER|LAZY|CACHED_MERGED}. */
    public static final String DESIGN_PROPERTY = "lazycount.design";

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

    /**
     * The rss_stat design named by {@code -D}{@value #DESIGN_PROPERTY}, or
     * {@link RssDesign#LAZY}, the subject of the suite.
     *
     * @throws IllegalArgumentException naming the known designs if the name is unknown
     */
    public static RssDesign selectedDesign() {
        String name = System.getProperty(DESIGN_PROPERTY, RssDesign.LAZY.name());
        try {
            return RssDesign.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("no rss design named '" + name + "'; known: "
                    + java.util.Arrays.toString(RssDesign.values()), e);
        }
    }

    /** The implementation named by {@code -D}{@value #PROPERTY}, or the reference one. */
    public static CounterImplementation selected() {
        return byName(System.getProperty(PROPERTY, ReferenceImplementation.NAME));
    }
}
