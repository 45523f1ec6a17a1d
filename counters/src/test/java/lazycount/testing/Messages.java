package lazycount.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Misuse fails with a message naming the misuse: the check of that, shared by the misuse tests. */
public final class Messages {

    private Messages() {
    }

    /** Fails unless {@code message} contains every one of {@code parts}, naming the first missing. */
    public static void assertNames(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), "'" + part + "' missing from: " + message);
        }
    }
}
