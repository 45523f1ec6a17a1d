package lazycount.catalog;

import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What a check (a jcstress test, a Lincheck test class, a jqwik property
 * class) decides: a race of the catalog, the operations its threads run
 * against each other, and whether it is a contract or a fidelity check.
 * The generated race index and operation-pair table of REPORT.md read these.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Repeatable(Checks.All.class)
public @interface Checks {

    Race value();

    /** The operations run concurrently, one per thread or actor; empty means the race's own. */
    Op[] ops() default {};

    Kind kind() default Kind.CONTRACT;

    /**
     * Every operation of {@link #ops()} can run on every thread (Lincheck's
     * scenarios): every pair of them, an operation with itself included, is raced.
     */
    boolean everyPair() default false;

    /** What a failure means. */
    enum Kind {
        /** What any correct counter must do: nothing lost or doubled, exact when quiet, misuse refused, read within its own declared bound. */
        CONTRACT,
        /** Behaves as the kernel's percpu_counter does: read() is the central count only, the bound is nrCpus * (batch - 1) and is reached. */
        FIDELITY
    }

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    @interface All {
        Checks[] value();
    }
}
