package lazycount.fray.agent;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes every {@code VarHandle} access of the lazycount classes a Fray
 * scheduling point, by strengthening its access mode at load time.
 *
 * <h2>Why</h2>
 * Fray 0.9.2 switches threads at monitors, locks, volatile fields and the
 * {@code VarHandle} methods {@code getVolatile}, {@code setVolatile} and
 * {@code compareAndSet}, but not at {@code getOpaque}, {@code getAcquire},
 * {@code setOpaque}, {@code setRelease} or the plain {@code get}/{@code set}.
 * Those are exactly the modes the counters use for {@code READ_ONCE},
 * {@code WRITE_ONCE}, {@code smp_load_acquire} and {@code smp_store_release},
 * so without this agent the read-modify-write windows of the counters hold no
 * scheduling point and Fray cannot interleave inside them (README.md).
 *
 * <h2>Why it is sound</h2>
 * Fray explores sequentially consistent interleavings only. Under sequential
 * consistency a plain, opaque, acquire or release access behaves exactly as a
 * volatile one, so the rewrite removes no behaviour Fray could have explored
 * and adds none a correct counter may not show: a correct implementation
 * cannot fail because of it. What it gives up (weak-memory reorderings) Fray
 * never had; those stay with jcstress on real hardware.
 *
 * <h2>How</h2>
 * Only the constant pool changes. For each {@code Methodref} to
 * {@code java/lang/invoke/VarHandle} whose name has a stronger twin
 * ({@link #STRONGER}), a new {@code NameAndType} with the twin's name and the
 * same descriptor is appended and the {@code Methodref} is pointed at it.
 * Constant-pool indices never move and no byte offset in the class depends on
 * the pool's length, so the rest of the class file is copied unchanged.
 */
public final class VolatileAccessAgent {

    /** Weaker VarHandle access mode -> the mode Fray schedules at. */
    static final Map<String, String> STRONGER = Map.ofEntries(
            Map.entry("get", "getVolatile"), Map.entry("getOpaque", "getVolatile"),
            Map.entry("getAcquire", "getVolatile"), Map.entry("set", "setVolatile"),
            Map.entry("setOpaque", "setVolatile"), Map.entry("setRelease", "setVolatile"),
            Map.entry("getAndAddRelease", "getAndAdd"), Map.entry("getAndAddAcquire", "getAndAdd"),
            Map.entry("getAndSetRelease", "getAndSet"), Map.entry("getAndSetAcquire", "getAndSet"),
            Map.entry("compareAndExchangeRelease", "compareAndExchange"),
            Map.entry("compareAndExchangeAcquire", "compareAndExchange"),
            // A strong CAS is one of the behaviours of a weak one (which may also fail spuriously).
            Map.entry("weakCompareAndSetPlain", "compareAndSet"),
            Map.entry("weakCompareAndSetAcquire", "compareAndSet"),
            Map.entry("weakCompareAndSetRelease", "compareAndSet"),
            Map.entry("weakCompareAndSet", "compareAndSet"));

    static final AtomicInteger SITES = new AtomicInteger();
    static final AtomicInteger CLASSES = new AtomicInteger();

    private VolatileAccessAgent() {
    }

    public static void premain(String args, Instrumentation inst) {
        String prefix = args == null || args.isBlank() ? "lazycount/" : args.replace('.', '/');
        inst.addTransformer(new ClassFileTransformer() {
            @Override
            public byte[] transform(ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain,
                    byte[] classFile) {
                if (name == null || !name.startsWith(prefix)) {
                    return null;
                }
                try {
                    return strengthen(classFile);
                } catch (RuntimeException e) {
                    // A transformer's exception is swallowed by the JVM: say it, loudly, and load the class as is.
                    System.err.println("[volatile-access-agent] could not rewrite " + name + ": " + e);
                    return null;
                }
            }
        });
        if (Boolean.getBoolean("lazycount.fray.agent.verbose")) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> System.err.println(
                    "[volatile-access-agent] " + SITES.get() + " VarHandle call sites in " + CLASSES.get()
                            + " classes made volatile")));
        }
    }

    /** The class file with its weaker VarHandle calls made volatile, or null if it has none. */
    static byte[] strengthen(byte[] classFile) {
        ByteBuffer in = ByteBuffer.wrap(classFile);
        if (in.getInt() != 0xCAFEBABE) {
            throw new IllegalArgumentException("not a class file");
        }
        in.getShort();
        in.getShort();
        int count = Short.toUnsignedInt(in.getShort());
        int[] offset = new int[count];
        int[] tag = new int[count];
        for (int i = 1; i < count; i++) {
            offset[i] = in.position();
            tag[i] = Byte.toUnsignedInt(in.get());
            in.position(in.position() + entryLength(tag[i], in));
            if (tag[i] == 5 || tag[i] == 6) {
                i++;                                              // long and double take two slots
            }
        }
        int poolEnd = in.position();

        List<byte[]> appended = new ArrayList<>();
        Map<String, Integer> newNames = new HashMap<>();
        Map<Long, Integer> newNameAndTypes = new HashMap<>();
        byte[] out = classFile.clone();
        int next = count;
        int sites = 0;
        for (int i = 1; i < count; i++) {
            if (tag[i] != 10 || !"java/lang/invoke/VarHandle".equals(utf8(classFile, offset, u2(classFile,
                    offset[u2(classFile, offset[i] + 1)] + 1)))) {
                continue;
            }
            int nameAndType = u2(classFile, offset[i] + 3);
            String method = utf8(classFile, offset, u2(classFile, offset[nameAndType] + 1));
            String stronger = STRONGER.get(method);
            if (stronger == null) {
                continue;
            }
            int descriptor = u2(classFile, offset[nameAndType] + 3);
            Integer name = newNames.get(stronger);
            if (name == null) {
                name = next++;
                newNames.put(stronger, name);
                appended.add(utf8Entry(stronger));
            }
            long key = ((long) name << 16) | descriptor;
            Integer strongerNameAndType = newNameAndTypes.get(key);
            if (strongerNameAndType == null) {
                strongerNameAndType = next++;
                newNameAndTypes.put(key, strongerNameAndType);
                appended.add(new byte[] {12, (byte) (name >> 8), (byte) (int) name, (byte) (descriptor >> 8),
                        (byte) descriptor});
            }
            out[offset[i] + 3] = (byte) (strongerNameAndType >> 8);
            out[offset[i] + 4] = (byte) (int) strongerNameAndType;
            sites++;
        }
        if (sites == 0) {
            return null;
        }
        if (next > 0xFFFF) {
            throw new IllegalStateException("constant pool would exceed 65535 entries");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(classFile.length + 64);
        bytes.write(out, 0, 8);
        bytes.write(next >> 8);
        bytes.write(next);
        bytes.write(out, 10, poolEnd - 10);
        appended.forEach(bytes::writeBytes);
        bytes.write(out, poolEnd, out.length - poolEnd);
        SITES.addAndGet(sites);
        CLASSES.incrementAndGet();
        return bytes.toByteArray();
    }

    private static int entryLength(int tag, ByteBuffer in) {
        switch (tag) {
            case 1: return 2 + Short.toUnsignedInt(in.getShort(in.position()));    // Utf8
            case 7: case 8: case 16: case 19: case 20: return 2;                   // Class, String, MethodType, Module, Package
            case 15: return 3;                                                     // MethodHandle
            case 3: case 4: case 9: case 10: case 11: case 12: case 17: case 18: return 4;
            case 5: case 6: return 8;                                              // Long, Double
            default: throw new IllegalArgumentException("unknown constant-pool tag " + tag);
        }
    }

    private static int u2(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

    private static String utf8(byte[] b, int[] offset, int index) {
        int at = offset[index];
        if (b[at] != 1) {
            return null;
        }
        // Modified UTF-8; the names compared here are ASCII.
        return new String(b, at + 3, u2(b, at + 1), StandardCharsets.UTF_8);
    }

    private static byte[] utf8Entry(String s) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream data = new DataOutputStream(bytes);
            data.writeByte(1);
            data.writeUTF(s);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
