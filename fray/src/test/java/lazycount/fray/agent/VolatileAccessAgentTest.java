package lazycount.fray.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/** The constant-pool rewrite: weaker VarHandle calls become volatile ones, and the class still runs the same. */
class VolatileAccessAgentTest {

    /** Uses every weaker mode the counters use; {@link #getAsLong} returns 1+2+3+4+5+6 = 21 plus the CASes. */
    public static final class WeakAccesses implements LongSupplier {
        private static final VarHandle X;
        static {
            try {
                X = MethodHandles.lookup().findVarHandle(WeakAccesses.class, "x", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
        private long x;

        @Override
        public long getAsLong() {
            X.set(this, 1L);
            X.setOpaque(this, (long) X.get(this) + 2);
            X.setRelease(this, (long) X.getOpaque(this) + 3);
            X.getAndAddRelease(this, (long) X.getAcquire(this) - 2);      // 6 + 4 = 10
            long seen = (long) X.compareAndExchangeRelease(this, 10L, 15L);
            boolean swapped = X.weakCompareAndSetPlain(this, 15L, 21L)
                    || X.weakCompareAndSetPlain(this, 15L, 21L) || X.weakCompareAndSetPlain(this, 15L, 21L);
            return (long) X.getOpaque(this) * 1000 + seen * 10 + (swapped ? 1 : 0);
        }
    }

    /** No VarHandle call: the agent leaves the class alone. */
    public static final class NoAccesses implements LongSupplier {
        @Override
        public long getAsLong() {
            return 7;
        }
    }

    @Test
    void weakerCallsBecomeVolatileAndTheClassBehavesTheSame() throws Exception {
        byte[] original = classFile(WeakAccesses.class);
        byte[] strengthened = VolatileAccessAgent.strengthen(original);
        assertNotNull(strengthened, "the class calls getOpaque and friends");

        String before = new String(original, StandardCharsets.ISO_8859_1);
        String after = new String(strengthened, StandardCharsets.ISO_8859_1);
        assertFalse(before.contains("getVolatile"));
        assertTrue(after.contains("getVolatile") && after.contains("setVolatile") && after.contains("compareAndSet"));
        assertNull(VolatileAccessAgent.strengthen(strengthened), "a second pass finds nothing left to strengthen");

        LongSupplier rewritten = (LongSupplier) load(WeakAccesses.class.getName(), strengthened)
                .getDeclaredConstructor().newInstance();
        assertEquals(new WeakAccesses().getAsLong(), rewritten.getAsLong());
        assertEquals(21_101, rewritten.getAsLong());
    }

    @Test
    void aClassWithoutVarHandleCallsIsLeftAlone() {
        assertNull(VolatileAccessAgent.strengthen(classFile(NoAccesses.class)));
    }

    @Test
    void notAClassFileIsRefusedByName() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> VolatileAccessAgent.strengthen(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
        assertEquals("not a class file", e.getMessage());
    }

    private static byte[] classFile(Class<?> c) {
        try (InputStream in = c.getResourceAsStream(c.getName().substring(c.getName().lastIndexOf('.') + 1) + ".class")) {
            if (in == null) {
                throw new IllegalStateException("no class file for " + c);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Class<?> load(String name, byte[] bytes) {
        return new ClassLoader(VolatileAccessAgentTest.class.getClassLoader()) {
            Class<?> define() {
                return defineClass(name, bytes, 0, bytes.length);
            }
        }.define();
    }
}
