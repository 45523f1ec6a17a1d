package lazycount.properties;

import lazycount.testkit.BudgetFactor;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * Lets the command line deepen or pin a run without editing any property.
 * <ul>
 * <li>{@code -Dlazycount.tries.factor=F} multiplies every property's tries
 *     (20 in the nightly deep run; 0.25 under PIT, where a surviving mutant
 *     pays every covering property's tries); tries written on a property are
 *     tuned for a ~1 minute module on 2 cores. Never fewer than one try.
 * <li>{@code -Dlazycount.seed=S} runs every selected property with seed
 *     {@code S} (the seed a failure printed); combine with
 *     {@code -Dtest=Class#method} to re-run one failure.
 * </ul>
 * Registered on every property class with {@code @AddLifecycleHook(RunSettings.class)}.
 */
public final class RunSettings implements AroundPropertyHook {

    public static final String TRIES_FACTOR = "lazycount.tries.factor";
    public static final String SEED = "lazycount.seed";

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        if (BudgetFactor.of(TRIES_FACTOR) != 1) {
            int tries = context.attributes().tries().orElse(1000);
            context.attributes().setTries(BudgetFactor.scale(tries, TRIES_FACTOR));
        }
        String seed = System.getProperty(SEED);
        if (seed != null && !seed.isBlank()) {
            context.attributes().setSeed(seed.trim());
        }
        return property.execute();
    }

    /** Registered on a class, it applies to every property in it. */
    @Override
    public PropagationMode propagateTo() {
        return PropagationMode.ALL_DESCENDANTS;
    }

    @Override
    public int aroundPropertyProximity() {
        return -100; // outside jqwik's own hooks, so the attributes are set before they run
    }
}
